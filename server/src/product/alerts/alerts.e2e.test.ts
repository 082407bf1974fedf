// Alert intake on a real Mattermost server: sources added by command, notifications posted to the
// public hook the way Alertmanager and Grafana post them, incidents checked through Mattermost's API.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Post } from '@mattermost/types/posts';
import { connectRig, sleep, waitFor, type Rig, type RigUser } from '../../../../e2e/rig';
import { run } from '../../../../e2e/rig/exec';
import { grafanaSignature } from './signature';
import { alertmanagerBody, grafanaBody, type AlertSpec } from './test_payloads';

const rig: Rig = connectRig();
const [alice, bob] = rig.users as [RigUser, RigUser];
const tag = Date.now().toString(36);
const TOKEN = 'X-Infra-Ops-Token';

interface ListedIncident {
  number: number;
  phase: string;
  title: string;
  channelId: string;
  severity: number;
}

after(() => rig.close());

async function addSource(text: string): Promise<{ path: string; secret: string }> {
  const reply = (await rig.runCommand(rig.admin, rig.channelId, `/infra alerts add ${text}`)).text ?? '';
  const url = /\*\*URL\*\*: `[^`]*?(\/plugins\/[^`]+)`/.exec(reply)?.[1];
  const secret = /\*\*Secret\*\*: `([^`]+)`/.exec(reply)?.[1];
  assert.ok(url && secret, reply);
  return { path: url, secret };
}

async function send(path: string, body: unknown, headers: Record<string, string>, method = 'POST'): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${rig.url}${path}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body: json, ms: performance.now() - started };
}

async function incidentsTitled(title: string, state = 'all'): Promise<ListedIncident[]> {
  const res = await rig.pluginFetch(rig.admin, `/api/v1/teams/${rig.team.id}/incidents?state=${state}&per_page=100`);
  const { items } = (await res.json()) as { items: ListedIncident[] };
  return items.filter((i) => i.title.includes(title));
}

const oneIncident = (title: string, phase?: string) =>
  waitFor(`the incident "${title}"${phase ? ` in ${phase}` : ''}`, async () => {
    const found = await incidentsTitled(title);
    return found.length === 1 && (!phase || found[0]!.phase === phase) ? found[0] : undefined;
  }, { timeoutMs: 30_000 });

async function posts(channelId: string): Promise<Post[]> {
  const list = await rig.admin.client.getPosts(channelId, 0, 200);
  return list.order.map((id) => list.posts[id]!).reverse();
}

async function alertEntries(number: number): Promise<number> {
  let count = 0;
  for (let cursor: string | null = '0'; cursor !== null; ) {
    const res = await rig.pluginFetch(rig.admin, `/api/v1/teams/${rig.team.id}/incidents/${number}/timeline?per_page=100&cursor=${cursor}`);
    const page = (await res.json()) as { items: Array<{ kind: string }>; nextCursor: string | null };
    count += page.items.filter((e) => e.kind === 'alert').length;
    cursor = page.nextCursor;
  }
  return count;
}

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! * 10) / 10;
};

describe('alert intake on a real server', () => {
  let am: { path: string; secret: string };
  const name = `HighLatency${tag}`;
  const alerts: AlertSpec[] = [
    { fingerprint: `${tag}a1`, name },
    { fingerprint: `${tag}a2`, name },
  ];

  test('a v4 notification opens one private triage incident with the responders; the secret must come in the header', async () => {
    am = await addSource(`am-${tag} --type alertmanager --responders @${alice.username} @${bob.username}`);
    const payload = alertmanagerBody(`{}:{alertname="${name}"}`, alerts);
    assert.equal((await send(am.path, payload, {})).status, 401);
    const bearer = await send(am.path, payload, { Authorization: `Bearer ${am.secret}` });
    assert.equal(bearer.status, 401, 'Mattermost strips Authorization before the plugin sees it');
    assert.deepEqual(bearer.body, { error: 'Unauthorized.' });
    const bad = await send(am.path, '{"version": "4", "alerts": [', { [TOKEN]: am.secret });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body['error']), /^Invalid JSON: /);

    const ok = await send(am.path, payload, { [TOKEN]: am.secret });
    assert.equal(ok.status, 202);
    assert.deepEqual(ok.body, { status: 'accepted', alerts: 2, new: 2 });
    const incident = await oneIncident(name, 'triage');
    assert.equal(incident.severity, 1);
    const channel = await rig.admin.client.getChannel(incident.channelId);
    assert.equal(channel.type, 'P');
    const members = (await rig.admin.client.getChannelMembers(incident.channelId)).map((m) => m.user_id);
    assert.ok(members.includes(alice.id) && members.includes(bob.id), 'responders invited');
    await waitFor('two alert entries', async () => ((await alertEntries(incident.number)) === 2 ? true : undefined), { timeoutMs: 15_000 });
  });

  test('a retried notification changes nothing', async () => {
    const [incident] = await incidentsTitled(name);
    const before = (await posts(incident!.channelId)).length;
    const retry = await send(`${am.path}?token=${encodeURIComponent(am.secret)}`, alertmanagerBody(`{}:{alertname="${name}"}`, alerts), {});
    assert.equal(retry.status, 202);
    assert.equal(retry.body['new'], 0);
    await sleep(3_000);
    assert.equal((await incidentsTitled(name)).length, 1);
    assert.equal((await posts(incident!.channelId)).length, before);
    assert.equal(await alertEntries(incident!.number), 2);
  });

  test('accept makes it active; when every alert resolves the commander is asked, once', async () => {
    const [incident] = await incidentsTitled(name);
    const accepted = (await rig.runCommand(alice, incident!.channelId, '/incident accept')).text ?? '';
    assert.match(accepted, /active now/);
    const resolved = alerts.map((a) => ({ ...a, status: 'resolved' as const }));
    for (let i = 0; i < 2; i++) assert.equal((await send(am.path, alertmanagerBody(`{}:{alertname="${name}"}`, resolved), { [TOKEN]: am.secret })).status, 202);
    const ask = await waitFor('the question to the commander', async () => {
      const found = (await posts(incident!.channelId)).filter((p) => /all 2 alerts of INC-\d+ resolved/.test(p.message));
      return found.length ? found : undefined;
    }, { timeoutMs: 20_000 });
    await sleep(2_500);
    assert.equal((await posts(incident!.channelId)).filter((p) => /all 2 alerts of INC-\d+ resolved/.test(p.message)).length, 1);
    assert.match(ask[0]!.message, new RegExp(`@${alice.username}`));
    assert.equal((await incidentsTitled(name))[0]!.phase, 'active', 'resolving is the commander\'s call');
  });

  test('Grafana: a signed notification is accepted, a tampered one refused; dismiss closes it as noise', async () => {
    const graf = await addSource(`graf-${tag} --type grafana --responders @${bob.username}`);
    const gname = `DiskFull${tag}`;
    const raw = JSON.stringify(grafanaBody(`{}:{alertname="${gname}"}`, [{ fingerprint: `${tag}g1`, name: gname }]));
    const sig = grafanaSignature(graf.secret, raw);
    assert.equal((await send(graf.path, raw.replace(`${tag}g1`, `${tag}g2`), { 'X-Grafana-Alert-Signature': sig })).status, 401);
    assert.equal((await send(graf.path, raw, { 'X-Grafana-Alert-Signature': '0'.repeat(64) })).status, 401);
    assert.equal((await send(graf.path, raw, { 'X-Grafana-Alert-Signature': sig }, 'PUT')).status, 202);
    const incident = await oneIncident(gname, 'triage');
    assert.equal(incident.severity, 3, 'warning → SEV3');
    // The "Dismiss as noise" button on the alert list, clicked through Mattermost's own action API.
    const list = await waitFor('the alert list with its buttons', async () =>
      (await posts(incident.channelId)).find((p) => /Alerts: 1 firing/.test(p.message) && Array.isArray(p.props['attachments']) && (p.props['attachments'] as unknown[]).length > 0),
    { timeoutMs: 15_000 });
    await bob.client.doPostAction(list.id, 'dismiss');
    await oneIncident(gname, 'dismissed');
    assert.deepEqual((await rig.admin.client.getPost(list.id)).props['attachments'] ?? [], [], 'the buttons are gone');
  });

  test('storm: 1,000 alerts of one group in 100 concurrent notifications give one incident with every alert; a command still answers quickly', async () => {
    const sname = `Storm${tag}`;
    const started = performance.now();
    const commandTimes: number[] = [];
    const sending = Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        send(am.path, alertmanagerBody(`{}:{alertname="${sname}"}`, Array.from({ length: 10 }, (_, k) => ({ fingerprint: `${tag}s${n * 10 + k}`, name: sname }))), { [TOKEN]: am.secret }),
      ),
    );
    const commands = (async () => {
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        assert.match((await rig.runCommand(alice, rig.channelId, '/infra version')).text ?? '', /^Infra Ops/);
        commandTimes.push(performance.now() - t);
      }
    })();
    const [answers] = await Promise.all([sending, commands]);
    const accepted = performance.now() - started;
    assert.ok(answers.every((a) => a.status === 202));
    assert.equal(answers.reduce((sum, a) => sum + Number(a.body['new']), 0), 1000);
    const incident = await oneIncident(sname);
    await waitFor('1,000 alert entries', async () => ((await alertEntries(incident.number)) === 1000 ? true : undefined), { timeoutMs: 60_000, intervalMs: 1_000 });
    const recorded = performance.now() - started;
    const lists = (await posts(incident.channelId)).filter((p) => /Alerts: 1000 firing/.test(p.message));
    assert.equal(lists.length, 1, 'one alert list, edited in place');
    assert.ok(Math.max(...commandTimes) < 2_000, `/infra version during the storm: ${commandTimes.map((t) => t.toFixed(0)).join(', ')} ms`);
    console.log('storm figures', JSON.stringify({
      notifications: 100,
      alerts: 1000,
      allAcceptedMs: Math.round(accepted),
      intakeP50Ms: pct(answers.map((a) => a.ms), 0.5),
      intakeP95Ms: pct(answers.map((a) => a.ms), 0.95),
      allOnTimelineMs: Math.round(recorded),
      commandMaxMs: Math.round(Math.max(...commandTimes)),
    }));
  });

  test("Alertmanager's own webhook notifier (prometheus/alertmanager v0.28.1, configured from alertmanager.yml text): accepted, a retry changes nothing, a wrong secret is not retried", async () => {
    // e2e/alertmanager/ is a test-only Go module pinning Alertmanager (beside e2e/mmserver); Go caches the build after the first run.
    const binary = join(mkdtempSync(join(tmpdir(), 'amsender-')), 'amsender');
    await run('go', ['build', '-o', binary, '.'], { cwd: join(__dirname, '..', '..', '..', '..', 'e2e', 'alertmanager') });
    const src = await addSource(`amgo-${tag} --type alertmanager`);
    const gname = `AmGo${tag}`;
    const notify = async (secret: string, extra: string[] = []): Promise<{ retry: boolean; error: string }> =>
      JSON.parse((await run(binary, ['-url', `${rig.url}${src.path}`, '-secret', secret, '-group', gname, '-alerts', '3', ...extra])).stdout) as { retry: boolean; error: string };
    assert.deepEqual(await notify(src.secret), { retry: false, error: '' });
    const incident = await oneIncident(gname, 'triage');
    await waitFor('three alert entries', async () => ((await alertEntries(incident.number)) === 3 ? true : undefined), { timeoutMs: 15_000 });
    assert.deepEqual(await notify(src.secret), { retry: false, error: '' });
    await sleep(2_500);
    assert.equal(await alertEntries(incident.number), 3, 'the same notification again changes nothing');
    const refused = await notify('not-the-secret');
    assert.equal(refused.retry, false, 'a 401 is not retried by Alertmanager');
    assert.match(refused.error, /401/);
    assert.deepEqual(await notify(src.secret, ['-resolved']), { retry: false, error: '' });
    await waitFor('the question to the commander', async () => ((await posts(incident.channelId)).some((p) => /all 3 alerts of INC-\d+ resolved/.test(p.message)) ? true : undefined), { timeoutMs: 20_000 });
  });
});
