import type { IndexTags } from '../shared/chunked_index';
import { UserError } from '../shared/errors';
import { MILESTONES, type Milestone } from '../contract/incidents';
import { type Incident, LIMITS, type TimelineEntry } from './records';
import { milestoneWords } from './messages';

/**
 * The incident's rules that need no server: how its clock is measured (MTTA/MTTR from the
 * detected milestone), when an update is due, which milestone times make sense, how the timeline
 * grows and what the team index remembers of each incident. Pure functions over the record.
 */

/** Milestones may be set at most this long before the declaration (impact seldom starts earlier). */
export const MILESTONE_LOOKBACK_MS = 30 * 86_400_000;
/** Clocks differ a little between a user's device and the server: this much "future" is now. */
export const CLOCK_SKEW_MS = 60_000;

/** Detection time if known, else declaration: what MTTA and MTTR are measured from. */
export const startOf = (incident: Pick<Incident, 'milestones' | 'declaredAt'>): number => incident.milestones.detected ?? incident.declaredAt;

const minutesBetween = (from: number, to: number | null): number | null =>
  to === null ? null : Math.max(0, Math.round(((to - from) / 60_000) * 10) / 10);

export const mttaMinutes = (i: Pick<Incident, 'milestones' | 'declaredAt'>): number | null => minutesBetween(startOf(i), i.milestones.acknowledged);
export const mttrMinutes = (i: Pick<Incident, 'milestones' | 'declaredAt'>): number | null => minutesBetween(startOf(i), i.milestones.resolved);

/**
 * When the next status update is due: one interval (per severity) after the last update or the
 * declaration; in the past when overdue. null when resolved or the severity has no cadence.
 */
export const nextUpdateDue = (i: Pick<Incident, 'phase' | 'lastUpdate' | 'declaredAt'>, intervalMinutes: number): number | null =>
  i.phase === 'active' && intervalMinutes > 0 ? (i.lastUpdate?.at ?? i.declaredAt) + intervalMinutes * 60_000 : null;

export const openFollowups = (i: Pick<Incident, 'followups'>): number => i.followups.filter((f) => f.doneAt === null).length;

export const needsReview = (i: Incident): boolean => i.phase === 'resolved' && i.review.needed && i.review.reviewedAt === null;

/** Appends a timeline entry to the record (it reaches its chunk through the outbox). */
export function withTimeline(i: Incident, at: number, actorId: string, kind: string, text: string): Incident {
  const entry: TimelineEntry = { seq: i.timelineCount, at, actorId, kind, text: text.slice(0, LIMITS.entry) };
  return { ...i, timelineCount: i.timelineCount + 1, outbox: [...i.outbox, entry], updatedAt: Math.max(i.updatedAt, at) };
}

/**
 * A milestone time must be a real instant, not in the future, and not absurdly long before the
 * declaration (a typo such as `-99999d` would otherwise push the team's MTTR to decades).
 */
export function checkMilestoneTime(name: Milestone, at: number, incident: Pick<Incident, 'declaredAt'>, now: number): void {
  if (!Number.isFinite(at)) throw UserError.badRequest(milestoneWords.notATime(name));
  if (at > now + CLOCK_SKEW_MS) throw UserError.badRequest(milestoneWords.future);
  const earliest = incident.declaredAt - MILESTONE_LOOKBACK_MS;
  if (at < earliest) throw UserError.badRequest(milestoneWords.tooEarly(name, at, earliest));
}

/** detected ≤ acknowledged ≤ mitigated ≤ resolved, for the ones that are set. */
export function checkMilestoneOrder(m: Incident['milestones']): void {
  let previous: { name: Milestone; at: number } | null = null;
  for (const name of MILESTONES) {
    const at = m[name];
    if (at === null) continue;
    if (previous && at < previous.at) throw UserError.badRequest(milestoneWords.outOfOrder(name, at, previous.name, previous.at));
    previous = { name, at };
  }
}

/**
 * The team index's tags for one incident: what lists filter on and metrics count without opening
 * records. Derived from the record after every write; the record stays the truth. There is no
 * privacy tag: who may see an incident is its channel's business, asked live (`ch`).
 */
export function tagsOf(i: Incident): IndexTags {
  return {
    ph: i.phase,
    sev: i.severity,
    ch: i.channelId,
    cmd: i.roles.commander,
    at: i.declaredAt,
    ack: mttaMinutes(i),
    ttr: mttrMinutes(i),
    fu: openFollowups(i),
    rv: needsReview(i),
  };
}
