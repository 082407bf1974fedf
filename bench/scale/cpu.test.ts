import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { cpuMs, idleShare, untilQuiet } from './cpu';

const SPIN = 'for (;;) {}';
const SLEEP = 'setTimeout(() => {}, 60_000)';

/**
 * A child running `body` (SPIN, SLEEP or its own script) for the length of a test; `ready` resolves
 * once it runs its own code (Node's start-up is CPU too, and slow on a loaded machine).
 */
function child(body: string): { pid: number; ready: Promise<void>; stop: () => void } {
  const p = spawn(process.execPath, ['-e', `process.stdout.write('ready\\n'); ${body}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  const ready = new Promise<void>((resolve) => p.stdout.once('data', () => resolve()));
  return { pid: p.pid!, ready, stop: () => p.kill('SIGKILL') };
}

test("cpuMs reads a process's CPU time, which grows while it works", async () => {
  const spinner = child(SPIN);
  try {
    const before = cpuMs(spinner.pid);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(cpuMs(spinner.pid) - before >= 30, 'a spinning process used at least a tenth of 300 ms (a loaded machine shares its cores)');
  } finally {
    spinner.stop();
  }
});

test('idleShare tells a spinning process from a sleeping one', async () => {
  const spinner = child(SPIN);
  const sleeper = child(SLEEP);
  try {
    await Promise.all([spinner.ready, sleeper.ready]);
    const [busy, idle] = await Promise.all([idleShare(spinner.pid, 500), idleShare(sleeper.pid, 500)]);
    assert.ok(busy > 0.1, `spinning: ${busy}`);
    assert.ok(idle < 0.05, `sleeping: ${idle}`);
  } finally {
    spinner.stop();
    sleeper.stop();
  }
});

test('untilQuiet returns once a process is quiet, and gives up on one that never is', async () => {
  const spinner = child(SPIN);
  const sleeper = child(SLEEP);
  try {
    await Promise.all([spinner.ready, sleeper.ready]);
    const quiet = await untilQuiet(sleeper.pid, { windowMs: 100, timeoutMs: 5_000 });
    assert.ok(quiet.share < 0.05 && quiet.waitedMs < 1_000, JSON.stringify(quiet));
    const busy = await untilQuiet(spinner.pid, { windowMs: 100, timeoutMs: 600 });
    assert.ok(busy.share > 0.1 && busy.waitedMs >= 600, JSON.stringify(busy));
  } finally {
    spinner.stop();
    sleeper.stop();
  }
});

test('untilQuiet says how much CPU a process still used before it went quiet', async () => {
  // Works for 300 ms of CPU time, then sleeps.
  const worker = child(`const t = process.cpuUsage(); for (;;) { const u = process.cpuUsage(t); if (u.user + u.system > 300_000) break; } ${SLEEP}`);
  try {
    await worker.ready;
    const quiet = await untilQuiet(worker.pid, { windowMs: 100, timeoutMs: 10_000 });
    assert.ok(quiet.share < 0.05, JSON.stringify(quiet));
    // /proc counts in 10 ms ticks; the 'ready' write comes just before the work starts.
    assert.ok(quiet.busyCpuMs >= 250 && quiet.busyCpuMs <= 1_000, JSON.stringify(quiet));
  } finally {
    worker.stop();
  }
});
