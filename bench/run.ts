/**
 * `npm run bench`: runs every `*.bench.ts` (each default-exports an async function returning
 * BenchResult[]), prints one table and writes the same figures to bench/results.json.
 * `npm run bench -- <substring>` runs only the bench files whose path contains it, and merges
 * their figures into bench/results.json (see mergeByName) instead of replacing the file, so
 * figures of the benches not run are kept. Either way it ends by regenerating the README's
 * "Measured" table from what it wrote (bench/readme.ts).
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readResults, rewriteReadme } from './readme';
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
  const file = join(repo, 'bench/results.json');
  const written = filter === '' ? results : mergeByName(readResults(file), results);
  writeFileSync(file, JSON.stringify(written, null, 2) + '\n');
  rewriteReadme(written);
  if (failed) process.exit(1);
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * The old figures with every name that was measured again replaced by its new rows (at the place
 * of the first old row of that name), and new names appended in the order they were measured.
 */
export function mergeByName(old: readonly BenchResult[], fresh: readonly BenchResult[]): BenchResult[] {
  const freshByName = new Map<string, BenchResult[]>();
  for (const r of fresh) freshByName.set(r.name, [...(freshByName.get(r.name) ?? []), r]);
  const merged: BenchResult[] = [];
  const placed = new Set<string>();
  for (const r of [...old, ...fresh]) {
    const replacement = freshByName.get(r.name);
    if (replacement === undefined) merged.push(r);
    else if (!placed.has(r.name)) {
      placed.add(r.name);
      merged.push(...replacement);
    }
  }
  return merged;
}

if (require.main === module) void main();
