import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { PluginManifest, PluginStatus as ClientPluginStatus } from '@mattermost/types/plugins';
import { waitFor } from './net';
import type { RigUser } from './users';

/** Mattermost's model.PluginState values (server/public/model/plugin_status.go). */
export const PluginState = {
  NotRunning: 0,
  Starting: 1,
  Running: 2,
  FailedToStart: 3,
  FailedToStayRunning: 4,
  Stopping: 5,
} as const;

/** model.PluginStatus as the server sends it; the client's type omits `error`. */
export type PluginStatus = ClientPluginStatus & { error?: string };

/** `POST /api/v4/plugins` with the bundle as the `plugin` form field, as System Console does. */
export async function uploadBundle(admin: RigUser, bundlePath: string, force = true): Promise<PluginManifest> {
  const file = new File([readFileSync(bundlePath)], basename(bundlePath), { type: 'application/gzip' });
  return admin.client.uploadPlugin(file, force);
}

export async function pluginStatus(admin: RigUser, pluginId: string): Promise<PluginStatus | undefined> {
  const statuses = (await admin.client.getPluginStatuses()) as PluginStatus[];
  return statuses.find((s) => s.plugin_id === pluginId);
}

/** Waits until Mattermost reports the plugin in `state`; a failed start fails at once with its error. */
export async function waitForPluginState(
  admin: RigUser,
  pluginId: string,
  state: number,
  timeoutMs = 60_000,
): Promise<PluginStatus> {
  return waitFor(
    `plugin ${pluginId} to reach state ${state}`,
    async () => {
      const status = await pluginStatus(admin, pluginId);
      if (status?.state === state) return status;
      if (state === PluginState.Running && status?.state === PluginState.FailedToStart) {
        throw Object.assign(new Error(`plugin ${pluginId} failed to start: ${status.error || 'no error given'}`), {
          final: true,
        });
      }
      throw new Error(`state is ${status ? `${status.state} ${status.error ?? ''}` : 'absent'}`);
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/** Uploads, enables and waits for the plugin to run; returns the manifest Mattermost accepted. */
export async function installBundle(admin: RigUser, bundlePath: string): Promise<PluginManifest> {
  const manifest = await uploadBundle(admin, bundlePath, true);
  await admin.client.enablePlugin(manifest.id);
  await waitForPluginState(admin, manifest.id, PluginState.Running);
  return manifest;
}
