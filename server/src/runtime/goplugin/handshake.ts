/**
 * go-plugin's start-up, the part that must happen within the host's start timeout (Mattermost:
 * 3 s from exec, Node's boot included). Deliberately imports nothing but Node built-ins, so a
 * caller can print the handshake line before loading anything heavy.
 *
 *   1. the magic cookie env var must hold the expected value, else go-plugin's standard message
 *      goes to stderr and the process exits 1 (someone ran the plugin by hand);
 *   2. listen on a unix socket `$PLUGIN_UNIX_SOCKET_DIR/plugin<random>` (else in the temp dir);
 *   3. print `CORE|APP|unix|<path>|netrpc|` as the first stdout line.
 */
import { unlinkSync, writeSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hclogLogger, type Logger } from './log';

/** go-plugin's HandshakeConfig: what host and plugin must agree on. */
export interface HandshakeConfig {
  /** The application's protocol version (Mattermost: 1). */
  readonly protocolVersion: number;
  readonly magicCookieKey: string;
  readonly magicCookieValue: string;
}

/** go-plugin's CoreProtocolVersion. */
export const CORE_PROTOCOL_VERSION = 1;

/** go-plugin server.go, word for word (the host shows it to people who run the plugin by hand). */
export const NOT_A_PROGRAM_MESSAGE =
  'This binary is a plugin. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins, which will\n' +
  'load any plugins automatically\n';

const MISCONFIGURED_MESSAGE =
  'Misconfigured ServeConfig given to serve this plugin: no magic cookie\n' +
  'key or value was set. Please notify the plugin author and report\n' +
  'this as a bug.\n';

export interface HandshakeEnvironment {
  readonly env?: NodeJS.ProcessEnv;
  /** File descriptors written synchronously, so the line is out before anything else runs. */
  readonly stdoutFd?: number;
  readonly stderrFd?: number;
  readonly exit?: (code: number) => never;
  /** For the "interrupt ignored" trace lines. Default: hclog JSON on stderr. */
  readonly logger?: Logger;
  /** Default true, as go-plugin does; tests running in-process turn it off. */
  readonly ignoreInterrupts?: boolean;
}

/** A listening plugin whose handshake line has been printed. */
export interface Listening {
  readonly server: Server;
  readonly socketPath: string;
  /**
   * The next connection (paused until someone reads it). Connections are queued from the moment
   * we listen: the host dials as soon as it reads the handshake line, possibly long before the
   * rest of the plugin has loaded.
   */
  nextConnection(): Promise<Socket>;
  /** Stops listening and removes the socket file. Idempotent. */
  close(): void;
}

export async function listenAndHandshake(config: HandshakeConfig, environment: HandshakeEnvironment = {}): Promise<Listening> {
  const env = environment.env ?? process.env;
  const stderrFd = environment.stderrFd ?? 2;
  const exit = environment.exit ?? ((code: number) => process.exit(code));
  if (config.magicCookieKey === '' || config.magicCookieValue === '') {
    writeSync(stderrFd, MISCONFIGURED_MESSAGE);
    return exit(1);
  }
  if (env[config.magicCookieKey] !== config.magicCookieValue) {
    writeSync(stderrFd, NOT_A_PROGRAM_MESSAGE);
    return exit(1);
  }
  let listening: Listening;
  try {
    listening = await listenUnix(env.PLUGIN_UNIX_SOCKET_DIR || tmpdir());
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    hclogLogger({ write: (line) => writeSync(stderrFd, line) }).error('plugin init error', { error: message });
    return exit(1);
  }
  // Before the line: once the host has it, it may signal us at any time.
  if (environment.ignoreInterrupts !== false) ignoreInterrupts(environment.logger ?? hclogLogger());
  writeSync(environment.stdoutFd ?? 1, `${CORE_PROTOCOL_VERSION}|${config.protocolVersion}|unix|${listening.socketPath}|netrpc|\n`);
  return listening;
}

let interruptsIgnored = false;

/**
 * Like go-plugin: SIGINT is ignored from the handshake line on, so a Ctrl-C in the host's terminal
 * reaches the host, which then stops its plugins in order.
 */
function ignoreInterrupts(logger: Logger): void {
  if (interruptsIgnored) return;
  interruptsIgnored = true;
  let count = 0;
  process.on('SIGINT', () => logger.trace('plugin received interrupt signal, ignoring', { count: ++count }));
}

/** Like go-plugin: a fresh `plugin<random>` name in `dir` (os.CreateTemp's pattern), then listen. */
async function listenUnix(dir: string): Promise<Listening> {
  for (let attempt = 0; ; attempt++) {
    const socketPath = join(dir, `plugin${Math.floor(Math.random() * 0x100000000)}`);
    const server = createServer({ pauseOnConnect: true });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 100) continue;
      throw err;
    }
    const queued: Socket[] = [];
    const waiting: Array<(socket: Socket) => void> = [];
    server.on('connection', (socket: Socket) => {
      const waiter = waiting.shift();
      if (waiter) waiter(socket);
      else queued.push(socket);
    });
    const close = closeOnExit(server, socketPath);
    return {
      server,
      socketPath,
      nextConnection() {
        const socket = queued.shift();
        return socket ? Promise.resolve(socket) : new Promise<Socket>((resolve) => waiting.push(resolve));
      },
      close,
    };
  }
}

/**
 * Returns an idempotent close (stop listening, remove the socket file) that also runs on the exits
 * that skip the normal shutdown: process.exit() and uncaught exceptions (both emit 'exit'), and
 * SIGTERM, which kills Node without any 'exit' event. SIGKILL (go-plugin's last resort after a
 * failed Quit) cannot be caught; nothing can remove the file then.
 */
function closeOnExit(server: Server, socketPath: string): () => void {
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    process.off('exit', close);
    process.off('SIGTERM', onSigterm);
    server.close();
    try {
      unlinkSync(socketPath);
    } catch {
      // already gone (libuv removes it when the server closes)
    }
  };
  function onSigterm(): void {
    close();
    // SIGTERM keeps its meaning (the process dies of it) unless the application handles it itself.
    if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
  }
  process.on('exit', close);
  process.on('SIGTERM', onSigterm);
  return close;
}
