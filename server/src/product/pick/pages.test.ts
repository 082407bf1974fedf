import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from '../contract/api';
import type { IdeaView } from '../contract/pick';
import { KvRepository } from '../shared/kv';
import type { Idea } from './records';
import { PickStore } from './store';
import { teamFixture, type TeamFixture } from './test_fixture';

/** Ideas written straight to the store (the layout the product writes), `scoredBy` having scored. */
async function seed(f: TeamFixture, count: number, from: number): Promise<void> {
  const store = new PickStore(f.h.ctx.kv);
  for (let i = from; i < from + count; i++) {
    const revealed = i % 3 === 0;
    await store.create({
      teamId: f.team.Id, channelId: i % 5 === 0 ? f.secret.Id : f.town.Id, title: `Idea ${i}`, ownerId: f.alice.Id,
      createdAt: i, updatedAt: i, round: 1, asked: [f.alice.Id, f.bob.Id, f.carol.Id],
      scores: { [f.bob.Id]: { payoff: 7, cost: 3, at: i } }, history: [], rfcNumber: null, archived: null,
      revealed: revealed ? { round: 1, payoff: { median: 8, q1: 7, q3: 9, iqr: 2 }, cost: { median: 2, q1: 1, q3: 3, iqr: 2 }, count: 2, quadrant: 'implement', disputed: false, threshold: 5.5, revealedAt: i, revealedBy: null } : null,
    });
  }
}

const PAGES = (f: TeamFixture) => [
  { name: 'channel page (HTTP)', http: `/api/v1/teams/${f.team.Id}/ideas?channel_id=${f.town.Id}` },
  { name: 'team page (HTTP)', http: `/api/v1/teams/${f.team.Id}/ideas` },
  { name: 'open ideas (HTTP)', http: `/api/v1/teams/${f.team.Id}/ideas?filter=open` },
  { name: 'second page (HTTP)', http: `/api/v1/teams/${f.team.Id}/ideas?cursor=17` },
  { name: '/pick board', command: '/pick board' },
  { name: '/pick list', command: '/pick list' },
  { name: '/pick list implement --team', command: '/pick list implement --team' },
];

test('every PICK page costs at most 3 KV calls, the same at 1x, 10x and 100x the ideas', async () => {
  // The digest enrols a user at their first command (KV writes once per user): not this test's subject.
  const f = await teamFixture({ DailyDigest: false });
  const costs: Record<string, number[]> = {};
  let stored = 0;
  for (const size of [30, 300, 3000]) {
    await seed(f, size - stored, stored + 1);
    stored = size;
    for (const page of PAGES(f)) {
      const before = f.h.api.kvCalls;
      if (page.http) {
        const res = await f.h.http('GET', page.http, f.carol);
        assert.equal(res.status, 200, `${page.name}: ${JSON.stringify(res.body)}`);
        assert.ok((res.body as Page<IdeaView>).items.length > 0, page.name);
      } else assert.doesNotMatch(await f.cmd(f.carol, page.command!), /None\.|No ideas yet/, page.name);
      (costs[page.name] ??= []).push(f.h.api.kvCalls - before);
    }
  }
  // Flat: the bound holds at every size (a page costs 2 or 3 depending on whether the newest
  // entries in the index head fill it, not on how many ideas are stored).
  for (const [name, calls] of Object.entries(costs)) assert.ok(calls.every((c) => c <= 3), `${name}: ${calls.join(', ')} KV calls at 1x, 10x, 100x`);
  f.h.close();
});

test('a page shows only ideas of channels the caller can read, and only the caller’s own score', async () => {
  const f = await teamFixture();
  await seed(f, 40, 1);
  const team = await f.h.http('GET', `/api/v1/teams/${f.team.Id}/ideas?per_page=100`, f.carol);
  const items = (team.body as Page<IdeaView>).items;
  assert.ok(items.length > 0 && items.every((i) => i.channelId === f.town.Id), 'carol is not in the private channel');
  assert.ok(items.every((i) => i.viewer?.myScore === null), 'bob’s scores are not carol’s');
  assert.ok(items.filter((i) => i.status === 'open').every((i) => i.viewer?.awaitingMyScore === true));
  const bobs = (await f.h.http('GET', `/api/v1/teams/${f.team.Id}/ideas?per_page=100`, f.bob)).body as Page<IdeaView>;
  assert.ok(bobs.items.some((i) => i.channelId === f.secret.Id));
  assert.ok(bobs.items.every((i) => i.viewer?.myScore?.payoff === 7 && i.viewer.awaitingMyScore === false));
  assert.equal((await f.h.http('GET', `/api/v1/teams/${f.team.Id}/ideas?channel_id=${f.secret.Id}`, f.carol)).status, 404);
  f.h.close();
});

test('entries written before summaries are read from their record once and repaired', async () => {
  const f = await teamFixture();
  await seed(f, 12, 1);
  // Strip every summary, as an earlier version wrote the entries.
  for (const key of [`pick:ch:${f.town.Id}:h`, `pick:tm:${f.team.Id}:h`]) {
    const head = JSON.parse(new TextDecoder().decode(f.world.kv.get(key))) as { entries: Array<{ d?: unknown }> };
    for (const e of head.entries) delete e.d;
    f.world.kv.set(key, new TextEncoder().encode(JSON.stringify(head)));
  }
  const url = `/api/v1/teams/${f.team.Id}/ideas?channel_id=${f.town.Id}`;
  let before = f.h.api.kvCalls;
  const first = (await f.h.http('GET', url, f.bob)).body as Page<IdeaView>;
  const repairCalls = f.h.api.kvCalls - before;
  assert.equal(first.items.length, 10);
  assert.equal(first.items[0]!.title, 'Idea 12');
  assert.ok(repairCalls > 3, 'the first read opens the records');
  before = f.h.api.kvCalls;
  const again = (await f.h.http('GET', url, f.bob)).body as Page<IdeaView>;
  assert.deepEqual(again, first);
  assert.ok(f.h.api.kvCalls - before <= 3, 'repaired: the index alone again');
  f.h.close();
});

test('owed sets written before they kept scores learn them once (migration)', async () => {
  const f = await teamFixture();
  await seed(f, 6, 1);
  const kv = new KvRepository(f.h.api);
  const ownKey = `pick:owe:${f.team.Id}:${f.bob.Id}`;
  const set = JSON.parse(new TextDecoder().decode(f.world.kv.get(ownKey))) as Record<string, unknown>;
  delete set['scored'];
  f.world.kv.set(ownKey, new TextEncoder().encode(JSON.stringify(set)));
  f.world.kv.delete('pick:migrated:scored');
  const idea = (await new PickStore(kv).get(f.team.Id, 2)) as Idea;
  assert.equal(idea.revealed, null);
  const moved = await new PickStore(kv).migrateScoredSets(1);
  assert.equal(moved, 4, 'the open ideas');
  const res = (await f.h.http('GET', `/api/v1/teams/${f.team.Id}/ideas?filter=open`, f.bob)).body as Page<IdeaView>;
  assert.ok(res.items.length === 4 && res.items.every((i) => i.viewer?.myScore?.payoff === 7));
  assert.equal(await new PickStore(kv).migrateScoredSets(2), 0, 'once');
  f.h.close();
});
