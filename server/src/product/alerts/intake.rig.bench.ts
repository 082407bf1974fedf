/**
 * Issue 11's intake figures on the real server (Mattermost + PostgreSQL, the e2e rig): the answer
 * time of `POST /plugins/infra-ops/hooks/alertmanager/<source>` for a notification that adds one
 * alert to an open group (one group write) and for a retry (reads only), p50/p95 over 100 each,
 * side by side with Mattermost's own `POST /api/v4/posts` in the same run (interleaved, so drift on
 * a shared machine hits both alike); then the storm: 1,000 alerts of one group in 100 concurrent
 * notifications — how fast they are accepted, and how fast all of them reach the incident's timeline.
 * Uses INFRA_OPS_E2E_BUNDLE or the newest dist/infra-ops-*.tar.gz (`npm run dist`; bench/real_server.ts).
 */
import { onRealServer } from '../../../../bench/real_server';
import { percentile, type BenchResult } from '../../../../bench/result';
import { waitFor } from '../../../../e2e/rig';
import { alertmanagerBody } from './test_payloads';

const RUNS = 100;
const WARMUP = 5;

export default async function bench(): Promise<BenchResult[]> {
  return onRealServer(async (rig) => {
    const [alice] = rig.users;
    if (!alice) throw new Error('the rig has no users');
    const reply = (await rig.runCommand(rig.admin, rig.channelId, '/infra alerts add bench --type alertmanager')).text ?? '';
    const path = /\*\*URL\*\*: `[^`]*?(\/plugins\/[^`]+)`/.exec(reply)?.[1];
    const secret = /\*\*Secret\*\*: `([^`]+)`/.exec(reply)?.[1];
    if (!path || !secret) throw new Error(`could not add a source: ${reply}`);
    const send = async (body: unknown): Promise<number> => {
      const start = performance.now();
      const res = await fetch(`${rig.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Infra-Ops-Token': secret }, body: JSON.stringify(body) });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`intake answered ${res.status}`);
      return performance.now() - start;
    };
    await send(alertmanagerBody('bench-group', [{ fingerprint: 'first' }]));

    const adding: number[] = [];
    const retry: number[] = [];
    const posts: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const added = await send(alertmanagerBody('bench-group', [{ fingerprint: `f${i}` }]));
      const again = await send(alertmanagerBody('bench-group', [{ fingerprint: `f${i}` }]));
      const start = performance.now();
      await alice.client.createPost({ channel_id: rig.channelId, message: `bench post ${i}` });
      const post = performance.now() - start;
      if (i >= WARMUP) {
        adding.push(added);
        retry.push(again);
        posts.push(post);
      }
    }

    const started = performance.now();
    await Promise.all(Array.from({ length: 100 }, (_, n) => send(alertmanagerBody('bench-storm', Array.from({ length: 10 }, (_, k) => ({ fingerprint: `s${n * 10 + k}`, name: 'Storm' }))))));
    const acceptedMs = performance.now() - started;
    const list = async () => {
      const res = await rig.pluginFetch(rig.admin, `/api/v1/teams/${rig.team.id}/incidents?state=all&per_page=100`);
      return ((await res.json()) as { items: Array<{ number: number; title: string }> }).items.find((i) => i.title.startsWith('Storm'));
    };
    const incident = await waitFor('the storm incident', list, { timeoutMs: 60_000 });
    await waitFor('1,000 alerts on the timeline', async () => {
      const res = await rig.pluginFetch(rig.admin, `/api/v1/teams/${rig.team.id}/incidents/${incident.number}/timeline?per_page=100&cursor=1000`);
      const page = (await res.json()) as { items: Array<{ kind: string }> };
      return page.items.length > 0 ? true : undefined;
    }, { timeoutMs: 120_000, intervalMs: 200 });
    const recordedMs = performance.now() - started;

    return [
      { name: 'alerts intake answer, one new alert, real server p50 (vs POST /api/v4/posts)', value: percentile(adding, 50), unit: 'ms', baseline: percentile(posts, 50) },
      { name: 'alerts intake answer, one new alert, real server p95 (vs POST /api/v4/posts)', value: percentile(adding, 95), unit: 'ms', baseline: percentile(posts, 95) },
      { name: 'alerts intake answer, retried notification, real server p50 (vs POST /api/v4/posts)', value: percentile(retry, 50), unit: 'ms', baseline: percentile(posts, 50) },
      { name: 'alerts intake answer, retried notification, real server p95 (vs POST /api/v4/posts)', value: percentile(retry, 95), unit: 'ms', baseline: percentile(posts, 95) },
      { name: 'alerts storm: 1,000 alerts in 100 concurrent notifications accepted', value: (1000 / acceptedMs) * 1000, unit: 'alerts/s' },
      { name: 'alerts storm: all 1,000 alerts on the incident timeline', value: (1000 / recordedMs) * 1000, unit: 'alerts/s' },
    ];
  });
}
