/** net/rpc across the language boundary over a unix socket: Go client → TS server, TS client → Go server. */
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { buildGoProgram } from '../gob/conformance/build';
import { bytes, int, string } from '../gob/index';
import { Args, Post, arith } from './conformance/arith';
import { RpcClient, RpcServerError, emptyStruct, serveRpc } from './index';

let program: string;
let dir: string;

before(() => {
  program = buildGoProgram(join(__dirname, 'conformance'), 'rpcconformance');
  dir = mkdtempSync(join(tmpdir(), 'rpc-wire-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Decoded structs hold only the fields that were sent (zero fields are omitted). */
const quotient = (quo: number, rem: number): Record<string, number> =>
  ({ ...(quo !== 0 ? { Quo: quo } : {}), ...(rem !== 0 ? { Rem: rem } : {}) });

describe('net/rpc conformance with Go net/rpc', () => {
  it('Go client → TS server: concurrent calls, errors, unknown methods, nil replies', async () => {
    const path = join(dir, 'ts.sock');
    const server = net.createServer((socket) => void serveRpc(socket, { Arith: arith }));
    server.listen(path);
    await once(server, 'listening');
    try {
      const { stdout } = await promisify(execFile)(program, ['client', path], { timeout: 60_000 });
      assert.equal(stdout.trim(), 'ok');
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      assert.fail(`Go client failed: ${e.stdout ?? ''} ${e.stderr ?? String(err)}`);
    } finally {
      server.close();
    }
  });

  it('TS client → Go server: concurrent calls, errors, unknown methods, nil replies', async () => {
    const path = join(dir, 'go.sock');
    const child = spawn(program, ['server', path], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout });
      const [first] = (await once(lines, 'line')) as [string];
      assert.equal(first, 'listening');
      const socket = net.connect(path);
      await once(socket, 'connect');
      const client = new RpcClient(socket);

      const calls = Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0
          ? client.call('Arith.Divide', Args, { A: 1000 + i, B: 7 }).then((r) => assert.deepEqual(r, quotient(Math.trunc((1000 + i) / 7), (1000 + i) % 7)))
          : client.call('Arith.Sleep', int, (i * 7) % 20).then((r) => assert.equal(r, (i * 7) % 20)));
      await Promise.all(calls);

      await assert.rejects(client.call('Arith.Divide', Args, { A: 1 }), new RpcServerError('divide by zero'));
      await assert.rejects(client.call('Arith.Fail', string, 'custom failure ✗'), new RpcServerError('custom failure ✗'));
      await assert.rejects(client.call('Arith.Nope', Args, {}), new RpcServerError("rpc: can't find method Arith.Nope"));
      await assert.rejects(client.call('Nope.Divide', Args, {}), new RpcServerError("rpc: can't find service Nope.Divide"));
      await assert.rejects(client.call('NoDot', Args, {}), new RpcServerError('rpc: service/method request ill-formed: NoDot'));
      assert.deepEqual(await client.call('Arith.Nothing', emptyStruct, {}), {});

      const payload = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
      assert.deepEqual(await client.call('Arith.Echo', bytes, payload), payload);
      // Large and small messages in flight together: whole messages, never interleaved.
      const mixed = await Promise.all([
        ...[1, 2, 3].map((k) => client.call('Arith.Echo', bytes, payload.map((b) => b ^ k))),
        ...Array.from({ length: 50 }, (_, i) => client.call('Arith.Divide', Args, { A: i + 1, B: 1 })),
      ]);
      [1, 2, 3].forEach((k, i) => assert.deepEqual(mixed[i], payload.map((b) => b ^ k)));
      mixed.slice(3).forEach((q, i) => assert.deepEqual(q, quotient(i + 1, 0)));
      const post = { Id: 'p1', CreateAt: 1700000000123, Message: 'hi', FileIds: ['f'], Props: { n: 1.5, s: 'x', b: true, m: { l: ['a', 2] } } };
      assert.deepEqual(await client.call('Arith.Post', Post, post), { ...post, Message: 'hi!' });
      assert.deepEqual(await client.call('Arith.Divide', Args, { A: 9, B: 2 }), quotient(4, 1));
      client.close();
    } finally {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
});
