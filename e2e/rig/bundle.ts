import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './exec';
import { REPO_ROOT } from './paths';

let scratch: string | undefined;

/** A fresh directory for derived bundles, removed when the process exits. */
function scratchDir(name: string): string {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), 'infra-ops-bundles-'));
    scratch = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return mkdtempSync(join(scratch, `${name}-`));
}

export interface BundleManifest {
  id: string;
  version: string;
  [key: string]: unknown;
}

/** The newest `dist/infra-ops-*.tar.gz` that `npm run dist` wrote, or undefined. */
export function findBundle(distDir = join(REPO_ROOT, 'dist')): string | undefined {
  let names: string[];
  try {
    names = readdirSync(distDir);
  } catch {
    return undefined;
  }
  return names
    .filter((n) => /^infra-ops-.*\.tar\.gz$/.test(n))
    .map((n) => join(distDir, n))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** Reads `<id>/plugin.json` from a bundle without unpacking the rest. */
export async function readManifest(bundlePath: string): Promise<BundleManifest> {
  const { stdout: listing } = await run('tar', ['-tzf', bundlePath]);
  const entry = listing.split('\n').find((line) => /^(?:\.\/)?[^/]+\/plugin\.json$/.test(line.trim()));
  if (!entry) throw new Error(`${bundlePath} has no <id>/plugin.json`);
  const { stdout } = await run('tar', ['-xzOf', bundlePath, entry.trim()]);
  const manifest = JSON.parse(stdout) as BundleManifest;
  if (typeof manifest.id !== 'string' || typeof manifest.version !== 'string') {
    throw new Error(`${bundlePath}: plugin.json lacks id or version`);
  }
  return manifest;
}

/**
 * A copy of the bundle with another `version` in plugin.json, as a release would ship: unpacked
 * and packed again with tar (modes kept) in a temp dir. Returns the new bundle's path.
 */
export async function repackWithVersion(bundlePath: string, version: string): Promise<string> {
  const work = scratchDir('repack');
  const tree = join(work, 'tree');
  mkdirSync(tree);
  await run('tar', ['-xzpf', bundlePath, '-C', tree]);
  const [top] = readdirSync(tree);
  if (!top) throw new Error(`${bundlePath} is empty`);
  const manifestPath = join(tree, top, 'plugin.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BundleManifest;
  manifest.version = version;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const out = join(work, `${manifest.id}-${version}.tar.gz`);
  await run('tar', ['-czf', out, '-C', tree, top]);
  return out;
}

/** The first `fraction` of the bundle's bytes: what an interrupted download leaves behind. */
export function truncatedCopy(bundlePath: string, fraction = 0.5): string {
  const bytes = readFileSync(bundlePath);
  const out = join(scratchDir('bad'), 'truncated.tar.gz');
  writeFileSync(out, bytes.subarray(0, Math.max(1, Math.floor(bytes.length * fraction))));
  return out;
}

/** The bundle with bytes in the middle of the compressed stream overwritten. */
export function corruptedCopy(bundlePath: string): string {
  const bytes = Buffer.from(readFileSync(bundlePath));
  const start = Math.floor(bytes.length / 3);
  for (let i = start; i < Math.min(bytes.length, start + 4096); i++) bytes[i] = (bytes[i]! * 31 + 7) & 0xff;
  const out = join(scratchDir('bad'), 'corrupt.tar.gz');
  writeFileSync(out, bytes);
  return out;
}

/** A file that is not a gzip at all, named like a bundle. */
export function notABundle(): string {
  const out = join(scratchDir('bad'), 'not-a-bundle.tar.gz');
  writeFileSync(out, 'this is not a plugin bundle\n');
  return out;
}
