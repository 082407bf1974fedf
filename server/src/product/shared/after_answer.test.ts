import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogLine } from '../../plugin/testing/memory_api';
import { AfterAnswer } from './after_answer';

test('work runs after the caller moved on, failures are logged, settled waits for work started meanwhile', async () => {
  const logs: LogLine[] = [];
  const push = (level: LogLine['level']) => (message: string, fields?: Record<string, unknown>) => void logs.push({ level, message, ...(fields ? { fields } : {}) });
  const after = new AfterAnswer({ debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') });
  const done: string[] = [];
  after.run('card', async () => {
    await new Promise((r) => setTimeout(r, 5));
    done.push('card');
    after.run('event', async () => void done.push('event'));
  });
  after.run('post', () => Promise.reject(new Error('server down')));
  assert.deepEqual(done, [], 'the caller does not wait');
  await after.settled();
  assert.deepEqual(done, ['card', 'event']);
  assert.deepEqual(logs, [{ level: 'warn', message: 'post failed after the answer', fields: { error: 'server down' } }]);
});

test('work queued under one key runs in the order it was queued, even when an earlier one is slower or fails', async () => {
  const after = new AfterAnswer({ debug() {}, info() {}, warn() {}, error() {} });
  const order: string[] = [];
  after.inOrder('inc:1', 'first post', async () => {
    await new Promise((r) => setTimeout(r, 10));
    order.push('first');
    throw new Error('lost');
  });
  after.inOrder('inc:2', 'other record', async () => void order.push('other'));
  after.inOrder('inc:1', 'second post', async () => void order.push('second'));
  await after.settled();
  assert.deepEqual(order, ['other', 'first', 'second']);
});
