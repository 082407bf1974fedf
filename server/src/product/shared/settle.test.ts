import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settleDerived } from './settle';

test('settleDerived writes again from each newer record until the record read back is the one written from', async () => {
  const stored = ['v2', 'v3', 'v3'];
  const written: Array<[string, string | null]> = [];
  const last = await settleDerived('v1', 'v0', {
    write: async (record, previous) => void written.push([record, previous]),
    reread: async () => stored.shift() ?? null,
    same: (a, b) => a === b,
  });
  assert.equal(last, 'v3');
  assert.deepEqual(written, [['v1', 'v0'], ['v2', 'v1'], ['v3', 'v2']]);
});

test('settleDerived stops when the record is gone, and after its rounds under endless change', async () => {
  let writes = 0;
  assert.equal(await settleDerived('a', null, { write: async () => void writes++, reread: async () => null, same: () => false }), 'a');
  assert.equal(writes, 1);
  let n = 0;
  writes = 0;
  await settleDerived(0, null, { write: async () => void writes++, reread: async () => ++n, same: (a, b) => a === b }, 3);
  assert.equal(writes, 3);
});
