/**
 * Plugin-layer figures under Mattermost's own plugin host (server/public v0.4.4), in one run:
 * ExecuteCommand round trip and ServeHTTP GET (1 KiB JSON) latency and requests/s for our Node
 * plugin (the probe bundle: same layer and packaging as Infra Ops) against a minimal Go plugin
 * doing the same work (the baseline), and against the same probe built without the V8 flags the
 * product carries (SEA_EXEC_ARGV); the probe's exec → activated and idle RSS. The product's own
 * start-up, memory and bundle figures: ./process.bench.ts.
 */
import type { BenchResult } from '../../../../bench/result';
import { buildBaselineBundle, buildHost, buildProbeBundle, Host, SERVER_PUBLIC_VERSIONS } from './harness';

const LATENCY_CALLS = 2000;
const THROUGHPUT_CALLS = 4000;
const CONCURRENCY = 16;
const ACTIVATIONS = 5;
/** Rounds alternate Node and Go so that load from elsewhere on the machine hits both alike. */
const ROUNDS = 5;

interface Load { p50: number; p99: number; perSecond: number }
interface Figures { activateMs: number; rssMiB: number; exec: Load; http: Load }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Installs `bundle`, measures exec → activated over repeated activations, leaves it active and idle-measured. */
async function start(binary: string, bundle: string): Promise<{ host: Host; activateMs: number; rssMiB: number }> {
  const host = new Host(binary);
  await host.install(bundle);
  const activations: number[] = [];
  for (let i = 0; i < ACTIVATIONS; i++) {
    activations.push((await host.activate()).execToActivatedMs);
    if (i < ACTIVATIONS - 1) await host.send({ op: 'deactivate' });
  }
  await sleep(2000);
  const rssMiB = Number((await host.send({ op: 'rss' }))['kb']) / 1024;
  return { host, activateMs: median(activations), rssMiB };
}

async function load(host: Host, kind: 'exec' | 'http'): Promise<Load> {
  const common = { op: 'bench', kind, command: '/probe ping', path: '/bench' };
  const latency = await host.send({ ...common, n: LATENCY_CALLS, concurrency: 1 });
  const throughput = await host.send({ ...common, n: THROUGHPUT_CALLS, concurrency: CONCURRENCY });
  return { p50: Number(latency['p50']), p99: Number(latency['p99']), perSecond: Number(throughput['perSecond']) };
}

const medianLoad = (xs: Load[]): Load => ({
  p50: median(xs.map((x) => x.p50)),
  p99: median(xs.map((x) => x.p99)),
  perSecond: median(xs.map((x) => x.perSecond)),
});

/** Rounds rotate over the sides (first warmed), each side's figures the median over rounds. */
async function compare(binary: string, bundles: string[]): Promise<Figures[]> {
  const sides: Array<{ host: Host; activateMs: number; rssMiB: number }> = [];
  try {
    for (const bundle of bundles) sides.push(await start(binary, bundle));
    const samples = sides.map(() => ({ exec: [] as Load[], http: [] as Load[] }));
    for (const side of sides) {
      await side.host.send({ op: 'bench', kind: 'exec', command: '/probe ping', n: 300, concurrency: 1 });
      await side.host.send({ op: 'bench', kind: 'http', path: '/bench', n: 300, concurrency: 1 });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['exec', 'http'] as const) {
        for (const [i, side] of sides.entries()) samples[i]![kind].push(await load(side.host, kind));
      }
    }
    return sides.map((side, i) => ({
      activateMs: side.activateMs, rssMiB: side.rssMiB, exec: medianLoad(samples[i]!.exec), http: medianLoad(samples[i]!.http),
    }));
  } finally {
    for (const side of sides) await side.host.close();
  }
}

export default async function bench(): Promise<BenchResult[]> {
  const pinned = SERVER_PUBLIC_VERSIONS.find((v) => v.version === 'v0.4.4')!;
  const binary = buildHost(pinned);
  const [node, before, go] = await compare(binary, [await buildProbeBundle(), await buildProbeBundle([]), await buildBaselineBundle(pinned)]);
  if (!node || !before || !go) throw new Error('compare lost a side');
  return [
    { name: `plugin: ExecuteCommand round trip p50 (median of ${ROUNDS} rounds)`, value: node.exec.p50, unit: 'ms', baseline: go.exec.p50 },
    { name: 'plugin: ExecuteCommand round trip p99', value: node.exec.p99, unit: 'ms', baseline: go.exec.p99 },
    { name: `plugin: ExecuteCommand req/s (${CONCURRENCY} concurrent)`, value: node.exec.perSecond, unit: 'req/s', baseline: go.exec.perSecond },
    { name: 'plugin: ServeHTTP GET 1 KiB JSON p50', value: node.http.p50, unit: 'ms', baseline: go.http.p50 },
    { name: 'plugin: ServeHTTP GET 1 KiB JSON p99', value: node.http.p99, unit: 'ms', baseline: go.http.p99 },
    { name: `plugin: ServeHTTP GET 1 KiB JSON req/s (${CONCURRENCY} concurrent)`, value: node.http.perSecond, unit: 'req/s', baseline: go.http.perSecond },
    { name: 'plugin: exec → activated (probe, median of 5)', value: node.activateMs, unit: 'ms', baseline: go.activateMs },
    { name: 'plugin: idle RSS (probe)', value: node.rssMiB, unit: 'MiB', baseline: go.rssMiB },
    // The same probe built without the V8 flags (SEA_EXEC_ARGV): what the flags cost in latency.
    { name: 'plugin: ExecuteCommand round trip p50, V8 flags vs none', value: node.exec.p50, unit: 'ms', baseline: before.exec.p50 },
    { name: 'plugin: ExecuteCommand round trip p99, V8 flags vs none', value: node.exec.p99, unit: 'ms', baseline: before.exec.p99 },
    { name: `plugin: ExecuteCommand req/s (${CONCURRENCY} concurrent), V8 flags vs none`, value: node.exec.perSecond, unit: 'req/s', baseline: before.exec.perSecond },
    { name: 'plugin: ServeHTTP GET 1 KiB JSON p50, V8 flags vs none', value: node.http.p50, unit: 'ms', baseline: before.http.p50 },
    { name: 'plugin: ServeHTTP GET 1 KiB JSON p99, V8 flags vs none', value: node.http.p99, unit: 'ms', baseline: before.http.p99 },
    { name: `plugin: ServeHTTP GET 1 KiB JSON req/s (${CONCURRENCY} concurrent), V8 flags vs none`, value: node.http.perSecond, unit: 'req/s', baseline: before.http.perSecond },
    { name: 'plugin: idle RSS (probe), V8 flags vs none', value: node.rssMiB, unit: 'MiB', baseline: before.rssMiB },
  ];
}
