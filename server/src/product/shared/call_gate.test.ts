import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallGate } from './call_gate';

const deferred = (): { promise: Promise<void>; resolve: () => void } => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

test('lets at most the limit through and the rest in arrival order', async () => {
  const gate = new CallGate(2);
  const started: number[] = [];
  const holds = [0, 1, 2, 3, 4].map(() => deferred());
  const done = holds.map((hold, n) =>
    gate.run(async () => {
      started.push(n);
      await hold.promise;
      return n;
    }),
  );
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1]);
  assert.equal(gate.inFlight, 2);
  holds[1]!.resolve();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1, 2]);
  assert.equal(gate.inFlight, 2);
  for (const hold of holds) hold.resolve();
  assert.deepEqual(await Promise.all(done), [0, 1, 2, 3, 4]);
  assert.equal(gate.inFlight, 0);
});

test('a failure frees its slot and reaches its caller', async () => {
  const gate = new CallGate(1);
  const failed = gate.run(() => Promise.reject(new Error('no')));
  const next = gate.run(() => Promise.resolve('yes'));
  await assert.rejects(failed, /no/);
  assert.equal(await next, 'yes');
  assert.equal(gate.inFlight, 0);
});

test('refuses a limit that is not a whole number of at least one', () => {
  assert.throws(() => new CallGate(0), RangeError);
  assert.throws(() => new CallGate(1.5), RangeError);
});
