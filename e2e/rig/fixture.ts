import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './exec';
import { cacheRoot, REPO_ROOT } from './paths';

const FIXTURE_MODULE = join(REPO_ROOT, 'e2e', 'rig', 'fixture');

/** Builds the test-only Go plugin (cached by source hash) and returns its executable. */
async function fixtureExecutable(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(join(FIXTURE_MODULE, file)));
  const dir = join(cacheRoot(), `rig-fixture-${hash.digest('hex').slice(0, 12)}`);
  const binary = join(dir, 'plugin-linux-amd64');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  await run('go', ['build', '-trimpath', '-o', tmp, '.'], {
    cwd: FIXTURE_MODULE,
    env: { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false', GOWORK: 'off', CGO_ENABLED: '0' },
  });
  renameSync(tmp, binary);
  return binary;
}

/**
 * A valid plugin bundle (`<id>/plugin.json` + `server/dist/plugin-linux-amd64`) of the rig's
 * test-only Go plugin, for proving the rig itself. Returns the .tar.gz path (in the cache,
 * rewritten on each call).
 */
export async function buildFixtureBundle(id = 'infra-ops-rig-fixture', version = '0.0.1'): Promise<string> {
  const executable = await fixtureExecutable();
  const work = join(dirname(executable), 'bundles', `${id}-${version}`);
  rmSync(work, { recursive: true, force: true });
  const root = join(work, id);
  mkdirSync(join(root, 'server', 'dist'), { recursive: true });
  writeFileSync(
    join(root, 'plugin.json'),
    JSON.stringify({
      id,
      name: 'Infra Ops rig fixture',
      version,
      min_server_version: '10.11.0',
      server: { executables: { 'linux-amd64': 'server/dist/plugin-linux-amd64' } },
    }),
  );
  const target = join(root, 'server', 'dist', 'plugin-linux-amd64');
  writeFileSync(target, readFileSync(executable));
  chmodSync(target, 0o755);
  const bundle = join(work, `${id}-${version}.tar.gz`);
  await run('tar', ['-czf', bundle, '-C', work, id]);
  return bundle;
}
