// Geometry of the PICK 2x2 chart, kept apart from React so it can be tested as numbers.
// x = cost/risk (left low, right high), y = payoff (bottom low, top high), both on the 1..10 score
// scale. The threshold splits each axis; the four regions are:
//   Implement (high payoff, low cost)   top-left    | Challenge (high payoff, high cost) top-right
//   Possible  (low payoff, low cost)    bottom-left | Kill      (low payoff, high cost)  bottom-right
import { SCORE_MAX, SCORE_MIN, type Idea, type Quadrant, type RoundResult, type Spread } from '../contract';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  /** Room for axis labels around the plot area. */
  margin: { top: number; right: number; bottom: number; left: number };
  threshold: number;
}

export const defaultLayout = (threshold: number): ChartLayout => ({
  width: 360,
  height: 320,
  margin: { top: 12, right: 12, bottom: 36, left: 40 },
  threshold,
});

/** A median at or above the threshold counts as high (as on the server, pick/stats.ts). */
export function quadrantOf(payoff: number, cost: number, threshold: number): Quadrant {
  const highPayoff = payoff >= threshold;
  const highCost = cost >= threshold;
  if (highPayoff) return highCost ? 'challenge' : 'implement';
  return highCost ? 'kill' : 'possible';
}

const clampScore = (v: number): number => Math.min(SCORE_MAX, Math.max(SCORE_MIN, v));

export interface Scale {
  plot: Rect;
  /** Cost score → x pixel. */
  x: (cost: number) => number;
  /** Payoff score → y pixel (SVG y grows downwards). */
  y: (payoff: number) => number;
}

export function scaleFor(layout: ChartLayout): Scale {
  const { margin } = layout;
  const plot: Rect = {
    x: margin.left,
    y: margin.top,
    width: layout.width - margin.left - margin.right,
    height: layout.height - margin.top - margin.bottom,
  };
  const span = SCORE_MAX - SCORE_MIN;
  return {
    plot,
    x: (cost) => plot.x + ((clampScore(cost) - SCORE_MIN) / span) * plot.width,
    y: (payoff) => plot.y + ((SCORE_MAX - clampScore(payoff)) / span) * plot.height,
  };
}

/** The four quadrant rectangles in pixels, split at the threshold on both axes. */
export function quadrantRects(layout: ChartLayout): Record<Quadrant, Rect> {
  const s = scaleFor(layout);
  const { plot } = s;
  const tx = s.x(layout.threshold);
  const ty = s.y(layout.threshold);
  const left = tx - plot.x;
  const right = plot.x + plot.width - tx;
  const top = ty - plot.y;
  const bottom = plot.y + plot.height - ty;
  return {
    implement: { x: plot.x, y: plot.y, width: left, height: top },
    challenge: { x: tx, y: plot.y, width: right, height: top },
    possible: { x: plot.x, y: ty, width: left, height: bottom },
    kill: { x: tx, y: ty, width: right, height: bottom },
  };
}

export interface PlottedIdea {
  idea: Idea;
  result: RoundResult;
  quadrant: Quadrant;
  cx: number;
  cy: number;
  /** Inter-quartile range of cost, drawn horizontally through the point. */
  costWhisker: [number, number];
  /** Inter-quartile range of payoff, drawn vertically through the point. */
  payoffWhisker: [number, number];
}

const whisker = (spread: Spread, to: (v: number) => number): [number, number] => {
  const a = to(spread.q1);
  const b = to(spread.q3);
  return a <= b ? [a, b] : [b, a];
};

/**
 * Places revealed ideas at (median cost, median payoff). Ideas with the same medians would hide
 * each other, so they are fanned out on a small circle around the shared point, never across a
 * threshold line (on an axis where the offset would cross a line, it is dropped).
 */
export function plotIdeas(ideas: readonly Idea[], layout: ChartLayout, fan = 7): PlottedIdea[] {
  const s = scaleFor(layout);
  const groups = new Map<string, { idea: Idea; result: RoundResult }[]>();
  for (const idea of ideas) {
    const result = idea.revealed;
    if (!result) continue;
    const key = `${result.cost.median}|${result.payoff.median}`;
    const group = groups.get(key) ?? [];
    group.push({ idea, result });
    groups.set(key, group);
  }
  const out: PlottedIdea[] = [];
  for (const group of groups.values()) {
    group.forEach(({ idea, result: r }, i) => {
      let cx = s.x(r.cost.median);
      let cy = s.y(r.payoff.median);
      if (group.length > 1) {
        const angle = (2 * Math.PI * i) / group.length - Math.PI / 2;
        const dx = fan * Math.cos(angle);
        const dy = fan * Math.sin(angle);
        const tx = s.x(layout.threshold);
        const ty = s.y(layout.threshold);
        // Keep the nudged point on the same side of each threshold line as the real median; a
        // median on the line counts as high (right of the cost line, above the payoff line).
        const highCost = (px: number) => px >= tx;
        const highPayoff = (py: number) => py <= ty;
        if (highCost(cx + dx) === highCost(cx)) cx += dx;
        if (highPayoff(cy + dy) === highPayoff(cy)) cy += dy;
      }
      out.push({
        idea,
        result: r,
        quadrant: quadrantOf(r.payoff.median, r.cost.median, layout.threshold),
        cx,
        cy,
        costWhisker: whisker(r.cost, s.x),
        payoffWhisker: whisker(r.payoff, s.y),
      });
    });
  }
  return out;
}

export const contains = (rect: Rect, x: number, y: number): boolean =>
  x >= rect.x && x <= rect.x + rect.width && y >= rect.y && y <= rect.y + rect.height;

/** Integer tick values 1..10 for the axes. */
export const ticks = (): number[] => Array.from({ length: SCORE_MAX - SCORE_MIN + 1 }, (_, i) => SCORE_MIN + i);
