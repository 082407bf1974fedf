import { UserError } from '../errors';
import { DAY_MS, wallTime, zoneFormatter as formatter } from '../../contract/time_zone';
import { utcStamp } from './duration';

/**
 * The product's one time-zone module. Its core — wall clock ↔ UTC and the daylight-saving policy
 * — is in the contract (contract/time_zone.ts), so the webapp converts by the same rules; this adds
 * what the server needs around it: zone names as typed, users' zones, local days and clock times.
 */
export { DAY_MS, isRealDate, localDateTimeToUtc, localToUtc, wallTime, zoneOffset, type WallTime } from '../../contract/time_zone';

/**
 * The canonical IANA name of a zone a user typed, or null. Abbreviations and fixed offsets such
 * as "EST" resolve to zones without daylight saving, which is never what a meeting means, so
 * only Area/Location names and UTC are accepted.
 */
export function canonicalTimeZone(input: string): string | null {
  const text = input.trim();
  if (text.length === 0 || text.length > 64) return null;
  const upper = text.toUpperCase();
  if (upper === 'UTC' || upper === 'GMT' || upper === 'ETC/UTC') return 'UTC';
  if (!text.includes('/') || upper.startsWith('ETC/')) return null;
  try {
    return formatter(text).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** canonicalTimeZone, or a clear error that says what to type. */
export function requireTimeZone(input: string): string {
  const zone = canonicalTimeZone(input);
  if (!zone) {
    throw UserError.badRequest(`"${input.slice(0, 64)}" is not an IANA time zone. Use a name such as Europe/Berlin or America/New_York (abbreviations like EST ignore daylight saving).`);
  }
  return zone;
}

/** The user's IANA zone from Mattermost's timezone props, if it is one we know. */
export function userTimeZone(timezone: Readonly<Record<string, string>> | undefined): string | null {
  if (!timezone) return null;
  const zone = timezone['useAutomaticTimezone'] === 'false' ? timezone['manualTimezone'] : timezone['automaticTimezone'];
  if (!zone) return null;
  try {
    return formatter(zone).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Days since 1970-01-01 of the local calendar date at `utcMs`. */
export function localEpochDay(timeZone: string, utcMs: number): number {
  const l = wallTime(timeZone, utcMs);
  return Math.floor(Date.UTC(l.year, l.month - 1, l.day) / DAY_MS);
}

export const weekdayOf = (epochDay: number): number => (((epochDay + 4) % 7) + 7) % 7;
export const epochDayOf = (isoDate: string): number => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
export const isoDateOf = (epochDay: number): string => new Date(epochDay * DAY_MS).toISOString().slice(0, 10);

/**
 * The one clock-time grammar: "9:30", "09:30", "9.30", "9h30" (24-hour). Null when it isn't one.
 */
export function parseClock(text: string): { hour: number; minute: number } | null {
  const m = /^([01]?\d|2[0-3])[:.h]([0-5]\d)$/.exec(text.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

export const formatClock = (hour: number, minute: number): string => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

/**
 * A time for one reader, in their zone with UTC beside it: "2027-01-04 10:00 Europe/Berlin
 * (09:00 UTC)"; UTC alone when that is their zone or Mattermost does not know it. Replies are
 * read by one person, so they use this; posts in a channel are read by many and stay in UTC.
 */
export function localTime(at: number, zone: string | null): string {
  const utc = utcStamp(at);
  if (zone === null || zone === 'UTC' || zone === 'Etc/UTC') return utc;
  const w = wallTime(zone, at);
  const local = `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
  return `${local} ${formatClock(w.hour, w.minute)} ${zone} (${utc.startsWith(local) ? utc.slice(11) : utc})`;
}
