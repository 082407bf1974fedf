import { guildOwedLines } from './owed';
import type { Feature, ProductContext } from '../shared/context';
import { GuildCalendar } from './calendar';
import { guildCommand } from './commands';
import { guildHttpRoutes } from './http';
import { GuildRhythm } from './rhythm';
import { type GuildSources, GuildService } from './service';

/** Guilds: team meeting cadences whose agendas are built from live incidents, RFCs and ideas. Wiring only. */
export function createGuildsFeature(ctx: ProductContext, sources: GuildSources): Feature & { service: GuildService; calendar: GuildCalendar } {
  const service = new GuildService(ctx, sources);
  const rhythm = new GuildRhythm(ctx, service);
  return {
    name: 'guilds',
    service,
    calendar: new GuildCalendar(ctx, service.store),
    commands: [guildCommand(ctx, service, rhythm)],
    routes: (router) => guildHttpRoutes(router, service),
    activate: async () => {
      await service.activate();
      // A holiday copy missed by a crash between the team's list and a guild is caught up here.
      for (const teamId of await service.store.teams()) await rhythm.resyncHolidays(teamId);
    },
    owed: { scan: async (userId, teamId) => ({ facts: await service.owedFacts(userId, teamId) }), render: (facts) => guildOwedLines(facts) },
  };
}
