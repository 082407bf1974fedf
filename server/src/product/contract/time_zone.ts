/**
 * The core of the product's one time-zone module (server/src/product/shared/time/zone.ts), here so
 * that the webapp reads and writes wall-clock times by the same rules: wall clock ↔ UTC in IANA
 * zones with Intl only (no date library), and one daylight-saving policy, as calendars have it: a
 * wall time that does not exist (spring-forward gap) moves forward by the gap (02:30 → 03:30); one
 * that happens twice (autumn overlap) means the first.
 *
 * Formatters are cached by canonical zone name only (about 430 zones exist), never by what a user
 * typed: `EuRoPe/BeRlIn` and `europe/berlin` share one entry, and failed lookups are not cached.
 */

export const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function build(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** The zone's formatter; throws RangeError for a zone Intl does not know. */
export function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  const made = build(timeZone);
  const canonical = made.resolvedOptions().timeZone;
  const shared = formatters.get(canonical) ?? made;
  formatters.set(canonical, shared);
  return shared;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const HOUR_MS = 3_600_000;

/**
 * The offset in force through each hour of UTC time, by zone and hour (null: it changes within
 * that hour). Intl's formatToParts costs ~10 µs, and a page of 50 guild schedules asked it ~700
 * times (~7 ms); an hour's offset is two of those calls, once. An offset is taken to hold through
 * the hour when it is the same at both ends: no zone changes its offset and back within one hour.
 * Emptied when full rather than kept least-recently-used: pages touch a few hundred hours at most.
 */
const hourOffsets = new Map<string, Map<number, number | null>>();
let hoursKept = 0;
const HOURS_KEPT = 8192;

/** What a wall clock in the zone shows at the instant. */
export function wallTime(timeZone: string, utcMs: number): WallTime {
  if (!(utcMs >= 0)) return formattedWallTime(timeZone, utcMs);
  const hour = Math.floor(utcMs / HOUR_MS);
  let offset = hourOffsets.get(timeZone)?.get(hour);
  if (offset === undefined) {
    const start = hour * HOUR_MS;
    const atStart = offsetAt(timeZone, start);
    offset = atStart === offsetAt(timeZone, start + HOUR_MS) ? atStart : null;
    if (++hoursKept > HOURS_KEPT) {
      hourOffsets.clear();
      hoursKept = 1;
    }
    const zone = hourOffsets.get(timeZone);
    if (zone) zone.set(hour, offset);
    else hourOffsets.set(timeZone, new Map([[hour, offset]]));
  }
  if (offset === null) return formattedWallTime(timeZone, utcMs);
  const wall = new Date(Math.floor(utcMs / 1000) * 1000 + offset);
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds() };
}

/** The wall time as Intl formats it (throws RangeError for a zone Intl does not know). */
function formattedWallTime(timeZone: string, utcMs: number): WallTime {
  const parts: Record<string, number> = {};
  for (const p of zoneFormatter(timeZone).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

function offsetAt(timeZone: string, utcMs: number): number {
  const l = formattedWallTime(timeZone, utcMs);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(utcMs / 1000) * 1000;
}

/** Local wall time minus UTC at that instant, in ms (Berlin summer: +2 h). */
export function zoneOffset(timeZone: string, utcMs: number): number {
  const l = wallTime(timeZone, utcMs);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** The instant a local wall-clock time happens in `timeZone` (gap → forward, overlap → first). */
export function localToUtc(timeZone: string, epochDay: number, hour: number, minute: number): number {
  const wall = epochDay * DAY_MS + (hour * 60 + minute) * 60_000;
  // The offsets in force half a day either side cover any single transition on this day.
  const before = zoneOffset(timeZone, wall - DAY_MS / 2);
  const after = zoneOffset(timeZone, wall + DAY_MS / 2);
  const valid = [...new Set([before, after])].map((o) => wall - o).filter((t) => zoneOffset(timeZone, t) === wall - t);
  if (valid.length > 0) return Math.min(...valid);
  return wall - before;
}

/** A real calendar date (Date.UTC would roll 2027-02-30 over to March, and month 13 into the next year). */
export function isRealDate(y: number, m: number, d: number): boolean {
  const check = new Date(Date.UTC(y, m - 1, d));
  return check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})$/;

/**
 * "2027-01-05T14:30" or "2027-01-05 14:30" (a datetime-local input's value, or typed) as the
 * instant that wall time names in `timeZone`; null if it is not a real date and time of that shape.
 */
export function localDateTimeToUtc(text: string, timeZone: string): number | null {
  const m = LOCAL_DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (!isRealDate(y, mo, d) || h > 23 || mi > 59) return null;
  return localToUtc(timeZone, Date.UTC(y, mo - 1, d) / DAY_MS, h, mi);
}
