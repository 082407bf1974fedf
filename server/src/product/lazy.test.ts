import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { MemoryApi, MemoryWorld } from '../plugin/testing/memory_api';
import type { PluginHooks } from '../plugin/hooks/plugin_hooks';
import { createProduct } from './index';
import { createLazyProduct, type LoadProduct } from './lazy';
import { KvRepository } from './shared/kv';
import { Scheduler } from './shared/scheduler';
import { indexKeyOf, shardNeedsScheduler } from './shared/scheduler_index';
import { recordManifest } from './testing/manifest';
import { seedTeam } from './testing/team_seed';

const NOW = Date.UTC(2027, 0, 4, 9, 0, 0);
const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A lazy shell over the real product, counting loads. */
async function lazyProduct(world: MemoryWorld, watchIntervalMs = 60_000) {
  const manifest = await recordManifest();
  const loads: Array<{ commandsRegistered: boolean }> = [];
  const dueRuns: number[] = [];
  const load: LoadProduct = async (options) => {
    loads.push(options);
    const product = createProduct({ ...options, now: () => NOW, startScheduler: false });
    return { ...product, runDueJobs: async () => dueRuns.push(await product.runDueJobs()) };
  };
  const shell = createLazyProduct(manifest, load, { watchIntervalMs, now: () => NOW });
  return { shell, loads, dueRuns, api: new MemoryApi(world) };
}

const args = (world: MemoryWorld, command: string) => {
  const team = seedTeam(world);
  return { UserId: team.alice.Id, ChannelId: team.town.Id, TeamId: team.team.Id, Command: command, TriggerId: 't', SiteURL: 'http://localhost:8065' };
};

describe('lazy product', () => {
  it('activates without loading the product: the same commands and bot as the product registers', async () => {
    const eagerWorld = new MemoryWorld();
    const eager = createProduct({ startScheduler: false });
    await eager.onActivate!(new MemoryApi(eagerWorld));
    await eager.onDeactivate!();

    const world = new MemoryWorld();
    const { shell, loads, api } = await lazyProduct(world);
    await shell.onActivate!(api);
    assert.equal(loads.length, 0);
    assert.equal(shell.loaded(), false);
    assert.deepEqual([...world.commands.entries()], [...eagerWorld.commands.entries()]);
    assert.deepEqual([...world.users.values()].filter((u) => u.IsBot).map((u) => u.Username), ['infra-ops']);
    // The same hooks for Mattermost's `Implemented` (the shell adds loaded(), the product context() and featureHooks()).
    const served = (hooks: object, own: string[]): string[] => Object.keys(hooks).filter((k) => !own.includes(k)).sort();
    assert.deepEqual(served(shell, ['loaded']), served(eager, ['context', 'featureHooks', 'runDueJobs']));
    await shell.onDeactivate!();
  });

  it('loads and activates the product once on the first command, however many race, and answers as the product does', async () => {
    const world = new MemoryWorld();
    const { shell, loads, api } = await lazyProduct(world);
    await shell.onActivate!(api);
    const a = args(world, '/pick help');
    const [first, second] = await Promise.all([shell.executeCommand!({}, a), shell.executeCommand!({}, a)]);
    assert.deepEqual(loads, [{ commandsRegistered: true }]);
    assert.equal(shell.loaded(), true);
    assert.deepEqual(first, second);
    assert.match(String(first.Text), /pick/i);
    await shell.onDeactivate!();
  });

  it('serves the first HTTP request through the loaded product', async () => {
    const world = new MemoryWorld();
    const { shell, loads, api } = await lazyProduct(world);
    await shell.onActivate!(api);
    const server = createServer(shell.httpHandler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/no/such/route`);
      assert.equal(response.status, 404);
      assert.deepEqual(await response.json(), { error: 'Not found.' });
      assert.equal(loads.length, 1);
    } finally {
      server.close();
      await shell.onDeactivate!();
    }
  });

  it('loads the product for a hook a feature handles, not for the others', async () => {
    const world = new MemoryWorld();
    const { shell, loads, api } = await lazyProduct(world);
    const hooks = shell as Required<PluginHooks>;
    await shell.onActivate!(api);
    const { town: channel, alice } = seedTeam(world);
    await hooks.messageHasBeenPosted({}, { Id: 'p', ChannelId: channel.Id, UserId: alice.Id, Message: 'hi' });
    await hooks.channelHasBeenCreated({}, channel);
    assert.equal(loads.length, 0);
    await hooks.userHasLeftChannel({}, { ChannelId: channel.Id, UserId: alice.Id } as never, null);
    assert.equal(loads.length, 1);
    await shell.onDeactivate!();
  });

  it('loads the product when the watch finds a scheduled job due, and runs the job at once', async () => {
    const world = new MemoryWorld();
    const { shell, loads, dueRuns, api } = await lazyProduct(world, 5);
    await new Scheduler(new KvRepository(api, () => {}), () => NOW, log).schedule('test:job', 'test', NOW + 60_000, {});
    await shell.onActivate!(api);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(loads.length, 0, 'nothing due yet');
    await new Scheduler(new KvRepository(api, () => {}), () => NOW, log).schedule('test:due', 'test', NOW - 1, {});
    for (let i = 0; i < 200 && dueRuns.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(loads.length, 1);
    assert.equal(dueRuns.length, 1, "the product's scheduler ran the due jobs as soon as it was loaded");
    await shell.onDeactivate!();
  });
});

describe('shardNeedsScheduler', () => {
  const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
  it('is false for no shard and for jobs due later, true for a due job and for what is not an index', () => {
    assert.equal(shardNeedsScheduler(null, NOW), false);
    assert.equal(shardNeedsScheduler(bytes({ v: 1, due: {} }), NOW), false);
    assert.equal(shardNeedsScheduler(bytes({ v: 1, due: { a: { at: NOW + 1, gen: 1 } } }), NOW), false);
    assert.equal(shardNeedsScheduler(bytes({ v: 1, due: { a: { at: NOW + 1, gen: 1 }, b: { at: NOW, gen: 2 } } }), NOW), true);
    assert.equal(shardNeedsScheduler(bytes('{not json'), NOW), true);
    assert.equal(shardNeedsScheduler(bytes({ v: 1 }), NOW), true);
    assert.equal(shardNeedsScheduler(bytes({ v: 1, due: { a: { at: 'soon' } } }), NOW), true);
    assert.equal(indexKeyOf(3), 'sched:index:3');
  });
});
