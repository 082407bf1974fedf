/**
 * The one status-update cadence, for incidents and every other run: an update is due one cadence
 * after the last one (or the start), never before a snooze ends; "never" (null) has no due time.
 * While none comes, the owner is reminded at the due time and then once per cadence: each of
 * those reminder slots is a due time of its own, reminded exactly once.
 */

export interface CadenceState {
  /** The last status update, or null when none yet. */
  readonly lastAt: number | null;
  /** When the clock started (the run started, the incident was declared). */
  readonly startedAt: number;
  /** Minutes between updates; null (or 0): never. */
  readonly cadenceMinutes: number | null;
  readonly snoozedUntil: number | null;
}

const MINUTE = 60_000;

/** When the next update is due; in the past when overdue; null when the cadence is "never". */
export function nextUpdateDue(s: CadenceState): number | null {
  if (s.cadenceMinutes === null || s.cadenceMinutes <= 0) return null;
  const due = (s.lastAt ?? s.startedAt) + s.cadenceMinutes * MINUTE;
  return s.snoozedUntil !== null && s.snoozedUntil > due ? s.snoozedUntil : due;
}

/**
 * The next reminder slot: the due time, or, once that slot was reminded (`remindedFor`), one
 * cadence after the last slot reminded — so a missed update is nudged again, once per cadence.
 */
export function nextReminder(s: CadenceState & { readonly remindedFor: number | null }): number | null {
  const due = nextUpdateDue(s);
  if (due === null) return null;
  if (s.remindedFor === null || s.remindedFor < due) return due;
  const after = s.remindedFor + s.cadenceMinutes! * MINUTE;
  return s.snoozedUntil !== null && s.snoozedUntil > after ? s.snoozedUntil : after;
}
