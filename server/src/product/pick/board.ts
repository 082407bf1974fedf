import { type IdeaView, ideaReference, type Quadrant } from '../contract/pick';
import { BOARD, resultNumbers } from './messages';

/**
 * The `/pick board` chart as text: a 10×10 grid (payoff up, cost right) split at the threshold,
 * each revealed idea a letter (oldest idea first, so a letter stays put as others are revealed),
 * with the quadrant lists and the ideas still being scored below.
 */
export function renderBoard(channelName: string, ideas: readonly IdeaView[], threshold: number): string {
  const revealed = ideas.filter((i) => i.status === 'revealed').sort((a, b) => a.number - b.number);
  const open = ideas.filter((i) => i.status === 'open');
  const letters = new Map(revealed.map((idea, k) => [idea.number, markerFor(k)]));
  const lines = [BOARD.heading(channelName, threshold, revealed.length, open.length)];
  if (revealed.length > 0) lines.push('```', ...grid(revealed, letters, threshold), '```');
  for (const q of BOARD_ORDER) {
    const inQ = revealed.filter((i) => i.revealed!.quadrant === q);
    if (inQ.length === 0) continue;
    lines.push(BOARD.quadrantHeading(q));
    for (const idea of inQ) lines.push(`- \`${letters.get(idea.number)}\` ${ideaReference(idea.number)} ${idea.title} — ${resultNumbers(idea.revealed!)}`);
  }
  if (open.length > 0) lines.push(BOARD.beingScored, ...open.map(BOARD.scoringLine));
  if (ideas.length === 0) lines.push(BOARD.empty);
  return lines.join('\n');
}

function grid(ideas: readonly IdeaView[], letters: Map<number, string>, threshold: number): string[] {
  const cells = new Map<string, string[]>();
  for (const idea of ideas) {
    const r = idea.revealed!;
    const key = `${cellOf(r.payoff.median, threshold)}:${cellOf(r.cost.median, threshold)}`;
    cells.set(key, [...(cells.get(key) ?? []), letters.get(idea.number)!]);
  }
  const split = Math.ceil(threshold);
  const rows: string[] = [BOARD.axes];
  for (let payoff = 10; payoff >= 1; payoff--) {
    let row = `${String(payoff).padStart(3)} |`;
    for (let cost = 1; cost <= 10; cost++) {
      if (cost === split) row += '|';
      row += cell(cells.get(`${payoff}:${cost}`) ?? []);
    }
    rows.push(row);
    if (payoff === split) rows.push(`    +${'-'.repeat(31)}`);
  }
  // The cost labels under their cells: the threshold's column gets the same extra '|' the rows have.
  let labels = '     ';
  for (let cost = 1; cost <= 10; cost++) labels += `${cost === split ? ' ' : ''}${String(cost).padStart(2).padEnd(3)}`;
  rows.push(`${labels} cost`);
  return rows;
}

/** Three characters: a dot, one or two letters, or how many share the cell. */
function cell(here: readonly string[]): string {
  if (here.length === 0) return ' · ';
  if (here.length <= 2) return here.join('').padStart(2).padEnd(3);
  return here.length <= 9 ? ` ${here.length} ` : ' 9+';
}

/** Grid cell for a median, always on the same side of the threshold as the median itself. */
function cellOf(value: number, threshold: number): number {
  const split = Math.ceil(threshold);
  const rounded = Math.min(10, Math.max(1, Math.round(value)));
  return value >= threshold ? Math.max(rounded, split) : Math.min(rounded, split - 1);
}

const BOARD_ORDER: readonly Quadrant[] = ['implement', 'challenge', 'possible', 'kill'];
const MARKERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const markerFor = (k: number): string => MARKERS[k % MARKERS.length]!;
