import assert from 'node:assert/strict';
import { test } from 'node:test';
import ICAL from 'ical.js';
import type { GuildMeetingSeries } from '../shared/ports';
import { nextMeeting, slotOn } from '../guilds/schedule';
import { escapeText, foldLine, icsCalendar, type IcsEvent } from './ics';
import { transitions } from './vtimezone';

const utc = (iso: string): number => Date.parse(iso);
const NOW = utc('2026-12-01T00:00:00Z');
const SPAN = { from: utc('2026-11-01T00:00:00Z'), to: utc('2031-12-01T00:00:00Z') };

/** Every occurrence of the feed's series (ical.js: VTIMEZONE, RRULE and EXDATE) up to `until`, as instants. */
function expand(ics: string, uid: string, until: number): number[] {
  const comp = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  for (const tz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const vevent = comp.getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('uid') === uid)!;
  const event = new ICAL.Event(vevent);
  const it = event.iterator();
  const out: number[] = [];
  for (let next = it.next(); next; next = it.next()) {
    const at = next.toJSDate().getTime();
    if (at > until) break;
    out.push(at);
  }
  return out;
}

function seriesEvent(s: Pick<GuildMeetingSeries, 'firstAt' | 'timeZone' | 'everyWeeks' | 'calledOff'>, uid: string): IcsEvent {
  return { uid, summary: 'Ops, weekly; sync', start: { kind: 'zoned', at: s.firstAt, timeZone: s.timeZone }, weekly: { everyWeeks: s.everyWeeks, exdates: s.calledOff } };
}

/** The plugin's own meetings from `first` up to `until`. */
function pluginMeetings(schedule: Parameters<typeof nextMeeting>[0], first: number, until: number): number[] {
  const out: number[] = [];
  for (let at = nextMeeting(schedule, first - 1); at <= until; at = nextMeeting(schedule, at)) out.push(at);
  return out;
}

const cases = [
  { name: 'Europe/Berlin Monday 10:00 weekly, 29 March and a holiday on 1 November skipped', schedule: { day: 1, time: '10:00', timeZone: 'Europe/Berlin', everyWeeks: 1, anchorDate: '2027-01-04', skips: ['2027-03-29'], holidays: ['2027-11-01'] } },
  { name: 'America/New_York Thursday 09:00 every 2 weeks, 11 November skipped', schedule: { day: 4, time: '09:00', timeZone: 'America/New_York', everyWeeks: 2, anchorDate: '2027-01-07', skips: ['2027-11-11'], holidays: [] } },
  { name: 'UTC Wednesday 16:30 every 3 weeks', schedule: { day: 3, time: '16:30', timeZone: 'UTC', everyWeeks: 3, anchorDate: '2027-01-06', skips: [], holidays: [] } },
];

for (const c of cases) {
  test(`ical.js expands the feed's series exactly as the plugin schedules it through 2027: ${c.name}`, () => {
    const s = c.schedule;
    const firstAt = nextMeeting({ ...s, skips: [], holidays: [] }, utc(`${s.anchorDate}T00:00:00Z`) - 2 * 86_400_000);
    const calledOff = [...s.skips, ...s.holidays].map((d) => slotOn(s, d)).filter((x): x is number => x !== null);
    const ics = icsCalendar('Team', [seriesEvent({ firstAt, timeZone: s.timeZone, everyWeeks: s.everyWeeks, calledOff }, 'g1@infra-ops')], NOW, SPAN);
    const until = utc('2028-01-01T00:00:00Z');
    const fromFeed = expand(ics, 'g1@infra-ops', until);
    assert.deepEqual(fromFeed.map((t) => new Date(t).toISOString()), pluginMeetings(s, firstAt, until).map((t) => new Date(t).toISOString()));
    assert.ok(fromFeed.length >= 17);
    if (s.timeZone !== 'UTC') {
      assert.match(ics, new RegExp(`\r\nDTSTART;TZID=${s.timeZone}:2027010\\dT${s.time.replace(':', '')}00\r\n`));
      assert.match(ics, /\r\nBEGIN:DAYLIGHT\r\n/);
      assert.equal((ics.match(/\r\nEXDATE;TZID=/g) ?? []).length, calledOff.length);
    } else {
      assert.doesNotMatch(ics, /VTIMEZONE/);
    }
    assert.match(ics, new RegExp(`\r\nRRULE:FREQ=WEEKLY;INTERVAL=${s.everyWeeks};BYDAY=(MO|TH|WE)\r\n`));
  });
}

test('the VTIMEZONE lists each 2027 change of Berlin and New York at its exact instant', () => {
  const at = (zone: string) => transitions(zone, utc('2027-01-01T00:00:00Z'), utc('2028-01-01T00:00:00Z')).map((t) => new Date(t.at).toISOString());
  assert.deepEqual(at('Europe/Berlin'), ['2027-03-28T01:00:00.000Z', '2027-10-31T01:00:00.000Z']);
  assert.deepEqual(at('America/New_York'), ['2027-03-14T07:00:00.000Z', '2027-11-07T06:00:00.000Z']);
  assert.deepEqual(at('Asia/Tokyo'), []);
});

test('text is escaped, long lines are folded at 75 octets without splitting a character, lines end in CRLF', () => {
  assert.equal(escapeText('a;b,c\\d\ne\u0007'), 'a\\;b\\,c\\\\d\\ne');
  const long = `SUMMARY:${'ü'.repeat(60)}`;
  const folded = foldLine(long);
  for (const line of folded.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75);
  assert.equal(folded.replace(/\r\n /g, ''), long);
  const ics = icsCalendar('Ops; team', [{ uid: 'x@infra-ops', summary: 'RFC-001 comment period ends', start: { kind: 'utc', at: utc('2027-03-28T01:30:00Z') }, duration: 'PT15M' }], NOW, SPAN);
  assert.ok(ics.endsWith('END:VCALENDAR\r\n'));
  assert.doesNotMatch(ics.replace(/\r\n/g, ''), /\n/);
  assert.match(ics, /\r\nX-WR-CALNAME:Ops\\; team\r\n/);
  assert.match(ics, /\r\nDTSTART:20270328T013000Z\r\n/);
  const parsed = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  assert.equal(parsed.getFirstSubcomponent('vevent')!.getFirstPropertyValue('summary'), 'RFC-001 comment period ends');
});
