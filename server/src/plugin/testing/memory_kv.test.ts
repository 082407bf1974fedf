import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../api/app_error';
import { MemoryKv } from './memory_kv';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);
const s = (v: Uint8Array | null): string | null => (v === null ? null : new TextDecoder().decode(v));

test('set, get, delete; empty value deletes like Mattermost', () => {
  const kv = new MemoryKv();
  kv.set('a', b('1'));
  assert.equal(s(kv.get('a')), '1');
  kv.set('a', new Uint8Array());
  assert.equal(kv.get('a'), null);
});

test('atomic insert-if-absent, compare-and-set and compare-and-delete', () => {
  const kv = new MemoryKv();
  assert.equal(kv.setWithOptions('k', b('x'), { Atomic: true, OldValue: null }), true);
  assert.equal(kv.setWithOptions('k', b('y'), { Atomic: true, OldValue: null }), false);
  assert.equal(kv.setWithOptions('k', b('y'), { Atomic: true, OldValue: b('nope') }), false);
  assert.equal(kv.setWithOptions('k', b('y'), { Atomic: true, OldValue: b('x') }), true);
  assert.equal(s(kv.get('k')), 'y');
  assert.equal(kv.compareAndDelete('k', null), false, 'a nil old value deletes nothing');
  assert.equal(kv.setWithOptions('k', null, { Atomic: true, OldValue: b('x') }), false);
  assert.equal(kv.setWithOptions('k', null, { Atomic: true, OldValue: b('y') }), true);
  assert.equal(kv.get('k'), null);
});

test('OldValue without Atomic is invalid; over-long keys are refused', () => {
  const kv = new MemoryKv();
  assert.throws(() => kv.setWithOptions('k', b('x'), { OldValue: b('x') }), AppError);
  assert.throws(() => kv.set('k'.repeat(151), b('x')), /Invalid key/);
  kv.set('é'.repeat(150), b('x'));
});

test('expired keys read as absent, are replaced by an atomic insert and are not listed', () => {
  let now = 1_000_000;
  const kv = new MemoryKv(() => now);
  kv.setWithOptions('lock', b('1'), { Atomic: true, OldValue: null, ExpireInSeconds: 15 });
  assert.equal(kv.setWithOptions('lock', b('2'), { Atomic: true, OldValue: null }), false);
  now += 15_000;
  assert.equal(kv.get('lock'), null);
  assert.deepEqual(kv.list(0, 10), []);
  assert.equal(kv.setWithOptions('lock', b('2'), { Atomic: true, OldValue: null }), true);
  assert.equal(kv.compareAndSet('lock', b('1'), b('3')), false, 'an expired old value never matches');
});

test('list pages keys in ascending order', () => {
  const kv = new MemoryKv();
  for (const k of ['c', 'a', 'b', 'e', 'd']) kv.set(k, b(k));
  assert.deepEqual(kv.list(0, 2), ['a', 'b']);
  assert.deepEqual(kv.list(1, 2), ['c', 'd']);
  assert.deepEqual(kv.list(2, 2), ['e']);
  assert.throws(() => kv.list(-1, 2), AppError);
});
