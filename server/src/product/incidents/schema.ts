import { z } from 'zod';

/** Versioned records of the incidents feature (see store.ts for where each one lives). */

export const SEVERITIES = [1, 2, 3, 4] as const;
export const severitySchema = z.number().int().min(1).max(4);
export type Severity = 1 | 2 | 3 | 4;

export const ROLES = ['commander', 'scribe', 'comms'] as const;
export type RoleName = (typeof ROLES)[number];

/** Lifecycle timestamps (FireHydrant-style) that drive MTTA/MTTR; set by hand or automatically. */
export const MILESTONES = ['detected', 'acknowledged', 'mitigated', 'resolved'] as const;
export type MilestoneName = (typeof MILESTONES)[number];

/**
 * pending: number reserved, channel being set up (never listed, finished or removed by the setup
 * job); active: being worked on; resolved: closed, possibly awaiting review.
 */
export const PHASES = ['pending', 'active', 'resolved'] as const;
export type Phase = (typeof PHASES)[number];

export const LIMITS = {
  title: 200,
  summary: 4000,
  text: 4000,
  type: 64,
  followups: 200,
  followers: 500,
  outbox: 200,
} as const;

export const timelineEntrySchema = z.object({
  seq: z.number().int().nonnegative(),
  at: z.number(),
  actorId: z.string(),
  /** declared, status, severity, role, note, milestone, follow, resolved, reopened, followup, reviewed, … */
  kind: z.string().min(1).max(32),
  text: z.string().max(LIMITS.text + 200),
});
export type TimelineEntry = z.output<typeof timelineEntrySchema>;

export const followupSchema = z.object({
  /** 1-based, stable: what `/incident followup done <n>` refers to. */
  n: z.number().int().positive(),
  text: z.string().min(1).max(LIMITS.text),
  ownerId: z.string().nullable(),
  /** YYYY-MM-DD */
  due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  createdAt: z.number(),
  createdBy: z.string(),
  doneAt: z.number().nullable(),
  doneBy: z.string().nullable(),
});
export type Followup = z.output<typeof followupSchema>;

const stamp = z.object({ at: z.number(), by: z.string() });

export const incidentSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1),
  teamId: z.string().min(1),
  /** INC-<number>, sequential per team (the team index's ordinal + 1). */
  number: z.number().int().positive(),
  /** Bumped by every write: lets derived data (index tags, sets) tell old from new. */
  rev: z.number().int().nonnegative(),
  phase: z.enum(PHASES),
  title: z.string().min(1).max(LIMITS.title),
  summary: z.string().max(LIMITS.summary),
  type: z.string().max(LIMITS.type),
  severity: severitySchema,
  private: z.boolean(),
  channelId: z.string(),
  /** The name being tried or used; lets an interrupted setup find the channel it created. */
  channelName: z.string(),
  cardPostId: z.string(),
  /** Setup steps done; a pending incident resumes from the first one not done. */
  setup: z.object({
    /** People to add besides the severity's responders (declarer, named commander, invitees). */
    invitees: z.array(z.string()),
    membersAdded: z.boolean(),
    announced: z.boolean(),
    startedAt: z.number(),
  }),
  declaredBy: z.string(),
  declaredAt: z.number(),
  updatedAt: z.number(),
  roles: z.object({ commander: z.string(), scribe: z.string().nullable(), comms: z.string().nullable() }),
  milestones: z.object({
    detected: z.number().nullable(),
    acknowledged: z.number().nullable(),
    mitigated: z.number().nullable(),
    resolved: z.number().nullable(),
  }),
  lastUpdate: z.object({ text: z.string().max(LIMITS.text), at: z.number(), by: z.string() }).nullable(),
  resolution: stamp.extend({ summary: z.string().max(LIMITS.summary) }).nullable(),
  followers: z.array(z.string()).max(LIMITS.followers),
  followups: z.array(followupSchema).max(LIMITS.followups),
  review: z.object({ needed: z.boolean(), reviewedAt: z.number().nullable() }),
  /** Timeline entries ever written (the next entry's seq). */
  timelineCount: z.number().int().nonnegative(),
  /**
   * Entries written with the record in the same compare-and-set and not yet copied to their
   * timeline chunk: a crash between the two writes loses nothing (the next write copies them).
   */
  outbox: z.array(timelineEntrySchema).max(LIMITS.outbox),
});
export type Incident = z.output<typeof incidentSchema>;

/** The record as clients see it (no setup internals). */
export interface IncidentView {
  id: string;
  teamId: string;
  number: number;
  reference: string;
  phase: Phase;
  title: string;
  summary: string;
  type: string;
  severity: number;
  severityLabel: string;
  private: boolean;
  channelId: string;
  channelName: string;
  declaredBy: string;
  declaredAt: number;
  updatedAt: number;
  roles: Incident['roles'];
  milestones: Incident['milestones'];
  lastUpdate: Incident['lastUpdate'];
  resolution: Incident['resolution'];
  followers: string[];
  followups: Followup[];
  openFollowups: number;
  review: Incident['review'];
  mttaMinutes: number | null;
  mttrMinutes: number | null;
  nextUpdateDueAt: number | null;
}

export const reference = (number: number): string => `INC-${String(number).padStart(3, '0')}`;

/** Detection time if known, else declaration: what MTTA and MTTR are measured from. */
export const startOf = (incident: Pick<Incident, 'milestones' | 'declaredAt'>): number =>
  incident.milestones.detected ?? incident.declaredAt;

const minutesBetween = (from: number, to: number | null): number | null =>
  to === null ? null : Math.max(0, Math.round(((to - from) / 60_000) * 10) / 10);

export const mttaMinutes = (i: Pick<Incident, 'milestones' | 'declaredAt'>): number | null =>
  minutesBetween(startOf(i), i.milestones.acknowledged);
export const mttrMinutes = (i: Pick<Incident, 'milestones' | 'declaredAt'>): number | null =>
  minutesBetween(startOf(i), i.milestones.resolved);

/**
 * When the next status update is due: one interval (per severity) after the last update or the
 * declaration; in the past when overdue. null when resolved or the severity has no cadence.
 */
export const nextUpdateDue = (i: Pick<Incident, 'phase' | 'lastUpdate' | 'declaredAt'>, intervalMinutes: number): number | null =>
  i.phase === 'active' && intervalMinutes > 0 ? (i.lastUpdate?.at ?? i.declaredAt) + intervalMinutes * 60_000 : null;

export const openFollowups = (i: Pick<Incident, 'followups'>): number => i.followups.filter((f) => f.doneAt === null).length;
