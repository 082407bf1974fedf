import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { callCounting, COUNT_CALLS_HEADER, countCalls, countsNow, KV_CALLS_HEADER, SERVER_CALLS_HEADER, withCallCounting } from './call_count';

interface Gate {
  wait: Promise<void>;
  open: () => void;
}
function gate(): Gate {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/**
 * The order the storage test sets, with no timers: `/late` answers, then looks (whether it still
 * sees a counter) once `look` opens and opens `looked`; `/held` opens `entered` and answers once
 * `release` opens, a counted request kept in flight meanwhile.
 */
const order = { look: gate(), looked: gate(), entered: gate(), release: gate() };
/** What the continuation of each `/late` request saw after its answer had gone. */
const lateSaw: boolean[] = [];

async function serve(allowed: boolean): Promise<{ base: string; api: ReturnType<typeof withCallCounting>; close: () => void }> {
  const world = new MemoryWorld();
  const team = world.addTeam('ops');
  const api = withCallCounting(new MemoryApi(world));
  const app = express();
  app.use(callCounting(allowed));
  app.get('/reads/:n', async (req, res) => {
    const n = Number(req.params.n);
    // Interleaved with the other request's calls: each must count only its own.
    for (let i = 0; i < n; i++) {
      await api.kvGet(`k${i}`);
      await new Promise((r) => setTimeout(r, 1));
    }
    await api.getTeam(team.Id);
    res.json({ ok: true });
  });
  app.get('/late', async (_req, res) => {
    res.json({ ok: true });
    await order.look.wait;
    lateSaw.push(countsNow() !== undefined);
    order.looked.open();
  });
  app.get('/held', async (_req, res) => {
    order.entered.open();
    await order.release.wait;
    res.json({ ok: true });
  });
  app.get('/fails', async () => {
    await api.kvGet('x');
    throw new Error('boom');
  });
  app.use(((_err, _req, res, _next) => void res.status(500).json({ error: 'failed' })) as express.ErrorRequestHandler);
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, api, close: () => server.close() };
}

const asking = { headers: { [COUNT_CALLS_HEADER]: '1' } };

test('each answer that asks carries the KV and server calls made for it, concurrent requests apart, none counted outside a request', async () => {
  const { base, api, close } = await serve(true);
  try {
    // The shorter request finishes first: the longer one must go on counting its own calls.
    const [three, five] = await Promise.all([fetch(`${base}/reads/3`, asking), fetch(`${base}/reads/5`, asking)]);
    assert.equal(three.headers.get(KV_CALLS_HEADER), '3');
    assert.equal(five.headers.get(KV_CALLS_HEADER), '5');
    assert.equal(five.headers.get(SERVER_CALLS_HEADER), '1');
    const failed = await fetch(`${base}/fails`, asking);
    assert.equal(failed.status, 500);
    assert.equal(failed.headers.get(KV_CALLS_HEADER), '1', 'an error answer is counted too');
    // Counting again after the storage was disabled between requests.
    assert.equal((await fetch(`${base}/reads/2`, asking)).headers.get(KV_CALLS_HEADER), '2');
    // Outside any request (a scheduler job): the call goes through, uncounted.
    assert.equal(await api.kvGet('k0'), null);
  } finally {
    close();
  }
});

test('the storage is disabled once no counted request is in flight, not while another still counts', async () => {
  const { base, close } = await serve(true);
  try {
    // Alone: once its answer is out (its 'finish' has run), nothing is counted and the per-promise hook is off.
    await fetch(`${base}/late`, asking);
    order.look.open();
    await order.looked.wait;
    // Beside a counted request still in flight: the storage stays enabled.
    Object.assign(order, { look: gate(), looked: gate() });
    const held = fetch(`${base}/held`, asking);
    await order.entered.wait;
    await fetch(`${base}/late`, asking);
    order.look.open();
    await order.looked.wait;
    order.release.open();
    assert.equal((await held).status, 200);
    assert.deepEqual(lateSaw, [false, true]);
  } finally {
    close();
  }
});

test('an answer carries no counts unless it asks, and none when the process does not allow it', async () => {
  const allowed = await serve(true);
  const refused = await serve(false);
  try {
    const quiet = await fetch(`${allowed.base}/reads/2`);
    assert.equal(quiet.status, 200);
    assert.equal(quiet.headers.get(KV_CALLS_HEADER), null);
    assert.equal(quiet.headers.get(SERVER_CALLS_HEADER), null);
    const notAllowed = await fetch(`${refused.base}/reads/2`, asking);
    assert.equal(notAllowed.status, 200);
    assert.equal(notAllowed.headers.get(KV_CALLS_HEADER), null);
  } finally {
    allowed.close();
    refused.close();
  }
});

test('work left running after the answer (AfterAnswer) is not counted for the request', async () => {
  const { AfterAnswer } = await import('./after_answer');
  const world = new MemoryWorld();
  const api = withCallCounting(new MemoryApi(world));
  const after = new AfterAnswer({ debug() {}, info() {}, warn() {}, error() {} });
  const counts = await countCalls(async (c) => {
    await api.kvGet('read-for-the-answer');
    after.run('card', async () => {
      await api.kvGet('after-1');
      await api.kvGet('after-2');
    });
    return c;
  });
  await after.settled();
  assert.deepEqual(counts, { kv: 1, server: 0 });
});
