import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { ChunkedIndex } from './chunked_index';
import { HeldKv, JitteryKv, seeded, turn } from '../testing/staged_kv';
import { KvRepository } from './kv';

test('pages walk newest first across chunks with a cursor, and filtered pages stay bounded', async () => {
  const api = new MemoryApi();
  const index = new ChunkedIndex(new KvRepository(api), 'ix', 10);
  for (let i = 0; i < 35; i++) await index.append(`id${i}`, { even: i % 2 === 0 });
  assert.equal(await index.count(), 35);

  const first = await index.page({ limit: 12 });
  assert.deepEqual(first.entries.map((e) => e.id), Array.from({ length: 12 }, (_, k) => `id${34 - k}`));
  const second = await index.page({ limit: 12, before: first.next });
  assert.equal(second.entries[0]!.id, 'id22');
  const third = await index.page({ limit: 12, before: second.next });
  assert.deepEqual(third.entries.map((e) => e.id).slice(-2), ['id1', 'id0']);
  assert.equal(third.next, null);

  const evens = await index.page({ limit: 5, match: (t) => t.even === true });
  assert.deepEqual(evens.entries.map((e) => e.id), ['id34', 'id32', 'id30', 'id28', 'id26']);

  // A filter nothing matches makes at most maxReads reads and hands back a cursor.
  const calls = api.kvCalls;
  const none = await index.page({ limit: 5, match: () => false, maxReads: 3 });
  assert.deepEqual(none.entries, []);
  assert.equal(none.next, 10);
  assert.equal(api.kvCalls - calls, 3, 'head (with chunk 3) + chunks 2 and 1');

  await index.put(3, 'id3', { even: true, retagged: 'yes' });
  const all = await index.all((t) => t.retagged === 'yes');
  assert.deepEqual(all.map((e) => e.id), ['id3']);
  const unchanged = api.kvCalls;
  await index.put(3, 'id3', { even: true, retagged: 'yes' });
  assert.equal(api.kvCalls - unchanged, 2, 'a no-op re-tag of a sealed entry is two reads (head, chunk)');
  await index.put(34, 'id34', { even: true });
  assert.equal(api.kvCalls - unchanged, 3, 'and of an entry in the head one');
});

test('appends from several nodes at once never lose or duplicate an entry', async () => {
  const world = new MemoryWorld();
  const nodes = [0, 1, 2].map(() => new ChunkedIndex(new KvRepository(new MemoryApi(world)), 'ix', 8));
  const ordinals = await Promise.all(Array.from({ length: 40 }, (_, i) => nodes[i % 3]!.append(`id${i}`, {})));
  assert.deepEqual([...ordinals].sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i));
  const all = await nodes[0]!.all();
  assert.equal(all.length, 40);
  assert.equal(new Set(all.map((e) => e.id)).size, 40);
});

test('a page costs the same few reads at 1x, 10x and 100x the entries', async () => {
  const costs: number[][] = [];
  for (const n of [150, 1500, 15000]) {
    const api = new MemoryApi();
    const index = new ChunkedIndex(new KvRepository(api), 'ix', 100);
    for (let i = 0; i < n; i++) await index.append(`id${i}`, { s: i % 3 }, { title: `t${i}` });
    const before = api.kvCalls;
    const first = await index.page({ limit: 20 });
    const firstCost = api.kvCalls - before;
    const mid = api.kvCalls;
    const second = await index.page({ limit: 40, before: Math.floor(n / 2) + 7 });
    costs.push([firstCost, api.kvCalls - mid]);
    assert.equal(first.entries.length, 20);
    assert.deepEqual(first.entries[0]!.d, { title: `t${n - 1}` });
    assert.equal(second.entries.length, 40);
    assert.equal(second.entries[0]!.o, Math.floor(n / 2) + 6);
  }
  for (const [first, cursor] of costs) {
    assert.ok(first! <= 2, `first page ${first} reads`);
    assert.ok(cursor! <= 2, `cursor page ${cursor} reads`);
  }
});

test('a version-1 index (head {v:1,count}, every chunk in its own key) reads and grows', async () => {
  const api = new MemoryApi();
  const kv = new KvRepository(api);
  const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
  await api.kvSetWithOptions('ix:h', enc({ v: 1, count: 15 }), { Atomic: false, OldValue: null, ExpireInSeconds: 0 });
  await api.kvSetWithOptions('ix:c0', enc({ v: 1, entries: Array.from({ length: 10 }, (_, i) => ({ id: `id${i}`, o: i, t: {} })) }), { Atomic: false, OldValue: null, ExpireInSeconds: 0 });
  await api.kvSetWithOptions('ix:c1', enc({ v: 1, entries: Array.from({ length: 5 }, (_, i) => ({ id: `id${10 + i}`, o: 10 + i, t: {} })) }), { Atomic: false, OldValue: null, ExpireInSeconds: 0 });
  const index = new ChunkedIndex(kv, 'ix', 10);
  assert.deepEqual((await index.page({ limit: 3 })).entries.map((e) => e.id), ['id14', 'id13', 'id12']);
  for (let i = 15; i < 25; i++) await index.append(`id${i}`, {});
  const all = await index.all();
  assert.deepEqual(all.map((e) => e.o), Array.from({ length: 25 }, (_, i) => 24 - i));
  await index.put(3, 'id3', { x: 1 }, { s: 'old' });
  assert.deepEqual((await index.page({ limit: 1, before: 4 })).entries[0]!.d, { s: 'old' });
});

test('a seal interrupted after the copy leaves the head authoritative', async () => {
  const api = new MemoryApi();
  const kv = new KvRepository(api);
  const index = new ChunkedIndex(kv, 'ix', 10);
  for (let i = 0; i < 8; i++) await index.append(`id${i}`, {});
  // A node copied chunk 0 and crashed before its head write; later the entry 2 was re-tagged.
  const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
  await api.kvSetWithOptions('ix:c0', enc({ v: 1, entries: [{ id: 'stale', o: 2, t: {} }], open: true }), { Atomic: false, OldValue: null, ExpireInSeconds: 0 });
  await index.put(2, 'id2', { fresh: true });
  assert.deepEqual((await index.page({ limit: 1, before: 3 })).entries.map((e) => [e.id, e.t]), [['id2', { fresh: true }]]);
  for (let i = 8; i < 12; i++) await index.append(`id${i}`, {});
  const all = await index.all();
  assert.equal(all.length, 12);
  assert.deepEqual(all.find((e) => e.o === 2)!.t, { fresh: true });
});

test('re-tags racing appends and seals on several nodes are all kept', async () => {
  const world = new MemoryWorld();
  const nodes = [0, 1, 2].map(() => new ChunkedIndex(new KvRepository(new MemoryApi(world)), 'ix', 4));
  for (let i = 0; i < 6; i++) await nodes[0]!.append(`id${i}`, { n: 0 });
  await Promise.all([
    ...Array.from({ length: 14 }, (_, i) => nodes[i % 3]!.append(`id${6 + i}`, { n: 0 })),
    ...Array.from({ length: 6 }, (_, i) => nodes[(i + 1) % 3]!.put(i, `id${i}`, { n: 1 }, { seen: i })),
  ]);
  const all = await nodes[2]!.all();
  assert.equal(all.length, 20);
  for (let i = 0; i < 6; i++) assert.deepEqual(all.find((e) => e.o === i)!.d, { seen: i });
});

test('entryAt finds an entry in the head or in its sealed chunk, reading both at once', async () => {
  const api = new MemoryApi();
  const index = new ChunkedIndex(new KvRepository(api), 'ix', 10);
  for (let i = 0; i < 25; i++) await index.append(`id${i}`, { n: i });
  for (const o of [0, 9, 10, 19, 20, 24]) {
    const calls = api.kvCalls;
    assert.equal((await index.entryAt(o))?.id, `id${o}`, `ordinal ${o}`);
    assert.equal(api.kvCalls - calls, 2, 'the head and the chunk, once each');
  }
  assert.equal(await index.entryAt(25), null, 'not handed out yet');
  assert.equal(await index.entryAt(1000), null);
  // Re-tagged entries read as re-tagged, wherever they live.
  await index.put(3, 'id3', { n: 'three' });
  await index.put(22, 'id22', { n: 'twenty-two' });
  assert.equal((await index.entryAt(3))?.t['n'], 'three');
  assert.equal((await index.entryAt(22))?.t['n'], 'twenty-two');
});

/** A stored chunk's `open` mark, read straight from the shared KV. */
function openMark(world: MemoryWorld, key: string): boolean | undefined {
  const raw = world.kv.get(key);
  return raw ? (JSON.parse(new TextDecoder().decode(raw)) as { open?: boolean }).open : undefined;
}

test('a sealer that read the head before another node sealed never writes over the sealed chunk', async () => {
  const world = new MemoryWorld();
  const late = new HeldKv(new MemoryApi(world));
  const [a, b] = [new ChunkedIndex(new KvRepository(new MemoryApi(world)), 'ix', 4), new ChunkedIndex(new KvRepository(late), 'ix', 4)];
  for (let i = 0; i < 3; i++) await a.append(`id${i}`, { n: 0 });
  // B fills chunk 0 and starts sealing it from the head it read; its copy waits.
  const copy = late.hold('ix:c0');
  const bAppend = b.append('id3', { n: 0 });
  await copy.reached;
  // Meanwhile A re-tags entry 1 (still in the head), seals chunk 0 itself, and re-tags entry 2 in the sealed chunk.
  await a.put(1, 'id1', { n: 1 });
  await a.append('id4', { n: 0 });
  await a.put(2, 'id2', { n: 2 });
  copy.release();
  await bAppend;
  const tags = (await a.all()).sort((x, y) => x.o - y.o).map((e) => e.t['n']);
  assert.deepEqual(tags, [0, 1, 2, 0, 0], 'both re-tags survive the late copy');
  assert.equal(openMark(world, 'ix:c0'), undefined, 'the sealed chunk is not left marked open');
});

test('a late copy landing between another node\'s seal and its unmark is refused', async () => {
  const world = new MemoryWorld();
  const lateKv = new HeldKv(new MemoryApi(world));
  const sealerKv = new HeldKv(new MemoryApi(world));
  const late = new ChunkedIndex(new KvRepository(lateKv), 'ix', 4);
  const sealer = new ChunkedIndex(new KvRepository(sealerKv), 'ix', 4);
  const other = new ChunkedIndex(new KvRepository(new MemoryApi(world)), 'ix', 4);
  for (let i = 0; i < 3; i++) await other.append(`id${i}`, { n: 0 });
  const lateCopy = lateKv.hold('ix:c0');
  const lateAppend = late.append('id3', { n: 0 });
  await lateCopy.reached;
  await other.put(1, 'id1', { n: 1 });
  // The sealer copies and commits, then waits before its unmark (its second write of the chunk).
  const unmark = sealerKv.hold('ix:c0', 1);
  const sealing = sealer.append('id4', { n: 0 });
  await unmark.reached;
  lateCopy.release();
  await lateAppend;
  unmark.release();
  await sealing;
  const tags = (await other.all()).sort((x, y) => x.o - y.o).map((e) => e.t['n']);
  assert.deepEqual(tags, [0, 1, 0, 0, 0], 'the re-tag made before the seal survives');
});

test('three nodes appending and re-tagging under random delays keep every last re-tag (40 seeds)', async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const world = new MemoryWorld();
    const random = seeded(seed);
    const nodes = [0, 1, 2].map(() => new ChunkedIndex(new KvRepository(new JitteryKv(new MemoryApi(world), random)), 'ix', 4));
    const total = 24;
    // Each entry is appended by one node, then re-tagged three times in order, each time by any node.
    await Promise.all(
      Array.from({ length: total }, async (_, i) => {
        const node = (): ChunkedIndex => nodes[Math.floor(random() * 3)]!;
        for (let turns = Math.floor(random() * 20); turns > 0; turns--) await turn();
        const ordinal = await node().append(`id${i}`, { n: 0 });
        for (let n = 1; n <= 3; n++) await node().put(ordinal, `id${i}`, { n });
      }),
    );
    const all = await nodes[0]!.all();
    assert.equal(all.length, total, `seed ${seed}: every entry`);
    assert.deepEqual(all.filter((e) => e.t['n'] !== 3).map((e) => e.o), [], `seed ${seed}: every entry's last re-tag`);
    const open = Array.from({ length: total / 4 }, (_, k) => `ix:c${k}`).filter((key) => openMark(world, key) === true);
    assert.deepEqual(open, [], `seed ${seed}: no chunk left marked open`);
  }
});

test('a node of an earlier version dropping the head\'s rev mid-seal costs no re-tag (a mixed cluster, mid-upgrade)', async () => {
  const world = new MemoryWorld();
  const heldKv = new HeldKv(new MemoryApi(world));
  const a = new ChunkedIndex(new KvRepository(heldKv), 'ix', 4);
  const b = new ChunkedIndex(new KvRepository(new MemoryApi(world)), 'ix', 4);
  for (let i = 0; i < 3; i++) await b.append(`id${i}`, { n: 0 });
  // A fills chunk 0, lands its open copy (rev 1), and waits before its seal's compare-and-set.
  const seal = heldKv.hold('ix:h', 1);
  const aAppend = a.append('id3', { n: 0 });
  await seal.reached;
  // A node of the earlier version re-tags entry 1 in the head; its schema has no rev, so it drops it.
  const head = JSON.parse(new TextDecoder().decode(world.kv.get('ix:h') ?? undefined)) as { rev?: number; entries: Array<{ o: number; t: Record<string, unknown> }> };
  delete head.rev;
  head.entries.find((e) => e.o === 1)!.t = { n: 1 };
  world.kv.set('ix:h', new TextEncoder().encode(JSON.stringify(head)));
  // B seals chunk 0 at rev 0 over A's open copy from rev 1; its unmark writes what it sealed.
  await b.append('id4', { n: 0 });
  seal.release();
  await aAppend;
  const tags = (await b.all()).sort((x, y) => x.o - y.o).map((e) => e.t['n']);
  assert.deepEqual(tags, [0, 1, 0, 0, 0]);
});
