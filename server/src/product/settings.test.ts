import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as alerts from './alerts/settings';
import * as guilds from './guilds/settings';
import * as incidents from './incidents/settings';
import * as infra from './infra/settings';
import * as pick from './pick/settings';
import * as rfc from './rfc/settings';
import * as runs from './runs/settings';
import * as status from './status/settings';
import * as webhooks from './webhooks/settings';

/** Every feature reads its settings through one typed schema; plugin.json is checked against all of them at once. */
const FEATURES = { incidents, pick, rfc, guilds, alerts, webhooks, status, runs, infra } as const;

interface ManifestSetting {
  key: string;
  type: string;
  default: unknown;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../plugin.json'), 'utf8')) as { settings_schema: { settings: ManifestSetting[] } };
const inManifest = new Map(manifest.settings_schema.settings.map((s) => [s.key, s]));

test('plugin.json declares exactly the settings the features read, with the types and defaults they assume', () => {
  const read = new Set<string>();
  for (const [name, feature] of Object.entries(FEATURES)) {
    for (const s of feature.SETTINGS_SCHEMA) {
      const entry = inManifest.get(s.key);
      assert.ok(entry, `${name}: ${s.key} is in plugin.json`);
      assert.equal(entry.type, s.type, `${name}: ${s.key} type`);
      assert.deepEqual(entry.default, s.default, `${name}: ${s.key} default`);
      assert.ok(!read.has(s.key), `${s.key} is read by one feature only`);
      read.add(s.key);
    }
  }
  assert.deepEqual([...inManifest.keys()].filter((k) => !read.has(k)), [], 'no setting in plugin.json that no feature reads');
});

test('the System Console defaults parse to the same settings as no configuration at all', () => {
  for (const [name, feature] of Object.entries(FEATURES)) {
    // What the server hands the plugin: keys lower-cased, values as the console stores them.
    const fromConsole = Object.fromEntries(feature.SETTINGS_SCHEMA.map((s) => [s.key.toLowerCase(), s.default]));
    assert.deepEqual(feature.parseSettings(fromConsole), feature.parseSettings({}), name);
  }
});
