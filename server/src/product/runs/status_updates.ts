/**
 * Status updates of a run, as rules over the record (no server): the cadence in force, when the
 * next update and the next reminder are due (shared/time/cadence.ts, the one rule incidents use
 * too), and each change — an update, a new cadence, a snooze, a request — as a step that
 * returns the new run with its timeline line, or SAME. The use cases are in status_service.ts.
 */
import type { RunSnooze } from '../contract/runs';
import { UserError } from '../shared/errors';
import type { IncidentCadenceFacts } from '../shared/ports';
import { nextReminder, nextUpdateDue } from '../shared/time/cadence';
import { durationMs } from '../shared/time/duration';
import { localEpochDay, localToUtc } from '../shared/time/zone';
import { note, SAME, type Step } from './checklist';
import { STATUS } from './messages';
import { LIMITS, type Run } from './records';

const MINUTE = 60_000;
/** "Until tomorrow" ends at this local time on the snoozer's next day. */
export const MORNING = { hour: 9, minute: 0 } as const;
/** However many ask, the owner is asked once in this window (or until an update comes). */
export const REQUEST_WINDOW_MS = 60 * MINUTE;

/** A run's status-update refusals, worded by the service. */
export class StatusRefusal extends Error {
  override readonly name = 'StatusRefusal';
  constructor(readonly code: 'finished' | 'notIncident' | 'never') {
    super(code);
  }
}

/** What a run's update clock reads (a run or its list copy). */
type Clock = Pick<Run, 'updates' | 'startedAt' | 'status'>;

/** What the cadence rule reads from a run; a finished run expects nothing. */
const stateOf = (run: Clock) => ({
  lastAt: run.updates.lastAt,
  startedAt: run.startedAt,
  cadenceMinutes: run.status === 'active' ? run.updates.cadenceMinutes : null,
  snoozedUntil: run.updates.snoozedUntil,
  remindedFor: run.updates.remindedFor,
});

export const nextUpdateDueOf = (run: Clock): number | null => nextUpdateDue(stateOf(run));
export const nextReminderOf = (run: Clock): number | null => nextReminder(stateOf(run));
/** The snooze still in force, if any. */
export const snoozedUntilOf = (run: Pick<Run, 'updates'>, now: number): number | null => (run.updates.snoozedUntil !== null && run.updates.snoozedUntil > now ? run.updates.snoozedUntil : null);

const active = (run: Run): void => {
  if (run.status !== 'active') throw new StatusRefusal('finished');
};

/** An update: the clock starts again, and a snooze or an open request is over. */
export function postUpdate(run: Run, by: string, now: number, line: string): Run {
  active(run);
  return { ...note(run, by, line, now), updates: { ...run.updates, lastAt: now, lastBy: by, snoozedUntil: null, requestedAt: null, requestedBy: null } };
}

/** A cadence typed by a person: a number of minutes, null (never), or `severity` (an incident's setting). */
export type CadenceChoice = { readonly minutes: number | null } | 'severity';

/** "30m", "2 hours", "1d", "never" / "none" / "off", "severity". */
export function parseCadence(typed: string): CadenceChoice {
  const t = typed.trim().toLowerCase();
  if (t === 'never' || t === 'none' || t === 'off') return { minutes: null };
  if (t === 'severity') return 'severity';
  const ms = durationMs(t);
  const minutes = ms === null ? 0 : Math.round(ms / MINUTE);
  if (minutes < 1 || minutes > LIMITS.dueMinutesMax) throw UserError.badRequest(STATUS.badCadence);
  return { minutes };
}

/**
 * A new cadence: minutes, never, or (an incident's runbook only) the severity setting, whose
 * minutes the incident mirrors in when it re-times its reminder (followIncident).
 */
export function setCadence(run: Run, choice: CadenceChoice, by: string, now: number, line: string): Step {
  active(run);
  if (choice === 'severity') {
    if (run.incident === null) throw new StatusRefusal('notIncident');
    if (run.updates.source === 'severity') return SAME;
    return { ...note(run, by, line, now), updates: { ...run.updates, source: 'severity' } };
  }
  if (run.updates.cadenceMinutes === choice.minutes && run.updates.source === 'set') return SAME;
  return { ...note(run, by, line, now), updates: { ...run.updates, cadenceMinutes: choice.minutes, source: 'set' } };
}

/** Until when a snooze holds: 1 h or 4 h from now, or the snoozer's next local morning. */
export function snoozeUntil(choice: RunSnooze, now: number, timeZone: string): number {
  if (choice === '1h') return now + 60 * MINUTE;
  if (choice === '4h') return now + 240 * MINUTE;
  return localToUtc(timeZone, localEpochDay(timeZone, now) + 1, MORNING.hour, MORNING.minute);
}

/** A snooze (null ends one). A run that expects no updates has nothing to snooze. */
export function snooze(run: Run, until: number | null, by: string, now: number, line: string): Step {
  active(run);
  if (run.updates.cadenceMinutes === null && until !== null) throw new StatusRefusal('never');
  const current = snoozedUntilOf(run, now);
  if (current === until) return SAME;
  return { ...note(run, by, line, now), updates: { ...run.updates, snoozedUntil: until } };
}

/** The request still open: asked since the last update, within the window. */
export function openRequest(run: Run, now: number): { at: number; by: string } | null {
  const { requestedAt, requestedBy, lastAt } = run.updates;
  if (requestedAt === null || requestedBy === null) return null;
  if (lastAt !== null && lastAt >= requestedAt) return null;
  return now - requestedAt < REQUEST_WINDOW_MS ? { at: requestedAt, by: requestedBy } : null;
}

/** A request for an update: recorded once per window (SAME when one is open: the owner was asked already). */
export function request(run: Run, by: string, now: number, line: string): Step {
  active(run);
  if (openRequest(run, now)) return SAME;
  return { ...note(run, by, line, now), updates: { ...run.updates, requestedAt: now, requestedBy: by } };
}

/** The reminder for this slot was posted: the next one is one cadence later (nextReminder). */
export function reminded(run: Run, slot: number): Step {
  if (nextReminderOf(run) !== slot) return SAME;
  return { ...run, updates: { ...run.updates, remindedFor: slot } };
}

/**
 * An incident's runbook follows its incident: a newer status update of the incident is the run's
 * last update (on its timeline), and a runbook following the severity mirrors that setting.
 */
export function followIncident(run: Run, facts: IncidentCadenceFacts, line: string, now: number): Step {
  let next: Run = run;
  const last = facts.lastUpdate;
  if (last && (run.updates.lastAt === null || last.at > run.updates.lastAt)) {
    const noted = note(next, last.by, line, now);
    next = { ...noted, updates: { ...next.updates, lastAt: last.at, lastBy: last.by, snoozedUntil: null, requestedAt: null, requestedBy: null } };
  }
  const severity = facts.severityMinutes > 0 ? facts.severityMinutes : null;
  if (next.updates.source === 'severity' && next.updates.cadenceMinutes !== severity) next = { ...next, updates: { ...next.updates, cadenceMinutes: severity } };
  return next === run ? SAME : next;
}

/** The card's status-update line. */
export const cardLine = (run: Run, now: number): string =>
  run.status === 'active' ? STATUS.cardLine(run.updates.cadenceMinutes, nextUpdateDueOf(run), snoozedUntilOf(run, now), now) : '';
