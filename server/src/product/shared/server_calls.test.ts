import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PluginAPI } from '../../plugin/api/plugin_api';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import { TimeoutError, withCallTimeouts, withTimeout } from './server_calls';

test('withTimeout passes results and errors through, and rejects a hung call in time, aborting its signal', async () => {
  assert.equal(await withTimeout(Promise.resolve(7), 50, 'quick'), 7);
  await assert.rejects(withTimeout(Promise.reject(new Error('no')), 50, 'failing'), /no/);
  let aborted: unknown;
  const started = Date.now();
  await assert.rejects(
    withTimeout((signal) => {
      signal.addEventListener('abort', () => (aborted = signal.reason as unknown));
      return new Promise<never>(() => {});
    }, 60, 'hung call'),
    (err: unknown) => err instanceof TimeoutError && err.what === 'hung call' && err.ms === 60,
  );
  assert.ok(Date.now() - started < 1_000);
  assert.ok(aborted instanceof TimeoutError);
});

test('withCallTimeouts bounds every asynchronous API call and leaves the synchronous ones alone', async () => {
  const world = new MemoryWorld();
  const hung = new Proxy(new MemoryApi(world), {
    get(target, property, receiver) {
      if (property === 'getChannel') return () => new Promise(() => {});
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  const api: PluginAPI = withCallTimeouts(hung, 50);
  await api.kvSet('k', new TextEncoder().encode('v'));
  assert.equal(new TextDecoder().decode(await api.kvGet('k') ?? new Uint8Array()), 'v', 'calls that answer are untouched');
  await assert.rejects(api.getChannel('c'), (err: unknown) => err instanceof TimeoutError && err.what === 'Mattermost API getChannel');
  assert.equal(api.logInfo('hello'), undefined, 'log calls stay synchronous');
});
