#!/usr/bin/env node
// `npm run dist`: builds the server executables and the webapp, then writes
// dist/infra-ops-<version>.tar.gz in Mattermost's bundle layout:
//   infra-ops/plugin.json                       (version taken from package.json)
//   infra-ops/server/dist/plugin-linux-amd64         (0755, the launcher the manifest names)
//   infra-ops/server/dist/plugin-linux-arm64         (0755, the same launcher)
//   infra-ops/server/dist/node/plugin-linux-amd64    (0755, the executable each starts)
//   infra-ops/server/dist/node/plugin-linux-arm64    (0755)
//   infra-ops/webapp/dist/main.js
//   infra-ops/assets/…
// and checks it fits under Mattermost's default upload limit (FileSettings.MaxFileSize, 100 MiB).
// That bundle serves every platform (CI, `npm run deploy`, the e2e rig and the host tests use it).
// Beside it, one bundle per platform with only that platform's executable, named as the
// Marketplace names them: dist/platforms/infra-ops-<version>-linux-amd64.tar.gz (and -linux-arm64);
// each is about half the size (a Node executable is most of a bundle). They sit in a folder of
// their own so that "the newest dist/infra-ops-*.tar.gz" stays the all-platform bundle.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, launchedBinary, repo } from './build-server.mjs';

/** model.FileSettings.MaxFileSize default (server/public model/config.go: 100 * 1024 * 1024). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/**
 * Writes `<outDir>/<id>-<version>.tar.gz` from a manifest and already built parts.
 * `executables` maps manifest keys (linux-amd64) to built files: an executable's path, or a
 * launcher and the binary it starts (build-server.mjs serverExecutable); `webappBundle` may be null;
 * `gzipLevel` 1 packs ~200 MB of executables in seconds (`npm run watch`), 9 is for releases.
 */
export function packBundle({ manifest, executables, webappBundle, assetsDir, outDir, gzipLevel = 9, suffix = '' }) {
  const id = manifest.id;
  const stage = join(outDir, '.stage');
  const root = join(stage, id);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });

  const serverExecutables = {};
  for (const [key, executable] of Object.entries(executables)) {
    const rel = `server/dist/plugin-${key}`;
    const files = typeof executable === 'string' ? [[rel, executable]] : [[rel, executable.launcher], [launchedBinary(rel), executable.binary]];
    for (const [to, from] of files) {
      mkdirSync(dirname(join(root, to)), { recursive: true });
      cpSync(from, join(root, to));
      chmodSync(join(root, to), 0o755);
    }
    serverExecutables[key] = rel;
  }
  const finalManifest = { ...manifest, server: { executables: serverExecutables } };
  if (webappBundle) {
    mkdirSync(join(root, 'webapp/dist'), { recursive: true });
    cpSync(webappBundle, join(root, 'webapp/dist/main.js'));
  } else {
    delete finalManifest.webapp;
  }
  if (assetsDir && existsSync(assetsDir)) cpSync(assetsDir, join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'plugin.json'), JSON.stringify(finalManifest, null, 2) + '\n');

  const out = join(outDir, `${id}-${manifest.version}${suffix}.tar.gz`);
  // Deterministic archive (sorted, fixed owner and time); modes come from the staged files.
  const tar = spawnSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-I', `gzip -${gzipLevel} -n`, '-cf', out, '-C', stage, id]);
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
  rmSync(stage, { recursive: true, force: true });
  return out;
}

function buildWebapp() {
  const bundle = join(repo, 'webapp/dist/main.js');
  if (existsSync(join(repo, 'webapp/webpack.config.js'))) {
    execFileSync('npm', ['run', 'build:webapp'], { cwd: repo, stdio: 'inherit' });
  }
  if (!existsSync(bundle)) {
    throw new Error('webapp/dist/main.js is missing: the webapp build (webapp/webpack.config.js, `npm run build:webapp`) did not produce it');
  }
  return bundle;
}

async function main() {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const manifest = { ...JSON.parse(readFileSync(join(repo, 'plugin.json'), 'utf8')), version: pkg.version };
  const { executables } = await buildServer();
  const webappBundle = buildWebapp();
  const parts = { manifest, webappBundle, assetsDir: join(repo, 'assets') };
  const platformDir = join(repo, 'dist/platforms');
  rmSync(platformDir, { recursive: true, force: true });
  const outs = Object.entries(executables).map(([platform, file]) =>
    packBundle({ ...parts, executables: { [platform]: file }, outDir: platformDir, suffix: `-${platform}` }));
  // The all-platform bundle last: it is the newest dist/infra-ops-*.tar.gz.
  outs.unshift(packBundle({ ...parts, executables, outDir: join(repo, 'dist') }));
  for (const out of outs) {
    const size = statSync(out).size;
    console.log(`${out}: ${(size / 1024 / 1024).toFixed(1)} MiB (limit ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB)`);
    if (size >= MAX_UPLOAD_BYTES) throw new Error(`${out} is ${size} bytes, over Mattermost's default MaxFileSize`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
