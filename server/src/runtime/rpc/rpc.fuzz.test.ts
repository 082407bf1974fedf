/**
 * Fuzzing the net/rpc readers: random and mutated bytes on a stream must never crash the process
 * or leave a call hanging, and a broken stream must not disturb the others.
 */
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GobEncoder, bytes, iface, int64, mapOf, string, struct } from '../gob/index';
import { RpcClient, RpcConnectionError, RpcServerError, emptyStruct, requestHeader, responseHeader, serveRpc, type RpcService } from './index';

const runs = (n: number): number => Number(process.env.FUZZ_RUNS ?? n);

/** Two connected in-memory Duplex ends. */
function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (other: () => Duplex): Duplex => new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      other().push(chunk);
      cb();
    },
    final(cb) {
      other().push(null);
      cb();
    },
  });
  ends.push(make(() => ends[1]!), make(() => ends[0]!));
  return [ends[0]!, ends[1]!];
}

const Args = struct('Args', () => [['Name', string], ['Props', mapOf(string, iface)], ['N', int64]]);
const services: Record<string, RpcService> = {
  Svc: {
    Echo: { reply: Args, handle: (a) => a },
    Bytes: { reply: bytes, handle: () => new Uint8Array(4) },
    Fail: { reply: emptyStruct, handle: () => { throw new Error('no'); } },
  },
};

/** Valid request streams to mutate. */
function requests(): Buffer {
  const enc = new GobEncoder();
  const parts: Uint8Array[] = [];
  ['Svc.Echo', 'Svc.Bytes', 'Svc.Fail', 'Svc.Nope', 'Bad'].forEach((m, seq) => {
    parts.push(enc.encode(requestHeader, { ServiceMethod: m, Seq: seq }));
    parts.push(enc.encode(Args, { Name: 'x', Props: { a: [1, 'b'] }, N: seq }));
  });
  return Buffer.concat(parts);
}

function mutate(seed: Buffer, flips: ReadonlyArray<readonly [number, number]>, cut: number): Buffer {
  const b = Buffer.from(seed);
  for (const [at, v] of flips) b[at % b.length] = v;
  return b.subarray(0, Math.max(1, cut % (b.length + 1)));
}

/** Random bytes, or `seed` with a few bytes overwritten and cut short. */
const garbageOrMutated = (seed: Buffer): fc.Arbitrary<Buffer> => fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat())
    .map(([flips, cut]) => mutate(seed, flips, cut)),
);

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} hung`)), ms))]);

describe('net/rpc reader fuzzing', () => {
  it('server: garbage or mutated requests end that stream cleanly; other streams keep working', async () => {
    const seed = requests();
    const healthy = duplexPair();
    serveRpc(healthy[1], services);
    const client = new RpcClient(healthy[0]);
    await fc.assert(
      fc.asyncProperty(
        garbageOrMutated(seed),
        async (input) => {
          const [peer, end] = duplexPair();
          const serving = serveRpc(end, services);
          peer.on('data', () => {});
          peer.on('error', () => {});
          peer.end(input);
          await withTimeout(serving.closed, 2000, 'server close');
          // The healthy stream is unaffected.
          assert.deepEqual(await client.call('Svc.Echo', Args, { Name: 'ok' }), { Name: 'ok' });
        },
      ),
      { numRuns: runs(400) },
    );
    await assert.rejects(client.call('Svc.Fail', Args, {}), new RpcServerError('no'));
    client.close();
  });

  it('client: garbage or mutated responses fail pending calls with RpcConnectionError, never hang', async () => {
    const enc = new GobEncoder();
    const seed = Buffer.concat([
      enc.encode(responseHeader, { ServiceMethod: 'Svc.Echo', Seq: 0 }), enc.encode(Args, { Name: 'x', Props: { k: true } }),
      enc.encode(responseHeader, { ServiceMethod: 'Svc.Fail', Seq: 1, Error: 'no' }), enc.encode(emptyStruct, {}),
    ]);
    await fc.assert(
      fc.asyncProperty(
        garbageOrMutated(seed),
        async (input) => {
          const [mine, theirs] = duplexPair();
          theirs.on('data', () => {});
          const client = new RpcClient(mine);
          const calls = [0, 1, 2].map((i) => client.call('Svc.Echo', Args, { N: i }).then(
            () => 'ok',
            (err: unknown) => {
              assert.ok(err instanceof RpcConnectionError || err instanceof RpcServerError, String(err));
              return 'failed';
            },
          ));
          theirs.end(input);
          await withTimeout(Promise.all(calls), 2000, 'client calls');
          client.close();
        },
      ),
      { numRuns: runs(400) },
    );
  });
});
