import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quadrantOf as serverQuadrantOf } from '../../../server/src/product/pick/stats';
import { fixtureIdea, fixtureRevealed } from '../testing/fixtures';
import { QUADRANTS, type RoundResult } from '../contract';
import { contains, defaultLayout, plotIdeas, quadrantOf, quadrantRects, scaleFor } from './geometry';

const revealedIdea = (number: number, payoff: number, cost: number, over: Partial<RoundResult> = {}) =>
  fixtureIdea({ number, status: 'revealed', revealed: fixtureRevealed(payoff, cost, over) });

describe('quadrantOf', () => {
  it('names the four regions', () => {
    assert.equal(quadrantOf(2, 2, 5.5), 'possible');
    assert.equal(quadrantOf(9, 2, 5.5), 'implement');
    assert.equal(quadrantOf(9, 9, 5.5), 'challenge');
    assert.equal(quadrantOf(2, 9, 5.5), 'kill');
  });

  it('agrees with the server on every half-step median, threshold included', () => {
    for (const threshold of [5.5, 5, 3, 7.5]) {
      for (let p = 1; p <= 10; p += 0.5) {
        for (let c = 1; c <= 10; c += 0.5) {
          assert.equal(quadrantOf(p, c, threshold), serverQuadrantOf(p, c, threshold), `p=${p} c=${c} t=${threshold}`);
        }
      }
    }
  });
});

describe('scale', () => {
  const layout = defaultLayout(5.5);
  const s = scaleFor(layout);
  it('maps cost 1..10 left to right and payoff 1..10 bottom to top across the plot', () => {
    assert.equal(s.x(1), s.plot.x);
    assert.equal(s.x(10), s.plot.x + s.plot.width);
    assert.equal(s.y(10), s.plot.y);
    assert.equal(s.y(1), s.plot.y + s.plot.height);
  });
  it('clamps out-of-range scores to the plot', () => {
    assert.equal(s.x(0), s.x(1));
    assert.equal(s.y(12), s.y(10));
  });
});

describe('quadrantRects', () => {
  it('tiles the plot area exactly, split at the threshold', () => {
    const layout = defaultLayout(5.5);
    const { plot, x, y } = scaleFor(layout);
    const r = quadrantRects(layout);
    const area = QUADRANTS.reduce((sum, q) => sum + r[q].width * r[q].height, 0);
    assert.ok(Math.abs(area - plot.width * plot.height) < 1e-6);
    assert.equal(r.implement.x + r.implement.width, x(5.5));
    assert.equal(r.challenge.y + r.challenge.height, y(5.5));
    assert.ok(r.implement.y < r.possible.y, 'high payoff is on top');
    assert.ok(r.implement.x < r.challenge.x, 'low cost is on the left');
  });
});

describe('plotIdeas', () => {
  const layout = defaultLayout(5.5);
  const rects = quadrantRects(layout);

  it('places each idea inside the rectangle of its quadrant', () => {
    const ideas = [revealedIdea(1, 8, 2), revealedIdea(2, 8, 9), revealedIdea(3, 2, 2), revealedIdea(4, 2, 9), revealedIdea(5, 5.5, 5.5)];
    const points = plotIdeas(ideas, layout);
    assert.equal(points.length, 5);
    for (const p of points) {
      assert.equal(p.quadrant, p.result.quadrant, `idea ${p.idea.number}: geometry and server agree`);
      assert.ok(contains(rects[p.quadrant], p.cx, p.cy), `idea ${p.idea.number} at (${p.cx},${p.cy}) in ${p.quadrant}`);
    }
  });

  it('skips ideas that are not revealed', () => {
    assert.equal(plotIdeas([fixtureIdea()], layout).length, 0);
  });

  it('draws the inter-quartile whiskers through the point, in order', () => {
    const [p] = plotIdeas([revealedIdea(1, 7, 3)], layout);
    const s = scaleFor(layout);
    assert.deepEqual(p!.costWhisker, [s.x(2), s.x(4)]);
    assert.deepEqual(p!.payoffWhisker, [s.y(8), s.y(6)]);
    assert.ok(p!.payoffWhisker[0] <= p!.payoffWhisker[1]);
  });

  it('fans out ideas with the same medians without leaving their quadrant', () => {
    const same = [1, 2, 3, 4].map((n) => revealedIdea(n, 7, 3));
    const points = plotIdeas(same, layout);
    const positions = new Set(points.map((p) => `${p.cx.toFixed(2)},${p.cy.toFixed(2)}`));
    assert.equal(positions.size, 4, 'no two points on top of each other');
    for (const p of points) assert.ok(contains(rects.implement, p.cx, p.cy));
  });

  it('keeps fanned points on the threshold lines on their side', () => {
    const onLine = [1, 2, 3, 4].map((n) => revealedIdea(n, 5.5, 5.5));
    const points = plotIdeas(onLine, layout);
    for (const p of points) assert.ok(contains(rects.challenge, p.cx, p.cy));
    assert.ok(new Set(points.map((p) => `${p.cx},${p.cy}`)).size > 1, 'spread towards the high side');
  });
});
