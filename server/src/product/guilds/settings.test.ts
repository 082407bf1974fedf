import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LEAD_MINUTES, parseLeadMinutes, parseSettings } from './settings';

test('the reminder setting: minutes, lists, off, and bad values falling back loudly', () => {
  assert.deepEqual(parseSettings({}).reminderLeadMinutes, DEFAULT_LEAD_MINUTES);
  assert.deepEqual(parseLeadMinutes(undefined), { leads: [60], problem: null });
  assert.deepEqual(parseLeadMinutes(''), { leads: [60], problem: null });
  assert.deepEqual(parseLeadMinutes(15), { leads: [15], problem: null });
  assert.deepEqual(parseLeadMinutes('60, 1440;60'), { leads: [1440, 60], problem: null });
  assert.deepEqual(parseLeadMinutes('0'), { leads: [], problem: null });
  assert.deepEqual(parseLeadMinutes('none'), { leads: [], problem: null });
  for (const bad of ['soon', '-5', '1.5', '20000', '60, x']) {
    const parsed = parseLeadMinutes(bad);
    assert.deepEqual(parsed.leads, [60], bad);
    assert.match(parsed.problem ?? '', /is not a list of whole minutes from 1 to 10080; using 60/, bad);
  }
  assert.match(parseSettings({ guildreminderleadminutes: true }).problem ?? '', /neither text nor a number/);
});
