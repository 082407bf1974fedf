import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { ChunkedIndex } from './chunked_index';
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

  // A filter nothing matches reads at most maxChunks chunks and hands back a cursor.
  const calls = api.kvCalls;
  const none = await index.page({ limit: 5, match: () => false, maxChunks: 2 });
  assert.deepEqual(none.entries, []);
  assert.equal(none.next, 20);
  assert.equal(api.kvCalls - calls, 3, 'head + 2 chunks');

  await index.put(3, 'id3', { even: true, retagged: 'yes' });
  const all = await index.all((t) => t.retagged === 'yes');
  assert.deepEqual(all.map((e) => e.id), ['id3']);
  const unchanged = api.kvCalls;
  await index.put(3, 'id3', { even: true, retagged: 'yes' });
  assert.equal(api.kvCalls - unchanged, 1, 'a no-op re-tag is one read');
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
