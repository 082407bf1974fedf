/**
 * Builds a test-only Go program (its own module, beside the TS it tests) into .cache/go/, keyed
 * by a hash of its sources and the Go version, so repeated test runs do not rebuild.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '../../../../..');

export function buildGoProgram(dir: string, name: string): string {
  const hash = createHash('sha256');
  hash.update(goVersion());
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum').sort()) {
    hash.update(file).update(readFileSync(join(dir, file)));
  }
  const outDir = join(repo, '.cache', 'go');
  const out = join(outDir, `${name}-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(out)) return out;
  mkdirSync(outDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  execFileSync('go', ['build', '-o', tmp, '.'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
  renameSync(tmp, out);
  // Builds of older sources are never used again.
  for (const old of readdirSync(outDir)) {
    if (old.startsWith(`${name}-`) && join(outDir, old) !== out && !old.endsWith('.tmp')) rmSync(join(outDir, old), { force: true });
  }
  return out;
}

/** `go version`; a missing toolchain fails the caller (never a skip) with a message that says so. */
function goVersion(): string {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8' });
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no `go` on PATH' : String(err);
    throw new Error(`the Go toolchain is needed to build the test-only Go programs (${why}); .ci/run adds /usr/local/go/bin to PATH`);
  }
}
