/**
 * When a guild meets: a weekday and a wall-clock time in an IANA zone, every N weeks from an
 * anchor date. Wall-clock arithmetic happens on local calendar days and each candidate day becomes
 * an instant through the product's one time-zone module (shared/time/zone.ts), so a 10:00 Berlin
 * meeting stays at 10:00 local across daylight-saving changes, with its one DST policy (a time in
 * the spring-forward gap moves forward, a time that happens twice means the first).
 */
import { WEEKDAYS } from '../contract/guilds';
import { DAY_MS, epochDayOf, isoDateOf, localEpochDay, localToUtc, parseClock, wallTime, weekdayOf } from '../shared/time/zone';

export { WEEKDAYS };

export interface MeetingSchedule {
  /** 0 = Sunday … 6 = Saturday */
  day: number;
  /** "HH:MM", 24-hour */
  time: string;
  timeZone: string;
  everyWeeks: number;
  /** The first meeting day ("YYYY-MM-DD", local) of this schedule; fixes which weeks are on. */
  anchorDate: string | null;
  /** Meeting days ("YYYY-MM-DD", local) called off for this guild alone (`/guild skip`). */
  skips?: readonly string[];
  /** The team's holidays ("YYYY-MM-DD", local) as last copied onto the guild: no meeting on them. */
  holidays?: readonly string[];
}

/** Whether the local day is called off (skipped or a team holiday). */
export function isCalledOff(s: Pick<MeetingSchedule, 'skips' | 'holidays'>, epochDay: number): boolean {
  if (!s.skips?.length && !s.holidays?.length) return false;
  const date = isoDateOf(epochDay);
  return (s.skips?.includes(date) ?? false) || (s.holidays?.includes(date) ?? false);
}

/** The meeting of one regular slot, whether or not it is called off (the calendar's EXDATE needs those). */
export function slotAfter(s: MeetingSchedule, after: number): number {
  return nextMeeting({ ...s, skips: [], holidays: [] }, after);
}

function clockOf(s: Pick<MeetingSchedule, 'time'>): { hour: number; minute: number } {
  const t = parseClock(s.time);
  if (!t) throw new Error(`bad meeting time ${s.time}`);
  return t;
}

/** The regular slot on the local day `date` ("YYYY-MM-DD"), or null when the schedule has none that day. */
export function slotOn(s: MeetingSchedule, date: string): number | null {
  const day = epochDayOf(date);
  const slot = slotAfter(s, localToUtc(s.timeZone, day, 0, 0) - 1);
  return localEpochDay(s.timeZone, slot) === day ? slot : null;
}

/** The first meeting strictly after `after` (ms since epoch, UTC), passing over called-off days. */
export function nextMeeting(s: MeetingSchedule, after: number): number {
  const t = clockOf(s);
  const every = Math.max(1, Math.floor(s.everyWeeks));
  const today = localEpochDay(s.timeZone, after);
  let day = today + ((s.day - weekdayOf(today) + 7) % 7);
  if (every > 1 && s.anchorDate) {
    const anchorRaw = epochDayOf(s.anchorDate);
    const anchor = anchorRaw + ((s.day - weekdayOf(anchorRaw) + 7) % 7);
    const offWeeks = ((((day - anchor) / 7) % every) + every) % every;
    if (offWeeks !== 0) day += (every - offWeeks) * 7;
  }
  // Called-off days are bounded (LIMITS.skips + LIMITS.holidays), so this ends within that many periods.
  for (;;) {
    const at = localToUtc(s.timeZone, day, t.hour, t.minute);
    if (at > after && !isCalledOff(s, day)) return at;
    day += 7 * every;
  }
}

/** Where the schedule starts: the beginning of its anchor day (meetings before it are not its own). */
export function scheduleStart(s: MeetingSchedule): number {
  return s.anchorDate ? localToUtc(s.timeZone, epochDayOf(s.anchorDate), 0, 0) : Number.NEGATIVE_INFINITY;
}

/** The latest meeting at or before `atOrBefore`, or null when the schedule had not started by then. */
export function previousMeeting(s: MeetingSchedule, atOrBefore: number): number | null {
  // One period and two days back is always before the previous slot, whatever DST did; each
  // called-off day before it pushes the previous meeting one period further back.
  const calledOff = (s.skips?.length ?? 0) + (s.holidays?.length ?? 0);
  const period = Math.max(1, Math.floor(s.everyWeeks)) * 7 * DAY_MS * (1 + calledOff);
  let found: number | null = null;
  for (let at = nextMeeting(s, atOrBefore - period - 2 * DAY_MS); at <= atOrBefore; at = nextMeeting(s, at)) found = at;
  return found !== null && found >= scheduleStart(s) ? found : null;
}

/** The local date of the next occurrence of `day` after `from`: the anchor for a new schedule (a called-off day still fixes the weeks). */
export function firstMeetingDate(s: Omit<MeetingSchedule, 'anchorDate' | 'everyWeeks' | 'skips' | 'holidays'>, from: number): string {
  return isoDateOf(localEpochDay(s.timeZone, slotAfter({ ...s, everyWeeks: 1, anchorDate: null }, from)));
}

/** "Thu 2027-03-18 10:00 Europe/Berlin (09:00 UTC)"; just "… 10:00 UTC" when the zone is UTC. */
export function describeMeeting(at: number, timeZone: string): string {
  const l = wallTime(timeZone, at);
  const day = WEEKDAYS[weekdayOf(Math.floor(Date.UTC(l.year, l.month - 1, l.day) / DAY_MS))]!;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const local = `${day.slice(0, 1).toUpperCase()}${day.slice(1, 3)} ${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)} ${timeZone}`;
  return timeZone === 'UTC' ? local : `${local} (${new Date(at).toISOString().slice(11, 16)} UTC)`;
}

/** "mon", "Monday", "thu", "Weds" → 1, 1, 4, 3; two letters at least (and the plural "Mondays"). */
export function parseWeekday(text: string): number | null {
  let t = text.trim().toLowerCase();
  if (t === 'weds') t = 'wed';
  if (t.length > 6 && t.endsWith('s')) t = t.slice(0, -1);
  if (t.length < 2) return null;
  const i = WEEKDAYS.findIndex((d) => d.startsWith(t));
  return i >= 0 ? i : null;
}
