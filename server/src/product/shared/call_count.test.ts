import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { countCalls, KV_CALLS_HEADER, reportCallsIn, SERVER_CALLS_HEADER, withCallCounting } from './call_count';

test('each answer carries the KV and server calls made for it, concurrent requests apart, none counted outside a request', async () => {
  const world = new MemoryWorld();
  const team = world.addTeam('ops');
  const api = withCallCounting(new MemoryApi(world));
  const app = express();
  app.use((_req, res, next) => countCalls((counts) => (reportCallsIn(res, counts), next())));
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
  app.get('/fails', async () => {
    await api.kvGet('x');
    throw new Error('boom');
  });
  app.use(((_err, _req, res, _next) => void res.status(500).json({ error: 'failed' })) as express.ErrorRequestHandler);
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const [three, five] = await Promise.all([fetch(`${base}/reads/3`), fetch(`${base}/reads/5`)]);
    assert.equal(three.headers.get(KV_CALLS_HEADER), '3');
    assert.equal(five.headers.get(KV_CALLS_HEADER), '5');
    assert.equal(five.headers.get(SERVER_CALLS_HEADER), '1');
    const failed = await fetch(`${base}/fails`);
    assert.equal(failed.status, 500);
    assert.equal(failed.headers.get(KV_CALLS_HEADER), '1', 'an error answer is counted too');
    // Outside any request (a scheduler job): the call goes through, uncounted.
    assert.equal(await api.kvGet('k0'), null);
  } finally {
    server.close();
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
