/**
 * PICK's KV layout. Every write is a compare-and-set through KvRepository; records are the truth
 * and the indexes and sets below are derived from them (synced right after each record write;
 * readers re-check the record, so a crash between the two writes never shows wrong data).
 *
 * | key                          | record          | purpose                                                   |
 * |------------------------------|-----------------|-----------------------------------------------------------|
 * | pick:seq:<teamId>            | {v,last}        | team-scoped idea numbers (IDEA-12)                        |
 * | pick:i:<teamId>:<n>          | ideaSchema      | the idea: scores, rounds, link, archive                   |
 * | pick:ch:<channelId>:h / :c<k>| ChunkedIndex    | the channel's ideas, tags {s,q}, summary (list view)      |
 * | pick:tm:<teamId>:h / :c<k>   | ChunkedIndex    | the team's ideas, tags {s,q,ch}, summary (list view)      |
 * | pick:owe:<teamId>:<userId>   | owedSetSchema   | ideas waiting for this person's score (/infra owe, leaves)|
 * |                              |                 | and their newest scores (a list's "your score")           |
 * | owe:u:<teamId>:<userId>      | shared/owed.ts  | the same asks with their lines, beside the person's other owed facts (/infra owe) |
 * | pick:chal:<teamId>           | agendaSetSchema | live Challenges without an RFC and disputed ideas (agendas)|
 * | pick:migrated:owe            | {v,at}          | the per-team open sets of earlier versions are migrated   |
 * | pick:migrated:scored         | {v,at}          | open ideas' scores are copied to their scorers' sets      |
 *
 * Tags: s = open|revealed|archived, q = quadrant or null, ch = channel id. The summary lets a list
 * page read the index alone (head + at most one chunk) and the viewer's own set.
 *
 * Why per-person owed sets: a score touches only the scorer's own key (no team-wide hot key for
 * every scorer to contend on), /infra owe reads one small key, and a leave reads the leaver's.
 */
import { ChunkedIndex, type IndexTags } from '../shared/chunked_index';
import { type KvRepository, UNCHANGED } from '../shared/kv';
import { type CorruptRecordError, nullIfCorrupt, UserError } from '../shared/errors';
import { sameJson, settleDerived } from '../shared/settle';
import { ideaReference } from '../contract/pick';
import {
  AGENDA_SET_LIMIT,
  type AgendaRef,
  agendaSetSchema,
  type Idea,
  ideaSchema,
  statusOf,
  legacyOpenSetSchema,
  migrationMarkSchema,
  OWED_SET_LIMIT,
  type OwedRef,
  type MyScore,
  type OwedSet,
  owedSetSchema,
  REF_TITLE_MAX,
  SCORED_LIMIT,
} from './records';
import { summaryOf } from './views';
import { type OwedFact, type OwedFacts, OwedLedger } from '../shared/owed';
import type { Quadrant } from './stats';

const ideaKey = (teamId: string, n: number): string => `pick:i:${teamId}:${n}`;
const owedKey = (teamId: string, userId: string): string => `pick:owe:${teamId}:${userId}`;
const agendaKey = (teamId: string): string => `pick:chal:${teamId}`;
const LEGACY_OPEN_PREFIX = 'pick:open:';
const MIGRATED_KEY = 'pick:migrated:owe';
const SCORED_MIGRATED_KEY = 'pick:migrated:scored';
/** Owed-set writes in flight at once when a round asks a whole channel. */
const FAN_OUT = 8;

export { statusOf } from './records';
export const quadrantOfIdea = (idea: Idea): Quadrant | null => (idea.archived ? null : (idea.revealed?.quadrant ?? null));
/** People asked this round who have not scored yet. */
export const waitingOn = (idea: Idea): string[] => (statusOf(idea) === 'open' ? idea.asked.filter((id) => !idea.scores[id]) : []);
/** On the guild agenda: a live Challenge nobody has taken to an RFC yet, or a disputed result. */
export const onAgenda = (idea: Idea): boolean =>
  !idea.archived && idea.revealed !== null && ((idea.revealed.quadrant === 'challenge' && idea.rfcNumber === null) || idea.revealed.disputed);

/** What a request that has read records already can save on an idea's update. */
export interface IdeaWrite {
  /** The idea as this request just read it: the compare-and-set starts from those bytes. */
  basis?: Idea;
  /** Owed sets this request read (owedBy), by user: each one's compare-and-set starts from them. */
  owed?: ReadonlyMap<string, OwedSet>;
  /** Index entries whose tags stay the same are left to the caller to refresh after its answer. */
  entriesLater?: boolean;
}

export type NewIdea = Omit<Idea, 'v' | 'number' | 'channelOrdinal' | 'teamOrdinal'>;

export class PickStore {
  /** `onCorrupt` hears about unreadable records that list pages skip (they are never overwritten). */
  private readonly owed: OwedLedger;
  constructor(
    private readonly kv: KvRepository,
    private readonly onCorrupt: (err: CorruptRecordError) => void = () => {},
    private readonly warn: (message: string, fields: Record<string, unknown>) => void = () => {},
  ) {
    this.owed = new OwedLedger(kv, 'pick');
  }

  channelIndex(channelId: string): ChunkedIndex {
    return new ChunkedIndex(this.kv, `pick:ch:${channelId}`);
  }
  teamIndex(teamId: string): ChunkedIndex {
    return new ChunkedIndex(this.kv, `pick:tm:${teamId}`);
  }

  /** Number → index entries → record: a crash part-way leaves at most an index entry readers skip. */
  async create(draft: NewIdea): Promise<Idea> {
    const number = await this.kv.nextSequence(`pick:seq:${draft.teamId}`);
    const provisional: Idea = { ...draft, v: 1, number, channelOrdinal: 0, teamOrdinal: 0 };
    const tags = tagsOf(provisional);
    const summary = summaryOf(provisional);
    const channelOrdinal = await this.channelIndex(draft.channelId).append(String(number), tags, summary);
    const teamOrdinal = await this.teamIndex(draft.teamId).append(String(number), { ...tags, ch: draft.channelId }, summary);
    const idea: Idea = { ...draft, v: 1, number, channelOrdinal, teamOrdinal };
    if (!(await this.kv.insert(ideaKey(draft.teamId, number), ideaSchema, idea))) {
      throw new Error(`${ideaKey(draft.teamId, number)} already exists`);
    }
    await this.syncDerived(null, idea);
    return idea;
  }

  get(teamId: string, n: number): Promise<Idea | null> {
    return this.kv.get(ideaKey(teamId, n), ideaSchema);
  }

  /** Many ideas at once; an unreadable one comes back as null (and is reported), not as a failed page. */
  getMany(teamId: string, numbers: readonly number[]): Promise<Array<Idea | null>> {
    return Promise.all(numbers.map((n) => this.readOrNull(teamId, n)));
  }

  /** The idea as stored now; an unreadable one is reported and read as gone. */
  private readOrNull(teamId: string, n: number): Promise<Idea | null> {
    return this.get(teamId, n).catch(nullIfCorrupt(this.onCorrupt));
  }

  /**
   * Compare-and-set on the idea; `mutate` may run several times and throws UserError to refuse.
   * Returns the stored idea and the one it replaced, then re-syncs the derived indexes and sets
   * (see IdeaWrite for what a request that has read them already can save). `entriesPending`:
   * the index entries were left to the caller (`settleAfterAnswer` after its answer).
   */
  async update(
    teamId: string,
    n: number,
    mutate: (idea: Idea) => Idea | typeof UNCHANGED,
    options: IdeaWrite = {},
  ): Promise<{ before: Idea; after: Idea; entriesPending: boolean }> {
    let before: Idea | null = null;
    const after = await this.kv.update(
      ideaKey(teamId, n),
      ideaSchema,
      (current) => {
        if (!current) throw UserError.notFound(`No such idea: ${ideaReference(n)}.`);
        before = current;
        return mutate(current);
      },
      options.basis ? { basis: options.basis } : {},
    );
    const previous = before as Idea | null;
    if (!after || !previous) throw UserError.notFound(`No such idea: ${ideaReference(n)}.`);
    if (previous === after) return { before: previous, after, entriesPending: false };
    // Entries whose filter tags stay (a score: only the counts and updatedAt in the summary
    // change) may follow the answer; a changed status or quadrant is put before it, so a filtered
    // list read right after the answer never misses the idea.
    const entriesPending = options.entriesLater === true && sameTags(tagsOf(previous), tagsOf(after));
    await this.sync(previous, after, entriesPending, options.owed);
    return { before: previous, after, entriesPending };
  }

  private async sync(before: Idea, after: Idea, entriesLater: boolean, owed?: ReadonlyMap<string, OwedSet>): Promise<void> {
    // A score's entries follow its answer (settleAfterAnswer), its sets go now: no read back, so the
    // answer waits for no more round trips.
    if (entriesLater) return this.syncDerived(before, after, owed);
    // Always put (a read when nothing changed): it also repairs entries a crash left behind.
    // Independent sets of keys: written at once, one round trip deep instead of three; then
    // again from each newer idea until it reads back unchanged (shared/settle.ts), each set from
    // the idea written before (the changes are idempotent).
    await settleDerived(after, before, {
      write: (current, previous) => Promise.all([this.resync(current), this.syncDerived(previous, current, current === after ? owed : undefined)]),
      reread: () => this.readOrNull(after.teamId, after.number),
      same: sameJson,
    });
  }

  /** Puts the idea's tags and summary into both its index entries (also the readers' lazy repair). */
  async resync(idea: Idea): Promise<void> {
    const tags = tagsOf(idea);
    const summary = summaryOf(idea);
    await Promise.all([
      this.channelIndex(idea.channelId).put(idea.channelOrdinal, String(idea.number), tags, summary),
      this.teamIndex(idea.teamId).put(idea.teamOrdinal, String(idea.number), { ...tags, ch: idea.channelId }, summary),
    ]);
  }

  /**
   * After a score's answer (several, when refreshes coalesced): its index entries, when it left
   * them pending, from the idea as stored now; and, when the idea has changed since any of the
   * ideas this node `written` (another node wrote it meanwhile), the sets of everyone whose part
   * differs between one of them and the stored idea, put as the stored idea says. Then again from
   * each newer idea until it reads back unchanged (shared/settle.ts): a score's set write landing
   * after another node's newer round never outlives it. Resolves with the idea as last read (null:
   * no such idea).
   */
  async settleAfterAnswer(written: readonly Idea[], entries: boolean): Promise<Idea | null> {
    const first = written[0];
    if (!first) return null;
    const read = (): Promise<Idea | null> => this.readOrNull(first.teamId, first.number);
    const stored = await read();
    if (!stored) return null;
    const moved = written.filter((idea) => !sameJson(idea, stored));
    await Promise.all([entries || moved.length > 0 ? this.resync(stored) : null, moved.length > 0 ? this.putParts(stored, moved) : null]);
    const latest = await read();
    if (!latest || sameJson(latest, stored)) return latest;
    return settleDerived(latest, stored, {
      write: (current, previous) => Promise.all([this.resync(current), this.syncDerived(previous, current)]),
      reread: read,
      same: sameJson,
    });
  }

  /**
   * The owed sets, owed facts and agenda entry of everyone whose part in one of `others` differs
   * from `idea`'s, written as `idea` says whatever they hold now (each person once).
   */
  private async putParts(idea: Idea, others: readonly Idea[]): Promise<void> {
    const waiting = new Set(waitingOn(idea));
    const scoreOf = (i: Idea, u: string): string => JSON.stringify(i.scores[u] ? [i.round, i.scores[u].payoff, i.scores[u].cost] : null);
    const facts = ideaOwedFacts(idea, [...waiting]);
    // Only where they differ: what a late write from `other` left elsewhere is what `idea` says.
    const people = new Set<string>();
    const named = new Set<string>();
    for (const other of others) {
      const was = new Set(waitingOn(other));
      for (const u of new Set([...was, ...waiting])) if (was.has(u) !== waiting.has(u)) people.add(u);
      for (const u of new Set([...Object.keys(other.scores), ...Object.keys(idea.scores)])) if (scoreOf(other, u) !== scoreOf(idea, u)) people.add(u);
      const otherFacts = ideaOwedFacts(other, [...was]);
      for (const u of new Set([...otherFacts.keys(), ...facts.keys()])) if (JSON.stringify(otherFacts.get(u)) !== JSON.stringify(facts.get(u))) named.add(u);
    }
    const ref: OwedRef = { number: idea.number, channelId: idea.channelId };
    const myScore = (u: string): MyScore | undefined => {
      const s = idea.scores[u];
      return s ? { number: idea.number, round: idea.round, payoff: s.payoff, cost: s.cost } : undefined;
    };
    await Promise.all([
      inBatches([...people], FAN_OUT, (userId) => this.updateOwed(idea.teamId, userId, ref, waiting.has(userId), myScore(userId))),
      named.size > 0 ? this.owed.syncWith(idea.teamId, String(idea.number), [...named], facts) : null,
      others.some((o) => onAgenda(o) !== onAgenda(idea) || (onAgenda(idea) && !sameAgendaRef(agendaRefOf(o), agendaRefOf(idea))))
        ? this.updateAgenda(idea.teamId, idea.number, onAgenda(idea) ? agendaRefOf(idea) : null)
        : null,
    ]);
  }

  /** Owed sets of the people whose ask changed, and the agenda set when the idea's place on it did. */
  private async syncDerived(before: Idea | null, after: Idea, owedRead?: ReadonlyMap<string, OwedSet>): Promise<void> {
    const was = new Set(before ? waitingOn(before) : []);
    const is = new Set(waitingOn(after));
    const ref: OwedRef = { number: after.number, channelId: after.channelId };
    const owed = new Map<string, boolean>([
      ...[...is].filter((u) => !was.has(u)).map((u): [string, boolean] => [u, true]),
      ...[...was].filter((u) => !is.has(u)).map((u): [string, boolean] => [u, false]),
    ]);
    // A new or changed score goes to its scorer's own set in the same write as their ask.
    const scorers = Object.entries(after.scores).filter(([u, s]) => {
      const old = before?.scores[u];
      return !old || old.payoff !== s.payoff || old.cost !== s.cost || before?.round !== after.round;
    });
    const scored = new Map(scorers.map(([u, s]): [string, MyScore] => [u, { number: after.number, round: after.round, payoff: s.payoff, cost: s.cost }]));
    const people = [...new Set([...owed.keys(), ...scored.keys()])];
    await Promise.all([
      inBatches(people, FAN_OUT, (userId) => this.updateOwed(after.teamId, userId, ref, owed.get(userId), scored.get(userId), owedRead?.get(userId))),
      this.owed.sync(after.teamId, String(after.number), before ? ideaOwedFacts(before, [...was]) : null, ideaOwedFacts(after, [...is])),
    ]);

    const wasOn = before !== null && onAgenda(before);
    const isOn = onAgenda(after);
    if (wasOn || isOn) {
      const entry = isOn ? agendaRefOf(after) : null;
      if (!(wasOn && isOn && sameAgendaRef(agendaRefOf(before), entry!))) await this.updateAgenda(after.teamId, after.number, entry);
    }
  }

  /**
   * `add`: file (true) or answer (false) the ask, undefined to leave it; `score`: the person's new
   * score; `basis`: their set as this request read it (owedBy), compared and set against as read.
   */
  private async updateOwed(teamId: string, userId: string, ref: OwedRef, add: boolean | undefined, score?: MyScore, basis?: OwedSet): Promise<void> {
    await this.kv.update(owedKey(teamId, userId), owedSetSchema, (set) => {
      const asks = withAsk(set, ref, add);
      const scored = score ? withScore(set?.scored, score) : set?.scored;
      if (asks === null && scored === set?.scored) return UNCHANGED;
      return { v: 1 as const, ...(asks ?? { ideas: set?.ideas ?? [], overflow: set?.overflow ?? 0 }), ...(scored ? { scored } : {}) };
    }, basis ? { basis } : {});
  }

  private async updateAgenda(teamId: string, number: number, ref: AgendaRef | null): Promise<void> {
    await this.kv.update(agendaKey(teamId), agendaSetSchema, (set) => {
      const ideas = (set?.ideas ?? []).filter((i) => i.number !== number);
      if (!ref && ideas.length === (set?.ideas.length ?? 0)) return UNCHANGED;
      if (ref) ideas.push(ref);
      if (ideas.length > AGENDA_SET_LIMIT) {
        this.warn('PICK agenda set full: the oldest entries leave it', { key: agendaKey(teamId), dropped: ideas.length - AGENDA_SET_LIMIT });
      }
      return { v: 1 as const, ideas: ideas.slice(-AGENDA_SET_LIMIT) };
    });
  }

  /** The ideas waiting for this person's score in the team (derived: re-check each record). */
  async owedBy(teamId: string, userId: string): Promise<OwedSet> {
    return (await this.kv.get(owedKey(teamId, userId), owedSetSchema).catch(nullIfCorrupt(this.onCorrupt))) ?? { v: 1, ideas: [], overflow: 0 };
  }

  /** The team's agenda ideas, each with what an agenda shows (refs of earlier versions lack `quadrant`). */
  async agendaIdeas(teamId: string): Promise<AgendaRef[]> {
    return (await this.kv.get(agendaKey(teamId), agendaSetSchema).catch(nullIfCorrupt(this.onCorrupt)))?.ideas ?? [];
  }

  /**
   * Refs put right from their records (read just now; null: gone) in one compare-and-set: an
   * idea on the agenda gets its current ref, one that is not leaves the set. Nothing is written
   * when every ref already matches.
   */
  async repairAgendaRefs(teamId: string, read: ReadonlyArray<{ number: number; idea: Idea | null }>): Promise<void> {
    const wanted = new Map(read.map(({ number, idea }) => [number, idea && idea.teamId === teamId && idea.number === number && onAgenda(idea) ? agendaRefOf(idea) : null]));
    await this.kv.update(agendaKey(teamId), agendaSetSchema, (set) => {
      const ideas = set?.ideas ?? [];
      const kept = ideas.flatMap((r) => {
        if (!wanted.has(r.number)) return [r];
        const ref = wanted.get(r.number)!;
        return ref ? [ref] : [];
      });
      const same = kept.length === ideas.length && kept.every((r, k) => r.number === ideas[k]!.number && sameAgendaRef(r, ideas[k]!));
      return same ? UNCHANGED : { v: 1 as const, ideas: kept };
    });
  }

  /**
   * Once per installation: earlier versions kept every open idea with its asked list in one
   * per-team key (`pick:open:<team>`). Their asks move to the per-person sets, then the key goes.
   * Idempotent (adding to a set twice is a no-op), so nodes racing on activation do no harm.
   */
  async migrateLegacyOpenSets(now: number): Promise<number> {
    if (await this.kv.get(MIGRATED_KEY, migrationMarkSchema).catch(() => null)) return 0;
    let moved = 0;
    for (const key of await this.kv.listKeys(LEGACY_OPEN_PREFIX)) {
      const teamId = key.slice(LEGACY_OPEN_PREFIX.length);
      const legacy = await this.kv.get(key, legacyOpenSetSchema).catch(nullIfCorrupt(this.onCorrupt));
      for (const idea of await this.getMany(teamId, (legacy?.ideas ?? []).map((r) => r.number))) {
        if (!idea) continue;
        await this.syncDerived(null, idea);
        moved++;
      }
      await this.kv.delete(key);
    }
    await this.kv.update(MIGRATED_KEY, migrationMarkSchema, (cur) => cur ?? { v: 1 as const, at: now });
    return moved;
  }

  /**
   * Once per installation: sets written before they kept their owner's scores learn the scores
   * given to open ideas (the ones a list shows "your score" for), and those ideas' index entries
   * get their summary. Idempotent (a score already there is rewritten as itself), so racing nodes
   * do no harm; older entries get their summary when a reader first meets them.
   */
  async migrateScoredSets(now: number): Promise<number> {
    if (await this.kv.get(SCORED_MIGRATED_KEY, migrationMarkSchema).catch(() => null)) return 0;
    let ideas = 0;
    for (const head of await this.kv.listKeys('pick:tm:')) {
      if (!head.endsWith(':h')) continue;
      const teamId = head.slice('pick:tm:'.length, -':h'.length);
      const open = await this.teamIndex(teamId).all((t) => t.s === 'open');
      for (const idea of await this.getMany(teamId, open.map((e) => Number(e.id)))) {
        if (!idea || idea.teamId !== teamId) continue;
        await this.resync(idea);
        const ref: OwedRef = { number: idea.number, channelId: idea.channelId };
        await inBatches(Object.entries(idea.scores), FAN_OUT, ([userId, s]) =>
          this.updateOwed(teamId, userId, ref, undefined, { number: idea.number, round: idea.round, payoff: s.payoff, cost: s.cost }),
        );
        ideas++;
      }
    }
    await this.kv.update(SCORED_MIGRATED_KEY, migrationMarkSchema, (cur) => cur ?? { v: 1 as const, at: now });
    return ideas;
  }
}

/** The owed list with the ask filed or answered, or null when that changes nothing. */
function withAsk(set: OwedSet | null, ref: OwedRef, add: boolean | undefined): Pick<OwedSet, 'ideas' | 'overflow'> | null {
  if (add === undefined) return null;
  const ideas = set?.ideas ?? [];
  const present = ideas.some((i) => i.number === ref.number);
  if (add === present) return null;
  if (!add) {
    const left = ideas.filter((i) => i.number !== ref.number);
    // Once every listed ask is answered, the overflow count is as stale as it can get.
    return { ideas: left, overflow: left.length === 0 ? 0 : (set?.overflow ?? 0) };
  }
  // Full: the oldest ask leaves the list and is counted (reported by /infra owe, never silent).
  const full = ideas.length >= OWED_SET_LIMIT;
  return { ideas: [...(full ? ideas.slice(1) : ideas), ref], overflow: (set?.overflow ?? 0) + (full ? 1 : 0) };
}

/** The person's scores with this one newest (one per idea; the oldest leave beyond the limit). */
function withScore(scored: MyScore[] | undefined, score: MyScore): MyScore[] {
  const same = scored?.some((s) => s.number === score.number && s.round === score.round && s.payoff === score.payoff && s.cost === score.cost);
  return same && scored ? scored : [...(scored ?? []).filter((s) => s.number !== score.number), score].slice(-SCORED_LIMIT);
}

const tagsOf = (idea: Idea): IndexTags => ({ s: statusOf(idea), q: quadrantOfIdea(idea) });
const sameTags = (a: IndexTags, b: IndexTags): boolean => a.s === b.s && a.q === b.q;
/** What an agenda shows of the idea, so it reads the set and no record. */
const agendaRefOf = (idea: Idea): AgendaRef => {
  const quadrant = quadrantOfIdea(idea);
  return {
    number: idea.number,
    channelId: idea.channelId,
    title: idea.title.slice(0, REF_TITLE_MAX),
    revealedAt: idea.revealed?.revealedAt,
    disputed: idea.revealed?.disputed ?? false,
    ...(quadrant ? { quadrant } : {}),
    ...(idea.title.length > REF_TITLE_MAX ? { wholeTitle: idea.title } : {}),
  };
};
const sameAgendaRef = (a: AgendaRef, b: AgendaRef): boolean =>
  a.channelId === b.channelId &&
  a.title === b.title &&
  a.revealedAt === b.revealedAt &&
  a.disputed === b.disputed &&
  a.quadrant === b.quadrant &&
  a.wholeTitle === b.wholeTitle;

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/** Every person's fact of this idea for their owed ledger: the ask, while it waits for their score (lines: owed.ts). */
export function ideaOwedFacts(idea: Idea, waiting: readonly string[]): OwedFacts {
  const fact: OwedFact = { k: String(idea.number), ch: idea.channelId, d: { n: idea.number, title: idea.title } };
  return new Map(waiting.map((userId) => [userId, fact]));
}
