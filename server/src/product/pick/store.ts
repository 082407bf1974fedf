/**
 * PICK's KV layout. Every write is a compare-and-set through KvRepository; records are the truth
 * and the indexes and sets below are derived from them (synced right after each record write).
 *
 * | key                          | record                  | purpose                                        |
 * |------------------------------|-------------------------|------------------------------------------------|
 * | pick:seq:<teamId>            | {v,last}                | team-scoped idea numbers (IDEA-12)             |
 * | pick:i:<teamId>:<n>          | ideaSchema              | the idea: scores, rounds, link, archive        |
 * | pick:ch:<channelId>:h / :c<k>| ChunkedIndex            | the channel's ideas, tags {s,q}                |
 * | pick:tm:<teamId>:h / :c<k>   | ChunkedIndex            | the team's ideas, tags {s,q,ch}                |
 * | pick:open:<teamId>           | ideaSetSchema           | ideas still being scored (for /infra owe)      |
 * | pick:chal:<teamId>           | ideaSetSchema           | live Challenge ideas (for guild agendas)       |
 *
 * Tags: s = open|revealed|archived, q = quadrant or null, ch = channel id.
 */
import { ChunkedIndex, type IndexTags } from '../shared/chunked_index';
import { type KvRepository, UNCHANGED } from '../shared/kv';
import { type CorruptRecordError, nullIfCorrupt, UserError } from '../shared/errors';
import { type Idea, type IdeaRef, ideaReference, ideaSchema, ideaSetSchema } from './schema';

const ideaKey = (teamId: string, n: number): string => `pick:i:${teamId}:${n}`;
const openKey = (teamId: string): string => `pick:open:${teamId}`;
const challengeKey = (teamId: string): string => `pick:chal:${teamId}`;
/** Bounds on the derived sets: they serve reminders and agendas, not archives. */
const SET_LIMIT = 500;

export type IdeaStatus = 'open' | 'revealed' | 'archived';
export const statusOf = (idea: Idea): IdeaStatus => (idea.archived ? 'archived' : idea.revealed ? 'revealed' : 'open');

export type NewIdea = Omit<Idea, 'v' | 'number' | 'channelOrdinal' | 'teamOrdinal'>;

export class PickStore {
  /** `onCorrupt` hears about unreadable records that list pages skip (they are never overwritten). */
  constructor(
    private readonly kv: KvRepository,
    private readonly onCorrupt: (err: CorruptRecordError) => void = () => {},
  ) {}

  channelIndex(channelId: string): ChunkedIndex {
    return new ChunkedIndex(this.kv, `pick:ch:${channelId}`);
  }
  teamIndex(teamId: string): ChunkedIndex {
    return new ChunkedIndex(this.kv, `pick:tm:${teamId}`);
  }

  /** Number → index entries → record: a crash part-way leaves at most an index entry readers skip. */
  async create(draft: NewIdea): Promise<Idea> {
    const number = await this.kv.nextSequence(`pick:seq:${draft.teamId}`);
    const tags = tagsOf({ ...draft, v: 1, number, channelOrdinal: 0, teamOrdinal: 0 });
    const channelOrdinal = await this.channelIndex(draft.channelId).append(String(number), tags);
    const teamOrdinal = await this.teamIndex(draft.teamId).append(String(number), { ...tags, ch: draft.channelId });
    const idea: Idea = { ...draft, v: 1, number, channelOrdinal, teamOrdinal };
    if (!(await this.kv.insert(ideaKey(draft.teamId, number), ideaSchema, idea))) {
      throw new Error(`${ideaKey(draft.teamId, number)} already exists`);
    }
    await this.syncSets(null, idea);
    return idea;
  }

  get(teamId: string, n: number): Promise<Idea | null> {
    return this.kv.get(ideaKey(teamId, n), ideaSchema);
  }

  /** Many ideas at once; an unreadable one comes back as null (and is reported), not as a failed page. */
  getMany(teamId: string, numbers: readonly number[]): Promise<Array<Idea | null>> {
    return Promise.all(numbers.map((n) => this.get(teamId, n).catch(nullIfCorrupt(this.onCorrupt))));
  }

  /**
   * Compare-and-set on the idea; `mutate` may run several times and throws UserError to refuse.
   * Returns the stored idea and the one it replaced, then re-syncs the derived indexes.
   */
  async update(teamId: string, n: number, mutate: (idea: Idea) => Idea | typeof UNCHANGED): Promise<{ before: Idea; after: Idea }> {
    let before: Idea | null = null;
    const after = await this.kv.update(ideaKey(teamId, n), ideaSchema, (current) => {
      if (!current) throw UserError.notFound(`There is no ${ideaReference(n)} in this team.`);
      before = current;
      return mutate(current);
    });
    const previous = before as Idea | null;
    if (!after || !previous) throw UserError.notFound(`There is no ${ideaReference(n)} in this team.`);
    if (previous !== after) await this.sync(previous, after);
    return { before: previous, after };
  }

  private async sync(before: Idea, after: Idea): Promise<void> {
    const tags = tagsOf(after);
    await this.channelIndex(after.channelId).put(after.channelOrdinal, String(after.number), tags);
    await this.teamIndex(after.teamId).put(after.teamOrdinal, String(after.number), { ...tags, ch: after.channelId });
    await this.syncSets(before, after);
  }

  /** Keeps the small per-team sets in step; a no-op read when the idea's membership is unchanged. */
  private async syncSets(before: Idea | null, after: Idea): Promise<void> {
    const wasOpen = before !== null && statusOf(before) === 'open';
    const isOpen = statusOf(after) === 'open';
    if (wasOpen || isOpen) {
      await this.updateSet(openKey(after.teamId), after.number, isOpen ? { ...refOf(after), asked: after.asked } : null);
    }
    const wasChallenge = before !== null && isLiveChallenge(before);
    const isChallenge = isLiveChallenge(after);
    if (wasChallenge || isChallenge) {
      const ref = isChallenge ? { ...refOf(after), revealedAt: after.revealed!.revealedAt, disputed: after.revealed!.disputed } : null;
      await this.updateSet(challengeKey(after.teamId), after.number, ref);
    }
  }

  private async updateSet(key: string, number: number, ref: IdeaRef | null): Promise<void> {
    await this.kv.update(key, ideaSetSchema, (set) => {
      const ideas = (set?.ideas ?? []).filter((i) => i.number !== number);
      if (ref) ideas.push(ref);
      if (!ref && ideas.length === (set?.ideas.length ?? 0)) return UNCHANGED;
      return { v: 1 as const, ideas: ideas.slice(-SET_LIMIT) };
    });
  }

  async openIdeas(teamId: string): Promise<IdeaRef[]> {
    return (await this.kv.get(openKey(teamId), ideaSetSchema))?.ideas ?? [];
  }

  async challengeIdeas(teamId: string): Promise<IdeaRef[]> {
    return (await this.kv.get(challengeKey(teamId), ideaSetSchema))?.ideas ?? [];
  }
}

const tagsOf = (idea: Idea): IndexTags => ({ s: statusOf(idea), q: idea.archived ? null : (idea.revealed?.quadrant ?? null) });
const refOf = (idea: Idea): IdeaRef => ({ number: idea.number, channelId: idea.channelId, title: idea.title.slice(0, 120) });
const isLiveChallenge = (idea: Idea): boolean => !idea.archived && idea.revealed?.quadrant === 'challenge';
