// Outgoing webhooks (issue 11 §2): signing, what leaves the server, admin commands, and delivery
// through the scheduler to a real local HTTP receiver — retried after a 500, once per event even
// with two nodes polling.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WEBHOOK_HEADERS, WEBHOOK_TOLERANCE_SECONDS, webhookEvent, type WebhookEvent, webhookPayload } from '../contract/webhooks';
import { fixture, type Fixture } from '../incidents/test_fixture';
import type { IncidentActivity } from '../shared/ports';
import { ProductHarness } from '../testing/product_harness';
import { checkWebhookUrl, retryDelay, MAX_ATTEMPTS } from './delivery';
import { eventIdOf, webhookEventOf } from './events';
import { signature, verifySignature } from './signing';
import { webhookKeys } from './store';
import { alertmanagerBody } from '../alerts/test_payloads';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on 127.0.0.1 that answers each request with the next status in `statuses` (then 200). */
async function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[]; close(): void }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => server.close() };
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const secretOf = (reply: string): string => /Secret \(shown once, store it now\): `([^`]+)`/.exec(reply)?.[1] ?? '';
const idOf = (reply: string): string => /Webhook `(wh[a-z0-9]{16})`/.exec(reply)?.[1] ?? '';

async function withAdmin(): Promise<Fixture> {
  const f = await fixture();
  f.world.addTeamMember(f.team.Id, f.carol.Id, 'team_user team_admin');
  return f;
}

const activity: IncidentActivity = {
  kind: 'status',
  teamId: 't1',
  incidentId: 'i1',
  reference: 'INC-007',
  number: 7,
  title: 'Vault sealed',
  severity: 2,
  previousSeverity: null,
  severityLabel: 'Major',
  phase: 'active',
  private: true,
  status: 'Unsealing with the recovery keys',
  summary: null,
  components: ['vault'],
  declaredAt: Date.UTC(2027, 0, 4, 9),
  resolvedAt: null,
  channelId: 'c1',
  channelName: 'inc-007-vault-sealed',
  at: Date.UTC(2027, 0, 4, 9, 5),
  rev: 3,
};

test('signature: HMAC-SHA256 over "<timestamp>.<body>"; a changed body, timestamp or secret fails, and so does an old timestamp', () => {
  const body = '{"a":1}';
  const sig = signature('s3cret', 1_800_000_000, body);
  assert.match(sig, /^sha256=[0-9a-f]{64}$/);
  assert.ok(verifySignature('s3cret', sig, 1_800_000_000, body, 1_800_000_010, WEBHOOK_TOLERANCE_SECONDS));
  assert.ok(!verifySignature('s3cret', sig, 1_800_000_000, '{"a":2}', 1_800_000_010, WEBHOOK_TOLERANCE_SECONDS), 'tampered body');
  assert.ok(!verifySignature('s3cret', sig, 1_800_000_001, body, 1_800_000_010, WEBHOOK_TOLERANCE_SECONDS), 'moved timestamp');
  assert.ok(!verifySignature('other', sig, 1_800_000_000, body, 1_800_000_010, WEBHOOK_TOLERANCE_SECONDS), 'wrong secret');
  assert.ok(!verifySignature('s3cret', sig, 1_800_000_000, body, 1_800_000_000 + WEBHOOK_TOLERANCE_SECONDS + 1, WEBHOOK_TOLERANCE_SECONDS), 'replayed later');
});

test('event: versioned, matches the contract; a private incident is redacted unless the webhook includes private incidents', () => {
  const team = { id: 't1', name: 'ops' };
  const redacted = webhookEventOf(activity, team, { includePrivate: false, siteUrl: 'https://mm.example.com/' });
  webhookEvent.parse(redacted);
  assert.equal(redacted.version, 1);
  assert.equal(redacted.type, 'incident.status_updated');
  assert.deepEqual(
    { title: redacted.incident.title, status: redacted.incident.status, components: redacted.incident.components, url: redacted.incident.url, redacted: redacted.incident.redacted },
    { title: null, status: null, components: [], url: null, redacted: true },
  );
  assert.equal(redacted.incident.reference, 'INC-007');
  assert.ok(!JSON.stringify(redacted).includes('Vault sealed') && !JSON.stringify(redacted).includes('recovery keys'), 'no private text anywhere');
  const full = webhookEventOf(activity, team, { includePrivate: true, siteUrl: 'https://mm.example.com/' });
  assert.equal(full.incident.title, 'Vault sealed');
  assert.equal(full.incident.url, 'https://mm.example.com/ops/channels/inc-007-vault-sealed');
  assert.equal(eventIdOf(activity), full.id, 'the id names the change, not the webhook');
  assert.notEqual(eventIdOf({ ...activity, rev: 4 }), full.id);
});

test('URLs: only http(s), no credentials; retries back off and end', () => {
  assert.deepEqual(checkWebhookUrl('ftp://x.example.com/'), { ok: false, why: 'scheme' });
  assert.deepEqual(checkWebhookUrl('javascript:alert(1)'), { ok: false, why: 'scheme' });
  assert.deepEqual(checkWebhookUrl('https://u:p@x.example.com/'), { ok: false, why: 'credentials' });
  assert.deepEqual(checkWebhookUrl('not a url'), { ok: false, why: 'invalid' });
  assert.deepEqual(checkWebhookUrl(' https://hooks.example.com/a?b=1 '), { ok: true, url: 'https://hooks.example.com/a?b=1' });
  const delays = Array.from({ length: MAX_ATTEMPTS }, (_, n) => retryDelay(n + 1));
  assert.equal(delays.at(-1), null, 'the last attempt is final');
  for (let n = 1; n < delays.length - 1; n++) assert.ok(delays[n]! > delays[n - 1]!, 'each wait longer than the one before');
});

test('team admins manage webhooks; the secret is shown once; others are refused', async () => {
  const f = await withAdmin();
  const { alice, carol, outsider } = f;
  assert.match(await f.cmd(alice, '/infra webhooks add https://hooks.example.com/a'), /Only team admins and system admins can add outgoing webhooks/);
  assert.match(await f.cmd(outsider, '/infra webhooks list'), /No such team/);
  assert.match(await f.cmd(carol, '/infra webhooks add ftp://hooks.example.com/a'), /must start with http/);
  assert.match(await f.cmd(carol, '/infra webhooks add https://hooks.example.com/a --events declared,bogus'), /Unknown event "bogus"/);
  const added = await f.cmd(carol, '/infra webhooks add https://hooks.example.com/a --events declared, resolved');
  const secret = secretOf(added);
  assert.match(secret, /^whsec_/);
  assert.match(added, /incident\.declared, incident\.resolved → https:\/\/hooks\.example\.com\/a \(private incidents by reference only\)/);
  const id = idOf(added);
  const list = await f.cmd(carol, '/infra webhooks list');
  assert.ok(list.includes(id) && !list.includes(secret), 'listed without its secret');
  const api = await f.h.http('GET', `/api/v1/teams/${f.team.Id}/webhooks`, carol);
  assert.equal(api.status, 200);
  assert.ok(!JSON.stringify(api.body).includes(secret));
  assert.equal((await f.h.http('GET', `/api/v1/teams/${f.team.Id}/webhooks`, alice)).status, 403);
  const rotated = secretOf((await f.cmd(carol, `/infra webhooks rotate ${id}`)).replace('has a new secret', 'Secret'));
  assert.ok(rotated && rotated !== secret);
  assert.match(await f.cmd(carol, `/infra webhooks remove ${id}`), /removed/);
  assert.match(await f.cmd(carol, `/infra webhooks remove ${id}`), /No webhook/);
});

test('an incident change is POSTed signed to the receiver, retried after a 500, delivered once across two nodes', async () => {
  const f = await withAdmin();
  const rx = await receiver([500]);
  try {
    const added = await f.cmd(f.carol, `/infra webhooks add ${rx.url} --events declared`);
    const secret = secretOf(added);
    // A second node on the same database, polling too.
    const node2 = await new ProductHarness(f.world, f.h.clock).activate();
    await f.cmd(f.alice, '/incident declare sev2 Payment API errors --public');
    await until('the first attempt', () => rx.received.length === 1);
    await until('the retry to be logged', async () => /retrying \(HTTP 500\)/.test(await f.cmd(f.carol, '/infra webhooks log')));

    // Both nodes poll after the backoff: exactly one sends the retry.
    f.h.clock += 11_000;
    node2.clock = f.h.clock;
    await Promise.all([f.h.ctx.scheduler.runDue(), node2.ctx.scheduler.runDue()]);
    await until('the retry', () => rx.received.length === 2);
    f.h.clock += 60 * 60_000;
    node2.clock = f.h.clock;
    await Promise.all([f.h.ctx.scheduler.runDue(), node2.ctx.scheduler.runDue()]);
    assert.equal(rx.received.length, 2, 'nothing more once delivered');

    const [first, second] = rx.received as [Received, Received];
    assert.equal(first.headers[WEBHOOK_HEADERS.eventId.toLowerCase()], second.headers[WEBHOOK_HEADERS.eventId.toLowerCase()], 'one event id across retries');
    assert.equal(first.body, second.body, 'the same bytes');
    const ts = Number(second.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()]);
    const sig = String(second.headers[WEBHOOK_HEADERS.signature.toLowerCase()]);
    assert.ok(verifySignature(secret, sig, ts, second.body, Math.floor(f.h.clock / 1000), 3600 + WEBHOOK_TOLERANCE_SECONDS));
    const event: WebhookEvent = webhookEvent.parse(JSON.parse(second.body));
    assert.equal(event.type, 'incident.declared');
    assert.equal(event.incident.title, 'Payment API errors');
    assert.equal(event.incident.reference, 'INC-001');
    assert.equal(event.team.name, 'ops');
    const log = await f.cmd(f.carol, '/infra webhooks log');
    assert.match(log, /delivered \(HTTP 200\), attempt 2/);
    assert.match(log, /0 queued/);
  } finally {
    rx.close();
  }
});

test('only the events a webhook listens for, and a full queue drops and logs instead of growing', async () => {
  const f = await withAdmin();
  const rx = await receiver();
  try {
    await f.cmd(f.carol, `/infra webhooks add ${rx.url} --events resolved`);
    const reply = await f.cmd(f.alice, '/incident declare sev3 Disk warnings --public');
    const ch = f.channelOf(reply);
    await f.cmd(f.alice, '/incident status Looking', ch);
    await f.h.ctx.scheduler.runDue();
    assert.equal(rx.received.length, 0, 'declared and status are not listened for');
    // Fill the team's queue with 500 deliveries still waiting (a receiver down for hours).
    const records = await import('./records');
    const waiting = Array.from({ length: 500 }, (_, n) => `evt_waiting${n}.wh0000000000000000`);
    await Promise.all(
      waiting.map((id) =>
        f.h.ctx.kv.insert(webhookKeys.delivery(id), records.deliverySchema, {
          v: 1,
          id,
          teamId: f.team.Id,
          webhookId: 'wh0000000000000000',
          eventId: id.split('.')[0]!,
          type: 'incident.declared',
          body: '{}',
          state: 'pending',
          attempts: 1,
          createdAt: f.h.clock,
        }),
      ),
    );
    await f.h.ctx.kv.update(webhookKeys.queue(f.team.Id), records.queueSchema, () => ({ v: 1 as const, pending: waiting }));
    await f.cmd(f.alice, '/incident resolve Cleaned up', ch);
    await f.h.ctx.scheduler.runDue();
    assert.equal(rx.received.length, 0);
    assert.match(await f.cmd(f.carol, '/infra webhooks log'), /incident\.resolved .* — dropped \(webhook queue full; event dropped\)/);

    // Entries whose delivery is gone (a node died mid-way) are pruned before an event is dropped.
    await f.h.ctx.kv.update(webhookKeys.queue(f.team.Id), records.queueSchema, () => ({ v: 1 as const, pending: Array.from({ length: 500 }, (_, n) => `gone${n}`) }));
    await f.cmd(f.alice, '/incident reopen', ch);
    await f.cmd(f.alice, '/incident resolve Cleaned up again', ch);
    await until('the delivery', () => rx.received.length === 1);
    assert.equal(webhookEvent.parse(JSON.parse(rx.received[0]!.body)).type, 'incident.resolved');
  } finally {
    rx.close();
  }
});

test('an incident opened from alerts is heard of once accepted (as declared); triage noise never leaves', async () => {
  const f = await withAdmin();
  const rx = await receiver();
  try {
    await f.cmd(f.carol, `/infra webhooks add ${rx.url}`);
    const added = await f.cmd(f.carol, `/infra alerts add prom --type alertmanager --responders @${f.alice.Username}`);
    const url = /\*\*URL\*\*: `[^`]*\/hooks\/alertmanager\/([^`/]+)`/.exec(added);
    const secret = /\*\*Secret\*\*: `([^`]+)`/.exec(added);
    assert.ok(url && secret, added);
    const notify = async (groupKey: string): Promise<void> => {
      const res = await f.h.http('POST', `/hooks/alertmanager/${url[1]}?token=${encodeURIComponent(secret[1]!)}`, null, alertmanagerBody(groupKey, [{ fingerprint: groupKey, name: groupKey }]));
      assert.equal(res.status, 202);
    };
    await notify('noise');
    await notify('real');
    for (let i = 0; i < 4; i++) await f.h.ctx.scheduler.runDue();
    assert.equal(rx.received.length, 0, 'nothing leaves while the incidents are in triage');
    const list = await f.cmd(f.alice, '/incident list all');
    const numbers = [...list.matchAll(/INC-0*(\d+)/g)].map((m) => Number(m[1]));
    assert.ok(numbers.length >= 2, list);
    await f.cmd(f.alice, `/incident dismiss INC-${numbers[0]} flapping`);
    await f.cmd(f.alice, `/incident accept INC-${numbers[1]}`);
    for (let i = 0; i < 3; i++) await f.h.ctx.scheduler.runDue();
    await until('the accepted incident is delivered', () => rx.received.length >= 1);
    const events = rx.received.map((r) => webhookEvent.parse(JSON.parse(r.body)));
    assert.deepEqual(events.map((e) => [e.type, e.incident.number, e.incident.phase]), [['incident.declared', numbers[1], 'active']]);
  } finally {
    rx.close();
    f.h.close();
  }
});

test('per-template webhooks: only incidents and runs of the named templates are delivered there, each with its template', async () => {
  const f = await withAdmin();
  const [security, releases, all] = [await receiver(), await receiver(), await receiver()];
  try {
    assert.match(await f.cmd(f.carol, `/infra webhooks add ${security.url} --template Security incident`), /all events of template security-incident only →/);
    assert.match(await f.cmd(f.carol, `/infra webhooks add ${releases.url} --events started,finished --template Product release, Plugin release`), /run\.started, run\.finished of template product-release, plugin-release only/);
    await f.cmd(f.carol, `/infra webhooks add ${all.url}`);
    assert.match(await f.cmd(f.carol, `/infra webhooks add ${all.url}x --template Nope`), /This team has no run template “Nope”/);
    assert.match(await f.cmd(f.carol, '/infra webhooks list'), /of template security-incident only/);

    const leak = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Leaked token --type security'));
    await f.cmd(f.alice, '/incident declare sev1 Checkout down');
    await f.cmd(f.alice, '/release start 9.9');
    const release = [...f.world.channels.values()].find((c) => c.Name === 'release-9-9')!;
    f.world.addChannelMember(release.Id, f.carol.Id);
    assert.match(await f.cmd(f.carol, '/run finish --override shipped', release), /is finished/);
    await f.cmd(f.alice, '/incident resolve Rotated', leak);
    for (let i = 0; i < 3; i++) await f.h.ctx.scheduler.runDue();
    await until('every delivery', () => security.received.length === 2 && releases.received.length === 2 && all.received.length === 5).catch((err: unknown) => {
      throw new Error(`${String(err)}: ${JSON.stringify([security, releases, all].map((rx) => rx.received.map((r) => (JSON.parse(r.body) as { type: string }).type)))}`);
    });

    const parsed = (rx: { received: Received[] }) => rx.received.map((r) => webhookPayload.parse(JSON.parse(r.body)));
    const summary = (rx: { received: Received[] }) =>
      parsed(rx).map((e) => ('incident' in e ? `${e.type} ${e.incident.title} ${e.incident.template?.slug}` : `${e.type} ${e.run.name} ${e.run.template.slug} ${e.run.kind}`)).sort();
    assert.deepEqual(summary(security), [
      'incident.declared null security-incident',
      'incident.resolved null security-incident',
    ], 'the security incident only (private: by reference), with its runbook template');
    assert.deepEqual(summary(releases), ['run.finished 9.9 product-release release', 'run.started 9.9 product-release release']);
    assert.deepEqual(summary(all).filter((l) => l.startsWith('incident.declared')), ['incident.declared null incident-sev1-2', 'incident.declared null security-incident']);
    const finished = parsed(releases).find((e) => e.type === 'run.finished');
    assert.ok(finished && 'run' in finished && finished.run.status === 'finished' && finished.run.finishedAt !== null && !finished.run.redacted);
  } finally {
    for (const rx of [security, releases, all]) rx.close();
    f.h.close();
  }
});

test('a webhook added without --events takes event types added later; one that chose its events keeps exactly them', async () => {
  const { teamWebhooksSchema } = await import('./records');
  const base = { url: 'https://hooks.example.com/x', secret: 's'.repeat(32), includePrivate: false, createdBy: 'u1', createdAt: 1 };
  const incidentTypes = ['incident.declared', 'incident.status_updated', 'incident.severity_changed', 'incident.resolved', 'incident.review_published'];
  const read = teamWebhooksSchema.parse({
    v: 1,
    webhooks: [
      // Made before run events existed, with every type there was then: it took everything.
      { ...base, id: 'wh0000000000000001', events: incidentTypes },
      // Made before the flag with a choice of its own.
      { ...base, id: 'wh0000000000000002', events: ['incident.declared'] },
      { ...base, id: 'wh0000000000000003', events: incidentTypes, allEvents: false },
    ],
  }).webhooks;
  assert.deepEqual(read.map((w) => [w.allEvents, w.events.includes('run.started')]), [[true, true], [false, false], [false, false]]);

  const f = await withAdmin();
  const [all, chosen] = [await receiver(), await receiver()];
  try {
    await f.cmd(f.carol, `/infra webhooks add ${all.url}`);
    await f.cmd(f.carol, `/infra webhooks add ${chosen.url} --events declared`);
    const stored = await f.h.ctx.kv.get(webhookKeys.team(f.team.Id), teamWebhooksSchema);
    assert.deepEqual(stored?.webhooks.map((w) => w.allEvents), [true, false], 'the choice is stored, not inferred');
    await f.cmd(f.alice, '/release start 9.8');
    for (let i = 0; i < 3; i++) await f.h.ctx.scheduler.runDue();
    await until('the run event', () => all.received.length === 1);
    assert.equal((JSON.parse(all.received[0]!.body) as { type: string }).type, 'run.started');
    assert.equal(chosen.received.length, 0);
  } finally {
    for (const rx of [all, chosen]) rx.close();
    f.h.close();
  }
});
