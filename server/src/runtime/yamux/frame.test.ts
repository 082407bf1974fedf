import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeHeader, ErrorCode, Flag, FrameReader, FrameType, HEADER_SIZE, YamuxError, type FrameSink } from './frame';
import { Session } from './session';

interface Parsed {
  headers: Array<[number, number, number, number]>;
  payload: number;
}

function parse(chunks: readonly Uint8Array[]): { parsed: Parsed; error: unknown } {
  const parsed: Parsed = { headers: [], payload: 0 };
  const sink: FrameSink = {
    header: (type, flags, id, length) => parsed.headers.push([type, flags, id, length]),
    payload: (piece) => (parsed.payload += piece.length),
  };
  const reader = new FrameReader(sink);
  try {
    for (const chunk of chunks) reader.push(Buffer.from(chunk));
    return { parsed, error: undefined };
  } catch (error) {
    return { parsed, error };
  }
}

/** Splits `bytes` at the given cut points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

const frameArb = fc.record({
  type: fc.integer({ min: 0, max: 3 }),
  flags: fc.integer({ min: 0, max: 15 }),
  id: fc.integer({ min: 0, max: 0xffffffff }),
  length: fc.integer({ min: 0, max: 0xffffffff }),
  payload: fc.uint8Array({ maxLength: 64 }),
});

interface FrameSpec {
  type: number;
  flags: number;
  id: number;
  length: number;
  payload: Uint8Array;
}

function encode(frames: readonly FrameSpec[]): Buffer {
  return Buffer.concat(
    frames.map((f) =>
      f.type === FrameType.Data ? Buffer.concat([encodeHeader(f.type, f.flags, f.id, f.payload.length), f.payload]) : encodeHeader(f.type, f.flags, f.id, f.length),
    ),
  );
}

describe('FrameReader', () => {
  it('parses valid frames identically however the bytes are split', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (frames, cuts) => {
        const bytes = encode(frames);
        const whole = parse([bytes]);
        const pieces = parse(split(bytes, cuts));
        assert.equal(whole.error, undefined);
        assert.deepEqual(pieces.parsed, whole.parsed);
        assert.deepEqual(
          whole.parsed.headers,
          frames.map((f) => [f.type, f.flags, f.id >>> 0, f.type === FrameType.Data ? f.payload.length : f.length >>> 0]),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('never throws anything but a protocol YamuxError on arbitrary bytes, and never reports more payload than it got', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
        const { parsed, error } = parse(split(bytes, cuts));
        if (error !== undefined) {
          assert.ok(error instanceof YamuxError, inspect(error));
          assert.equal(error.code, ErrorCode.Protocol);
          assert.match(error.message, /invalid (protocol version|message type)/);
        }
        assert.ok(parsed.payload + parsed.headers.length * HEADER_SIZE <= bytes.length);
      }),
      { numRuns: 2000 },
    );
  });
});

/** A connection whose input we script and whose output we count. */
function scriptedConn(): { conn: Duplex; written: () => number } {
  let written = 0;
  const conn = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      written += chunk.length;
      cb();
    },
  });
  return { conn, written: () => written };
}

/** Runs a session (either role) over scripted input; resolves once it settled. Never rejects. */
async function feed(role: 'client' | 'server', chunks: readonly Uint8Array[]): Promise<{ session: Session; errors: Error[] }> {
  const { conn } = scriptedConn();
  const session = new Session(conn, role, { keepAlive: false });
  const errors: Error[] = [];
  session.on('close', (e: Error) => errors.push(e));
  // Accept and drain every stream, as production users do.
  void (async () => {
    for (;;) {
      const st = await session.accept();
      st.on('error', () => {});
      st.resume();
    }
  })().catch(() => {});
  const opened = session.open();
  opened.on('error', () => {});
  opened.resume();
  opened.write(Buffer.alloc(1000));
  for (const chunk of chunks) {
    conn.push(Buffer.from(chunk));
    await new Promise((r) => setImmediate(r));
  }
  session.close();
  return { session, errors };
}

/** Valid-looking frames, to be mutated. */
const plausibleFrame = fc.oneof(
  fc.record({ type: fc.constant(FrameType.WindowUpdate), flags: fc.constantFrom(Flag.SYN, Flag.ACK, Flag.FIN, Flag.RST, 0), id: fc.integer({ min: 0, max: 8 }), length: fc.nat({ max: 300_000 }), payload: fc.constant(new Uint8Array()) }),
  fc.record({ type: fc.constant(FrameType.Data), flags: fc.constantFrom(0, Flag.SYN, Flag.FIN), id: fc.integer({ min: 1, max: 8 }), length: fc.constant(0), payload: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ type: fc.constant(FrameType.Ping), flags: fc.constantFrom(Flag.SYN, Flag.ACK), id: fc.constant(0), length: fc.nat(), payload: fc.constant(new Uint8Array()) }),
  fc.record({ type: fc.constant(FrameType.GoAway), flags: fc.constant(0), id: fc.constant(0), length: fc.integer({ min: 0, max: 3 }), payload: fc.constant(new Uint8Array()) }),
);

describe('Session under hostile input', () => {
  it('random bytes: never crashes; ends open or closed with a clear YamuxError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<'client' | 'server'>('client', 'server'), fc.array(fc.uint8Array({ maxLength: 512 }), { maxLength: 8 }), async (role, chunks) => {
        const { errors } = await feed(role, chunks);
        assert.equal(errors.length, 1);
        assert.ok(errors[0] instanceof YamuxError, String(errors[0]));
      }),
      { numRuns: 300 },
    );
  });

  it('mutated valid frame sequences: never crashes; closes with a clear YamuxError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<'client' | 'server'>('client', 'server'),
        fc.array(plausibleFrame, { maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (role, frames, mutations, cuts) => {
          const bytes = encode(frames);
          for (const [at, value] of mutations) if (bytes.length > 0) bytes[at % bytes.length] = value;
          const { errors } = await feed(role, split(bytes, cuts));
          assert.equal(errors.length, 1);
          assert.ok(errors[0] instanceof YamuxError, String(errors[0]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a huge DATA length for an unknown stream allocates nothing; the session stays up', async () => {
    const { conn, written } = scriptedConn();
    const session = new Session(conn, 'server', { keepAlive: false });
    const before = process.memoryUsage().arrayBuffers;
    conn.push(encodeHeader(FrameType.Data, 0, 99, 0xffffffff));
    conn.push(Buffer.alloc(1000));
    await new Promise((r) => setImmediate(r));
    assert.equal(session.isClosed, false);
    assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024);
    assert.equal(written(), 0, 'nothing to answer: no GO_AWAY, no RST');
    session.close();
  });
});
