/**
 * The product loaded on first use (issue 12: idle RSS and exec → activated). Evaluating the
 * product — express, zod and every feature's schemas — is most of the plugin process's start-up
 * CPU and idle heap, and an installed plugin often sits idle. So activation does only what
 * Mattermost must see at once: the bot, and the slash commands from a manifest recorded at build
 * time from the product itself (scripts/product_manifest.ts); a watch reads the scheduler's
 * due-time index (no zod, no express). The product is evaluated and activated — its migrations,
 * job handlers, repairs and its own scheduler — on the first command, HTTP request or hook a
 * feature handles, or when the watch finds a job due. This module imports no product code but
 * types, so the bundle keeps the rest lazily initialised (esbuild wraps what `load` imports).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PluginAPI } from '../plugin/api/plugin_api';
import type { PluginHooks } from '../plugin/hooks/plugin_hooks';
import type { ChannelHook, ProductManifest } from './manifest';
import { BOT } from './manifest';
import { watchDueJobs, type DueWatch } from './shared/scheduler_index';

/** The product's hooks, and a way to run the jobs due now (the watch found one: no waiting for the scheduler's first tick). */
export type LoadedProduct = PluginHooks & { runDueJobs?(): Promise<unknown> };
/** What the loader gives back: the product, activated by the shell with `commandsRegistered`. */
export type LoadProduct = (options: { commandsRegistered: boolean }) => Promise<LoadedProduct>;

export interface LazyProductOptions {
  /** How often the watch reads the due-time index (the scheduler's own default tick). */
  watchIntervalMs?: number;
  now?: () => number;
}

export function createLazyProduct(manifest: ProductManifest, load: LoadProduct, options: LazyProductOptions = {}): PluginHooks & { loaded(): boolean } {
  let api: PluginAPI | undefined;
  let product: Promise<LoadedProduct> | undefined;
  let active: LoadedProduct | undefined;
  let watch: DueWatch | undefined;

  /** Evaluates and activates the product once; every caller waits for the same activation. */
  const ready = (): Promise<LoadedProduct> => {
    if (!api) return Promise.reject(new Error('Infra Ops is not activated'));
    const host = api;
    product ??= (async () => {
      watch?.stop();
      const hooks = await load({ commandsRegistered: true });
      await hooks.onActivate?.(host);
      active = hooks;
      return hooks;
    })().catch((err: unknown) => {
      // A failed load is retried by the next use, not remembered; the watch resumes meanwhile.
      product = undefined;
      watch?.start();
      throw err;
    });
    return product;
  };
  const uses = new Set(manifest.hooks);
  /** A channel hook loads the product only when a feature handles it (the manifest says which). */
  const forward = async (name: ChannelHook, call: (p: PluginHooks) => Promise<void> | undefined): Promise<void> => {
    const target = uses.has(name) ? await ready() : active;
    if (target) await call(target);
  };

  const hooks: PluginHooks & { loaded(): boolean } = {
    loaded: () => active !== undefined,

    async onActivate(hostApi) {
      api = hostApi;
      // Asked together: each is a round trip to the server, and none needs another's answer.
      await Promise.all([hostApi.ensureBotUser(BOT), ...manifest.commands.map((command) => hostApi.registerCommand(command))]);
      watch = watchDueJobs(hostApi, {
        intervalMs: options.watchIntervalMs,
        now: options.now,
        onDue: () =>
          void ready()
            .then((p) => p.runDueJobs?.())
            .catch((err: unknown) => hostApi.logError('Infra Ops could not load for a due job', { error: String(err) })),
      });
      watch.start();
    },

    async onDeactivate() {
      watch?.stop();
      const loading = product;
      product = undefined;
      if (loading) await (await loading.catch(() => undefined))?.onDeactivate?.();
      active = undefined;
    },

    async onConfigurationChange() {
      if (active) await active.onConfigurationChange?.();
    },

    async executeCommand(context, args) {
      return (await ready()).executeCommand!(context, args);
    },

    httpHandler: (req: IncomingMessage, res: ServerResponse) => {
      ready().then(
        (p) => p.httpHandler!(req, res),
        (err: unknown) => {
          api?.logError('Infra Ops could not load for a request', { error: String(err) });
          res.statusCode = 503;
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ error: 'Infra Ops could not start; try again in a moment.' }));
        },
      );
    },

    // The channel hooks the product implements (./index.ts), so Mattermost sees the same `Implemented`.
    messageHasBeenPosted: (context, post) => forward('messageHasBeenPosted', (p) => p.messageHasBeenPosted?.(context, post)),
    userHasJoinedChannel: (context, member, actor) => forward('userHasJoinedChannel', (p) => p.userHasJoinedChannel?.(context, member, actor)),
    userHasLeftChannel: (context, member, actor) => forward('userHasLeftChannel', (p) => p.userHasLeftChannel?.(context, member, actor)),
    channelHasBeenCreated: (context, channel) => forward('channelHasBeenCreated', (p) => p.channelHasBeenCreated?.(context, channel)),
  };
  return hooks;
}
