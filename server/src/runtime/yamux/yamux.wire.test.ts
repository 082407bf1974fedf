/**
 * Conformance (c): hashicorp/yamux v0.1.2 (conformance/main.go) against our Session, in both roles.
 * The Go peer pings us every 100 ms, so a session that stays up through the suite also proves that
 * we answer keepalives.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, YamuxError } from './frame';
import { Session } from './session';
import type { Stream } from './stream';
import { buildGoProgram } from '../gob/conformance/build';
import { pattern, readAll } from './testing';

const MiB = 1024 * 1024;
const peerBinary = buildGoProgram(join(__dirname, 'conformance'), 'yamuxpeer');

interface Peer {
  session: Session;
  child: ChildProcessWithoutNullStreams;
  lines: AsyncIterator<string>;
  cleanup(): void;
}

/** Starts the Go peer in the opposite role of ours and connects. */
async function startPeer(ourRole: 'client' | 'server'): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'yamux-wire-'));
  const addr = join(dir, 'sock');
  const goRole = ourRole === 'server' ? 'client' : 'server';
  let socket: Socket;
  let child: ChildProcessWithoutNullStreams;
  let lines: AsyncIterator<string>;
  if (ourRole === 'server') {
    const server = createServer();
    server.listen(addr);
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    child = spawn(peerBinary, ['-role', goRole, '-addr', addr]);
    lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    [socket] = await accepted;
    server.close();
  } else {
    child = spawn(peerBinary, ['-role', goRole, '-addr', addr]);
    lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, 'ready');
    socket = connect(addr);
    await once(socket, 'connect');
  }
  child.stderr.on('data', (d: Buffer) => process.stderr.write(`[yamuxpeer] ${d.toString()}`));
  const session = new Session(socket, ourRole, { keepAliveInterval: 100, pingTimeout: 2000 });
  return {
    session,
    child,
    lines,
    cleanup() {
      session.close();
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens a stream and sends a command line. */
function command(session: Session, line: string): Stream {
  const st = session.open();
  st.write(`${line}\n`);
  return st;
}

async function reply(session: Session, line: string): Promise<string> {
  const st = command(session, line);
  st.end();
  return (await readAll(st)).toString().trim();
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

for (const ourRole of ['server', 'client'] as const) {
  describe(`yamux: ours as ${ourRole} ↔ hashicorp/yamux as ${ourRole === 'server' ? 'client' : 'server'}`, () => {
    let peer: Peer;
    let session: Session;
    const accepted: Stream[] = [];
    before(async () => {
      peer = await startPeer(ourRole);
      session = peer.session;
      // Streams the Go side opens are echoed back.
      void (async () => {
        for (;;) {
          const st = await session.accept();
          accepted.push(st);
          st.on('error', () => {});
          st.pipe(st);
        }
      })().catch(() => {});
    });
    after(() => peer.cleanup());

    it('uses the right stream ids for the role', () => {
      const st = session.open();
      assert.equal(st.id % 2, ourRole === 'client' ? 1 : 0);
      st.end();
    });

    it('64 concurrent streams opened by us, 512 KiB echoed on each', async () => {
      await Promise.all(
        Array.from({ length: 64 }, async (_, i) => {
          const data = pattern(512 * 1024, 1000 + i);
          const st = command(session, 'echo');
          st.end(data);
          const got = await readAll(st);
          assert.equal(got.length, data.length);
          assert.ok(got.equals(data), `stream ${st.id} content`);
        }),
      );
    });

    it('64 concurrent streams opened by Go, 300 000 bytes echoed by us on each', async () => {
      assert.equal(await reply(session, 'open 64 300000'), 'ok');
      const ids = accepted.map((s) => s.id);
      assert.ok(ids.every((id) => id % 2 === (ourRole === 'client' ? 0 : 1)));
    });

    it('10 MiB each way at once on one stream, content checked', async () => {
      const data = pattern(10 * MiB, 42);
      const st = command(session, 'echo');
      const got = readAll(st);
      st.end(data);
      const back = await got;
      assert.equal(back.length, data.length);
      assert.ok(back.equals(data));
    });

    it('10 MiB to Go (sha256 checked there), 10 MiB from Go (pattern checked here)', async () => {
      const data = pattern(10 * MiB, 5);
      const sink = command(session, 'sink');
      sink.end(data);
      assert.equal((await readAll(sink)).toString().trim(), `${data.length} ${sha256(data)}`);
      const source = command(session, `source ${10 * MiB} 9`);
      const got = await readAll(source);
      source.end();
      assert.ok(got.equals(pattern(10 * MiB, 9)));
    });

    it('pings both ways (and Go keepalives every 100 ms were answered)', async () => {
      for (let i = 0; i < 5; i++) assert.ok((await session.ping()) >= 0);
      assert.match(await reply(session, 'ping'), /^ok \d+$/);
      await sleep(400);
      assert.equal(session.isClosed, false);
    });

    it('half-close both ways', async () => {
      // We FIN first; Go reads to EOF, then answers on the same stream.
      const sink = command(session, 'sink');
      sink.end('abc');
      assert.equal((await readAll(sink)).toString().trim(), `3 ${sha256(Buffer.from('abc'))}`);
      // Go FINs first; we still write afterwards, then FIN.
      const source = command(session, 'source 10 1');
      assert.equal((await readAll(source)).length, 10);
      source.end('after your FIN');
      await once(source, 'finish');
      await sleep(100);
      // Every finished stream is forgotten on both sides (only the "count" stream remains in Go).
      assert.equal(await reply(session, 'count'), '1');
      assert.equal(session.numStreams, 0);
    });

    it('RST from us: Go reads "connection reset"', async () => {
      const st = command(session, 'rstwait');
      await sleep(50);
      st.resetStream();
      await sleep(50);
      assert.equal(await reply(session, 'report'), 'connection reset');
    });

    it('RST from Go (after its close timeout): our stream errors with "connection reset"', async () => {
      const st = command(session, 'linger');
      const [err] = (await once(st, 'error')) as [YamuxError];
      assert.equal(err.code, ErrorCode.ConnectionReset);
    });

    it('GO_AWAY from us: Go can no longer open streams', async () => {
      session.goAway();
      assert.equal(await reply(session, 'tryopen'), 'error remote end is not accepting connections');
    });

    it('GO_AWAY from Go: we can no longer open streams; open streams keep working', async () => {
      const st = command(session, 'echo');
      const goAway = once(session, 'goaway');
      assert.equal(await reply(session, 'goaway'), 'ok <nil>');
      await goAway;
      assert.throws(() => session.open(), (e: YamuxError) => e.code === ErrorCode.RemoteGoAway);
      st.end('still here');
      assert.equal((await readAll(st)).toString(), 'still here');
    });

    it('closing our session ends the Go session', async () => {
      session.close();
      for (;;) {
        const line = await peer.lines.next();
        assert.ok(!line.done, 'Go peer ended without reporting');
        if (line.value.startsWith('closed:')) break;
      }
      const [code] = (await once(peer.child, 'exit')) as [number];
      assert.equal(code, 0);
    });
  });
}
