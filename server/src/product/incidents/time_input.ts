import { UserError } from '../shared/errors';

/**
 * Times typed in commands: milestones ("now", "15m ago", "-2h", "09:40", "2027-01-04 09:40",
 * ISO 8601) and follow-up due dates ("2027-01-31", "+3d", "tomorrow"). Wall-clock forms are read
 * in the user's time zone when Mattermost knows it, else UTC.
 */

const RELATIVE = /^(?:-(\d+)\s*([mhd])|(\d+)\s*([mhd])\s*ago)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const CLOCK = /^(\d{1,2}):(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ t](\d{1,2}):(\d{2})$/i;

export const TIME_HELP = 'now, 15m ago, -2h, 09:40, 2027-01-04 09:40 or an ISO time such as 2027-01-04T09:40Z';

export function parseMomentInput(input: string, now: number, timeZone: string | null): number {
  const text = input.trim();
  if (text === '' || text.toLowerCase() === 'now') return now;
  const relative = RELATIVE.exec(text);
  if (relative) {
    const amount = Number(relative[1] ?? relative[3]);
    const unit = (relative[2] ?? relative[4])!.toLowerCase();
    return now - amount * UNIT_MS[unit]!;
  }
  const clock = CLOCK.exec(text);
  if (clock) {
    const [hour, minute] = [Number(clock[1]), Number(clock[2])];
    checkClock(hour, minute, text);
    const today = wallDate(now, timeZone);
    let at = zonedToUtc(today.y, today.m, today.d, hour, minute, timeZone);
    // "09:40" typed at 09:10 means yesterday's 09:40: milestones are never in the future.
    if (at > now + 60_000) at -= 86_400_000;
    return at;
  }
  const dateTime = DATE_TIME.exec(text);
  if (dateTime) {
    const [y, m, d, hour, minute] = dateTime.slice(1).map(Number) as [number, number, number, number, number];
    checkDate(y, m, d, text);
    checkClock(hour, minute, text);
    return zonedToUtc(y, m, d, hour, minute, timeZone);
  }
  if (/^\d{4}-\d{2}-\d{2}T/i.test(text)) {
    const parsed = Date.parse(text);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw UserError.badRequest(`"${text}" is not a time I understand. Use ${TIME_HELP}.`);
}

/** Date.UTC rolls 2027-02-30 over to March: refuse dates that do not exist instead. */
function checkDate(y: number, m: number, d: number, text: string): void {
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw UserError.badRequest(`${text} is not a real date.`);
  }
}

function checkClock(hour: number, minute: number, text: string): void {
  if (hour > 23 || minute > 59) throw UserError.badRequest(`"${text}" is not a valid time of day.`);
}

/** A due date as YYYY-MM-DD, or null when the token is not a date. */
export function parseDueInput(token: string, now: number, timeZone: string | null): string | null {
  const text = token.trim().toLowerCase();
  const today = wallDate(now, timeZone);
  const fromToday = (days: number): string => {
    const d = new Date(Date.UTC(today.y, today.m - 1, today.d + days));
    return d.toISOString().slice(0, 10);
  };
  if (text === 'today') return fromToday(0);
  if (text === 'tomorrow') return fromToday(1);
  const plus = /^\+(\d{1,3})([dw])$/.exec(text);
  if (plus) return fromToday(Number(plus[1]) * (plus[2] === 'w' ? 7 : 1));
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const [y, m, d] = date.slice(1).map(Number) as [number, number, number];
    checkDate(y, m, d, token);
    return text;
  }
  return null;
}

/** The user's IANA zone from Mattermost's timezone props, if it is one Node knows. */
export function timeZoneOf(timezone: Record<string, string> | undefined): string | null {
  if (!timezone) return null;
  const zone = timezone['useAutomaticTimezone'] === 'false' ? timezone['manualTimezone'] : timezone['automaticTimezone'];
  if (!zone) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
}

function wallDate(at: number, timeZone: string | null): { y: number; m: number; d: number } {
  const parts = wallParts(at, timeZone);
  return { y: parts.year, m: parts.month, d: parts.day };
}

function wallParts(at: number, timeZone: string | null) {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timeZone ?? 'UTC',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const get = (type: string): number => Number(format.formatToParts(at).find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** The UTC instant at which the wall clock in `timeZone` shows the given date and time. */
function zonedToUtc(y: number, m: number, d: number, hour: number, minute: number, timeZone: string | null): number {
  const guess = Date.UTC(y, m - 1, d, hour, minute);
  if (!timeZone) return guess;
  // Two rounds converge across DST changes: offset at the guess, then at the corrected time.
  let at = guess;
  for (let i = 0; i < 2; i++) {
    const p = wallParts(at, timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    at += guess - shown;
  }
  return at;
}
