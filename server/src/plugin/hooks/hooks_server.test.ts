import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Duplex } from 'node:stream';
import { InterfaceValue, string } from '../../runtime/gob/types';
import { RpcClient, serveRpc, type RpcService } from '../../runtime/rpc/index';
import { AppError } from '../api/app_error';
import type { PluginAPI } from '../api/plugin_api';
import { Empty, zStruct } from '../model/gob_types';
import { duplexPair, serveIOReader } from '../http/testing';
import { HooksServer, type PluginTransport } from './hooks_server';
import type { PluginHooks } from './plugin_hooks';

/** A fake server side: broker ids map to services (net/rpc over gob, as Mattermost serves them) or raw handlers. */
function fakeServer(endpoints: Record<number, RpcService | ((stream: Duplex) => void)>): PluginTransport & { dialed: number[] } {
  const dialed: number[] = [];
  return {
    dialed,
    dial(id) {
      dialed.push(id);
      const endpoint = endpoints[id];
      if (!endpoint) return Promise.reject(new Error(`timeout waiting for connection info (id ${id})`));
      const [plugin, server] = duplexPair();
      if (typeof endpoint === 'function') endpoint(server);
      else serveRpc(server, { Plugin: endpoint });
      return Promise.resolve(plugin);
    },
    rpcClient: (stream) => new RpcClient(stream),
  };
}

const call = (server: HooksServer, method: string, args: unknown): Promise<unknown> =>
  Promise.resolve(server.service()[method]!.handle(args));

describe('HooksServer', () => {
  it('reports exactly the implemented hooks', () => {
    const server = new HooksServer({ executeCommand: async () => ({}), httpHandler: () => {} }, fakeServer({}));
    assert.deepEqual(server.implemented(), ['ExecuteCommand', 'ServeHTTP']);
    assert.deepEqual(Object.keys(server.service()).sort(), ['ExecuteCommand', 'Implemented', 'OnActivate', 'ServeHTTP']);
  });

  it('OnActivate dials the API and driver, runs OnConfigurationChange then OnActivate with a working API', async () => {
    const order: string[] = [];
    let api: PluginAPI | undefined;
    const transport = fakeServer({
      1: { GetServerVersion: { reply: zStruct('R', [string]), handle: () => ({ A: '11.11.0' }) } },
      2: {},
    });
    const hooks: PluginHooks = {
      onConfigurationChange: async () => { order.push('config'); },
      onActivate: async (a) => { order.push('activate'); api = a; },
    };
    const reply = await call(new HooksServer(hooks, transport), 'OnActivate', { APIMuxId: 1, DriverMuxId: 2 });
    assert.deepEqual(reply, {});
    assert.deepEqual(order, ['config', 'activate']);
    assert.deepEqual(transport.dialed, [1, 2]);
    assert.equal(await api!.getServerVersion(), '11.11.0');
  });

  it('an OnActivate failure is returned as the error Mattermost expects', async () => {
    const transport = fakeServer({ 1: {} });
    const plain = await call(new HooksServer({ onActivate: async () => { throw new Error('no bot'); } }, transport), 'OnActivate', { APIMuxId: 1 });
    const a = (plain as { A: InterfaceValue }).A;
    assert.equal(a.name, '*plugin.ErrorString');
    assert.deepEqual(a.value, { Code: 0, Err: 'no bot' });
    const typed = await call(new HooksServer({ onActivate: async () => { throw new AppError('x.y', 'bad config', 'd', 400); } }, transport), 'OnActivate', { APIMuxId: 1 });
    assert.equal((typed as { A: InterfaceValue }).A.name, '*model.AppError');
  });

  it('ExecuteCommand returns the response, or an AppError in B', async () => {
    const ok = new HooksServer({ executeCommand: async (_c, args) => ({ Text: `ran ${args.Command}` }) }, fakeServer({}));
    assert.deepEqual(await call(ok, 'ExecuteCommand', { A: {}, B: { Command: '/infra' } }), { A: { Text: 'ran /infra' } });
    const bad = new HooksServer({ executeCommand: async () => { throw new AppError('cmd.bad', 'unknown subcommand', '', 400); } }, fakeServer({}));
    const reply = (await call(bad, 'ExecuteCommand', { A: {}, B: {} })) as { B: { Id: string; StatusCode: number } };
    assert.equal(reply.B.Id, 'cmd.bad');
    assert.equal(reply.B.StatusCode, 400);
  });

  it('hooks without an error result report failures and still answer', async () => {
    const reported: string[] = [];
    const server = new HooksServer({ messageHasBeenPosted: async () => { throw new Error('kv down'); } }, fakeServer({}), { reportError: (m) => reported.push(m) });
    assert.deepEqual(await call(server, 'MessageHasBeenPosted', { A: {}, B: { Id: 'p1' } }), {});
    assert.match(reported[0]!, /MessageHasBeenPosted failed: Error: kv down/);
  });

  it('ServeHTTP bridges the body stream and the response writer, answering only when done', async () => {
    const writes: Buffer[] = [];
    const headers: unknown[] = [];
    const transport = fakeServer({
      5: {
        SyncHeader: { reply: Empty, handle: (h) => { headers.push(h); return {}; } },
        WriteHeader: { reply: Empty, handle: () => ({}) },
        Write: { reply: Empty, handle: (b) => { writes.push(Buffer.from(b as Uint8Array)); return {}; } },
      },
      6: (stream) => serveIOReader(Buffer.from('hello body'), stream),
    });
    const server = new HooksServer({
      httpHandler: (req, res) => {
        const parts: Buffer[] = [];
        req.on('data', (c: Buffer) => parts.push(c));
        req.on('end', () => res.end(`${req.method} ${req.url} ${String(req.headers['mattermost-user-id'])}: ${Buffer.concat(parts).toString()}`));
      },
    }, transport);
    await call(server, 'ServeHTTP', {
      ResponseWriterStream: 5,
      RequestBodyStream: 6,
      Request: { Method: 'POST', URL: '/api/v1/x', Header: { 'Mattermost-User-Id': ['u1'] } },
      Context: { RequestId: 'r' },
    });
    assert.equal(Buffer.concat(writes).toString(), 'POST /api/v1/x u1: hello body');
    assert.equal(headers.length, 1);
  });
});


