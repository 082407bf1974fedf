#!/usr/bin/env node
// `npm run watch`: rebuilds the webapp whenever its sources (or the contract) change and redeploys
// the plugin to the server `npm run deploy` would use (same MM_* variables). The server part is
// built once at start; each webapp rebuild (webapp/dist/dev/main.js) is packed with it into
// dist/dev/<id>-<version>.tar.gz and uploaded. Development mode: unminified, with inline source maps (no eval, which Mattermost's CSP
// refuses). Run through tsx (the npm script does) to load deploy.ts. The server executables of a
// previous `npm run dist` are reused while they are newer than the server's sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import webpack from 'webpack';
import { ARCHES, buildServer, repo, serverExecutable } from './build-server.mjs';
import { packBundle } from './dist.mjs';
import { DeployError, deploy, readManifest, targetFromEnv } from './deploy.ts';

process.env.NODE_ENV = 'development';
const { default: config } = await import(join(repo, 'webapp', 'webpack.config.js'));

// Development output of its own, so `npm run dist` and the browser suite keep the production build.
const DEV_WEBAPP = join(repo, 'webapp', 'dist', 'dev');
const DEV_DIST = join(repo, 'dist', 'dev');

const target = targetFromEnv();
const manifest = readManifest(repo);
const executables = await serverExecutables();

/** Newest modification time under a folder. */
function newest(dir) {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    latest = Math.max(latest, st.isDirectory() ? newest(path) : st.mtimeMs);
  }
  return latest;
}

/** The server executables `npm run dist` left, when newer than the server's sources; else built now. */
async function serverExecutables() {
  const built = Object.fromEntries(Object.keys(ARCHES).map((goArch) => [`linux-${goArch}`, serverExecutable(join(repo, 'server/dist'), goArch)]));
  const files = Object.values(built).flatMap((e) => (typeof e === 'string' ? [e] : [e.launcher, e.binary]));
  // build-server.mjs writes the launchers: a change there (their tunables) is a change too.
  const sources = Math.max(newest(join(repo, 'server/src')), ...['plugin.json', 'scripts/build-server.mjs'].map((f) => statSync(join(repo, f)).mtimeMs));
  if (files.every((f) => existsSync(f) && statSync(f).mtimeMs >= sources)) {
    console.log('server part: reusing server/dist (newer than server/src)');
    return built;
  }
  console.log('server part: building once…');
  return (await buildServer()).executables;
}

let running = false;
let pending = false;

async function redeploy() {
  if (running) {
    pending = true;
    return;
  }
  running = true;
  try {
    do {
      pending = false;
      const started = Date.now();
      const bundlePath = packBundle({ manifest, executables, webappBundle: join(DEV_WEBAPP, 'main.js'), assetsDir: join(repo, 'assets'), outDir: DEV_DIST, gzipLevel: 1 });
      await deploy({ target, bundlePath, manifest, log: (line) => console.log(line) });
      console.log(`redeployed in ${((Date.now() - started) / 1000).toFixed(1)} s; watching for changes…`);
    } while (pending);
  } catch (err) {
    console.error(err instanceof DeployError ? `deploy: ${err.message}` : err);
  } finally {
    running = false;
  }
}

const compiler = webpack({ ...config, mode: 'development', output: { ...config.output, path: DEV_WEBAPP } });
const watching = compiler.watch({ aggregateTimeout: 300 }, (err, stats) => {
  if (err || stats?.hasErrors()) {
    console.error(err ?? stats?.toString({ colors: false, all: false, errors: true }));
    return;
  }
  console.log(`webapp rebuilt in ${stats.endTime - stats.startTime} ms`);
  void redeploy();
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => watching.close(() => process.exit(0)));
}
