/**
 * A VTIMEZONE for an IANA zone, from the runtime's own zone data (the same data the schedule uses:
 * shared/time/zone.ts). Rather than guess the zone's rule, it lists each offset change inside the
 * span as its own STANDARD or DAYLIGHT observance with an exact DTSTART (RFC 5545 §3.6.5 allows
 * one observance per onset), after one observance stating the offset in force at the span's start.
 * A calendar app therefore converts every local time of the feed exactly as the plugin did.
 */
import { DAY_MS, wallTime, zoneOffset } from '../shared/time/zone';

const pad = (n: number): string => String(n).padStart(2, '0');

/** "+0100", "-0430" */
function offsetText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** The offset changes between `from` and `to`: the first instant of each new offset. */
export function transitions(timeZone: string, from: number, to: number): Array<{ at: number; before: number; after: number }> {
  const found: Array<{ at: number; before: number; after: number }> = [];
  // Present-day zones change offset at most a few times a year and never twice within a week
  // (a month apart at the closest, as Morocco's Ramadan change), so weekly probes find each one.
  let t = from;
  let offset = zoneOffset(timeZone, t);
  while (t < to) {
    const next = Math.min(t + 7 * DAY_MS, to);
    const nextOffset = zoneOffset(timeZone, next);
    if (nextOffset === offset) {
      t = next;
      continue;
    }
    let lo = t;
    let hi = next;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (zoneOffset(timeZone, mid) === offset) lo = mid;
      else hi = mid;
    }
    const after = zoneOffset(timeZone, hi);
    found.push({ at: hi, before: offset, after });
    offset = after;
    t = hi;
  }
  return found;
}

/** The onset, written in the local time in force before it (RFC 5545 §3.6.5). */
function stamp(at: number, offset: number): string {
  const w = wallTime('UTC', at + offset);
  return `${w.year}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
}

/** Built VTIMEZONEs by zone and span in whole days: a feed fetch reuses them (a few KB each). */
const cache = new Map<string, readonly string[]>();
const CACHE_MAX = 256;

export function vtimezone(timeZone: string, from: number, to: number): readonly string[] {
  const key = `${timeZone}:${Math.floor(from / DAY_MS)}:${Math.floor(to / DAY_MS)}`;
  let lines = cache.get(key);
  if (!lines) {
    if (cache.size >= CACHE_MAX) cache.clear();
    lines = build(timeZone, Math.floor(from / DAY_MS) * DAY_MS, Math.floor(to / DAY_MS) * DAY_MS);
    cache.set(key, lines);
  }
  return lines;
}

function build(timeZone: string, from: number, to: number): string[] {
  const changes = transitions(timeZone, from, to);
  const initial = zoneOffset(timeZone, from);
  // Standard time is the smaller offset the zone uses in the span; anything above it is daylight time.
  const standard = Math.min(initial, ...changes.map((c) => c.after));
  const observance = (onset: string, before: number, after: number): string[] => {
    const kind = after > standard ? 'DAYLIGHT' : 'STANDARD';
    return [`BEGIN:${kind}`, `DTSTART:${onset}`, `TZOFFSETFROM:${offsetText(before)}`, `TZOFFSETTO:${offsetText(after)}`, `END:${kind}`];
  };
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${timeZone}`,
    ...observance(stamp(from, initial), initial, initial),
    ...changes.flatMap((c) => observance(stamp(c.at, c.before), c.before, c.after)),
    'END:VTIMEZONE',
  ];
}
