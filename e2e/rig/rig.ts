import type { CommandResponse } from '@mattermost/types/integrations';
import type { PluginManifest } from '@mattermost/types/plugins';
import { controlClient } from './control';
import { waitFor } from './net';
import { PluginState, pluginStatus, uploadBundle, waitForPluginState, type PluginStatus } from './plugins';
import { pluginProcesses, type ProcessInfo } from './processes';
import { readState, type RigState } from './state';
import { userFromRecord, type RigUser } from './users';
import { EventStream, type WsEvent } from './websocket';

export interface Rig {
  state: RigState;
  url: string;
  pluginId: string;
  team: RigState['team'];
  /** town-square of the team. */
  channelId: string;
  admin: RigUser;
  /** Regular team members (alice, bob, carol, dave unless the runner chose others). */
  users: RigUser[];
  user(username: string): RigUser;
  /** `POST /api/v4/commands/execute` as `user`, e.g. `runCommand(alice, ch, '/incident declare x')`. */
  runCommand(user: RigUser, channelId: string, command: string): Promise<CommandResponse>;
  /** A request to the plugin's HTTP API (`/plugins/<id><path>`) with the user's session token. */
  pluginFetch(user: RigUser | undefined, path: string, init?: RequestInit): Promise<Response>;
  /** Opens the user's websocket; events are buffered from here on. */
  listen(user: RigUser): Promise<EventStream>;
  /** Opens a websocket, waits for one event, closes it. Open with `listen` first to avoid a race. */
  waitForEvent(user: RigUser, name: string, predicate?: (e: WsEvent) => boolean, timeoutMs?: number): Promise<WsEvent>;

  // --- admin and operator actions ---
  pluginStatus(): Promise<PluginStatus | undefined>;
  waitForPluginState(state: number, timeoutMs?: number): Promise<PluginStatus>;
  enablePlugin(): Promise<void>;
  disablePlugin(): Promise<void>;
  /** Uploads a bundle with force=true (replaces the installed version). */
  uploadBundle(path: string): Promise<PluginManifest>;
  /** The plugin's OS processes (children of the server), as `ps` would show them. */
  pluginProcesses(): Promise<ProcessInfo[]>;
  /** A real server restart (SIGTERM, start again over the same database and files). */
  restartServer(): Promise<void>;
  close(): void;
}

/**
 * The handle a scenario test uses: clients logged in as the admin and the users the runner
 * created, on the server the runner started. Checks go through Mattermost's own API.
 */
export function connectRig(state: RigState = readState()): Rig {
  const admin = userFromRecord(state.url, state.admin);
  const users = state.users.map((u) => userFromRecord(state.url, u));
  const control = controlClient(state.controlUrl);
  const streams: EventStream[] = [];

  const rig: Rig = {
    state,
    url: state.url,
    pluginId: state.pluginId,
    team: state.team,
    channelId: state.channelId,
    admin,
    users,
    user(username) {
      const found = username === admin.username ? admin : users.find((u) => u.username === username);
      if (!found) throw new Error(`the rig has no user ${username} (has ${users.map((u) => u.username).join(', ')})`);
      return found;
    },
    runCommand: (user, channelId, command) =>
      user.client.executeCommand(command, { channel_id: channelId, team_id: state.team.id }),
    pluginFetch: (user, path, init = {}) => {
      const headers = new Headers(init.headers);
      if (user) headers.set('Authorization', `Bearer ${user.token}`);
      headers.set('X-Requested-With', 'XMLHttpRequest');
      return fetch(`${state.url}/plugins/${state.pluginId}${path}`, { ...init, headers });
    },
    async listen(user) {
      const stream = await EventStream.open(state.url, user.token);
      streams.push(stream);
      return stream;
    },
    async waitForEvent(user, name, predicate, timeoutMs) {
      const stream = await EventStream.open(state.url, user.token);
      try {
        return await stream.waitFor(name, predicate, timeoutMs);
      } finally {
        stream.close();
      }
    },
    pluginStatus: () => pluginStatus(admin, state.pluginId),
    waitForPluginState: (target, timeoutMs) => waitForPluginState(admin, state.pluginId, target, timeoutMs),
    async enablePlugin() {
      await admin.client.enablePlugin(state.pluginId);
      await waitForPluginState(admin, state.pluginId, PluginState.Running);
    },
    async disablePlugin() {
      await admin.client.disablePlugin(state.pluginId);
      await waitForPluginState(admin, state.pluginId, PluginState.NotRunning);
    },
    uploadBundle: (path) => uploadBundle(admin, path, true),
    async pluginProcesses() {
      return pluginProcesses(await control.pid(), state.pluginId);
    },
    async restartServer() {
      await control.restart();
      // Sessions live in the database, so the same tokens work after the restart.
      await waitFor('the server to accept the admin session again', async () =>
        (await admin.client.getMe()).id === admin.id ? true : undefined,
      );
    },
    close() {
      for (const s of streams.splice(0)) s.close();
    },
  };
  return rig;
}
