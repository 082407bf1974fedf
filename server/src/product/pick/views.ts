import { type IdeaView, ideaReference } from '../contract/pick';
import { type Idea, type IdeaSummary, type OwedSet, statusOf } from './records';

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

/** The page-shaped summary kept in the index entries: the public view without the viewer's part. */
export function summaryOf(idea: Idea): IdeaSummary {
  const { viewer: _none, ...summary } = ideaView(idea, null);
  return summary;
}

/**
 * A listed idea as its viewer sees it: the summary, and the viewer's part from their own owed set
 * (asks waiting for their score, their newest scores), never from anyone else's.
 */
export function listedView(summary: IdeaSummary, mine: OwedSet | null): IdeaView {
  if (!mine) return { ...summary, viewer: null };
  const score = mine.scored?.find((s) => s.number === summary.number && s.round === summary.round);
  const waiting = summary.status === 'open' && !score && mine.ideas.some((r) => r.number === summary.number);
  return { ...summary, viewer: { myScore: score ? { payoff: score.payoff, cost: score.cost } : null, awaitingMyScore: waiting } };
}
