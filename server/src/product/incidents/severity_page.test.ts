import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from '../contract/api';
import { INCIDENTS_SIDEBAR_PAGE, type IncidentView } from '../contract/incidents';
import type { Incident } from './records';
import { IncidentStore } from './store';
import { ACTIVE_HEAD } from './team_sets';
import { type Fixture, fixture, writeCopy } from './test_fixture';

/** `count` active incidents written straight to the store, severities mixed, every seventh in `privateChannel`. */
async function seedActive(f: Fixture, store: IncidentStore, template: Incident, count: number, privateChannel: string): Promise<void> {
  for (let k = 0; k < count; k++) {
    await writeCopy(store, template, 'active', (number) => ({
      title: `Active ${number}`,
      channelId: number % 7 === 0 ? privateChannel : f.town.Id,
      severity: (((number * 3) % 4) + 1) as Incident['severity'],
    }));
  }
}

/** Every page of the sidebar's list as `user` sees it, following the cursors; and the KV calls of each. */
async function walk(f: Fixture, user = f.bob, perPage = INCIDENTS_SIDEBAR_PAGE, query = ''): Promise<{ pages: IncidentView[][]; calls: number[]; cursors: string[] }> {
  const pages: IncidentView[][] = [];
  const calls: number[] = [];
  const cursors: string[] = [];
  let cursor: string | null = null;
  do {
    const before = f.h.api.kvCalls;
    const res = await f.h.http('GET', f.url(`?state=active&sort=severity&per_page=${perPage}${query}${cursor === null ? '' : `&cursor=${cursor}`}`), user);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    calls.push(f.h.api.kvCalls - before);
    const page = res.body as Page<IncidentView>;
    pages.push(page.items);
    cursor = page.nextCursor;
    if (cursor !== null) cursors.push(cursor);
  } while (cursor !== null && pages.length < 500);
  return { pages, calls, cursors };
}

test('the sidebar’s page: active incidents most severe first, then newest, past the set’s head too; never a private one; the cursors walk each once', async () => {
  const f = await fixture();
  const store = new IncidentStore(f.h.ctx.kv);
  const secret = f.channelOf(await f.cmd(f.alice, '/incident declare Secret template --private'));
  const template = (await store.get((await store.incidentIdForChannel(secret.Id))!))!;
  await seedActive(f, store, template, ACTIVE_HEAD + 30, secret.Id);
  const all = await Promise.all(Array.from({ length: ACTIVE_HEAD + 31 }, (_, k) => store.idForNumber(f.team.Id, k + 1).then((id) => store.get(id!))));
  const expected = all
    .filter((i): i is Incident => i !== null && i.channelId !== secret.Id)
    .sort((a, b) => a.severity - b.severity || b.number - a.number)
    .map((i) => i.number);

  const { pages, calls } = await walk(f);
  const seen = pages.flat().map((i) => i.number);
  assert.deepEqual(seen, expected, 'most severe first, then newest; each once; none of the private channel');
  assert.ok(pages.slice(0, -1).every((p) => p.length === INCIDENTS_SIDEBAR_PAGE), 'full pages until the last');
  // The oldest SEV1s keep no snapshot in the set (past its head): the page reads their records.
  assert.ok(seen.slice(0, expected.filter((n) => all[n - 1]!.severity === 1).length).some((n) => n <= 30), 'old SEV1s come before new SEV2s');
  assert.equal(calls[0], 1, `the first page reads the set alone: ${calls[0]} KV calls`);
  assert.ok(calls.every((c) => c <= 1 + INCIDENTS_SIDEBAR_PAGE), `each page: the set and at most its own records (${calls.join(', ')})`);

  // alice, in the private channel too, sees those as well.
  assert.equal((await walk(f, f.alice)).pages.flat().length, ACTIVE_HEAD + 31);

  // Six private SEV1s, the newest: the first of bob's pages passes over all of them.
  for (let k = 0; k < 6; k++) all.push(await writeCopy(store, template, 'hidden', (number) => ({ title: `Hidden ${number}`, severity: 1 })));
  // One at a time: every cursor names an incident bob was shown, never a private one (its
  // severity and place in the order would show through), and the walk still sees each once.
  const keys: string[] = [];
  const get = f.h.api.kvGet.bind(f.h.api);
  f.h.api.kvGet = async (key) => (keys.push(key), get(key));
  const single = await walk(f, f.bob, 1);
  f.h.api.kvGet = get;
  assert.deepEqual(single.pages.flat().map((i) => i.number), expected);
  // Hidden members are passed over by their channel: no private incident's record is read.
  const hidden = all.filter((i): i is Incident => i !== null && i.channelId === secret.Id).map((i) => `inc:r:${i.id}`);
  assert.deepEqual(keys.filter((k) => hidden.includes(k)), [], 'no record of a private incident read for bob');
  const shownAt = new Map(all.filter((i): i is Incident => i !== null).map((i) => [`${i.severity}.${i.number}`, i]));
  for (const cursor of single.cursors) assert.notEqual(shownAt.get(cursor)?.channelId, secret.Id, `cursor ${cursor} names a private incident`);
  assert.ok(single.cursors.every((c) => shownAt.has(c)), 'each cursor names an incident');

  // A severity filter: only that severity, in the same order.
  assert.deepEqual((await walk(f, f.bob, 7, '&severity=2')).pages.flat().map((i) => i.number), expected.filter((n) => all[n - 1]!.severity === 2));
  f.h.close();
});

test('members naming no severity (an older node rewrote the set): a walk shows each visible incident once, and the next activation names them again', async () => {
  const f = await fixture();
  const store = new IncidentStore(f.h.ctx.kv);
  const secret = f.channelOf(await f.cmd(f.alice, '/incident declare Secret template --private'));
  const template = (await store.get((await store.incidentIdForChannel(secret.Id))!))!;
  await seedActive(f, store, template, 2 * ACTIVE_HEAD + 30, secret.Id);
  const key = `inc:set:${f.team.Id}:active`;
  const stripped = JSON.parse(new TextDecoder().decode(f.world.kv.get(key))) as { members: Array<{ s?: number; d?: unknown }> };
  for (const m of stripped.members) delete m.s;
  f.world.kv.set(key, new TextEncoder().encode(JSON.stringify(stripped)));
  const tailWithout = stripped.members.filter((m) => m.d === undefined).length;
  assert.ok(tailWithout > ACTIVE_HEAD, `${tailWithout} members name no severity and keep no snapshot`);

  // The first page learns at most ACTIVE_HEAD of them; the rest rank last on every page of the walk.
  const seen = (await walk(f)).pages.flat().map((i) => i.number);
  assert.equal(new Set(seen).size, seen.length, 'none repeated');
  const records = await store.getMany((await store.setMembers(f.team.Id, 'active')).map((m) => m.id));
  assert.deepEqual([...seen].sort((a, b) => a - b), records.filter((i) => i.channelId !== secret.Id).map((i) => i.number).sort((a, b) => a - b), 'none skipped');

  // The schema is at 4 already: the next activation still names every member's severity.
  f.world.kv.set(key, new TextEncoder().encode(JSON.stringify(stripped)));
  await f.h.product.onActivate!(f.h.api);
  assert.ok((await store.setMembers(f.team.Id, 'active')).every((m) => m.s !== undefined || m.d !== undefined));
  f.h.close();
});

test('version 3 → 4 names every active member’s severity; a set that names none still orders right, reading the records', async () => {
  const f = await fixture();
  const store = new IncidentStore(f.h.ctx.kv);
  const secret = f.channelOf(await f.cmd(f.alice, '/incident declare Secret template --private'));
  const template = (await store.get((await store.incidentIdForChannel(secret.Id))!))!;
  await seedActive(f, store, template, ACTIVE_HEAD + 10, secret.Id);
  const ordered = (await walk(f)).pages.flat().map((i) => i.number);

  // As an earlier version left the set: the tail's members name no severity.
  const key = `inc:set:${f.team.Id}:active`;
  const stripped = JSON.parse(new TextDecoder().decode(f.world.kv.get(key))) as { members: Array<{ s?: number; d?: unknown }> };
  for (const m of stripped.members) if (m.d === undefined) delete m.s;
  f.world.kv.set(key, new TextEncoder().encode(JSON.stringify(stripped)));
  assert.ok((await store.setMembers(f.team.Id, 'active')).some((m) => m.s === undefined && m.d === undefined));
  assert.deepEqual((await walk(f)).pages.flat().map((i) => i.number), ordered, 'the same order from the records');

  f.world.kv.set(key, new TextEncoder().encode(JSON.stringify(stripped)));
  await f.h.api.kvSet('inc:schema', new TextEncoder().encode('{"v":1,"version":3}'));
  await f.h.product.onActivate!(f.h.api);
  assert.ok((await store.setMembers(f.team.Id, 'active')).every((m) => m.s !== undefined), 'every member names its severity');
  assert.ok(f.world.logs.some((l) => JSON.stringify(l).includes('given their severity')));
  assert.deepEqual((await walk(f)).pages.flat().map((i) => i.number), ordered);
  f.h.close();
});

test('a severity change reorders the page; sort=severity is for active incidents, with its own cursors', async () => {
  const f = await fixture();
  const first = f.channelOf(await f.cmd(f.alice, '/incident declare Slow builds --severity 4'));
  await f.cmd(f.alice, '/incident declare Checkout down --severity 2');
  const titles = async (): Promise<string[]> =>
    ((await f.h.http('GET', f.url('?state=active&sort=severity'), f.alice)).body as Page<IncidentView>).items.map((i) => i.title);
  assert.deepEqual(await titles(), ['Checkout down', 'Slow builds']);
  await f.cmd(f.alice, '/incident severity 1', first);
  assert.deepEqual(await titles(), ['Slow builds', 'Checkout down']);

  for (const [query, problem] of [
    ['?sort=severity', /severity lists active incidents only/],
    ['?state=resolved&sort=severity', /severity lists active incidents only/],
    ['?state=active&sort=severity&cursor=12', /not a cursor from this list/],
    ['?state=active&sort=severity&cursor=1.x', /not a cursor from this list/],
    ['?state=active&sort=loudest', /sort/],
  ] as const) {
    const res = await f.h.http('GET', f.url(query), f.alice);
    assert.equal(res.status, 400, query);
    assert.match(JSON.stringify(res.body), problem, query);
  }
  f.h.close();
});
