import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { RunStatsView } from '../contract';
import { RunStatsChart } from './run_stats';

const stats = (over: Partial<RunStatsView>): RunStatsView => ({
  template: 'T',
  kind: 'release',
  started: 0,
  finished: 0,
  medianDuration: null,
  medianFirstAction: null,
  medianApproval: null,
  onTime: { kept: 0, of: 0 },
  ...over,
});

describe('RunStatsChart', () => {
  const html = renderToStaticMarkup(
    <RunStatsChart stats={[stats({ template: 'Product release', started: 4, finished: 2, medianDuration: 600, medianApproval: 90 }), stats({ template: 'Incident (SEV1–2)', kind: 'incident', started: 2, finished: 2, medianFirstAction: 9, medianDuration: 120 })]} />,
  );

  it('draws started and finished per template, and only the times it has', () => {
    assert.equal(html.match(/<rect/g)?.length, 8, '2 × (started, finished) + 2 release times + 2 incident times');
    assert.equal(html.match(/class="io-bar io-bar-count-0"/g)?.length, 2);
    assert.ok(html.includes('>MTTA 9m</text>') && html.includes('>MTTR 2h</text>'), 'an incident template says MTTA and MTTR');
    assert.ok(html.includes('>to finish 10h</text>') && html.includes('>in approval 1h 30m</text>'));
  });

  it('draws the bars to one scale: 2 finished of 4 started is half as long', () => {
    const widths = [...html.matchAll(/class="io-bar io-bar-count-\d" x="\d+" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.equal(widths.length, 4);
    assert.equal(widths[1]! / widths[0]!, 0.5);
  });

  it('names its figures for screen readers, and says so when there are no runs', () => {
    assert.ok(html.includes('role="img"'));
    assert.match(html, /<title id="io-stats-title">Product release: 4 started, 2 finished, to finish 10h, in approval 1h 30m; Incident \(SEV1–2\): 2 started, 2 finished, to finish 2h, in approval —<\/title>/);
    assert.match(renderToStaticMarkup(<RunStatsChart stats={[]} />), /<title id="io-stats-title">No runs yet<\/title>/);
  });
});
