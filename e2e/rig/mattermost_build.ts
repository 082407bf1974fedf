import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec';
import { cacheRoot, MMSERVER_MODULE } from './paths';

const SERVER_MODULE = 'github.com/mattermost/mattermost/server/v8';

export interface MattermostBuild {
  /** Pseudo-version of server/v8 pinned in e2e/mmserver/go.mod. */
  moduleVersion: string;
  /** The built `mattermost` executable. */
  binary: string;
  /** The server/v8 module in the Go module cache: holds i18n/, templates/, fonts/. */
  moduleDir: string;
  /** True when this call compiled it (false: taken from the cache). */
  built: boolean;
  buildMs: number;
}

/** The server/v8 version the wrapper module requires (one pinned version, read from go.mod). */
export function pinnedServerVersion(moduleDir = MMSERVER_MODULE): string {
  const goMod = readFileSync(join(moduleDir, 'go.mod'), 'utf8');
  const match = new RegExp(`^\\s*${SERVER_MODULE.replace(/[./]/g, '\\$&')}\\s+(\\S+)`, 'm').exec(goMod);
  if (!match?.[1]) throw new Error(`${moduleDir}/go.mod does not require ${SERVER_MODULE}`);
  return match[1];
}

/**
 * Builds Mattermost Team Edition from the wrapper module, or returns the cached build. The cache
 * key covers everything that changes the binary: go.mod, go.sum, main.go and the Go toolchain.
 * `-mod=readonly` keeps the build to the versions recorded in go.sum.
 */
export async function buildMattermost(log: (line: string) => void = () => {}): Promise<MattermostBuild> {
  const moduleVersion = pinnedServerVersion();
  const goVersion = (await run('go', ['env', 'GOVERSION'])).stdout.trim();
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(join(MMSERVER_MODULE, file)));
  hash.update(goVersion);
  const key = hash.digest('hex').slice(0, 12);
  const dir = join(cacheRoot(), `mattermost-${moduleVersion}-${key}`);
  const binary = join(dir, 'mattermost');
  // No VCS stamping: the wrapper sits inside our git checkout, which says nothing about Mattermost.
  const env = { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false', GOWORK: 'off' };

  // Downloads the module if needed and says where it is; its i18n/, templates/ and fonts/ are
  // the runtime folders the server looks up next to its working directory.
  const download = JSON.parse(
    (await run('go', ['mod', 'download', '-json', SERVER_MODULE], { cwd: MMSERVER_MODULE, env })).stdout,
  ) as { Dir?: string; Error?: string };
  const moduleDir = download.Dir ?? '';
  if (download.Error || !existsSync(join(moduleDir, 'i18n'))) {
    throw new Error(`cannot get ${SERVER_MODULE}@${moduleVersion}: ${download.Error ?? `no i18n/ in ${moduleDir}`}`);
  }

  if (existsSync(binary)) return { moduleVersion, binary, moduleDir, built: false, buildMs: 0 };

  mkdirSync(dir, { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  log(`building Mattermost ${moduleVersion} with ${goVersion} into ${dir} (several minutes on a cold cache)…`);
  const started = Date.now();
  try {
    const ldflags = [
      `-X github.com/mattermost/mattermost/server/public/model.BuildNumber=infra-ops-e2e`,
      `-X github.com/mattermost/mattermost/server/public/model.BuildHash=${moduleVersion.split('-').pop() ?? ''}`,
      `-X github.com/mattermost/mattermost/server/public/model.BuildEnterpriseReady=false`,
    ].join(' ');
    await run('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', tmp, '.'], { cwd: MMSERVER_MODULE, env });
    renameSync(tmp, binary);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  const buildMs = Date.now() - started;
  writeFileSync(join(dir, 'build.json'), JSON.stringify({ moduleVersion, goVersion, buildMs }, null, 2));
  log(`built Mattermost in ${(buildMs / 1000).toFixed(0)} s`);
  return { moduleVersion, binary, moduleDir, built: true, buildMs };
}
