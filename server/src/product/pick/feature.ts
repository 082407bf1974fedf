import type { Feature, ProductContext } from '../shared/context';
import { pickCommand } from './commands';
import { pickRoutes } from './http';
import { PickService, type RfcLookup } from './service';

/** PICK: ideas scored privately on payoff and cost, revealed as medians on a quadrant chart. */
export function createPickFeature(ctx: ProductContext, rfcTitle: RfcLookup): Feature & { service: PickService } {
  const service = new PickService(ctx, rfcTitle);
  return {
    name: 'pick',
    service,
    commands: [pickCommand(ctx, service)],
    routes: (router) => pickRoutes(router, service, ctx.settings),
    owedBy: (userId, teamId) => service.owedBy(userId, teamId),
    userHasLeftChannel: (member) => service.memberLeft(member.ChannelId, member.UserId),
  };
}
