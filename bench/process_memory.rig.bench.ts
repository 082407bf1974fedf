/**
 * Issue 12's memory figures on the real server (`npm run bench -- process_memory`): the plugin
 * process's RSS idle, after seeding 10,000 ideas through the HTTP API, and after each of three
 * rounds of load over them (every page of the channel's and the team's idea list, 500 scores,
 * 20 `/pick board`), for the amd64 executable as `npm run dist` builds it (SEA_EXEC_ARGV, its
 * launcher's glibc tunables) next to the same code without its launcher, then next to it built
 * without the V8 flags, each pair in the same run. Each executable gets a fresh
 * team, so both see the same data. Also each round's request p50/p95 (the flags must not cost
 * latency) and whether the process survived (a heap limit must not crash it under the load).
 * INFRA_OPS_BENCH_IDEAS shrinks the seed for a quick look.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PluginState, type Rig } from '../e2e/rig';
import type { ServerExecutable } from '../server/src/plugin/hosttest/harness';
import { onRealServer } from './real_server';
import { percentile, type BenchResult } from './result';

const repo = join(__dirname, '..');
const IDEAS = Number(process.env.INFRA_OPS_BENCH_IDEAS ?? 10_000);
const ROUNDS = 3;
const CONCURRENCY = 8;
const SCORES_PER_ROUND = 500;
const BOARDS_PER_ROUND = 20;

interface BuildScripts {
  SEA_EXEC_ARGV: string[];
  buildServer(options: { entry: string; outDir: string; arches: string[]; execArgv: string[]; runtimeV8Flags?: string[]; glibcTunables?: string }): Promise<{ executables: Record<string, ServerExecutable> }>;
}
interface DistScripts {
  packBundle(options: { manifest: Record<string, unknown>; executables: Record<string, ServerExecutable>; webappBundle: null; assetsDir: null; outDir: string; gzipLevel: number }): string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * `runtimeV8Flags`: those main.ts sets once the product is loaded (undefined: the build's
 * RUNTIME_V8_FLAGS); `glibcTunables: ''` packs the executable without its launcher.
 */
async function bundleWith(name: string, execArgv: string[], runtimeV8Flags?: string[], glibcTunables?: string): Promise<string> {
  const build = (await import(join(repo, 'scripts/build-server.mjs'))) as BuildScripts;
  const dist = (await import(join(repo, 'scripts/dist.mjs'))) as DistScripts;
  const outDir = join(repo, '.cache/bench/process_memory', name);
  const { executables } = await build.buildServer({ entry: join(repo, 'server/src/main.ts'), outDir, arches: ['amd64'], execArgv, ...(runtimeV8Flags ? { runtimeV8Flags } : {}), ...(glibcTunables === undefined ? {} : { glibcTunables }) });
  const manifest = JSON.parse(readFileSync(join(repo, 'plugin.json'), 'utf8')) as Record<string, unknown>;
  delete manifest['webapp'];
  return dist.packBundle({ manifest, executables, webappBundle: null, assetsDir: null, outDir, gzipLevel: 1 });
}

interface Figures { idle: number; seeded: number; rounds: Array<{ rss: number; p50: number; p95: number }>; survived: boolean; seedSeconds: number }

async function rssOf(rig: Rig): Promise<{ pid: number; mib: number }> {
  const [plugin] = await rig.pluginProcesses();
  if (!plugin) throw new Error('no plugin process');
  const status = readFileSync(`/proc/${plugin.pid}/status`, 'utf8');
  return { pid: plugin.pid, mib: Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) / 1024 };
}

/** Installs `bundle`, seeds a fresh team and loads it; RSS after each step. */
async function measure(rig: Rig, bundle: string, label: string): Promise<Figures> {
  const admin = rig.admin;
  await rig.uploadBundle(bundle);
  await rig.disablePlugin();
  await rig.enablePlugin();
  await rig.waitForPluginState(PluginState.Running);
  await sleep(3000);
  const idle = await rssOf(rig);
  const team = await admin.client.createTeam({ name: `memory-${label}-${Date.now().toString(36)}`, display_name: `memory ${label}`, type: 'O' } as Parameters<typeof admin.client.createTeam>[0]);
  const channel = await admin.client.createChannel({ team_id: team.id, name: 'ideas', display_name: 'Ideas', type: 'O' });
  const ideas = `/api/v1/teams/${team.id}/ideas`;
  const latencies: number[] = [];
  const call = async (path: string, body?: unknown): Promise<string> => {
    const start = performance.now();
    const res = await rig.pluginFetch(admin, path, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    latencies.push(performance.now() - start);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text.slice(0, 200)}`);
    return text;
  };
  const parallel = async (n: number, one: (i: number) => Promise<unknown>): Promise<void> => {
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < n; i = next++) await one(i);
    }));
  };

  const seedStart = Date.now();
  await parallel(IDEAS, (i) => call(ideas, { channel_id: channel.id, title: `idea ${i} ${'x'.repeat(i % 60)}` }));
  const seedSeconds = (Date.now() - seedStart) / 1000;
  const seeded = await rssOf(rig);
  const rounds: Figures['rounds'] = [];
  for (let round = 0; round < ROUNDS; round++) {
    latencies.length = 0;
    for (const query of [`?channel_id=${channel.id}&per_page=100`, '?per_page=100']) {
      for (let cursor: string | null = ''; cursor !== null;) {
        const page = JSON.parse(await call(`${ideas}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)) as { nextCursor: string | null };
        cursor = page.nextCursor;
      }
    }
    await parallel(SCORES_PER_ROUND, (i) => call(`${ideas}/${1 + ((i * 19 + round * 7) % IDEAS)}/score`, { payoff: 1 + (i % 10), cost: 1 + ((i * 3) % 10) }));
    for (let i = 0; i < BOARDS_PER_ROUND; i++) {
      const start = performance.now();
      await rig.runCommand(admin, channel.id, '/pick board');
      latencies.push(performance.now() - start);
    }
    rounds.push({ rss: (await rssOf(rig)).mib, p50: percentile(latencies, 50), p95: percentile(latencies, 95) });
  }
  const after = await rssOf(rig);
  return { idle: idle.mib, seeded: seeded.mib, rounds, survived: after.pid === idle.pid, seedSeconds };
}

export default async function bench(): Promise<BenchResult[]> {
  const { SEA_EXEC_ARGV } = (await import(join(repo, 'scripts/build-server.mjs'))) as BuildScripts;
  const dist = await bundleWith('dist', SEA_EXEC_ARGV);
  const baselines: Array<[string, string]> = [
    ['the same build without its launcher (glibc\'s default malloc thresholds)', await bundleWith('no-launcher', SEA_EXEC_ARGV, undefined, '')],
    ['the same build without V8 flags', await bundleWith('no-flags', [], [])],
  ];
  process.env.INFRA_OPS_E2E_BUNDLE ??= dist;
  return onRealServer(async (rig) => {
    const results: BenchResult[] = [];
    for (const [label, bundle] of baselines) {
      const before = await measure(rig, bundle, 'baseline');
      const after = await measure(rig, dist, 'dist');
      console.error(`# seeding ${IDEAS} ideas took ${before.seedSeconds.toFixed(0)} s / ${after.seedSeconds.toFixed(0)} s`);
      const vs = `vs ${label}`;
      results.push(
        { name: `process: real server, RSS idle (${vs})`, value: after.idle, unit: 'MiB', baseline: before.idle },
        { name: `process: real server, RSS after seeding ${IDEAS} ideas (${vs})`, value: after.seeded, unit: 'MiB', baseline: before.seeded },
      );
      after.rounds.forEach((r, i) => {
        const b = before.rounds[i]!;
        results.push(
          { name: `process: real server, RSS after load round ${i + 1} of ${ROUNDS} over ${IDEAS} ideas (${vs})`, value: r.rss, unit: 'MiB', baseline: b.rss },
          { name: `process: real server, load round ${i + 1} request p50 (${vs})`, value: r.p50, unit: 'ms', baseline: b.p50 },
          { name: `process: real server, load round ${i + 1} request p95 (${vs})`, value: r.p95, unit: 'ms', baseline: b.p95 },
        );
      });
      results.push({ name: `process: real server, plugin process survived the load (1 = yes; ${vs})`, value: after.survived ? 1 : 0, unit: '', baseline: before.survived ? 1 : 0 });
    }
    return results;
  });
}
