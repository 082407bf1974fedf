/**
 * For real-server benchmarks: starts the e2e rig (PostgreSQL + Mattermost with the plugin installed
 * from INFRA_OPS_E2E_BUNDLE or the newest dist/infra-ops-*.tar.gz), hands a connected rig to `run`,
 * and stops everything afterwards, whatever happened.
 */
import { connectRig, type Rig } from '../e2e/rig';
import { findBundle } from '../e2e/rig/bundle';
import { startEnvironment } from '../e2e/rig/environment';
import type { BenchResult } from './result';

export async function onRealServer(run: (rig: Rig) => Promise<BenchResult[]>): Promise<BenchResult[]> {
  const bundlePath = process.env.INFRA_OPS_E2E_BUNDLE ?? findBundle();
  if (!bundlePath) throw new Error('no plugin bundle: run `npm run dist` (or set INFRA_OPS_E2E_BUNDLE)');
  // The plugin answers a request that asks with its round trips (shared/call_count.ts); the
  // server passes its environment on to the plugin processes.
  process.env['INFRA_OPS_COUNT_CALLS'] = '1';
  const env = await startEnvironment({ bundlePath });
  try {
    return await run(connectRig(env.state));
  } finally {
    await env.stop();
  }
}
