import assert from 'node:assert/strict';
import test from 'node:test';
import { z } from 'zod';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { copyOf, dictionaryOf } from './dictionary';
import { KvRepository } from './kv';

const entry = z.object({ at: z.number() });
const schema = z.object({ v: z.literal(1), due: dictionaryOf(entry) });

test('an id-keyed record parses into an object with no prototype, and is stored as the same JSON as a plain one', async () => {
  const due = Object.fromEntries(Array.from({ length: 700 }, (_, i) => [`run-due:team:${i}:item`, { at: i }]));
  const parsed = schema.parse({ v: 1, due });
  assert.equal(Object.getPrototypeOf(parsed.due), null);
  assert.deepEqual(Object.entries(parsed.due), Object.entries(due), 'every entry, in order');
  assert.equal(JSON.stringify(parsed), JSON.stringify({ v: 1, due }));

  const kv = new KvRepository(new MemoryApi(new MemoryWorld()));
  await kv.update('index', schema, () => ({ v: 1 as const, due: parsed.due }));
  const plain = await kv.get('index', z.object({ v: z.literal(1), due: z.record(z.string(), entry) }));
  assert.deepEqual(plain, { v: 1, due }, 'a reader with a plain record schema (an older node) reads the same record');
  const read = await kv.get('index', schema);
  assert.equal(read?.due['run-due:team:699:item']?.at, 699);
  assert.ok(Object.isFrozen(read?.due), 'kept frozen like every parsed record');

  assert.equal(schema.safeParse({ v: 1, due: { a: { at: 'soon' } } }).success, false, 'entries are still validated');
});

test('a copy to change leaves the original alone and has no prototype either', () => {
  const original = Object.freeze(copyOf({ a: 1, b: 2 }));
  const changed = copyOf(original);
  changed['c'] = 3;
  delete changed['a'];
  assert.deepEqual(Object.keys(original), ['a', 'b']);
  assert.deepEqual(Object.keys(changed), ['b', 'c']);
  assert.equal(Object.getPrototypeOf(changed), null);
  assert.deepEqual(Object.keys(copyOf(null)), []);
});
