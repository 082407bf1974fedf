import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { startControlServer } from './control';
import { buildMattermost } from './mattermost_build';
import { MattermostServer } from './mattermost_server';
import { readManifest } from './bundle';
import { installBundle } from './plugins';
import { startPostgres, type Postgres } from './postgres';
import { STATE_ENV, writeState, type RigState } from './state';
import { createTeam, createUser, toRecord } from './users';

export interface EnvironmentOptions {
  /** The plugin bundle to install (dist/infra-ops-*.tar.gz). */
  bundlePath: string;
  /** Regular users to create besides the admin (default: alice, bob, carol, dave). */
  usernames?: readonly string[];
  team?: { name: string; displayName: string };
  /** Mattermost's HTTP port on 127.0.0.1 (default: a free one). */
  port?: number;
  log?: (line: string) => void;
}

export interface Environment {
  state: RigState;
  statePath: string;
  server: MattermostServer;
  postgres: Postgres;
  /** Environment variables that point a child process (a test file) at this environment. */
  childEnv: Record<string, string>;
  timings: Record<string, number>;
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

export const DEFAULT_USERNAMES = ['alice', 'bob', 'carol', 'dave'] as const;

/**
 * Brings up the whole rig, the way an admin would: build (or reuse) the server, start a private
 * PostgreSQL and Mattermost, create the admin (first sign-up), a team and users through the
 * REST API, upload and enable the bundle, and wait until Mattermost reports it running.
 */
export async function startEnvironment(options: EnvironmentOptions): Promise<Environment> {
  const log = options.log ?? (() => {});
  const timings: Record<string, number> = {};
  const lap = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await step();
    timings[name] = Date.now() - started;
    return result;
  };
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: Error) => log(`cleanup: ${err.message}`));
  };
  // The run works on its own copy: dist/ may be rebuilt while the tests run, and scenarios
  // re-upload "the bundle under test".
  const stateDir = mkdtempSync(join(tmpdir(), 'infra-ops-e2e-state-'));
  cleanups.push(async () => rmSync(stateDir, { recursive: true, force: true }));
  try {
    const bundlePath = join(stateDir, basename(options.bundlePath));
    copyFileSync(options.bundlePath, bundlePath);
    const manifest = await readManifest(bundlePath);
    const build = await lap('buildMattermost', () => buildMattermost(log));
    const postgres = await lap('startPostgres', () => startPostgres(log));
    cleanups.push(() => postgres.stop());
    const server = await lap('startMattermost', () => MattermostServer.start({ build, dsn: postgres.dsn, log, ...(options.port ? { port: options.port } : {}) }));
    cleanups.push(() => server.stop());
    // X-Version-Id: "<version>.<build number>.<config hash>.<enterprise>"
    const serverVersion = (await fetch(`${server.url}/api/v4/system/ping`)).headers.get('x-version-id') ?? 'unknown';

    const teamSpec = options.team ?? { name: 'ops', displayName: 'Ops' };
    const { admin, users, team, channelId } = await lap('createUsers', async () => {
      const admin = await createUser(server.url, 'sysadmin', { firstName: 'Sys', lastName: 'Admin' });
      const team = await createTeam(admin, teamSpec.name, teamSpec.displayName);
      const users = [];
      for (const name of options.usernames ?? DEFAULT_USERNAMES) {
        const user = await createUser(server.url, name, { admin, firstName: name[0]!.toUpperCase() + name.slice(1) });
        await admin.client.addToTeam(team.id, user.id);
        users.push(user);
      }
      const channel = await admin.client.getChannelByName(team.id, 'town-square');
      return { admin, users, team, channelId: channel.id };
    });

    await lap('installPlugin', () => installBundle(admin, bundlePath));
    log(`plugin ${manifest.id} ${manifest.version} running`);

    const control = await startControlServer({
      restart: async () => {
        await server.restart();
        return { pid: server.pid ?? 0 };
      },
      pid: () => server.pid ?? 0,
    });
    cleanups.push(() => control.close());

    const state: RigState = {
      url: server.url,
      socketPath: server.socketPath,
      serverLog: server.logFile,
      serverVersion,
      controlUrl: control.url,
      pluginId: manifest.id,
      bundlePath,
      bundleVersion: manifest.version,
      team: { id: team.id, name: team.name, displayName: team.display_name },
      node: { dsn: postgres.dsn, filesDir: server.filesDir, binary: build.binary, moduleDir: build.moduleDir },
      channelId,
      admin: toRecord(admin),
      users: users.map(toRecord),
    };
    const statePath = join(stateDir, 'state.json');
    writeState(statePath, state);
    return {
      state,
      statePath,
      server,
      postgres,
      childEnv: { [STATE_ENV]: statePath },
      timings,
      stop: async ({ keepLogs = false } = {}) => {
        await stopAll();
        if (!keepLogs) rmSync(server.runDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
