/** Incidents as clients see them: views, request bodies, routes, constants, the card post. */
import * as z from 'zod/mini';
import { emptyBody, mmId, numberedReference, pageOf, pageQueryShape, route, wholeParam } from './api';

export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];
export const severitySchema = z.literal(SEVERITIES);
/** "SEV1"; the configured label (e.g. "Critical") travels separately as severityLabel. */
export const severityName = (severity: number): string => `SEV${severity}`;

export const ROLES = ['commander', 'scribe', 'comms'] as const;
export type RoleName = (typeof ROLES)[number];
export const ROLE_LABELS: Record<RoleName, string> = { commander: 'Commander', scribe: 'Scribe', comms: 'Comms' };

/** Lifecycle timestamps that drive MTTA/MTTR; MTTx are measured from `detected` (else declaration). */
export const MILESTONES = ['detected', 'acknowledged', 'mitigated', 'resolved'] as const;
export type Milestone = (typeof MILESTONES)[number];
export const MILESTONE_LABELS: Record<Milestone, string> = {
  detected: 'Detected',
  acknowledged: 'Acknowledged',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};

/**
 * pending: channel being set up (never listed); triage: opened from an alert, waiting for someone
 * to accept it (→ active) or dismiss it as noise (→ dismissed, counted apart in metrics); active;
 * resolved (possibly awaiting review).
 */
export const PHASES = ['pending', 'triage', 'active', 'resolved', 'dismissed'] as const;
export type Phase = (typeof PHASES)[number];

/** The `state` filter of the incident list. */
export const INCIDENT_STATES = ['active', 'resolved', 'all'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** What an `incident_updated` event says changed (`declared` only on `incident_declared`). */
export const INCIDENT_CHANGES = [
  'declared',
  'status',
  'severity',
  'role',
  'timeline',
  'milestone',
  'followers',
  'resolved',
  'reopened',
  'followups',
  'reviewed',
  'accepted',
  'dismissed',
  'components',
  'public',
] as const;
export type IncidentChange = (typeof INCIDENT_CHANGES)[number];

/** Longest accepted input, in characters (the server says which limit was exceeded). */
export const INCIDENT_LIMITS = { title: 200, summary: 4000, text: 4000, type: 64, invitees: 100, followups: 200 } as const;

/** INC-042: per-team numbers, three digits at least (the one style, api.ts). */
export const incidentReference = (n: number): string => numberedReference('INC', n);

/** The pinned summary card: a custom post type the webapp renders; Message is the plain-text fallback. */
export const INCIDENT_POST_TYPE = 'custom_infra_incident';
/** Card post props: `infra_incident` holds CardData as JSON text, `incident_id` the incident's id. */
export const CARD_PROPS = { card: 'infra_incident', incidentId: 'incident_id' } as const;

const YMD = /^\d{4}-\d{2}-\d{2}$/;

// ---- views ----

export const followupView = z.strictObject({
  /** 1-based, stable: what `/incident followup done <n>` refers to. */
  n: z.number(),
  text: z.string(),
  ownerId: z.nullable(z.string()),
  /** YYYY-MM-DD */
  due: z.nullable(z.string()),
  createdAt: z.number(),
  createdBy: z.string(),
  doneAt: z.nullable(z.number()),
  doneBy: z.nullable(z.string()),
});
export type FollowupView = z.output<typeof followupView>;

const statusUpdate = z.strictObject({ text: z.string(), at: z.number(), by: z.string() });

export const incidentView = z.strictObject({
  id: z.string(),
  teamId: z.string(),
  number: z.number(),
  /** "INC-042" */
  reference: z.string(),
  phase: z.enum(PHASES),
  title: z.string(),
  summary: z.string(),
  type: z.string(),
  severity: severitySchema,
  /** The configured label for the severity, e.g. "Critical". */
  severityLabel: z.string(),
  /** Whether the incident's channel is private now. */
  private: z.boolean(),
  channelId: z.string(),
  channelName: z.string(),
  declaredBy: z.string(),
  declaredAt: z.number(),
  updatedAt: z.number(),
  roles: z.strictObject({ commander: z.string(), scribe: z.nullable(z.string()), comms: z.nullable(z.string()) }),
  milestones: z.strictObject({
    detected: z.nullable(z.number()),
    acknowledged: z.nullable(z.number()),
    mitigated: z.nullable(z.number()),
    resolved: z.nullable(z.number()),
  }),
  lastUpdate: z.nullable(statusUpdate),
  resolution: z.nullable(z.strictObject({ at: z.number(), by: z.string(), summary: z.string() })),
  followers: z.array(z.string()),
  followups: z.array(followupView),
  openFollowups: z.number(),
  review: z.strictObject({ needed: z.boolean(), reviewedAt: z.nullable(z.number()) }),
  mttaMinutes: z.nullable(z.number()),
  mttrMinutes: z.nullable(z.number()),
  /** When the commander's next status update is due (past = overdue); null when none is. */
  nextUpdateDueAt: z.nullable(z.number()),
});
export type IncidentView = z.output<typeof incidentView>;

const roleHolder = z.nullable(z.strictObject({ userId: z.string(), username: z.string() }));

/** The card post's `infra_incident` prop (JSON text): a snapshot taken when the card was last written. */
export const cardData = z.strictObject({
  id: z.string(),
  teamId: z.string(),
  number: z.number(),
  channelId: z.string(),
  reference: z.string(),
  title: z.string(),
  summary: z.string(),
  type: z.string(),
  severity: severitySchema,
  severityLabel: z.string(),
  phase: z.enum(PHASES),
  private: z.boolean(),
  roles: z.strictObject({ commander: roleHolder, scribe: roleHolder, comms: roleHolder }),
  lastUpdate: z.nullable(statusUpdate),
  declaredAt: z.number(),
  resolvedAt: z.nullable(z.number()),
  openFollowups: z.number(),
});
export type CardData = z.output<typeof cardData>;

export const timelineEntryView = z.strictObject({
  seq: z.number(),
  at: z.number(),
  actorId: z.string(),
  /** declared, status, severity, role, note, milestone, follow, resolved, reopened, followup, reviewed, … */
  kind: z.string(),
  text: z.string(),
});
export type TimelineEntryView = z.output<typeof timelineEntryView>;

const durationStats = z.strictObject({
  count: z.number(),
  meanMinutes: z.nullable(z.number()),
  medianMinutes: z.nullable(z.number()),
  p90Minutes: z.nullable(z.number()),
});
export type DurationStats = z.output<typeof durationStats>;

const severityMetrics = z.strictObject({ total: z.number(), active: z.number(), mtta: durationStats, mttr: durationStats });

export const incidentMetricsView = z.strictObject({
  teamId: z.string(),
  since: z.number(),
  until: z.number(),
  total: z.number(),
  active: z.number(),
  resolved: z.number(),
  /** Opened from alerts and dismissed as noise: in no other figure. */
  dismissed: z.number(),
  bySeverity: z.strictObject({ '1': severityMetrics, '2': severityMetrics, '3': severityMetrics, '4': severityMetrics }),
  /** Acknowledged − (detected or declared). */
  mtta: durationStats,
  /** Resolved − (detected or declared). */
  mttr: durationStats,
  openFollowups: z.number(),
  awaitingReview: z.number(),
});
export type IncidentMetricsView = z.output<typeof incidentMetricsView>;

// ---- requests ----

const text = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(INCIDENT_LIMITS.text));

/** Omitted fields: severity 3, type "", summary "", private = the IncidentPrivateByDefault setting, the caller commands. */
export const declareIncidentBody = z.strictObject({
  title: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(INCIDENT_LIMITS.title)),
  severity: z.optional(severitySchema),
  type: z.optional(z.string().check(z.maxLength(INCIDENT_LIMITS.type))),
  summary: z.optional(z.string().check(z.maxLength(INCIDENT_LIMITS.summary))),
  private: z.optional(z.boolean()),
  commander_id: z.optional(mmId),
  invite_ids: z.optional(z.array(mmId).check(z.maxLength(INCIDENT_LIMITS.invitees))),
});
export type DeclareIncidentBody = z.input<typeof declareIncidentBody>;

/**
 * A list's order: `newest` (the INC number, newest first) or `severity` (most severe first, then
 * newest; active incidents only, as the sidebar shows them).
 */
export const INCIDENT_LIST_ORDERS = ['newest', 'severity'] as const;
export type IncidentListOrder = (typeof INCIDENT_LIST_ORDERS)[number];

/**
 * The sidebar's page of active incidents, most severe first (the rest behind "Show more"): a
 * screen's worth, as Playbooks' sidebar shows its runs a few at a time, so opening the sidebar asks
 * about a screen's channels, not a hundred.
 */
export const INCIDENTS_SIDEBAR_PAGE = 20;

/** Omitted: state all, any severity, any commander, newest first. */
export const incidentListQuery = z.strictObject({
  state: z.optional(z.enum(INCIDENT_STATES)),
  severity: z.optional(z.pipe(wholeParam(1, 4), severitySchema)),
  commander_id: z.optional(mmId),
  sort: z.optional(z.enum(INCIDENT_LIST_ORDERS)),
  ...pageQueryShape,
});
export type IncidentListQuery = z.output<typeof incidentListQuery>;

/** Omitted: the last 90 days. */
export const incidentMetricsQuery = z.strictObject({ days: z.optional(wholeParam(1, 3650)) });
export const timelineQuery = z.strictObject({ ...pageQueryShape });

export const statusBody = z.strictObject({ text });
export const severityBody = z.strictObject({ severity: severitySchema });
export const roleBody = z.strictObject({ role: z.enum(ROLES), user_id: mmId });
export const timelineNoteBody = z.strictObject({ text });
/** Omitted `at`: now. */
export const milestoneBody = z.strictObject({ milestone: z.enum(MILESTONES), at: z.optional(z.number().check(z.int(), z.positive())) });
export const dismissBody = z.strictObject({ reason: z.optional(z.string().check(z.trim(), z.maxLength(INCIDENT_LIMITS.summary))) });

export const resolveBody = z.strictObject({ summary: z.optional(z.string().check(z.maxLength(INCIDENT_LIMITS.summary))) });
export const followupBody = z.strictObject({
  text,
  owner_id: z.optional(z.nullable(mmId)),
  due: z.optional(z.nullable(z.string().check(z.regex(YMD, 'must be YYYY-MM-DD')))),
});
export type FollowupBody = z.input<typeof followupBody>;

// ---- answers and routes ----

const incidentAnswer = z.strictObject({ incident: incidentView });
export type IncidentAnswer = z.output<typeof incidentAnswer>;
const followupAnswer = z.strictObject({ incident: incidentView, followup: followupView });

const action = <const V extends string, B extends z.core.$ZodType>(verb: V, body: B) =>
  route({ method: 'POST', path: `/teams/:teamId/incidents/:number/${verb}`, query: null, body, answer: incidentAnswer, status: 200 });

export const incidentRoutes = {
  declare: route({
    method: 'POST',
    path: '/teams/:teamId/incidents',
    query: null,
    body: declareIncidentBody,
    /** warnings: what could not be done (e.g. a responder who could not be added). */
    answer: z.strictObject({ incident: incidentView, warnings: z.array(z.string()) }),
    status: 201,
  }),
  list: route({ method: 'GET', path: '/teams/:teamId/incidents', query: incidentListQuery, body: null, answer: pageOf(incidentView), status: 200 }),
  metrics: route({
    method: 'GET',
    path: '/teams/:teamId/incidents/metrics',
    query: incidentMetricsQuery,
    body: null,
    answer: z.strictObject({ metrics: incidentMetricsView }),
    status: 200,
  }),
  get: route({ method: 'GET', path: '/teams/:teamId/incidents/:number', query: null, body: null, answer: incidentAnswer, status: 200 }),
  /** The channel's incident; 404 when it has none or the caller may not see it. */
  ofChannel: route({ method: 'GET', path: '/channels/:channelId/incident', query: null, body: null, answer: incidentAnswer, status: 200 }),
  /** Oldest first. */
  timeline: route({
    method: 'GET',
    path: '/teams/:teamId/incidents/:number/timeline',
    query: timelineQuery,
    body: null,
    answer: pageOf(timelineEntryView),
    status: 200,
  }),
  status: action('status', statusBody),
  severity: action('severity', severityBody),
  role: action('roles', roleBody),
  note: action('timeline', timelineNoteBody),
  milestone: action('milestones', milestoneBody),
  follow: action('follow', emptyBody),
  unfollow: route({ method: 'DELETE', path: '/teams/:teamId/incidents/:number/follow', query: null, body: null, answer: incidentAnswer, status: 200 }),
  resolve: action('resolve', resolveBody),
  reopen: action('reopen', emptyBody),
  /** An incident opened from alerts: triage → active (its channel's members). */
  accept: action('accept', emptyBody),
  /** An incident opened from alerts: triage → dismissed as noise. */
  dismiss: action('dismiss', dismissBody),
  reviewed: action('reviewed', emptyBody),
  addFollowup: route({
    method: 'POST',
    path: '/teams/:teamId/incidents/:number/followups',
    query: null,
    body: followupBody,
    answer: followupAnswer,
    status: 201,
  }),
  completeFollowup: route({
    method: 'POST',
    path: '/teams/:teamId/incidents/:number/followups/:n/done',
    query: null,
    body: emptyBody,
    answer: followupAnswer,
    status: 200,
  }),
} as const;

/** Mattermost posts interactive-dialog submissions here (its protocol, not this convention). */
export const INCIDENT_DIALOG_PATH = '/incidents/dialog';

/**
 * Mattermost posts message-button clicks (integration actions) here, its protocol: the buttons
 * "Accept" and "Dismiss as noise" on the alert list of an incident in triage. The button's
 * context names the incident and the action; the answer is `{ephemeral_text}`.
 */
export const TRIAGE_ACTION_PATH = '/incidents/triage-action';
export const TRIAGE_ACTIONS = ['accept', 'dismiss'] as const;
