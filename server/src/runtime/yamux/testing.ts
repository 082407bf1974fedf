/** Test helpers shared by the yamux tests and benchmarks (not used by production code). */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** A connected pair of unix-socket ends. */
export async function socketPair(): Promise<{ a: Socket; b: Socket; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'yamux-'));
  const path = join(dir, 'sock');
  const server = createServer();
  server.listen(path);
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const a = connect(path);
  await once(a, 'connect');
  const [b] = await accepted;
  server.close();
  return {
    a,
    b,
    cleanup() {
      a.destroy();
      b.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Reads a stream to its end without destroying it (a `for await` loop would destroy a Duplex whose
 * write side is still open, which for a yamux stream means RST).
 */
export function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
    stream.resume();
  });
}

/** Deterministic pseudo-random bytes (xorshift), so both sides can produce and check content. */
export function pattern(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
