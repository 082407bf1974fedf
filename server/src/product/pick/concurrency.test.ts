import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { KvRepository } from '../shared/kv';
import { HeldKv, twoNodes } from '../testing/staged_kv';
import { type TeamFixture, teamFixture } from './test_fixture';
import { ProductHarness } from '../testing/product_harness';
import type { Idea } from './records';
import { PickStore, waitingOn } from './store';

const revealedFixture = { round: 1, payoff: { median: 8, q1: 8, q3: 9, iqr: 1 }, cost: { median: 2, q1: 2, q3: 2, iqr: 0 }, count: 2, quadrant: 'implement' as const, disputed: false, threshold: 5.5, revealedAt: 2, revealedBy: null };

test('50 users scoring one idea at once across 4 HA nodes: every score kept, median right, one reveal', async () => {
  const world = new MemoryWorld();
  const team = world.addTeam('ops');
  const channel = world.addChannel(team.Id, 'prioritisation');
  const users = Array.from({ length: 50 }, (_, i) => world.addUser(`user${i}`));
  for (const u of users) {
    world.addTeamMember(team.Id, u.Id);
    world.addChannelMember(channel.Id, u.Id);
  }
  const nodes = await Promise.all([0, 1, 2, 3].map(() => new ProductHarness(world).activate()));
  const add = await nodes[0]!.command(users[0]!, channel.Id, '/pick add Shard the metrics store', team);
  assert.match(add.Text ?? '', /50 channel members are asked/);

  const payoff = (i: number): number => (i < 30 ? 8 : 3);
  const cost = (i: number): number => 1 + (i % 4);
  const replies = await Promise.all(
    users.map((u, i) => nodes[i % nodes.length]!.command(u, channel.Id, `/pick score 1 payoff=${payoff(i)} cost=${cost(i)}`, team)),
  );
  for (const r of replies) assert.match(r.Text ?? '', /^Your score for IDEA-001/);
  assert.equal(replies.filter((r) => /revealed now/.test(r.Text ?? '')).length, 1, 'exactly one scorer completes the round');

  const idea = await new PickStore(nodes[1]!.ctx.kv).get(team.Id, 1);
  assert.ok(idea);
  assert.equal(Object.keys(idea.scores).length, 50);
  users.forEach((u, i) => assert.deepEqual({ p: idea.scores[u.Id]!.payoff, c: idea.scores[u.Id]!.cost }, { p: payoff(i), c: cost(i) }));
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return (s[24]! + s[25]!) / 2;
  };
  assert.equal(idea.revealed?.count, 50);
  assert.equal(idea.revealed?.payoff.median, median(users.map((_, i) => payoff(i))));
  assert.equal(idea.revealed?.cost.median, median(users.map((_, i) => cost(i))));
  assert.equal(idea.revealed?.payoff.median, 8);
  assert.equal(idea.revealed?.cost.median, 2);
  assert.equal(idea.revealed?.quadrant, 'implement');
  const announcements = world.postsIn(channel.Id).filter((p) => /revealed automatically/.test(p.Message ?? ''));
  assert.equal(announcements.length, 1, 'the reveal is announced once');
  for (const n of nodes) n.close();
});

test('scores at once on two nodes answer before the index counts follow; once settled every list shows them all, each scorer their own', async () => {
  const world = new MemoryWorld();
  const team = world.addTeam('ops');
  const channel = world.addChannel(team.Id, 'prioritisation');
  const users = Array.from({ length: 12 }, (_, i) => world.addUser(`scorer${i}`));
  for (const u of users) {
    world.addTeamMember(team.Id, u.Id);
    world.addChannelMember(channel.Id, u.Id);
  }
  const nodes = await Promise.all([0, 1].map(() => new ProductHarness(world).activate()));
  // The owner (users[0]) never scores: the round stays open and the entries keep their tags.
  await nodes[0]!.command(users[0]!, channel.Id, '/pick add Batch the uploads', team);
  const scorers = users.slice(1);
  const path = `/api/v1/teams/${team.Id}/ideas`;
  const answers = await Promise.all(
    scorers.map((u, i) => nodes[i % 2]!.http('POST', `${path}/1/score`, u, { payoff: 1 + (i % 10), cost: 2 }, { settle: false })),
  );
  for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
  // A rescore by one of them with a stale basis on the other node (the idea changed since it read it).
  assert.equal((await nodes[1]!.http('POST', `${path}/1/score`, scorers[0]!, { payoff: 9, cost: 9 }, { settle: false })).status, 200);
  await Promise.all(nodes.map((n) => n.settled()));

  type Page = { items: Array<{ number: number; scoredCount: number; status: string; viewer: { myScore: { payoff: number; cost: number } | null } | null }> };
  for (const node of nodes) {
    for (const query of [`?channel_id=${channel.Id}`, '']) {
      for (const [i, u] of scorers.entries()) {
        const page = (await node.http('GET', `${path}${query}`, u)).body as Page;
        const listed = page.items.find((x) => x.number === 1);
        assert.equal(listed?.scoredCount, scorers.length, `${query || 'team'} page counts every score`);
        assert.equal(listed?.status, 'open');
        assert.deepEqual(listed?.viewer?.myScore, i === 0 ? { payoff: 9, cost: 9 } : { payoff: 1 + (i % 10), cost: 2 });
      }
    }
  }
  const idea = await new PickStore(nodes[0]!.ctx.kv).get(team.Id, 1);
  assert.equal(Object.keys(idea?.scores ?? {}).length, scorers.length, 'no score overwrote another');
  for (const n of nodes) n.close();
});

test('an update that changes the tags puts the entries itself; one that keeps them leaves them pending when asked to', async () => {
  const world = new MemoryWorld();
  const team = world.addTeam('ops');
  const channel = world.addChannel(team.Id, 'prioritisation');
  const [a, b] = [world.addUser('ann'), world.addUser('ben')];
  for (const u of [a, b]) {
    world.addTeamMember(team.Id, u.Id);
    world.addChannelMember(channel.Id, u.Id);
  }
  const node = await new ProductHarness(world).activate();
  await node.command(a, channel.Id, '/pick add Cache the builds', team);
  const store = new PickStore(node.ctx.kv);
  const summaryOf1 = async (): Promise<{ s: unknown; scored: unknown }> => {
    const [entry] = await store.channelIndex(channel.Id).all();
    return { s: entry?.t.s, scored: (entry?.d as { scoredCount?: number } | undefined)?.scoredCount };
  };
  const score = (user: string, payoff: number) => (idea: Idea): Idea => ({ ...idea, scores: { ...idea.scores, [user]: { payoff, cost: 2, at: 1 } } });
  const kept = await store.update(team.Id, 1, score(a.Id, 8), { entriesLater: true });
  assert.equal(kept.entriesPending, true);
  assert.deepEqual(await summaryOf1(), { s: 'open', scored: 0 }, 'pending: the count follows later');
  const idea = await store.settleAfterAnswer([kept.after], true);
  assert.equal(Object.keys(idea?.scores ?? {}).length, 1);
  assert.deepEqual(await summaryOf1(), { s: 'open', scored: 1 });
  const revealed = await store.update(
    team.Id,
    1,
    (i) => ({ ...score(b.Id, 9)(i), revealed: { ...revealedFixture, count: 2 } }),
    { entriesLater: true },
  );
  assert.equal(revealed.entriesPending, false);
  assert.deepEqual(await summaryOf1(), { s: 'revealed', scored: 2 }, 'a new status is put before the update resolves');
  node.close();
});

test('an older write\'s index entries landing after another node archived the idea are put again from the record', async () => {
  const f = await teamFixture();
  assert.match(await f.cmd(f.alice, '/pick add Cache the artifacts'), /IDEA-001/);
  const slow = new HeldKv(new MemoryApi(f.world));
  const a = new PickStore(new KvRepository(slow));
  const b = new PickStore(new KvRepository(new MemoryApi(f.world)));
  const idea = (await b.get(f.team.Id, 1))!;
  // A reveals it (its status changes: the entries are put before the answer); that put waits.
  const put = slow.hold(`pick:ch:${f.town.Id}:h`);
  const aReveal = a.update(f.team.Id, 1, (i) => ({ ...i, revealed: { ...revealedFixture, revealedAt: 5 }, updatedAt: 5 }));
  await put.reached;
  // B archives it, entries and all.
  await b.update(f.team.Id, 1, (i) => ({ ...i, archived: { reason: 'done elsewhere', by: f.alice.Id, at: 6 }, updatedAt: 6 }));
  put.release();
  await aReveal;
  const entry = (await b.channelIndex(f.town.Id).entryAt(idea.channelOrdinal))!;
  assert.equal(entry.t['s'], 'archived', 'the channel list files it as archived');
  f.h.close();
});

/**
 * Node A's score of alice whose write to her owed set lands late: after node B revealed the idea
 * and started round 2, which asks her again (so her set, answered by the late write, no longer asks her).
 */
async function lateScoreAfterNewRound(): Promise<{ f: TeamFixture; a: PickStore; b: PickStore; written: Idea }> {
  const f = await teamFixture();
  assert.match(await f.cmd(f.alice, '/pick add Cache the artifacts'), /IDEA-001/);
  const { held, slow, other } = twoNodes(f.world);
  const [a, b] = [new PickStore(slow), new PickStore(other)];
  const put = held.hold(`pick:owe:${f.team.Id}:${f.alice.Id}`);
  const scored = a.update(f.team.Id, 1, (i) => ({ ...i, scores: { ...i.scores, [f.alice.Id]: { payoff: 8, cost: 2, at: 3 } }, updatedAt: 3 }), { entriesLater: true });
  await put.reached;
  await b.update(f.team.Id, 1, (i) => ({ ...i, revealed: revealedFixture, updatedAt: 4 }));
  await b.update(f.team.Id, 1, (i) => ({ ...i, history: [...i.history, i.revealed!], revealed: null, scores: {}, round: i.round + 1, updatedAt: 5 }));
  put.release();
  const { after } = await scored;
  assert.deepEqual((await b.owedBy(f.team.Id, f.alice.Id)).ideas, [], 'her late write answered the new round\'s ask');
  return { f, a, b, written: after };
}

async function assertAliceAsked(f: TeamFixture, b: PickStore): Promise<void> {
  assert.ok(waitingOn((await b.get(f.team.Id, 1))!).includes(f.alice.Id), 'round 2 waits on alice');
  assert.deepEqual((await b.owedBy(f.team.Id, f.alice.Id)).ideas.map((i) => i.number), [1], 'her set asks her for IDEA-001');
}

test('a score\'s late write to its scorer\'s set is put right after its answer when another node has started a new round', async () => {
  const { f, a, b, written } = await lateScoreAfterNewRound();
  await a.settleAfterAnswer([written], true); // the score's after-answer work
  await assertAliceAsked(f, b);
  f.h.close();
});

test('coalesced after-answer refreshes put right what any of their scores\' late writes left', async () => {
  const { f, a, b, written } = await lateScoreAfterNewRound();
  // A: bob scores round 2 while the first refresh is still queued: one refresh runs for both.
  const bobScore = await a.update(f.team.Id, 1, (i) => ({ ...i, scores: { ...i.scores, [f.bob.Id]: { payoff: 5, cost: 5, at: 6 } }, updatedAt: 6 }), { entriesLater: true });
  await a.settleAfterAnswer([written, bobScore.after], true);
  await assertAliceAsked(f, b);
  f.h.close();
});
