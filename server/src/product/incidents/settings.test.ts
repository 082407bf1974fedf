import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseSettings, SETTINGS_SCHEMA } from './settings';

test('plugin.json carries every incidents setting with the defaults the code assumes', () => {
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
  // What the server hands the plugin: keys lower-cased, values as the console stores them.
  const fromConsole = Object.fromEntries(SETTINGS_SCHEMA.map((s) => [s.key.toLowerCase(), s.default]));
  assert.deepEqual(parseSettings(fromConsole), parseSettings({}));
});
