#!/usr/bin/env node
// `npm run watch`: rebuilds the webapp whenever its sources (or the contract) change and redeploys
// the plugin to the server `npm run deploy` would use (same MM_* variables). The server part is
// built once at start; each webapp rebuild is packed with it into dist/<id>-<version>.tar.gz and
// uploaded. Development mode: unminified, with inline source maps (no eval, which Mattermost's CSP
// refuses). Run through tsx (the npm script does) to load deploy.ts.
import { join } from 'node:path';
import webpack from 'webpack';
import { buildServer, repo } from './build-server.mjs';
import { packBundle } from './dist.mjs';
import { DeployError, deploy, readManifest, targetFromEnv } from './deploy.ts';

process.env.NODE_ENV = 'development';
const { default: config } = await import(join(repo, 'webapp', 'webpack.config.js'));

const target = targetFromEnv();
const manifest = readManifest(repo);
console.log('building the server part once…');
const { executables } = await buildServer();

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
      const bundlePath = packBundle({ manifest, executables, webappBundle: join(repo, 'webapp/dist/main.js'), assetsDir: join(repo, 'assets'), outDir: join(repo, 'dist') });
      const started = Date.now();
      await deploy({ target, bundlePath, manifest, log: (line) => console.log(line) });
      console.log(`redeployed in ${((Date.now() - started) / 1000).toFixed(1)} s; watching for changes…`);
    } while (pending);
  } catch (err) {
    console.error(err instanceof DeployError ? `deploy: ${err.message}` : err);
  } finally {
    running = false;
  }
}

const compiler = webpack({ ...config, mode: 'development' });
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
