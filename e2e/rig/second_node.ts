import { rmSync } from 'node:fs';
import type { CommandResponse } from '@mattermost/types/integrations';
import { MattermostServer } from './mattermost_server';
import { PluginState, pluginStatus, waitForPluginState, type PluginStatus } from './plugins';
import { pluginProcesses, type ProcessInfo } from './processes';
import type { Rig } from './rig';
import { userFromRecord, toRecord, type RigUser } from './users';

/** A second Mattermost server on the rig's database and file store: the HA situation of a plugin. */
export interface SecondNode {
  url: string;
  pid: number;
  logFile: string;
  /** `user`'s session on this server (sessions live in the shared database). */
  as(user: RigUser): RigUser;
  runCommand(user: RigUser, channelId: string, command: string): Promise<CommandResponse>;
  /** The plugin's status as this server sees it (servers that are not clustered report their own). */
  pluginStatus(): Promise<PluginStatus | undefined>;
  /** The plugin's processes under this server. */
  pluginProcesses(): ProcessInfo[];
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

/**
 * Starts another server process with its own port, config, plugin folders and log, on the rig's
 * PostgreSQL and file store, without a cluster licence: each server runs its own copy of the
 * plugin against the one KV store. At start-up it installs the bundle the admin uploaded (from
 * the shared file store); it gets the first server's plugin settings and is enabled as an admin
 * would enable it. Not clustered, so no cache invalidation or websocket event crosses between
 * the two: scenarios check results through the REST API.
 */
export async function startSecondNode(rig: Rig, log: (line: string) => void = () => {}): Promise<SecondNode> {
  const { node } = rig.state;
  const server = await MattermostServer.start({ build: node, dsn: node.dsn, filesDir: node.filesDir, log });
  try {
    const admin = userFromRecord(server.url, toRecord(rig.admin));
    const config = await rig.admin.client.getConfig();
    const settings: unknown = config.PluginSettings.Plugins[rig.pluginId] ?? {};
    await admin.client.patchConfig({ PluginSettings: { Plugins: { [rig.pluginId]: settings } } });
    await admin.client.enablePlugin(rig.pluginId);
    await waitForPluginState(admin, rig.pluginId, PluginState.Running);
  } catch (err) {
    await server.stop();
    throw new Error(`the second server did not run the plugin: ${(err as Error).message}\n--- ${server.logFile} ---\n${server.tail(30)}`);
  }
  const sessions = new Map<string, RigUser>();
  const as = (user: RigUser): RigUser => {
    let session = sessions.get(user.id);
    if (!session) {
      session = userFromRecord(server.url, toRecord(user));
      sessions.set(user.id, session);
    }
    return session;
  };
  return {
    url: server.url,
    pid: server.pid ?? 0,
    logFile: server.logFile,
    as,
    runCommand: (user, channelId, command) => as(user).client.executeCommand(command, { channel_id: channelId, team_id: rig.team.id }),
    pluginStatus: () => pluginStatus(as(rig.admin), rig.pluginId),
    pluginProcesses: () => pluginProcesses(server.pid ?? 0, rig.pluginId),
    async stop({ keepLogs = false } = {}) {
      await server.stop();
      if (!keepLogs) rmSync(server.runDir, { recursive: true, force: true });
    },
  };
}
