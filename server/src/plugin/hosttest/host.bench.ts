/**
 * Plugin-layer figures under Mattermost's own plugin host (server/public v0.4.4), in one run:
 * ExecuteCommand round trip and ServeHTTP GET (1 KiB JSON) latency and requests/s for our Node
 * plugin (the probe bundle: same layer and packaging as Infra Ops) against a minimal Go plugin
 * doing the same work (the baseline); exec → activated; idle RSS; the dist bundle's size.
 */
import { existsSync, statSync } from 'node:fs';
import type { BenchResult } from '../../../../bench/result';
import { buildBaselineBundle, buildHost, buildProbeBundle, distBundle, Host, SERVER_PUBLIC_VERSIONS } from './harness';

const LATENCY_CALLS = 3000;
const THROUGHPUT_CALLS = 6000;
const CONCURRENCY = 16;
const ACTIVATIONS = 5;

interface Figures {
  activateMs: number;
  rssMiB: number;
  exec: { p50: number; p99: number; perSecond: number };
  http: { p50: number; p99: number; perSecond: number };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function measure(binary: string, bundle: string): Promise<Figures> {
  const host = new Host(binary);
  try {
    await host.install(bundle);
    const activations: number[] = [];
    for (let i = 0; i < ACTIVATIONS; i++) {
      activations.push((await host.activate()).execToActivatedMs);
      if (i < ACTIVATIONS - 1) await host.send({ op: 'deactivate' });
    }
    await sleep(2000);
    const rssMiB = Number((await host.send({ op: 'rss' }))['kb']) / 1024;
    const run = async (kind: 'exec' | 'http') => {
      const common = { op: 'bench', kind, command: '/probe ping', path: '/bench' };
      await host.send({ ...common, n: 300, concurrency: 1 });
      const latency = await host.send({ ...common, n: LATENCY_CALLS, concurrency: 1 });
      const throughput = await host.send({ ...common, n: THROUGHPUT_CALLS, concurrency: CONCURRENCY });
      return { p50: Number(latency['p50']), p99: Number(latency['p99']), perSecond: Number(throughput['perSecond']) };
    };
    const exec = await run('exec');
    const http = await run('http');
    await host.send({ op: 'deactivate' });
    return { activateMs: median(activations), rssMiB, exec, http };
  } finally {
    await host.close();
  }
}

export default async function bench(): Promise<BenchResult[]> {
  const pinned = SERVER_PUBLIC_VERSIONS.find((v) => v.version === 'v0.4.4')!;
  const binary = buildHost(pinned);
  const node = await measure(binary, await buildProbeBundle());
  const go = await measure(binary, await buildBaselineBundle(pinned));
  const results: BenchResult[] = [
    { name: 'plugin: ExecuteCommand round trip p50', value: node.exec.p50, unit: 'ms', baseline: go.exec.p50 },
    { name: 'plugin: ExecuteCommand round trip p99', value: node.exec.p99, unit: 'ms', baseline: go.exec.p99 },
    { name: `plugin: ExecuteCommand req/s (${CONCURRENCY} concurrent)`, value: node.exec.perSecond, unit: 'req/s', baseline: go.exec.perSecond },
    { name: 'plugin: ServeHTTP GET 1 KiB JSON p50', value: node.http.p50, unit: 'ms', baseline: go.http.p50 },
    { name: 'plugin: ServeHTTP GET 1 KiB JSON p99', value: node.http.p99, unit: 'ms', baseline: go.http.p99 },
    { name: `plugin: ServeHTTP GET 1 KiB JSON req/s (${CONCURRENCY} concurrent)`, value: node.http.perSecond, unit: 'req/s', baseline: go.http.perSecond },
    { name: 'plugin: exec → activated (probe, median of 5)', value: node.activateMs, unit: 'ms', baseline: go.activateMs },
    { name: 'plugin: idle RSS (probe)', value: node.rssMiB, unit: 'MiB', baseline: go.rssMiB },
  ];
  let bundle: string | undefined;
  try {
    bundle = distBundle();
  } catch {
    console.error('# dist bundle missing (run `npm run dist`): product figures skipped');
  }
  if (bundle && existsSync(bundle)) {
    const product = await measureProduct(binary, bundle);
    results.push(
      { name: 'plugin: exec → activated (Infra Ops, median of 5)', value: product.activateMs, unit: 'ms' },
      { name: 'plugin: Activate incl. host checksums + webapp unpack (Infra Ops)', value: product.totalMs, unit: 'ms' },
      { name: 'plugin: idle RSS (Infra Ops)', value: product.rssMiB, unit: 'MiB' },
      { name: 'plugin: bundle size (dist tar.gz)', value: statSync(bundle).size / 1024 / 1024, unit: 'MiB' },
    );
  }
  return results;
}

async function measureProduct(binary: string, bundle: string): Promise<{ activateMs: number; totalMs: number; rssMiB: number }> {
  const host = new Host(binary);
  try {
    await host.install(bundle);
    const activations: number[] = [];
    const totals: number[] = [];
    for (let i = 0; i < ACTIVATIONS; i++) {
      const activated = await host.activate();
      activations.push(activated.execToActivatedMs);
      totals.push(activated.totalMs);
      if (i < ACTIVATIONS - 1) await host.send({ op: 'deactivate' });
    }
    await sleep(2000);
    const rssMiB = Number((await host.send({ op: 'rss' }))['kb']) / 1024;
    await host.send({ op: 'deactivate' });
    return { activateMs: median(activations), totalMs: median(totals), rssMiB };
  } finally {
    await host.close();
  }
}
