import express from 'express';
import type { PluginAPI } from '../plugin/api/plugin_api';
import type { PluginHooks } from '../plugin/hooks/plugin_hooks';
import { Access } from './shared/access/policy';
import { AfterAnswer } from './shared/after_answer';
import { CommandRouter, type CommandSpec } from './shared/commands';
import type { Feature, Logger, ProductContext } from './shared/context';
import { EventPublisher } from './shared/events';
import { UserError } from './shared/errors';
import { errorHandler, jsonBody, requireUser } from './shared/http';
import { KvRepository } from './shared/kv';
import type { RfcTitlePort, RunTemplatePort } from './shared/ports';
import { Scheduler } from './shared/scheduler';
import { createInfraFeature } from './infra/feature';
import { DailyDigest } from './infra/digest';
import { corruptRecordsFor, listCorruptRecords } from './shared/corrupt_records';
import { withCallTimeouts } from './shared/server_calls';
import { callCounting, COUNT_CALLS_ENV, withCallCounting } from './shared/call_count';
import { createIncidentsFeature } from './incidents/feature';
import { createPickFeature } from './pick/feature';
import { createRfcFeature } from './rfc/feature';
import { createGuildsFeature } from './guilds/feature';
import { createRunsFeature } from './runs/feature';
import { createAlertsFeature } from './alerts/feature';
import { createCalendarFeature } from './calendar/feature';
import { createStatusFeature } from './status/feature';
import { createWebhooksFeature } from './webhooks/feature';
import { PRODUCT_VERSION } from './version';
import { BOT, CHANNEL_HOOKS, type ChannelHook } from './manifest';

export interface ProductOptions {
  now?: () => number;
  /** Start the scheduler's polling timer on activation (tests drive it by hand). */
  startScheduler?: boolean;
  /** The lazy shell (./lazy.ts) registered the commands at activation from the build's manifest. */
  commandsRegistered?: boolean;
  /**
   * Answer a request that asks with its round trips (shared/call_count.ts); by default only when
   * the process runs with INFRA_OPS_COUNT_CALLS=1, as the real-server benches start it.
   */
  countCallsOnRequest?: boolean;
}

/**
 * The product as Mattermost sees it: one PluginHooks object. Features are built at activation,
 * when the API exists; HTTP requests that arrive before that get a 503.
 */
export function createProduct(
  options: ProductOptions = {},
): PluginHooks & { context(): ProductContext | undefined; featureHooks(): ChannelHook[]; runDueJobs(): Promise<number> } {
  const now = options.now ?? Date.now;
  let ctx: ProductContext | undefined;
  let features: Feature[] = [];
  let settings: Record<string, unknown> = {};
  let router: CommandRouter | undefined;
  let digest: DailyDigest | undefined;

  const app = express();
  app.disable('x-powered-by');
  // An answer says how many KV and other server round trips it cost when a benchmark asks
  // (shared/call_count.ts).
  app.use(callCounting(options.countCallsOnRequest ?? process.env[COUNT_CALLS_ENV] === '1'));
  const publicV1 = express.Router();
  const v1 = express.Router();
  v1.use(requireUser, jsonBody());
  app.use('/api/v1', (req, res, next) => {
    if (!ctx) return next(new UserError('Infra Ops is starting; try again in a moment.', 503));
    publicV1(req, res, (err?: unknown) => (err ? next(err) : v1(req, res, next)));
  });
  const root = express.Router();
  app.use((req, res, next) => {
    if (!ctx) return next(new UserError('Infra Ops is starting; try again in a moment.', 503));
    root(req, res, next);
  });
  app.use((_req, res) => res.status(404).json({ error: 'Not found.' }));
  app.use(errorHandler((message, fields) => ctx?.log.error(message, fields)));

  const reloadSettings = async (api: PluginAPI): Promise<void> => {
    const raw = await api.loadPluginConfiguration();
    settings = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
  };

  return {
    context: () => ctx,
    /** The channel hooks some feature handles (recorded in the build's manifest). */
    featureHooks: () => CHANNEL_HOOKS.filter((name) => features.some((f) => f[name] !== undefined)),
    /** The jobs due now, at once (the lazy shell loaded the product for one). */
    runDueJobs: async () => (ctx ? ctx.scheduler.runDue() : 0),

    async onActivate(hostApi) {
      // Every call to Mattermost is bounded, so one hung call never stops a request or a node's scheduler.
      // …and counted for the request it serves (benchmarks read the counts from the answer's headers).
      const api = withCallCounting(withCallTimeouts(hostApi));
      await reloadSettings(api);
      const log = loggerFor(api);
      const kv: KvRepository = new KvRepository(api, (err) => void corruptRecordsFor(kv, log, now).reportError(err));
      const botUserId = await api.ensureBotUser(BOT);
      const context: ProductContext = {
        api,
        kv,
        log,
        botUserId,
        access: () => new Access(api),
        now,
        version: PRODUCT_VERSION,
        events: new EventPublisher(api, log),
        scheduler: new Scheduler(kv, now, log),
        afterAnswer: new AfterAnswer(log),
        settings: () => settings,
      };
      const commandRouter = new CommandRouter((err, command) =>
        log.error('command failed', { command, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
      const { features: built, digest: daily } = buildFeatures(context, () => commandRouter.commands);
      for (const feature of built) {
        await feature.activate?.();
        for (const spec of feature.commands ?? []) commandRouter.register(spec);
        feature.publicRoutes?.(publicV1);
        feature.rootRoutes?.(root);
        feature.routes?.(v1);
      }
      for (const spec of options.commandsRegistered ? [] : commandRouter.commands) {
        await api.registerCommand({
          Trigger: spec.trigger,
          AutoComplete: true,
          AutoCompleteDesc: spec.description,
          AutoCompleteHint: '[command]',
          DisplayName: 'Infra Ops',
          Description: spec.description,
          AutocompleteData: commandRouter.autocomplete(spec),
        });
      }
      features = built;
      digest = daily;
      router = commandRouter;
      ctx = context;
      if (options.startScheduler ?? true) context.scheduler.start();
    },

    async onDeactivate() {
      ctx?.scheduler.stop();
      await ctx?.afterAnswer.settled();
      for (const feature of features) await feature.deactivate?.();
    },

    async onConfigurationChange() {
      if (ctx) await reloadSettings(ctx.api);
    },

    async executeCommand(_context, args) {
      if (!router) return { ResponseType: 'ephemeral', Text: 'Infra Ops is starting; try again in a moment.' };
      // Whoever uses Infra Ops in a team (a command not refused) gets its daily digest (opt-out); once per user and
      // team per node, after the answer (the command's reply never waits for it; AfterAnswer logs a failure).
      const enroll = async (): Promise<void> => {
        if (digest && ctx) ctx.afterAnswer.run('digest enrolment', () => digest!.enroll(args.UserId, args.TeamId));
      };
      return router.execute(args, enroll);
    },

    httpHandler: app,

    async messageHasBeenPosted(_context, post) {
      for (const f of features) await f.messageHasBeenPosted?.(post);
    },
    async userHasJoinedChannel(_context, member, actor) {
      for (const f of features) await f.userHasJoinedChannel?.(member, actor);
    },
    async userHasLeftChannel(_context, member, actor) {
      for (const f of features) await f.userHasLeftChannel?.(member, actor);
    },
    async channelHasBeenCreated(_context, channel) {
      for (const f of features) await f.channelHasBeenCreated?.(channel);
    },
  };
}

/** The features, in dependency order (a feature may read the ones before it). */
function buildFeatures(ctx: ProductContext, commands: () => readonly CommandSpec[]): { features: Feature[]; digest: DailyDigest } {
  // Per-template webhooks ask runs about templates; runs report to webhooks: the port is late-bound.
  const runTemplates: RunTemplatePort = { slugOf: (t, n) => runs.service.templatePort.slugOf(t, n), incidentTemplate: (i) => runs.service.templatePort.incidentTemplate(i) };
  const webhooks = createWebhooksFeature(ctx, runTemplates);
  // Incidents are runs: declared, an incident's channel gets its runbook; resolved, it is finished.
  // The daily digest lists `/infra owe` of every feature; features enrol the people they involve.
  const digest = new DailyDigest(ctx, () => features);
  // Late-bound: `/run cadence` and `/run snooze` on an incident's runbook re-time the incident's reminder.
  const runs = createRunsFeature(ctx, webhooks.runActivity, { incidentReminders: () => incidents.reminders, involved: (userIds, teamId) => digest.enrollAll(userIds, teamId) });
  const incidents = createIncidentsFeature(ctx, { activity: webhooks.activity, runbook: runs.service.runbook });
  const status = createStatusFeature(ctx, incidents.statusSource);
  // PICK reads RFC titles under RFCs' own visibility rules (null = no RFC the reader can see);
  // RFCs are built after PICK, so the port is late-bound.
  const rfcTitles: RfcTitlePort = { title: (actor, teamId, n) => rfc.titles.title(actor, teamId, n) };
  const pick = createPickFeature(ctx, rfcTitles);
  const rfc = createRfcFeature(ctx, pick.ideaLinks, (userIds, teamId) => digest.enrollAll(userIds, teamId));
  const guilds = createGuildsFeature(ctx, { incidents: incidents.reviews, rfcs: rfc.reviews, ideas: pick.ideaAgenda });
  const alerts = createAlertsFeature(ctx, incidents.alerts);
  const corruptRecords = async () => (await listCorruptRecords(ctx.kv)).map((r) => ({ key: r.key, detail: r.detail, seenAt: r.firstSeenAt }));
  const calendar = createCalendarFeature(ctx, { guilds: guilds.calendar, rfcs: rfc.reviews, followups: incidents.calendar });
  const infra = createInfraFeature(ctx, commands, () => features, corruptRecords, [
    alerts.infraSubcommand,
    ...webhooks.infraSubcommands,
    ...status.infraSubcommands,
    ...calendar.infraSubcommands,
    ...runs.infraSubcommands,
  ], digest);
  const features: Feature[] = [infra, incidents, pick, rfc, guilds, alerts, webhooks, status, calendar, runs];
  return { features, digest };
}

function loggerFor(api: PluginAPI): Logger {
  return {
    debug: (m, f) => api.logDebug(m, f),
    info: (m, f) => api.logInfo(m, f),
    warn: (m, f) => api.logWarn(m, f),
    error: (m, f) => api.logError(m, f),
  };
}
