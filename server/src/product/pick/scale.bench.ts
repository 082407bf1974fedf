/**
 * PICK, RFC and guild reads at scale (issue 6): with 10,000 ideas, 500 RFCs and 20 guilds stored,
 * `/pick board` and one `/pick list` page must stay ≤ 20 ms p95 in process with O(page) KV calls,
 * and an agenda ≤ 50 ms. Every figure runs the real command path on the in-memory API.
 */
import { percentile, type BenchResult } from '../../../../bench/result';
import type { User } from '../../plugin/model/types';
import { MemoryWorld } from '../../plugin/testing/memory_api';
import { RfcStore } from '../rfc/store';
import { GuildStore } from '../guilds/store';
import { ProductHarness } from '../testing/product_harness';
import type { Idea } from './records';
import { resultOf } from './service';
import { PickStore } from './store';
import { addSeats, answer, type Gate, newGate, SAME, seatsOf } from '../shared/signoff/gate';

/** An RFC review gate with `ids` as reviewers, the first of whom signed off at `at`. */
function reviewGate(ids: readonly string[], first: string, at: number, deadline: number | null): Gate {
  const empty = { ...newGate({ kind: 'all', n: null }, { lazyConsensus: true }), deadline };
  const seated = addSeats(empty, ids.map((userId) => ({ userId })), { seats: 50, concerns: 100, text: 2000 });
  if (seated === SAME) return empty;
  const signed = answer(seated, first, seatsOf(seated, first), 'approve', at);
  return signed === SAME ? seated : signed;
}

const IDEAS = 10_000;
const RFCS = 500;
const GUILDS = 20;
const RUNS = 200;
const WARMUP = 20;

export default async function bench(): Promise<BenchResult[]> {
  const world = new MemoryWorld();
  const team = world.addTeam('ops');
  const channel = world.addChannel(team.Id, 'prioritisation');
  const users: User[] = Array.from({ length: 8 }, (_, i) => world.addUser(`u${i}`));
  for (const u of users) {
    world.addTeamMember(team.Id, u.Id);
    world.addChannelMember(channel.Id, u.Id);
  }
  const h = await new ProductHarness(world).activate();
  const kv = h.ctx.kv;
  const pick = new PickStore(kv);
  const settings = { threshold: 5.5, disagreementIqr: 3 };

  // 10,000 ideas in the one channel (the worst case for its board), two thirds revealed.
  for (let i = 0; i < IDEAS; i++) {
    const scores: Idea['scores'] = {};
    // Centred on one quadrant per idea (i % 4), spread ±2 around it; every fifth one disputed.
    const [p, c] = [[3, 3], [8, 3], [8, 8], [3, 8]][i % 4]!;
    const spread = i % 5 === 0 ? 4 : 2;
    const clamp = (n: number): number => Math.min(10, Math.max(1, n));
    users.forEach((u, k) => (scores[u.Id] = { payoff: clamp(p! + (k % (spread + 1)) - spread / 2), cost: clamp(c! + ((k * 3) % (spread + 1)) - spread / 2), at: h.clock }));
    const draft = {
      teamId: team.Id,
      channelId: channel.Id,
      title: `Idea ${i}: make the ${['builds', 'deploys', 'alerts', 'queues'][i % 4]} faster`,
      ownerId: users[i % users.length]!.Id,
      createdAt: h.clock + i,
      updatedAt: h.clock + i,
      round: 1,
      asked: users.map((u) => u.Id),
      scores,
      revealed: null,
      history: [],
      rfcNumber: null,
      archived: null,
    };
    const revealed = i % 3 !== 0 ? resultOf({ ...draft, v: 1, number: 1, channelOrdinal: 0, teamOrdinal: 0 }, settings, h.clock + i, null) : null;
    await pick.create({ ...draft, revealed });
  }

  const rfcs = new RfcStore(kv);
  for (let n = 0; n < RFCS; n++) {
    const inReview = n % 10 === 0;
    await rfcs.create({
      teamId: team.Id,
      title: `RFC ${n}`,
      docUrl: null,
      ownerId: users[n % users.length]!.Id,
      status: inReview ? 'in_review' : (['draft', 'accepted', 'rejected'] as const)[n % 3]!,
      createdAt: h.clock,
      updatedAt: h.clock,
      channelId: null,
      rootPostId: null,
      commentPeriod: inReview ? { startedAt: h.clock, endsAt: h.clock + 5 * 86_400_000 } : null,
      review: reviewGate(inReview ? users.slice(0, 3).map((u) => u.Id) : [], users[0]!.Id, h.clock, inReview ? h.clock + 5 * 86_400_000 : null),
      outcome: null,
      supersededBy: null,
      supersedes: [],
      lastReviewedAt: null,
      ideaNumber: null,
      history: [],
    });
  }

  const guilds = new GuildStore(kv, h.ctx.log, () => h.clock);
  for (let g = 0; g < GUILDS - 2; g++) {
    await guilds.create({
      v: 2, slug: `guild-${g}`, name: `Guild ${g}`, purpose: '', teamId: team.Id, channelId: channel.Id, members: [], facilitators: [],
      day: g % 7, time: '10:00', timeZone: g % 2 ? 'Europe/Berlin' : 'America/New_York', everyWeeks: 1 + (g % 3), anchorDate: '2027-01-04',
      sources: ['incidents', 'rfcs', 'pick'], createdBy: users[0]!.Id, seeded: false, createdAt: h.clock, updatedAt: h.clock,
      queue: Array.from({ length: 10 }, (_, k) => ({ id: k + 1, text: `Item ${k}`, by: users[k % users.length]!.Id, at: h.clock, carried: k % 2 })),
      notes: [], nextItemId: 11, lastMeeting: null, meetings: [],
    });
  }

  const viewer = users[1]!;
  const measure = async (label: string, text: string, check: RegExp): Promise<BenchResult[]> => {
    const times: number[] = [];
    const calls: number[] = [];
    for (let w = 0; w < WARMUP; w++) await h.command(viewer, channel.Id, text, team); // JIT warm-up, not measured
    for (let r = 0; r < RUNS; r++) {
      const before = h.api.kvCalls;
      const t0 = performance.now();
      const reply = await h.command(viewer, channel.Id, text, team);
      times.push(performance.now() - t0);
      calls.push(h.api.kvCalls - before);
      if (r === 0 && !check.test(reply.Text ?? '')) throw new Error(`${label}: unexpected reply ${reply.Text?.slice(0, 300)}`);
    }
    return [
      { name: `${label} p95 (10k ideas, 500 RFCs, 20 guilds)`, value: percentile(times, 95), unit: 'ms' },
      { name: `${label} p50`, value: percentile(times, 50), unit: 'ms' },
      { name: `${label} KV calls`, value: Math.max(...calls), unit: 'calls' },
    ];
  };

  const results = [
    ...(await measure('/pick board', '/pick board', /PICK board — ~prioritisation · threshold 5\.5 · \d+ revealed/)),
    ...(await measure('/pick list (one page)', '/pick list', /IDEA-10000 /)),
    ...(await measure('/pick list challenge (filtered page)', '/pick list challenge', /Challenge/)),
    ...(await measure('/pick list --team (one page)', '/pick list --team', /IDEA-10000 /)),
    ...(await measure('/rfc list in_review', '/rfc list in_review', /RFC-491 /)),
    ...(await measure('/guild agenda (incidents, rfcs, pick)', '/guild agenda guild-3', /RFCs in review[\s\S]*Challenge ideas/)),
    ...(await measure('/guild list', '/guild list', /Guild 17/)),
  ];
  h.close();
  for (const r of results) console.error(`${r.name}: ${r.value.toFixed(3)} ${r.unit}`);
  return results;
}
