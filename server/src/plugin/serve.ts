/**
 * Serves a product's PluginHooks to Mattermost over go-plugin: the "hooks" plugin Mattermost
 * dispenses is our HooksServer's `Plugin` service; its broker dials are go-plugin's MuxBroker.
 * Loaded lazily by ./start.ts after the handshake line is out.
 */
import { hclogLogger, serveListening, type Listening } from '../runtime/goplugin/index';
import { RpcClient } from '../runtime/rpc/index';
import { HooksServer } from './hooks/hooks_server';
import type { PluginHooks } from './hooks/plugin_hooks';

export async function servePlugin(listening: Listening, hooks: PluginHooks): Promise<void> {
  const logger = hclogLogger();
  let server: HooksServer | undefined;
  const served = await serveListening(listening, {
    logger,
    plugins: {
      hooks: (broker) => {
        server = new HooksServer(
          hooks,
          { dial: (id) => broker.dial(id), rpcClient: (stream) => new RpcClient(stream) },
          { reportError: (message) => logger.error(message) },
        );
        return { Plugin: server.service() };
      },
    },
  });
  await served.done;
  server?.close();
}
