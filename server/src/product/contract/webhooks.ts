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
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_LIMITS = { url: 2000, webhooksPerTeam: 20, logKept: 100, queuedPerTeam: 500 } as const;

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

// ---- admin views and routes ----

export const webhookView = z.strictObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  includePrivate: z.boolean(),
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
