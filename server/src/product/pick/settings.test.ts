import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSettings } from './settings';

test('console values are coerced; blank or out-of-range values fall back to the default', () => {
  assert.deepEqual(parseSettings({ pickquadrantthreshold: '7', pickdisagreementiqr: 2 }), { threshold: 7, disagreementIqr: 2 });
  assert.deepEqual(parseSettings({ pickquadrantthreshold: '', pickdisagreementiqr: null }), { threshold: 5.5, disagreementIqr: 3 });
  assert.deepEqual(parseSettings({ pickquadrantthreshold: '11', pickdisagreementiqr: 'wide' }), { threshold: 5.5, disagreementIqr: 3 });
});
