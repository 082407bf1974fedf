/**
 * Drives the test-only Go host (./host, Mattermost's own plugin.Environment) from TypeScript:
 * builds it against a pinned server/public version, builds the probe and baseline bundles, and
 * talks to the host one JSON line per request.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';

export const repo = resolve(__dirname, '../../../..');
const moduleDir = __dirname;
const cacheDir = join(repo, '.cache/hosttest');

/** server/public versions we verify: 10.11 ESR (min_server_version) and the newest release. */
export const SERVER_PUBLIC_VERSIONS = [
  { version: 'v0.1.16', server: '10.11', modfile: 'go.v0.1.16.mod' },
  { version: 'v0.4.4', server: '11.11', modfile: 'go.mod' },
] as const;
export type PinnedVersion = (typeof SERVER_PUBLIC_VERSIONS)[number];

function goBuild(modfile: string, pkg: string, output: string): string {
  mkdirSync(cacheDir, { recursive: true });
  execFileSync('go', ['build', `-modfile=${modfile}`, '-o', output, pkg], { cwd: moduleDir, stdio: ['ignore', 'inherit', 'inherit'] });
  return output;
}

export function buildHost(pinned: PinnedVersion): string {
  return goBuild(pinned.modfile, './host', join(cacheDir, `host-${pinned.version}`));
}

/** The product bundle `npm run dist` made; the host tests install exactly that file. */
export function distBundle(): string {
  const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
  const bundle = join(repo, 'dist', `infra-ops-${version}.tar.gz`);
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run dist\` before the host tests`);
  return bundle;
}

/** A built server executable (scripts/build-server.mjs serverExecutable): a file, or the launcher and the executable it starts. */
export type ServerExecutable = string | { launcher: string; binary: string };

interface BuildScripts {
  buildServer(options: { entry: string; outDir: string; arches: string[]; execArgv?: string[] }): Promise<{ executables: Record<string, ServerExecutable> }>;
}
interface DistScripts {
  packBundle(options: { manifest: Record<string, unknown>; executables: Record<string, ServerExecutable>; webappBundle: null; assetsDir: null; outDir: string }): string;
}

/**
 * The probe plugin (./probe) as an amd64 SEA bundle, built with the same scripts as the product;
 * `execArgv` replaces the V8 flags the product is built with (benches compare the two).
 */
export async function buildProbeBundle(execArgv?: string[]): Promise<string> {
  const build = (await import(join(repo, 'scripts/build-server.mjs'))) as BuildScripts;
  const dist = (await import(join(repo, 'scripts/dist.mjs'))) as DistScripts;
  const outDir = join(cacheDir, execArgv === undefined ? 'probe' : `probe-${execArgv.join('').replace(/[^\w=]+/g, '_') || 'no-flags'}`);
  const { executables } = await build.buildServer({ entry: join(moduleDir, 'probe/main.ts'), outDir, arches: ['amd64'], ...(execArgv === undefined ? {} : { execArgv }) });
  return dist.packBundle({ manifest: probeManifest('infra-ops-probe'), executables, webappBundle: null, assetsDir: null, outDir });
}

/** Where Debian's qemu-user and arm64 cross libraries put things (apt: qemu-user libc6-arm64-cross libstdc++6-arm64-cross). */
export const QEMU = { binary: '/usr/bin/qemu-aarch64', sysroot: '/usr/aarch64-linux-gnu' };
export const qemuAvailable = (): boolean => existsSync(QEMU.binary) && existsSync(join(QEMU.sysroot, 'lib/ld-linux-aarch64.so.1'));

/**
 * The dist bundle's linux-arm64 launcher and executable, both unchanged, as this amd64 host's
 * plugin: the launcher execs node/<its own name>, where for amd64 a test-only wrapper runs the
 * arm64 executable (node/plugin-linux-arm64, as in the dist bundle) under qemu-aarch64. The
 * supervisor execs the launcher; the 3 s start limit still applies.
 */
export async function buildQemuBundle(dist: string): Promise<string> {
  const packer = (await import(join(repo, 'scripts/dist.mjs'))) as DistScripts;
  const outDir = join(cacheDir, 'qemu');
  mkdirSync(outDir, { recursive: true });
  const extract = (member: string, to: string): string => {
    execFileSync('sh', ['-c', 'tar -xzOf "$1" "$2" > "$3" && chmod 0755 "$3"', 'sh', dist, `infra-ops/server/dist/${member}`, to]);
    return to;
  };
  const launcher = extract('plugin-linux-arm64', join(outDir, 'launcher'));
  const arm64 = extract('node/plugin-linux-arm64', join(outDir, 'plugin-linux-arm64'));
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', dist, 'infra-ops/plugin.json'], { encoding: 'utf8' })) as Record<string, unknown>;
  const underQemu = join(outDir, 'under-qemu');
  writeFileSync(underQemu, `#!/bin/sh\nexec ${QEMU.binary} -L ${QEMU.sysroot} "$(dirname "$0")/plugin-linux-arm64" "$@"\n`, { mode: 0o755 });
  return packer.packBundle({ manifest, executables: { 'linux-amd64': { launcher, binary: underQemu }, 'linux-arm64': { launcher, binary: arm64 } }, webappBundle: null, assetsDir: null, outDir });
}

/** The minimal Go plugin for the bench baseline, as a bundle. */
export async function buildBaselineBundle(pinned: PinnedVersion): Promise<string> {
  const dist = (await import(join(repo, 'scripts/dist.mjs'))) as DistScripts;
  const outDir = join(cacheDir, `baseline-${pinned.version}`);
  const exe = goBuild(pinned.modfile, './baseline', join(outDir, 'plugin-linux-amd64'));
  return dist.packBundle({ manifest: probeManifest('go-baseline'), executables: { 'linux-amd64': exe }, webappBundle: null, assetsDir: null, outDir });
}

function probeManifest(id: string): Record<string, unknown> {
  return { id, name: id, version: '0.0.1', min_server_version: '10.11.0', server: {} };
}

export type Reply = Record<string, unknown> & { error?: string };

/** One running host process (one plugin environment). */
export class Host {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(r: Reply) => void> = [];
  private readonly stderr: string[] = [];
  readonly dir: string;

  constructor(binary: string) {
    this.dir = mkdtempSync(join(cacheDir, 'run-'));
    this.child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(JSON.parse(line) as Reply);
    });
    createInterface({ input: this.child.stderr }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > 2000) this.stderr.shift();
    });
    this.child.once('exit', (code) => {
      for (const w of this.waiting.splice(0)) w({ error: `host exited with ${code}` });
    });
  }

  /** Sends one request; rejects when the host reports an error. */
  async send(request: Record<string, unknown>): Promise<Reply> {
    const reply = await new Promise<Reply>((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(JSON.stringify(request) + '\n');
    });
    if (reply.error) throw new Error(`${String(request['op'])}: ${reply.error}\n--- host log (tail) ---\n${this.log(40)}`);
    return reply;
  }

  async install(bundle: string): Promise<string> {
    return String((await this.send({ op: 'init', bundle, dir: this.dir }))['id']);
  }

  /**
   * Activates through the supervisor. `totalMs` includes the host's work before exec (SHA-256 of
   * the executable, twice, and the webapp unpack); `execToActivatedMs` starts at go-plugin's
   * "starting plugin" log line, written right before it execs the plugin.
   */
  async activate(): Promise<Reply & { totalMs: number; execToActivatedMs: number }> {
    const reply = await this.send({ op: 'activate' });
    const end = Number(reply['startedAt']) / 1000 + Number(reply['ms']);
    const started = this.stderr.filter((l) => l.includes('starting plugin')).pop();
    const m = started && /\[(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+) Z\]/.exec(started);
    const execAt = m ? Date.parse(`${m[1]}T${m[2]}Z`) : NaN;
    return { ...reply, totalMs: Number(reply['ms']), execToActivatedMs: end - execAt };
  }

  /** The host's server log (plugin stderr lines included), last `lines` lines. */
  log(lines = 200): string {
    return this.stderr.slice(-lines).join('\n');
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null) {
      await this.send({ op: 'exit' }).catch(() => undefined);
      await new Promise((r) => (this.child.exitCode === null ? this.child.once('exit', r) : r(null)));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
