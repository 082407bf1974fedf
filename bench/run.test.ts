import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeByName } from './run';

describe('bench/run mergeByName (a filtered run keeps the other benches\' figures)', () => {
  it('replaces re-measured names in place, keeps the rest, appends new names', () => {
    const old = [
      { name: 'a', value: 1, unit: 'ms' },
      { name: 'b', value: 2, unit: 'ops/s' },
      { name: 'b', value: 3, unit: 'MB/s' },
      { name: 'c', value: 4, unit: 'ms', baseline: 5 },
    ];
    const fresh = [
      { name: 'd', value: 9, unit: 'ms' },
      { name: 'b', value: 20, unit: 'ops/s', baseline: 1 },
    ];
    assert.deepEqual(mergeByName(old, fresh), [
      { name: 'a', value: 1, unit: 'ms' },
      { name: 'b', value: 20, unit: 'ops/s', baseline: 1 },
      { name: 'c', value: 4, unit: 'ms', baseline: 5 },
      { name: 'd', value: 9, unit: 'ms' },
    ]);
  });
});
