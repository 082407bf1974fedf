import type { OwedScan } from '../shared/owed';
import { type IdeaFilter, type IdeaView, MIN_SCORES_TO_REVEAL, PICK_LIMITS, SCORE_MAX, SCORE_MIN, ideaReference } from '../contract/pick';
import type { Access, Scope } from '../shared/access/policy';
import type { ProductContext } from '../shared/context';
import { type CorruptRecordError, nullIfCorrupt, UserError } from '../shared/errors';
import type { ChunkedIndex, IndexEntry, IndexPage } from '../shared/chunked_index';
import { started } from '../shared/started';
import { UNCHANGED } from '../shared/kv';
import { People } from '../shared/people';
import type { IdeaAgendaItem, Listed, Reader, RfcTitlePort } from '../shared/ports';
import { postAsBot } from '../shared/posts';
import { parseSnapshot } from '../shared/snapshots';
import { RELAYED_TEXT_PROPS, withoutChannelMentions } from '../shared/text/mentions';
import { checkText } from '../shared/text/limits';
import { ERRORS, POSTS, USAGE } from './messages';
import { type PickAction, pickPolicy } from './policy';
import { type AgendaRef, type Idea, type IdeaSummary, ideaSummarySchema, type OwedSet, type RoundResult } from './records';
import { type PickSettings, parseSettings } from './settings';
import { roundResult } from './stats';
import { ideaOwedFacts, onAgenda, type PickStore, quadrantOfIdea, waitingOn } from './store';
import { ideaView, listedView, summaryOf } from './views';

/**
 * PICK's use cases, in the order an idea lives them: added in a channel (its members are asked),
 * scored privately, revealed (by its owner or an admin, or automatically once everyone asked has
 * scored — never with fewer than MIN_SCORES_TO_REVEAL scores), then rescored, linked to the RFC
 * that takes it forward, or archived. Every call names its Access (one per request or command)
 * and is checked against policy.ts; every read re-checks the idea against its live channel.
 */

export const PAGE_SIZE = 20;
export const BOARD_SIZE = 40;
/** `/infra owe` lists the newest asks; older ones are counted, not dropped. */
/**
 * A meeting's agenda weighs the newest this many Challenge and disputed ideas (each re-read, so
 * an agenda costs O(window), not O(team)); older ones wait until these are decided.
 */
export const AGENDA_WINDOW = 40;
/** How often one node re-checks the records behind a team's agenda refs (checkAgendaLater). */
const AGENDA_CHECK_MS = 10 * 60_000;
/** When a person's owed set overflowed, a leave also scans this many of the channel's open ideas. */
const LEAVE_SCAN = 200;

export interface PageQuery {
  filter: IdeaFilter;
  /** An ordinal from the previous page's `next`. */
  before: number | null;
  limit: number;
  /** Fill each idea's viewer part (the caller's score, their ask) from the caller's own set. */
  viewer?: boolean;
}
export interface IdeaPage {
  ideas: IdeaView[];
  next: number | null;
}

/** Index reads for one page (the head and one chunk): with the viewer's set, three KV calls. */
const PAGE_READS = 2;

/** Where an idea lives: its team and its channel (checked against the live channel on every read). */
export const scopeOf = (idea: Pick<Idea, 'teamId' | 'channelId'>): Scope => ({ teamId: idea.teamId, channelId: idea.channelId });

export class PickService {
  /**
   * Ideas with a refresh queued after an answer that has not started yet: whether it puts the
   * entries, and the ideas this node wrote (one per coalesced write).
   */
  private readonly refreshQueued = new Map<string, { entries: boolean; written: Idea[] }>();
  /** When this node last re-checked each team's agenda refs (only paces checkAgendaLater). */
  private readonly agendaChecked = new Map<string, number>();

  constructor(
    private readonly ctx: ProductContext,
    readonly store: PickStore,
    private readonly rfcs: RfcTitlePort,
    /** Hears about unreadable ideas a hook skips (they are never overwritten). */
    private readonly onCorrupt: (err: CorruptRecordError) => void = () => {},
  ) {}

  // ---- the story ----

  /** A new idea in a channel the actor can post in; the idea's team is the channel's. */
  async add(access: Access, actor: string, channelId: string, title: string, pathTeamId: string | null = null): Promise<Idea> {
    const clean = cleanTitle(title);
    const scope = await access.scopeOfChannel(actor, channelId);
    if (pathTeamId !== null && scope.teamId !== pathTeamId) throw UserError.notFound(ERRORS.noSuchChannel);
    await this.require(access, actor, 'add', scope, null);
    const now = this.ctx.now();
    const idea = await this.store.create({
      teamId: scope.teamId,
      channelId,
      title: clean,
      ownerId: actor,
      createdAt: now,
      updatedAt: now,
      round: 1,
      asked: await this.askedIn(channelId),
      scores: {},
      revealed: null,
      history: [],
      rfcNumber: null,
      archived: null,
    });
    await this.changed(idea);
    const owner = await new People(this.ctx.api).username(actor);
    await this.announce(access, actor, idea, 'PICK idea added', (safe) => POSTS.added(idea, safe(idea.title), owner));
    return idea;
  }

  /** The idea if the actor may see it now; otherwise not-found, exactly as for a missing one. */
  async get(access: Access, actor: string, teamId: string, n: number): Promise<Idea> {
    const idea = await this.store.get(teamId, n);
    if (!idea || idea.teamId !== teamId || !(await pickPolicy.allows(access, actor, 'view', { scope: scopeOf(idea) }))) {
      throw UserError.notFound(ERRORS.noSuchIdea(n));
    }
    return idea;
  }

  /**
   * A private score; it may change until the reveal. The last score asked for reveals the round
   * (when there are enough scores). `previous` is the actor's earlier score this round.
   */
  async score(
    access: Access,
    actor: string,
    teamId: string,
    n: number,
    payoff: number,
    cost: number,
  ): Promise<{ idea: Idea; autoRevealed: boolean; previous: { payoff: number; cost: number } | null }> {
    for (const [axis, value] of [['payoff', payoff], ['cost', cost]] as const) {
      if (!Number.isInteger(value) || value < SCORE_MIN || value > SCORE_MAX) throw UserError.badRequest(ERRORS.scoreRange(axis, String(value)));
    }
    // The scorer's own owed set is read beside the idea: the write then compares and sets against
    // it as read (one round trip less); it is theirs alone, so reading it before the check reveals nothing.
    const mineRead = this.store.owedBy(teamId, actor).catch(() => null);
    const idea = await this.get(access, actor, teamId, n);
    await this.require(access, actor, 'score', scopeOf(idea), idea);
    const settings = parseSettings(this.ctx.settings());
    const now = this.ctx.now();
    const mine = await mineRead;
    const write = { basis: idea, entriesLater: true, ...(mine ? { owed: new Map([[actor, mine]]) } : {}) };
    const { before, after, entriesPending } = await this.store.update(teamId, n, (current) => {
      if (current.archived) throw UserError.conflict(ERRORS.archived(n));
      if (current.revealed) throw new UserError(ERRORS.alreadyRevealed(n, current.round), 409, USAGE.rescoreThis(n));
      if (!current.scores[actor] && Object.keys(current.scores).length >= PICK_LIMITS.scores) throw UserError.conflict(ERRORS.tooManyScores(n));
      const next: Idea = { ...current, scores: { ...current.scores, [actor]: { payoff, cost, at: now } }, updatedAt: now };
      return everyoneAskedScored(next) ? { ...next, revealed: resultOf(next, settings, now, null) } : next;
    }, write);
    const earlier = before.scores[actor];
    const autoRevealed = before.revealed === null && after.revealed !== null;
    // The index entries (counts), the channel's clients and the reveal's post follow the answer
    // (queued per idea, in order).
    this.refreshAfterAnswer(after, entriesPending);
    if (autoRevealed) this.afterAnswer(after, () => this.announceAutomaticReveal(access, after));
    return { idea: after, autoRevealed, previous: earlier ? { payoff: earlier.payoff, cost: earlier.cost } : null };
  }

  async reveal(access: Access, actor: string, teamId: string, n: number): Promise<Idea> {
    const idea = await this.get(access, actor, teamId, n);
    await this.require(access, actor, 'reveal', scopeOf(idea), idea);
    const settings = parseSettings(this.ctx.settings());
    const now = this.ctx.now();
    const { after } = await this.store.update(teamId, n, (current) => {
      if (current.archived) throw UserError.conflict(ERRORS.archived(n));
      if (current.revealed) throw new UserError(ERRORS.alreadyRevealed(n, current.round), 409, USAGE.rescoreThis(n));
      const count = Object.keys(current.scores).length;
      if (count < MIN_SCORES_TO_REVEAL) throw UserError.conflict(ERRORS.tooFewScores(n, count));
      return { ...current, revealed: resultOf(current, settings, now, actor), updatedAt: now };
    });
    await this.changed(after);
    await this.announce(access, actor, after, 'PICK reveal', (safe) => POSTS.revealed(after, safe(after.title)));
    return after;
  }

  /** A new round: the last result moves to the history and the channel's members are asked again. */
  async rescore(access: Access, actor: string, teamId: string, n: number): Promise<Idea> {
    const idea = await this.get(access, actor, teamId, n);
    await this.require(access, actor, 'rescore', scopeOf(idea), idea);
    const asked = await this.askedIn(idea.channelId);
    const now = this.ctx.now();
    const { after } = await this.store.update(teamId, n, (current) => {
      if (current.archived) throw UserError.conflict(ERRORS.archived(n));
      if (!current.revealed) throw UserError.conflict(ERRORS.stillScoring(n, current.round));
      if (current.history.length + 1 >= PICK_LIMITS.rounds) throw UserError.conflict(ERRORS.tooManyRounds(n));
      return { ...current, history: [...current.history, current.revealed], revealed: null, scores: {}, asked, round: current.round + 1, updatedAt: now };
    });
    await this.changed(after);
    await this.announce(access, actor, after, 'PICK rescore', (safe) => POSTS.rescored(after, safe(after.title)));
    return after;
  }

  async archive(access: Access, actor: string, teamId: string, n: number, reason: string): Promise<Idea> {
    const why = checkText(reason, PICK_LIMITS.archiveReason, 'the reason');
    if (!why) throw UserError.badRequest(ERRORS.giveReason, USAGE.archive);
    const idea = await this.get(access, actor, teamId, n);
    await this.require(access, actor, 'archive', scopeOf(idea), idea);
    const now = this.ctx.now();
    const { after } = await this.store.update(teamId, n, (current) => {
      if (current.archived) throw UserError.conflict(ERRORS.alreadyArchived(n));
      return { ...current, archived: { reason: why, by: actor, at: now }, updatedAt: now };
    });
    await this.changed(after);
    await this.announce(access, actor, after, 'PICK archive', (safe) => POSTS.archived(after, safe(after.title), safe(why)));
    return after;
  }

  /**
   * Links the idea to an RFC of its team that the actor can see. Linking the same pair again
   * changes nothing (and says so); replacing another link is reported as `previous`.
   */
  async link(
    access: Access,
    actor: string,
    teamId: string,
    n: number,
    rfc: number,
  ): Promise<{ idea: Idea; rfcTitle: string; previous: number | null; changed: boolean }> {
    const idea = await this.mayLink(access, actor, teamId, n);
    const rfcTitle = await this.rfcs.title(actor, idea.teamId, rfc);
    if (rfcTitle === null) throw UserError.notFound(ERRORS.noSuchRfc(rfc));
    const now = this.ctx.now();
    const { before, after } = await this.store.update(teamId, n, (current) => {
      if (current.archived) throw UserError.conflict(ERRORS.archived(n));
      return current.rfcNumber === rfc ? UNCHANGED : { ...current, rfcNumber: rfc, updatedAt: now };
    });
    const changed = before !== after;
    if (changed) {
      await this.changed(after);
      await this.announce(access, actor, after, 'PICK link', (safe) => POSTS.linked(after, safe(after.title), rfc));
    }
    return { idea: after, rfcTitle, previous: before.rfcNumber, changed };
  }

  /** The idea, if the actor may link it (RFCs read its title to open an RFC from it, which links it). */
  async mayLink(access: Access, actor: string, teamId: string, n: number): Promise<Idea> {
    const idea = await this.get(access, actor, teamId, n);
    await this.require(access, actor, 'link', scopeOf(idea), idea);
    if (idea.archived) throw UserError.conflict(ERRORS.archived(n));
    return idea;
  }

  /** The linked RFC's title, only if the viewer may see the RFC (RFCs decide). */
  rfcTitle(actor: string, idea: Idea): Promise<string | null> {
    return idea.rfcNumber === null ? Promise.resolve(null) : this.rfcs.title(actor, idea.teamId, idea.rfcNumber);
  }

  // ---- reading ----

  /** One page of a channel's ideas, newest first; the list's team is the channel's. */
  async channelPage(access: Access, actor: string, channelId: string, pathTeamId: string | null, query: PageQuery): Promise<IdeaPage & { teamId: string }> {
    // The channel's index is read beside the access check (one round trip less); nothing read is
    // used before the check has passed.
    const entries = started(this.readIndex(this.store.channelIndex(channelId), query));
    const scope = await access.scopeOfChannel(actor, channelId);
    if (pathTeamId !== null && scope.teamId !== pathTeamId) throw UserError.notFound(ERRORS.noSuchChannel);
    const page = await this.page(access, actor, scope.teamId, channelId, query, entries, started(this.viewerSet(actor, scope.teamId, query)));
    return { ...page, teamId: scope.teamId };
  }

  /**
   * One page of the team's ideas, newest first, limited to those the actor can see now. Guests
   * may ask too (they see their own channels' ideas); people outside the team get not-found.
   */
  async teamPage(access: Access, actor: string, teamId: string, query: PageQuery): Promise<IdeaPage> {
    // The team's index is read beside the membership check, and the team's public-channel right
    // asked (its open channels need it): nothing read is used before the check has passed.
    void access.canSeeTeam(actor, teamId);
    const entries = started(this.readIndex(this.store.teamIndex(teamId), query));
    const mine = started(this.viewerSet(actor, teamId, query));
    if (!(await access.isTeamMember(actor, teamId)) && !(await access.isSystemAdmin(actor))) throw UserError.notFound(ERRORS.noSuchTeam);
    return this.page(access, actor, teamId, null, query, entries, mine);
  }

  /** The channel's live ideas for the chart: the newest BOARD_SIZE that are not archived. */
  async board(access: Access, actor: string, channelId: string): Promise<{ channelName: string; teamId: string; ideas: IdeaView[] }> {
    const { ideas, teamId } = await this.channelPage(access, actor, channelId, null, { filter: 'all', before: null, limit: BOARD_SIZE });
    const channel = await access.channel(channelId);
    return { channelName: channel?.Name ?? channelId, teamId, ideas };
  }

  /**
   * The index entries carry each idea's summary, so a page is the index (head and at most one
   * chunk) and, for the viewer's part, the viewer's own set: at most three KV calls whatever the
   * number of ideas. An idea is kept only when it belongs to the list's team (and channel), matches
   * the filter, and the actor can see its channel now. Entries without a readable summary (written
   * before summaries) are read from their record once, and their summary is put back. The viewer's
   * set is read beside the index and the access questions.
   */
  private async page(access: Access, actor: string, teamId: string, channelId: string | null, query: PageQuery, entries: Promise<IndexPage>, viewerSet: Promise<OwedSet | null>): Promise<IdeaPage> {
    const match = filterOf(query.filter);
    const page = await entries;
    const summaries = await this.summariesOf(teamId, page.entries);
    const candidates = summaries.filter(
      (idea): idea is IdeaSummary =>
        idea !== null && idea.teamId === teamId && (channelId === null || idea.channelId === channelId) && match(idea.status, idea.revealed && !idea.archived ? idea.revealed.quadrant : null),
    );
    const [visible, mine] = await Promise.all([access.filterVisible(actor, candidates, scopeOf), viewerSet]);
    return { ideas: visible.map((s) => listedView(s, mine)), next: page.next };
  }

  /** The viewer's own set (their asks and scores), when the page shows the viewer's part. */
  private viewerSet(actor: string, teamId: string, query: PageQuery): Promise<OwedSet | null> {
    return query.viewer ? this.store.owedBy(teamId, actor) : Promise.resolve(null);
  }

  /** The entries of one page the filter keeps: the index head and at most one chunk (PAGE_READS). */
  private readIndex(index: ChunkedIndex, query: PageQuery): Promise<IndexPage> {
    const match = filterOf(query.filter);
    return index.page({ before: query.before, limit: query.limit, match: (t) => match(String(t.s), typeof t.q === 'string' ? t.q : null), maxReads: PAGE_READS });
  }

  /** Each entry's summary; those missing or unreadable come from their record (and are repaired). */
  private async summariesOf(teamId: string, entries: readonly IndexEntry[]): Promise<Array<IdeaSummary | null>> {
    const parsed = entries.map((e) => parseSnapshot(ideaSummarySchema, e.d));
    const missing = entries.filter((_, k) => parsed[k] === null).map((e) => Number(e.id));
    const records = new Map<number, Idea>();
    if (missing.length > 0) {
      for (const idea of await this.store.getMany(teamId, missing)) {
        if (!idea || idea.teamId !== teamId) continue;
        records.set(idea.number, idea);
        await this.store.resync(idea);
      }
    }
    return entries.map((e, k) => {
      const known = parsed[k];
      if (known) return known;
      const idea = records.get(Number(e.id));
      return idea ? summaryOf(idea) : null;
    });
  }

  /**
   * `/infra owe` from the records (the owed ledger's rebuild): the asks in the user's owed set
   * (the newest OWED_SET_LIMIT), each re-checked against its idea.
   */
  async owedFacts(userId: string, teamId: string): Promise<OwedScan> {
    const set = await this.store.owedBy(teamId, userId);
    const ideas = await this.store.getMany(teamId, set.ideas.map((r) => r.number));
    const facts = ideas.flatMap((i) => {
      const fact = i && i.teamId === teamId ? ideaOwedFacts(i, waitingOn(i)).get(userId) : undefined;
      return fact ? [fact] : [];
    });
    return { facts, overflow: set.overflow };
  }

  /**
   * Live Challenge ideas without an RFC yet, and disputed ones, newest reveal first (the newest
   * AGENDA_WINDOW). A person sees those they can see now; a post into a channel shows those of the
   * team's open channels and of that channel itself — the rest only as a count.
   */
  async challengeAgenda(teamId: string, reader: Reader): Promise<Listed<IdeaAgendaItem>> {
    const access = this.ctx.access();
    const newest = [...(await this.store.agendaIdeas(teamId))].sort((a, b) => (b.revealedAt ?? 0) - (a.revealedAt ?? 0)).slice(0, AGENDA_WINDOW);
    // The set carries what the agenda shows (one KV read); refs of earlier versions are put right once from their record.
    const legacy = newest.filter((r) => r.quadrant === undefined).map((r) => r.number);
    const records = new Map<number, Idea>();
    if (legacy.length > 0) {
      const read = await this.store.getMany(teamId, legacy);
      await this.store.repairAgendaRefs(teamId, legacy.map((number, k) => ({ number, idea: read[k] ?? null })));
      for (const idea of read) if (idea && idea.teamId === teamId && onAgenda(idea)) records.set(idea.number, idea);
    }
    const items = newest.flatMap((r): Array<{ item: IdeaAgendaItem; channelId: string }> => {
      if (r.quadrant !== undefined) return [{ item: agendaItemOf(teamId, r), channelId: r.channelId }];
      const idea = records.get(r.number);
      return idea ? [{ item: agendaItem(idea), channelId: idea.channelId }] : [];
    });
    const readable = await Promise.all(items.map((i) => this.readerSees(access, reader, { teamId, channelId: i.channelId })));
    const shown = items.filter((_, k) => readable[k]).map((i) => i.item);
    this.checkAgendaLater(teamId, newest.filter((r) => r.quadrant !== undefined).map((r) => r.number));
    return { items: shown, hidden: items.length - shown.length };
  }

  /**
   * After the answer, at most once per AGENDA_CHECK_MS per team on this node: the records of the
   * refs just shown are read and any ref a crash left stale (its record written, the set not) is
   * put right, so a stale agenda line outlives a crash by one read of the agenda at most.
   */
  private checkAgendaLater(teamId: string, numbers: readonly number[]): void {
    const now = this.ctx.now();
    if (numbers.length === 0 || now - (this.agendaChecked.get(teamId) ?? -Infinity) < AGENDA_CHECK_MS) return;
    this.agendaChecked.set(teamId, now);
    this.ctx.afterAnswer.run('PICK agenda check', async () => {
      const ideas = await this.store.getMany(teamId, numbers);
      await this.store.repairAgendaRefs(teamId, numbers.map((number, k) => ({ number, idea: ideas[k] ?? null })));
    });
  }

  private async readerSees(access: Access, reader: Reader, idea: Pick<Idea, 'teamId' | 'channelId'>): Promise<boolean> {
    if ('userId' in reader) return access.canSee(reader.userId, scopeOf(idea));
    const [target, home] = await Promise.all([access.channel(reader.channelId), access.channel(idea.channelId)]);
    if (!target || !home || target.TeamId !== idea.teamId || home.TeamId !== idea.teamId) return false;
    return idea.channelId === reader.channelId || home.Type === 'O';
  }

  // ---- hooks ----

  /**
   * Someone left a channel: they are no longer asked to score its open ideas, so a round they
   * held up reveals itself once everyone still asked has scored.
   */
  async memberLeft(channelId: string, userId: string): Promise<void> {
    const access = this.ctx.access();
    const channel = await access.channel(channelId);
    if (!channel?.TeamId) return;
    const teamId = channel.TeamId;
    const set = await this.store.owedBy(teamId, userId);
    const numbers = new Set(set.ideas.filter((r) => r.channelId === channelId).map((r) => r.number));
    if (set.overflow > 0) {
      const open = await this.store.channelIndex(channelId).page({ limit: LEAVE_SCAN, match: (t) => t.s === 'open' });
      for (const e of open.entries) numbers.add(Number(e.id));
    }
    const settings = parseSettings(this.ctx.settings());
    for (const n of numbers) {
      const now = this.ctx.now();
      const updated = await this.store
        .update(teamId, n, (idea) => {
          if (idea.channelId !== channelId || !waitingOn(idea).includes(userId)) return UNCHANGED;
          const next: Idea = { ...idea, asked: idea.asked.filter((id) => id !== userId), updatedAt: now };
          return everyoneAskedScored(next) ? { ...next, revealed: resultOf(next, settings, now, null) } : next;
        })
        .catch(skipUnusable(this.onCorrupt)); // one unreadable or missing idea must not stop the others
      if (!updated || updated.before === updated.after) continue;
      const { before, after } = updated;
      await this.changed(after);
      if (before.revealed === null && after.revealed !== null) await this.announceAutomaticReveal(access, after);
    }
  }

  // ---- helpers ----

  private async require(access: Access, actor: string, action: PickAction, scope: Scope, idea: Idea | null): Promise<void> {
    await pickPolicy.require(access, actor, action, { scope, holders: { owner: idea?.ownerId } }, idea ? `${action} ${ideaReference(idea.number)}` : undefined);
  }

  /** Channel members at this moment, as the people asked to score (bots aside); none in a large channel. */
  private async askedIn(channelId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 0; ; page++) {
      const members = await this.ctx.api.getChannelMembers(channelId, page, 200);
      ids.push(...members.map((m) => m.UserId).filter((id) => id !== this.ctx.botUserId));
      if (ids.length > PICK_LIMITS.asked) return [];
      if (members.length < 200) return ids;
    }
  }

  /** Work on an idea its answer does not wait for, in the order it was queued for that idea. */
  private afterAnswer(idea: Idea, work: () => Promise<void>): void {
    this.ctx.afterAnswer.inOrder(`pick:${idea.teamId}:${idea.number}`, `PICK ${ideaReference(idea.number)} follow-up`, work);
  }

  /**
   * After the answer: the idea's index entries when its update left them pending (and its sets,
   * when another node has written it since: PickStore.settleAfterAnswer), then its event, both
   * from the idea as stored then. Coalesced per idea: a burst of scores on one idea queues
   * one refresh that has not started yet, not one each (it reads the latest when it starts), so
   * scorers do not line up on the channel's and team's index heads.
   */
  private refreshAfterAnswer(idea: Idea, entries: boolean): void {
    const key = `${idea.teamId}:${idea.number}`;
    const queued = this.refreshQueued.get(key);
    if (queued) {
      queued.entries ||= entries;
      queued.written.push(idea);
      return;
    }
    const refresh = { entries, written: [idea] };
    this.refreshQueued.set(key, refresh);
    this.afterAnswer(idea, async () => {
      this.refreshQueued.delete(key);
      const latest = await this.store.settleAfterAnswer(refresh.written, refresh.entries);
      await this.changed(latest ?? refresh.written.at(-1) ?? idea);
    });
  }

  /** Every change goes to the idea's channel only, without anyone's score. */
  private async changed(idea: Idea): Promise<void> {
    await this.ctx.events.publish('pick_idea_changed', { idea: ideaView(idea, null) }, { channelId: idea.channelId });
  }

  /** A bot post the actor caused (the policy checked they may post there); their text relayed safely. */
  private async announce(access: Access, actor: string, idea: Idea, what: string, message: (safe: (text: string) => string) => string): Promise<void> {
    const mayMention = await access.canMentionChannel(actor, idea.channelId);
    const safe = mayMention ? (t: string) => t : withoutChannelMentions;
    await postAsBot(this.ctx, { channelId: idea.channelId, message: message(safe), props: { ...RELAYED_TEXT_PROPS } }, `${what} of ${ideaReference(idea.number)}`);
  }

  /**
   * An automatic reveal has no actor who chose to post: it is announced where the idea's owner
   * (who added it there) may still post, and never fires a channel-wide mention.
   */
  private async announceAutomaticReveal(access: Access, idea: Idea): Promise<void> {
    if (!(await access.canPost(idea.ownerId, idea.channelId))) {
      this.ctx.log.info('PICK automatic reveal not announced: the owner may no longer post there', { channelId: idea.channelId, idea: idea.number });
      return;
    }
    await postAsBot(
      this.ctx,
      { channelId: idea.channelId, message: POSTS.revealed(idea, withoutChannelMentions(idea.title)), props: { ...RELAYED_TEXT_PROPS } },
      `PICK reveal of ${ideaReference(idea.number)}`,
    );
  }
}

/** Collapsed whitespace, 1–300 characters. */
export function cleanTitle(title: string): string {
  if (title.length > PICK_LIMITS.title * 4) checkText(title, PICK_LIMITS.title, 'the title'); // refuse hostile sizes before any regex
  const clean = checkText(title.replace(/\s+/g, ' '), PICK_LIMITS.title, 'the title');
  if (!clean) throw UserError.badRequest(ERRORS.sayWhatIdea, USAGE.add);
  return clean;
}

/** For loops over derived entries: a missing idea is skipped, an unreadable one reported and skipped. */
function skipUnusable(onCorrupt: (err: CorruptRecordError) => void): (err: unknown) => null {
  const corrupt = nullIfCorrupt(onCorrupt);
  return (err) => (err instanceof UserError && err.status === 404 ? null : corrupt(err));
}

/** Everyone asked has scored and there are enough scores for a reveal that exposes no one. */
function everyoneAskedScored(idea: Idea): boolean {
  return idea.asked.length > 0 && idea.asked.every((id) => idea.scores[id]) && Object.keys(idea.scores).length >= MIN_SCORES_TO_REVEAL;
}

export function resultOf(idea: Idea, settings: PickSettings, now: number, by: string | null): RoundResult {
  return roundResult(idea.round, Object.values(idea.scores), settings, now, by);
}

function filterOf(filter: IdeaFilter): (status: string, quadrant: string | null) => boolean {
  switch (filter) {
    case 'all':
      return (s) => s !== 'archived';
    case 'archived':
      return (s) => s === 'archived';
    case 'open':
      return (s) => s === 'open';
    default:
      return (s, q) => s === 'revealed' && q === filter;
  }
}

/** An agenda item from the team's agenda set (a ref this version wrote, so it has its quadrant). */
const agendaItemOf = (teamId: string, ref: AgendaRef): IdeaAgendaItem => ({
  ideaId: `${teamId}:${ref.number}`,
  reference: ideaReference(ref.number),
  title: ref.wholeTitle ?? ref.title,
  quadrant: ref.quadrant ?? null,
  disputed: ref.disputed ?? false,
});

const agendaItem = (idea: Idea): IdeaAgendaItem => ({
  ideaId: `${idea.teamId}:${idea.number}`,
  reference: ideaReference(idea.number),
  title: idea.title,
  quadrant: quadrantOfIdea(idea),
  disputed: idea.revealed?.disputed ?? false,
});
