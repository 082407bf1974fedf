import type { IndexTags } from '../shared/chunked_index';
import { UserError } from '../shared/errors';
import { nextUpdateDue as cadenceDue } from '../shared/time/cadence';
import { MILESTONES, type Milestone } from '../contract/incidents';
import { type Incident, LIMITS, type TimelineEntry } from './records';
import { milestoneWords, summaryLine } from './messages';

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
 * When the next status update is due: one interval (per severity, or its runbook's cadence) after
 * the last update or the declaration, not before a snooze ends; in the past when overdue. null
 * when resolved or there is no cadence. The one cadence rule (shared/time/cadence.ts).
 */
export const nextUpdateDue = (i: Pick<Incident, 'phase' | 'lastUpdate' | 'declaredAt'>, intervalMinutes: number | null, snoozedUntil: number | null = null): number | null =>
  i.phase === 'active' ? cadenceDue({ lastAt: i.lastUpdate?.at ?? null, startedAt: i.declaredAt, cadenceMinutes: intervalMinutes, snoozedUntil }) : null;

/** Open incidents: active ones, and those opened from alerts still in triage (both listed as active). */
export const isOpen = (phase: Incident['phase']): boolean => phase === 'active' || phase === 'triage';

export const openFollowups = (i: Pick<Incident, 'followups'>): number => i.followups.filter((f) => f.doneAt === null).length;

export const needsReview = (i: Incident): boolean => i.phase === 'resolved' && i.review.needed && i.review.reviewedAt === null;

/**
 * Resolved now or at some time before: every resolve records itself in `resolutions`, and a reopen
 * keeps them. Only such an incident can ever have been awaiting review.
 */
export const everResolved = (i: Pick<Incident, 'phase' | 'resolution' | 'resolutions'>): boolean =>
  i.phase === 'resolved' || i.resolution !== null || i.resolutions.length > 0;

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

/**
 * detected ≤ acknowledged ≤ mitigated ≤ resolved, for the ones that are set. With `changed` (the
 * milestone just set), the refusal names that one and the milestone it clashes with, and says how
 * to correct the other one: a milestone set earlier (by hand or implied by the first status
 * update) must never block a correction without saying so.
 */
export function checkMilestoneOrder(m: Incident['milestones'], changed?: Milestone): void {
  const set = MILESTONES.filter((name) => m[name] !== null);
  if (changed !== undefined && m[changed] !== null) {
    const at = m[changed];
    const position = MILESTONES.indexOf(changed);
    // The nearest clash first: setting mitigated too early names acknowledged before detected.
    const byDistance = [...set].sort((x, y) => Math.abs(MILESTONES.indexOf(x) - position) - Math.abs(MILESTONES.indexOf(y) - position));
    for (const other of byDistance) {
      const otherAt = m[other]!;
      const before = MILESTONES.indexOf(other) < position;
      if (other !== changed && (before ? otherAt > at : otherAt < at)) {
        throw UserError.badRequest(milestoneWords.clash(changed, at, other, otherAt, before ? 'before' : 'after'));
      }
    }
    // Only the changed one is judged: an older record already out of order elsewhere stays correctable, one milestone at a time.
    return;
  }
  for (let k = 1; k < set.length; k++) {
    const [previous, name] = [set[k - 1]!, set[k]!];
    if (m[name]! < m[previous]!) throw UserError.badRequest(milestoneWords.outOfOrder(name, m[name]!, previous, m[previous]!));
  }
}

/** One resolve as the record keeps it. */
export type ResolutionStamp = Incident['resolutions'][number];

/**
 * The summaries of every resolve in one text, within the summary limit: a single summary as typed;
 * several as dated lines, oldest first (the oldest give way first when they no longer fit).
 */
export function accumulatedSummary(history: readonly ResolutionStamp[]): string {
  const given = history.filter((r) => r.summary.trim() !== '');
  if (given.length <= 1) return given[0]?.summary ?? '';
  const lines = given.map((r) => summaryLine(r.at, r.summary));
  while (lines.length > 1 && lines.join('\n').length > LIMITS.summary) lines.shift();
  return lines.join('\n').slice(0, LIMITS.summary);
}

/**
 * Resolving appends to the history; a record written before the history existed starts it from
 * its last resolution, so the summary it carries is not lost by the next resolve.
 */
export function historyOf(i: Pick<Incident, 'resolutions' | 'resolution'>): ResolutionStamp[] {
  if (i.resolutions.length > 0) return [...i.resolutions];
  return i.resolution ? [{ at: i.resolution.at, by: i.resolution.by, summary: i.resolution.summary }] : [];
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
