/**
 * Outgoing webhooks as clients and receivers see them: the event a receiver gets (versioned), the
 * headers that carry its id and signature, the admin's views and routes.
 *
 * Signing: `X-Infra-Ops-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`
 * with `X-Infra-Ops-Timestamp: <unix seconds>`. A receiver recomputes the HMAC over the timestamp
 * header, a dot and the raw body bytes, compares in constant time, and refuses a timestamp more
 * than WEBHOOK_TOLERANCE_SECONDS away from its clock (a replay). `X-Infra-Ops-Event-Id` is the same
 * on every retry of one event: dedupe on it.
 */
import * as z from 'zod/mini';
import { route } from './api';
import { severitySchema } from './incidents';

export const WEBHOOK_EVENT_VERSION = 1;
export const WEBHOOK_HEADERS = {
  signature: 'X-Infra-Ops-Signature',
  timestamp: 'X-Infra-Ops-Timestamp',
  eventId: 'X-Infra-Ops-Event-Id',
  eventType: 'X-Infra-Ops-Event',
} as const;
/** How far a receiver should accept the timestamp from its own clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export const WEBHOOK_EVENT_TYPES = [
  'incident.declared',
  'incident.status_updated',
  'incident.severity_changed',
  'incident.resolved',
  'incident.review_published',
  'run.started',
  'run.finished',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_LIMITS = { url: 2000, webhooksPerTeam: 20, logKept: 100, queuedPerTeam: 500, templates: 10 } as const;

/** The template (runbook) a run or an incident's runbook started from. */
export const webhookTemplate = z.strictObject({ slug: z.string(), name: z.string() });

/**
 * The incident in an event. A private incident's details leave the server only if the webhook was
 * added with `--include-private`; otherwise `redacted` is true and title, status and summary are null.
 */
export const webhookIncident = z.strictObject({
  id: z.string(),
  reference: z.string(),
  number: z.number(),
  private: z.boolean(),
  redacted: z.boolean(),
  severity: severitySchema,
  severityLabel: z.string(),
  phase: z.enum(['active', 'resolved']),
  title: z.nullable(z.string()),
  /** The latest status update's text. */
  status: z.nullable(z.string()),
  /** The resolution summary once resolved. */
  summary: z.nullable(z.string()),
  components: z.array(z.string()),
  declaredAt: z.string(),
  resolvedAt: z.nullable(z.string()),
  /** A link into Mattermost (the incident channel); null if the site URL is not configured. */
  url: z.nullable(z.string()),
  /** The incident's runbook template (the one its type and severity pick); null when none applies. */
  template: z.optional(z.nullable(webhookTemplate)),
});

/** The JSON body of every delivery. Receivers should ignore fields they do not know. */
export const webhookEvent = z.strictObject({
  version: z.literal(WEBHOOK_EVENT_VERSION),
  id: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  /** ISO 8601, UTC: when the change happened. */
  occurredAt: z.string(),
  team: z.strictObject({ id: z.string(), name: z.string() }),
  incident: webhookIncident,
  /** For severity_changed: the severity before. */
  previousSeverity: z.nullable(severitySchema),
});
export type WebhookEvent = z.output<typeof webhookEvent>;

/**
 * A run that is not an incident (a release, a QA approval, a readiness review) started or finished.
 * A run in a private channel goes out by reference only (`redacted`, name and url null) unless the
 * webhook includes private ones, as for incidents.
 */
export const webhookRunEvent = z.strictObject({
  version: z.literal(WEBHOOK_EVENT_VERSION),
  id: z.string(),
  type: z.enum(['run.started', 'run.finished']),
  occurredAt: z.string(),
  team: z.strictObject({ id: z.string(), name: z.string() }),
  run: z.strictObject({
    reference: z.string(),
    number: z.number(),
    kind: z.string(),
    private: z.boolean(),
    redacted: z.boolean(),
    name: z.nullable(z.string()),
    template: z.strictObject({ slug: z.string(), name: z.string(), version: z.number() }),
    status: z.enum(['active', 'finished']),
    startedAt: z.string(),
    finishedAt: z.nullable(z.string()),
    url: z.nullable(z.string()),
  }),
});
export type WebhookRunEvent = z.output<typeof webhookRunEvent>;

/** Any body a receiver gets: tell them apart by `type` (incident.* or run.*). */
export const webhookPayload = z.union([webhookEvent, webhookRunEvent]);

// ---- admin views and routes ----

export const webhookView = z.strictObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  includePrivate: z.boolean(),
  /** Template slugs whose runs and incidents only are delivered; empty: all. */
  templates: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.number(),
});
export type WebhookView = z.output<typeof webhookView>;

export const deliveryView = z.strictObject({
  eventId: z.string(),
  webhookId: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  attempt: z.number(),
  at: z.number(),
  outcome: z.enum(['delivered', 'failed', 'retrying', 'dropped']),
  httpStatus: z.nullable(z.number()),
  error: z.nullable(z.string()),
});
export type DeliveryView = z.output<typeof deliveryView>;

export const addWebhookBody = z.strictObject({
  url: z.string().check(z.maxLength(WEBHOOK_LIMITS.url)),
  events: z.optional(z.array(z.enum(WEBHOOK_EVENT_TYPES)).check(z.maxLength(WEBHOOK_EVENT_TYPES.length))),
  include_private: z.optional(z.boolean()),
  /** Templates (names or slugs) whose runs and incidents only are delivered; absent or empty: all. */
  templates: z.optional(z.array(z.string().check(z.maxLength(80))).check(z.maxLength(WEBHOOK_LIMITS.templates))),
});

/** The secret is in the answer of add and rotate only, never again. */
const withSecret = z.strictObject({ webhook: webhookView, secret: z.string() });

export const webhookRoutes = {
  list: route({ method: 'GET', path: '/teams/:teamId/webhooks', query: null, body: null, answer: z.strictObject({ items: z.array(webhookView), nextCursor: z.null() }), status: 200 }),
  add: route({ method: 'POST', path: '/teams/:teamId/webhooks', query: null, body: addWebhookBody, answer: withSecret, status: 201 }),
  remove: route({ method: 'DELETE', path: '/teams/:teamId/webhooks/:webhookId', query: null, body: null, answer: z.strictObject({ webhook: webhookView }), status: 200 }),
  rotate: route({ method: 'POST', path: '/teams/:teamId/webhooks/:webhookId/rotate', query: null, body: null, answer: withSecret, status: 200 }),
  deliveries: route({
    method: 'GET',
    path: '/teams/:teamId/webhooks/deliveries',
    query: null,
    body: null,
    answer: z.strictObject({ items: z.array(deliveryView), nextCursor: z.null() }),
    status: 200,
  }),
} as const;
