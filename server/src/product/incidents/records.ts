import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { INCIDENT_LIMITS, PHASES, SEVERITIES } from '../contract/incidents';

/**
 * The incidents feature's stored records (see store.ts for where each one lives). Every string
 * and list has a limit here, so a record written by an old version or by hand cannot grow past
 * what the commands and routes accept.
 */

export type { Milestone, Phase, RoleName, Severity } from '../contract/incidents';

export const LIMITS = {
  ...INCIDENT_LIMITS,
  /** Timeline entry text: a note plus the actor and wording around it. */
  entry: INCIDENT_LIMITS.text + 200,
  followers: 500,
  /** Timeline entries waiting in the record for their chunk (flushed by tens). */
  outbox: 200,
  /** People added at declaration besides responders: declarer, commander and the invitees. */
  setupInvitees: INCIDENT_LIMITS.invitees + 2,
  /** Resolves remembered (resolve → reopen → resolve …); the oldest go first beyond this. */
  resolutions: 50,
  /** Status-page components one incident may name, and a component slug's length. */
  components: 10,
  component: 40,
  publicStatus: 1000,
} as const;

const id = z.string().max(64);
const severity = z.literal(SEVERITIES);

export const timelineEntrySchema = z.object({
  seq: z.number().int().nonnegative(),
  at: z.number(),
  actorId: id,
  /** declared, status, severity, role, note, milestone, follow, resolved, reopened, followup, reviewed, … */
  kind: z.string().min(1).max(32),
  text: z.string().max(LIMITS.entry),
});
export type TimelineEntry = z.output<typeof timelineEntrySchema>;

export const followupSchema = z.object({
  /** 1-based, stable: what `/incident followup done <n>` refers to. */
  n: z.number().int().positive(),
  text: z.string().min(1).max(LIMITS.text),
  ownerId: id.nullable(),
  /** YYYY-MM-DD */
  due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  createdAt: z.number(),
  createdBy: id,
  doneAt: z.number().nullable(),
  doneBy: id.nullable(),
});
export type Followup = z.output<typeof followupSchema>;

const stamp = z.object({ at: z.number(), by: id });
const milestoneStamps = z.object({
  detected: z.number().nullable(),
  acknowledged: z.number().nullable(),
  mitigated: z.number().nullable(),
  resolved: z.number().nullable(),
});

export const incidentSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  teamId: z.string().min(1).max(64),
  /** INC-<number>, sequential per team (the team index's ordinal + 1). */
  number: z.number().int().positive(),
  /** Bumped by every write: lets derived data (index tags, sets) tell old from new. */
  rev: z.number().int().nonnegative(),
  phase: z.enum(PHASES),
  title: z.string().min(1).max(LIMITS.title),
  summary: z.string().max(LIMITS.summary),
  type: z.string().max(LIMITS.type),
  severity,
  /**
   * The channel type asked for at declaration, used only to create the channel. Who sees the
   * incident, where its events go and what the feed hears always follow the channel's type *now*
   * (policy.ts, views.ts); never read this for that.
   */
  private: z.boolean(),
  channelId: z.string().max(64),
  /** The name being tried or used; lets an interrupted setup find the channel it created. */
  channelName: z.string().max(64),
  cardPostId: z.string().max(64),
  /** Setup steps done; a pending incident resumes from the first one not done. */
  setup: z.object({
    /** People to add besides the severity's responders (declarer, named commander, invitees). */
    invitees: z.array(id).max(LIMITS.setupInvitees),
    membersAdded: z.boolean(),
    announced: z.boolean(),
    startedAt: z.number(),
    /** The phase the finished setup enters: `triage` for an incident opened from alerts. */
    startPhase: z.enum(['active', 'triage']).default('active'),
  }),
  declaredBy: id,
  declaredAt: z.number(),
  updatedAt: z.number(),
  roles: z.object({ commander: id, scribe: id.nullable(), comms: id.nullable() }),
  milestones: milestoneStamps,
  lastUpdate: stamp.extend({ text: z.string().max(LIMITS.text) }).nullable(),
  /**
   * The current resolution (null while active): when and by whom it was last resolved, and the
   * summaries of every resolve so far in one text (lifecycle.ts `accumulatedSummary`).
   */
  resolution: stamp.extend({ summary: z.string().max(LIMITS.summary) }).nullable(),
  /** Every resolve with the summary typed then, oldest first; kept across reopens. Records from before it read as []. */
  resolutions: z.array(stamp.extend({ summary: z.string().max(LIMITS.summary) })).max(LIMITS.resolutions).default([]),
  followers: z.array(id).max(LIMITS.followers),
  followups: z.array(followupSchema).max(LIMITS.followups),
  review: z.object({ needed: z.boolean(), reviewedAt: z.number().nullable() }),
  /** Timeline entries ever written (the next entry's seq). */
  timelineCount: z.number().int().nonnegative(),
  /**
   * Entries written with the record in the same compare-and-set and not yet copied to their
   * timeline chunk: a crash between the two writes loses nothing (the next write copies them).
   */
  outbox: z.array(timelineEntrySchema).max(LIMITS.outbox),
  /** Status-page components this incident affects (slugs; `/incident component`). Records from before it read as []. */
  components: z.array(z.string().min(1).max(LIMITS.component)).max(LIMITS.components).default([]),
  /**
   * Shown on the team's public status page (behind its secret link) with `publicStatus` only —
   * never the title or updates. Set by the commander (`/incident public`). Older records: not shown.
   */
  customerFacing: z.boolean().default(false),
  publicStatus: z.string().max(LIMITS.publicStatus).default(''),
});
export type Incident = z.output<typeof incidentSchema>;

/** A new incident id, shaped like Mattermost's ids (26 lower-case base32 characters). */
export function newIncidentId(): string {
  const alphabet = 'abcdefghijkmnopqrstuwxyz13456789';
  return [...randomBytes(26)].map((b) => alphabet[b % 32]).join('');
}
