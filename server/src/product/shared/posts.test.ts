import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../plugin/api/app_error';
import type { PluginAPI } from '../../plugin/api/plugin_api';
import type { Post } from '../../plugin/model/types';
import { MemoryApi, MemoryWorld } from '../../plugin/testing/memory_api';
import type { Logger, ProductContext } from './context';
import { KvRepository } from './kv';
import { IDEMPOTENCY_PROP, POST_IN_FLIGHT_MS, PostInFlightError, postOnce } from './posts';
import { SCHEDULER_DEFAULTS, Scheduler } from './scheduler';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
type PostContext = Pick<ProductContext, 'api' | 'kv' | 'botUserId' | 'log' | 'now'>;

function setup(): { world: MemoryWorld; channelId: string; clock: { now: number }; node: (api?: PluginAPI) => PostContext } {
  const clock = { now: 1_000_000 };
  const world = new MemoryWorld();
  const team = world.addTeam('ops');
  const channelId = world.addChannel(team.Id, 'inc-1').Id;
  const node = (api: PluginAPI = new MemoryApi(world)): PostContext => ({ api, kv: new KvRepository(api), botUserId: 'bot', log: quiet, now: () => clock.now });
  return { world, channelId, clock, node };
}

/** A node killed with SIGKILL right after Mattermost created its post: nothing after that answers. */
function killedAfterPosting(world: MemoryWorld): PluginAPI {
  const inner = new MemoryApi(world);
  let dead = false;
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        if (dead) return new Promise(() => {});
        const result = method.apply(target, args);
        if (property === 'createPost') dead = true;
        return result;
      };
    },
  });
}

const botPosts = (world: MemoryWorld, channelId: string): Post[] => world.postsIn(channelId);

test('postOnce posts once per key, with the key in the post props', async () => {
  const { world, channelId, node } = setup();
  const first = await postOnce(node(), { channelId, message: 'reminder' }, 'remind:inc-1@60000');
  const again = await postOnce(node(), { channelId, message: 'reminder' }, 'remind:inc-1@60000');
  const other = await postOnce(node(), { channelId, message: 'next reminder' }, 'remind:inc-1@120000');
  assert.equal(first.outcome, 'posted');
  assert.deepEqual(again, { outcome: 'already-posted', postId: first.postId });
  assert.equal(other.outcome, 'posted');
  const posts = botPosts(world, channelId);
  assert.deepEqual(posts.map((p) => p.Message), ['reminder', 'next reminder']);
  assert.equal(posts[0]!.Props?.[IDEMPOTENCY_PROP], 'remind:inc-1@60000');
  assert.equal(posts[0]!.UserId, 'bot');
});

test('a node killed after posting: a retry soon after waits, a later retry never posts it again', async () => {
  const { world, channelId, clock, node } = setup();
  const dying = postOnce(node(killedAfterPosting(world)), { channelId, message: 'meeting starts' }, 'guild:infra@1');
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(botPosts(world, channelId).length, 1, 'Mattermost made the post before the node died');
  void dying;

  clock.now += 1_000;
  await assert.rejects(postOnce(node(), { channelId, message: 'meeting starts' }, 'guild:infra@1'), PostInFlightError);
  clock.now += POST_IN_FLIGHT_MS;
  const retry = await postOnce(node(), { channelId, message: 'meeting starts' }, 'guild:infra@1');
  assert.equal(retry.outcome, 'already-posted');
  assert.equal(botPosts(world, channelId).length, 1, 'still one post');
});

test('a scheduled job whose node dies after posting runs again on another node without a second post', { timeout: 10_000 }, async () => {
  const { world, channelId, node } = setup();
  let clock = 0;
  const now = (): number => Date.now() + clock;
  const timings = { claimMs: 200, heartbeatMs: 40, kvTimeoutMs: 100, handlerTimeoutMs: 1_000 };
  const contextA = { ...node(killedAfterPosting(world)), now };
  const contextB = { ...node(), now };
  const a = new Scheduler(contextA.kv, now, quiet, timings);
  const b = new Scheduler(contextB.kv, now, quiet, timings);
  const runs: string[] = [];
  for (const [name, scheduler, ctx] of [['A', a, contextA], ['B', b, contextB]] as const) {
    scheduler.register('remind', async (_payload, job) => {
      runs.push(name);
      await postOnce(ctx, { channelId, message: 'status update due' }, job.occurrenceKey);
    });
  }
  await b.schedule('remind:inc-1', 'remind', now(), {});
  void a.runDue();
  await new Promise((resolve) => setTimeout(resolve, 400));
  // B takes the job over once A's claim lapsed; its first retry finds A's mark still young, the
  // next one (after the in-flight window) takes it as posted.
  for (let i = 0; i < 4 && (await b.dueAt('remind:inc-1')) !== null; i++) {
    clock += POST_IN_FLIGHT_MS;
    await b.runDue();
  }
  assert.deepEqual(runs.slice(0, 2), ['A', 'B']);
  assert.equal(await b.dueAt('remind:inc-1'), null, 'the job is done');
  assert.equal(botPosts(world, channelId).length, 1, 'exactly one post');
});

test('a refusal withdraws the mark and is not retried; a transient error lets the retry post', async () => {
  const { world, channelId, node } = setup();
  const refused = await postOnce(node(), { channelId: 'gone', message: 'x' }, 'k1');
  assert.deepEqual(refused, { outcome: 'refused', postId: null });

  let failures = 1;
  const flaky = new Proxy(new MemoryApi(world), {
    get(target, property, receiver) {
      if (property === 'createPost' && failures > 0) {
        failures--;
        return () => Promise.reject(new AppError('store.sql_post.save.app_error', 'database unavailable', '', 500));
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  await assert.rejects(postOnce(node(flaky), { channelId, message: 'retry me' }, 'k2'), /database unavailable/);
  const retried = await postOnce(node(), { channelId, message: 'retry me' }, 'k2');
  assert.equal(retried.outcome, 'posted', 'the failed attempt did not leave a mark behind');
  assert.equal(botPosts(world, channelId).length, 1);
});

test('a long idempotency key still fits Mattermost’s 150-character KV keys', async () => {
  const { world, channelId, node } = setup();
  const key = `guild-cadence:${'x'.repeat(200)}@1`;
  assert.equal((await postOnce(node(), { channelId, message: 'm' }, key)).outcome, 'posted');
  assert.equal((await postOnce(node(), { channelId, message: 'm' }, key)).outcome, 'already-posted');
  assert.equal(botPosts(world, channelId).length, 1);
});

test('a takeover of a dead node’s job comes after the in-flight window, so it settles the post at once', () => {
  // The dead node renewed its claim at most one heartbeat before it wrote its mark.
  const earliestTakeover = SCHEDULER_DEFAULTS.claimMs - SCHEDULER_DEFAULTS.heartbeatMs;
  assert.ok(POST_IN_FLIGHT_MS <= earliestTakeover, `${POST_IN_FLIGHT_MS} ms in flight vs a takeover after ${earliestTakeover} ms`);
});
