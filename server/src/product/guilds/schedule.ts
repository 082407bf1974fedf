/**
 * When a guild next meets: a weekday and a wall-clock time in an IANA zone, every N weeks from
 * an anchor date. Wall-clock arithmetic happens on local calendar days; each candidate day is
 * turned into an instant with the zone's offset *on that day* (from Intl.DateTimeFormat), so a
 * 10:00 Berlin meeting stays at 10:00 local across daylight-saving changes. No date library.
 *
 * Edge cases, as calendars do them: a time that does not exist (spring-forward gap) moves forward
 * by the gap (02:30 → 03:30); a time that happens twice (autumn overlap) means the first one.
 */

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface MeetingSchedule {
  /** 0 = Sunday … 6 = Saturday */
  day: number;
  /** "HH:MM", 24-hour */
  time: string;
  timeZone: string;
  everyWeeks: number;
  /** A meeting day ("YYYY-MM-DD", local) that fixes which weeks are on when everyWeeks > 1. */
  anchorDate: string | null;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical spelling (e.g. "europe/berlin" → "Europe/Berlin"). */
export function canonicalTimeZone(timeZone: string): string {
  return formatter(timeZone).resolvedOptions().timeZone;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(timeZone: string, utcMs: number): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Local wall time minus UTC at that instant, in ms (Berlin summer: +2 h). */
export function zoneOffset(timeZone: string, utcMs: number): number {
  const l = localParts(timeZone, utcMs);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** The instant a local wall-clock time in `timeZone` happens (gap → forward, overlap → first). */
export function localToUtc(timeZone: string, epochDay: number, hour: number, minute: number): number {
  const wall = epochDay * DAY_MS + (hour * 60 + minute) * 60_000;
  // The offsets in force half a day either side cover any single transition on this day.
  const before = zoneOffset(timeZone, wall - DAY_MS / 2);
  const after = zoneOffset(timeZone, wall + DAY_MS / 2);
  const valid = [...new Set([before, after])].map((o) => wall - o).filter((t) => zoneOffset(timeZone, t) === wall - t);
  if (valid.length > 0) return Math.min(...valid);
  return wall - before;
}

/** Days since 1970-01-01 of the local calendar date at `utcMs`. */
export function localEpochDay(timeZone: string, utcMs: number): number {
  const l = localParts(timeZone, utcMs);
  return Math.floor(Date.UTC(l.year, l.month - 1, l.day) / DAY_MS);
}

export const weekdayOf = (epochDay: number): number => (((epochDay + 4) % 7) + 7) % 7;
export const epochDayOf = (isoDate: string): number => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
export const isoDateOf = (epochDay: number): string => new Date(epochDay * DAY_MS).toISOString().slice(0, 10);

export function parseTime(time: string): { hour: number; minute: number } | null {
  const m = /^([01]?\d|2[0-3])[:.h]([0-5]\d)$/.exec(time.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

/** The first meeting strictly after `after` (ms since epoch, UTC). */
export function nextMeeting(s: MeetingSchedule, after: number): number {
  const t = parseTime(s.time);
  if (!t) throw new Error(`bad meeting time ${s.time}`);
  const every = Math.max(1, Math.floor(s.everyWeeks));
  const today = localEpochDay(s.timeZone, after);
  let day = today + ((s.day - weekdayOf(today) + 7) % 7);
  if (every > 1 && s.anchorDate) {
    const anchorRaw = epochDayOf(s.anchorDate);
    const anchor = anchorRaw + ((s.day - weekdayOf(anchorRaw) + 7) % 7);
    const offWeeks = (((day - anchor) / 7) % every + every) % every;
    if (offWeeks !== 0) day += (every - offWeeks) * 7;
  }
  for (;;) {
    const at = localToUtc(s.timeZone, day, t.hour, t.minute);
    if (at > after) return at;
    day += 7 * every;
  }
}

/** The local date of the next occurrence of `day` on or after `from` — the anchor for new schedules. */
export function firstMeetingDate(s: Omit<MeetingSchedule, 'anchorDate' | 'everyWeeks'>, from: number): string {
  return isoDateOf(localEpochDay(s.timeZone, nextMeeting({ ...s, everyWeeks: 1, anchorDate: null }, from)) );
}

/** "Thu 2027-03-18 10:00 Europe/Berlin (09:00 UTC)" */
export function describeMeeting(at: number, timeZone: string): string {
  const l = localParts(timeZone, at);
  const day = WEEKDAYS[weekdayOf(Math.floor(Date.UTC(l.year, l.month - 1, l.day) / DAY_MS))]!;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const utc = new Date(at).toISOString();
  return `${day.slice(0, 1).toUpperCase()}${day.slice(1, 3)} ${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)} ${timeZone} (${utc.slice(11, 16)} UTC)`;
}

export function parseWeekday(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t.length < 2) return null;
  const i = WEEKDAYS.findIndex((d) => d.startsWith(t));
  return i >= 0 ? i : null;
}
