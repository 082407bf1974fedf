import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryWorld } from '../../plugin/testing/memory_api';
import { ProductHarness } from '../testing/product_harness';
import { PickStore } from './store';

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
