/**
 * A small iCalendar (RFC 5545) writer: exactly what the feeds need, nothing more.
 *
 * Format notes (why we write it ourselves: the npm writers either leave VTIMEZONE to another
 * package with its own zone data, or emit EXDATE without the series' TZID; ours takes both from
 * the one time-zone module, shared/time/zone.ts, so the feed and the plugin's reminders agree):
 * - Lines end in CRLF; a content line longer than 75 octets is folded: CRLF and one space,
 *   never inside a UTF-8 sequence (§3.1).
 * - TEXT values escape backslash, semicolon, comma and line breaks (§3.3.11).
 * - A zoned time is `DTSTART;TZID=Europe/Berlin:20270322T100000` (local wall time) and the
 *   calendar carries a VTIMEZONE for that zone (vtimezone.ts); UTC times end in `Z`; all-day
 *   dates are `VALUE=DATE`.
 * - A weekly series is one VEVENT with `RRULE:FREQ=WEEKLY;INTERVAL=n;BYDAY=MO` and its
 *   called-off occurrences as `EXDATE` in the series' own zone, so expansion across daylight-saving
 *   changes keeps the local time, as the plugin does.
 */
import { wallTime } from '../shared/time/zone';
import { vtimezone } from './vtimezone';

export type IcsTime =
  | { readonly kind: 'zoned'; readonly at: number; readonly timeZone: string }
  | { readonly kind: 'utc'; readonly at: number }
  | { readonly kind: 'date'; readonly date: string };

export interface IcsEvent {
  /** Stable across fetches, so calendar apps update the event instead of adding another. */
  readonly uid: string;
  readonly summary: string;
  readonly description?: string;
  readonly start: IcsTime;
  /** ISO 8601 duration (PT1H); all-day events take one day. */
  readonly duration?: string;
  readonly weekly?: { readonly everyWeeks: number; readonly exdates: readonly number[] };
}

const BYDAY = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

const isControl = (c: string): boolean => {
  const code = c.codePointAt(0)!;
  return (code < 32 && code !== 9) || code === 127;
};

/** Backslash, semicolon, comma and line breaks escaped; other control characters dropped. */
export function escapeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(/./gu, (c) => (isControl(c) ? '' : c));
}

/** One content line folded at 75 octets (continuations start with a space, which counts). */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

const utcStamp = (at: number): string => new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** The wall time of `at` in the zone, as `YYYYMMDDTHHMMSS`. */
export function localStamp(timeZone: string, at: number): string {
  const w = wallTime(timeZone, at);
  return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
}

function timeProperty(name: string, t: IcsTime): string {
  switch (t.kind) {
    case 'date':
      return `${name};VALUE=DATE:${t.date.replace(/-/g, '')}`;
    case 'utc':
      return `${name}:${utcStamp(t.at)}`;
    case 'zoned':
      return t.timeZone === 'UTC' ? `${name}:${utcStamp(t.at)}` : `${name};TZID=${t.timeZone}:${localStamp(t.timeZone, t.at)}`;
  }
}

function eventLines(e: IcsEvent, now: number): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:${utcStamp(now)}`, timeProperty('DTSTART', e.start)];
  lines.push(`DURATION:${e.duration ?? (e.start.kind === 'date' ? 'P1D' : 'PT1H')}`);
  if (e.weekly && e.start.kind === 'zoned') {
    const zone = e.start.timeZone;
    const day = new Date(Date.parse(`${localStamp(zone, e.start.at).slice(0, 8).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3')}T00:00:00Z`)).getUTCDay();
    lines.push(`RRULE:FREQ=WEEKLY;INTERVAL=${e.weekly.everyWeeks};BYDAY=${BYDAY[day]}`);
    for (const at of e.weekly.exdates) lines.push(timeProperty('EXDATE', { kind: 'zoned', at, timeZone: zone }));
  }
  lines.push(`SUMMARY:${escapeText(e.summary)}`);
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  lines.push('END:VEVENT');
  return lines;
}

/** The whole calendar: every zone its events use gets a VTIMEZONE covering `span`. */
export function icsCalendar(name: string, events: readonly IcsEvent[], now: number, span: { from: number; to: number }): string {
  const zones = [...new Set(events.flatMap((e) => (e.start.kind === 'zoned' && e.start.timeZone !== 'UTC' ? [e.start.timeZone] : [])))].sort();
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Infra Ops//Mattermost plugin//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    ...zones.flatMap((zone) => vtimezone(zone, span.from, span.to)),
    ...events.flatMap((e) => eventLines(e, now)),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
