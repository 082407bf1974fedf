import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, it } from 'node:test';
import { listenAndHandshake, NOT_A_PROGRAM_MESSAGE } from './handshake';

const HANDSHAKE = { protocolVersion: 1, magicCookieKey: 'TEST_COOKIE', magicCookieValue: 'let me in' };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function files(): { dir: string; out: string; err: string; outFd: number; errFd: number } {
  const dir = mkdtempSync(join(tmpdir(), 'handshake-'));
  dirs.push(dir);
  const out = join(dir, 'stdout');
  const err = join(dir, 'stderr');
  return { dir, out, err, outFd: openSync(out, 'w'), errFd: openSync(err, 'w') };
}

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
const exit = (code: number): never => {
  throw new Exited(code);
};

describe('listenAndHandshake', () => {
  it('wrong or missing cookie: go-plugin\'s message on stderr, exit 1, nothing on stdout', async () => {
    for (const env of [{}, { TEST_COOKIE: 'nope' }]) {
      const f = files();
      await assert.rejects(listenAndHandshake(HANDSHAKE, { env, stdoutFd: f.outFd, stderrFd: f.errFd, exit, ignoreInterrupts: false }), (e: Exited) => e.code === 1);
      closeSync(f.outFd);
      closeSync(f.errFd);
      assert.equal(readFileSync(f.err, 'utf8'), NOT_A_PROGRAM_MESSAGE);
      assert.equal(readFileSync(f.out, 'utf8'), '');
    }
  });

  it('listens in PLUGIN_UNIX_SOCKET_DIR and prints the handshake line; close() removes the socket', async () => {
    const f = files();
    const env = { TEST_COOKIE: 'let me in', PLUGIN_UNIX_SOCKET_DIR: f.dir };
    const listening = await listenAndHandshake({ ...HANDSHAKE, protocolVersion: 7 }, { env, stdoutFd: f.outFd, stderrFd: f.errFd, exit, ignoreInterrupts: false });
    closeSync(f.outFd);
    closeSync(f.errFd);
    assert.match(listening.socketPath, new RegExp(`^${f.dir}/plugin\\d+$`));
    assert.equal(readFileSync(f.out, 'utf8'), `1|7|unix|${listening.socketPath}|netrpc|\n`);
    assert.ok(existsSync(listening.socketPath));
    listening.close();
    await new Promise((r) => setImmediate(r));
    assert.equal(existsSync(listening.socketPath), false);
  });

  it('a socket directory that cannot be used: an hclog error line and exit 1', async () => {
    const f = files();
    const env = { TEST_COOKIE: 'let me in', PLUGIN_UNIX_SOCKET_DIR: join(f.dir, 'missing') };
    await assert.rejects(listenAndHandshake(HANDSHAKE, { env, stdoutFd: f.outFd, stderrFd: f.errFd, exit, ignoreInterrupts: false }), (e: Exited) => e.code === 1);
    closeSync(f.outFd);
    closeSync(f.errFd);
    const line = JSON.parse(readFileSync(f.err, 'utf8')) as Record<string, string>;
    assert.equal(line['@level'], 'error');
    assert.equal(line['@message'], 'plugin init error');
    assert.equal(readFileSync(f.out, 'utf8'), '');
  });

  for (const [how, expected] of [
    ['throw', { code: 1, signal: null }],
    ['exit', { code: 3, signal: null }],
    ['wait', { code: null, signal: 'SIGTERM' }],
  ] as const) {
    it(`the socket file is removed when the process leaves by ${how === 'wait' ? 'SIGTERM' : how}`, async () => {
      const f = files();
      const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'testdata', 'exit_paths.ts'), how], {
        env: { ...process.env, EXIT_TEST_COOKIE: 'yes', PLUGIN_UNIX_SOCKET_DIR: f.dir },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const socketPath = /^1\|1\|unix\|(.+)\|netrpc\|$/.exec(line)?.[1];
      assert.ok(socketPath, line);
      if (how === 'wait') {
        assert.ok(existsSync(socketPath));
        child.kill('SIGTERM');
      }
      const [code, signal] = await exited;
      assert.deepEqual({ code, signal }, expected);
      assert.equal(existsSync(socketPath), false, 'socket file left behind');
    });
  }
});
