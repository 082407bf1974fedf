import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { CorruptRecordError } from './errors';
import { DELETE, KvRepository, UNCHANGED } from './kv';

const counter = z.object({ v: z.literal(1), n: z.number().int(), by: z.array(z.string()) });

test('concurrent updates from several nodes never lose a write', async () => {
  const world = new MemoryWorld();
  const nodes = [0, 1, 2, 3].map(() => new KvRepository(new MemoryApi(world)));
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      nodes[i % nodes.length]!.update('c', counter, (cur) => ({ v: 1 as const, n: (cur?.n ?? 0) + 1, by: [...(cur?.by ?? []), `w${i}`] })),
    ),
  );
  const final = await nodes[0]!.get('c', counter);
  assert.equal(final?.n, 40);
  assert.equal(new Set(final?.by).size, 40);
});

test('sequences are unique under concurrency', async () => {
  const world = new MemoryWorld();
  const nodes = [0, 1, 2].map(() => new KvRepository(new MemoryApi(world)));
  const numbers = await Promise.all(Array.from({ length: 30 }, (_, i) => nodes[i % 3]!.nextSequence('seq')));
  assert.deepEqual([...numbers].sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1));
});

test('insert is insert-if-absent; UNCHANGED writes nothing; DELETE removes', async () => {
  const api = new MemoryApi();
  const kv = new KvRepository(api);
  assert.equal(await kv.insert('x', counter, { v: 1, n: 1, by: [] }), true);
  assert.equal(await kv.insert('x', counter, { v: 1, n: 2, by: [] }), false);
  const calls = api.kvCalls;
  assert.equal((await kv.update('x', counter, () => UNCHANGED))?.n, 1);
  assert.equal(api.kvCalls, calls + 1, 'UNCHANGED costs one read, no write');
  assert.equal(await kv.update('x', counter, () => DELETE), null);
  assert.equal(await kv.get('x', counter), null);
});

test('a corrupt stored record is reported clearly and never overwritten', async () => {
  const api = new MemoryApi();
  const kv = new KvRepository(api);
  await api.kvSet('bad', new TextEncoder().encode('{"v":1,"n":"three"}'));
  await assert.rejects(kv.get('bad', counter), CorruptRecordError);
  await assert.rejects(kv.update('bad', counter, () => ({ v: 1 as const, n: 1, by: [] })), /bad is unreadable: n:/);
  await api.kvSet('worse', new Uint8Array([0xff, 0xfe]));
  await assert.rejects(kv.get('worse', counter), /not JSON/);
  assert.equal(new TextDecoder().decode((await api.kvGet('bad'))), '{"v":1,"n":"three"}');
});

test('refuses to store a record its own schema would reject', async () => {
  const kv = new KvRepository(new MemoryApi());
  await assert.rejects(kv.insert('x', counter, { v: 1, n: 1.5, by: [] }), /refusing to store invalid record x/);
});

test('an update on a record just read compares against its bytes (no second read); a stale one reads afresh and loses nothing', async () => {
  const world = new MemoryWorld();
  const api = new MemoryApi(world);
  const kv = new KvRepository(api);
  const other = new KvRepository(new MemoryApi(world));
  await kv.insert('c', counter, { v: 1, n: 0, by: [] });
  const read = (await kv.get('c', counter))!;
  const before = api.kvCalls;
  await kv.update('c', counter, (cur) => ({ ...cur!, n: cur!.n + 1, by: [...cur!.by, 'a'] }), { basis: read });
  assert.equal(api.kvCalls - before, 1, 'one compare-and-set, no read');

  const stale = (await kv.get('c', counter))!;
  await other.update('c', counter, (cur) => ({ ...cur!, n: cur!.n + 1, by: [...cur!.by, 'b'] }));
  await kv.update('c', counter, (cur) => ({ ...cur!, n: cur!.n + 1, by: [...cur!.by, 'c'] }), { basis: stale });
  assert.deepEqual(await kv.get('c', counter), { v: 1, n: 3, by: ['a', 'b', 'c'] }, 'the stale basis failed its compare, the retry read afresh');

  // A basis read from another key is not used for this one.
  await kv.insert('d', counter, { v: 1, n: 10, by: [] });
  await kv.update('d', counter, (cur) => ({ ...cur!, n: cur!.n + 1 }), { basis: (await kv.get('c', counter))! });
  assert.equal((await kv.get('d', counter))!.n, 11);
});

test('a large record read again with the same bytes is not parsed again; new bytes from another node are', async () => {
  const world = new MemoryWorld();
  const [one, two] = [new KvRepository(new MemoryApi(world)), new KvRepository(new MemoryApi(world))];
  const many = Array.from({ length: 400 }, (_, i) => `member-${i}`);
  await one.update('big', counter, () => ({ v: 1 as const, n: 1, by: many }));
  const first = await one.get('big', counter);
  assert.equal(await one.get('big', counter), first, 'same bytes: the same (frozen) value');
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first!.by));
  assert.throws(() => first!.by.push('x'), TypeError, 'a caller cannot change what others read');
  await two.update('big', counter, (cur) => ({ ...cur!, n: cur!.n + 1 }));
  const after = await one.get('big', counter);
  assert.notEqual(after, first);
  assert.equal(after?.n, 2, 'reads stay live: a write from another node is seen at once');
  await one.update('big', counter, () => DELETE);
  assert.equal(await one.get('big', counter), null);
});

test('small records are frozen too, so a change in place fails the same way at every size', async () => {
  const kv = new KvRepository(new MemoryApi());
  await kv.update('small', counter, () => ({ v: 1 as const, n: 1, by: ['a'] }));
  const read = await kv.get('small', counter);
  assert.ok(Object.isFrozen(read!.by));
  assert.notEqual(await kv.get('small', counter), read, 'not kept: parsed on every read');
});
