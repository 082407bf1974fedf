/**
 * In-process figures for the incidents store (issue 5): with 2,000 incidents stored, one page of
 * the list (p95 ms, target ≤ 20) and the KV calls it costs (target O(page), independent of the
 * number stored). Incidents are declared and resolved through the real HTTP API on the in-memory
 * plugin API, so the data has the real layout.
 */
import { percentile, type BenchResult } from '../../../../bench/result';
import { MemoryWorld } from '../../plugin/testing/memory_api';
import { ProductHarness } from '../testing/product_harness';
import { IncidentQueries } from './queries';
import { parseSettings } from './settings';
import { IncidentStore } from './store';

const STORED = 2000;
const ACTIVE_EVERY = 20;
const RUNS = 200;

export default async function bench(): Promise<BenchResult[]> {
  const world = new MemoryWorld();
  const team = world.addTeam('ops');
  const alice = world.addUser('alice');
  const viewer = world.addUser('viewer');
  for (const u of [alice, viewer]) world.addTeamMember(team.Id, u.Id);
  // No reminder jobs: the scheduler's own index is not what this bench measures.
  world.pluginConfig = Object.fromEntries([1, 2, 3, 4].map((s) => [`IncidentUpdateIntervalSev${s}`, 0]));
  const h = await new ProductHarness(world).activate();

  const seedStart = performance.now();
  let before: number | null = null;
  for (let n = 1; n <= STORED; n++) {
    const res = await h.http('POST', `/api/v1/teams/${team.Id}/incidents`, alice, {
      title: `Incident number ${n}`,
      severity: (n % 4) + 1,
      private: n % 7 === 0,
    });
    if (res.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(res.body)}`);
    const number = (res.body as { incident: { number: number } }).incident.number;
    if (n % ACTIVE_EVERY !== 0) await h.http('POST', `/api/v1/teams/${team.Id}/incidents/${number}/resolve`, alice, { summary: 'ok' });
    if (n === STORED / 2) before = n - 1;
  }
  const seedMs = performance.now() - seedStart;

  const sample = async (run: () => Promise<void>) => {
    const samples: number[] = [];
    const calls: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const kvBefore = h.api.kvCalls;
      const start = performance.now();
      await run();
      samples.push(performance.now() - start);
      calls.push(h.api.kvCalls - kvBefore);
    }
    return { samples, calls };
  };
  const measure = async (name: string, path: string, user = viewer): Promise<BenchResult[]> => {
    const { samples, calls } = await sample(async () => {
      const res = await h.http('GET', path, user);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    });
    return [
      { name: `incidents ${name} p50 (${STORED} stored)`, value: percentile(samples, 50), unit: 'ms' },
      { name: `incidents ${name} p95 (${STORED} stored)`, value: percentile(samples, 95), unit: 'ms' },
      { name: `incidents ${name} KV calls`, value: Math.max(...calls), unit: 'calls' },
    ];
  };

  // The same page without HTTP: the store and permission checks alone.
  const queries = new IncidentQueries(h.ctx, new IncidentStore(h.ctx.kv), () => parseSettings(h.ctx.settings()));
  const direct = await sample(async () => {
    const page = await queries.list({ userId: viewer.Id, access: h.ctx.access() }, { teamId: team.Id, state: 'all', severity: null, commanderId: null, before: null, perPage: 20 });
    if (page.items.length !== 20) throw new Error(`expected a full page, got ${page.items.length}`);
  });

  // A status update with the work it leaves for after its answer (the index, the team's sets, the
  // metrics row, the owed ledger, the runbook's run): every byte of it re-encoded per write.
  const active = Array.from({ length: STORED / ACTIVE_EVERY }, (_, k) => (k + 1) * ACTIVE_EVERY);
  const bytes: number[] = [];
  let update = 0;
  const status = await sample(async () => {
    const number = active[(update++ * 7) % active.length]!;
    // A minute between updates, as on a real server: an incident's second update is newer than
    // its first, so its runbook's run follows it too (on a still clock it would not).
    h.clock += 60_000;
    const bytesBefore = h.api.kvBytes;
    const res = await h.http('POST', `/api/v1/teams/${team.Id}/incidents/${number}/status`, alice, { text: `status ${update}` });
    if (res.status !== 200) throw new Error(`status: ${res.status} ${JSON.stringify(res.body)}`);
    bytes.push(h.api.kvBytes - bytesBefore);
  });

  const base = `/api/v1/teams/${team.Id}/incidents?per_page=20`;
  const results: BenchResult[] = [
    { name: `incidents list page of 20 in process (no HTTP) p50 (${STORED} stored)`, value: percentile(direct.samples, 50), unit: 'ms' },
    { name: `incidents list page of 20 in process (no HTTP) p95 (${STORED} stored)`, value: percentile(direct.samples, 95), unit: 'ms' },
    { name: 'incidents list page of 20 in process KV calls', value: Math.max(...direct.calls), unit: 'calls' },
    ...(await measure('list page of 20, newest, via HTTP', base)),
    ...(await measure('list page of 20, middle (cursor), via HTTP', `${base}&cursor=${before}`)),
    ...(await measure('list active (100 of 2000) via HTTP', `${base}&state=active`)),
    ...(await measure('list resolved SEV1 via HTTP', `${base}&state=resolved&severity=1`)),
    ...(await measure('metrics (all 2000, one summary read)', `/api/v1/teams/${team.Id}/incidents/metrics?days=3650`)),
    { name: `incidents status update with its after-answer work, in process p50 (${STORED} stored, ${active.length} active)`, value: percentile(status.samples, 50), unit: 'ms' },
    { name: `incidents status update with its after-answer work, in process p95 (${STORED} stored, ${active.length} active)`, value: percentile(status.samples, 95), unit: 'ms' },
    { name: 'incidents status update with its after-answer work, KV calls', value: percentile(status.calls, 50), unit: 'calls' },
    { name: 'incidents status update with its after-answer work, KV bytes read and written', value: percentile(bytes, 50) / 1024, unit: 'KiB' },
    { name: `incidents seeding: declare+resolve ${STORED} (in-memory)`, value: seedMs, unit: 'ms' },
  ];
  h.close();
  return results;
}
