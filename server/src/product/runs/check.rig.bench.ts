/**
 * Issue 10's real-server figure: checking a run's item (`POST …/runs/:number/items/:ref`, one
 * compare-and-set on the run, its card refreshed, the channel told) p50/p95 over 100, side by side
 * with Mattermost's own `POST /api/v4/posts` in the same channel in the same run (interleaved, so
 * drift on a shared machine hits both alike). Target: p95 ≤ 1.5x. Also the run's page
 * (`GET …/runs/:number`, what the sidebar reads) against Mattermost's posts page.
 * Uses INFRA_OPS_E2E_BUNDLE or the newest dist/infra-ops-*.tar.gz (`npm run dist`; bench/real_server.ts).
 */
import { onRealServer } from '../../../../bench/real_server';
import { percentile, type BenchResult } from '../../../../bench/result';

const RUNS = 100;
const WARMUP = 5;

export default async function bench(): Promise<BenchResult[]> {
  return onRealServer(async (rig) => {
    const [alice] = rig.users;
    if (!alice) throw new Error('the rig has no users');
    await rig.admin.client.addToChannel(alice.id, rig.channelId).catch(() => undefined);
    const started = (await rig.runCommand(alice, rig.channelId, '/release start bench')).text ?? '';
    const m = /Started RUN-(\d+) “bench” in ~(\S+)/.exec(started);
    if (!m) throw new Error(`could not start a release: ${started}`);
    const number = Number(m[1]);
    const channel = await rig.admin.client.getChannelByName(rig.team.id, m[2]!, false);
    const runPath = `/api/v1/teams/${rig.team.id}/runs/${number}`;
    const timed = async (call: () => Promise<Response>, expect: number): Promise<number> => {
      const start = performance.now();
      const res = await call();
      await res.arrayBuffer();
      if (res.status !== expect) throw new Error(`answered ${res.status}`);
      return performance.now() - start;
    };
    const check = (action: 'check' | 'uncheck') => () =>
      rig.pluginFetch(alice, `${runPath}/items/1.1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action }) });

    const checks: number[] = [];
    const posts: number[] = [];
    const pages: number[] = [];
    const postPages: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const checked = await timed(check(i % 2 === 0 ? 'check' : 'uncheck'), 200);
      let start = performance.now();
      await alice.client.createPost({ channel_id: channel.id, message: `bench post ${i}` });
      const post = performance.now() - start;
      const page = await timed(() => rig.pluginFetch(alice, runPath), 200);
      start = performance.now();
      await alice.client.getPosts(channel.id, 0, 20);
      const postPage = performance.now() - start;
      if (i >= WARMUP) {
        checks.push(checked);
        posts.push(post);
        pages.push(page);
        postPages.push(postPage);
      }
    }
    return [
      { name: 'runs check an item, real server p50 (vs POST /api/v4/posts)', value: percentile(checks, 50), unit: 'ms', baseline: percentile(posts, 50) },
      { name: 'runs check an item, real server p95 (vs POST /api/v4/posts)', value: percentile(checks, 95), unit: 'ms', baseline: percentile(posts, 95) },
      { name: "runs a run's page (GET …/runs/:number), real server p50 (vs GET /api/v4/channels/:id/posts?per_page=20)", value: percentile(pages, 50), unit: 'ms', baseline: percentile(postPages, 50) },
      { name: "runs a run's page (GET …/runs/:number), real server p95 (vs GET /api/v4/channels/:id/posts?per_page=20)", value: percentile(pages, 95), unit: 'ms', baseline: percentile(postPages, 95) },
    ];
  });
}
