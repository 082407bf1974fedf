import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeHeader, ErrorCode, Flag, FrameType, INITIAL_STREAM_WINDOW, YamuxError } from './frame';
import { Session, client, server, type SessionOptions } from './session';
import type { Stream } from './stream';
import { pattern, readAll, socketPair } from './testing';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function sessions(opts: SessionOptions = {}): Promise<{ c: Session; s: Session }> {
  const pair = await socketPair();
  const c = client(pair.a, opts);
  const s = server(pair.b, opts);
  cleanups.push(() => {
    c.close();
    s.close();
    pair.cleanup();
  });
  return { c, s };
}

/** Our session on one end, raw bytes on the other. */
async function rawPeer(role: 'client' | 'server', opts: SessionOptions = {}): Promise<{ session: Session; raw: Socket; frames: Frames }> {
  const pair = await socketPair();
  const session = role === 'client' ? client(pair.a, opts) : server(pair.a, opts);
  const frames = new Frames(pair.b);
  cleanups.push(() => {
    session.close();
    pair.cleanup();
  });
  return { session, raw: pair.b, frames };
}

/** Collects the frames a raw socket receives (headers only; DATA payload kept). */
class Frames {
  private buf = Buffer.alloc(0);
  readonly list: Array<{ type: number; flags: number; id: number; length: number; data: Buffer }> = [];
  private waiters: Array<() => void> = [];
  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      for (;;) {
        if (this.buf.length < 12) break;
        const type = this.buf[1]!;
        const length = this.buf.readUInt32BE(8);
        const size = type === 0 ? 12 + length : 12;
        if (this.buf.length < size) break;
        this.list.push({ type, flags: this.buf.readUInt16BE(2), id: this.buf.readUInt32BE(4), length, data: this.buf.subarray(12, size) });
        this.buf = this.buf.subarray(size);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => {});
  }
  async waitFor(pred: (f: Frames['list'][number]) => boolean, timeoutMs = 2000): Promise<Frames['list'][number]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.list.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('frame not seen');
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), sleep(50)]);
    }
  }
}

const frame = (type: FrameType, flags: number, id: number, length: number, payload?: Buffer): Buffer =>
  payload ? Buffer.concat([encodeHeader(type, flags, id, length), payload]) : encodeHeader(type, flags, id, length);

function echo(stream: Stream): void {
  stream.on('error', () => {});
  stream.pipe(stream);
}

describe('yamux session (TS ↔ TS)', () => {
  it('opens odd ids as client and even ids as server, and echoes', async () => {
    const { c, s } = await sessions();
    const a = c.open();
    const b = c.open();
    assert.deepEqual([a.id, b.id], [1, 3]);
    const fromServer = s.open();
    assert.equal(fromServer.id, 2);
    const [sa, sb] = [await s.accept(), await s.accept()];
    assert.deepEqual([sa.id, sb.id], [1, 3]);
    echo(sa);
    a.end('hello');
    assert.equal((await readAll(a)).toString(), 'hello');
    const cfs = await c.accept();
    assert.equal(cfs.id, 2);
  });

  it('moves 10 MiB each way on one stream with window updates', async () => {
    const { c, s } = await sessions();
    const data = pattern(10 * 1024 * 1024, 7);
    const a = c.open();
    const accepted = s.accept();
    a.end(data);
    const b = await accepted;
    b.end(pattern(10 * 1024 * 1024, 8));
    const [gotB, gotA] = await Promise.all([readAll(b), readAll(a)]);
    assert.ok(gotB.equals(data));
    assert.ok(gotA.equals(pattern(10 * 1024 * 1024, 8)));
  });

  it('64 concurrent streams', async () => {
    const { c, s } = await sessions();
    void (async () => {
      for (;;) echo(await s.accept());
    })().catch(() => {});
    await Promise.all(
      Array.from({ length: 64 }, async (_, i) => {
        const st = c.open();
        const data = pattern(300_000, i + 1);
        st.end(data);
        assert.ok((await readAll(st)).equals(data));
      }),
    );
  });

  for (const window of [INITIAL_STREAM_WINDOW, 512 * 1024]) {
    it(`a consumer that does not read stops the sender at one window (${window / 1024} KiB)`, async () => {
      const pair = await socketPair();
      const c = client(pair.a, { maxStreamWindow: window });
      const s = server(pair.b, { maxStreamWindow: window });
      cleanups.push(() => {
        c.close();
        s.close();
        pair.cleanup();
      });
      // Counted on the receiving socket (write callbacks lag: a stream's _writev batch calls back once).
      let onWire = 0;
      pair.b.on('data', (chunk: Buffer) => (onWire += chunk.length));
      const a = c.open();
      const total = 2 * window;
      const b = await (async () => {
        const p = s.accept();
        for (let i = 0; i < total / (16 * 1024); i++) a.write(Buffer.alloc(16 * 1024));
        return p;
      })();
      b.pause();
      await sleep(200);
      // One window of payload and a few 12-byte headers, not more ...
      assert.ok(onWire <= window + 64 * 12, `on the wire ${onWire}`);
      // ... and it did send up to the window: the limit above is the window, not a stall.
      assert.ok(onWire >= window, `on the wire ${onWire}`);
      const all = readAll(b);
      a.end();
      assert.equal((await all).length, total);
    });
  }

  it('pings both ways', async () => {
    const { c, s } = await sessions();
    assert.ok((await c.ping()) >= 0);
    assert.ok((await s.ping()) >= 0);
  });

  it('half-close: data still flows back after our FIN', async () => {
    const { c, s } = await sessions();
    const a = c.open();
    a.end('question');
    const b = await s.accept();
    const q = await readAll(b);
    assert.equal(q.toString(), 'question');
    b.end('answer');
    assert.equal((await readAll(a)).toString(), 'answer');
    await sleep(20);
    assert.equal(c.numStreams, 0);
    assert.equal(s.numStreams, 0);
  });

  it('RST aborts the stream on the other side with "connection reset"', async () => {
    const { c, s } = await sessions();
    const a = c.open();
    a.write('x');
    const b = await s.accept();
    const err = once(b, 'error') as Promise<[YamuxError]>;
    a.resetStream();
    const [e] = await err;
    assert.equal(e.code, ErrorCode.ConnectionReset);
    assert.match(e.message, /connection reset/);
  });

  it('GO_AWAY: the peer can no longer open streams; ours get RST', async () => {
    const { c, s } = await sessions();
    s.goAway();
    await once(c, 'goaway');
    assert.throws(() => c.open(), (e: YamuxError) => e.code === ErrorCode.RemoteGoAway);
    // The side that sent GO_AWAY may still open streams.
    const st = s.open();
    st.end('still ok');
    assert.equal((await readAll(await c.accept())).toString(), 'still ok');
  });

  it('backlog: streams beyond it are reset', async () => {
    const { c } = await sessions({ acceptBacklog: 2 });
    const streams = [c.open(), c.open(), c.open()];
    const errors = streams.map((st) => new Promise<string>((r) => st.on('error', (e: YamuxError) => r(e.code))));
    assert.equal(await errors[2], ErrorCode.ConnectionReset);
  });
});

describe('yamux session against raw frames', () => {
  it('answers SYN with ACK at once and pings with the same opaque value', async () => {
    const { session, raw, frames } = await rawPeer('server');
    raw.write(Buffer.concat([frame(FrameType.WindowUpdate, Flag.SYN, 1, 0), frame(FrameType.Ping, Flag.SYN, 0, 77)]));
    await frames.waitFor((f) => f.type === FrameType.WindowUpdate && f.flags === Flag.ACK && f.id === 1);
    await frames.waitFor((f) => f.type === FrameType.Ping && f.flags === Flag.ACK && f.length === 77);
    assert.equal((await session.accept()).id, 1);
  });

  it('SYN and RST in one read, before anyone listens: no crash, the stream arrives reset', async () => {
    const { session, raw } = await rawPeer('server');
    raw.write(Buffer.concat([frame(FrameType.WindowUpdate, Flag.SYN, 1, 0), frame(FrameType.WindowUpdate, Flag.RST, 1, 0)]));
    const st = await session.accept();
    await sleep(20);
    assert.equal(st.destroyed, true);
    assert.equal((st.errored as YamuxError | null)?.code, ErrorCode.ConnectionReset);
  });

  it('discards frames for unknown streams', async () => {
    const { session, raw, frames } = await rawPeer('server');
    raw.write(Buffer.concat([frame(FrameType.Data, 0, 9, 5, Buffer.from('abcde')), frame(FrameType.WindowUpdate, 0, 11, 100), frame(FrameType.Ping, Flag.SYN, 0, 1)]));
    await frames.waitFor((f) => f.type === FrameType.Ping);
    assert.equal(session.isClosed, false);
  });

  for (const [name, bytes, pattern_] of [
    ['bad version', Buffer.from([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]), /invalid protocol version 1/],
    ['bad type', Buffer.from([0, 9, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]), /invalid message type 9/],
    [
      'recv window exceeded',
      Buffer.concat([frame(FrameType.WindowUpdate, Flag.SYN, 1, 0), frame(FrameType.Data, 0, 1, INITIAL_STREAM_WINDOW + 1)]),
      /recv window exceeded/,
    ],
    ['duplicate stream', Buffer.concat([frame(FrameType.WindowUpdate, Flag.SYN, 1, 0), frame(FrameType.WindowUpdate, Flag.SYN, 1, 0)]), /duplicate stream 1/],
  ] as const) {
    it(`${name} → GO_AWAY(1) and a clear error`, async () => {
      const { session, raw, frames } = await rawPeer('server', { maxStreamWindow: INITIAL_STREAM_WINDOW });
      raw.write(bytes);
      const [reason] = (await once(session, 'close')) as [YamuxError];
      assert.equal(reason.code, ErrorCode.Protocol);
      assert.match(reason.message, pattern_);
      await frames.waitFor((f) => f.type === FrameType.GoAway && f.length === 1);
    });
  }

  it('a stream never exceeds the peer window, and resumes on WINDOW_UPDATE', async () => {
    const { session, raw, frames } = await rawPeer('client');
    const st = session.open();
    st.on('error', () => {}); // the pending write fails when the test closes the session
    st.write(Buffer.alloc(INITIAL_STREAM_WINDOW + 1000));
    await sleep(100);
    const sent = () => frames.list.filter((f) => f.type === FrameType.Data).reduce((n, f) => n + f.length, 0);
    assert.equal(sent(), INITIAL_STREAM_WINDOW);
    raw.write(frame(FrameType.WindowUpdate, Flag.ACK, st.id, 500));
    await sleep(100);
    assert.equal(sent(), INITIAL_STREAM_WINDOW + 500);
  });

  it('sends WINDOW_UPDATE only for what the consumer read, once a quarter of the window is read', async () => {
    const { session, raw, frames } = await rawPeer('server', { maxStreamWindow: INITIAL_STREAM_WINDOW });
    raw.write(frame(FrameType.WindowUpdate, Flag.SYN, 1, 0));
    const st = await session.accept();
    st.pause();
    raw.write(frame(FrameType.Data, 0, 1, INITIAL_STREAM_WINDOW, Buffer.alloc(INITIAL_STREAM_WINDOW, 1)));
    await sleep(100);
    assert.equal(frames.list.filter((f) => f.type === FrameType.WindowUpdate && f.length > 0).length, 0);
    let read = 0;
    while (read < INITIAL_STREAM_WINDOW / 4) {
      const chunk = st.read() as Buffer | null;
      if (chunk) read += chunk.length;
      else await once(st, 'readable');
    }
    const update = await frames.waitFor((f) => f.type === FrameType.WindowUpdate && f.length > 0);
    // Granted: what was read, plus at most what the Readable side buffers ahead of its reader.
    const slack = st.readableHighWaterMark + 64 * 1024;
    assert.ok(update.length >= INITIAL_STREAM_WINDOW / 4 && update.length <= read + slack, `delta ${update.length}, read ${read}`);
  });

  for (const role of ['server', 'client'] as const) {
    it(`a larger maxStreamWindow is granted with the ${role === 'server' ? 'ACK' : 'SYN'}, and enforced`, async () => {
      const window = 1024 * 1024;
      const { session, raw, frames } = await rawPeer(role, { maxStreamWindow: window });
      let id: number;
      if (role === 'server') {
        raw.write(frame(FrameType.WindowUpdate, Flag.SYN, 1, 0));
        id = (await session.accept()).id;
      } else {
        id = session.open().id;
        raw.write(frame(FrameType.WindowUpdate, Flag.ACK, id, 0));
      }
      const open = await frames.waitFor((f) => f.type === FrameType.WindowUpdate && f.id === id);
      assert.equal(open.flags, role === 'server' ? Flag.ACK : Flag.SYN);
      assert.equal(open.length, window - INITIAL_STREAM_WINDOW);
      // The whole window may arrive before anything is read; one byte more breaks the protocol.
      raw.write(frame(FrameType.Data, 0, id, window, Buffer.alloc(window, 2)));
      await sleep(50);
      assert.equal(session.isClosed, false);
      raw.write(frame(FrameType.Data, 0, id, 1, Buffer.alloc(1)));
      const [reason] = (await once(session, 'close')) as [YamuxError];
      assert.match(reason.message, /recv window exceeded/);
    });
  }

  it('refuses a maxStreamWindow below the protocol\'s initial window', async () => {
    const pair = await socketPair();
    cleanups.push(() => pair.cleanup());
    assert.throws(() => server(pair.a, { maxStreamWindow: INITIAL_STREAM_WINDOW - 1 }), /maxStreamWindow must be between/);
  });

  it('a paused consumer using read() receives far more than one window', async () => {
    const { session, raw, frames } = await rawPeer('server');
    raw.write(frame(FrameType.WindowUpdate, Flag.SYN, 1, 0));
    const st = await session.accept();
    const total = 4 * INITIAL_STREAM_WINDOW;
    // A peer that sends exactly what its window allows, resuming on each WINDOW_UPDATE.
    let window = INITIAL_STREAM_WINDOW;
    let sent = 0;
    const pump = (): void => {
      while (window > 0 && sent < total) {
        const n = Math.min(window, 16 * 1024, total - sent);
        raw.write(frame(FrameType.Data, 0, 1, n, Buffer.alloc(n, 3)));
        window -= n;
        sent += n;
      }
    };
    let seen = 0;
    const timer = setInterval(() => {
      for (const f of frames.list.slice(seen)) if (f.type === FrameType.WindowUpdate && f.id === 1) window += f.length;
      seen = frames.list.length;
      pump();
    }, 5);
    pump();
    let read = 0;
    try {
      while (read < total) {
        const chunk = st.read() as Buffer | null;
        if (chunk) read += chunk.length;
        else await Promise.race([once(st, 'readable'), sleep(2000).then(() => assert.fail(`stalled at ${read} of ${total}`))]);
      }
    } finally {
      clearInterval(timer);
    }
    assert.equal(read, total);
  });

  it('tiny DATA payloads padded by other frames do not pin the chunks they arrived in', async () => {
    const conn = new Duplex({ read() {}, write: (_chunk, _enc, cb: () => void) => cb() });
    const session = server(conn, { keepAlive: false });
    cleanups.push(() => session.close());
    conn.push(frame(FrameType.WindowUpdate, Flag.SYN, 1, 0));
    const st = await session.accept();
    // Each chunk: one 1-byte DATA frame, then ~64 KiB of window updates for a stream that does not exist.
    const padding = Buffer.concat(Array.from({ length: 5400 }, () => frame(FrameType.WindowUpdate, 0, 99, 1)));
    for (let i = 0; i < 100; i++) conn.push(Buffer.concat([frame(FrameType.Data, 0, 1, 1, Buffer.from([i])), padding]));
    await new Promise((r) => setImmediate(r));
    const pieces: Buffer[] = [];
    st.on('data', (piece: Buffer) => pieces.push(piece));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual([...Buffer.concat(pieces)], Array.from({ length: 100 }, (_, i) => i));
    const retained = [...new Set(pieces.map((p) => p.buffer))].reduce((n, b) => n + b.byteLength, 0);
    assert.ok(retained <= 64 * 1024, `100 payload bytes keep ${retained} bytes of received chunks alive`);
  });

  it('keepalive: a peer that never answers pings closes the session', async () => {
    const { session } = await rawPeer('server', { keepAliveInterval: 50, pingTimeout: 100 });
    const [reason] = (await once(session, 'close')) as [YamuxError];
    assert.match(reason.message, /keepalive timeout/);
  });

  it('a stream the peer never ACKs closes the session after streamOpenTimeout (as Go does)', async () => {
    const { session } = await rawPeer('client', { streamOpenTimeout: 100 });
    session.open();
    const [reason] = (await once(session, 'close')) as [YamuxError];
    assert.equal(reason.code, ErrorCode.Timeout);
    assert.match(reason.message, /stream 1 was not acknowledged in time/);
  });

  it('remote GO_AWAY(1) closes with a clear error', async () => {
    const { session, raw } = await rawPeer('server');
    raw.write(frame(FrameType.GoAway, 0, 0, 1));
    const [reason] = (await once(session, 'close')) as [YamuxError];
    assert.match(reason.message, /protocol error/);
  });
});
