import assert from 'node:assert/strict';
import test from 'node:test';
import { started } from './started';

test('a read sent before its check is awaited as it is once the check passes', async () => {
  assert.equal(await started(Promise.resolve(42)), 42);
  await assert.rejects(started(Promise.reject(new Error('kv down'))), /kv down/);
});

test('a read whose check failed first is not reported as unhandled when it fails', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const check = async (): Promise<void> => {
      throw new Error('No such team.');
    };
    let fail!: (err: Error) => void;
    const read = started(new Promise<number>((_, reject) => (fail = reject)));
    await assert.rejects(
      (async () => {
        await check();
        return read;
      })(),
      /No such team/,
    );
    fail(new Error('kv down'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
