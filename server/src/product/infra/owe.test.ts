import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OwedSection } from '../contract/infra';
import { IncidentStore } from '../incidents/store';
import { PickStore } from '../pick/store';
import { teamFixture, type TeamFixture } from '../pick/test_fixture';
import { RfcStore } from '../rfc/store';
import { LEDGER_FEATURE_LIMIT, ledgerKey, ledgerSchema, REBUILD_AFTER_MS } from '../shared/owed';
import { addSeats, newGate, SAME } from '../shared/signoff/gate';
import { ProductHarness } from '../testing/product_harness';

/** `/infra owe` over HTTP as `user`, with the KV calls it cost (counted by the in-memory API). */
async function owe(f: TeamFixture, user = f.bob): Promise<{ sections: OwedSection[]; kv: number; text: string }> {
  const before = f.h.api.kvCalls;
  const res = await f.h.http('GET', `/api/v1/teams/${f.team.Id}/owe`, user);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const sections = (res.body as { sections: OwedSection[] }).sections;
  return { sections, kv: f.h.api.kvCalls - before, text: sections.map((s) => `${s.feature}: ${s.items.join(' | ')}`).join('\n') };
}

/**
 * Written straight to the stores (the layout and derived data the product writes), `m` times:
 * 10 ideas asking alice, bob and carol (every fifth in the private channel carol is not in),
 * one RFC with bob as reviewer, two incidents of which one gives bob a follow-up.
 */
async function seed(f: TeamFixture, template: Parameters<IncidentStore['insert']>[0], m: number, from: number): Promise<void> {
  const kv = f.h.ctx.kv;
  const ideas = new PickStore(kv);
  const rfcs = new RfcStore(kv);
  const incidents = new IncidentStore(kv);
  for (let k = 0; k < m; k++) {
    const n = from + k;
    for (let i = 0; i < 10; i++) {
      await ideas.create({
        teamId: f.team.Id, channelId: i % 5 === 0 ? f.secret.Id : f.town.Id, title: `Idea ${n}.${i}`, ownerId: f.alice.Id,
        createdAt: n, updatedAt: n, round: 1, asked: [f.alice.Id, f.bob.Id, f.carol.Id], scores: {}, history: [], rfcNumber: null, archived: null, revealed: null,
      });
    }
    const gate = addSeats({ ...newGate({ kind: 'all', n: null }), deadline: null }, [{ userId: f.bob.Id }], { seats: 50, concerns: 100, text: 2000 });
    await rfcs.create({
      teamId: f.team.Id, title: `RFC ${n}`, docUrl: null, ownerId: f.alice.Id, status: 'in_review', createdAt: n, updatedAt: n, channelId: f.town.Id,
      rootPostId: null, commentPeriod: { startedAt: n, endsAt: n + 86_400_000 }, review: gate === SAME ? newGate({ kind: 'all', n: null }) : gate,
      outcome: null, supersededBy: null, supersedes: [], lastReviewedAt: null, ideaNumber: null, history: [],
    });
    for (let j = 0; j < 2; j++) {
      const number = await incidents.reserveNumber(f.team.Id);
      const followups = j === 0 ? [{ n: 1, text: `Write up ${number}`, ownerId: f.bob.Id, due: null, createdAt: 1, createdBy: f.alice.Id, doneAt: null, doneBy: null }] : [];
      const incident = { ...template, id: `seeded${String(number).padStart(20, '0')}`, number, title: `Seeded ${number}`, channelId: f.town.Id, followups, outbox: [] };
      await incidents.insert(incident);
      await incidents.sync(incident, { justDeclared: true });
    }
  }
}

async function declaredTemplate(f: TeamFixture): Promise<Parameters<IncidentStore['insert']>[0]> {
  const reply = await f.cmd(f.alice, '/incident declare Template for seeding');
  const n = Number(/INC-0*(\d+)/.exec(reply)?.[1]);
  const store = new IncidentStore(f.h.ctx.kv);
  return (await store.get((await store.idForNumber(f.team.Id, n))!))!;
}

test('/infra owe reads one KV key at 1x, 10x and 100x the data (the rebuild from the records, measured beside it, grows)', async () => {
  // The digest enrols a user at their first command (KV writes once per user): not this test's subject.
  const f = await teamFixture({ DailyDigest: false });
  const template = await declaredTemplate(f);
  const steady: number[] = [];
  const rebuild: number[] = [];
  let stored = 0;
  for (const m of [1, 10, 100]) {
    await seed(f, template, m - stored, stored + 1);
    stored = m;
    const first = await owe(f);
    const again = await owe(f);
    assert.deepEqual(again.sections, first.sections, 'the ledger says what the records say');
    assert.match(again.text, /^pick: Score IDEA-/m);
    assert.match(again.text, /^rfc: Review RFC-/m);
    assert.match(again.text, /^incidents: .*follow-up #1: Write up/m);
    steady.push(again.kv);
    // The same answer rebuilt from the records (what every /infra owe read before the ledger).
    await f.h.api.kvDelete(ledgerKey(f.team.Id, f.bob.Id));
    const rebuilt = await owe(f);
    assert.deepEqual(rebuilt.sections, first.sections, 'a rebuild from the records gives the same lines');
    rebuild.push(rebuilt.kv);
  }
  assert.ok(steady.every((c) => c <= 3), `owe: ${steady.join(', ')} KV calls at 1x, 10x, 100x`);
  assert.equal(new Set(steady).size, 1, `flat: ${steady.join(', ')}`);
  assert.ok(rebuild[2]! > rebuild[0]!, `the rebuild reads the records: ${rebuild.join(', ')}`);
  console.log(`# /infra owe KV calls at 1x, 10x, 100x: ledger ${steady.join(', ')}; rebuilt from the records ${rebuild.join(', ')}`);
  f.h.close();
});

test('the owed ledger is private: bob’s /infra owe reads his own key only, never shows what he cannot read now, nor another team', async () => {
  const f = await teamFixture({ DailyDigest: false });
  await f.cmd(f.alice, '/pick add Town idea');
  await f.cmd(f.alice, '/pick add Secret idea', f.secret);
  const other = f.world.addTeam('other');
  f.world.addTeamMember(other.Id, f.bob.Id);
  assert.match((await owe(f)).text, /Town idea.*Secret idea/);

  const keys: string[] = [];
  const get = f.h.api.kvGet.bind(f.h.api);
  f.h.api.kvGet = async (key) => (keys.push(key), get(key));
  await owe(f, f.carol); // her ledger, begun by the writes, is completed from the records
  const personal = keys.filter((k) => k.startsWith('owe:u:') || k.startsWith('pick:owe:'));
  assert.deepEqual([...new Set(personal)], [ledgerKey(f.team.Id, f.carol.Id), `pick:owe:${f.team.Id}:${f.carol.Id}`], 'the rebuild reads no one else’s keys');
  keys.length = 0;
  const carol = await owe(f, f.carol);
  assert.deepEqual(keys, [ledgerKey(f.team.Id, f.carol.Id)], 'carol’s owe reads carol’s ledger alone');
  assert.doesNotMatch(carol.text, /Secret idea/, 'never asked in a channel she is not in');
  f.h.api.kvGet = get;

  // Bob leaves the private channel while the plugin is down (no hook): his ledger still names the idea.
  f.world.channelMembers.delete(`${f.secret.Id}:${f.bob.Id}`);
  const bob = await owe(f);
  assert.match(bob.text, /Town idea/);
  assert.doesNotMatch(bob.text, /Secret idea/, 'the channel is asked live');
  const res = await f.h.http('GET', `/api/v1/teams/${other.Id}/owe`, f.bob);
  assert.deepEqual((res.body as { sections: OwedSection[] }).sections, [], 'another team’s ledger is its own');
  assert.equal((await f.h.http('GET', `/api/v1/teams/${f.team.Id}/owe`, f.outsider)).status, 404, 'outside the team: not found');
  f.h.close();
});

test('old data and crashes: a missing ledger is rebuilt from the records; a fact lost between two writes comes back within a day', async () => {
  const f = await teamFixture({ DailyDigest: false });
  await f.cmd(f.alice, '/pick add Cache builds');
  await f.cmd(f.alice, '/rfc new Retire the VPN');
  await f.cmd(f.alice, '/rfc review 1 @bob');
  const whole = (await owe(f)).sections;
  assert.match(JSON.stringify(whole), /Cache builds.*Retire the VPN/);

  // Data written before the ledger existed: no key at all.
  await f.h.api.kvDelete(ledgerKey(f.team.Id, f.bob.Id));
  assert.deepEqual((await owe(f)).sections, whole);
  const built = await f.h.ctx.kv.get(ledgerKey(f.team.Id, f.bob.Id), ledgerSchema);
  assert.ok(built && built.builtAt !== null, 'the rebuild is stored');

  // A crash between the RFC's write and bob's ledger write: the fact never arrived.
  await f.h.ctx.kv.update(ledgerKey(f.team.Id, f.bob.Id), ledgerSchema, (l) => ({ ...l!, entries: l!.entries.filter((e) => e.f !== 'rfc') }));
  assert.doesNotMatch((await owe(f)).text, /Retire the VPN/, 'stale until the rebuild');
  f.h.clock += REBUILD_AFTER_MS + 1;
  assert.match((await owe(f)).text, /Retire the VPN/, 'a day later the reader rebuilt it from the records');

  // An unreadable ledger is derived data: dropped and rebuilt, never an error.
  await f.h.api.kvSet(ledgerKey(f.team.Id, f.bob.Id), new TextEncoder().encode('{"v":1,'));
  assert.match((await owe(f)).text, /Cache builds/);
  await f.cmd(f.alice, '/pick add Another');
  assert.match((await owe(f)).text, /Another/);
  f.h.close();
});

test('two nodes writing at once both land in the ledger (compare-and-set)', async () => {
  const f = await teamFixture({ DailyDigest: false });
  const node2 = await new ProductHarness(f.world, f.h.clock).activate();
  await owe(f); // built, so both writes below must arrive through the writers
  await Promise.all([
    f.cmd(f.alice, '/pick add From node one'),
    node2.command(f.alice, f.town.Id, '/pick add From node two', f.team),
    node2.command(f.bob, f.town.Id, '/guild queue infrastructure Talk about VPN', f.team),
  ]);
  await Promise.all([f.h.settled(), node2.settled()]);
  const text = (await owe(f)).text;
  for (const line of [/From node one/, /From node two/, /Talk about VPN/]) assert.match(text, line);
  const ledger = await f.h.ctx.kv.get(ledgerKey(f.team.Id, f.bob.Id), ledgerSchema);
  assert.ok(ledger && ledger.builtAt !== null && ledger.entries.length === 3, JSON.stringify(ledger));
  node2.close();
  f.h.close();
});

test('past the ledger’s limit a rebuild keeps the newest facts of every feature, as the writes do (runs too)', async () => {
  const f = await teamFixture({ DailyDigest: false });
  // Each declaration opens the incident's runbook run, whose first items the commander owes.
  for (let n = 0; n < LEDGER_FEATURE_LIMIT + 3; n++) await f.cmd(f.bob, `/incident declare Outage ${n}`);
  await f.h.settled();
  const kept = async (): Promise<Record<string, string[]>> => {
    const ledger = await f.h.ctx.kv.get(ledgerKey(f.team.Id, f.bob.Id), ledgerSchema);
    const by: Record<string, string[]> = {};
    for (const e of ledger?.entries ?? []) (by[e.f] ??= []).push(e.k);
    return by;
  };
  const written = await kept();
  assert.equal(written['runs']?.length, LEDGER_FEATURE_LIMIT);
  assert.ok(!written['runs'].includes('1'), 'the writes dropped the oldest runs');
  const before = await owe(f);
  await f.h.api.kvDelete(ledgerKey(f.team.Id, f.bob.Id));
  const rebuilt = await owe(f);
  const again = await kept();
  assert.deepEqual([...again['runs']!].sort(), [...written['runs']].sort(), 'the rebuild keeps the same (newest) runs');
  assert.deepEqual(rebuilt.sections, before.sections, 'and says the same lines');
  f.h.close();
});

test('a long owe page (the ledger holds up to 300 facts) asks its channels one by one, never for the reader’s whole membership list', async () => {
  const f = await teamFixture({ DailyDigest: false });
  await f.cmd(f.bob, '/incident declare Template outage');
  await f.h.settled();
  await owe(f);
  const built = (await f.h.ctx.kv.get(ledgerKey(f.team.Id, f.bob.Id), ledgerSchema))!;
  const [incident, run] = (['incidents', 'runs'] as const).map((feature) => built.entries.find((e) => e.f === feature)!);
  // A reader with facts in 150 channels, open and private, who is in 400 more.
  const rooms = Array.from({ length: 150 }, (_, i) => f.world.addChannel(f.team.Id, `room-${i}`, i % 10 ? 'O' : 'P'));
  for (const room of rooms) f.world.addChannelMember(room.Id, f.bob.Id);
  for (let i = 0; i < 400; i++) f.world.addChannelMember(f.world.addChannel(f.team.Id, `other-${i}`, 'O').Id, f.bob.Id);
  const entries = rooms.map((room, i) => ({ ...(i % 2 ? run! : incident!), k: `k${i}`, ch: room.Id }));
  await f.h.ctx.kv.update(ledgerKey(f.team.Id, f.bob.Id), ledgerSchema, (l) => ({ ...l!, entries }));

  const asked: string[] = [];
  const api = f.h.api as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ['getChannelsForTeamForUser', 'getChannel', 'getChannelMember']) {
    const real = api[method]!.bind(f.h.api);
    api[method] = (...args: unknown[]) => (asked.push(method), real(...args));
  }
  const page = await owe(f);
  assert.ok(page.sections.flatMap((s) => s.items).length > 0);
  assert.equal(asked.filter((m) => m === 'getChannelsForTeamForUser').length, 0, 'no membership list');
  assert.equal(asked.filter((m) => m === 'getChannel').length, rooms.length, 'one lookup per channel');
  assert.equal(asked.filter((m) => m === 'getChannelMember').length, rooms.length / 10, 'a membership question per private channel');
  f.h.close();
});
