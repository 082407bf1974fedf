import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../plugin/api/app_error';
import { MemoryWorld } from '../../plugin/testing/memory_api';
import { ProductHarness } from '../testing/product_harness';
import { createIncidentsFeature } from './feature';
import { IncidentStore, SCHEMA_VERSION } from './store';
import { fixture, messages } from './test_fixture';

test('20 declarations at once on 3 nodes sharing one KV → 20 unique numbers and 20 channels', async () => {
  const world = new MemoryWorld();
  const f = await fixture({}, world);
  const nodes = [f.h, await new ProductHarness(world).activate(), await new ProductHarness(world).activate()];
  const people = [f.alice, f.bob, f.carol, f.dave];
  // The harness starts its HTTP listener on first use; start them before the burst.
  for (const node of nodes) await node.http('GET', '/api/v1/health', null);
  const replies = await Promise.all(
    Array.from({ length: 20 }, (_, n) => {
      const node = nodes[n % nodes.length]!;
      const user = people[n % people.length]!;
      // Same title everywhere: the names must still come out distinct.
      return n % 2
        ? node.command(user, f.town.Id, '/incident declare Checkout errors', f.team).then((r) => r.Text ?? '')
        : node.http('POST', f.url(), user, { title: 'Checkout errors' }).then((r) => JSON.stringify(r.body));
    }),
  );
  const numbers = replies.map((r) => Number(/INC-(\d+)/.exec(r)?.[1]));
  assert.deepEqual([...numbers].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1), replies.join('\n'));
  const channels = [...world.channels.values()].filter((c) => c.Name.startsWith('inc-'));
  assert.equal(channels.length, 20);
  assert.equal(new Set(channels.map((c) => c.Name)).size, 20);
  for (const c of channels) assert.equal(world.postsIn(c.Id).filter((p) => p.Type === 'custom_infra_incident').length, 1, `one card in ${c.Name}`);
  const list = await f.h.http('GET', f.url('?state=active&per_page=100'), f.dave);
  assert.equal((list.body as { items: unknown[] }).items.length, 5, 'dave sees the five he declared: the channels are private');
  const store = new IncidentStore(f.h.ctx.kv);
  assert.equal((await store.setMembers(f.team.Id, 'active')).length, 20);
  assert.equal(await store.index(f.team.Id).count(), 20);
  for (const n of nodes) n.close();
});

test('concurrent changes from two nodes are all kept (compare-and-set), timeline included', async () => {
  const world = new MemoryWorld();
  const f = await fixture({}, world);
  const other = await new ProductHarness(world).activate();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare Flapping DNS'));
  world.addChannelMember(ch.Id, f.bob.Id);
  await Promise.all(
    Array.from({ length: 12 }, (_, n) =>
      (n % 2 ? f.h : other).command(n % 3 ? f.alice : f.bob, ch.Id, `/incident timeline add note ${n}`, f.team),
    ),
  );
  await Promise.all([f.cmd(f.bob, '/incident follow', ch), other.command(f.alice, ch.Id, '/incident follow', f.team)]);
  const info = await f.cmd(f.alice, '/incident info', ch);
  assert.match(info, /\*\*Followers\*\* 2/);
  const tl = await f.h.http('GET', f.url(`/${f.numberOf(ch)}/timeline?per_page=100`), f.alice);
  const texts = (tl.body as { items: Array<{ text: string; seq: number }> }).items;
  for (let n = 0; n < 12; n++) assert.ok(texts.some((e) => e.text.endsWith(`: note ${n}`)), `note ${n} kept`);
  assert.deepEqual(texts.map((e) => e.seq), texts.map((_, i) => i), 'no gaps, no duplicates');
  f.h.close();
  other.close();
});

test('status-update reminders: due per severity, reset by updates, repeated, cancelled on resolve', async () => {
  // The incident's own reminders alone: its runbook's due-item nags are proven in runs/incident_runbook.test.ts.
  const f = await fixture({ IncidentUpdateIntervalSev2: 15, IncidentRunbooks: false });
  const { h } = f;
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Packet loss'));
  const id = (await new IncidentStore(h.ctx.kv).incidentIdForChannel(ch.Id))!;
  assert.equal(await h.ctx.scheduler.dueAt(`incident-reminder:${id}`), h.clock + 15 * 60_000);
  h.clock += 14 * 60_000;
  assert.equal(await h.ctx.scheduler.runDue(), 0);
  h.clock += 2 * 60_000;
  assert.equal(await h.ctx.scheduler.runDue(), 1);
  assert.equal(
    messages(f.world, ch.Id).at(-1),
    '⏰ @alice, INC-001 needs a status update: SEV2 (Major) expects one every 15 minutes, and there has been none since the declaration 16 minutes ago. It was due at 2027-01-04 09:15 UTC: post one with `/incident status <text>`.',
  );
  assert.equal(await h.ctx.scheduler.dueAt(`incident-reminder:${id}`), h.clock + 15 * 60_000, 'nudged again one interval later');

  h.clock += 5 * 60_000;
  await f.cmd(f.alice, '/incident status rerouted traffic', ch);
  assert.equal(await h.ctx.scheduler.dueAt(`incident-reminder:${id}`), h.clock + 15 * 60_000, 'reset by the update');
  await f.cmd(f.alice, '/incident severity 4', ch);
  assert.equal(await h.ctx.scheduler.dueAt(`incident-reminder:${id}`), null, 'SEV4 has no cadence by default');
  await f.cmd(f.alice, '/incident severity 1', ch);
  assert.equal(await h.ctx.scheduler.dueAt(`incident-reminder:${id}`), h.clock + 30 * 60_000, 'SEV1 default 30 minutes');
  await f.cmd(f.alice, '/incident resolve done', ch);
  assert.equal(await h.ctx.scheduler.dueAt(`incident-reminder:${id}`), null);
  const posted = messages(f.world, ch.Id).length;
  h.clock += 3 * 3_600_000;
  assert.equal(await h.ctx.scheduler.runDue(), 0);
  assert.equal(messages(f.world, ch.Id).length, posted);
  h.close();
});

test('a channel that cannot be created leaves nothing behind', async () => {
  const f = await fixture();
  f.h.api.createChannel = async () => {
    throw new AppError('app.channel.create_channel.internal_error', 'Unable to save the channel.', '', 500);
  };
  const reply = await f.cmd(f.alice, '/incident declare Broken');
  assert.match(reply, /The incident could not be declared: creating its channel failed \(Unable to save the channel\.\)\. Nothing was kept/);
  const store = new IncidentStore(f.h.ctx.kv);
  const tags = await store.allTags(f.team.Id);
  assert.deepEqual(tags.map((t) => t.tags['ph']), ['void']);
  assert.equal(await store.get(tags[0]!.id), null);
  assert.equal(await f.h.ctx.scheduler.dueAt(`incident-setup:${tags[0]!.id}`), null);
  const list = await f.h.http('GET', f.url(), f.alice);
  assert.deepEqual((list.body as { items: unknown[] }).items, []);
  f.h.close();
});

test('an interrupted declaration is finished by the setup job (on any node), without a second channel', async () => {
  const world = new MemoryWorld();
  const f = await fixture({}, world);
  const realCreate = f.h.api.createChannel.bind(f.h.api);
  // The channel is created but the reply is lost (node crash, timeout): the record has no channel id.
  f.h.api.createChannel = async (c) => {
    await realCreate(c);
    throw new AppError('plugin.rpc.timeout', 'the server did not answer', '', 500);
  };
  const reply = await f.cmd(f.alice, '/incident declare Lost reply');
  assert.match(reply, /INC-001 was created but its setup did not finish .* completed automatically/);
  assert.equal([...world.channels.values()].filter((c) => c.Name.startsWith('inc-')).length, 1);
  const list = async () => ((await f.h.http('GET', f.url(), f.alice)).body as { items: Array<{ reference: string }> }).items;
  assert.deepEqual(await list(), [], 'pending incidents are not listed');

  const node2 = await new ProductHarness(world).activate();
  node2.clock = f.h.clock + 3 * 60_000;
  assert.equal(await node2.ctx.scheduler.runDue(), 1);
  const channels = [...world.channels.values()].filter((c) => c.Name.startsWith('inc-'));
  assert.equal(channels.length, 1, 'the existing channel was adopted');
  assert.ok(world.membersOf(channels[0]!.Id).includes(f.alice.Id));
  assert.equal(f.card(channels[0]!.Id).IsPinned, true);
  assert.deepEqual((await list()).map((i) => i.reference), ['INC-001']);
  assert.equal(world.postsIn(f.feed.Id).length, 1, 'announced once');
  f.h.close();
  node2.close();
});

test('a failed card post is retried by the setup job', async () => {
  const f = await fixture();
  const realPost = f.h.api.createPost.bind(f.h.api);
  let failures = 1;
  f.h.api.createPost = async (p) => {
    if (p.Type === 'custom_infra_incident' && failures-- > 0) throw new AppError('app.post.create_post.internal_error', 'db down', '', 500);
    return realPost(p);
  };
  assert.match(await f.cmd(f.alice, '/incident declare Card trouble'), /setup did not finish \(db down\)/);
  f.h.clock += 3 * 60_000;
  assert.equal(await f.h.ctx.scheduler.runDue(), 1);
  const ch = [...f.world.channels.values()].find((c) => c.Name === 'inc-001-card-trouble')!;
  assert.equal(f.world.postsIn(ch.Id).filter((p) => p.Type === 'custom_infra_incident').length, 1);
  assert.match(await f.cmd(f.alice, '/incident info', ch), /🔴 Active/);
  f.h.close();
});

test('review source: oldest first, each reader sees what it may; a meeting marks only what its closer may review', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const reviews = createIncidentsFeature(f.h.ctx).reviews;
  const a = f.channelOf(await f.cmd(f.alice, '/incident declare sev1 Public one'));
  const b = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Secret one --private'));
  await f.cmd(f.alice, '/incident declare Still open');
  await f.cmd(f.alice, '/incident followup add Fix it @bob', b);
  f.h.clock += 60_000;
  await f.cmd(f.alice, '/incident resolve', b);
  f.h.clock += 60_000;
  await f.cmd(f.alice, '/incident resolve', a);
  const forAlice = await reviews.pendingReview(f.team.Id, { userId: f.alice.Id });
  assert.deepEqual(forAlice.items.map((p) => [p.reference, p.title, p.openFollowups]), [
    ['INC-002', 'Secret one', 1],
    ['INC-001', 'Public one', 0],
  ]);
  assert.equal(forAlice.hidden, 0);
  assert.equal(forAlice.items[1]!.mttrMinutes, 2);
  const forDave = await reviews.pendingReview(f.team.Id, { userId: f.dave.Id });
  assert.deepEqual([forDave.items.map((p) => p.reference), forDave.hidden], [['INC-001'], 1], 'a private incident is only counted');
  const inTown = await reviews.pendingReview(f.team.Id, { channelId: f.town.Id });
  assert.deepEqual([inTown.items.map((p) => p.reference), inTown.hidden], [['INC-001'], 1], 'an agenda post shows only open channels');

  const [secret, open] = [forAlice.items[0]!.incidentId, forAlice.items[1]!.incidentId];
  assert.deepEqual(await reviews.markReviewed(f.dave.Id, f.team.Id, [secret, open], f.h.clock), [], 'dave is in neither channel');
  assert.deepEqual(await reviews.markReviewed(f.alice.Id, f.team.Id, [open, 'unknown-id'], f.h.clock), [open]);
  assert.deepEqual((await reviews.pendingReview(f.team.Id, { userId: f.alice.Id })).items.map((p) => p.reference), ['INC-002']);
  assert.match(messages(f.world, a.Id).at(-1)!, /The Reliability Engineering Guild meeting \(closed by @alice\) reviewed this incident/);
  const other = f.world.addTeam('elsewhere');
  f.world.addTeamMember(other.Id, f.alice.Id);
  assert.deepEqual(await reviews.pendingReview(other.Id, { userId: f.alice.Id }), { items: [], hidden: 0 });
  assert.deepEqual(await reviews.markReviewed(f.alice.Id, other.Id, [secret], f.h.clock), [], 'another team cannot mark it');
  assert.equal((await reviews.pendingReview(f.team.Id, { userId: f.alice.Id })).items.length, 1);
  f.h.close();
});

test('activation writes the schema marker once and is idempotent; corrupt records are reported, not overwritten', async () => {
  const f = await fixture();
  const store = new IncidentStore(f.h.ctx.kv);
  assert.equal(await store.schemaVersion(), SCHEMA_VERSION);
  await f.h.product.onActivate!(f.h.api);
  assert.equal(await store.schemaVersion(), SCHEMA_VERSION);
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare Corrupt me'));
  const id = (await store.incidentIdForChannel(ch.Id))!;
  await f.h.api.kvSet(`inc:r:${id}`, new TextEncoder().encode('{"v":1,"id":'));
  assert.match(await f.cmd(f.alice, '/incident info', ch), /Something went wrong on our side; it has been logged/);
  assert.equal(new TextDecoder().decode((await f.h.api.kvGet(`inc:r:${id}`))), '{"v":1,"id":');
  // Lists read the snapshot in the index (the last good one), so every other incident still lists.
  await f.cmd(f.alice, '/incident declare Healthy one');
  const list = await f.h.http('GET', f.url(), f.alice);
  assert.deepEqual((list.body as { items: Array<{ title: string }> }).items.map((i) => i.title), ['Healthy one', 'Corrupt me']);
  assert.ok(f.world.logs.some((l) => l.level === 'error' && JSON.stringify(l).includes(`inc:r:${id}`)));
  f.h.close();
});
