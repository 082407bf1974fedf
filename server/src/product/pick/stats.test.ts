import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axisStats, isDisputed, quadrantOf } from './stats';

test('median and IQR use linear interpolation between ranks', () => {
  assert.deepEqual(axisStats([7]), { median: 7, q1: 7, q3: 7, iqr: 0 });
  assert.deepEqual(axisStats([1, 2, 3, 4]), { median: 2.5, q1: 1.75, q3: 3.25, iqr: 1.5 });
  assert.deepEqual(axisStats([10, 1, 5, 3, 8]), { median: 5, q1: 3, q3: 8, iqr: 5 });
  assert.throws(() => axisStats([]));
});

test('quadrants against the threshold (at or above = high)', () => {
  assert.equal(quadrantOf(3, 3, 5.5), 'possible');
  assert.equal(quadrantOf(8, 2, 5.5), 'implement');
  assert.equal(quadrantOf(8, 8, 5.5), 'challenge');
  assert.equal(quadrantOf(2, 9, 5.5), 'kill');
  assert.equal(quadrantOf(5.5, 5.49, 5.5), 'implement');
  assert.equal(quadrantOf(6, 6, 7), 'possible');
});

test('a wide spread on either axis is a disagreement', () => {
  assert.equal(isDisputed(axisStats([1, 10, 1, 10]), axisStats([5, 5, 5, 5]), 3), true);
  assert.equal(isDisputed(axisStats([5, 6, 5, 6]), axisStats([2, 9, 2, 9]), 3), true);
  assert.equal(isDisputed(axisStats([5, 6, 5, 6]), axisStats([5, 6, 5, 6]), 3), false);
});
