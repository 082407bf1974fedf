#!/usr/bin/env node
// Runs one test suite with Node's test runner (through tsx). Suites are told apart by file name,
// so a test sits beside the code it proves:
//   unit  *.test.ts / *.test.tsx   (not one of the kinds below)
//   wire  *.wire.test.ts           wire protocol against Go's own implementations
//   host  *.host.test.ts           the bundle under Mattermost's own plugin host
//   e2e   *.e2e.test.ts            a real Mattermost server and database
//   browser *.browser.test.ts      the webapp in Debian's Chromium
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const kinds = ['wire', 'host', 'e2e', 'browser'];
const suite = process.argv[2];
if (![...kinds, 'unit'].includes(suite)) {
  console.error(`usage: run-tests.mjs unit|${kinds.join('|')} [extra node --test args]`);
  process.exit(2);
}

const roots = ['server/src', 'webapp/src', 'e2e', 'bench', 'scripts'];
const skip = new Set(['node_modules', 'dist', '.cache']);

function* walk(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const name of entries) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

const kindOf = (file) => kinds.find((k) => file.endsWith(`.${k}.test.ts`)) ?? 'unit';
const files = roots
  .flatMap((root) => [...walk(root)])
  .filter((f) => /\.test\.tsx?$/.test(f) && kindOf(f) === suite)
  .sort();

if (files.length === 0) {
  console.error(`no ${suite} test files found`);
  process.exit(1);
}

const concurrency = suite === 'unit' ? [] : ['--test-concurrency=1'];
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', ...concurrency, ...process.argv.slice(3), ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
