import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { User } from '../../plugin/model/types';
import { fixture, type Fixture } from '../incidents/test_fixture';
import { SYNC_DELAY_MS } from './intake';
import { grafanaSignature } from './signature';
import { alertmanagerBody, grafanaBody } from './test_payloads';

interface Setup {
  f: Fixture;
  post(path: string, body: unknown, headers?: Record<string, string>, method?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  addSource(text: string, by?: User): Promise<{ path: string; secret: string; reply: string }>;
  settle(): Promise<void>;
  incidents(): Promise<Array<{ number: number; phase: string; channelId: string; severity: number; title: string }>>;
}

async function setup(): Promise<Setup> {
  const f = await fixture();
  f.world.addTeamMember(f.team.Id, f.carol.Id, 'team_user team_admin');
  const server = createServer(f.h.product.httpHandler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    f,
    post: async (path, body, headers = {}, method = 'POST') => {
      const res = await fetch(`http://127.0.0.1:${port}${path.replace(/^https?:\/\/[^/]+\/plugins\/infra-ops/, '')}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    addSource: async (text, by = f.carol) => {
      const reply = await f.cmd(by, `/infra alerts add ${text}`);
      const url = /\*\*URL\*\*: `([^`]+)`/.exec(reply)?.[1];
      const secret = /\*\*Secret\*\*: `([^`]+)`/.exec(reply)?.[1];
      if (!url || !secret) throw new Error(reply);
      return { path: url, secret, reply };
    },
    settle: async () => {
      for (let i = 0; i < 5; i++) {
        await f.h.ctx.scheduler.runDue();
        f.h.clock += SYNC_DELAY_MS;
      }
    },
    incidents: async () => {
      const res = await f.h.http('GET', `${f.url()}?state=all`, f.admin);
      return (res.body as { items: Array<{ number: number; phase: string; channelId: string; severity: number; title: string }> }).items;
    },
  };
}

const TOKEN = 'X-Infra-Ops-Token';

test('team admins manage sources; the secret is shown once; others are refused', async () => {
  const s = await setup();
  const { f } = s;
  assert.match(await f.cmd(f.alice, '/infra alerts add prom --type alertmanager'), /Only team admins/);
  const { reply, path } = await s.addSource('prom --type alertmanager --responders @alice @bob --map critical=1,warning=3 --window 24h');
  assert.match(reply, /http_headers/);
  assert.match(path, /^http:\/\/localhost:8065\/plugins\/infra-ops\/hooks\/alertmanager\/[a-z0-9]{26}$/);
  assert.match(await f.cmd(f.carol, '/infra alerts add prom --type grafana'), /already has an alert source named "prom"/);
  assert.match(await f.cmd(f.carol, '/infra alerts add x --type pagerduty'), /--type alertmanager/);
  assert.match(await f.cmd(f.carol, '/infra alerts add x --type alertmanager --signature-header X-Sig'), /Only Grafana sources sign/);
  const list = await f.cmd(f.carol, '/infra alerts list');
  assert.match(list, /\*\*prom\*\* \(Alertmanager\)/);
  assert.match(list, /window 24h/);
  assert.doesNotMatch(list, /Secret/);
  const http = await f.h.http('GET', `/api/v1/teams/${f.team.Id}/alert-sources`, f.carol);
  assert.equal(http.status, 200);
  assert.ok(!JSON.stringify(http.body).includes('tokenHash') && !JSON.stringify(http.body).includes('hmacKey'));
  assert.equal((await f.h.http('GET', `/api/v1/teams/${f.team.Id}/alert-sources`, f.alice)).status, 403);
  assert.match(await f.cmd(f.carol, '/infra alerts set prom --auto-resolve on'), /resolves automatically/);
  assert.match(await f.cmd(f.carol, '/infra alerts remove prom'), /Removed/);
  assert.match(await f.cmd(f.carol, '/infra alerts list'), /no alert sources/);
  f.h.close();
});

test('intake: wrong or missing secret is 401 alike; bad JSON is 400 with the reason; a v4 payload opens one triage incident; a retry changes nothing', async () => {
  const s = await setup();
  const { f } = s;
  const { path, secret } = await s.addSource('prom --type alertmanager --responders @alice @bob');
  const payload = alertmanagerBody('{}:{alertname="HighLatency"}', [{ fingerprint: 'a1' }, { fingerprint: 'a2' }]);
  for (const headers of [{}, { [TOKEN]: 'nope' }] as Array<Record<string, string>>) {
    const r = await s.post(path, payload, headers);
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { error: 'Unauthorized.' });
  }
  assert.equal((await s.post(path.replace(/[a-z0-9]{26}$/, 'b'.repeat(26)), payload, { [TOKEN]: secret })).status, 401, 'unknown source');
  assert.equal((await s.post(path.replace('/alertmanager/', '/grafana/'), payload, { [TOKEN]: secret })).status, 401, 'wrong type');
  const bad = await s.post(path, '{"version":', { [TOKEN]: secret });
  assert.equal(bad.status, 400);
  assert.match(String(bad.body['error']), /^Invalid JSON: /);

  const ok = await s.post(path, payload, { [TOKEN]: secret });
  assert.equal(ok.status, 202);
  assert.deepEqual(ok.body, { status: 'accepted', alerts: 2, new: 2 });
  await s.settle();
  const [incident, ...others] = await s.incidents();
  assert.equal(others.length, 0);
  assert.equal(incident!.phase, 'triage');
  assert.equal(incident!.severity, 1, 'critical → SEV1');
  const channel = f.world.channels.get(incident!.channelId)!;
  assert.equal(channel.Type, 'P');
  assert.ok(f.world.channelMembers.has(`${channel.Id}:${f.bob.Id}`) && f.world.channelMembers.has(`${channel.Id}:${f.alice.Id}`), 'responders invited');
  const before = f.world.postsIn(channel.Id).length;
  const kvBefore = f.h.api.kvCalls;
  const retry = await s.post(`${path}?token=${encodeURIComponent(secret)}`, payload);
  assert.equal(retry.status, 202);
  assert.equal(retry.body['new'], 0);
  assert.ok(f.h.api.kvCalls - kvBefore <= 4, `a retry only reads: source, group, incident (${f.h.api.kvCalls - kvBefore} KV calls)`);
  await s.settle();
  assert.equal((await s.incidents()).length, 1);
  assert.equal(f.world.postsIn(channel.Id).length, before, 'no new post');
  const timeline = await f.cmd(f.alice, '/incident timeline', channel.Id);
  assert.equal((timeline.match(/Alert firing/g) ?? []).length, 2);
  f.h.close();
});

test('resolve flow: the commander is asked, once; accept makes it active; dismiss closes it as noise, counted apart', async () => {
  const s = await setup();
  const { f } = s;
  const { path, secret } = await s.addSource('prom --type alertmanager --responders @alice');
  await s.post(path, alertmanagerBody('g1', [{ fingerprint: 'a1' }]), { [TOKEN]: secret });
  await s.settle();
  const [inc] = await s.incidents();
  assert.match(await f.cmd(f.dave, `/incident accept INC-${inc!.number}`), /No such incident/, 'a private channel dave is not in');
  // The Accept button on the alert list: Mattermost posts the click with the clicker's session.
  const list = f.world.postsIn(inc!.channelId).find((p) => /Alerts: 1 firing/.test(p.Message ?? ''))!;
  const attachments = list.Props?.['attachments'] as Array<{ actions: Array<{ id: string; integration: { url: string; context: Record<string, string> } }> }>;
  const accept = attachments[0]!.actions.find((a) => a.id === 'accept')!;
  const click = (user: User) => f.h.http('POST', accept.integration.url.replace('/plugins/infra-ops', ''), user, { post_id: list.Id, context: accept.integration.context });
  assert.match(String(((await click(f.dave)).body as { ephemeral_text: string }).ephemeral_text), /No such incident/);
  assert.match(String(((await click(f.alice)).body as { ephemeral_text: string }).ephemeral_text), /active now/);
  assert.deepEqual(f.world.posts.get(list.Id!)?.Props?.['attachments'], [], 'the buttons are gone');
  assert.match(await f.cmd(f.alice, '/incident accept', inc!.channelId), /not in triage/);
  await s.post(path, alertmanagerBody('g1', [{ fingerprint: 'a1', status: 'resolved' }]), { [TOKEN]: secret });
  await s.settle();
  await s.post(path, alertmanagerBody('g1', [{ fingerprint: 'a1', status: 'resolved' }]), { [TOKEN]: secret });
  await s.settle();
  const asks = f.world.postsIn(inc!.channelId).filter((p) => /all 1 alert of INC-\d+ resolved/.test(p.Message ?? ''));
  assert.equal(asks.length, 1);
  assert.match(asks[0]!.Message ?? '', /@alice/);
  assert.equal((await s.incidents())[0]!.phase, 'active', 'not resolved without the source saying so');

  await s.post(path, alertmanagerBody('g2', [{ fingerprint: 'b1', name: 'DiskFull' }]), { [TOKEN]: secret });
  await s.settle();
  const noise = (await s.incidents()).find((i) => i.phase === 'triage')!;
  assert.match(await f.cmd(f.alice, '/incident dismiss flapping disk check', noise.channelId), /dismissed as noise/);
  const metrics = await f.h.http('GET', `${f.url('/metrics')}`, f.admin);
  const m = (metrics.body as { metrics: { total: number; dismissed: number } }).metrics;
  assert.equal(m.dismissed, 1);
  assert.equal(m.total, 1);
  await s.post(path, alertmanagerBody('g2', [{ fingerprint: 'b2', name: 'DiskFull' }]), { [TOKEN]: secret });
  await s.settle();
  assert.equal((await s.incidents()).length, 2, 'a dismissed group swallows new alerts within its window');
  f.h.close();
});

test('auto-resolve: a source that says so resolves the incident when every alert resolved', async () => {
  const s = await setup();
  const { path, secret } = await s.addSource('prom --type alertmanager --auto-resolve');
  await s.post(path, alertmanagerBody('g', [{ fingerprint: 'a' }, { fingerprint: 'b' }]), { [TOKEN]: secret });
  await s.settle();
  await s.post(path, alertmanagerBody('g', [{ fingerprint: 'a', status: 'resolved' }]), { [TOKEN]: secret });
  await s.settle();
  assert.equal((await s.incidents())[0]!.phase, 'triage');
  await s.post(path, alertmanagerBody('g', [{ fingerprint: 'a', status: 'resolved' }, { fingerprint: 'b', status: 'resolved' }]), { [TOKEN]: secret });
  await s.settle();
  assert.equal((await s.incidents())[0]!.phase, 'resolved');
  s.f.h.close();
});

test('Grafana: a signed body is accepted (POST and PUT), a tampered one refused; the token works too', async () => {
  const s = await setup();
  const { path, secret } = await s.addSource('graf --type grafana');
  const raw = JSON.stringify(grafanaBody('{}:{alertname="HighLatency"}', [{ fingerprint: 'g1' }]));
  const sig = grafanaSignature(secret, raw);
  assert.equal((await s.post(path, raw, { 'X-Grafana-Alert-Signature': sig })).status, 202);
  assert.equal((await s.post(path, raw, { 'X-Grafana-Alert-Signature': sig }, 'PUT')).status, 202);
  assert.equal((await s.post(path, raw.replace('g1', 'g2'), { 'X-Grafana-Alert-Signature': sig })).status, 401);
  assert.equal((await s.post(path, raw, { [TOKEN]: secret })).status, 202);
  await s.settle();
  const [incident] = await s.incidents();
  assert.equal(incident!.severity, 3, 'warning → SEV3');
  s.f.h.close();
});

test('storm: 1,000 alerts of one group from 100 concurrent notifications: one incident, every alert on the timeline, bounded KV writes', async () => {
  const s = await setup();
  const { f } = s;
  const { path, secret } = await s.addSource('prom --type alertmanager');
  let writes = 0;
  const original = f.h.api.kvSetWithOptions.bind(f.h.api);
  f.h.api.kvSetWithOptions = (key, value, options) => {
    if (key.startsWith('alert:g:')) writes++;
    return original(key, value, options);
  };
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, n) => s.post(path, alertmanagerBody('storm', Array.from({ length: 10 }, (_, k) => ({ fingerprint: `f${n * 10 + k}` }))), { [TOKEN]: secret })),
  );
  assert.ok(answers.every((a) => a.status === 202));
  assert.equal(answers.reduce((sum, a) => sum + Number(a.body['new']), 0), 1000);
  await s.settle();
  const incidents = await s.incidents();
  assert.equal(incidents.length, 1);
  // At most one group write per notification (fewer when they arrive while a write is in flight), plus the sync's own.
  assert.ok(writes <= 100 + 10, `group writes: ${writes}`);
  let entries = 0;
  for (let cursor: string | null = '0'; cursor !== null; ) {
    const page = (await f.h.http('GET', `${f.url(`/${incidents[0]!.number}/timeline`)}?per_page=100&cursor=${cursor}`, f.admin)).body as { items: Array<{ text: string }>; nextCursor: string | null };
    entries += page.items.filter((e) => /Alert firing/.test(e.text)).length;
    cursor = page.nextCursor;
  }
  assert.equal(entries, 1000);
  const list = f.world.postsIn(incidents[0]!.channelId).filter((p) => /Alerts: 1000 firing/.test(p.Message ?? ''));
  assert.equal(list.length, 1, 'one alert list, edited in place');
  f.h.close();
});
