import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from '../contract/api';
import type { RunSummaryView } from '../contract/runs';
import { teamFixture, type TeamFixture } from '../pick/test_fixture';
import type { Run } from './records';
import { progress } from './checklist';
import { RunStore } from './store';
import { listCopyOf, runSummaryView } from './views';

/** Copies of a started run written straight to the store (its layout), each in a channel of its own; every fifth private to alice. */
async function seed(f: TeamFixture, template: Run, from: number, count: number): Promise<void> {
  const store = new RunStore(f.h.ctx.kv);
  for (let n = from; n < from + count; n++) {
    const channel = f.world.addChannel(f.team.Id, `run-${n}`, n % 5 === 0 ? 'P' : 'O');
    f.world.addChannelMember(channel.Id, f.alice.Id);
    const { v: _v, number: _n, ordinal: _o, ...draft } = template;
    await store.create({ ...draft, name: `Run ${n}`, channelId: channel.Id, status: n % 2 ? 'active' : 'finished' });
  }
}

test('the runs list reads the index alone: at most 3 KV calls at 1x, 10x and 100x the runs; private ones never listed', async () => {
  const f = await teamFixture({ DailyDigest: false });
  assert.match(await f.cmd(f.alice, '/release start 1.0'), /Started RUN-001/);
  const template = (await new RunStore(f.h.ctx.kv).get(f.team.Id, 1))!;
  const costs: number[] = [];
  const recordReads: number[] = [];
  let stored = 1;
  for (const size of [2, 20, 200]) {
    await seed(f, template, stored + 1, size - stored);
    stored = size;
    const before = f.h.api.kvCalls;
    const res = await f.h.http('GET', `/api/v1/teams/${f.team.Id}/runs`, f.bob);
    costs.push(f.h.api.kvCalls - before);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const items = (res.body as Page<RunSummaryView>).items;
    assert.ok(items.length > 0 && items.every((r) => r.name === '1.0' || !/Run \d*[05]$/.test(r.name)), 'never a private run bob cannot read');
    assert.ok(items.every((r) => r.progress.total > 0 && !('checklists' in r)), "each run's progress from the entries, not its checklists");
    // Beside it, the read before the entries carried runs: the page, then every run on it.
    const start = f.h.api.kvCalls;
    const store = new RunStore(f.h.ctx.kv);
    const page = await store.teamIndex(f.team.Id).page({ before: null, limit: 20 });
    await store.getMany(f.team.Id, page.entries.map((e) => Number(e.id)));
    recordReads.push(f.h.api.kvCalls - start);
  }
  console.log(`# runs list KV calls at 1x, 10x, 100x: ${costs.join(', ')} (reading each run on the page, as before: ${recordReads.join(', ')})`);
  assert.ok(costs.every((c) => c <= 3), `runs list: ${costs.join(', ')} KV calls at 1x, 10x, 100x`);
  f.h.close();
});

for (const [older, entry] of [
  ['tags only', (_run: Run) => undefined],
  ['the whole run without its timeline', (run: Run) => ({ ...run, timeline: [] })],
] as const) {
  test(`index entries an older version wrote (${older}) are read from the record once, then repaired`, async () => {
    const f = await teamFixture({ DailyDigest: false });
    await f.cmd(f.alice, '/release start 1.0');
    const store = new RunStore(f.h.ctx.kv);
    const run = (await store.get(f.team.Id, 1))!;
    await store.teamIndex(f.team.Id).put(run.ordinal, '1', { s: run.status, k: run.kind }, entry(run));
    const list = async () => ((await f.h.http('GET', `/api/v1/teams/${f.team.Id}/runs`, f.alice)).body as Page<RunSummaryView>).items;
    let before = f.h.api.kvCalls;
    assert.deepEqual((await list()).map((r) => r.number), [1]);
    const repairing = f.h.api.kvCalls - before;
    before = f.h.api.kvCalls;
    assert.deepEqual(await list(), [runSummaryView(listCopyOf(run), f.h.ctx.now())]);
    assert.ok(f.h.api.kvCalls - before < repairing && f.h.api.kvCalls - before <= 2, 'repaired: the index alone');
    f.h.close();
  });
}

test("a run's list copy keeps no checklist text, and counts overdue items and open gates when the list is read", async () => {
  const f = await teamFixture({ DailyDigest: false });
  await f.cmd(f.alice, '/release start 1.0');
  const store = new RunStore(f.h.ctx.kv);
  const started = (await store.get(f.team.Id, 1))!;
  const now = f.h.ctx.now();
  const HOUR = 3_600_000;
  const dueAt = (list: number, item: number, due: number) => (run: Run): Run => ({
    ...run,
    checklists: run.checklists.map((c, l) => (l !== list ? c : { ...c, items: c.items.map((it, i) => (i === item ? { ...it, due } : it)) })),
  });
  const run = dueAt(0, 1, now + HOUR)(dueAt(0, 0, now - HOUR)(started));
  const copy = listCopyOf(run);
  const stored = JSON.stringify(copy);
  for (const item of run.checklists.flatMap((c) => c.items)) assert.ok(!stored.includes(item.title), `no item title (${item.title})`);
  console.log(`# a release run's list copy: ${stored.length} bytes (the run without its timeline: ${JSON.stringify({ ...run, timeline: [] }).length})`);
  assert.equal(runSummaryView(copy, now).progress.overdue, 1);
  assert.equal(runSummaryView(copy, now + 2 * HOUR).progress.overdue, 2, 'an item falls overdue with no write');
  for (const at of [now, now + 2 * HOUR]) assert.deepEqual(runSummaryView(copy, at).progress, progress(run, at));
  assert.equal(runSummaryView(copy, now).progress.openGates, 3);
  f.h.close();
});
