import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextCadenceEvent } from './cadence';
import { closableMeeting } from './meetings';
import type { Guild } from './records';
import { parseDate } from './rhythm';
import { advancedRota, rotaOrder, rotaTurn, swappedRota } from './rota';
import { nextMeeting, previousMeeting, slotAfter, slotOn } from './schedule';
import { blankGuild } from './seeds';

const utc = (iso: string): number => Date.parse(iso);
const berlin = { day: 1, time: '10:00', timeZone: 'Europe/Berlin', everyWeeks: 1, anchorDate: null };

test('a skipped Berlin Monday across the spring change: the next meeting is a week later at 10:00 CEST', () => {
  const s = { ...berlin, skips: ['2027-03-29'] };
  assert.equal(nextMeeting(s, utc('2027-03-22T09:00:00Z')), utc('2027-04-05T08:00:00Z'));
  // The slot itself still exists (the calendar lists it as an EXDATE).
  assert.equal(slotAfter(s, utc('2027-03-22T09:00:00Z')), utc('2027-03-29T08:00:00Z'));
  // Looking back from after it, the latest meeting held is the one before the skip (CET).
  assert.equal(previousMeeting(s, utc('2027-04-01T00:00:00Z')), utc('2027-03-22T09:00:00Z'));
});

test('a team holiday on a New York Thursday across the autumn change, every 2 weeks', () => {
  const s = { day: 4, time: '09:00', timeZone: 'America/New_York', everyWeeks: 2, anchorDate: '2027-10-28', holidays: ['2027-11-11'] };
  assert.equal(nextMeeting(s, utc('2027-10-28T13:00:00Z')), utc('2027-11-25T14:00:00Z')); // 11 Nov called off; EST afterwards
  assert.equal(nextMeeting({ ...s, holidays: [] }, utc('2027-10-28T13:00:00Z')), utc('2027-11-11T14:00:00Z'));
  // A holiday on a day off the cadence changes nothing.
  assert.equal(nextMeeting({ ...s, holidays: ['2027-11-04'] }, utc('2027-10-28T13:00:00Z')), utc('2027-11-11T14:00:00Z'));
});

test('skips and holidays combine; several in a row pass over each', () => {
  const s = { ...berlin, skips: ['2027-12-27'], holidays: ['2027-12-20', '2028-01-03'] };
  assert.equal(nextMeeting(s, utc('2027-12-14T00:00:00Z')), utc('2028-01-10T09:00:00Z'));
  assert.equal(previousMeeting(s, utc('2028-01-09T00:00:00Z')), utc('2027-12-13T09:00:00Z'));
});

test('the cadence of a guild with a skipped meeting fires nothing for it: its reminder and start move to the next meeting', () => {
  const guild = { ...berlin, anchorDate: '2027-03-01', skips: ['2027-03-29'] };
  const e = nextCadenceEvent(guild, [60], utc('2027-03-22T09:00:00Z'), Number.NEGATIVE_INFINITY);
  assert.deepEqual({ kind: e.kind, meetingAt: e.meetingAt }, { kind: 'reminder', meetingAt: utc('2027-04-05T08:00:00Z') });
});

test('closing before a meeting starts asks for --early: a skipped meeting is never the one closed', () => {
  const guild = { ...berlin, anchorDate: '2027-03-01', skips: ['2027-03-29'], lastMeeting: { closedAt: utc('2027-03-22T10:00:00Z'), scheduledFor: utc('2027-03-22T09:00:00Z') } };
  const c = closableMeeting(guild, utc('2027-03-29T09:00:00Z'));
  assert.deepEqual(c, { kind: 'upcoming', at: utc('2027-04-05T08:00:00Z'), last: utc('2027-03-22T09:00:00Z') });
});

test('slotOn finds the meeting of a day, and none on other days; parseDate refuses impossible dates', () => {
  const g: Guild = { ...blankGuild('t', 'u', 0), ...berlin };
  assert.equal(slotOn(g, '2027-03-29'), utc('2027-03-29T08:00:00Z'));
  assert.equal(slotOn(g, '2027-03-30'), null);
  assert.equal(parseDate('2028-02-29', 'u'), '2028-02-29');
  assert.throws(() => parseDate('2027-02-29', 'u'), /not a date/);
  assert.throws(() => parseDate('tomorrow', 'u'), /not a date/);
});

const members = (...ids: string[]): Guild['members'] => ids.map((userId) => ({ kind: 'user' as const, userId }));

test('the rota turns through user members, facilitator then scribe, and moves on at each close', () => {
  let g = { members: [...members('a', 'b', 'c'), { kind: 'label' as const, text: 'SRE' }], rota: undefined as Guild['rota'] };
  assert.deepEqual(rotaTurn(g), { facilitator: 'a', scribe: 'b' });
  assert.deepEqual(rotaTurn(g, 2), { facilitator: 'c', scribe: 'a' });
  g = { ...g, rota: advancedRota(g) };
  assert.deepEqual(rotaTurn(g), { facilitator: 'b', scribe: 'c' });
  g = { ...g, rota: advancedRota(g) };
  g = { ...g, rota: advancedRota(g) };
  assert.deepEqual(rotaTurn(g), { facilitator: 'a', scribe: 'b' });
});

test('a swap exchanges two places and keeps the turn; new members join at the end, removed ones drop out', () => {
  const g = { members: members('a', 'b', 'c'), rota: { order: ['a', 'b', 'c'], turn: 1 } };
  const swapped = swappedRota(g, 'b', 'a');
  assert.notEqual(typeof swapped, 'string');
  assert.deepEqual(rotaTurn({ ...g, rota: swapped as Guild['rota'] }), { facilitator: 'a', scribe: 'c' });
  assert.equal(swappedRota(g, 'a', 'z'), 'not_members');
  assert.equal(swappedRota(g, 'a', 'a'), 'same_person');
  assert.deepEqual(rotaOrder({ members: members('c', 'd', 'a'), rota: g.rota }), ['a', 'c', 'd']);
  assert.deepEqual(rotaTurn({ members: members('solo'), rota: undefined }), { facilitator: 'solo', scribe: null });
  assert.equal(rotaTurn({ members: [], rota: undefined }), null);
});
