/**
 * Issue 12's writes on the real server at 1x (100 ideas, 20 incidents, 5 RFCs, 1 guild, 2 runs,
 * seeded through the API): scoring an idea again, an idea's first score from the viewer, an
 * incident's status update and checking a run's item, each p50/p95 side by side with Mattermost's
 * own `POST /api/v4/posts` in the same channel, interleaved call by call (write, post, next write,
 * post…) so drift on a shared machine hits every series alike. Target: p95 ≤ 1.5x the post's.
 * KV round trips per write are the plugin's own count (X-Infra-Ops-KV-Calls; work that follows
 * the answer is not in it). Uses INFRA_OPS_E2E_BUNDLE or the newest dist/infra-ops-*.tar.gz.
 */
import { onRealServer } from '../real_server';
import { percentile, type BenchResult } from '../result';
import { Http, type Timed } from './http';
import { FULL, scaled, Seeder } from './seed';

const SAMPLES = Number(process.env.INFRA_OPS_BENCH_WRITES ?? '100');
const WARMUP = 5;

interface Write {
  name: string;
  call: (i: number) => Promise<Timed>;
  ours: number[];
  base: number[];
  kv: number[];
}

export default async function bench(): Promise<BenchResult[]> {
  return onRealServer(async (rig) => {
    const [alice, bob] = rig.users;
    if (!alice || !bob) throw new Error('the rig needs two users');
    const http = new Http(rig);
    const seeder = new Seeder(rig, alice, bob);
    await seeder.prepare();
    await seeder.to(scaled(FULL, 0.01), (line) => process.stderr.write(`writes: ${line}\n`));
    const team = `/teams/${rig.team.id}`;
    const channel = seeder.ideaChannels[0]!;
    // Ideas nobody has scored (seed.ts: i % 4 is 2 or 3): the first keeps being rescored by alice
    // (bob never scores it, so it stays unrevealed); the rest each get alice's first score once.
    const unscored = seeder.ideaNumbers.filter((_, i) => i % 4 >= 2);
    const rescored = unscored[0]!;
    const fresh = unscored.slice(1);
    const series = (name: string, call: (i: number) => Promise<Timed>): Write => ({ name, call, ours: [], base: [], kv: [] });
    const writes: Write[] = [
      series('score an idea again (POST …/ideas/:n/score)', (i) => http.plugin(alice, 'POST', `${team}/ideas/${rescored}/score`, { payoff: 1 + (i % 10), cost: 10 - (i % 10) })),
      series("an idea's first score from the caller (POST …/ideas/:n/score)", (i) => http.plugin(alice, 'POST', `${team}/ideas/${fresh[i % fresh.length]}/score`, { payoff: 3, cost: 4 })),
      series('post a status update (POST …/incidents/:n/status)', (i) => http.plugin(alice, 'POST', `${team}/incidents/${seeder.incidentNumbers[0]}/status`, { text: `Still working on it (${i})` })),
      series('check an item (POST …/runs/:n/items/1.1)', (i) => http.plugin(alice, 'POST', `${team}/runs/${seeder.runNumbers[0]}/items/1.1`, { action: i % 2 === 0 ? 'check' : 'uncheck' })),
    ];
    // A first score happens once per idea: that series has as many samples as fresh ideas.
    const rounds = (w: Write): number => (w.name.includes('first score') ? Math.min(SAMPLES, fresh.length - WARMUP) : SAMPLES);
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      for (const w of writes) {
        if (i >= WARMUP + rounds(w)) continue;
        const ours = await w.call(i);
        if (ours.status !== 200) throw new Error(`${w.name} answered ${ours.status}: ${ours.body.slice(0, 300)}`);
        const base = await http.mattermost(alice, 'POST', '/posts', { channel_id: channel, message: `bench post ${i}` });
        if (base.status !== 201) throw new Error(`POST /api/v4/posts answered ${base.status}: ${base.body.slice(0, 300)}`);
        if (i < WARMUP) continue;
        w.ours.push(ours.ms);
        w.base.push(base.ms);
        if (ours.kvCalls !== null) w.kv.push(ours.kvCalls);
      }
    }
    return writes.flatMap((w): BenchResult[] => {
      const name = `writes 1x, real server: ${w.name}`;
      return [
        { name: `${name} p50 (vs POST /api/v4/posts)`, value: percentile(w.ours, 50), unit: 'ms', baseline: percentile(w.base, 50) },
        { name: `${name} p95 (vs POST /api/v4/posts)`, value: percentile(w.ours, 95), unit: 'ms', baseline: percentile(w.base, 95) },
        // Typical and most: a compare-and-set that meets another write (e.g. an earlier update's
        // follow-up flushing the timeline into the record) reads afresh and tries again.
        ...(w.kv.length > 0
          ? [
              { name: `${name} KV round trips per request (median)`, value: percentile(w.kv, 50), unit: 'calls' },
              { name: `${name} KV round trips per request (most)`, value: Math.max(...w.kv), unit: 'calls' },
            ]
          : []),
      ];
    });
  });
}
