/**
 * Who sees and does what with ideas (policy.ts), across teams, private channels, guests,
 * conversions and read-only channels; and the derived sets that feed /infra owe and agendas.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as z from 'zod/mini';
import { pickRoutes } from '../contract/pick';
import type { Listed, IdeaAgendaItem } from '../shared/ports';
import { ideaSchema } from './records';
import { AGENDA_WINDOW, PickService } from './service';
import { PickStore } from './store';
import { type TeamFixture, teamFixture } from './test_fixture';

const api = (path: string): string => `/api/v1${path}`;

/** A second team B where alice and mallory (f.outsider) are members; `vault` is private to alice. */
function secondTeam(f: TeamFixture) {
  const teamB = f.world.addTeam('acme');
  for (const u of [f.alice, f.outsider]) f.world.addTeamMember(teamB.Id, u.Id);
  const vault = f.world.addChannel(teamB.Id, 'vault', 'P');
  f.world.addChannelMember(vault.Id, f.alice.Id);
  // Mallory is also in team A (ops) and in its town square.
  f.world.addTeamMember(f.team.Id, f.outsider.Id);
  f.world.addChannelMember(f.town.Id, f.outsider.Id);
  return { teamB, vault };
}

function service(f: TeamFixture, rfcTitle: string | null = null): PickService {
  return new PickService(f.h.ctx, new PickStore(f.h.ctx.kv), { title: async () => rfcTitle });
}

test('H1: a channel list takes its team from the channel; ideas of another team never come back', async () => {
  const f = await teamFixture();
  const { teamB, vault } = secondTeam(f);
  const inB = async (text: string): Promise<string> => (await f.h.command(f.alice, vault.Id, text, teamB)).Text ?? '';
  assert.match(await inB('/pick add Acquire Initech for $40M'), /Added IDEA-001/);
  assert.match(await inB('/pick archive 1 Too soon'), /Archived IDEA-001/);
  assert.match(await inB('/pick add Second secret'), /Added IDEA-002/);
  await f.cmd(f.outsider, '/pick add x');
  await f.cmd(f.outsider, '/pick add y');
  const mallory = f.outsider;
  const leaks = (body: unknown): boolean => /Initech|Second secret/.test(JSON.stringify(body));

  for (const filter of ['', '&filter=archived', '&filter=open']) {
    const crossed = await f.h.http('GET', api(`/teams/${teamB.Id}/ideas?channel_id=${f.town.Id}&per_page=100${filter}`), mallory);
    assert.equal(crossed.status, 404, `team B with team A's channel${filter}`);
    assert.equal(leaks(crossed.body), false);
    const own = await f.h.http('GET', api(`/teams/${f.team.Id}/ideas?channel_id=${f.town.Id}&per_page=100${filter}`), mallory);
    assert.equal(own.status, 200);
    assert.equal(leaks(own.body), false);
    for (const idea of z.parse(pickRoutes.list.answer, own.body).items) {
      assert.equal(idea.teamId, f.team.Id);
      assert.equal(idea.channelId, f.town.Id);
    }
    const teamWide = await f.h.http('GET', api(`/teams/${teamB.Id}/ideas?per_page=100${filter}`), mallory);
    assert.equal(teamWide.status, 200);
    assert.deepEqual(z.parse(pickRoutes.list.answer, teamWide.body).items, []);
  }

  const missing = await f.h.http('GET', api(`/teams/${teamB.Id}/ideas/99`), mallory);
  const hidden = await f.h.http('GET', api(`/teams/${teamB.Id}/ideas/1`), mallory);
  assert.equal(hidden.status, 404);
  assert.deepEqual(hidden.body, { error: (missing.body as { error: string }).error.replace('099', '001') }, 'hidden reads exactly like missing');
  for (const verb of ['score', 'reveal', 'rescore', 'archive', 'link']) {
    const body = verb === 'score' ? { payoff: 5, cost: 5 } : verb === 'archive' ? { reason: 'r' } : verb === 'link' ? { rfc: 1 } : {};
    assert.equal((await f.h.http('POST', api(`/teams/${teamB.Id}/ideas/2/${verb}`), mallory, body)).status, 404, verb);
  }
  // A number resolves only in its own team: IDEA-001 in team A is mallory's "x".
  assert.match(await f.cmd(mallory, '/pick show 1'), /IDEA-001 x/);
  // Adding through team B's path into team A's channel is refused; the idea's team is the channel's.
  assert.equal((await f.h.http('POST', api(`/teams/${teamB.Id}/ideas`), mallory, { channel_id: f.town.Id, title: 'z' })).status, 404);
  // Someone outside team B gets not-found for its team-wide list.
  assert.equal((await f.h.http('GET', api(`/teams/${teamB.Id}/ideas`), f.carol)).status, 404);
  f.h.close();
});

test('visibility is live: a public→private conversion hides ideas at once, in reads, lists, owe and events', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Public for now');
  const idea = api(`/teams/${f.team.Id}/ideas/1`);
  assert.equal((await f.h.http('GET', idea, f.dave)).status, 200, 'a team member outside an open channel sees its ideas');
  f.world.channels.get(f.town.Id)!.Type = 'P';
  assert.equal((await f.h.http('GET', idea, f.dave)).status, 404);
  assert.doesNotMatch(await f.cmd(f.dave, '/pick list --team'), /Public for now/);
  assert.equal((await f.h.http('POST', `${idea}/score`, f.dave, { payoff: 5, cost: 5 })).status, 404);
  assert.equal((await f.h.http('GET', idea, f.carol)).status, 200, 'members still see it');
  f.h.close();
});

test('guests see only the ideas of their own channels, team-wide lists included', async () => {
  const f = await teamFixture();
  const guest = f.world.addUser('guest', { Roles: 'system_guest' });
  f.world.addTeamMember(f.team.Id, guest.Id, 'team_guest');
  const room = f.world.addChannel(f.team.Id, 'vendor-room', 'P');
  for (const u of [guest, f.alice]) f.world.addChannelMember(room.Id, u.Id, u === guest ? 'channel_guest' : 'channel_user');
  await f.cmd(f.alice, '/pick add Open channel idea');
  await f.cmd(f.alice, '/pick add Vendor idea', room);
  const list = z.parse(pickRoutes.list.answer, (await f.h.http('GET', api(`/teams/${f.team.Id}/ideas`), guest)).body);
  assert.deepEqual(list.items.map((i) => i.title), ['Vendor idea']);
  assert.equal((await f.h.http('GET', api(`/teams/${f.team.Id}/ideas/1`), guest)).status, 404);
  assert.equal((await f.h.http('GET', api(`/teams/${f.team.Id}/ideas?channel_id=${f.town.Id}`), guest)).status, 404);
  assert.equal((await f.h.http('GET', api(`/teams/${f.team.Id}/ideas/2`), guest)).status, 200);
  f.h.close();
});

test('the bot posts only where the actor may post; automatic reveals never fire channel-wide mentions', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add @all please score this');
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /“@all please score this”/, 'alice may mention the channel herself');
  await f.cmd(f.alice, '/pick score 1 payoff=5 cost=5');
  await f.cmd(f.bob, '/pick score 1 payoff=6 cost=6');
  await f.cmd(f.carol, '/pick score 1 payoff=7 cost=7');
  const reveal = f.world.postsIn(f.town.Id).at(-1)!;
  assert.match(reveal.Message!, /revealed automatically/);
  assert.match(reveal.Message!, /@\u2060all please score this/, 'nobody chose to post the automatic reveal');
  assert.equal(reveal.Props?.mentionHighlightDisabled, true);

  f.world.readOnlyChannels.add(f.town.Id);
  assert.match(await f.cmd(f.bob, '/pick add Read-only idea'), /You can't post in that channel/);
  assert.equal((await f.h.http('POST', api(`/teams/${f.team.Id}/ideas`), f.bob, { channel_id: f.town.Id, title: 'z' })).status, 403);
  assert.match(await f.cmd(f.alice, '/pick rescore 1'), /You can't post in that channel/, 'the owner may not make the bot post where she cannot');
  assert.match(await f.cmd(f.bob, '/pick show 1'), /IDEA-001/, 'reading is unaffected');
  f.h.close();
});

test('L1: an automatic reveal also needs two scores', async () => {
  const f = await teamFixture();
  const solo = f.world.addChannel(f.team.Id, 'solo');
  f.world.addChannelMember(solo.Id, f.alice.Id);
  assert.match(await f.cmd(f.alice, '/pick add Lonely idea', solo), /1 channel member is asked/);
  assert.match(await f.cmd(f.alice, '/pick score 1 payoff=9 cost=1', solo), /1\/1 scored so far/);
  assert.match(await f.cmd(f.alice, '/pick show 1', solo), /· open/);
  assert.match(await f.cmd(f.alice, '/pick reveal 1', solo), /needs at least 2/);
  // Anyone who can see the idea may score; with a second score the one person asked is no longer exposed.
  assert.match(await f.cmd(f.dave, '/pick score 1 payoff=8 cost=2', solo), /Everyone asked has scored, so it is revealed now/);
  assert.match(f.world.postsIn(solo.Id).at(-1)!.Message!, /\*\*Implement\*\* .*2 scorers/);
  f.h.close();
});

test('L5: a score writes the idea, the scorer’s own set and owed ledger and the idea’s two list entries — no team-wide set', async () => {
  // The digest enrols a user at their first command (KV writes once per user): not this test's subject.
  const f = await teamFixture({ DailyDigest: false });
  await f.cmd(f.alice, '/pick add One');
  await f.cmd(f.alice, '/pick add Two');
  const written: string[] = [];
  const original = f.h.api.kvSetWithOptions.bind(f.h.api);
  f.h.api.kvSetWithOptions = async (key, value, options) => {
    written.push(key);
    return original(key, value, options);
  };
  await f.cmd(f.bob, '/pick score 2 payoff=5 cost=5');
  // The list entries (the channel's and the team's index heads) carry the "n scored" count.
  const lists = [`pick:ch:${f.town.Id}:h`, `pick:tm:${f.team.Id}:h`];
  assert.deepEqual(written.sort(), [...lists, `pick:i:${f.team.Id}:2`, `pick:owe:${f.team.Id}:${f.bob.Id}`, `owe:u:${f.team.Id}:${f.bob.Id}`].sort());
  written.length = 0;
  await f.cmd(f.dave, '/pick score 2 payoff=5 cost=5');
  assert.deepEqual(written.sort(), [...lists, `pick:i:${f.team.Id}:2`, `pick:owe:${f.team.Id}:${f.dave.Id}`].sort(), 'someone not asked keeps their score in their own set');
  written.length = 0;
  await f.cmd(f.dave, '/pick score 2 payoff=6 cost=5');
  assert.deepEqual(written.sort(), [`pick:i:${f.team.Id}:2`, `pick:owe:${f.team.Id}:${f.dave.Id}`].sort(), 'a changed score leaves the count, so the lists stay');
  assert.equal(f.world.kv.list(0, 10_000).some((k) => k.startsWith('pick:open:')), false);
  f.h.close();
});

test('L5: /infra owe lists the newest asks and counts the rest instead of dropping them', async () => {
  const f = await teamFixture();
  for (let i = 1; i <= 205; i++) await f.cmd(f.alice, `/pick add Idea ${i}`);
  const owe = await f.cmd(f.carol, '/infra owe');
  assert.match(owe, /Score IDEA-205 “Idea 205”/);
  assert.doesNotMatch(owe, /IDEA-155 /);
  assert.match(owe, /…and up to 155 more ideas waiting for your score: `\/pick list open --team`/);
  f.h.close();
});

test('L9: /infra owe re-checks that the user can still see each idea', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Still asked of carol');
  assert.match(await f.cmd(f.carol, '/infra owe'), /Score IDEA-001/);
  // Carol leaves while the plugin is down (no hook), and the channel becomes private.
  f.world.channelMembers.delete(`${f.town.Id}:${f.carol.Id}`);
  f.world.channels.get(f.town.Id)!.Type = 'P';
  assert.doesNotMatch(await f.cmd(f.carol, '/infra owe'), /IDEA-001|Still asked/);
  f.h.close();
});

test('a leave is handled even when the leaver’s owed set overflowed', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Held up by carol');
  await f.cmd(f.alice, '/pick score 1 payoff=6 cost=2');
  await f.cmd(f.bob, '/pick score 1 payoff=8 cost=4');
  f.world.kv.set(`pick:owe:${f.team.Id}:${f.carol.Id}`, new TextEncoder().encode(JSON.stringify({ v: 1, ideas: [], overflow: 1 })));
  const member = f.world.channelMembers.get(`${f.town.Id}:${f.carol.Id}`)!;
  f.world.channelMembers.delete(`${f.town.Id}:${f.carol.Id}`);
  await f.h.product.userHasLeftChannel!({}, member, null);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /revealed automatically/);
  f.h.close();
});

test('the per-team open sets of earlier versions are migrated to per-person owed sets once', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Old open idea');
  for (const key of f.world.kv.list(0, 10_000).filter((k) => k.startsWith('pick:owe:') || k === 'pick:migrated:owe')) f.world.kv.delete(key);
  const legacy = { v: 1, ideas: [{ number: 1, channelId: f.town.Id, title: 'Old open idea', asked: [f.alice.Id, f.bob.Id, f.carol.Id] }] };
  f.world.kv.set(`pick:open:${f.team.Id}`, new TextEncoder().encode(JSON.stringify(legacy)));
  assert.doesNotMatch(await f.cmd(f.carol, '/infra owe'), /IDEA-001/);
  const store = new PickStore(f.h.ctx.kv);
  assert.equal(await store.migrateLegacyOpenSets(0), 1);
  assert.match(await f.cmd(f.carol, '/infra owe'), /Score IDEA-001 “Old open idea”/);
  assert.equal(f.world.kv.get(`pick:open:${f.team.Id}`), null);
  assert.equal(await store.migrateLegacyOpenSets(0), 0, 'once');
  f.h.close();
});

test('agenda port: live Challenges without an RFC and disputed ideas, per reader, the rest counted', async () => {
  const f = await teamFixture({ PickDisagreementIqr: 2 });
  const scoreAll = async (n: number, scores: Array<[number, number]>, channel = f.town): Promise<void> => {
    const people = [f.alice, f.bob, f.carol];
    for (const [k, [p, c]] of scores.entries()) await f.cmd(people[k]!, `/pick score ${n} payoff=${p} cost=${c}`, channel);
  };
  await f.cmd(f.alice, '/pick add Open challenge'); // 1
  await scoreAll(1, [[9, 9], [8, 8], [9, 8]]);
  await f.cmd(f.alice, '/pick add Secret challenge', f.secret); // 2
  await scoreAll(2, [[9, 9], [8, 8]], f.secret);
  await f.cmd(f.alice, '/pick add Linked challenge'); // 3
  await scoreAll(3, [[9, 9], [8, 8], [9, 8]]);
  await f.cmd(f.alice, '/pick add Disputed possible'); // 4
  await scoreAll(4, [[1, 2], [5, 2], [3, 2]]);
  await f.cmd(f.alice, '/pick add Archived challenge'); // 5
  await scoreAll(5, [[9, 9], [8, 8], [9, 8]]);
  await f.cmd(f.alice, '/pick archive 5 Done elsewhere');
  await f.cmd(f.alice, '/pick add Stale challenge'); // 6
  await scoreAll(6, [[9, 9], [8, 8], [9, 8]]);
  const pick = service(f, 'Some RFC');
  await pick.link(f.h.ctx.access(), f.alice.Id, f.team.Id, 3, 1);
  // L4: the record changes without its derived set (a crash in between). The agenda reads the
  // set (one KV read), and its first read after the crash puts the set right after answering.
  await f.h.ctx.kv.update(`pick:i:${f.team.Id}:6`, ideaSchema, (idea) => ({ ...idea!, archived: { reason: 'x', by: f.alice.Id, at: 0 } }));
  const refs = (l: Listed<IdeaAgendaItem>) => ({ items: l.items.map((i) => `${i.reference}:${i.quadrant}:${i.disputed}`).sort(), hidden: l.hidden });
  assert.ok(refs(await pick.challengeAgenda(f.team.Id, { userId: f.alice.Id })).items.includes('IDEA-006:challenge:false'), 'stale until checked');
  await f.h.ctx.afterAnswer.settled();
  assert.deepEqual(refs(await pick.challengeAgenda(f.team.Id, { channelId: f.town.Id })), { items: ['IDEA-001:challenge:false', 'IDEA-004:possible:true'], hidden: 1 });
  assert.deepEqual(refs(await pick.challengeAgenda(f.team.Id, { channelId: f.secret.Id })), { items: ['IDEA-001:challenge:false', 'IDEA-002:challenge:false', 'IDEA-004:possible:true'], hidden: 0 });
  assert.deepEqual(refs(await pick.challengeAgenda(f.team.Id, { userId: f.carol.Id })), { items: ['IDEA-001:challenge:false', 'IDEA-004:possible:true'], hidden: 1 });
  assert.deepEqual(refs(await pick.challengeAgenda(f.team.Id, { userId: f.bob.Id })).hidden, 0);
  assert.deepEqual(refs(await pick.challengeAgenda(f.team.Id, { userId: f.outsider.Id })).items, []);
  const other = f.world.addChannel(f.world.addTeam('other').Id, 'elsewhere');
  assert.deepEqual(refs(await pick.challengeAgenda(f.team.Id, { channelId: other.Id })), { items: [], hidden: 3 });
  f.h.close();
});

test('link port: RFCs may read an idea’s title only where the actor may link it', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Linkable', f.secret);
  const pick = service(f, 'An RFC');
  assert.equal((await pick.mayLink(f.h.ctx.access(), f.alice.Id, f.team.Id, 1)).title, 'Linkable');
  await assert.rejects(pick.mayLink(f.h.ctx.access(), f.bob.Id, f.team.Id, 1), { status: 403 });
  await assert.rejects(pick.mayLink(f.h.ctx.access(), f.carol.Id, f.team.Id, 1), { status: 404 });
  await assert.rejects(service(f, null).link(f.h.ctx.access(), f.alice.Id, f.team.Id, 1, 7), /There is no RFC-007 you can see/);
  f.h.close();
});

test('every stored list is bounded, and the errors name the limit', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Bounded');
  const key = `pick:i:${f.team.Id}:1`;
  const round = { round: 1, payoff: { median: 5, q1: 5, q3: 5, iqr: 0 }, cost: { median: 5, q1: 5, q3: 5, iqr: 0 }, count: 2, quadrant: 'possible' as const, disputed: false, threshold: 5.5, revealedAt: 0, revealedBy: null };
  await f.h.ctx.kv.update(key, ideaSchema, (idea) => ({ ...idea!, round: 49, history: Array.from({ length: 48 }, (_, k) => ({ ...round, round: k + 1 })), revealed: { ...round, round: 49 } }));
  assert.match(await f.cmd(f.alice, '/pick rescore 1'), /Round 50 of IDEA-001 is open/);
  await f.h.ctx.kv.update(key, ideaSchema, (idea) => ({ ...idea!, revealed: { ...round, round: 50 } }));
  assert.match(await f.cmd(f.alice, '/pick rescore 1'), /IDEA-001 has had 50 rounds, the most an idea keeps/);

  await f.cmd(f.alice, '/pick add Crowded');
  const scores = Object.fromEntries(Array.from({ length: 500 }, (_, k) => [`user${k}`, { payoff: 5, cost: 5, at: 0 }]));
  await f.h.ctx.kv.update(`pick:i:${f.team.Id}:2`, ideaSchema, (idea) => ({ ...idea!, scores }));
  assert.match(await f.cmd(f.dave, '/pick score 2 payoff=5 cost=5'), /at most 500 scores per round/);

  const big = f.world.addChannel(f.team.Id, 'everyone');
  for (let k = 0; k < 101; k++) f.world.addChannelMember(big.Id, f.world.addUser(`member${k}`).Id);
  f.world.addChannelMember(big.Id, f.alice.Id);
  assert.match(await f.cmd(f.alice, '/pick add Too many to ask', big), /Reveal it with `\/pick reveal 3` once at least 2 people have scored/);
  f.h.close();
});

test('an agenda re-reads a bounded window of ideas, however many are waiting', async () => {
  const f = await teamFixture();
  const store = new PickStore(f.h.ctx.kv);
  const challenge = { round: 1, payoff: { median: 9, q1: 9, q3: 9, iqr: 0 }, cost: { median: 9, q1: 9, q3: 9, iqr: 0 }, count: 3, quadrant: 'challenge' as const, disputed: false, threshold: 5.5, revealedBy: null };
  for (let i = 0; i < 120; i++) {
    await store.create({ teamId: f.team.Id, channelId: f.town.Id, title: `Bet ${i}`, ownerId: f.alice.Id, createdAt: i, updatedAt: i, round: 1, asked: [], scores: {}, revealed: { ...challenge, revealedAt: i }, history: [], rfcNumber: null, archived: null });
  }
  const before = f.h.api.kvCalls;
  const agenda = await service(f).challengeAgenda(f.team.Id, { channelId: f.town.Id });
  assert.ok(f.h.api.kvCalls - before <= AGENDA_WINDOW + 2, `${f.h.api.kvCalls - before} KV calls`);
  assert.equal(agenda.items.length, AGENDA_WINDOW);
  assert.equal(agenda.items[0]!.title, 'Bet 119', 'newest first');
  f.h.close();
});
