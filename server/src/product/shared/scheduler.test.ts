import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import type { Logger } from './context';
import { KvRepository } from './kv';
import { Scheduler } from './scheduler';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function cluster(world: MemoryWorld, clock: { now: number }, nodes = 3): Scheduler[] {
  return Array.from({ length: nodes }, () => new Scheduler(new KvRepository(new MemoryApi(world)), () => clock.now, quiet));
}

test('a due job fires exactly once across several nodes polling at the same time', async () => {
  const world = new MemoryWorld();
  const clock = { now: 1_000 };
  const fired: string[] = [];
  const nodes = cluster(world, clock);
  nodes.forEach((n, i) => n.register('remind', async (payload) => void fired.push(`${String(payload.who)}@${i}`)));
  await nodes[0]!.schedule('r1', 'remind', 5_000, { who: 'alice' });
  await nodes[1]!.schedule('r2', 'remind', 9_000, { who: 'bob' });

  assert.deepEqual(await Promise.all(nodes.map((n) => n.runDue())), [0, 0, 0], 'nothing is due yet');
  clock.now = 6_000;
  await Promise.all(nodes.map((n) => n.runDue()));
  await Promise.all(nodes.map((n) => n.runDue()));
  assert.equal(fired.length, 1);
  assert.match(fired[0]!, /^alice@/);
  clock.now = 10_000;
  await Promise.all(nodes.map((n) => n.runDue()));
  assert.equal(fired.length, 2);
  assert.equal(await nodes[0]!.dueAt('r1'), null);
});

test('rescheduling replaces the due time; cancel stops it', async () => {
  const world = new MemoryWorld();
  const clock = { now: 0 };
  const [node] = cluster(world, clock, 1);
  let count = 0;
  node!.register('k', async () => void count++);
  await node!.schedule('j', 'k', 100, {});
  await node!.schedule('j', 'k', 500, {});
  clock.now = 200;
  assert.equal(await node!.runDue(), 0);
  assert.equal(await node!.dueAt('j'), 500);
  await node!.cancel('j');
  clock.now = 600;
  assert.equal(await node!.runDue(), 0);
  assert.equal(count, 0);
});

test('a job that reschedules itself while running keeps its new occurrence', async () => {
  const world = new MemoryWorld();
  const clock = { now: 0 };
  const [node] = cluster(world, clock, 1);
  const runs: number[] = [];
  node!.register('cadence', async (_p, job) => {
    runs.push(job.dueAt);
    await node!.schedule('c', 'cadence', job.dueAt + 1_000, {});
  });
  await node!.schedule('c', 'cadence', 1_000, {});
  for (const t of [1_000, 2_000, 3_000]) {
    clock.now = t;
    await node!.runDue();
  }
  assert.deepEqual(runs, [1_000, 2_000, 3_000]);
  assert.equal(await node!.dueAt('c'), 4_000);
});

test('a failing job is retried later, and a claimed job is not run by another node', async () => {
  const world = new MemoryWorld();
  const clock = { now: 0 };
  const [a, b] = cluster(world, clock, 2);
  let attempts = 0;
  const handler = async (): Promise<void> => {
    attempts++;
    if (attempts === 1) throw new Error('boom');
  };
  a!.register('flaky', handler);
  b!.register('flaky', handler);
  await a!.schedule('f', 'flaky', 10, {});
  clock.now = 10;
  await a!.runDue();
  assert.equal(attempts, 1);
  assert.ok((await a!.dueAt('f'))! > 10, 'retry is pushed back');
  clock.now = 100_000;
  await Promise.all([a!.runDue(), b!.runDue()]);
  assert.equal(attempts, 2);
  assert.equal(await a!.dueAt('f'), null);
});

test('many jobs scheduled concurrently from several nodes each fire exactly once', async () => {
  const world = new MemoryWorld();
  const clock = { now: 0 };
  const nodes = cluster(world, clock, 3);
  const fired = new Map<string, number>();
  for (const n of nodes) n.register('tick', async (payload) => void fired.set(String(payload.id), (fired.get(String(payload.id)) ?? 0) + 1));
  await Promise.all(Array.from({ length: 60 }, (_, i) => nodes[i % 3]!.schedule(`job-${i}`, 'tick', 100 + i, { id: i })));
  clock.now = 1_000;
  await Promise.all(nodes.map((n) => n.runDue()));
  await Promise.all(nodes.map((n) => n.runDue()));
  assert.equal(fired.size, 60);
  assert.ok([...fired.values()].every((count) => count === 1));
  assert.deepEqual(await Promise.all(nodes.map((n) => n.runDue())), [0, 0, 0]);
});
