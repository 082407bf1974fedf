import { z } from 'zod';
import { ITEM_STATES, RUN_LIMITS, RUN_ROLES, RUN_STATUSES } from '../contract/runs';
import { QUORUM_KINDS } from '../contract/signoff';
import { gateSchema } from '../shared/signoff/gate';
import { boundedList, boundedText } from '../shared/text/limits';

/**
 * Versioned storage records of runs (store.ts says where each lives). Every string and list is
 * bounded here; the use cases check the same limits first and say which one was hit.
 */
export const LIMITS = { ...RUN_LIMITS, timeline: 300, versionsKept: 20 } as const;

const id = z.string().max(64);
const text = boundedText(LIMITS.text);

/** Who an item goes to: a role of the run (its owner), a person, or a Mattermost group. */
export const assigneeSchema = z.union([
  z.object({ role: z.enum(RUN_ROLES) }),
  z.object({ userId: id }),
  z.object({ groupId: id }),
]);
export type Assignee = z.output<typeof assigneeSchema>;

export const GATE_LIMITS = { seats: LIMITS.approvers, concerns: 50, text: LIMITS.text } as const;
const gate = gateSchema(GATE_LIMITS);

export const templateItemSchema = z.object({
  title: boundedText(LIMITS.itemTitle).min(1),
  description: boundedText(LIMITS.description),
  assignees: boundedList(assigneeSchema, LIMITS.assignees),
  /** Due this many minutes after the run starts; null: no due time. */
  dueMinutes: z.number().int().positive().max(LIMITS.dueMinutesMax).nullable(),
  /** A slash command the assignee can run from the item (`/run exec`). */
  command: boundedText(LIMITS.command).nullable(),
  /** A sign-off gate: the item is done when its approvers' quorum is met. */
  approval: z
    .object({
      /** Empty: named when the run starts (`/run approvers`). */
      approvers: boundedList(z.union([z.object({ userId: id }), z.object({ groupId: id }), z.object({ role: z.enum(RUN_ROLES) })]), LIMITS.approvers),
      quorum: z.object({ kind: z.enum(QUORUM_KINDS), n: z.number().int().positive().nullable() }),
    })
    .nullable(),
});
export type TemplateItem = z.output<typeof templateItemSchema>;

export const templateBodySchema = z.object({
  name: boundedText(LIMITS.templateName).min(1),
  /** incident, release, or any other process ("qa", "prr"). */
  kind: boundedText(LIMITS.kind).min(1),
  description: boundedText(LIMITS.description),
  checklists: boundedList(z.object({ title: boundedText(LIMITS.itemTitle).min(1), items: boundedList(templateItemSchema, LIMITS.itemsPerChecklist) }), LIMITS.checklists),
  /** Status updates are due this often; null: never. */
  statusUpdateMinutes: z.number().int().positive().max(LIMITS.dueMinutesMax).nullable(),
  /** An incident's runbook follows the incident's severity setting instead (absent: false). */
  statusUpdatesBySeverity: z.boolean().optional(),
  summary: text,
  retrospective: boundedList(boundedText(LIMITS.itemTitle).min(1), LIMITS.retroSections),
  channel: z.object({
    /** `{kind}-{name}`: the run channel's name, before slugging. */
    nameTemplate: boundedText(LIMITS.templateName).min(1),
    private: z.boolean(),
    invite: boundedList(z.union([z.object({ userId: id }), z.object({ groupId: id })]), LIMITS.approvers),
  }),
  /** For incident templates: the types and severities it is picked for (empty: any). */
  appliesTo: z.object({ types: boundedList(boundedText(LIMITS.kind), 20), severities: boundedList(z.number().int().min(1).max(4), 4) }),
});
export type TemplateBody = z.output<typeof templateBodySchema>;

export const templateSchema = z.object({
  v: z.literal(1),
  teamId: id,
  slug: z.string().max(64),
  version: z.number().int().positive(),
  builtIn: z.boolean(),
  updatedAt: z.number(),
  updatedBy: id,
  body: templateBodySchema,
});
export type Template = z.output<typeof templateSchema>;

export const runItemSchema = z.object({
  title: boundedText(LIMITS.itemTitle).min(1),
  description: boundedText(LIMITS.description),
  assignees: boundedList(id, LIMITS.assignees),
  due: z.number().nullable(),
  command: boundedText(LIMITS.command).nullable(),
  state: z.enum(ITEM_STATES),
  by: id.nullable(),
  at: z.number().nullable(),
  gate: gate.nullable(),
  /** The due time its assignees were last nagged about (once per due time). */
  naggedFor: z.number().nullable(),
});
export type RunItem = z.output<typeof runItemSchema>;

const runFields = {
  teamId: id,
  number: z.number().int().positive(),
  /** Position in the team's run index. */
  ordinal: z.number().int().nonnegative(),
  kind: boundedText(LIMITS.kind).min(1),
  name: boundedText(LIMITS.name).min(1),
  /** The run's channel: it belongs there (who sees it, where its posts and events go). */
  channelId: id,
  ownerId: id,
  template: z.object({ slug: z.string().max(64), name: boundedText(LIMITS.templateName), version: z.number().int().positive() }),
  status: z.enum(RUN_STATUSES),
  startedAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().nullable(),
  finishOverride: z.object({ by: id, reason: text.min(1) }).nullable(),
  checklists: boundedList(z.object({ title: boundedText(LIMITS.itemTitle), items: boundedList(runItemSchema, LIMITS.itemsPerChecklist) }), LIMITS.checklists),
  statusUpdateMinutes: z.number().int().positive().nullable(),
  /** What happened, newest last; capped (timelineCount says how many there were). */
  timeline: boundedList(z.object({ at: z.number(), by: id, text }), LIMITS.timeline),
  timelineCount: z.number().int().nonnegative(),
  cardPostId: id.nullable(),
  /** The retrospective: its sections from the template, written once the run is finished, then published. */
  retro: z.object({
    sections: boundedList(z.object({ title: boundedText(LIMITS.itemTitle).min(1), text: boundedText(LIMITS.description) }), LIMITS.retroSections),
    publishedAt: z.number().nullable(),
    publishedBy: id.nullable(),
  }),
};

/** Status updates of a run (version 2): its cadence, the last update, a snooze, an open request. */
export const CADENCE_SOURCES = ['template', 'severity', 'set'] as const;
export const updatesSchema = z.object({
  /** Minutes between updates in force now; null: never. With source `severity`, the incident's severity setting (mirrored). */
  cadenceMinutes: z.number().int().positive().max(LIMITS.dueMinutesMax).nullable(),
  source: z.enum(CADENCE_SOURCES),
  lastAt: z.number().nullable(),
  lastBy: id.nullable(),
  /** No reminder before this (`/run snooze`). */
  snoozedUntil: z.number().nullable(),
  /** The reminder slot last posted (one reminder per due time, across nodes). */
  remindedFor: z.number().nullable(),
  /** An open request for an update (`/run request-update`): the owner was asked once for it. */
  requestedAt: z.number().nullable(),
  requestedBy: id.nullable(),
});
export type RunUpdates = z.output<typeof updatesSchema>;

const runV2 = z.object({
  v: z.literal(2),
  ...runFields,
  updates: updatesSchema,
  /** The incident whose runbook this is ("INC-042"): its status updates are the incident's. */
  incident: z.string().max(32).nullable(),
});

/**
 * What a run's team-index entry carries for the runs list (`d`): the summary's inputs, not its
 * checklists' text. The copy before was the whole run without its timeline (a release run 3,084
 * bytes; this copy 1,103), and a status update or a check rewrites the 100-entry chunk holding
 * it; the list shows only this. `copy` marks the shape: an entry written with the whole run reads
 * as missing, so the list opens that run and puts this back (the index's lazy repair).
 */
export const runListCopySchema = z.object({
  copy: z.literal(1),
  teamId: runFields.teamId,
  number: runFields.number,
  kind: runFields.kind,
  name: runFields.name,
  channelId: runFields.channelId,
  ownerId: runFields.ownerId,
  template: runFields.template,
  status: runFields.status,
  startedAt: runFields.startedAt,
  finishedAt: runFields.finishedAt,
  finishOverride: runFields.finishOverride,
  updates: updatesSchema,
  /** The checklists as the progress line counts them (checklist.ts tallyOf). */
  tally: z.object({
    done: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    /** Due times of open items that have one: how many have passed is asked when the list is read. */
    openDue: z.array(z.number()),
    /** The items' gates: which still stand open is asked when the list is read (a deadline passes). */
    gates: z.array(gate),
  }),
});
export type RunListCopy = z.output<typeof runListCopySchema>;
export type Tally = RunListCopy['tally'];

/** The incident reference a version-1 incident runbook carried in its name (attachToIncident named it so). */
const incidentOfName = (kind: string, name: string): string | null => (kind === 'incident' ? (/^(INC-\d{1,9}) /.exec(name)?.[1] ?? null) : null);

const runV1 = z.object({ v: z.literal(1), ...runFields }).transform(
  (r): z.output<typeof runV2> => ({
    ...r,
    v: 2,
    updates: { cadenceMinutes: r.statusUpdateMinutes, source: 'template', lastAt: null, lastBy: null, snoozedUntil: null, remindedFor: null, requestedAt: null, requestedBy: null },
    incident: incidentOfName(r.kind, r.name),
  }),
);

/** Reads both versions (a version-1 run comes back as version 2); writes version 2. */
export const runSchema = z.union([runV2, runV1]);
export type Run = z.output<typeof runV2>;

/** Which run a channel holds (a run's channel is its home; `/run` finds it from there). */
export const channelRunSchema = z.object({ v: z.literal(1), teamId: id, number: z.number().int().positive() });
