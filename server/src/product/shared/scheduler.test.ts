import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import type { Logger } from './logger';
import { listCorruptRecords } from './corrupt_records';
import { KvRepository } from './kv';
import { Scheduler, schedulerKeys } from './scheduler';

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

// --- faults: failures, hangs, dead nodes, crashes mid-write, unreadable records -----------------

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const encoder = new TextEncoder();

interface Recorder extends Logger {
  lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
}
function recorder(): Recorder {
  const lines: Recorder['lines'] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * One node's view of the shared store that can die: from `kill()` on, every call it makes hangs
 * for ever, as calls of a process killed with SIGKILL never answer. `crashAfterWrites` kills it
 * right after that many KV writes went through (a crash between two writes).
 */
function mortalApi(world: MemoryWorld, crashAfterWrites = Infinity): { api: MemoryApi; kill(): void } {
  const inner = new MemoryApi(world);
  let dead = false;
  let writes = 0;
  const api = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        if (dead) return new Promise(() => {});
        const result = method.apply(target, args);
        if (property === 'kvSetWithOptions' && ++writes >= crashAfterWrites) dead = true;
        return result;
      };
    },
  });
  return { api, kill: () => void (dead = true) };
}

test('a recurring chain survives an occurrence that keeps failing: it backs off, then moves on to the next', async () => {
  const world = new MemoryWorld();
  const clock = { now: 0 };
  const log = recorder();
  const node = new Scheduler(new KvRepository(new MemoryApi(world)), () => clock.now, log, { random: () => 0.5 });
  const seen: Array<{ dueAt: number; attempt: number }> = [];
  node.register(
    'weekly',
    async (_payload, job) => {
      seen.push({ dueAt: job.dueAt, attempt: job.attempt });
      if (job.dueAt === 1_000) throw new Error('channel unreachable');
    },
    { next: (_payload, job) => ({ dueAt: job.dueAt + 10_000_000 }) },
  );
  await node.schedule('w', 'weekly', 1_000, {});
  const retries: number[] = [];
  for (let i = 0; i < 5; i++) {
    clock.now = (await node.dueAt('w'))!;
    await node.runDue();
    retries.push((await node.dueAt('w'))! - clock.now);
  }
  assert.deepEqual(seen.map((s) => s.attempt), [1, 2, 3, 4, 5], 'the same occurrence, retried');
  assert.ok(seen.every((s) => s.dueAt === 1_000), 'a retry is still the 1 000 ms occurrence');
  assert.deepEqual(retries.slice(0, 4), [30_000, 60_000, 120_000, 240_000], 'exponential backoff');
  assert.equal(await node.dueAt('w'), 10_001_000, 'after 5 failed tries the chain goes on at the next occurrence');
  assert.equal(log.lines.filter((l) => l.level === 'error' && l.message === 'scheduled job failed').length, 5, 'every failure is logged');
  clock.now = 10_001_000;
  await node.runDue();
  assert.deepEqual(seen.at(-1), { dueAt: 10_001_000, attempt: 1 });
  assert.equal(await node.dueAt('w'), 20_001_000, 'a success schedules the next occurrence too');
});

test('a job without a next occurrence is never dropped for failing: backoff doubles up to its cap', async () => {
  const world = new MemoryWorld();
  const clock = { now: 0 };
  const node = new Scheduler(new KvRepository(new MemoryApi(world)), () => clock.now, quiet, { random: () => 0.5, retryCapMs: 600_000 });
  let tries = 0;
  node.register('repair', async () => {
    if (++tries <= 9) throw new Error('server unavailable');
  });
  await node.schedule('r', 'repair', 10, {});
  const delays: number[] = [];
  for (let i = 0; i < 9; i++) {
    clock.now = (await node.dueAt('r'))!;
    await node.runDue();
    delays.push((await node.dueAt('r'))! - clock.now);
  }
  assert.deepEqual(delays, [30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000, 600_000, 600_000]);
  clock.now = (await node.dueAt('r'))!;
  await node.runDue();
  assert.equal(tries, 10, 'the tenth try succeeded');
  assert.equal(await node.dueAt('r'), null);
});

test('a hung handler releases the tick: the other due jobs run, and the hung one is retried', { timeout: 10_000 }, async () => {
  const world = new MemoryWorld();
  const clock = { now: 0 };
  const node = new Scheduler(new KvRepository(new MemoryApi(world)), () => clock.now, quiet, { handlerTimeoutMs: 100 });
  const ran: string[] = [];
  let aborted = false;
  node.register('hangs', (_payload, job) => {
    job.signal.addEventListener('abort', () => (aborted = true));
    return new Promise(() => {});
  });
  node.register('quick', async (payload) => void ran.push(String(payload.name)));
  await node.schedule('stuck', 'hangs', 10, {});
  await node.schedule('after', 'quick', 20, { name: 'after' });
  clock.now = 50;
  const started = Date.now();
  assert.equal(await node.runDue(), 2);
  assert.ok(Date.now() - started < 2_000, 'the tick ended soon after the time limit');
  assert.deepEqual(ran, ['after']);
  assert.ok(aborted, 'the hung run was told to stop');
  assert.ok((await node.dueAt('stuck'))! > 50, 'the hung job waits for its retry');
});

test('a live node keeps its claim while a long job runs; a dead node loses it and another node takes over', { timeout: 10_000 }, async () => {
  const world = new MemoryWorld();
  const timings = { claimMs: 300, heartbeatMs: 50, kvTimeoutMs: 200, handlerTimeoutMs: 2_000 };
  const a = mortalApi(world);
  const nodeA = new Scheduler(new KvRepository(a.api), Date.now, quiet, timings);
  const nodeB = new Scheduler(new KvRepository(new MemoryApi(world)), Date.now, quiet, timings);
  const runs: string[] = [];
  nodeA.register('long', async () => {
    runs.push('A');
    await sleep(900);
  });
  nodeB.register('long', async () => void runs.push('B'));
  await nodeB.schedule('live', 'long', Date.now(), {});
  const aRun = nodeA.runDue();
  await sleep(20);
  for (let i = 0; i < 12; i++) {
    await nodeB.runDue();
    await sleep(60);
  }
  await aRun;
  assert.deepEqual(runs, ['A'], 'three times the claim length, and B never ran the job A was running');

  runs.length = 0;
  nodeA.register('long', async () => {
    runs.push('A');
    a.kill(); // SIGKILL mid-job: the handler and every later call never come back
    await new Promise(() => {});
  });
  await nodeB.schedule('dies', 'long', Date.now(), {});
  void nodeA.runDue();
  await sleep(20);
  const killedAt = Date.now();
  while (runs.length < 2 && Date.now() - killedAt < 3_000) {
    await nodeB.runDue();
    await sleep(50);
  }
  assert.deepEqual(runs, ['A', 'B'], 'B took the job over');
  assert.ok(Date.now() - killedAt < 1_000, `taken over ${Date.now() - killedAt} ms after the kill (claim ${timings.claimMs} ms)`);
});

test('a crash at any point of schedule() never leaves a pending job that no node finds', async () => {
  for (let crashAfter = 1; crashAfter <= 3; crashAfter++) {
    const world = new MemoryWorld();
    const clock = { now: 0 };
    const dying = new Scheduler(new KvRepository(mortalApi(world, crashAfter).api), () => clock.now, quiet, { kvTimeoutMs: 50 });
    const healthy = new Scheduler(new KvRepository(new MemoryApi(world)), () => clock.now, quiet, { orphanGraceMs: 1_000 });
    let fired = 0;
    healthy.register('k', async () => void fired++);
    await dying.schedule('j', 'k', 100, {}).catch(() => undefined);
    const pending = (await healthy.dueAt('j')) !== null;
    clock.now = 200;
    await healthy.runDue();
    assert.equal(fired, pending ? 1 : 0, `crash after write ${crashAfter}: a pending job runs, an unwritten one does not`);
    clock.now = 2_000;
    await healthy.runDue();
    await healthy.runDue();
    const kv = new KvRepository(new MemoryApi(world));
    const index = await kv.get(schedulerKeys.index('j'), z.object({ due: z.record(z.string(), z.unknown()) }));
    assert.equal(index?.due['j'], undefined, `crash after write ${crashAfter}: no stray index entry is left behind`);
  }
});

test('an unreadable job is skipped and logged once, listed for the doctor, and the other jobs run', async () => {
  const world = new MemoryWorld();
  const clock = { now: 0 };
  const log = recorder();
  const api = new MemoryApi(world);
  const node = new Scheduler(new KvRepository(api), () => clock.now, log);
  const fired: string[] = [];
  node.register('k', async (payload) => void fired.push(String(payload.n)));
  for (const n of ['a', 'b', 'c']) await node.schedule(n, 'k', 10, { n });
  await api.kvSet(schedulerKeys.job('b'), encoder.encode('{"v":1,"key":"b",'));
  for (const t of [20, 30, 40]) {
    clock.now = t;
    await node.runDue();
  }
  assert.deepEqual(fired.sort(), ['a', 'c']);
  const logged = log.lines.filter((l) => l.level === 'error');
  assert.equal(logged.length, 1, `logged once over three ticks: ${JSON.stringify(logged)}`);
  assert.equal(logged[0]!.fields?.['key'], 'sched:job:b');
  assert.deepEqual((await listCorruptRecords(new KvRepository(api))).map((r) => r.key), ['sched:job:b']);

  // Scheduling the job again replaces the unreadable record, so its chain goes on.
  await node.schedule('b', 'k', 100, { n: 'b2' });
  clock.now = 100;
  await node.runDue();
  assert.deepEqual(fired.sort(), ['a', 'b2', 'c']);
  assert.deepEqual(await listCorruptRecords(new KvRepository(api)), []);
});

test('an unreadable index shard is skipped and logged once; its jobs still run, and it is rebuilt once removed', async () => {
  const world = new MemoryWorld();
  const clock = { now: 0 };
  const log = recorder();
  const api = new MemoryApi(world);
  const node = new Scheduler(new KvRepository(api), () => clock.now, log, { rescueIntervalMs: 1_000 });
  const fired: string[] = [];
  node.register('k', async (payload) => void fired.push(String(payload.n)));
  const keys = Array.from({ length: 40 }, (_, i) => `job-${i}`);
  const broken = schedulerKeys.index(keys[0]!);
  const inBroken = keys.filter((k) => schedulerKeys.index(k) === broken);
  const elsewhere = keys.find((k) => schedulerKeys.index(k) !== broken)!;
  for (const k of [...inBroken, elsewhere]) await node.schedule(k, 'k', 10, { n: k });
  await api.kvSet(broken, encoder.encode('not json'));

  clock.now = 20;
  await node.runDue();
  assert.deepEqual(fired.sort(), [...inBroken, elsewhere].sort(), 'the broken shard’s jobs were found by a scan');
  // New schedules into the broken shard still work, and are picked up by the next scan.
  await node.schedule(inBroken[0]!, 'k', 500, { n: 'again' });
  clock.now = 600;
  await node.runDue();
  assert.ok(!fired.includes('again'), 'no scan before the rescue interval');
  clock.now = 1_100;
  await node.runDue();
  assert.ok(fired.includes('again'));
  assert.equal(log.lines.filter((l) => l.level === 'error').length, 1, 'the shard was logged once');
  assert.deepEqual((await listCorruptRecords(new KvRepository(api))).map((r) => r.key), [broken]);

  // An admin removes the bad record: the next tick rebuilds the shard from the job records.
  await node.schedule(inBroken[0]!, 'k', 5_000, { n: 'after repair' });
  await api.kvDelete(broken);
  clock.now = 1_200;
  await node.runDue();
  const index = await new KvRepository(api).get(broken, z.object({ due: z.record(z.string(), z.object({ at: z.number() })) }));
  assert.equal(index?.due[inBroken[0]!]?.at, 5_000, 'the pending job is indexed again');
  assert.deepEqual(await listCorruptRecords(new KvRepository(api)), []);
  clock.now = 5_000;
  await node.runDue();
  assert.ok(fired.includes('after repair'));
});
