import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgendaView, GuildView } from '../contract/guilds';
import { MemoryWorld } from '../../plugin/testing/memory_api';
import type { Incident } from '../incidents/records';
import { IncidentStore } from '../incidents/store';
import type { Idea } from '../pick/records';
import { resultOf } from '../pick/service';
import { PickStore } from '../pick/store';
import { RfcStore } from '../rfc/store';
import { countCalls, KV_CALLS_HEADER } from '../shared/call_count';
import { ProductHarness } from '../testing/product_harness';
import { seedTeam } from '../testing/team_seed';
import { GuildStore } from './store';

/**
 * A guild's agenda and the team's guild list on the whole product (real incidents, RFCs and PICK
 * behind the ports), counted in KV calls at 1x, 10x and 100x the data: the cost follows the page,
 * never the data. Every other item of each kind lives in a private channel bob is not in.
 */
test('a guild agenda and the guild list cost the same few KV calls at 1x, 10x and 100x, and never show or count what the reader may not see', async () => {
  const world = new MemoryWorld();
  const s = seedTeam(world);
  const secret = world.addChannel(s.team.Id, 'secret', 'P');
  for (const u of [s.alice, s.bob]) world.addChannelMember(s.town.Id, u.Id);
  world.addChannelMember(secret.Id, s.alice.Id);
  const h = await new ProductHarness(world).activate();
  const kv = h.ctx.kv;
  const incidents = new IncidentStore(kv);
  const rfcs = new RfcStore(kv);
  const pick = new PickStore(kv);
  const guilds = new GuildStore(kv, h.ctx.log, () => h.clock);

  // An incident record to copy (declared through the product, so every field is as it writes them).
  await h.command(s.alice, s.town.Id, '/incident declare sev2 Template', s.team);
  const template = (await incidents.fromSnapshots(await incidents.setMembers(s.team.Id, 'active')))[0]!;
  const channelOf = (k: number): string => (k % 2 ? secret.Id : s.town.Id);
  const titleOf = (kind: string, k: number): string => `${kind} ${k} ${k % 2 ? 'hush' : 'open'}`;

  let made = 0;
  const grow = async (to: number): Promise<void> => {
    for (let k = made; k < to; k++) {
      const number = await incidents.reserveNumber(s.team.Id);
      const resolved = h.clock - k * 60_000;
      const incident: Incident = {
        ...template,
        id: `seeded${String(number).padStart(20, '0')}`,
        number,
        title: titleOf('Incident', k),
        channelId: channelOf(k),
        phase: 'resolved',
        resolution: { at: resolved, by: s.alice.Id, summary: 'ok' },
        milestones: { ...template.milestones, resolved },
        review: { needed: true, reviewedAt: null },
        outbox: [],
      };
      await incidents.insert(incident);
      await incidents.sync(incident);
      await rfcs.create({
        teamId: s.team.Id, title: titleOf('RFC', k), docUrl: null, ownerId: s.alice.Id, status: k % 3 ? 'in_review' : 'draft',
        createdAt: h.clock, updatedAt: h.clock, channelId: channelOf(k), rootPostId: null,
        commentPeriod: { startedAt: h.clock, endsAt: h.clock + 86_400_000 },
        review: (await import('../shared/signoff/gate')).newGate({ kind: 'all', n: null }, { lazyConsensus: true }),
        outcome: null, supersededBy: null, supersedes: [], lastReviewedAt: null, ideaNumber: null, history: [],
      });
      const scores: Idea['scores'] = { [s.alice.Id]: { payoff: 9, cost: 9, at: h.clock }, [s.bob.Id]: { payoff: 8, cost: 8, at: h.clock } };
      const draft = {
        teamId: s.team.Id, channelId: channelOf(k), title: titleOf('Idea', k), ownerId: s.alice.Id, createdAt: h.clock + k, updatedAt: h.clock + k,
        round: 1, asked: [s.alice.Id, s.bob.Id], scores, revealed: null, history: [], rfcNumber: null, archived: null,
      };
      const revealed = resultOf({ ...draft, v: 1, number: 1, channelOrdinal: 0, teamOrdinal: 0 }, { threshold: 5.5, disagreementIqr: 3 }, h.clock + k, null);
      await pick.create({ ...draft, revealed });
    }
    made = to;
  };

  await h.command(s.alice, s.town.Id, '/guild create Ops Review --day mon --time 12:00 --tz UTC --channel ~town-square --sources incidents,rfcs,pick', s.team);
  await h.command(s.alice, s.town.Id, '/guild create Design Review --day tue --time 12:00 --tz UTC --channel ~town-square --sources rfcs,pick', s.team);
  const base = `/api/v1/teams/${s.team.Id}/guilds`;
  const costs: Record<string, number[]> = {};
  // What the answer waited for, counted as the X-Infra-Ops-KV-Calls header counts it (work left
  // for after the answer — digest enrolment, the PICK agenda check — runs uncounted).
  const measure = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    await h.settled();
    const result = await countCalls(async (counts) => {
      const answer = await run();
      // An HTTP answer was counted by the product's own request counter, into its header.
      const header = answer && typeof answer === 'object' && 'headers' in answer ? (answer.headers as Headers).get(KV_CALLS_HEADER) : null;
      (costs[name] ??= []).push(header === null ? counts.kv : Number(header));
      return answer;
    });
    await h.settled();
    return result;
  };

  let guildCount = 4; // the two handbook guilds and the two above
  for (const [size, guildsTo] of [[4, 6], [40, 20], [400, 50]] as const) {
    await grow(size);
    for (; guildCount < guildsTo; guildCount++) {
      await guilds.create({
        v: 2, slug: `guild-${guildCount}`, name: `Guild ${guildCount}`, purpose: '', teamId: s.team.Id, channelId: guildCount % 2 ? secret.Id : s.town.Id,
        members: [], facilitators: [], day: 1, time: '10:00', timeZone: 'UTC', everyWeeks: 1, anchorDate: null, sources: ['incidents'],
        createdBy: s.alice.Id, seeded: false, createdAt: h.clock, updatedAt: h.clock,
        queue: [{ id: 1, text: 'Item', by: s.alice.Id, at: h.clock, carried: 0 }], notes: [], nextItemId: 2, lastMeeting: null, meetings: [],
      });
    }

    const text = (await measure('/guild agenda (incidents, rfcs, pick)', () => h.answerOnly(s.bob, s.town.Id, '/guild agenda ops-review', s.team))).Text ?? '';
    assert.match(text, /Incident \d+ open/);
    assert.doesNotMatch(text, /hush/, 'nothing of the private channel');

    const agenda = await measure('GET …/guilds/:slug/agenda (incidents, rfcs, pick)', () => h.http('GET', `${base}/ops-review/agenda`, s.bob, undefined, { settle: false, countCalls: true }));
    assert.equal(agenda.status, 200, JSON.stringify(agenda.body));
    const view = (agenda.body as { agenda: AgendaView }).agenda;
    const titles = [...view.incidents, ...view.rfcs, ...view.ideas].map((i) => i.title);
    assert.ok(view.incidents.length > 0 && view.rfcs.length > 0 && view.ideas.length > 0, JSON.stringify(view));
    assert.ok(titles.every((t) => t.endsWith('open')), titles.join(', '));
    assert.ok(view.hidden.incidents > 0 && view.hidden.rfcs > 0 && view.hidden.ideas > 0, JSON.stringify(view.hidden));
    const forAlice = ((await h.http('GET', `${base}/ops-review/agenda`, s.alice)).body as { agenda: AgendaView }).agenda;
    assert.deepEqual(forAlice.hidden, { incidents: 0, rfcs: 0, ideas: 0 }, 'alice is in the private channel');
    assert.equal(forAlice.incidents.length, view.incidents.length + view.hidden.incidents, 'bob’s hidden count is exactly what alice sees more of');

    await measure('/guild agenda (rfcs, pick)', () => h.answerOnly(s.bob, s.town.Id, '/guild agenda design-review', s.team));
    const list = await measure('GET …/guilds', () => h.http('GET', base, s.bob, undefined, { settle: false, countCalls: true }));
    const listed = (list.body as { items: GuildView[] }).items;
    assert.equal(listed.length, 2 + 2 + Math.floor((guildCount - 4) / 2), 'only the guilds of channels bob may read');
    assert.ok(listed.every((g) => g.channelId !== secret.Id));
    assert.equal(((await h.http('GET', base, s.alice)).body as { items: GuildView[] }).items.length, guildCount);
    await measure('/guild list', () => h.answerOnly(s.bob, s.town.Id, '/guild list', s.team));
  }
  const limits: Record<string, number> = { '/guild agenda (incidents, rfcs, pick)': 4, 'GET …/guilds/:slug/agenda (incidents, rfcs, pick)': 4 };
  for (const [name, calls] of Object.entries(costs)) {
    assert.ok(calls.every((c) => c <= (limits[name] ?? 3)), `${name}: ${calls.join(', ')} KV calls at 1x, 10x, 100x`);
    assert.equal(new Set(calls).size, 1, `${name} flat: ${calls.join(', ')}`);
  }
  h.close();
});

test('guild indexes written before copies are read from the records once, then a list is one KV call', async () => {
  const world = new MemoryWorld();
  const s = seedTeam(world);
  world.addChannelMember(s.town.Id, s.alice.Id);
  const h = await new ProductHarness(world).activate();
  await h.command(s.alice, s.town.Id, '/guild create Ops --day mon --time 12:00 --tz UTC --channel ~town-square', s.team);
  const key = `guild:t:${s.team.Id}:index`;
  // As an earlier version wrote it: slugs only.
  const index = JSON.parse(new TextDecoder().decode(world.kv.get(key))) as { copies?: unknown };
  delete index.copies;
  world.kv.set(key, new TextEncoder().encode(JSON.stringify(index)));
  const base = `/api/v1/teams/${s.team.Id}/guilds`;
  // Someone outside the team is refused, and nothing is put back for them: the index is read beside
  // the check, the records and the copies only after it.
  assert.equal((await h.http('GET', base, s.outsider)).status, 404);
  assert.equal((JSON.parse(new TextDecoder().decode(world.kv.get(key))) as { copies?: unknown }).copies, undefined, 'no copies written for an outsider');
  const first = await h.http('GET', base, s.alice);
  assert.deepEqual((first.body as { items: GuildView[] }).items.map((g) => g.slug).sort(), ['infrastructure-guild', 'ops', 'reliability-engineering-guild']);
  const before = h.api.kvCalls;
  const again = await h.http('GET', base, s.alice);
  assert.deepEqual(again.body, first.body);
  assert.equal(h.api.kvCalls - before, 1, 'repaired: the index alone');
  // A change reaches the copy, and a copy never goes back to an older rev.
  await h.command(s.alice, s.town.Id, '/guild edit ops --purpose Keep the lights on', s.team);
  const edited = ((await h.http('GET', base, s.alice)).body as { items: GuildView[] }).items.find((g) => g.slug === 'ops')!;
  assert.equal(edited.purpose, 'Keep the lights on');
  const store = new GuildStore(h.ctx.kv, h.ctx.log, () => h.clock);
  const old = (await store.get(s.team.Id, 'ops'))!;
  await store.putCopies(s.team.Id, [{ ...old, purpose: 'stale', rev: 0 }]);
  assert.equal((await store.list(s.team.Id)).find((g) => g.slug === 'ops')!.purpose, 'Keep the lights on');
  h.close();
});
