import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GobDecoder, GobEncoder, bytes, int64, struct } from '../gob/index';
import { RpcClient, RpcConnectionError, RpcServerError, emptyStruct, requestHeader, serveRpc, type RpcService } from './index';

const Args = struct('Args', () => [['A', int64], ['B', int64]]);
const Quotient = struct('Quotient', () => [['Quo', int64], ['Rem', int64]]);

const arith: RpcService = {
  Divide: {
    reply: Quotient,
    handle: async (args) => {
      const { A = 0, B = 0 } = args as { A?: number; B?: number };
      if (B === 0) throw new Error('divide by zero');
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      return { Quo: Math.trunc(A / B), Rem: A % B };
    },
  },
  Echo: { reply: bytes, handle: (args) => args },
  Nothing: { reply: emptyStruct, handle: () => undefined },
  Bad: { reply: int64, handle: () => 'not a number' },
};

let dir: string;
let server: net.Server;
let path: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpc-test-'));
  path = join(dir, 's.sock');
  server = net.createServer((socket) => void serveRpc(socket, { Arith: arith, Plugin: {} }));
  server.listen(path);
  await once(server, 'listening');
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(): Promise<RpcClient> {
  const socket = net.connect(path);
  await once(socket, 'connect');
  return new RpcClient(socket);
}

describe('net/rpc TS client ↔ TS server', () => {
  it('answers many concurrent calls, matched by Seq', async () => {
    const client = await connect();
    const calls = Array.from({ length: 200 }, (_, i) => client.call('Arith.Divide', Args, { A: 1000 + i, B: 7 }));
    const replies = await Promise.all(calls);
    replies.forEach((r, i) => assert.deepEqual(r, quotient(Math.trunc((1000 + i) / 7), (1000 + i) % 7)));
    client.close();
  });

  it('reports handler errors, Go error texts, nil replies and reply mismatches', async () => {
    const client = await connect();
    await assert.rejects(client.call('Arith.Divide', Args, { A: 1 }), new RpcServerError('divide by zero'));
    await assert.rejects(client.call('Arith.Nope', Args, {}), new RpcServerError("rpc: can't find method Arith.Nope"));
    await assert.rejects(client.call('Nope.X', Args, {}), new RpcServerError("rpc: can't find service Nope.X"));
    await assert.rejects(client.call('NoDot', Args, {}), new RpcServerError('rpc: service/method request ill-formed: NoDot'));
    await assert.rejects(client.call('Arith.Bad', Args, {}), /expected int64, got string/);
    assert.deepEqual(await client.call('Arith.Nothing', Args, {}), {});
    const payload = new Uint8Array(300_000).map((_, i) => i & 0xff);
    assert.deepEqual(await client.call('Arith.Echo', bytes, payload), payload);
    // The stream still works after all of that.
    assert.deepEqual(await client.call('Arith.Divide', Args, { A: 9, B: 2 }), quotient(4, 1));
    client.close();
  });

  it('rejects args that do not match their description without writing anything', async () => {
    const client = await connect();
    await assert.rejects(client.call('Arith.Divide', Args, { A: 'x' }), /field Args\.A: expected int64, got string/);
    assert.deepEqual(await client.call('Arith.Divide', Args, { A: 9, B: 3 }), quotient(3, 0));
    client.close();
  });

  it('fails pending calls when the connection closes', async () => {
    const slow = net.createServer((s) => s.on('data', () => s.destroy()));
    const p2 = join(dir, 'slow.sock');
    slow.listen(p2);
    await once(slow, 'listening');
    const socket = net.connect(p2);
    await once(socket, 'connect');
    const client = new RpcClient(socket);
    await assert.rejects(client.call('Arith.Divide', Args, { A: 1, B: 1 }), RpcConnectionError);
    await assert.rejects(client.call('Arith.Divide', Args, { A: 1, B: 1 }), RpcConnectionError);
    slow.close();
  });

  it('carries messages beyond the gob default limit (whole files travel as []byte)', async () => {
    const client = await connect();
    const file = new Uint8Array(65 * 1024 * 1024 + 1).fill(3);
    const echoed = (await client.call('Arith.Echo', bytes, file)) as Uint8Array;
    assert.equal(echoed.length, file.length);
    assert.equal(echoed[echoed.length - 1], 3);
    client.close();
  });

  it('answers an unknown method like Go (golden response bytes) and consumes its args', async () => {
    const socket = net.connect(path);
    await once(socket, 'connect');
    const enc = new GobEncoder();
    const got: Buffer[] = [];
    socket.on('data', (c: Buffer) => got.push(c));
    socket.write(enc.encode(requestHeader, { ServiceMethod: 'Plugin.Nope', Seq: 2 }));
    socket.write(enc.encode(Args, { A: 1, B: 2 }));
    socket.write(enc.encode(requestHeader, { ServiceMethod: 'Arith.Divide', Seq: 3 }));
    socket.write(enc.encode(Args, { A: 7, B: 2 }));
    await waitFor(() => Buffer.concat(got).length > 60 && decodeAll(Buffer.concat(got)).length === 4);
    const values = decodeAll(Buffer.concat(got));
    assert.deepEqual(values, [
      { ServiceMethod: 'Plugin.Nope', Seq: 2, Error: "rpc: can't find method Plugin.Nope" }, {},
      { ServiceMethod: 'Arith.Divide', Seq: 3 }, quotient(3, 1),
    ]);
    // plugin-rpc.md §3 golden: the header value message, after its (stream-specific) type id.
    const all = Buffer.concat(got).toString('hex');
    const golden = '01 0b 50 6c 75 67 69 6e 2e 4e 6f 70 65 01 02 01 22'.replace(/ /g, '')
      + Buffer.from("rpc: can't find method Plugin.Nope").toString('hex') + '00';
    assert.match(all, new RegExp(`36ff8[0-9a-f]${golden}`));
    socket.destroy();
  });
});

function quotient(quo: number, rem: number): Record<string, number> {
  // Zero fields are not sent, and decoded structs hold only what was sent.
  return { ...(quo !== 0 ? { Quo: quo } : {}), ...(rem !== 0 ? { Rem: rem } : {}) };
}

function decodeAll(buf: Buffer): unknown[] {
  const dec = new GobDecoder();
  dec.push(buf);
  const out: unknown[] = [];
  for (let v = dec.next(); v; v = dec.next()) out.push(v.value);
  return out;
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), 'timed out');
}
