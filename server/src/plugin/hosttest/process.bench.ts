/**
 * Issue 12's process figures under Mattermost's own plugin host (server/public v0.4.4, its fake
 * API), in one run: exec → activated (wall, median of 7) and the CPU the plugin process spent to
 * get there (all threads; a busy machine stretches the wall time, hardly the CPU), the first
 * slash command after activation (host-measured round trip; with the lazy product it includes
 * loading the product) and the second, and idle RSS (anonymous / file-backed) for
 *   - the product executable as `npm run dist` builds it (product loaded on first use, V8 flags, code cache),
 *   - the same without its launcher (scripts/build-server.mjs launcherScript): glibc's default malloc
 *     thresholds, and one exec fewer,
 *   - the previous build: the product loaded at activation, every V8 flag given at exec,
 * next to a minimal Go plugin under the same host (the baseline). Activations rotate over the
 * variants so load from elsewhere on the machine hits all alike. Also the bundle sizes `npm run
 * dist` wrote: the all-platform bundle and each per-platform one (dist/platforms/).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from '../../../../bench/result';
import { buildBaselineBundle, buildHost, Host, repo, SERVER_PUBLIC_VERSIONS, type ServerExecutable } from './harness';

const ACTIVATIONS = 7;
const PREVIOUS = 'previous build: product loaded at activation, all V8 flags at exec';
const UNLAUNCHED = 'Infra Ops without its launcher: glibc\'s default malloc thresholds';

interface BuildScripts {
  SEA_EXEC_ARGV: string[];
  RUNTIME_V8_FLAGS: string[];
  buildServer(options: { entry: string; outDir: string; arches: string[]; execArgv: string[]; codeCache: boolean; lazy: boolean; runtimeV8Flags: string[]; glibcTunables?: string }): Promise<{ executables: Record<string, ServerExecutable> }>;
}
interface DistScripts {
  packBundle(options: { manifest: Record<string, unknown>; executables: Record<string, ServerExecutable>; webappBundle: null; assetsDir: null; outDir: string; gzipLevel: number }): string;
}

interface Sample { wallMs: number; cpuMs: number; firstCommandMs?: number; secondCommandMs?: number }
/** Answered by every product build from the first call (the Go plugin answers it too). */
const FIRST_COMMAND = '/pick help';
interface Memory { rssMiB: number; anonMiB: number; fileMiB: number }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CPU time of every thread of `pid` so far (schedstat: ns on CPU), in ms. */
function cpuMs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  }
  return ns / 1e6;
}

function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)![1]) / 1024;
  return { rssMiB: mib('VmRSS'), anonMiB: mib('RssAnon'), fileMiB: mib('RssFile') };
}

/**
 * The product executable (amd64) with the given flags, packed without the webapp (not part of
 * exec → activated); `glibcTunables: ''` packs it without its launcher.
 */
async function productBundle(name: string, execArgv: string[], runtimeV8Flags: string[], lazy: boolean, glibcTunables?: string): Promise<string> {
  const build = (await import(join(repo, 'scripts/build-server.mjs'))) as BuildScripts;
  const dist = (await import(join(repo, 'scripts/dist.mjs'))) as DistScripts;
  const outDir = join(repo, '.cache/hosttest/process', name);
  const { executables } = await build.buildServer({ entry: join(repo, 'server/src/main.ts'), outDir, arches: ['amd64'], execArgv, codeCache: true, lazy, runtimeV8Flags, ...(glibcTunables === undefined ? {} : { glibcTunables }) });
  const manifest = JSON.parse(readFileSync(join(repo, 'plugin.json'), 'utf8')) as Record<string, unknown>;
  delete manifest['webapp'];
  return dist.packBundle({ manifest, executables, webappBundle: null, assetsDir: null, outDir, gzipLevel: 1 });
}

class Side {
  readonly samples: Sample[] = [];
  memory: Memory | undefined;
  constructor(readonly label: string, readonly host: Host, readonly commands: boolean) {}

  async activateOnce(): Promise<void> {
    const activated = await this.host.activate();
    const pid = Number(activated['pid']);
    const sample: Sample = { wallMs: activated.execToActivatedMs, cpuMs: cpuMs(pid) };
    if (this.commands) {
      const first = await this.host.send({ op: 'execute', command: FIRST_COMMAND });
      if (first['appError'] !== undefined) throw new Error(`${this.label}: ${FIRST_COMMAND} failed: ${JSON.stringify(first['appError'])}`);
      sample.firstCommandMs = Number(first['ms']);
      sample.secondCommandMs = Number((await this.host.send({ op: 'execute', command: FIRST_COMMAND }))['ms']);
    }
    this.samples.push(sample);
    await this.host.send({ op: 'deactivate' });
  }

  /** Activated and left idle for 3 s (timers armed, start-up garbage collectable). */
  async measureIdle(): Promise<void> {
    const pid = Number((await this.host.activate())['pid']);
    await sleep(3000);
    this.memory = memory(pid);
    await this.host.send({ op: 'deactivate' });
  }
}

export default async function bench(): Promise<BenchResult[]> {
  const pinned = SERVER_PUBLIC_VERSIONS.find((v) => v.version === 'v0.4.4')!;
  const binary = buildHost(pinned);
  const { SEA_EXEC_ARGV, RUNTIME_V8_FLAGS } = (await import(join(repo, 'scripts/build-server.mjs'))) as BuildScripts;
  const bundles: Array<[string, string]> = [
    ['Infra Ops', await productBundle('dist', SEA_EXEC_ARGV, RUNTIME_V8_FLAGS, true)],
    [UNLAUNCHED, await productBundle('unlaunched', SEA_EXEC_ARGV, RUNTIME_V8_FLAGS, true, '')],
    // The build before the lazy product: every V8 flag at exec, the product loaded at activation.
    [PREVIOUS, await productBundle('previous', [...SEA_EXEC_ARGV, ...RUNTIME_V8_FLAGS], [], false)],
    ['Go plugin', await buildBaselineBundle(pinned)],
  ];
  const sides: Side[] = [];
  try {
    for (const [label, bundle] of bundles) {
      const side = new Side(label, new Host(binary), label !== 'Go plugin');
      sides.push(side);
      await side.host.install(bundle);
      await side.activateOnce(); // warms the page cache and the host; not counted
      side.samples.length = 0;
    }
    for (let i = 0; i < ACTIVATIONS; i++) for (const side of sides) await side.activateOnce();
    for (const side of sides) await side.measureIdle();
  } finally {
    for (const side of sides) await side.host.close();
  }
  const go = sides.at(-1)!;
  const eager = sides.find((side) => side.label === PREVIOUS)!;
  const commandMs = (side: Side, which: 'firstCommandMs' | 'secondCommandMs'): number => median(side.samples.map((s) => s[which]!));
  const results: BenchResult[] = [
    { name: `process: first command after activation, ${FIRST_COMMAND} (Infra Ops, median of ${ACTIVATIONS})`, value: commandMs(sides[0]!, 'firstCommandMs'), unit: 'ms', baseline: commandMs(eager, 'firstCommandMs') },
    { name: `process: second command after activation, ${FIRST_COMMAND} (Infra Ops, median of ${ACTIVATIONS})`, value: commandMs(sides[0]!, 'secondCommandMs'), unit: 'ms', baseline: commandMs(eager, 'secondCommandMs') },
  ];
  for (const side of sides.slice(0, -1)) {
    results.push(
      { name: `process: exec → activated, wall (${side.label}, median of ${ACTIVATIONS})`, value: median(side.samples.map((s) => s.wallMs)), unit: 'ms', baseline: median(go.samples.map((s) => s.wallMs)) },
      { name: `process: CPU to activated (${side.label})`, value: median(side.samples.map((s) => s.cpuMs)), unit: 'ms', baseline: median(go.samples.map((s) => s.cpuMs)) },
      { name: `process: idle RSS (${side.label})`, value: side.memory!.rssMiB, unit: 'MiB', baseline: go.memory!.rssMiB },
      { name: `process: idle RSS, anonymous part (${side.label})`, value: side.memory!.anonMiB, unit: 'MiB', baseline: go.memory!.anonMiB },
      { name: `process: idle RSS, file-backed part (${side.label})`, value: side.memory!.fileMiB, unit: 'MiB', baseline: go.memory!.fileMiB },
    );
  }
  return [...results, ...bundleSizes()];
}

/** What `npm run dist` last wrote (nothing when it has not run). */
function bundleSizes(): BenchResult[] {
  const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
  const files: Array<[string, string]> = [
    ['all platforms', join(repo, 'dist', `infra-ops-${version}.tar.gz`)],
    ['linux-amd64', join(repo, 'dist/platforms', `infra-ops-${version}-linux-amd64.tar.gz`)],
    ['linux-arm64', join(repo, 'dist/platforms', `infra-ops-${version}-linux-arm64.tar.gz`)],
  ];
  const present = files.filter(([, file]) => existsSync(file));
  if (present.length < files.length) console.error('# dist bundles missing (run `npm run dist`): sizes skipped');
  return present.map(([label, file]) => ({ name: `process: bundle size, ${label} (${file.slice(repo.length + 1)})`, value: statSync(file).size / 1024 / 1024, unit: 'MiB' }));
}
