/**
 * `npm run e2e [-- file.e2e.test.ts …]`: starts PostgreSQL and Mattermost once, installs the
 * bundle as an admin would, runs the e2e test files against it (each file in its own process,
 * one at a time, pointed at the server by INFRA_OPS_E2E_STATE), then tears everything down.
 * Logs are kept and their paths printed when a test fails.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findBundle } from './rig/bundle';
import { startEnvironment, type Environment } from './rig/environment';
import { run } from './rig/exec';
import { REPO_ROOT } from './rig/paths';

const log = (line: string): void => console.log(`[e2e] ${line}`);

async function bundleToTest(): Promise<string> {
  const explicit = process.env.INFRA_OPS_E2E_BUNDLE;
  if (explicit) return explicit;
  const found = findBundle();
  if (found) return found;
  if (!existsSync(join(REPO_ROOT, 'scripts', 'dist.mjs'))) {
    throw new Error('no dist/infra-ops-*.tar.gz and no scripts/dist.mjs to build one: run `npm run dist` first');
  }
  log('no bundle in dist/: running `npm run dist`…');
  await run('npm', ['run', 'dist'], { cwd: REPO_ROOT });
  const built = findBundle();
  if (!built) throw new Error('`npm run dist` wrote no dist/infra-ops-*.tar.gz');
  return built;
}

function runTests(files: string[], env: Record<string, string>): Promise<number> {
  const args =
    files.length > 0
      ? ['--import', 'tsx', '--test', '--test-concurrency=1', ...files]
      : [join(REPO_ROOT, 'scripts', 'run-tests.mjs'), 'e2e'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  const files = process.argv.slice(2);
  const bundlePath = await bundleToTest();
  log(`bundle ${bundlePath}`);
  // Ctrl-C while starting: stop once the start has finished (it cleans up after its own failure).
  const current: { env?: Environment; stopping?: boolean } = {};
  const onSignal = (signal: NodeJS.Signals): void => {
    if (current.stopping) return;
    current.stopping = true;
    log(`${signal}: stopping Mattermost and PostgreSQL…`);
    if (current.env) void current.env.stop({ keepLogs: true }).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const env = await startEnvironment({ bundlePath, log });
  current.env = env;
  if (current.stopping) {
    await env.stop();
    return 130;
  }
  const setupMs = Date.now() - started;
  log(`ready in ${(setupMs / 1000).toFixed(1)} s: ${JSON.stringify(env.timings)}`);
  log(`Mattermost ${env.state.serverVersion} at ${env.state.url}; server log ${env.state.serverLog}`);

  const testsStarted = Date.now();
  const code = await runTests(files, env.childEnv);
  const testsMs = Date.now() - testsStarted;
  if (code !== 0) log(`tests failed; keeping the server log: ${env.state.serverLog}`);
  await env.stop({ keepLogs: code !== 0 });
  log(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s (setup ${(setupMs / 1000).toFixed(1)} s, tests ${(testsMs / 1000).toFixed(1)} s)`,
  );
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[e2e] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
