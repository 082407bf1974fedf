import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, reportHtml, reportMarkdown } from './report';
import type { Run } from './records';

const T = Date.UTC(2027, 0, 4, 9);

const run: Run = {
  v: 2,
  teamId: 't',
  number: 7,
  ordinal: 0,
  kind: 'release',
  name: '<b>1.0</b>',
  channelId: 'c',
  ownerId: 'u1',
  template: { slug: 'product-release', name: 'Product release', version: 2 },
  status: 'finished',
  startedAt: T,
  updatedAt: T + 90 * 60_000,
  finishedAt: T + 90 * 60_000,
  finishOverride: null,
  checklists: [
    {
      title: 'Prepare',
      items: [
        { title: 'Cut branch', description: '', assignees: ['u1'], due: T + 60 * 60_000, command: null, state: 'done', by: 'u2', at: T + 30 * 60_000, gate: null, naggedFor: null },
        { title: 'Changelog', description: '', assignees: [], due: T + 60 * 60_000, command: null, state: 'done', by: 'u1', at: T + 80 * 60_000, gate: null, naggedFor: null },
        { title: 'Skip me', description: '', assignees: [], due: null, command: null, state: 'skipped', by: 'u1', at: T, gate: null, naggedFor: null },
      ],
    },
  ],
  statusUpdateMinutes: null,
  timeline: [{ at: T, by: 'u1', text: '@alice started the run' }],
  timelineCount: 3,
  cardPostId: null,
  retro: { sections: [], publishedAt: null, publishedBy: null },
  updates: { cadenceMinutes: null, source: 'template', lastAt: null, lastBy: null, snoozedUntil: null, remindedFor: null, requestedAt: null, requestedBy: null },
  incident: null,
};
const names = new Map([
  ['u1', 'alice'],
  ['u2', 'bob'],
]);

test('the Markdown report: summary with duration and on-time share, each item with who and when, gates, timeline with what was not kept', () => {
  const md = reportMarkdown(run, names, T + 100 * 60_000);
  assert.match(md, /^# RUN-007 <b>1\.0<\/b>\n/);
  assert.match(md, /- Release manager: @alice/);
  assert.match(md, /- Finished: 2027-01-04 10:30 UTC \(after 1h 30m\)/);
  assert.match(md, /- Items: 2 done, 1 skipped, 0 open of 3; 1 of 2 with a due time done on time/);
  assert.match(md, /- 1\.1 Cut branch: done by @bob at 2027-01-04 09:30 UTC, due 2027-01-04 10:00 UTC, assigned to @alice/);
  assert.match(md, /- 1\.2 Changelog: done by @alice at 2027-01-04 10:20 UTC, due 2027-01-04 10:00 UTC \(late\)/);
  assert.match(md, /## Approvals\n\n- No approval gates\./);
  assert.match(md, /- \(2 older entries were not kept\)\n- 2027-01-04 09:00 UTC @alice started the run/);
});

test('the HTML report escapes everything it shows', () => {
  const html = reportHtml(run, names, T);
  assert.match(html, /<title>RUN-007 &lt;b&gt;1\.0&lt;\/b&gt;<\/title>/);
  assert.doesNotMatch(html, /<b>1\.0<\/b>/);
  assert.equal(escapeHtml(`"'&<>`), '&quot;&#39;&amp;&lt;&gt;');
});
