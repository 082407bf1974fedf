/**
 * Runs: a process with a checklist in its own channel — a release, a QA approval, a production
 * readiness review; incidents become runs in a later step. Templates (runbooks) are per team and
 * versioned; a run keeps the version it started from.
 */
import * as z from 'zod/mini';
import { emptyBody, mmId, numberedReference, pageOf, route } from './api';
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

/** What every view of a run carries: all but its checklists. */
const runSummaryShape = {
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
  progress: z.strictObject({ done: z.number(), skipped: z.number(), total: z.number(), overdue: z.number(), openGates: z.number() }),
  /** When the next status update is due (in the past: overdue); null when none is expected. */
  nextUpdateDueAt: z.nullable(z.number()),
  /** Minutes between status updates; null: never. */
  updateCadenceMinutes: z.nullable(z.number()),
  /** The status-update reminder is snoozed until then (null: not snoozed). */
  snoozedUntil: z.nullable(z.number()),
};

/**
 * A run as the runs list shows it: its progress, not its checklists (a page of 20 release runs
 * carried ~54 KB of items no list shows; the run's own page, `runRoutes.get`, has them).
 */
export const runSummaryView = z.strictObject(runSummaryShape);
export type RunSummaryView = z.output<typeof runSummaryView>;

export const runView = z.strictObject({
  ...runSummaryShape,
  checklists: z.array(z.strictObject({ title: z.string(), items: z.array(runItemView) })),
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
export const RUN_CARD_ACTIONS = ['check', 'approve', 'exec'] as const;
export type RunCardAction = (typeof RUN_CARD_ACTIONS)[number];
/** The status-update reminder's snooze buttons: `{post_id, context: {team_id, number, snooze}}`, answered like the card's. */
export const RUN_STATUS_ACTION_PATH = '/runs/status-action';

const runAnswer = z.strictObject({ run: runView });

// ---- the sidebar's run actions: the same use cases (and answers, and refusals) as `/run …` ----

/** The retrospective of a run: its template's sections, and whether its owner is still reminded. */
export const retroView = z.strictObject({
  teamId: z.string(),
  number: z.number(),
  reference: z.string(),
  status: z.enum(RUN_STATUSES),
  ownerId: z.string(),
  sections: z.array(z.strictObject({ title: z.string(), text: z.string() })),
  publishedAt: z.nullable(z.number()),
  publishedBy: z.nullable(z.string()),
  /** Finished, not published, with sections: its owner is reminded daily until it is published. */
  reminded: z.boolean(),
});
export type RetroView = z.output<typeof retroView>;

/** Per template, over the team's runs the caller can see (minutes are medians; null: none yet). */
export const runStatsView = z.strictObject({
  template: z.string(),
  kind: z.string(),
  started: z.number(),
  finished: z.number(),
  /** Start to finish: an incident's MTTR. */
  medianDuration: z.nullable(z.number()),
  /** Start to the first checklist action: an incident's MTTA (its runbook acknowledged). */
  medianFirstAction: z.nullable(z.number()),
  /** A gate's first answer to its passing: time in approval. */
  medianApproval: z.nullable(z.number()),
  onTime: z.strictObject({ kept: z.number(), of: z.number() }),
});
export type RunStatsView = z.output<typeof runStatsView>;

/** A username as typed ("@bob" or "bob"); the server resolves it as `/run assign` does. */
const username = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(65));
const sidebarText = (max: number) => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max));
/** approve / abstain / hold; null takes one's answer back. */
export const gateAnswerBody = z.strictObject({ answer: z.nullable(z.enum(SIGNOFF_ANSWERS)), note: z.optional(z.string().check(z.maxLength(RUN_LIMITS.text))) });
export const gateConcernBody = z.strictObject({ text: sidebarText(RUN_LIMITS.text) });
export const gateResolveBody = z.strictObject({ note: z.optional(z.string().check(z.maxLength(RUN_LIMITS.text))) });
/** Who answers for the caller on this gate; null: they answer for themselves again. */
export const gateDelegateBody = z.strictObject({ to: z.nullable(username) });
/** A team admin lets an open gate pass; the reason is recorded. */
export const gateOverrideBody = z.strictObject({ reason: sidebarText(RUN_LIMITS.text) });
export const assignBody = z.strictObject({ usernames: z.array(username).check(z.minLength(1, 'name at least one person'), z.maxLength(RUN_LIMITS.assignees)) });
/** More approvers of a gate (as `/run approvers`), and optionally its quorum (`n` only with `atLeast`). */
export const approversBody = z.strictObject({
  usernames: z.array(username).check(z.minLength(1, 'name at least one person'), z.maxLength(RUN_LIMITS.approvers)),
  quorum: z.optional(z.strictObject({ kind: z.enum(QUORUM_KINDS), n: z.nullable(z.int().check(z.positive(), z.maximum(RUN_LIMITS.approvers))) })),
});
/** Epoch ms, or null to clear the due time. */
export const dueBody = z.strictObject({ due: z.nullable(z.int().check(z.positive())) });
/** `checklist`: its number, from 1 (as in "2.3"). */
export const addItemBody = z.strictObject({ checklist: z.int().check(z.minimum(1), z.maximum(RUN_LIMITS.checklists)), title: sidebarText(RUN_LIMITS.itemTitle) });
/** `override`: a team admin finishes with gates still open; the reason is recorded. */
export const finishBody = z.strictObject({ override: z.optional(z.string().check(z.maxLength(RUN_LIMITS.text))) });
/** `section`: its number, from 1; an empty text clears it. */
export const retroSectionBody = z.strictObject({ section: z.int().check(z.minimum(1), z.maximum(RUN_LIMITS.retroSections)), text: z.string().check(z.maxLength(RUN_LIMITS.description)) });

const onItem = <const V extends string, B extends z.core.$ZodType>(verb: V, body: B) =>
  route({ method: 'POST', path: `/teams/:teamId/runs/:number/items/:ref/${verb}`, query: null, body, answer: runAnswer, status: 200 });
const retroAnswer = z.strictObject({ retro: retroView });

const runSidebarRoutes = {
  answerGate: onItem('answer', gateAnswerBody),
  raiseConcern: route({ method: 'POST', path: '/teams/:teamId/runs/:number/items/:ref/concerns', query: null, body: gateConcernBody, answer: z.strictObject({ run: runView, concernId: z.number() }), status: 201 }),
  resolveConcern: route({ method: 'POST', path: '/teams/:teamId/runs/:number/items/:ref/concerns/:concernId/resolve', query: null, body: gateResolveBody, answer: runAnswer, status: 200 }),
  delegateGate: onItem('delegate', gateDelegateBody),
  overrideGate: onItem('override', gateOverrideBody),
  nameApprovers: onItem('approvers', approversBody),
  assignItem: onItem('assignees', assignBody),
  dueItem: onItem('due', dueBody),
  addItem: route({ method: 'POST', path: '/teams/:teamId/runs/:number/items', query: null, body: addItemBody, answer: z.strictObject({ run: runView, ref: z.string() }), status: 201 }),
  removeItem: route({ method: 'DELETE', path: '/teams/:teamId/runs/:number/items/:ref', query: null, body: null, answer: runAnswer, status: 200 }),
  finish: route({ method: 'POST', path: '/teams/:teamId/runs/:number/finish', query: null, body: finishBody, answer: runAnswer, status: 200 }),
  retro: route({ method: 'GET', path: '/teams/:teamId/runs/:number/retro', query: null, body: null, answer: retroAnswer, status: 200 }),
  writeRetro: route({ method: 'PATCH', path: '/teams/:teamId/runs/:number/retro', query: null, body: retroSectionBody, answer: retroAnswer, status: 200 }),
  publishRetro: route({ method: 'POST', path: '/teams/:teamId/runs/:number/retro/publish', query: null, body: emptyBody, answer: retroAnswer, status: 200 }),
  /** Not under /runs/: `/runs/:number` would take "stats" for a number. */
  stats: route({ method: 'GET', path: '/teams/:teamId/run-stats', query: null, body: null, answer: z.strictObject({ items: z.array(runStatsView) }), status: 200 }),
} as const;

export const runRoutes = {
  list: route({ method: 'GET', path: '/teams/:teamId/runs', query: null, body: null, answer: pageOf(runSummaryView), status: 200 }),
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
  /** Runs the item's slash command as the caller in the run's channel; the outcome is also on the run's timeline. */
  execItem: route({
    method: 'POST',
    path: '/teams/:teamId/runs/:number/items/:ref/exec',
    query: null,
    body: null,
    answer: z.strictObject({ run: runView, ok: z.boolean(), text: z.string() }),
    status: 200,
  }),
  importTemplate: route({ method: 'POST', path: '/teams/:teamId/templates/import', query: null, body: importTemplateBody, answer: importTemplateAnswer, status: 201 }),
  ...runSidebarRoutes,
  statusUpdate: route({ method: 'POST', path: '/teams/:teamId/runs/:number/updates', query: null, body: statusUpdateBody, answer: runAnswer, status: 201 }),
  cadence: route({ method: 'PATCH', path: '/teams/:teamId/runs/:number/cadence', query: null, body: cadenceBody, answer: runAnswer, status: 200 }),
  snooze: route({ method: 'PATCH', path: '/teams/:teamId/runs/:number/snooze', query: null, body: snoozeBody, answer: runAnswer, status: 200 }),
  requestUpdate: route({ method: 'POST', path: '/teams/:teamId/runs/:number/request-update', query: null, body: requestUpdateBody, answer: requestUpdateAnswer, status: 200 }),
} as const;

