import { UserError } from '../shared/errors';
import { durationMs } from '../shared/time/duration';
import { epochDayOf, isoDateOf, isRealDate, localEpochDay, localToUtc, parseClock } from '../shared/time/zone';
import { input } from './messages';

/**
 * Times typed in commands: milestones ("now", "15m ago", "1h30m ago", "-2h", "09:40",
 * "yesterday 22:10", "2027-01-04 09:40", ISO 8601) and follow-up due dates ("2027-01-31", "+3d", "tomorrow"). Wall-clock forms are read
 * in the user's time zone when Mattermost knows it, else UTC, and converted by the product's one
 * time-zone module (shared/time/zone.ts: its clock grammar and its daylight-saving policy).
 */

/** "yesterday 22:10", "today 09:40" */
const DAY_AND_CLOCK = /^(yesterday|today)\s+(\S{1,8})$/i;

/** "15m ago", "1h30m ago", "-2h": how long ago, or null when it is not a relative time. */
function relativeMs(typed: string): number | null {
  if (typed.startsWith('-')) return durationMs(typed.slice(1));
  return typed.toLowerCase().endsWith('ago') ? durationMs(typed.slice(0, -3)) : null;
}
/** Looks like a clock time (so a wrong one gets "not a valid time of day", not "not a time"). */
const CLOCK_SHAPE = /^\d{1,2}[:.h]\d{2}$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ t](\d{1,2}[:.h]\d{2})$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T/i;
/** Date's own range (±100,000,000 days around 1970); anything outside is not an instant. */
const MAX_INSTANT = 8.64e15;

export function parseMomentInput(text: string, now: number, timeZone: string | null): number {
  const typed = text.trim();
  const zone = timeZone ?? 'UTC';
  if (typed === '' || typed.toLowerCase() === 'now') return now;
  const ago = relativeMs(typed);
  if (ago !== null) return now - ago;
  const dayAndClock = DAY_AND_CLOCK.exec(typed);
  if (dayAndClock) {
    const clock = parseClock(dayAndClock[2]!);
    if (!clock) throw UserError.badRequest(input.notTimeOfDay(typed));
    const day = localEpochDay(zone, now) - (dayAndClock[1]!.toLowerCase() === 'yesterday' ? 1 : 0);
    return localToUtc(zone, day, clock.hour, clock.minute);
  }
  if (CLOCK_SHAPE.test(typed)) {
    const clock = parseClock(typed);
    if (!clock) throw UserError.badRequest(input.notTimeOfDay(typed));
    let at = localToUtc(zone, localEpochDay(zone, now), clock.hour, clock.minute);
    // "09:40" typed at 09:10 means yesterday's 09:40: milestones are never in the future.
    if (at > now + 60_000) at = localToUtc(zone, localEpochDay(zone, now) - 1, clock.hour, clock.minute);
    return at;
  }
  const dateTime = DATE_TIME.exec(typed);
  if (dateTime) {
    const [y, m, d] = dateTime.slice(1, 4).map(Number) as [number, number, number];
    if (!isRealDate(y, m, d)) throw UserError.badRequest(input.notRealDate(typed));
    const clock = parseClock(dateTime[4]!);
    if (!clock) throw UserError.badRequest(input.notTimeOfDay(typed));
    return localToUtc(zone, epochDayOf(`${dateTime[1]}-${dateTime[2]}-${dateTime[3]}`), clock.hour, clock.minute);
  }
  if (ISO.test(typed) && typed.length <= 40) {
    const parsed = Date.parse(typed);
    if (Number.isFinite(parsed) && Math.abs(parsed) <= MAX_INSTANT) return parsed;
  }
  throw UserError.badRequest(input.notATime(typed.slice(0, 64)));
}

/** A due date as YYYY-MM-DD, or null when the token is not a date. */
export function parseDueInput(token: string, now: number, timeZone: string | null): string | null {
  const typed = token.trim().toLowerCase();
  const today = localEpochDay(timeZone ?? 'UTC', now);
  if (typed === 'today') return isoDateOf(today);
  if (typed === 'tomorrow') return isoDateOf(today + 1);
  const plus = /^\+(\d{1,3})([dw])$/.exec(typed);
  if (plus) return isoDateOf(today + Number(plus[1]) * (plus[2] === 'w' ? 7 : 1));
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typed);
  if (date) {
    const [y, m, d] = date.slice(1).map(Number) as [number, number, number];
    if (!isRealDate(y, m, d)) throw UserError.badRequest(input.notRealDate(token));
    return typed;
  }
  return null;
}

/**
 * Refuses a due date before the user's today. Without a known zone (HTTP), the earliest "today"
 * on Earth is allowed, a day behind UTC.
 */
export function checkDueNotPast(due: string, now: number, timeZone: string | null): void {
  const today = timeZone ? localEpochDay(timeZone, now) : localEpochDay('UTC', now) - 1;
  if (epochDayOf(due) < today) throw UserError.badRequest(input.duePast(due, isoDateOf(timeZone ? today : today + 1)));
}

/** Whether a word that is neither an owner nor a due date still looks like someone meant a date. */
export const looksLikeDate = (word: string): boolean => /\d/.test(word) || /^(?:next|in|on|by|due)[-\w]*$/i.test(word);
