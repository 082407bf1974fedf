import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Readable } from 'node:stream';
import express from 'express';
import { pluginContextOf, serveBridged, type RequestSubset } from './bridge';
import { putVarint, remoteReader } from './remote_reader';
import { canonicalHeaderKey, ResponseWriterClient } from './response_writer';
import { duplexPair, recordingWriter, serveIOReader, type WriterCall } from './testing';

const request = (over: Partial<RequestSubset> = {}): RequestSubset => ({
  Method: 'GET',
  URL: '/api/v1/thing?x=1',
  ProtoMajor: 1,
  ProtoMinor: 1,
  Header: { 'Mattermost-User-Id': ['u1'], Accept: ['application/json'] },
  Host: 'localhost:8065',
  RemoteAddr: '127.0.0.1:5555',
  RequestURI: '/plugins/infra-ops/api/v1/thing?x=1',
  ...over,
});

function bodyOf(calls: WriterCall[]): Buffer {
  return Buffer.concat(calls.filter((c) => c.method === 'Plugin.Write').map((c) => c.value as Buffer));
}

function pattern(size: number, step: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * step) & 0xff;
  return b;
}

function remoteBody(payload: Buffer): { body: Readable; asks: number[] } {
  const [plugin, server] = duplexPair();
  const asks = serveIOReader(payload, server);
  return { body: remoteReader(plugin), asks };
}

describe('remote io.Reader', () => {
  it('encodes asks like binary.PutVarint', () => {
    assert.deepEqual([...putVarint(1)], [0x02]);
    assert.deepEqual([...putVarint(64)], [0x80, 0x01]);
    assert.deepEqual([...putVarint(4096)], [0x80, 0x40]);
    assert.deepEqual([...putVarint(32768)], [0x80, 0x80, 0x04]);
  });

  for (const size of [0, 1, 65536, 10 * 1024 * 1024 + 7]) {
    it(`delivers a ${size}-byte body exactly`, async () => {
      const payload = pattern(size, 31);
      const { body } = remoteBody(payload);
      const parts: Buffer[] = [];
      for await (const chunk of body) parts.push(chunk as Buffer);
      assert.ok(Buffer.concat(parts).equals(payload));
    });
  }

  it('a stream reset mid-body is an error, never a shorter body; an unread body just closes', async () => {
    const [plugin, server] = duplexPair();
    server.on('error', () => {});
    server.on('data', () => server.write(Buffer.alloc(10)));
    const body = remoteReader(plugin);
    const failed = new Promise((resolve) => body.once('error', resolve));
    body.resume();
    await new Promise((r) => setTimeout(r, 10));
    plugin.destroy();
    assert.ok((await failed) instanceof Error);

    const [quiet, peer] = duplexPair();
    peer.on('error', () => {});
    const unread = remoteReader(quiet);
    let error: unknown;
    unread.on('error', (e) => (error = e));
    quiet.destroy();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(error, undefined);
    assert.equal(unread.destroyed, true);
  });

  it('asks for nothing until the consumer reads', async () => {
    const { body, asks } = remoteBody(Buffer.alloc(1000));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(asks, []);
    body.resume();
    await new Promise((r) => body.once('end', r));
    assert.ok(asks.length >= 1);
  });
});

describe('ServeHTTP bridge', () => {
  it('hands express a normal request and sends SyncHeader then Write for a 200 JSON reply', async () => {
    const app = express();
    let seen: Record<string, unknown> = {};
    app.get('/api/v1/thing', (req, res) => {
      seen = { user: req.get('Mattermost-User-Id'), x: req.query['x'], ip: req.ip, host: req.get('host'), ctx: pluginContextOf(req)?.RequestId };
      res.json({ ok: true });
    });
    const w = recordingWriter();
    const err = await serveBridged(app, request(), { RequestId: 'r1' }, null, new ResponseWriterClient(w.rpc));
    assert.equal(err, null);
    assert.deepEqual(seen, { user: 'u1', x: '1', ip: '127.0.0.1', host: 'localhost:8065', ctx: 'r1' });
    assert.deepEqual(w.calls.map((c) => c.method), ['Plugin.SyncHeader', 'Plugin.Write']);
    const header = w.calls[0]!.value as Record<string, string[]>;
    assert.deepEqual(header['Content-Type'], ['application/json; charset=utf-8']);
    assert.deepEqual(header['Content-Length'], ['11']);
    assert.equal(bodyOf(w.calls).toString(), '{"ok":true}');
  });

  it('sends WriteHeader for non-200 statuses, after the headers', async () => {
    const app = express();
    app.use((_req, res) => res.status(404).type('text').send('nope'));
    const w = recordingWriter();
    await serveBridged(app, request(), {}, null, new ResponseWriterClient(w.rpc));
    assert.deepEqual(w.calls.map((c) => c.method), ['Plugin.SyncHeader', 'Plugin.WriteHeader', 'Plugin.Write']);
    assert.equal(w.calls[1]!.value, 404);
  });

  it('an empty 204 sends headers and status only', async () => {
    const w = recordingWriter();
    await serveBridged((_req, res) => { res.statusCode = 204; res.end(); }, request(), {}, null, new ResponseWriterClient(w.rpc));
    assert.deepEqual(w.calls.map((c) => c.method), ['Plugin.SyncHeader', 'Plugin.WriteHeader']);
  });

  it('streams a posted body through express.raw and echoes it back under flow control', async () => {
    const app = express();
    app.post('/echo', express.raw({ type: '*/*', limit: '20mb' }), (req, res) => res.type('application/octet-stream').send(req.body));
    const payload = pattern(10 * 1024 * 1024, 7);
    const { body } = remoteBody(payload);
    const w = recordingWriter();
    const req = request({ Method: 'POST', URL: '/echo', Header: { 'Content-Type': ['application/octet-stream'], 'Content-Length': [String(payload.length)] } });
    await serveBridged(app, req, {}, body, new ResponseWriterClient(w.rpc));
    assert.ok(bodyOf(w.calls).equals(payload));
    assert.equal(w.maxInFlight(), 1, 'response-writer calls are strictly sequential');
  });

  it('applies backpressure to a streamed response and flushes when it goes idle', async () => {
    const w = recordingWriter({ delayMs: 2 });
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sawBackpressure = false;
    await serveBridged((_req, res) => {
      res.setHeader('Content-Type', 'text/event-stream');
      let sent = 0;
      const pump = (): void => {
        while (sent < 40) {
          sent++;
          if (!res.write(chunk)) {
            sawBackpressure = true;
            res.once('drain', pump);
            return;
          }
        }
        setTimeout(() => { res.write('data: last\n\n'); setTimeout(() => res.end(), 10); }, 10);
      };
      pump();
    }, request(), {}, null, new ResponseWriterClient(w.rpc));
    assert.ok(sawBackpressure);
    assert.equal(bodyOf(w.calls).length, 40 * chunk.length + 'data: last\n\n'.length);
    assert.ok(w.calls.some((c) => c.method === 'Plugin.Flush'));
    assert.equal(w.maxInFlight(), 1);
  });

  it('stops flushing on servers without Flush', async () => {
    const w = recordingWriter({ flush: false });
    await serveBridged((_req, res) => {
      res.write('a');
      setTimeout(() => { res.write('b'); setTimeout(() => res.end(), 5); }, 5);
    }, request(), {}, null, new ResponseWriterClient(w.rpc));
    assert.equal(bodyOf(w.calls).toString(), 'ab');
  });

  it('a handler that throws before responding gives a JSON 500', async () => {
    const w = recordingWriter();
    const err = await serveBridged(() => { throw new Error('boom'); }, request(), {}, null, new ResponseWriterClient(w.rpc));
    assert.equal(err, null);
    assert.equal(w.calls[1]!.value, 500);
    assert.deepEqual(JSON.parse(bodyOf(w.calls).toString()), { error: 'internal error' });
  });

  it('a failing writer ends the exchange with the error instead of hanging', async () => {
    const w = recordingWriter({ failOn: 'Plugin.Write' });
    const err = await serveBridged((_req, res) => res.end('x'), request(), {}, null, new ResponseWriterClient(w.rpc));
    assert.match(String(err), /broken pipe/);
  });

  it('HEAD responses carry headers but no body', async () => {
    const app = express();
    app.get('/api/v1/thing', (_req, res) => res.json({ ok: true }));
    const w = recordingWriter();
    await serveBridged(app, request({ Method: 'HEAD' }), {}, null, new ResponseWriterClient(w.rpc));
    assert.equal(bodyOf(w.calls).length, 0);
    assert.ok(w.calls.some((c) => c.method === 'Plugin.SyncHeader'));
  });

  it('setting headers after they were sent fails as on a socket', async () => {
    const w = recordingWriter();
    let thrown: unknown;
    await serveBridged((_req, res) => {
      res.write('x');
      try { res.setHeader('X-Late', '1'); } catch (e) { thrown = e; }
      res.end();
    }, request(), {}, null, new ResponseWriterClient(w.rpc));
    assert.equal((thrown as { code?: string }).code, 'ERR_HTTP_HEADERS_SENT');
  });

  it('canonicalises header names as Go does', () => {
    assert.equal(canonicalHeaderKey('content-type'), 'Content-Type');
    assert.equal(canonicalHeaderKey('x-request-id'), 'X-Request-Id');
    assert.equal(canonicalHeaderKey('etag'), 'Etag');
    assert.equal(canonicalHeaderKey('bad header'), 'bad header');
  });
});
