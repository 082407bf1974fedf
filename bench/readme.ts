/**
 * The README's "Measured" table, generated from bench/results.json so no figure is ever copied by
 * hand: everything between the two markers is replaced by one row per figure (ours, the baseline
 * measured beside it in the same run, and the ratio). `npm run bench` ends by calling this;
 * `npm run bench:readme` regenerates the table from the results.json already there.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchResult } from './result';

export const TABLE_START = '<!-- measured:start (generated from bench/results.json by `npm run bench:readme`; do not edit by hand) -->';
export const TABLE_END = '<!-- measured:end -->';

/** Three significant figures, never in exponent form. */
export function formatFigure(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function renderTable(results: readonly BenchResult[]): string {
  const lines = ['| figure | ours | baseline (same run) | ratio |', '| --- | --- | --- | --- |'];
  for (const r of results) {
    const ours = `${formatFigure(r.value)} ${r.unit}`;
    const baseline = r.baseline === undefined ? '' : `${formatFigure(r.baseline)} ${r.unit}`;
    const ratio = r.baseline === undefined || r.baseline === 0 ? '' : `${(r.value / r.baseline).toFixed(2)}x`;
    lines.push(`| ${cell(r.name)} | ${ours} | ${baseline} | ${ratio} |`);
  }
  return lines.join('\n');
}

/** The README with the text between the markers replaced by the table of `results`. */
export function withTable(readme: string, results: readonly BenchResult[]): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`the README has no "Measured" markers (${TABLE_START} … ${TABLE_END})`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderTable(results)}\n${readme.slice(end)}`;
}

export function readResults(file: string): BenchResult[] {
  if (!existsSync(file)) return [];
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${file} is not an array of bench results`);
  return parsed as BenchResult[];
}

const repo = resolve(__dirname, '..');

/** Rewrites README.md's table from `results` (default: bench/results.json). */
export function rewriteReadme(results: readonly BenchResult[] = readResults(join(repo, 'bench/results.json'))): void {
  const path = join(repo, 'README.md');
  writeFileSync(path, withTable(readFileSync(path, 'utf8'), results));
}

if (require.main === module) rewriteReadme();
