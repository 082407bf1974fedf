import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryApi } from '../../plugin/testing/memory_api';
import { KvRepository } from './kv';
import { builtLedger, LEDGER_FEATURE_LIMIT, ledgerKey, ledgerSchema, OwedLedger, OwedLedgerReader, withFact } from './owed';

const fact = (k: string, d: unknown = { k }) => ({ k, ch: 'ch1', d });

test('withFact puts, replaces and removes one record’s fact; past the limit the oldest go and are counted', () => {
  let l = withFact(null, 'pick', '1', fact('1'))!;
  assert.equal(l.builtAt, null, 'a ledger begun by a write is incomplete');
  l = withFact(l, 'pick', '1', fact('1', { changed: true }))!;
  assert.deepEqual(l.entries.map((e) => e.d), [{ changed: true }]);
  assert.equal(withFact(l, 'pick', '2', undefined), null, 'removing what is not there changes nothing');
  for (let n = 2; n <= LEDGER_FEATURE_LIMIT + 5; n++) l = withFact(l, 'pick', String(n), fact(String(n)))!;
  l = withFact(l, 'rfc', '9', fact('9'))!;
  assert.equal(l.entries.filter((e) => e.f === 'pick').length, LEDGER_FEATURE_LIMIT);
  assert.equal(l.entries[0]!.k, '6', 'the oldest dropped first');
  assert.deepEqual(l.overflow, { pick: 5 });
  l = withFact(l, 'pick', '3', undefined)!;
  assert.deepEqual(l.overflow, { pick: 4 }, 'a dropped fact that stops being owed leaves the count');
  assert.ok(l.gen > 60, 'every write bumps the generation');
  const built = builtLedger([{ feature: 'pick', facts: [fact('1')], overflow: 7 }, { feature: 'rfc', facts: [] }], 3, 1000);
  assert.deepEqual({ builtAt: built.builtAt, gen: built.gen, overflow: built.overflow }, { builtAt: 1000, gen: 3, overflow: { pick: 7 } });
});

test('writers touch only the people whose facts changed; a rebuild is stored only over the generation it read', async () => {
  const api = new MemoryApi();
  const kv = new KvRepository(api);
  const runs = new OwedLedger(kv, 'runs');
  const reader = new OwedLedgerReader(kv);
  await runs.sync('t', '1', null, new Map([['u1', fact('1')], ['u2', fact('1')]]));
  const calls = api.kvCalls;
  await runs.sync('t', '1', new Map([['u1', fact('1')], ['u2', fact('1')]]), new Map([['u1', fact('1')]]));
  assert.equal(api.kvCalls - calls, 2, 'only u2 (read, compare-and-set)');
  assert.equal(await kv.get(ledgerKey('t', 'u2'), ledgerSchema).then((l) => l!.entries.length), 0);

  const seen = await reader.read('t', 'u1');
  assert.ok(reader.needsRebuild(seen, 0));
  await runs.sync('t', '2', null, new Map([['u1', fact('2')]])); // a write lands while the rebuild scans
  assert.equal(await reader.store('t', 'u1', seen, builtLedger([{ feature: 'runs', facts: [fact('1')] }], seen!.gen + 1, 5)), false);
  const now = await reader.read('t', 'u1');
  assert.deepEqual(now!.entries.map((e) => e.k), ['1', '2'], 'the write is kept');
  assert.equal(await reader.store('t', 'u1', now, builtLedger([{ feature: 'runs', facts: [fact('1'), fact('2')] }], now!.gen + 1, 5)), true);
  assert.equal(reader.needsRebuild(await reader.read('t', 'u1'), 6), false);
});
