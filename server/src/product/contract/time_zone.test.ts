import assert from 'node:assert/strict';
import test from 'node:test';
import { localToUtc, wallTime, zoneOffset } from './time_zone';

/** What Intl says, field by field: the reference wallTime's hour cache must agree with. */
const formats = new Map<string, Intl.DateTimeFormat>();
function intlWallTime(timeZone: string, utcMs: number): ReturnType<typeof wallTime> {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })));
  const parts = format
    .formatToParts(new Date(utcMs))
    .filter((p) => p.type !== 'literal');
  const field = (type: string): number => Number(parts.find((p) => p.type === type)!.value);
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour'), minute: field('minute'), second: field('second') };
}

// Whole-hour, half-hour (Lord Howe's DST moves 30 minutes) and quarter-hour zones, both hemispheres,
// and Liberia, whose 1972 change to UTC happened 44 min 30 s past an hour.
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns', 'Africa/Monrovia', 'UTC'];

test('wallTime agrees with Intl to the second, every 7 minutes 13 seconds through DST changes, asked out of order', () => {
  const spans = [Date.UTC(2026, 2, 27), Date.UTC(2026, 3, 3), Date.UTC(2026, 9, 23), Date.UTC(2026, 10, 1), Date.UTC(1972, 0, 6)];
  for (const timeZone of ZONES) {
    for (const start of spans) {
      const instants = Array.from({ length: Math.floor((3 * 86_400_000) / 433_000) }, (_, i) => start + i * 433_000 + (i % 1000));
      // Backwards first, then forwards: a cached hour must not depend on the order it was filled in.
      for (const at of [...instants].reverse().concat(instants)) assert.deepEqual(wallTime(timeZone, at), intlWallTime(timeZone, at), `${timeZone} at ${new Date(at).toISOString()}`);
    }
  }
});

test('local times across a change: the gap moves forward, the overlap means the first, offsets as Intl has them', () => {
  // Berlin 2026-03-29 02:30 does not exist (→ 03:30 CEST = 01:30 UTC); 2026-10-25 02:30 happens twice (first: CEST, 00:30 UTC).
  const day = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000;
  assert.equal(localToUtc('Europe/Berlin', day(2026, 3, 29), 2, 30), Date.UTC(2026, 2, 29, 1, 30));
  assert.equal(localToUtc('Europe/Berlin', day(2026, 10, 25), 2, 30), Date.UTC(2026, 9, 25, 0, 30));
  // Lord Howe: 02:00 → 02:30 in October; 02:15 does not exist and moves forward by the 30-minute gap, to 02:45 (+11:00).
  assert.equal(localToUtc('Australia/Lord_Howe', day(2026, 10, 4), 2, 15), Date.UTC(2026, 9, 3, 15, 45));
  assert.equal(zoneOffset('Asia/Kathmandu', Date.UTC(2026, 5, 1)), (5 * 60 + 45) * 60_000);
  assert.throws(() => wallTime('Mars/Olympus_Mons', Date.UTC(2026, 0, 1)), RangeError);
  assert.throws(() => wallTime('Mars/Olympus_Mons', Date.UTC(2026, 0, 1)), RangeError, 'an unknown zone is refused again, not remembered');
});
