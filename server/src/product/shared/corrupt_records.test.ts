import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import type { Logger } from './logger';
import { CORRUPT_RECORDS_KEY, CorruptRecords, corruptRecordsFor, listCorruptRecords, MAX_CORRUPT_RECORDS } from './corrupt_records';
import { KvRepository } from './kv';

function counting(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (_m, fields) => void errors.push(String(fields?.['key'])) };
}

test('each record is logged once per process, listed for every node, newest first, and can be resolved', async () => {
  const world = new MemoryWorld();
  const clock = { now: 100 };
  const log = counting();
  const registry = new CorruptRecords(new KvRepository(new MemoryApi(world)), log, () => clock.now);
  for (let i = 0; i < 3; i++) await registry.report('inc:r:1', 'not JSON');
  clock.now = 200;
  await registry.report('pick:i:t:7', 'score: expected number');
  assert.deepEqual(log.errors, ['inc:r:1', 'pick:i:t:7']);

  const otherNode = new KvRepository(new MemoryApi(world));
  const listed = await listCorruptRecords(otherNode);
  assert.deepEqual(listed.map((r) => [r.key, r.detail, r.firstSeenAt]), [['pick:i:t:7', 'score: expected number', 200], ['inc:r:1', 'not JSON', 100]]);

  await registry.resolve('inc:r:1');
  assert.deepEqual((await listCorruptRecords(otherNode)).map((r) => r.key), ['pick:i:t:7']);
  await registry.report('inc:r:1', 'not JSON');
  assert.equal(log.errors.length, 3, 'resolved, then broken again: logged again');
});

test('the list stays bounded, keeping the most recent', async () => {
  const world = new MemoryWorld();
  const clock = { now: 0 };
  const registry = new CorruptRecords(new KvRepository(new MemoryApi(world)), counting(), () => clock.now);
  for (let i = 0; i < MAX_CORRUPT_RECORDS + 20; i++) {
    clock.now = i;
    void registry.report(`k:${i}`, 'bad');
  }
  await registry.report('k:last', 'bad');
  const listed = await listCorruptRecords(new KvRepository(new MemoryApi(world)));
  assert.equal(listed.length, MAX_CORRUPT_RECORDS);
  assert.equal(listed[0]!.key, 'k:last');
  assert.ok(!listed.some((r) => r.key === 'k:0'), 'the oldest fell off');
});

test('an unreadable list is started afresh rather than failing the report', async () => {
  const world = new MemoryWorld();
  const api = new MemoryApi(world);
  await api.kvSet(CORRUPT_RECORDS_KEY, new TextEncoder().encode('{oops'));
  const kv = new KvRepository(api);
  assert.equal((await listCorruptRecords(kv))[0]!.key, CORRUPT_RECORDS_KEY, 'the doctor sees the list itself is broken');
  await new CorruptRecords(kv, counting(), () => 5).report('guild:g:x', 'bad');
  assert.deepEqual((await listCorruptRecords(kv)).map((r) => r.key), ['guild:g:x']);
});

test('one registry per KV store in a process, so features share "logged once"', () => {
  const kv = new KvRepository(new MemoryApi(new MemoryWorld()));
  assert.equal(corruptRecordsFor(kv, counting(), Date.now), corruptRecordsFor(kv, counting(), Date.now));
});
