import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { cpuMs, idleShare, untilQuiet } from './cpu';

/** A child that spins on the CPU, or one that sleeps, for the length of a test. */
function child(busy: boolean): { pid: number; stop: () => void } {
  const p = spawn(process.execPath, ['-e', busy ? 'for (;;) {}' : 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  return { pid: p.pid!, stop: () => p.kill('SIGKILL') };
}

test("cpuMs reads a process's CPU time, which grows while it works", async () => {
  const spinner = child(true);
  try {
    const before = cpuMs(spinner.pid);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(cpuMs(spinner.pid) - before >= 30, 'a spinning process used at least a tenth of 300 ms (a loaded machine shares its cores)');
  } finally {
    spinner.stop();
  }
});

test('idleShare tells a spinning process from a sleeping one', async () => {
  const spinner = child(true);
  const sleeper = child(false);
  try {
    await new Promise((r) => setTimeout(r, 200)); // past the sleeper's start-up
    const [busy, idle] = await Promise.all([idleShare(spinner.pid, 500), idleShare(sleeper.pid, 500)]);
    assert.ok(busy > 0.1, `spinning: ${busy}`);
    assert.ok(idle < 0.05, `sleeping: ${idle}`);
  } finally {
    spinner.stop();
    sleeper.stop();
  }
});

test('untilQuiet returns once a process is quiet, and gives up on one that never is', async () => {
  const spinner = child(true);
  const sleeper = child(false);
  try {
    await new Promise((r) => setTimeout(r, 200));
    const quiet = await untilQuiet(sleeper.pid, { windowMs: 100, timeoutMs: 5_000 });
    assert.ok(quiet.share < 0.05 && quiet.waitedMs < 1_000, JSON.stringify(quiet));
    const busy = await untilQuiet(spinner.pid, { windowMs: 100, timeoutMs: 600 });
    assert.ok(busy.share > 0.1 && busy.waitedMs >= 600, JSON.stringify(busy));
  } finally {
    spinner.stop();
    sleeper.stop();
  }
});
