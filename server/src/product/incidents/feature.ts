import type { IncidentReviewSource } from '../shared/agenda_sources';
import type { Feature, ProductContext } from '../shared/context';
import { incidentCommand } from './commands';
import { Declarer } from './declare';
import { incidentRoutes } from './http';
import { IncidentQueries, IncidentReviews } from './queries';
import { Reminders } from './reminders';
import { IncidentRuntime } from './runtime';
import { IncidentService } from './service';
import { IncidentStore, SCHEMA_VERSION } from './store';

export interface IncidentsFeature extends Feature {
  /** For the guilds feature: resolved incidents awaiting review. */
  readonly reviews: IncidentReviewSource;
}

/** Incidents: declare → channel → respond → resolve → review. */
export function createIncidentsFeature(ctx: ProductContext): IncidentsFeature {
  const store = new IncidentStore(ctx.kv, (err) => ctx.log.error('unreadable incident record skipped', { key: err.key, error: err.message }));
  const rt = new IncidentRuntime(ctx, store);
  const reminders = new Reminders(rt);
  const declarer = new Declarer(rt, reminders);
  const service = new IncidentService(rt, reminders, declarer);
  const queries = new IncidentQueries(rt);
  const reviews = new IncidentReviews(rt, service);

  return {
    name: 'incidents',
    reviews,
    commands: [incidentCommand(rt, declarer, service, queries)],
    routes: incidentRoutes(rt, declarer, service, queries),
    activate: async () => {
      reminders.register();
      declarer.register();
      // Version 1 is the first layout: nothing to migrate yet, only the marker (idempotent).
      // A future version migrates here, record by record with compare-and-set, before bumping it.
      const version = await store.schemaVersion();
      if (version !== null && version > SCHEMA_VERSION) {
        ctx.log.warn('incident records are newer than this plugin version; reading them may fail', { stored: version, known: SCHEMA_VERSION });
      } else if (version !== SCHEMA_VERSION) {
        await store.setSchemaVersion(SCHEMA_VERSION);
      }
    },
    owedBy: (userId, teamId) => queries.owedBy(userId, teamId),
  };
}
