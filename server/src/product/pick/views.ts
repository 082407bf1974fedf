import { type IdeaView, ideaReference } from '../contract/pick';
import type { Idea } from './records';
import { statusOf } from './store';

/**
 * An idea as clients see it: aggregates only. `viewer` is the caller's own part (their score this
 * round, whether they are asked); null where there is no single viewer (events go to a channel).
 */
export function ideaView(idea: Idea, viewer: string | null): IdeaView {
  const status = statusOf(idea);
  const mine = viewer ? idea.scores[viewer] : undefined;
  return {
    teamId: idea.teamId,
    number: idea.number,
    reference: ideaReference(idea.number),
    channelId: idea.channelId,
    title: idea.title,
    ownerId: idea.ownerId,
    createdAt: idea.createdAt,
    updatedAt: idea.updatedAt,
    status,
    round: idea.round,
    askedCount: idea.asked.length,
    scoredCount: Object.keys(idea.scores).length,
    revealed: idea.revealed ? { ...idea.revealed, payoff: { ...idea.revealed.payoff }, cost: { ...idea.revealed.cost } } : null,
    history: idea.history.map((r) => ({ ...r, payoff: { ...r.payoff }, cost: { ...r.cost } })),
    rfcNumber: idea.rfcNumber,
    archived: idea.archived ? { ...idea.archived } : null,
    viewer: viewer
      ? {
          myScore: mine ? { payoff: mine.payoff, cost: mine.cost } : null,
          awaitingMyScore: status === 'open' && !mine && idea.asked.includes(viewer),
        }
      : null,
  };
}
