import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pickSettings, SETTINGS_SCHEMA } from './settings';

test('plugin.json carries every PICK setting as the code declares it, with the defaults the code assumes', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../plugin.json'), 'utf8')) as {
    settings_schema: { settings: Array<Record<string, unknown>> };
  };
  const byKey = new Map(manifest.settings_schema.settings.map((s) => [s.key, s]));
  for (const s of SETTINGS_SCHEMA) assert.deepEqual(byKey.get(s.key), s, s.key);
  const fromConsole = Object.fromEntries(SETTINGS_SCHEMA.map((s) => [s.key.toLowerCase(), s.default]));
  assert.deepEqual(pickSettings(fromConsole), pickSettings({}));
  assert.deepEqual(pickSettings({}), { threshold: 5.5, disagreementIqr: 3 });
});

test('console values are coerced; blank or out-of-range values fall back to the default', () => {
  assert.deepEqual(pickSettings({ pickquadrantthreshold: '7', pickdisagreementiqr: 2 }), { threshold: 7, disagreementIqr: 2 });
  assert.deepEqual(pickSettings({ pickquadrantthreshold: '', pickdisagreementiqr: null }), { threshold: 5.5, disagreementIqr: 3 });
  assert.deepEqual(pickSettings({ pickquadrantthreshold: '11', pickdisagreementiqr: 'wide' }), { threshold: 5.5, disagreementIqr: 3 });
});
