import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rfcSettings, SETTINGS_SCHEMA } from './settings';

test('plugin.json carries every RFC setting with the type and default the code assumes', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../plugin.json'), 'utf8')) as {
    settings_schema: { settings: Array<{ key: string; type: string; default: unknown }> };
  };
  const byKey = new Map(manifest.settings_schema.settings.map((s) => [s.key, s]));
  for (const s of SETTINGS_SCHEMA) {
    const entry = byKey.get(s.key);
    assert.ok(entry, `${s.key} in plugin.json`);
    assert.equal(entry.type, s.type, s.key);
    assert.deepEqual(entry.default, s.default, s.key);
  }
  const rfcKeys = manifest.settings_schema.settings.filter((s) => s.key.startsWith('Rfc')).map((s) => s.key);
  assert.deepEqual(rfcKeys.sort(), SETTINGS_SCHEMA.map((s) => s.key).sort(), 'no RFC setting in plugin.json that the code ignores');
  const fromConsole = Object.fromEntries(SETTINGS_SCHEMA.map((s) => [s.key.toLowerCase(), s.default]));
  assert.deepEqual(rfcSettings(fromConsole), rfcSettings({}));
});

test('settings are parsed once, with defaults for bad values', () => {
  assert.deepEqual(rfcSettings({ rfcapprovers: '@Carol, root;; bob  @Carol', rfccommentperioddays: '3' }), { approvers: ['carol', 'root', 'bob'], commentPeriodDays: 3 });
  assert.deepEqual(rfcSettings({ rfcapprovers: 42, rfccommentperioddays: 'soon' }), { approvers: [], commentPeriodDays: 7 });
  assert.equal(rfcSettings({ rfccommentperioddays: 91 }).commentPeriodDays, 7);
  assert.deepEqual(rfcSettings({ rfcapprovers: 'ok bad!name @' }).approvers, ['ok'], 'only names Mattermost could have');
});
