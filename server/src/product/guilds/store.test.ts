import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MemoryWorld } from '../../plugin/testing/memory_api';
import { type HeldKv, twoNodes } from '../testing/staged_kv';
import { GuildStore } from './store';
import { guildFixture } from './test_fixture';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The guild stores of two nodes; the first one's writes can be held. */
function stores(world: MemoryWorld): { held: HeldKv; slow: GuildStore; other: GuildStore } {
  const { held, slow, other } = twoNodes(world);
  return { held, slow: new GuildStore(slow, quiet, () => 0), other: new GuildStore(other, quiet, () => 0) };
}

test('a guild created again under a slug while another node deletes it stays listed', async () => {
  const f = await guildFixture();
  await f.cmd(f.alice, '/guild create Ops --day mon --time 10:00 --tz UTC --channel ~town-square');
  const { held: slowKv, slow: deleting, other: creating } = stores(f.world);
  const guild = (await creating.get(f.team.Id, 'ops'))!;
  // One node deletes the guild; its index write (dropping the slug) waits while another creates it afresh.
  const dropSlug = slowKv.hold(`guild:t:${f.team.Id}:index`);
  const deleted = deleting.delete(f.team.Id, 'ops');
  await dropSlug.reached;
  assert.equal(await creating.create({ ...guild, rev: 0, name: 'Ops again' }), true);
  dropSlug.release();
  await deleted;
  assert.deepEqual((await creating.list(f.team.Id)).filter((g) => g.slug === 'ops').map((g) => g.name), ['Ops again']);
  assert.equal(await creating.create({ ...guild, rev: 0 }), false, 'the slug is taken by the listed guild');
});

test('a guild inserted just after another node dropped its slug and looked for it files the slug again', async () => {
  const f = await guildFixture();
  await f.cmd(f.alice, '/guild create Ops --day mon --time 10:00 --tz UTC --channel ~town-square');
  const { held: deleteKv, slow: deleting } = stores(f.world);
  const { held: createKv, slow: creating } = stores(f.world);
  const guild = (await creating.get(f.team.Id, 'ops'))!;
  // The record goes; the slug's removal waits. The new guild finds the slug filed and waits to insert.
  const dropSlug = deleteKv.hold(`guild:t:${f.team.Id}:index`);
  const deleted = deleting.delete(f.team.Id, 'ops');
  await dropSlug.reached;
  const insert = createKv.hold(`guild:t:${f.team.Id}:g:ops`);
  const created = creating.create({ ...guild, rev: 0, name: 'Ops again' });
  await insert.reached;
  // The delete drops the slug and finds no guild under it; then the insert lands.
  dropSlug.release();
  await deleted;
  insert.release();
  assert.equal(await created, true);
  assert.deepEqual((await creating.list(f.team.Id)).filter((g) => g.slug === 'ops').map((g) => g.name), ['Ops again']);
});

test('a guild deleted by another node just after it was inserted is not filed back', async () => {
  const f = await guildFixture();
  await f.cmd(f.alice, '/guild create Ops --day mon --time 10:00 --tz UTC --channel ~town-square');
  const { held: createKv, slow: creating, other: deleting } = stores(f.world);
  const guild = (await deleting.get(f.team.Id, 'ops'))!;
  await deleting.delete(f.team.Id, 'ops');
  // Created again: the slug filed and the record inserted, then the creating node waits.
  const inserted = createKv.hold(`guild:t:${f.team.Id}:g:ops`, 0, true);
  const created = creating.create({ ...guild, rev: 0, name: 'Ops again' });
  await inserted.reached;
  // Deleted in full meanwhile: the record gone, the slug dropped.
  await deleting.delete(f.team.Id, 'ops');
  inserted.release();
  assert.equal(await created, true);
  assert.deepEqual((await creating.list(f.team.Id)).filter((g) => g.slug === 'ops'), [], 'no guild listed without its record');
  assert.equal(await creating.get(f.team.Id, 'ops'), null);
});
