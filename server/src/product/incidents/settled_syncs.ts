/**
 * What this process's last completed sync of each incident left in the team's sets and metrics
 * summary (store.ts `sync`), so the sync of the incident's next rev can skip reading a set or the
 * summary whose part for it cannot have changed.
 *
 * Every sync reads the active set (~200 KiB at 1,000 active), the follow-ups set and the metrics
 * summary (~75 KiB at 2,000 incidents) so that a copy a crashed sync left stale heals at the next
 * write. A sync that completed (it re-read the record and found no newer rev) left each of them
 * saying what that rev says, or what a newer rev says. The next rev's sync, when nothing the part
 * holds for the incident differs between the two revs, has nothing to write there and nothing to
 * heal, so it skips the read. Only the rev right after the settled one qualifies: any rev in
 * between was written and synced elsewhere, perhaps with different parts. A sync that fails or is
 * cut short leaves no mark, so the next write reads everything again.
 *
 * Kept in memory, never in the KV store: a mark says what this process saw complete, which no
 * other node can vouch for. A node's late write of an older rev's part (another node's sync still
 * running) is put right by that node's own next round, as before; only that node crashing in
 * between now waits for the incident's next write that changes the part, not its next write.
 */
import { isOpen, needsReview, openFollowups, tagsOf } from './lifecycle';
import type { Incident } from './records';
import { metricsRowOf } from './metrics_rows';
import { owersOf } from './team_sets';

/**
 * One incident's part of each derived record, as a comparable string; null where every rev
 * writes it (a member that keeps a snapshot of the record: the active set's head, every review
 * and follow-ups member).
 */
export interface DerivedParts {
  readonly active: string | null;
  readonly review: string | null;
  readonly followups: string | null;
  readonly metrics: string;
}

/** The parts `incident` has, its active member past the set's head (`activeTail`) or in it. */
export function derivedParts(incident: Incident, activeTail: boolean): DerivedParts {
  return {
    // A tail member is its channel and owers (and a rev nothing compares while they stand).
    active: !isOpen(incident.phase) ? 'out' : activeTail ? `tail ${incident.channelId} ${owersOf(incident).join(',')}` : null,
    review: needsReview(incident) ? null : 'out',
    followups: openFollowups(incident) > 0 ? null : 'out',
    metrics: JSON.stringify(metricsRowOf(incident.number, tagsOf(incident))),
  };
}

/** Which parts the sync of `incident` may skip, given what the sync of the rev before it left. */
export function unchangedParts(settled: DerivedParts | null, incident: Incident): { [K in keyof DerivedParts]: boolean } {
  // Assume the member stays in the tail: only a newer member leaving moves it into the head, and
  // a head member without a snapshot is read from its record and re-synced by its first reader.
  const now = derivedParts(incident, true);
  const same = (k: keyof DerivedParts): boolean => settled !== null && settled[k] !== null && settled[k] === now[k];
  return { active: same('active'), review: same('review'), followups: same('followups'), metrics: same('metrics') };
}

/** A mark per incident of the rev whose sync completed here and the parts it left; the oldest go past `limit`. */
export class SettledSyncs {
  private readonly marks = new Map<string, { rev: number; parts: DerivedParts }>();
  constructor(private readonly limit = 4096) {}

  /** The parts the sync of the rev right before `incident`'s left, or null. */
  before(incident: Incident): DerivedParts | null {
    const mark = this.marks.get(incident.id);
    return mark && mark.rev === incident.rev - 1 ? mark.parts : null;
  }

  /** Records a completed sync; an older rev's completing late never replaces a newer one's mark. */
  settled(incident: Incident, parts: DerivedParts): void {
    const held = this.marks.get(incident.id);
    if (held && held.rev > incident.rev) return;
    this.marks.delete(incident.id);
    this.marks.set(incident.id, { rev: incident.rev, parts });
    if (this.marks.size > this.limit) this.marks.delete(this.marks.keys().next().value!);
  }

  forget(id: string): void {
    this.marks.delete(id);
  }
}
