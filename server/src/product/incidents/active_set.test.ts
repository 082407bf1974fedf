import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from '../contract/api';
import type { OwedSection } from '../contract/infra';
import type { IncidentView } from '../contract/incidents';
import { LEDGER_FEATURE_LIMIT } from '../shared/owed';
import { IncidentStore } from './store';
import { ACTIVE_HEAD } from './team_sets';
import { type Fixture, fixture, writeCopy } from './test_fixture';

const COUNT = ACTIVE_HEAD + 150;

/**
 * More active incidents than the active set keeps snapshots of (team_sets.ts): every fifth in a
 * private channel bob is not in, bob the scribe of every seventh. Written as the product writes them.
 */
async function seeded(): Promise<{ f: Fixture; store: IncidentStore; secretId: string; ids: Map<number, string> }> {
  const f = await fixture();
  const store = new IncidentStore(f.h.ctx.kv);
  const secret = f.channelOf(await f.cmd(f.alice, '/incident declare Secret template --private'));
  const template = (await store.get((await store.incidentIdForChannel(secret.Id))!))!;
  const ids = new Map<number, string>([[1, template.id]]);
  for (let k = 1; k < COUNT; k++) {
    const incident = await writeCopy(store, template, 'active', (number) => ({
      title: `Active ${number}`,
      channelId: number % 5 === 0 ? secret.Id : f.town.Id,
      roles: { commander: f.alice.Id, scribe: number % 7 === 0 ? f.bob.Id : null, comms: null },
    }));
    ids.set(incident.number, incident.id);
  }
  return { f, store, secretId: secret.Id, ids };
}

const activeSetBytes = (f: Fixture): Uint8Array => f.world.kv.get(`inc:set:${f.team.Id}:active`)!;

test('the active list pages through more active incidents than the set keeps snapshots of: all of them, newest first, at most 3 KV calls a page', async () => {
  const { f } = await seeded();
  const shown: number[] = [];
  let cursor: string | null = '';
  let pages = 0;
  while (cursor !== null) {
    const before = f.h.api.kvCalls;
    const res = await f.h.http('GET', f.url(`?state=active&per_page=20${cursor ? `&cursor=${cursor}` : ''}`), f.bob);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const page = res.body as Page<IncidentView>;
    assert.ok(f.h.api.kvCalls - before <= 3, `page ${pages}: ${f.h.api.kvCalls - before} KV calls`);
    shown.push(...page.items.map((i) => i.number));
    cursor = page.nextCursor;
    assert.ok(++pages < 40, 'the cursor ends');
  }
  const expected = Array.from({ length: COUNT }, (_, k) => COUNT - k).filter((n) => n !== 1 && n % 5 !== 0);
  assert.deepEqual(shown, expected, 'every active incident bob may see, once, newest first');
  // The sidebar's first screen is the head: one read.
  const before = f.h.api.kvCalls;
  const first = await f.h.http('GET', f.url('?state=active&per_page=100'), f.bob);
  assert.equal((first.body as Page<IncidentView>).items.length, expected.filter((n) => n > COUNT - ACTIVE_HEAD).length);
  assert.equal(f.h.api.kvCalls - before, 1);
  // INC-1 (the template) and every fifth are in the private channel.
  assert.match(await f.cmd(f.bob, '/incident list'), new RegExp(`_${COUNT / 5 + 1} more active incidents are in private channels you are not in\\._`));
  f.h.close();
});

test('a write the active set does not show leaves it unwritten; a resolve promotes the next member, whose snapshot the first reader fills in', async () => {
  const { f, store, ids } = await seeded();
  const stored = JSON.parse(new TextDecoder().decode(activeSetBytes(f))) as { members: Array<{ n: number; d?: unknown }> };
  assert.equal(stored.members.filter((m) => m.d !== undefined).length, ACTIVE_HEAD, 'snapshots in the head only');
  const tailId = ids.get(3)!;
  const unchanged = activeSetBytes(f);
  const { after } = await store.update(tailId, (i) => ({ ...i, lastUpdate: { at: 1, by: f.alice.Id, text: 'Still down' } }));
  await store.sync(after);
  assert.deepEqual(activeSetBytes(f), unchanged, 'a status update of a tail incident');
  // The head's newest member resolves: the first member past the head joins it without a snapshot.
  const newest = ids.get(COUNT)!;
  const resolved = await store.update(newest, (i) => ({ ...i, phase: 'resolved', resolution: { at: 2, by: f.alice.Id, summary: 'ok' } }));
  await store.sync(resolved.after);
  const page = async (): Promise<number[]> => ((await f.h.http('GET', f.url('?state=active&per_page=100'), f.alice)).body as Page<IncidentView>).items.map((i) => i.number);
  const promoted = COUNT - ACTIVE_HEAD;
  assert.ok((await page()).includes(promoted), 'read from its record');
  const before = f.h.api.kvCalls;
  assert.ok((await page()).includes(promoted));
  assert.equal(f.h.api.kvCalls - before, 1, 'then from the snapshot the read put back');
  f.h.close();
});

test('/infra owe follows roles in incidents past the head: a new role shows, a resolved incident goes; a rebuild reads only what the ledger keeps', async () => {
  const { f, store, ids } = await seeded();
  const owe = async (): Promise<string[]> => {
    const res = await f.h.http('GET', `/api/v1/teams/${f.team.Id}/owe`, f.bob);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { sections: OwedSection[] }).sections.find((s) => s.feature === 'incidents')?.items ?? [];
  };
  const scribeOf = Array.from({ length: COUNT }, (_, k) => k + 1).filter((n) => n % 7 === 0 && n % 5 !== 0);
  assert.equal((await owe()).length, scribeOf.length, 'built from the records');
  // INC-2 is past the head: bob becomes its scribe, then it resolves.
  const tail = ids.get(2)!;
  const named = await store.update(tail, (i) => ({ ...i, roles: { ...i.roles, scribe: f.bob.Id } }));
  await store.sync(named.after);
  assert.ok((await owe()).some((l) => l.startsWith('INC-002')), 'the new role shows');
  const gone = await store.update(tail, (i) => ({ ...i, phase: 'resolved', resolution: { at: 2, by: f.alice.Id, summary: 'ok' } }));
  await store.sync(gone.after);
  assert.ok(!(await owe()).some((l) => l.startsWith('INC-002')), 'and goes when it resolves');
  // A rebuild (the ledger lost) reads the records of the facts the ledger keeps, no more.
  f.world.kv.delete(`owe:u:${f.team.Id}:${f.bob.Id}`);
  const many = await seededCommander(f, store, ids);
  const before = f.h.api.kvCalls;
  const lines = await owe();
  assert.ok(f.h.api.kvCalls - before <= LEDGER_FEATURE_LIMIT + 10, `${f.h.api.kvCalls - before} KV calls`);
  assert.ok(lines.some((l) => /more/.test(l)), `overflow counted: ${lines.at(-1)}`);
  assert.ok(lines.some((l) => l.startsWith(`INC-${String(many).padStart(3, '0')}`)), 'the newest kept');
  f.h.close();
});

/** Makes bob the commander of every active incident past the head; returns the newest of them he may see. */
async function seededCommander(f: Fixture, store: IncidentStore, ids: Map<number, string>): Promise<number> {
  let newest = 0;
  for (const [n, id] of ids) {
    if (n > COUNT - ACTIVE_HEAD || n <= 2) continue;
    const { after } = await store.update(id, (i) => ({ ...i, roles: { ...i.roles, commander: f.bob.Id } }));
    await store.sync(after);
    if (n % 5 !== 0) newest = Math.max(newest, n);
  }
  return newest;
}
