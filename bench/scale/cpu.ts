import { readFileSync } from 'node:fs';
import type { Rig } from '../../e2e/rig';
import { sleep } from '../../e2e/rig/net';

/** Linux reports a process's CPU time in clock ticks of 1/100 s (USER_HZ; `getconf CLK_TCK`). */
const TICK_MS = 10;

/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after comm (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc/${pid}/stat`);
  return (utime + stime) * TICK_MS;
}

/** The plugin process's pid (the server's one child in the plugin's directory; rss.ts reads it too). */
export async function pluginPid(rig: Rig): Promise<number> {
  const processes = await rig.pluginProcesses();
  if (processes.length !== 1) throw new Error(`expected one plugin process, found ${processes.length}`);
  return processes[0]!.pid;
}

export interface Quiet {
  /** How long the process stayed busy before a quiet window (ms). */
  waitedMs: number;
  /** Its CPU share in the last window (0–1 of one core). */
  share: number;
  /** The CPU time it used before its quiet windows began (ms): the work it was still doing. */
  busyCpuMs: number;
}

/**
 * Waits until the process uses less than `below` of one core over two windows in a row (or
 * `timeoutMs` passes), so a page is not timed against work a seeding step left queued. Answers
 * how long that took and the last window's share: a plugin that never goes quiet is a finding.
 */
export async function untilQuiet(pid: number, { windowMs = 2_000, below = 0.05, timeoutMs = 300_000 } = {}): Promise<Quiet> {
  const start = performance.now();
  const startCpu = cpuMs(pid);
  let quietFromCpu = startCpu;
  let quietWindows = 0;
  let share = 1;
  while (performance.now() - start < timeoutMs) {
    const before = cpuMs(pid);
    await sleep(windowMs);
    share = (cpuMs(pid) - before) / windowMs;
    quietWindows = share < below ? quietWindows + 1 : 0;
    if (quietWindows === 1) quietFromCpu = before;
    if (quietWindows === 2) return { waitedMs: performance.now() - start - 2 * windowMs, share, busyCpuMs: quietFromCpu - startCpu };
  }
  return { waitedMs: performance.now() - start, share, busyCpuMs: cpuMs(pid) - startCpu };
}

/** The process's CPU share (0–1 of one core) over `ms` of doing nothing on our side. */
export async function idleShare(pid: number, ms = 10_000): Promise<number> {
  const before = cpuMs(pid);
  await sleep(ms);
  return (cpuMs(pid) - before) / ms;
}
