/** Test helpers shared by the yamux tests and benchmarks (not used by production code). */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/**
 * Builds the Go program in `moduleDir` (its own go.mod) into `<repo>/.cache/go-bin/<name>` and
 * returns the path. `go build` keeps its own cache, so repeated calls are cheap.
 */
export function buildGo(moduleDir: string, name: string): string {
  let repo = moduleDir;
  while (!existsSync(join(repo, 'package.json'))) {
    const up = dirname(repo);
    if (up === repo) throw new Error(`no package.json above ${moduleDir}`);
    repo = up;
  }
  const out = join(repo, '.cache', 'go-bin', name);
  execFileSync('go', ['build', '-o', out, '.'], { cwd: moduleDir, stdio: ['ignore', 'inherit', 'inherit'] });
  return out;
}
