// Outgoing webhooks on a real Mattermost server (issue 11 §2): the plugin process POSTs a signed
// event to a receiver in this test, which answers 500 first; the scheduler retries it; the
// signature verifies; the event is delivered exactly once.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { connectRig, sleep, waitFor, type Rig, type RigUser } from '../../../../e2e/rig';
import { WEBHOOK_HEADERS, WEBHOOK_TOLERANCE_SECONDS, webhookEvent } from '../contract/webhooks';
import { verifySignature } from './signing';

const rig: Rig = connectRig();
const [alice] = rig.users as [RigUser];
const tag = Date.now().toString(36);

interface Received {
  at: number;
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}
const received: Received[] = [];
const answers = [500];
let server: Server;
let hookUrl = '';

const text = async (user: RigUser, command: string): Promise<string> => (await rig.runCommand(user, rig.channelId, command)).text ?? '';
const header = (r: Received, name: string): string => String(r.headers[name.toLowerCase()] ?? '');

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      received.push({ at: Date.now(), status, headers: req.headers, body });
      res.statusCode = status;
      res.end(status === 200 ? 'ok' : 'try again');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/infra-ops/${tag}`;
});

after(async () => {
  const list = await text(rig.admin, '/infra webhooks list');
  for (const [, id] of list.matchAll(/`(wh[a-z0-9]{16})` http:\/\/127\.0\.0\.1:\d+\/infra-ops\//g)) await text(rig.admin, `/infra webhooks remove ${id}`);
  server.close();
  rig.close();
});

test('a declared incident reaches the receiver signed, is retried after a 500 and is delivered once', async () => {
  assert.match(await text(alice, `/infra webhooks add ${hookUrl}`), /Only team admins and system admins can add outgoing webhooks/);
  const added = await text(rig.admin, `/infra webhooks add ${hookUrl} --events declared`);
  const secret = /Secret \(shown once, store it now\): `([^`]+)`/.exec(added)?.[1];
  assert.ok(secret, added);

  const started = Date.now();
  const reply = await text(alice, `/incident declare sev2 Webhook check ${tag} --public`);
  const reference = /\*\*(INC-\d+)\*\*/.exec(reply)?.[1];
  assert.ok(reference, reply);
  const mine = () => received.filter((r) => r.body.includes(`Webhook check ${tag}`));
  await waitFor('the first delivery attempt', async () => (mine().length >= 1 ? true : undefined), { timeoutMs: 20_000 });
  await waitFor('the retry after the 500', async () => (mine().length >= 2 ? true : undefined), { timeoutMs: 60_000 });
  const [first, second] = mine() as [Received, Received];
  assert.equal(first.status, 500);
  assert.equal(second.status, 200);
  assert.ok(second.at - first.at >= 9_000, `backed off (${second.at - first.at} ms)`);

  // What a receiver does: recompute the HMAC over "<timestamp>.<raw body>", check the clock.
  const ts = Number(header(second, WEBHOOK_HEADERS.timestamp));
  assert.ok(verifySignature(secret, header(second, WEBHOOK_HEADERS.signature), ts, second.body, Math.floor(Date.now() / 1000), WEBHOOK_TOLERANCE_SECONDS));
  assert.ok(!verifySignature(secret, header(second, WEBHOOK_HEADERS.signature), ts, second.body.replace(tag, 'tampered'), Math.floor(Date.now() / 1000), WEBHOOK_TOLERANCE_SECONDS));
  assert.equal(header(first, WEBHOOK_HEADERS.eventId), header(second, WEBHOOK_HEADERS.eventId), 'one event id across the retry');
  assert.equal(header(second, WEBHOOK_HEADERS.eventType), 'incident.declared');
  assert.equal(header(second, 'content-type'), 'application/json');
  const event = webhookEvent.parse(JSON.parse(second.body));
  assert.equal(event.incident.reference, reference);
  assert.equal(event.incident.private, false);
  assert.equal(event.team.name, rig.team.name);
  assert.ok(event.incident.url?.endsWith(`/${rig.team.name}/channels/${/~([a-z0-9_-]+)/.exec(reply)?.[1] ?? ''}`), event.incident.url ?? 'no url');

  // Exactly once: nothing more arrives for this event after a further scheduler poll or two.
  await sleep(21_000);
  assert.equal(mine().filter((r) => r.status === 200).length, 1, 'one successful delivery');
  assert.equal(mine().length, 2);
  const log = await text(rig.admin, '/infra webhooks log');
  assert.match(log, new RegExp(`incident\\.declared ${event.id} — delivered \\(HTTP 200\\), attempt 2`));
  assert.match(log, new RegExp(`incident\\.declared ${event.id} — retrying \\(HTTP 500\\), attempt 1`));
  console.log('webhook figures', { firstAttemptMs: first.at - started, retryAfterMs: second.at - first.at });
});
