import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_LEAD_MINUTES, parseLeadMinutes, parseSettings, SETTINGS_SCHEMA } from './settings';

test('plugin.json carries every guilds setting with the defaults the code assumes', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../plugin.json'), 'utf8')) as {
    settings_schema: { settings: Array<{ key: string; type: string; default: unknown; display_name: string }> };
  };
  const byKey = new Map(manifest.settings_schema.settings.map((s) => [s.key, s]));
  for (const s of SETTINGS_SCHEMA) {
    const entry = byKey.get(s.key);
    assert.ok(entry, `${s.key} in plugin.json`);
    assert.equal(entry.type, s.type, s.key);
    assert.deepEqual(entry.default, s.default, s.key);
    assert.equal(entry.display_name, s.display_name, s.key);
  }
  const fromConsole = Object.fromEntries(SETTINGS_SCHEMA.map((s) => [s.key.toLowerCase(), s.default]));
  assert.deepEqual(parseSettings(fromConsole), parseSettings({}));
  assert.deepEqual(parseSettings({}).reminderLeadMinutes, DEFAULT_LEAD_MINUTES);
});

test('the reminder setting: minutes, lists, off, and bad values falling back loudly', () => {
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
