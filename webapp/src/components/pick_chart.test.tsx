import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { fixtureIdea, fixtureRevealed } from '../testing/fixtures';
import type { RoundResult } from '../contract';
import { PickChart } from './pick_chart';

const idea = (number: number, title: string, payoff: number, cost: number, over: Partial<RoundResult> = {}) =>
  fixtureIdea({ number, title, reference: `IDEA-${number}`, status: 'revealed', revealed: fixtureRevealed(payoff, cost, over) });

describe('PickChart', () => {
  const html = renderToStaticMarkup(<PickChart ideas={[idea(1, 'Cache builds', 8, 2), idea(2, 'Rewrite in Rust', 7, 9, { disputed: true })]} threshold={5.5} />);

  it('draws the four labelled quadrants and one focusable point per idea', () => {
    for (const label of ['Possible', 'Implement', 'Challenge', 'Kill']) assert.ok(html.includes(`>${label}</text>`), label);
    assert.equal(html.match(/<circle/g)?.length, 2);
    assert.equal(html.match(/tabindex="0"/g)?.length, 2);
  });

  it('describes each point for screen readers, flagging disagreement', () => {
    assert.ok(html.includes('aria-label="IDEA-1 Cache builds: Implement, payoff 8 (IQR 7–9), cost 2 (IQR 1–3), 3 scorers"'));
    assert.ok(/aria-label="IDEA-2 Rewrite in Rust: Challenge[^"]*, disputed"/.test(html));
  });

  it('labels the chart as a whole', () => {
    assert.ok(html.includes('aria-label="PICK chart: 2 ideas; payoff upwards, cost to the right, threshold 5.5"'));
  });
});
