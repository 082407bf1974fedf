import type { Idea } from './schema';
import { ideaReference } from './schema';
import { capital, resultLine } from './service';
import { type Quadrant, QUADRANT_HELP } from './stats';

/**
 * The `/pick board` chart as text: a 10×10 grid (payoff up, cost right) split at the threshold,
 * each revealed idea a letter, with the quadrant lists and the ideas still being scored below.
 */
export function renderBoard(channelName: string, ideas: readonly Idea[], threshold: number): string {
  const revealed = ideas.filter((i) => i.revealed && !i.archived);
  const open = ideas.filter((i) => !i.revealed && !i.archived);
  const letters = new Map(revealed.map((idea, k) => [idea.number, markerFor(k)]));
  const lines = [
    `#### PICK board — ~${channelName} · threshold ${threshold} · ${revealed.length} revealed, ${open.length} being scored`,
  ];
  if (revealed.length > 0) lines.push('```', ...grid(revealed, letters, threshold), '```');
  for (const q of ['implement', 'challenge', 'possible', 'kill'] as const satisfies readonly Quadrant[]) {
    const inQ = revealed.filter((i) => i.revealed!.quadrant === q);
    if (inQ.length === 0) continue;
    lines.push(`**${capital(q)}** (${QUADRANT_HELP[q]})`);
    for (const idea of inQ) lines.push(`- \`${letters.get(idea.number)}\` ${ideaReference(idea.number)} ${idea.title} — ${resultLine(idea.revealed!)}`);
  }
  if (open.length > 0) {
    lines.push('**Being scored**');
    for (const idea of open) {
      const asked = idea.asked.length ? `/${idea.asked.length}` : '';
      lines.push(`- ${ideaReference(idea.number)} ${idea.title} — ${Object.keys(idea.scores).length}${asked} scored`);
    }
  }
  if (ideas.length === 0) lines.push('No ideas yet: `/pick add <idea>`.');
  return lines.join('\n');
}

function grid(ideas: readonly Idea[], letters: Map<number, string>, threshold: number): string[] {
  const cells = new Map<string, string[]>();
  for (const idea of ideas) {
    const r = idea.revealed!;
    const key = `${cellOf(r.payoff.median, threshold)}:${cellOf(r.cost.median, threshold)}`;
    cells.set(key, [...(cells.get(key) ?? []), letters.get(idea.number)!]);
  }
  const split = Math.ceil(threshold);
  const rows: string[] = ['payoff   Possible→Implement (low cost)  |  Challenge/Kill (high cost)'];
  for (let payoff = 10; payoff >= 1; payoff--) {
    let row = `${String(payoff).padStart(3)} |`;
    for (let cost = 1; cost <= 10; cost++) {
      if (cost === split) row += '|';
      const here = cells.get(`${payoff}:${cost}`) ?? [];
      row += here.length === 0 ? ' · ' : here.length <= 2 ? here.join('').padStart(2).padEnd(3) : ` ${Math.min(here.length, 9)}+`.slice(0, 3);
    }
    rows.push(row);
    if (payoff === split) rows.push(`    +${'-'.repeat(31)}`);
  }
  rows.push(`     ${Array.from({ length: 10 }, (_, i) => String(i + 1).padStart(2).padEnd(3)).join('')} cost`);
  return rows;
}

/** Grid cell for a median, always on the same side of the threshold as the median itself. */
function cellOf(value: number, threshold: number): number {
  const split = Math.ceil(threshold);
  const rounded = Math.min(10, Math.max(1, Math.round(value)));
  return value >= threshold ? Math.max(rounded, split) : Math.min(rounded, split - 1);
}

const MARKERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const markerFor = (k: number): string => MARKERS[k % MARKERS.length]!;
