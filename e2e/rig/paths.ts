import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (this file sits at e2e/rig/paths.ts). */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/** The wrapper Go module that builds Mattermost's server (e2e/mmserver). */
export const MMSERVER_MODULE = join(REPO_ROOT, 'e2e', 'mmserver');

/**
 * Where built servers are kept between runs. Outside the checkout on purpose: a fresh clone
 * on the same machine reuses the binary instead of paying the multi-minute build again.
 */
export function cacheRoot(): string {
  const override = process.env.INFRA_OPS_CACHE;
  if (override) return resolve(override);
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg ? resolve(xdg) : join(homedir(), '.cache'), 'infra-ops');
}
