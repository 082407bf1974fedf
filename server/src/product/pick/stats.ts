/**
 * The numbers a PICK round shows once revealed: median and spread per axis, the quadrant and
 * the disagreement flag. Pure functions, so they are tested without any store.
 */

import type { Quadrant, Spread } from '../contract/pick';
import type { RoundResult } from './records';

export { QUADRANTS, type Quadrant } from '../contract/pick';

export type AxisStats = Spread;

/**
 * Quartiles by linear interpolation between closest ranks (the "R-7"/spreadsheet QUARTILE.INC
 * method): well defined for any n ≥ 1 and what people get when they check in a spreadsheet.
 */
export function axisStats(values: readonly number[]): AxisStats {
  if (values.length === 0) throw new Error('axisStats of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => {
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.ceil(h);
    return round2(sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!));
  };
  const q1 = at(0.25);
  const q3 = at(0.75);
  return { median: at(0.5), q1, q3, iqr: round2(q3 - q1) };
}

/** A median at or above the threshold counts as high. */
export function quadrantOf(payoffMedian: number, costMedian: number, threshold: number): Quadrant {
  const highPayoff = payoffMedian >= threshold;
  const highCost = costMedian >= threshold;
  if (highPayoff) return highCost ? 'challenge' : 'implement';
  return highCost ? 'kill' : 'possible';
}

/** Disagreement worth discussing: the middle half of the scorers spans `iqrLimit` or more on an axis. */
export function isDisputed(payoff: AxisStats, cost: AxisStats, iqrLimit: number): boolean {
  return payoff.iqr >= iqrLimit || cost.iqr >= iqrLimit;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The aggregate a reveal shows: never a person's score, only medians, spreads and the count. */
export function roundResult(
  round: number,
  scores: ReadonlyArray<{ payoff: number; cost: number }>,
  settings: { threshold: number; disagreementIqr: number },
  revealedAt: number,
  revealedBy: string | null,
): RoundResult {
  const payoff = axisStats(scores.map((s) => s.payoff));
  const cost = axisStats(scores.map((s) => s.cost));
  return {
    round,
    payoff,
    cost,
    count: scores.length,
    quadrant: quadrantOf(payoff.median, cost.median, settings.threshold),
    disputed: isDisputed(payoff, cost, settings.disagreementIqr),
    threshold: settings.threshold,
    revealedAt,
    revealedBy,
  };
}
