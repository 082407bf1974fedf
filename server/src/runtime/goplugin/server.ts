/**
 * go-plugin netrpc serving, after the handshake (see handshake.ts):
 *
 *   - the host dials once; that connection is a yamux session with us as the server;
 *   - the first three streams the host opens are control (net/rpc: `Control.Ping`,
 *     `Control.Quit`, `Dispenser.Dispense`), then the plugin's stdout and stderr (we write, the
 *     host logs what arrives);
 *   - `Dispenser.Dispense(name)` reserves a broker id, replies it, accepts that broker stream
 *     (≤ 5 s) and serves the named plugin's net/rpc services on it;
 *   - `Control.Quit` replies, then the process exits; so does a closed connection.
 *
 * Nothing here knows any application: the plugins, handshake values and logger are passed in.
 */
import type { Writable } from 'node:stream';
import { uint32 } from '../gob/index';
import { emptyStruct, serveRpc, type RpcService } from '../rpc/index';
import { Session, type SessionOptions, type Stream } from '../yamux/index';
import { MuxBroker } from './broker';
import { listenAndHandshake, type HandshakeConfig, type HandshakeEnvironment, type Listening } from './handshake';
import { hclogLogger, type Logger } from './log';

/** Builds the net/rpc services for a dispensed plugin (go-plugin serves them as service "Plugin"). */
export type PluginFactory = (broker: MuxBroker) => Readonly<Record<string, RpcService>> | Promise<Readonly<Record<string, RpcService>>>;

export interface ServeOptions {
  readonly plugins: Readonly<Record<string, PluginFactory>>;
  readonly logger?: Logger;
  /** Test hooks: yamux timing, and what "exit" means. */
  readonly yamux?: SessionOptions;
  readonly exit?: (code: number) => void;
}

/** A connected plugin. */
export interface ServedPlugin {
  readonly session: Session;
  readonly broker: MuxBroker;
  /** The host logs what is written here (go-plugin's redirected os.Stdout / os.Stderr). */
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Resolves when the plugin shuts down (Quit, or the connection closed); the process exits one turn later. */
  readonly done: Promise<string>;
}

/** Handshake, then serve (for callers that have nothing heavy to load in between). */
export async function serve(handshake: HandshakeConfig, options: ServeOptions, environment?: HandshakeEnvironment): Promise<ServedPlugin> {
  const listening = await listenAndHandshake(handshake, environment);
  return serveListening(listening, options);
}

/**
 * Serves the first connection to an already announced listener. Resolves once the host opened the
 * control and stdio streams; if the connection closes before that, the process exits instead.
 */
export async function serveListening(listening: Listening, options: ServeOptions): Promise<ServedPlugin> {
  const logger = options.logger ?? hclogLogger();
  const exit = options.exit ?? ((code: number) => process.exit(code));

  const conn = await listening.nextConnection();
  void refuseFurtherConnections(listening, logger);

  const session = new Session(conn, 'server', { ...options.yamux, logger: yamuxLogger(logger) });
  const broker = new MuxBroker(session);

  let resolveDone!: (why: string) => void;
  const done = new Promise<string>((resolve) => (resolveDone = resolve));
  let shuttingDown = false;
  const shutdown = (why: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.debug('plugin: shutting down', { reason: why });
    session.close(); // flushes what is queued (e.g. the Quit reply), then ends the socket
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      listening.close();
      resolveDone(why);
      setImmediate(() => exit(0)); // lets `done` handlers run first
    };
    if (conn.destroyed) finish();
    else {
      conn.once('close', finish);
      setTimeout(finish, 1000).unref();
    }
  };
  session.once('close', (reason: Error) => shutdown(`connection closed: ${reason.message}`));

  let control: Stream, stdout: Stream, stderr: Stream;
  try {
    control = await session.accept();
    stdout = await session.accept();
    stderr = await session.accept();
  } catch (err) {
    // The connection closed before the host set it up: shutdown is under way and the process
    // exits (0, as after Quit); there is no plugin to hand back, so this never settles.
    logger.debug('plugin: connection closed before set-up', { error: err });
    return new Promise<never>(() => {});
  }
  for (const stream of [control, stdout, stderr]) stream.on('error', (err: Error) => logger.debug('plugin: stream error', { stream: stream.id, error: err }));
  // The host never writes on the stdio streams; drain them so its FIN is seen.
  stdout.resume();
  stderr.resume();
  void broker.run();

  // Go signatures: Control.Ping(bool) struct{}, Control.Quit(bool) struct{}, Dispenser.Dispense(string) uint32.
  serveRpc(control, {
    Control: {
      Ping: { reply: emptyStruct, handle: () => ({}) },
      Quit: {
        reply: emptyStruct,
        handle: () => {
          // After this reply is queued (the RPC layer writes it once the handler returns).
          setImmediate(() => shutdown('Control.Quit'));
          return {};
        },
      },
    },
    Dispenser: {
      Dispense: { reply: uint32, handle: (name) => dispense(name, options.plugins, broker, logger) },
    },
  });
  return { session, broker, stdout, stderr, done };
}

/** go-plugin would serve them too; Mattermost dials exactly once, so refuse rather than guess. */
async function refuseFurtherConnections(listening: Listening, logger: Logger): Promise<void> {
  for (;;) {
    const socket = await listening.nextConnection();
    logger.warn('plugin: refusing a second connection');
    socket.destroy();
  }
}

async function dispense(name: unknown, plugins: Readonly<Record<string, PluginFactory>>, broker: MuxBroker, logger: Logger): Promise<number> {
  const key = typeof name === 'string' ? name : String(name);
  const factory = Object.hasOwn(plugins, key) ? plugins[key] : undefined;
  if (factory === undefined) throw new Error(`unknown plugin type: ${key}`);
  const services = await factory(broker);
  const id = broker.nextId();
  broker.accept(id).then(
    (stream: Stream) => {
      stream.on('error', (err: Error) => logger.debug('plugin: broker stream error', { id, error: err }));
      serveRpc(stream, services);
    },
    (err: Error) => logger.error('go-plugin: plugin dispense error', { plugin: key, error: err }),
  );
  return id;
}

/** Calls through the logger (a class-based Logger's methods need their `this`). */
function yamuxLogger(logger: Logger): SessionOptions['logger'] {
  return {
    debug: (message, fields) => logger.debug(message, fields),
    warn: (message, fields) => logger.warn(message, fields),
    error: (message, fields) => logger.error(message, fields),
  };
}
