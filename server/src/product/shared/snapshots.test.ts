import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { deepFreeze } from './frozen';
import { parseSnapshot } from './snapshots';

/** A schema that counts how often it validates. */
function countingSchema(): { schema: z.ZodType<{ id: string; tags: string[] }>; runs: () => number } {
  let runs = 0;
  const schema = z.object({ id: z.string(), tags: z.array(z.string()) }).refine(() => {
    runs++;
    return true;
  });
  return { schema, runs: () => runs };
}

test('a frozen snapshot is validated once per schema, and every reader gets the same frozen value', () => {
  const { schema, runs } = countingSchema();
  const d = deepFreeze({ id: 'a', tags: ['x'] });
  const first = parseSnapshot(schema, d);
  assert.deepEqual(first, { id: 'a', tags: ['x'] });
  assert.equal(parseSnapshot(schema, d), first);
  assert.equal(runs(), 1);
  assert.ok(first && Object.isFrozen(first) && Object.isFrozen(first.tags));
  const other = countingSchema();
  parseSnapshot(other.schema, d);
  assert.equal(other.runs(), 1, 'another schema parses for itself');
});

test('an unreadable snapshot reads as null, and a frozen one is not validated again', () => {
  let runs = 0;
  const schema = z.object({ id: z.string() }).refine(() => ++runs < 0, 'never valid');
  const bad = deepFreeze({ id: 'a' });
  assert.equal(parseSnapshot(schema, bad), null);
  assert.equal(parseSnapshot(schema, bad), null);
  assert.equal(runs, 1);
  assert.equal(parseSnapshot(schema, undefined), null);
  assert.equal(parseSnapshot(schema, 'text'), null);
});

test('a snapshot that is not frozen may change, so it is parsed each time', () => {
  const { schema, runs } = countingSchema();
  const d = { id: 'a', tags: ['x'] };
  assert.deepEqual(parseSnapshot(schema, d), { id: 'a', tags: ['x'] });
  d.tags.push('y');
  assert.deepEqual(parseSnapshot(schema, d), { id: 'a', tags: ['x', 'y'] });
  assert.equal(runs(), 2);
});
