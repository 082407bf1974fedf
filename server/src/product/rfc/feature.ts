import { rfcOwedLines } from './owed';
import type { Feature, ProductContext } from '../shared/context';
import type { IdeaLinkPort, RfcReviewSource, RfcTitlePort } from '../shared/ports';
import { rfcCommand } from './commands';
import { rfcRoutes } from './http';
import { RfcService } from './service';

/**
 * RFCs: numbered proposals that belong to the channel they were opened in, through a data-driven
 * lifecycle (lifecycle.ts) with a rule table of who may do what (policy.ts). Wiring only.
 */
export function createRfcFeature(
  ctx: ProductContext,
  ideas: IdeaLinkPort,
  involved?: (userIds: readonly string[], teamId: string) => Promise<void>,
): Feature & { reviews: RfcReviewSource; titles: RfcTitlePort } {
  const service = new RfcService(ctx, ideas, involved);
  return {
    name: 'rfc',
    commands: [rfcCommand(service, ctx.now)],
    routes: (router) => rfcRoutes(router, service),
    activate: async () => {
      service.registerJobs();
      const moved = await service.migrateOpenSets();
      if (moved > 0) ctx.log.info('RFC: open RFCs gathered in their team set', { rfcs: moved });
    },
    owed: { scan: async (userId, teamId) => ({ facts: await service.owedFacts(userId, teamId) }), render: rfcOwedLines },
    reviews: service,
    titles: service,
  };
}
