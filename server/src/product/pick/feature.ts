import { ideaOwedLines } from './owed';
import type { Feature, ProductContext } from '../shared/context';
import { corruptRecordsFor } from '../shared/corrupt_records';
import type { IdeaAgendaSource, IdeaLinkPort, RfcTitlePort } from '../shared/ports';
import { pickCommand } from './commands';
import { pickHttp } from './http';
import { PickService } from './service';
import { PickStore } from './store';

export interface PickFeature extends Feature {
  /** For guild agendas. */
  readonly ideaAgenda: IdeaAgendaSource;
  /** For RFCs opened from an idea. */
  readonly ideaLinks: IdeaLinkPort;
}

/** PICK: ideas scored privately on payoff and cost, revealed as medians on a quadrant chart. */
export function createPickFeature(ctx: ProductContext, rfcs: RfcTitlePort): PickFeature {
  // Unreadable records are skipped by lists and reported once, for `/infra doctor`.
  const corrupt = corruptRecordsFor(ctx.kv, ctx.log, ctx.now);
  const store = new PickStore(ctx.kv, (err) => void corrupt.reportError(err), (message, fields) => ctx.log.warn(message, fields));
  const service = new PickService(ctx, store, rfcs, (err) => void corrupt.reportError(err));
  return {
    name: 'pick',
    commands: [pickCommand(ctx, service)],
    routes: (router) => pickHttp(router, ctx, service),
    activate: async () => {
      const moved = await store.migrateLegacyOpenSets(ctx.now());
      if (moved > 0) ctx.log.info('PICK: open ideas moved to per-person owed sets', { ideas: moved });
      const scored = await store.migrateScoredSets(ctx.now());
      if (scored > 0) ctx.log.info("PICK: open ideas' scores copied to their scorers' sets", { ideas: scored });
    },
    owed: { scan: (userId, teamId) => service.owedFacts(userId, teamId), render: (facts, _view, overflow) => ideaOwedLines(facts, overflow) },
    userHasLeftChannel: (member) => service.memberLeft(member.ChannelId, member.UserId),
    ideaAgenda: { challengeAgenda: (teamId, reader) => service.challengeAgenda(teamId, reader) },
    ideaLinks: {
      title: async (actor, teamId, n) => (await service.mayLink(ctx.access(), actor, teamId, n)).title,
      link: async (actor, teamId, n, rfc) => {
        const { previous } = await service.link(ctx.access(), actor, teamId, n, rfc);
        return { previous: previous === rfc ? null : previous };
      },
    },
  };
}
