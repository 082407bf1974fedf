import type { Feature, ProductContext } from '../shared/context';
import { guildCommand } from './commands';
import { guildHttpRoutes } from './http';
import { type GuildSources, GuildService } from './service';

/** Guilds: team meeting cadences whose agendas are built from live incidents, RFCs and ideas. Wiring only. */
export function createGuildsFeature(ctx: ProductContext, sources: GuildSources): Feature & { service: GuildService } {
  const service = new GuildService(ctx, sources);
  return {
    name: 'guilds',
    service,
    commands: [guildCommand(ctx, service)],
    routes: (router) => guildHttpRoutes(router, service),
    activate: () => service.activate(),
    owedBy: (userId, teamId) => service.owedBy(userId, teamId),
  };
}
