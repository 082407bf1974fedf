import type { Feature, ProductContext } from '../shared/context';
import { corruptRecordsFor } from '../shared/corrupt_records';
import type { AlertIncidentPort, FollowupCalendarSource, IncidentActivitySink, IncidentReminderPort, IncidentReviewSource, IncidentRunbookPort, IncidentStatusSource } from '../shared/ports';
import { IncidentAlertPort } from './alert_port';
import { IncidentStatus } from './status_source';
import { IncidentChannels } from './channels';
import { incidentCommand } from './commands';
import { Declarer } from './declare';
import { IncidentEffects } from './effects';
import { ServerFacts } from './facts';
import { mountIncidentRoutes } from './http';
import { IncidentQueries } from './queries';
import { Reminders } from './reminders';
import { IncidentCalendar } from './calendar';
import { IncidentReviews } from './reviews';
import { IncidentService } from './service';
import { parseSettings } from './settings';
import { incidentOwedLines } from './owed';
import { IncidentStore, SCHEMA_VERSION } from './store';

export interface IncidentsFeature extends Feature {
  /** For the guilds feature: resolved incidents awaiting review, as a reader may see them. */
  readonly reviews: IncidentReviewSource;
  /** For alert intake: incidents opened from alerts, in triage, as the bot. */
  readonly alerts: AlertIncidentPort;
  /** For the team calendar: open follow-ups with a due date, as a feed's reader may see them. */
  readonly calendar: FollowupCalendarSource;
  /** For the status page: active and recent incidents, as a viewer may see them. */
  readonly statusSource: IncidentStatusSource;
  /** For runs: re-time an incident's reminder after its runbook's cadence or snooze changed. */
  readonly reminders: IncidentReminderPort;
}

/** Incidents: declare → channel → respond → resolve → review. Wiring only. */
export function createIncidentsFeature(ctx: ProductContext, ports: { activity?: IncidentActivitySink; runbook?: IncidentRunbookPort } = {}): IncidentsFeature {
  const settings = () => parseSettings(ctx.settings());
  // Unreadable records are skipped by lists and reported once, for `/infra doctor`.
  const corrupt = corruptRecordsFor(ctx.kv, ctx.log, ctx.now);
  const store = new IncidentStore(ctx.kv, (err) => void corrupt.reportError(err));
  const facts = new ServerFacts(ctx.api);
  const channels = new IncidentChannels(ctx.api, facts, ctx.botUserId);
  const effects = new IncidentEffects(ctx, store, settings, ports.activity ?? null, ports.runbook ?? null);
  const reminders = new Reminders(ctx, store, settings, ports.runbook ?? null);
  const declarer = new Declarer(ctx, store, channels, effects, facts, reminders, settings, ctx.botUserId);
  const service = new IncidentService(ctx, store, channels, effects, reminders, settings, ctx.botUserId);
  const queries = new IncidentQueries(ctx, store, settings);
  const reviews = new IncidentReviews(ctx, store, service);

  return {
    name: 'incidents',
    reminders: { cadenceChanged: (channelId) => reminders.resetForChannel(channelId) },
    reviews,
    alerts: new IncidentAlertPort(ctx, store, declarer, service, effects),
    calendar: new IncidentCalendar(ctx, store),
    statusSource: new IncidentStatus(ctx, queries, settings, store),
    commands: [incidentCommand({ ctx, declarer, service, queries, settings })],
    routes: mountIncidentRoutes({ ctx, declarer, service, queries, effects, settings }),
    activate: async () => {
      reminders.register();
      declarer.register();
      // Each version migrates here, record by record with compare-and-set, before bumping it.
      const version = await store.schemaVersion();
      if (version !== null && version > SCHEMA_VERSION) {
        ctx.log.warn('incident records are newer than this plugin version; reading them may fail', { stored: version, known: SCHEMA_VERSION });
      } else if (version !== SCHEMA_VERSION) {
        if (version === null || version < 2) {
          const joined = await store.migrateToFollowupSets();
          if (joined > 0) ctx.log.info('incidents with open follow-ups gathered in their team set', { incidents: joined });
        }
        const healed = await store.healReviewSets();
        if (healed > 0) ctx.log.info('incidents never resolved removed from the review sets', { incidents: healed });
        await store.setSchemaVersion(SCHEMA_VERSION);
      }
      // At every activation, not once: an older node still serving beside this one (a rolling
      // upgrade) rewrites the active set without the severities it does not know.
      const named = await store.fillActiveSeverities();
      if (named > 0) ctx.log.info('active incidents given their severity in the active sets', { incidents: named });
    },
    owed: { scan: (userId, teamId) => queries.owedFacts(userId, teamId), render: (facts, view, overflow) => incidentOwedLines(settings(), facts, view, overflow) },
  };
}
