import { readFileSync, writeFileSync } from 'node:fs';
import type { RigUserRecord } from './users';

/** Name of the environment variable that points test processes at the state file. */
export const STATE_ENV = 'INFRA_OPS_E2E_STATE';

/**
 * Everything a test process needs to drive the running server. Written once by the runner
 * (e2e/run.ts or the dev server); Node's test runner gives each test file its own process.
 */
export interface RigState {
  url: string;
  /** Local-mode socket: admin API without a login, e.g. `curl --unix-socket`. */
  socketPath: string;
  serverLog: string;
  serverVersion: string;
  /** The runner's loopback control endpoint (restart the server, its pid). */
  controlUrl: string;
  pluginId: string;
  /** The bundle that was installed at start-up. */
  bundlePath: string;
  bundleVersion: string;
  team: { id: string; name: string; displayName: string };
  /** What another server needs to join this one as a second HA node (e2e/rig/second_node.ts). */
  node: {
    /** The database every node shares. */
    dsn: string;
    /** The file store every node shares (uploaded plugin bundles live there). */
    filesDir: string;
    /** The Mattermost build in use, and the module holding its i18n/, templates/ and fonts/. */
    binary: string;
    moduleDir: string;
  };
  /** town-square of the team: every user is a member. */
  channelId: string;
  admin: RigUserRecord;
  users: RigUserRecord[];
}

export function writeState(path: string, state: RigState): void {
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function readState(path = process.env[STATE_ENV]): RigState {
  if (!path) {
    throw new Error(
      `${STATE_ENV} is not set: e2e tests run under \`npm run e2e\`, which starts Mattermost and sets it`,
    );
  }
  return JSON.parse(readFileSync(path, 'utf8')) as RigState;
}
