/** serveListening in-process, driven by a host built from our own yamux + net/rpc (the Go host is in the wire test). */
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bool, string } from '../gob/index';
import { RpcClient, RpcServerError } from '../rpc/index';
import { client } from '../yamux/index';
import { readAll } from '../yamux/testing';
import { MuxBroker } from './broker';
import { listenAndHandshake } from './handshake';
import { serveListening } from './server';

async function start(): Promise<{ exited: Promise<number>; host: ReturnType<typeof client>; control: RpcClient; socketPath: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'goplugin-'));
  const outFd = openSync(join(dir, 'stdout'), 'w');
  const listening = await listenAndHandshake(
    { protocolVersion: 1, magicCookieKey: 'C', magicCookieValue: 'v' },
    { env: { C: 'v', PLUGIN_UNIX_SOCKET_DIR: dir }, stdoutFd: outFd, ignoreInterrupts: false },
  );
  closeSync(outFd);
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  const served = serveListening(listening, {
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    exit: resolveExit,
    plugins: {
      echo: () => ({ Plugin: { Echo: { reply: string, handle: (s) => s } } }),
    },
  });
  const socket = connect(listening.socketPath);
  const host = client(socket);
  const control = new RpcClient(host.open());
  const stdout = host.open();
  host.open(); // stderr: the plugin writes nothing there in this test
  const plugin = await served;
  plugin.stdout.write('to stdout\n');
  plugin.stdout.end();
  assert.equal((await readAll(stdout)).toString(), 'to stdout\n');
  return { exited, host, control, socketPath: listening.socketPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('serveListening', () => {
  it('Control.Ping, Dispense (known and unknown), the dispensed plugin on its broker stream, Quit → exit 0 and socket removed', async () => {
    const { exited, host, control, socketPath, cleanup } = await start();
    try {
      assert.deepEqual(await control.call('Control.Ping', bool, true), {});
      await assert.rejects(control.call('Dispenser.Dispense', string, 'nope'), (e: RpcServerError) => e.message === 'unknown plugin type: nope');
      const id = (await control.call('Dispenser.Dispense', string, 'echo')) as number;
      assert.equal(id, 1);
      const broker = new MuxBroker(host);
      const plugin = new RpcClient(await broker.dial(id));
      assert.equal(await plugin.call('Plugin.Echo', string, 'hi'), 'hi');
      await assert.rejects(plugin.call('Plugin.Nope', string, ''), /rpc: can't find method Plugin.Nope/);
      assert.deepEqual(await control.call('Control.Quit', bool, true), {});
      assert.equal(await exited, 0);
      assert.equal(existsSync(socketPath), false);
    } finally {
      host.close();
      cleanup();
    }
  });

  it('a host that dials and calls before the plugin finished loading is served once it has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goplugin-'));
    const outFd = openSync(join(dir, 'stdout'), 'w');
    try {
      const listening = await listenAndHandshake(
        { protocolVersion: 1, magicCookieKey: 'C', magicCookieValue: 'v' },
        { env: { C: 'v', PLUGIN_UNIX_SOCKET_DIR: dir }, stdoutFd: outFd, ignoreInterrupts: false },
      );
      const host = client(connect(listening.socketPath));
      const control = new RpcClient(host.open());
      host.open();
      host.open();
      const ping = control.call('Control.Ping', bool, true);
      await new Promise((r) => setTimeout(r, 100)); // "loading the product"
      let resolveExit!: (code: number) => void;
      const exited = new Promise<number>((r) => (resolveExit = r));
      await serveListening(listening, { logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} }, exit: resolveExit, plugins: {} });
      assert.deepEqual(await ping, {});
      host.close();
      assert.equal(await exited, 0);
    } finally {
      closeSync(outFd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the host closing the connection → exit 0', async () => {
    const { exited, host, socketPath, cleanup } = await start();
    try {
      host.close();
      assert.equal(await exited, 0);
      assert.equal(existsSync(socketPath), false);
    } finally {
      cleanup();
    }
  });

  it('a class-based logger gets yamux\'s lines too (methods called on it), e.g. for a host speaking garbage', async () => {
    class Recorder {
      readonly lines: string[] = [];
      trace(m: string): void { this.lines.push(m); }
      debug(m: string): void { this.lines.push(m); }
      info(m: string): void { this.lines.push(m); }
      warn(m: string): void { this.lines.push(m); }
      error(m: string): void { this.lines.push(m); }
    }
    const dir = mkdtempSync(join(tmpdir(), 'goplugin-'));
    const outFd = openSync(join(dir, 'stdout'), 'w');
    try {
      const listening = await listenAndHandshake(
        { protocolVersion: 1, magicCookieKey: 'C', magicCookieValue: 'v' },
        { env: { C: 'v', PLUGIN_UNIX_SOCKET_DIR: dir }, stdoutFd: outFd, ignoreInterrupts: false },
      );
      const logger = new Recorder();
      let resolveExit!: (code: number) => void;
      const exited = new Promise<number>((r) => (resolveExit = r));
      void serveListening(listening, { logger, exit: resolveExit, plugins: {} });
      const socket = connect(listening.socketPath);
      socket.on('error', () => {});
      socket.end(Buffer.from([9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]));
      assert.equal(await exited, 0);
      assert.ok(logger.lines.includes('yamux: closing session'), logger.lines.join('\n'));
    } finally {
      closeSync(outFd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
