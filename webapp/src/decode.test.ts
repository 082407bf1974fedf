import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError, array, field, json, nullable, number, object, oneOf, string, withDefault } from './decode';

describe('decoders', () => {
  const d = object({ a: string, b: nullable(number), c: withDefault(array(oneOf('x', 'y')), []) });
  it('decodes, drops unknown fields, applies defaults', () => {
    assert.deepEqual(d({ a: 's', b: null, extra: 1 }), { a: 's', b: null, c: [] });
    assert.deepEqual(d({ a: 's', b: 2, c: ['x', 'y'] }), { a: 's', b: 2, c: ['x', 'y'] });
  });
  it('names the path of the first problem', () => {
    assert.throws(() => d({ a: 1 }), (e: unknown) => e instanceof DecodeError && e.message === 'a: expected string, got number');
    assert.throws(() => d({ a: 's', b: null, c: ['x', 'z'] }), /c\[1\]: expected one of x\|y, got string "z"/);
    assert.throws(() => number(Number.NaN), /expected number/);
  });
  it('reads JSON text and wrapped fields', () => {
    assert.deepEqual(json(field('idea', object({ n: number })))('{"idea":{"n":1}}'), { n: 1 });
    assert.throws(() => json(number)('{'), /expected JSON text/);
  });
});
