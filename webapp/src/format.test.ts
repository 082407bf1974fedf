import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daysLeft, duration, formatScore, meetingTime, severityText } from './format';

describe('format', () => {
  it('durations', () => {
    assert.equal(duration(-5), '0m');
    assert.equal(duration(59 * 60_000), '59m');
    assert.equal(duration(60 * 60_000), '1h');
    assert.equal(duration(130 * 60_000), '2h 10m');
    assert.equal(duration(50 * 3_600_000), '2d 2h');
    assert.equal(duration(72 * 3_600_000), '3d');
  });
  it('severity with and without a label', () => {
    assert.equal(severityText({ severity: 1, severityLabel: 'Critical' }), 'SEV1 · Critical');
    assert.equal(severityText({ severity: 3, severityLabel: '' }), 'SEV3');
  });
  it('meeting times in the guild zone, across a DST change', () => {
    // 2027-03-29 08:00 UTC is 10:00 in Berlin (CEST), a week earlier 08:00 UTC was 09:00 (CET).
    assert.equal(meetingTime(Date.UTC(2027, 2, 29, 8, 0), 'Europe/Berlin'), 'Mon 29 Mar, 10:00 (Europe/Berlin)');
    assert.equal(meetingTime(Date.UTC(2027, 2, 22, 8, 0), 'Europe/Berlin'), 'Mon 22 Mar, 09:00 (Europe/Berlin)');
    assert.equal(meetingTime(Date.UTC(2027, 0, 1, 8, 30), 'Not/AZone'), '2027-01-01 08:30 UTC');
  });
  it('days left and scores and references', () => {
    assert.equal(daysLeft(null, 0), null);
    assert.equal(daysLeft(86_400_000 * 2.5, 0), 3);
    assert.equal(daysLeft(0, 5), 0);
    assert.equal(formatScore(7), '7');
    assert.equal(formatScore(6.5), '6.5');
  });
});
