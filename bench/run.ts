/**
 * `npm run bench`: runs every `*.bench.ts` (each default-exports an async function returning
 * BenchResult[]), prints one table and writes the same figures to bench/results.json.
 * `npm run bench -- <substring>` runs only the bench files whose path contains it.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './result';

const repo = resolve(__dirname, '..');
const roots = ['server/src', 'e2e', 'bench'].map((r) => join(repo, r));

function* walk(dir: string): Generator<string> {
  let names: string[];
  try { names = readdirSync(dir); } catch { return; }
  for (const name of names) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (name.endsWith('.bench.ts')) yield path;
  }
}

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  const files = roots.flatMap((r) => [...walk(r)]).filter((f) => f.includes(filter)).sort();
  const results: BenchResult[] = [];
  let failed = false;
  for (const file of files) {
    const name = relative(repo, file);
    console.error(`# ${name}`);
    try {
      const mod = (await import(pathToFileURL(file).href)) as { default: () => Promise<BenchResult[]> };
      results.push(...(await mod.default()));
    } catch (err) {
      failed = true;
      console.error(`bench ${name} failed:`, err);
    }
  }
  const rows = results.map((r) => ({
    name: r.name,
    value: round(r.value),
    unit: r.unit,
    baseline: r.baseline === undefined ? '' : round(r.baseline),
    ratio: r.baseline === undefined || r.baseline === 0 ? '' : round(r.value / r.baseline),
  }));
  console.table(rows);
  writeFileSync(join(repo, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
  if (failed) process.exit(1);
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

void main();
