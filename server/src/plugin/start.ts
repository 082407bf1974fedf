/**
 * Process start for a Mattermost plugin: the go-plugin handshake first (cookie check, unix socket,
 * the `1|1|unix|<path>|netrpc|` line), everything heavy afterwards. Mattermost allows 3 s from
 * exec to that line, Node's own boot included, so this module imports only the handshake step;
 * the runtime, the plugin layer and the product load lazily once the line is out.
 */
import { listenAndHandshake, type HandshakeConfig } from '../runtime/goplugin/handshake';
import type { PluginHooks } from './hooks/plugin_hooks';

/** Mattermost's plugin.handshake (server/public/plugin/client.go). */
export const MATTERMOST_HANDSHAKE: HandshakeConfig = {
  protocolVersion: 1,
  magicCookieKey: 'MATTERMOST_PLUGIN',
  magicCookieValue: 'Securely message teams, anywhere.',
};

export async function startPlugin(loadHooks: () => Promise<PluginHooks>): Promise<void> {
  const listening = await listenAndHandshake(MATTERMOST_HANDSHAKE);
  const { servePlugin } = await import('./serve.js');
  await servePlugin(listening, await loadHooks());
}
