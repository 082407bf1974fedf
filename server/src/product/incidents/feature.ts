import type { IncidentReviewSource } from '../shared/agenda_sources';
import type { Feature, ProductContext } from '../shared/context';
import { incidentCommand } from './commands';
import { Declarer } from './declare';
import { incidentRoutes } from './http';
import { IncidentQueries, IncidentReviews } from './queries';
import { Reminders } from './reminders';
import { IncidentRuntime } from './runtime';
import { reference } from './schema';
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
    owedBy: async (userId, teamId) => {
      // Tags say which incidents have open follow-ups or are commanded by the user: only those are opened.
      const candidates = (await store.allTags(teamId)).filter(
        (e) => (typeof e.tags['fu'] === 'number' && e.tags['fu'] > 0) || (e.tags['ph'] === 'active' && e.tags['cmd'] === userId),
      );
      const lines: string[] = [];
      for (const i of await store.getMany(candidates.map((c) => c.id))) {
        const due = i.roles.commander === userId ? rt.view(i).nextUpdateDueAt : null;
        if (due !== null && due <= ctx.now()) lines.push(`${reference(i.number)}: a status update is due (~${i.channelName})`);
        for (const f of i.followups) {
          if (f.ownerId === userId && f.doneAt === null) lines.push(`${reference(i.number)} follow-up #${f.n}: ${f.text}${f.due ? ` (due ${f.due})` : ''}`);
        }
      }
      return lines;
    },
  };
}
