import type { Feature, ProductContext } from '../shared/context';
import { rfcCommand } from './commands';
import { rfcRoutes } from './http';
import { type IdeaLinks, RfcService } from './service';

/** RFCs: numbered proposals through a data-driven lifecycle with sign-offs and blocking concerns. */
export function createRfcFeature(ctx: ProductContext, ideas: IdeaLinks): Feature & { service: RfcService } {
  const service = new RfcService(ctx, ideas);
  return {
    name: 'rfc',
    service,
    commands: [rfcCommand(service, ctx.now)],
    routes: (router) => rfcRoutes(router, service),
    owedBy: (userId, teamId) => service.owedBy(userId, teamId),
  };
}
