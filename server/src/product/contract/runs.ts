/**
 * Runs: a process with a checklist in its own channel — a release, a QA approval, a production
 * readiness review; incidents become runs in a later step. Templates (runbooks) are per team and
 * versioned; a run keeps the version it started from.
 */
import * as z from 'zod/mini';
import { mmId, numberedReference, pageOf, route } from './api';
import { QUORUM_KINDS, SIGNOFF_ANSWERS } from './signoff';

export const RUN_LIMITS = {
  name: 120,
  templateName: 80,
  kind: 32,
  checklists: 20,
  itemsPerChecklist: 50,
  items: 200,
  itemTitle: 200,
  description: 4000,
  command: 500,
  assignees: 10,
  approvers: 20,
  text: 2000,
  retroSections: 20,
  templatesPerTeam: 100,
  dueMinutesMax: 60 * 24 * 90,
} as const;

export const RUN_STATUSES = ['active', 'finished'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ITEM_STATES = ['open', 'done', 'skipped'] as const;
export type ItemState = (typeof ITEM_STATES)[number];
/** The one role a template can assign by name; it reads as "release manager", "commander"… by run kind. */
export const RUN_ROLES = ['owner'] as const;

/** RUN-004: a run's team-scoped number. */
export const runReference = (n: number): string => numberedReference('RUN', n);

// ---- views ----

export const gateView = z.strictObject({
  quorum: z.strictObject({ kind: z.enum(QUORUM_KINDS), n: z.nullable(z.number()) }),
  state: z.enum(['passed', 'blocked', 'waiting']),
  approvals: z.number(),
  needed: z.number(),
  seats: z.array(
    z.strictObject({
      userId: z.nullable(z.string()),
      groupId: z.nullable(z.string()),
      delegate: z.nullable(z.string()),
      answer: z.nullable(z.enum(SIGNOFF_ANSWERS)),
      answeredBy: z.nullable(z.string()),
      answeredAt: z.nullable(z.number()),
    }),
  ),
  concerns: z.array(
    z.strictObject({ id: z.number(), text: z.string(), raisedBy: z.string(), raisedAt: z.number(), resolvedBy: z.nullable(z.string()), resolvedAt: z.nullable(z.number()) }),
  ),
  deadline: z.nullable(z.number()),
  override: z.nullable(z.strictObject({ by: z.string(), at: z.number(), reason: z.string() })),
});
export type GateView = z.output<typeof gateView>;

export const runItemView = z.strictObject({
  /** "2.3": checklist 2, item 3 (what commands take). */
  ref: z.string(),
  title: z.string(),
  description: z.string(),
  assignees: z.array(z.string()),
  due: z.nullable(z.number()),
  command: z.nullable(z.string()),
  state: z.enum(ITEM_STATES),
  by: z.nullable(z.string()),
  at: z.nullable(z.number()),
  gate: z.nullable(gateView),
});
export type RunItemView = z.output<typeof runItemView>;

export const runView = z.strictObject({
  teamId: z.string(),
  number: z.number(),
  reference: z.string(),
  kind: z.string(),
  name: z.string(),
  channelId: z.string(),
  ownerId: z.string(),
  template: z.strictObject({ slug: z.string(), name: z.string(), version: z.number() }),
  status: z.enum(RUN_STATUSES),
  startedAt: z.number(),
  finishedAt: z.nullable(z.number()),
  finishOverride: z.nullable(z.string()),
  checklists: z.array(z.strictObject({ title: z.string(), items: z.array(runItemView) })),
  progress: z.strictObject({ done: z.number(), skipped: z.number(), total: z.number(), overdue: z.number(), openGates: z.number() }),
  /** When the next status update is due (in the past: overdue); null when none is expected. */
  nextUpdateDueAt: z.nullable(z.number()),
  /** Minutes between status updates; null: never. */
  updateCadenceMinutes: z.nullable(z.number()),
  /** The status-update reminder is snoozed until then (null: not snoozed). */
  snoozedUntil: z.nullable(z.number()),
});
export type RunView = z.output<typeof runView>;

/** What `run_changed` carries: the run's name and state, none of its checklist. */
export const runChangedView = z.strictObject({ teamId: z.string(), number: z.number(), reference: z.string(), status: z.enum(RUN_STATUSES), updatedAt: z.number() });
export type RunChangedView = z.output<typeof runChangedView>;

export const templateSummaryView = z.strictObject({
  slug: z.string(),
  name: z.string(),
  kind: z.string(),
  version: z.number(),
  builtIn: z.boolean(),
  items: z.number(),
  gates: z.number(),
});
export type TemplateSummaryView = z.output<typeof templateSummaryView>;

// ---- requests ----

export const startRunBody = z.strictObject({
  kind: z.string().check(z.trim(), z.minLength(1), z.maxLength(RUN_LIMITS.kind)),
  name: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(RUN_LIMITS.name)),
  template: z.optional(z.string().check(z.maxLength(RUN_LIMITS.templateName))),
  /** The channel it is started from: its team is the run's team (the run gets a channel of its own). */
  channel_id: mmId,
});
export const itemActionBody = z.strictObject({
  action: z.enum(['check', 'uncheck', 'skip']),
});

// ---- status updates ----

/** How long `/run snooze` holds the reminder off; `tomorrow` is the snoozer's local morning. */
export const RUN_SNOOZES = ['1h', '4h', 'tomorrow'] as const;
export type RunSnooze = (typeof RUN_SNOOZES)[number];
export const statusUpdateBody = z.strictObject({ text: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(RUN_LIMITS.text)) });
/** `{minutes: 30}`, `{minutes: null}` (never), or `{by_severity: true}` (an incident's runbook). */
export const cadenceBody = z.union([
  z.strictObject({ minutes: z.nullable(z.int().check(z.positive(), z.maximum(RUN_LIMITS.dueMinutesMax))) }),
  z.strictObject({ by_severity: z.literal(true) }),
]);
/** `{for: null}` ends a snooze. */
export const snoozeBody = z.strictObject({ for: z.nullable(z.enum(RUN_SNOOZES)) });
export const requestUpdateBody = z.strictObject({});
export const requestUpdateAnswer = z.strictObject({ run: runView, asked: z.boolean() });

// ---- template export and import (JSON) ----

export const TEMPLATE_FORMAT = 'infra-ops.template';
/** An imported document's size, in characters (a Playbooks export of a large playbook is ~100 kB). */
export const TEMPLATE_DOCUMENT_MAX = 512 * 1024;
export const TEMPLATE_SOURCES = ['infra-ops', 'playbooks'] as const;

const bounded = (max: number) => z.string().check(z.maxLength(max));
const named = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
/**
 * Who, portably: a role of the run, a user by username, a group by id (its name for people to
 * read). Usernames and group ids are resolved again on import; unknown ones are reported.
 */
export const templatePerson = z.union([
  z.strictObject({ role: z.enum(RUN_ROLES) }),
  z.strictObject({ user: named(64) }),
  z.strictObject({ group: bounded(128), id: named(64) }),
]);
export type TemplatePerson = z.output<typeof templatePerson>;

/** `{format, version, template}`: our own exchange format, what export answers and import reads. */
export const templateDocument = z.strictObject({
  format: z.literal(TEMPLATE_FORMAT),
  version: z.literal(1),
  template: z.strictObject({
    name: named(RUN_LIMITS.templateName),
    kind: named(RUN_LIMITS.kind),
    description: bounded(RUN_LIMITS.description),
    checklists: z
      .array(
        z.strictObject({
          title: named(RUN_LIMITS.itemTitle),
          items: z
            .array(
              z.strictObject({
                title: named(RUN_LIMITS.itemTitle),
                description: bounded(RUN_LIMITS.description),
                assignees: z.array(templatePerson).check(z.maxLength(RUN_LIMITS.assignees)),
                dueMinutes: z.nullable(z.int().check(z.positive(), z.maximum(RUN_LIMITS.dueMinutesMax))),
                command: z.nullable(bounded(RUN_LIMITS.command)),
                approval: z.nullable(
                  z.strictObject({
                    approvers: z.array(templatePerson).check(z.maxLength(RUN_LIMITS.approvers)),
                    quorum: z.strictObject({ kind: z.enum(QUORUM_KINDS), n: z.nullable(z.int().check(z.positive(), z.maximum(RUN_LIMITS.approvers))) }),
                  }),
                ),
              }),
            )
            .check(z.maxLength(RUN_LIMITS.itemsPerChecklist)),
        }),
      )
      .check(z.maxLength(RUN_LIMITS.checklists)),
    statusUpdateMinutes: z.nullable(z.int().check(z.positive(), z.maximum(RUN_LIMITS.dueMinutesMax))),
    /** Incident templates: status updates follow the incident's severity setting rather than statusUpdateMinutes. */
    statusUpdatesBySeverity: z.optional(z.boolean()),
    summary: bounded(RUN_LIMITS.text),
    retrospective: z.array(named(RUN_LIMITS.itemTitle)).check(z.maxLength(RUN_LIMITS.retroSections)),
    channel: z.strictObject({
      nameTemplate: named(RUN_LIMITS.templateName),
      private: z.boolean(),
      invite: z.array(z.union([z.strictObject({ user: named(64) }), z.strictObject({ group: bounded(128), id: named(64) })])).check(z.maxLength(RUN_LIMITS.approvers)),
    }),
    appliesTo: z.strictObject({
      types: z.array(bounded(RUN_LIMITS.kind)).check(z.maxLength(20)),
      severities: z.array(z.int().check(z.minimum(1), z.maximum(4))).check(z.maxLength(4)),
    }),
  }),
});
export type TemplateDocument = z.output<typeof templateDocument>;

/** The document is sent as the file's text: it is parsed (and its errors located) by the server. */
export const importTemplateBody = z.strictObject({
  source: z.enum(TEMPLATE_SOURCES),
  document: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(TEMPLATE_DOCUMENT_MAX)),
});
/** What was carried over and what could not be (never dropped silently). */
export const importTemplateAnswer = z.strictObject({ template: templateSummaryView, carriedOver: z.array(z.string()), notCarried: z.array(z.string()) });
export type ImportTemplateAnswer = z.output<typeof importTemplateAnswer>;

/**
 * The run card's buttons (message attachments): Mattermost posts a click to this path under
 * API_BASE with the clicker's session, as `{post_id, context: {team_id, number, ref, action}}`; the
 * answer is `{ephemeral_text}`, shown to the clicker alone.
 */
export const RUN_CARD_ACTION_PATH = '/runs/card-action';
export const RUN_CARD_ACTIONS = ['check', 'approve'] as const;
export type RunCardAction = (typeof RUN_CARD_ACTIONS)[number];
/** The status-update reminder's snooze buttons: `{post_id, context: {team_id, number, snooze}}`, answered like the card's. */
export const RUN_STATUS_ACTION_PATH = '/runs/status-action';

const runAnswer = z.strictObject({ run: runView });

export const runRoutes = {
  list: route({ method: 'GET', path: '/teams/:teamId/runs', query: null, body: null, answer: pageOf(runView), status: 200 }),
  start: route({ method: 'POST', path: '/teams/:teamId/runs', query: null, body: startRunBody, answer: runAnswer, status: 201 }),
  get: route({ method: 'GET', path: '/teams/:teamId/runs/:number', query: null, body: null, answer: runAnswer, status: 200 }),
  item: route({ method: 'POST', path: '/teams/:teamId/runs/:number/items/:ref', query: null, body: itemActionBody, answer: runAnswer, status: 200 }),
  templates: route({ method: 'GET', path: '/teams/:teamId/templates', query: null, body: null, answer: z.strictObject({ items: z.array(templateSummaryView) }), status: 200 }),
  /** The run's report in both forms, for the sidebar to offer as downloads (`filename` without extension). */
  report: route({
    method: 'GET',
    path: '/teams/:teamId/runs/:number/report',
    query: null,
    body: null,
    answer: z.strictObject({ filename: z.string(), markdown: z.string(), html: z.string() }),
    status: 200,
  }),
  exportTemplate: route({ method: 'GET', path: '/teams/:teamId/templates/:slug', query: null, body: null, answer: templateDocument, status: 200 }),
  importTemplate: route({ method: 'POST', path: '/teams/:teamId/templates/import', query: null, body: importTemplateBody, answer: importTemplateAnswer, status: 201 }),
  statusUpdate: route({ method: 'POST', path: '/teams/:teamId/runs/:number/updates', query: null, body: statusUpdateBody, answer: runAnswer, status: 201 }),
  cadence: route({ method: 'PATCH', path: '/teams/:teamId/runs/:number/cadence', query: null, body: cadenceBody, answer: runAnswer, status: 200 }),
  snooze: route({ method: 'PATCH', path: '/teams/:teamId/runs/:number/snooze', query: null, body: snoozeBody, answer: runAnswer, status: 200 }),
  requestUpdate: route({ method: 'POST', path: '/teams/:teamId/runs/:number/request-update', query: null, body: requestUpdateBody, answer: requestUpdateAnswer, status: 200 }),
} as const;

