/**
 * Test-only plugin executable for goplugin.wire.test.ts: bundled with esbuild into one file with a
 * node shebang and launched by go-plugin's own client (conformance/host). It uses Mattermost's
 * handshake values because the host is configured exactly like Mattermost's supervisor.
 *
 * Plugin "test" serves, as net/rpc service "Plugin":
 *   Echo(string) string · Fail(string) → error "failed: <arg>" ·
 *   CallHost({BrokerId uint32, A int, B int}) int — dials the host's broker id and returns the
 *   host's Plugin.Add({A, B}).
 */
import { listenAndHandshake } from '../handshake';

const HANDSHAKE = { protocolVersion: 1, magicCookieKey: 'MATTERMOST_PLUGIN', magicCookieValue: 'Securely message teams, anywhere.' };

async function main(): Promise<void> {
  // The handshake line goes out before the rest of the runtime is even loaded.
  const listening = await listenAndHandshake(HANDSHAKE);
  const [{ serveListening, hclogLogger }, gob, { RpcClient }] = await Promise.all([
    import('../index'),
    import('../../gob/index'),
    import('../../rpc/index'),
  ]);
  const logger = hclogLogger();
  const addArgs = gob.struct('AddArgs', () => [['A', gob.int], ['B', gob.int]]);
  const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);

  const served = await serveListening(listening, {
    logger,
    plugins: {
      test: (broker) => ({
        Plugin: {
          Echo: { reply: gob.string, handle: (s) => s },
          Fail: {
            reply: gob.string,
            handle: (s) => {
              throw new Error(`failed: ${String(s)}`);
            },
          },
          CallHost: {
            reply: gob.int,
            handle: async (raw) => {
              const args = (raw ?? {}) as { BrokerId?: unknown; A?: unknown; B?: unknown };
              const stream = await broker.dial(num(args.BrokerId));
              const client = new RpcClient(stream);
              try {
                return await client.call('Plugin.Add', addArgs, { A: num(args.A), B: num(args.B) });
              } finally {
                client.close();
              }
            },
          },
        },
      }),
    },
  });
  logger.info('test plugin started', { pid: process.pid, socket: listening.socketPath });
  served.stdout.write('hello from the stdout stream\n');
  served.stderr.write('hello from the stderr stream\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`test plugin failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
