import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epochDayOf, localToUtc, parseClock, zoneOffset } from '../shared/time/zone';
import { describeMeeting, firstMeetingDate, nextMeeting, parseWeekday, previousMeeting } from './schedule';

const utc = (iso: string): number => Date.parse(iso);
const weekly = (day: number, time: string, timeZone: string) => ({ day, time, timeZone, everyWeeks: 1, anchorDate: null });

test('Europe/Berlin Monday 10:00 keeps 10:00 local across the 2027 spring change (28 March)', () => {
  const s = weekly(1, '10:00', 'Europe/Berlin');
  assert.equal(nextMeeting(s, utc('2027-03-20T12:00:00Z')), utc('2027-03-22T09:00:00Z')); // CET, UTC+1
  assert.equal(nextMeeting(s, utc('2027-03-22T09:00:00Z')), utc('2027-03-29T08:00:00Z')); // CEST, UTC+2
  assert.match(describeMeeting(utc('2027-03-29T08:00:00Z'), 'Europe/Berlin'), /^Mon 2027-03-29 10:00 Europe\/Berlin \(08:00 UTC\)$/);
});

test('Europe/Berlin across the 2027 autumn change (31 October)', () => {
  const s = weekly(1, '10:00', 'Europe/Berlin');
  assert.equal(nextMeeting(s, utc('2027-10-25T07:59:00Z')), utc('2027-10-25T08:00:00Z')); // CEST
  assert.equal(nextMeeting(s, utc('2027-10-25T08:00:00Z')), utc('2027-11-01T09:00:00Z')); // CET
});

test('America/New_York Thursday 09:00 across the 2027 spring (14 March) and autumn (7 November) changes', () => {
  const s = weekly(4, '09:00', 'America/New_York');
  assert.equal(nextMeeting(s, utc('2027-03-11T00:00:00Z')), utc('2027-03-11T14:00:00Z')); // EST, UTC-5
  assert.equal(nextMeeting(s, utc('2027-03-11T14:00:00Z')), utc('2027-03-18T13:00:00Z')); // EDT, UTC-4
  assert.equal(nextMeeting(s, utc('2027-11-04T12:00:00Z')), utc('2027-11-04T13:00:00Z')); // EDT
  assert.equal(nextMeeting(s, utc('2027-11-04T13:00:01Z')), utc('2027-11-11T14:00:00Z')); // EST
});

test('a meeting on the change day itself: gap moves forward, overlap takes the first occurrence', () => {
  // Berlin 28 March 2027: 02:00 → 03:00. A Sunday 02:30 meeting happens at 03:30 CEST.
  assert.equal(nextMeeting(weekly(0, '02:30', 'Europe/Berlin'), utc('2027-03-27T00:00:00Z')), utc('2027-03-28T01:30:00Z'));
  // Berlin 31 October 2027: 03:00 → 02:00. 02:30 happens twice; the first is 02:30 CEST = 00:30 UTC.
  assert.equal(nextMeeting(weekly(0, '02:30', 'Europe/Berlin'), utc('2027-10-30T00:00:00Z')), utc('2027-10-31T00:30:00Z'));
  // New York 14 March 2027: 02:00 → 03:00; 7 November 2027: 02:00 → 01:00.
  assert.equal(nextMeeting(weekly(0, '02:15', 'America/New_York'), utc('2027-03-13T00:00:00Z')), utc('2027-03-14T07:15:00Z'));
  assert.equal(nextMeeting(weekly(0, '01:30', 'America/New_York'), utc('2027-11-06T00:00:00Z')), utc('2027-11-07T05:30:00Z'));
  // A normal time on the change day uses the new offset.
  assert.equal(nextMeeting(weekly(0, '12:00', 'Europe/Berlin'), utc('2027-03-27T00:00:00Z')), utc('2027-03-28T10:00:00Z'));
});

test('every N weeks follows the anchor across a DST change and across a year end', () => {
  const s = { day: 4, time: '09:00', timeZone: 'America/New_York', everyWeeks: 2, anchorDate: '2027-03-04' };
  assert.equal(nextMeeting(s, utc('2027-03-05T00:00:00Z')), utc('2027-03-18T13:00:00Z')); // skips 11 March
  assert.equal(nextMeeting(s, utc('2027-03-18T13:00:00Z')), utc('2027-04-01T13:00:00Z'));
  const three = { day: 1, time: '10:00', timeZone: 'Europe/Berlin', everyWeeks: 3, anchorDate: '2027-12-13' };
  assert.equal(nextMeeting(three, utc('2027-12-14T00:00:00Z')), utc('2028-01-03T09:00:00Z'));
  // An anchor that is not itself the meeting weekday counts from the first meeting day after it.
  const offAnchor = { day: 1, time: '10:00', timeZone: 'Europe/Berlin', everyWeeks: 2, anchorDate: '2027-03-17' };
  assert.equal(nextMeeting(offAnchor, utc('2027-03-20T00:00:00Z')), utc('2027-03-22T09:00:00Z')); // CET
  assert.equal(nextMeeting(offAnchor, utc('2027-03-22T09:00:00Z')), utc('2027-04-05T08:00:00Z')); // CEST, skips 29 March
  // Anchors in the future still fix the parity of the weeks before them.
  const future = { day: 1, time: '10:00', timeZone: 'UTC', everyWeeks: 2, anchorDate: '2027-06-07' };
  assert.equal(nextMeeting(future, utc('2027-05-18T00:00:00Z')), utc('2027-05-24T10:00:00Z'));
  assert.equal(nextMeeting(future, utc('2027-05-25T00:00:00Z')), utc('2027-06-07T10:00:00Z'));
});

test('offsets, local conversion and parsing helpers', () => {
  assert.equal(zoneOffset('Europe/Berlin', utc('2027-01-10T12:00:00Z')), 3_600_000);
  assert.equal(zoneOffset('Europe/Berlin', utc('2027-07-10T12:00:00Z')), 7_200_000);
  assert.equal(zoneOffset('America/New_York', utc('2027-07-10T12:00:00Z')), -4 * 3_600_000);
  assert.equal(localToUtc('Asia/Kolkata', epochDayOf('2027-03-28'), 9, 0), utc('2027-03-28T03:30:00Z'));
  assert.deepEqual(parseClock('9:05'), { hour: 9, minute: 5 });
  assert.equal(parseClock('24:00'), null);
  assert.equal(parseClock('10:60'), null);
  assert.equal(parseWeekday('thu'), 4);
  assert.equal(parseWeekday('Monday'), 1);
  assert.equal(parseWeekday('x'), null);
  assert.equal(parseWeekday('Weds'), 3);
  assert.equal(parseWeekday('Tues'), 2);
  assert.equal(parseWeekday('Thursdays'), 4);
  assert.equal(parseWeekday('3'), null, 'a number could count from Sunday or Monday');
  assert.equal(firstMeetingDate({ day: 4, time: '10:00', timeZone: 'Europe/Berlin' }, utc('2027-03-22T00:00:00Z')), '2027-03-25');
});

test('the previous meeting: the latest at or before an instant, within the schedule, across DST and every N weeks', () => {
  const berlin = weekly(1, '10:00', 'Europe/Berlin');
  assert.equal(previousMeeting(berlin, utc('2027-03-29T08:00:00Z')), utc('2027-03-29T08:00:00Z'), 'at its start');
  assert.equal(previousMeeting(berlin, utc('2027-03-29T07:59:59Z')), utc('2027-03-22T09:00:00Z'), 'the week before, in CET');
  assert.equal(previousMeeting(berlin, utc('2027-04-01T12:00:00Z')), utc('2027-03-29T08:00:00Z'), 'Thursday: Monday’s');
  const biweekly = { day: 4, time: '09:00', timeZone: 'America/New_York', everyWeeks: 2, anchorDate: '2027-03-04' };
  assert.equal(previousMeeting(biweekly, utc('2027-03-17T00:00:00Z')), utc('2027-03-04T14:00:00Z'), 'skips the off week');
  assert.equal(previousMeeting(biweekly, utc('2027-03-03T00:00:00Z')), null, 'before its anchor the schedule had not started');
  assert.match(describeMeeting(utc('2027-03-04T14:00:00Z'), 'UTC'), /^Thu 2027-03-04 14:00 UTC$/, 'no "(14:00 UTC)" twice');
});
