/**
 * Test doubles for the ServeHTTP bridge: an in-memory duplex pair, the server side of the remote
 * io.Reader protocol (a port of io_rpc.go's serveIOReader) and a recording response writer.
 */
import { Duplex, PassThrough } from 'node:stream';
import { RpcServerError, type RpcCaller } from '../../runtime/rpc/types';

/** Two connected Duplex ends (what a yamux stream looks like to each side). */
export function duplexPair(): [Duplex, Duplex] {
  const aToB = new PassThrough();
  const bToA = new PassThrough();
  return [Duplex.from({ readable: bToA, writable: aToB }), Duplex.from({ readable: aToB, writable: bToA })];
}

/** Reads one Go varint from `buf` at `offset`; null when incomplete. */
function readVarint(buf: Buffer, offset: number): { value: number; next: number } | null {
  let u = 0n;
  let shift = 0n;
  for (let i = offset; i < buf.length; i++) {
    const b = buf[i]!;
    u |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      const v = u & 1n ? ~(u >> 1n) : u >> 1n;
      return { value: Number(v), next: i + 1 };
    }
    shift += 7n;
  }
  return null;
}

/**
 * Serves `source` on `conn` like Mattermost: for every asked count n, copy up to n bytes (in
 * chunks of at most `chunkSize`); fewer than n available → close. Returns the asks seen.
 */
export function serveIOReader(source: Buffer, conn: Duplex, chunkSize = 32 * 1024): number[] {
  const asks: number[] = [];
  let pending = Buffer.alloc(0);
  let offset = 0;
  conn.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const v = readVarint(pending, 0);
      if (!v) break;
      pending = pending.subarray(v.next);
      asks.push(v.value);
      const n = Math.min(v.value, source.length - offset);
      for (let sent = 0; sent < n; sent += chunkSize) {
        conn.write(source.subarray(offset + sent, offset + Math.min(n, sent + chunkSize)));
      }
      offset += n;
      if (n < v.value) {
        conn.end();
        return;
      }
    }
  });
  conn.on('end', () => conn.end());
  return asks;
}

export interface WriterCall { method: string; value: unknown }

/** A response-writer RPC peer that records calls; `delayMs` simulates the round trip. */
export function recordingWriter(options: { delayMs?: number; flush?: boolean; failOn?: string } = {}): { rpc: RpcCaller; calls: WriterCall[]; inFlight: () => number; maxInFlight: () => number } {
  const calls: WriterCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const rpc: RpcCaller = {
    async call(method, _type, value) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        else await Promise.resolve();
        if (method === 'Plugin.Flush' && options.flush === false) throw new RpcServerError("rpc: can't find method Plugin.Flush");
        if (method === options.failOn) throw new RpcServerError('write: broken pipe');
        calls.push({ method, value: value instanceof Uint8Array ? Buffer.from(value) : value });
        return {};
      } finally {
        inFlight--;
      }
    },
    close() {},
  };
  return { rpc, calls, inFlight: () => inFlight, maxInFlight: () => maxInFlight };
}
