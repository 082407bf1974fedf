import type { ProductContext } from '../shared/context';
import type { IdeaAgendaItem } from '../shared/agenda_sources';
import { UserError } from '../shared/errors';
import { People } from '../shared/people';
import { UNCHANGED } from '../shared/kv';
import { postAsBot } from '../shared/posts';
import { rfcReference } from '../shared/references';
import { type Idea, type RoundResult, ideaReference, pickSettings } from './schema';
import { axisStats, isDisputed, type Quadrant, quadrantOf, QUADRANT_HELP } from './stats';
import { type IdeaStatus, PickStore, statusOf } from './store';

/** Channels larger than this are not snapshotted as "asked": reveal is then up to the owner. */
export const ASK_LIMIT = 100;
export const PAGE_SIZE = 20;
export const BOARD_SIZE = 40;
/** A meeting discusses a handful of ideas; the newest of the rest wait for the next one. */
export const AGENDA_IDEAS = 25;

/** What a client may see of an idea: aggregates only, and the viewer's own score. */
export interface IdeaView {
  teamId: string;
  number: number;
  reference: string;
  channelId: string;
  title: string;
  ownerId: string;
  createdAt: number;
  updatedAt: number;
  status: IdeaStatus;
  round: number;
  askedCount: number;
  scoredCount: number;
  revealed: RoundResult | null;
  history: RoundResult[];
  rfcNumber: number | null;
  archived: Idea['archived'];
  myScore?: { payoff: number; cost: number } | null;
  awaitingMyScore?: boolean;
}

export type ListFilter = Quadrant | 'open' | 'all' | 'archived';
export interface ListQuery {
  teamId: string;
  /** null = team-wide (only ideas from channels the viewer can see). */
  channelId: string | null;
  filter: ListFilter;
  before?: number | null;
  limit?: number;
}

export type RfcLookup = (teamId: string, rfcNumber: number) => Promise<string | null>;

export class PickService {
  readonly store: PickStore;

  constructor(
    private readonly ctx: ProductContext,
    private readonly rfcTitle: RfcLookup,
  ) {
    this.store = new PickStore(ctx.kv, (err) => ctx.log.error('unreadable record skipped', { key: err.key, error: err.message }));
  }

  people(): People {
    return new People(this.ctx.api);
  }

  async add(actor: string, channelId: string, title: string): Promise<Idea> {
    const clean = title.trim().replace(/\s+/g, ' ');
    if (!clean) throw UserError.badRequest('Say what the idea is.', '/pick add <idea>');
    if (clean.length > 300) throw UserError.badRequest('Keep the idea under 300 characters; link a doc for details.');
    const people = this.people();
    const channel = await people.channel(channelId);
    if (!channel || !channel.TeamId) throw UserError.badRequest('Ideas belong to a team channel; run this in one.');
    if (!(await people.canSeeChannel(actor, channelId))) throw UserError.forbidden('You are not a member of this channel.');
    const now = this.ctx.now();
    const idea = await this.store.create({
      teamId: channel.TeamId,
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
    return idea;
  }

  /** The idea if the actor may see it (a private channel's ideas only for its members). */
  async load(actor: string, teamId: string, n: number, people = this.people()): Promise<Idea> {
    const idea = await this.store.get(teamId, n);
    if (!idea || !(await people.canSeeChannel(actor, idea.channelId))) {
      throw UserError.notFound(`There is no ${ideaReference(n)} you can see in this team.`);
    }
    return idea;
  }

  async score(actor: string, teamId: string, n: number, payoff: number, cost: number): Promise<{ idea: Idea; autoRevealed: boolean }> {
    for (const [name, value] of [['payoff', payoff], ['cost', cost]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > 10) throw UserError.badRequest(`${name} must be a whole number from 1 to 10.`);
    }
    await this.load(actor, teamId, n);
    const settings = pickSettings(this.ctx.settings());
    const now = this.ctx.now();
    const { after } = await this.store.update(teamId, n, (idea) => {
      if (idea.archived) throw UserError.conflict(`${ideaReference(n)} is archived.`);
      if (idea.revealed) {
        throw UserError.conflict(`Round ${idea.round} of ${ideaReference(n)} is already revealed; \`/pick rescore ${n}\` starts a new round.`);
      }
      const scores = { ...idea.scores, [actor]: { payoff, cost, at: now } };
      const everyone = idea.asked.length > 0 && idea.asked.every((id) => scores[id]);
      const next: Idea = { ...idea, scores, updatedAt: now };
      return everyone ? { ...next, revealed: resultOf(next, settings, now, null) } : next;
    });
    const autoRevealed = after.revealed !== null;
    await this.changed(after);
    if (autoRevealed) await this.announceReveal(after);
    return { idea: after, autoRevealed };
  }

  async reveal(actor: string, teamId: string, n: number): Promise<Idea> {
    const people = this.people();
    const idea = await this.load(actor, teamId, n, people);
    await this.requireOwnerOrAdmin(people, actor, idea, 'reveal');
    const settings = pickSettings(this.ctx.settings());
    const now = this.ctx.now();
    const { after } = await this.store.update(teamId, n, (current) => {
      if (current.archived) throw UserError.conflict(`${ideaReference(n)} is archived.`);
      if (current.revealed) throw UserError.conflict(`Round ${current.round} of ${ideaReference(n)} is already revealed.`);
      if (Object.keys(current.scores).length === 0) throw UserError.conflict(`Nobody has scored ${ideaReference(n)} yet.`);
      return { ...current, revealed: resultOf(current, settings, now, actor), updatedAt: now };
    });
    await this.changed(after);
    await this.announceReveal(after);
    return after;
  }

  /** A new round: the last result moves to history and everyone scores again. */
  async rescore(actor: string, teamId: string, n: number): Promise<Idea> {
    const people = this.people();
    const idea = await this.load(actor, teamId, n, people);
    await this.requireOwnerOrAdmin(people, actor, idea, 'rescore');
    const asked = await this.askedIn(idea.channelId);
    const now = this.ctx.now();
    const { after } = await this.store.update(teamId, n, (current) => {
      if (current.archived) throw UserError.conflict(`${ideaReference(n)} is archived.`);
      if (!current.revealed) throw UserError.conflict(`Round ${current.round} of ${ideaReference(n)} is still being scored; reveal it first.`);
      return {
        ...current,
        history: [...current.history, current.revealed],
        revealed: null,
        scores: {},
        asked,
        round: current.round + 1,
        updatedAt: now,
      };
    });
    await this.changed(after);
    return after;
  }

  async archive(actor: string, teamId: string, n: number, reason: string): Promise<Idea> {
    const why = reason.trim();
    if (!why) throw UserError.badRequest('Give a reason for archiving.', '/pick archive <id> <reason>');
    if (why.length > 500) throw UserError.badRequest('Keep the reason under 500 characters.');
    const people = this.people();
    const idea = await this.load(actor, teamId, n, people);
    await this.requireOwnerOrAdmin(people, actor, idea, 'archive');
    const now = this.ctx.now();
    const { after } = await this.store.update(teamId, n, (current) => {
      if (current.archived) throw UserError.conflict(`${ideaReference(n)} is already archived.`);
      return { ...current, archived: { reason: why, by: actor, at: now }, updatedAt: now };
    });
    await this.changed(after);
    return after;
  }

  async link(actor: string, teamId: string, n: number, rfcNumber: number): Promise<{ idea: Idea; rfcTitle: string }> {
    await this.load(actor, teamId, n);
    const title = await this.rfcTitle(teamId, rfcNumber);
    if (title === null) throw UserError.notFound(`There is no ${rfcReference(rfcNumber)} in this team.`);
    const now = this.ctx.now();
    const { after } = await this.store.update(teamId, n, (current) =>
      current.rfcNumber === rfcNumber ? UNCHANGED : { ...current, rfcNumber, updatedAt: now },
    );
    await this.changed(after);
    return { idea: after, rfcTitle: title };
  }

  /** One page, newest first; team-wide pages skip channels the viewer cannot see. */
  async list(actor: string, query: ListQuery): Promise<{ ideas: Idea[]; next: number | null }> {
    const people = this.people();
    if (query.channelId && !(await people.canSeeChannel(actor, query.channelId))) {
      throw UserError.notFound('There is no such channel you can see.');
    }
    const index = query.channelId ? this.store.channelIndex(query.channelId) : this.store.teamIndex(query.teamId);
    const match = tagFilter(query.filter);
    const page = await index.page({ before: query.before ?? null, limit: query.limit ?? PAGE_SIZE, match: (t) => match(t.s as IdeaStatus, t.q as Quadrant | null) });
    const records = await this.store.getMany(query.teamId, page.entries.map((e) => Number(e.id)));
    const ideas: Idea[] = [];
    for (const idea of records) {
      if (!idea || !match(statusOf(idea), idea.archived ? null : (idea.revealed?.quadrant ?? null))) continue;
      if (!query.channelId && !(await people.canSeeChannel(actor, idea.channelId))) continue;
      ideas.push(idea);
    }
    return { ideas, next: page.next };
  }

  /** The channel's live ideas for the chart: the newest BOARD_SIZE that are not archived. */
  async board(actor: string, teamId: string, channelId: string): Promise<Idea[]> {
    return (await this.list(actor, { teamId, channelId, filter: 'all', limit: BOARD_SIZE })).ideas;
  }

  view(idea: Idea, viewer: string | null): IdeaView {
    const view: IdeaView = {
      teamId: idea.teamId,
      number: idea.number,
      reference: ideaReference(idea.number),
      channelId: idea.channelId,
      title: idea.title,
      ownerId: idea.ownerId,
      createdAt: idea.createdAt,
      updatedAt: idea.updatedAt,
      status: statusOf(idea),
      round: idea.round,
      askedCount: idea.asked.length,
      scoredCount: Object.keys(idea.scores).length,
      revealed: idea.revealed,
      history: idea.history,
      rfcNumber: idea.rfcNumber,
      archived: idea.archived,
    };
    if (viewer) {
      const mine = idea.scores[viewer];
      view.myScore = mine ? { payoff: mine.payoff, cost: mine.cost } : null;
      view.awaitingMyScore = statusOf(idea) === 'open' && !mine && idea.asked.includes(viewer);
    }
    return view;
  }

  /**
   * Someone left a channel: they are no longer asked to score its open ideas, so a round they
   * held up reveals itself once everyone still asked has scored.
   */
  async memberLeft(channelId: string, userId: string): Promise<void> {
    const channel = await this.people().channel(channelId);
    if (!channel?.TeamId) return;
    const waiting = (await this.store.openIdeas(channel.TeamId)).filter((r) => r.channelId === channelId && r.asked?.includes(userId));
    const settings = pickSettings(this.ctx.settings());
    for (const ref of waiting) {
      const now = this.ctx.now();
      const { before, after } = await this.store.update(channel.TeamId, ref.number, (idea) => {
        if (idea.revealed || idea.archived || !idea.asked.includes(userId) || idea.scores[userId]) return UNCHANGED;
        const asked = idea.asked.filter((id) => id !== userId);
        const next: Idea = { ...idea, asked, updatedAt: now };
        const everyone = asked.length > 0 && asked.every((id) => idea.scores[id]);
        return everyone ? { ...next, revealed: resultOf(next, settings, now, null) } : next;
      });
      if (before === after) continue;
      await this.changed(after);
      if (after.revealed) await this.announceReveal(after);
    }
  }

  /** Ideas waiting for the user's score (for /infra owe). */
  async owedBy(userId: string, teamId: string): Promise<string[]> {
    const asked = (await this.store.openIdeas(teamId)).filter((r) => r.asked?.includes(userId)).slice(-50);
    const ideas = await this.store.getMany(teamId, asked.map((r) => r.number));
    return ideas
      .filter((i): i is Idea => i !== null && statusOf(i) === 'open' && i.asked.includes(userId) && !i.scores[userId])
      .map((i) => `Score ${ideaReference(i.number)} “${i.title}”: \`/pick score ${i.number} payoff=<1-10> cost=<1-10>\``);
  }

  /**
   * Challenge ideas for a guild agenda, newest first and at most AGENDA_IDEAS: new ones (revealed
   * since `since`) and disputed ones. Only ideas from open channels or from the guild's own
   * channel, since the agenda is posted there.
   */
  async challengeAgenda(teamId: string, since: number, guildChannelId: string | null): Promise<IdeaAgendaItem[]> {
    const people = this.people();
    const items: IdeaAgendaItem[] = [];
    const newestFirst = (await this.store.challengeIdeas(teamId)).sort((a, b) => (b.revealedAt ?? 0) - (a.revealedAt ?? 0));
    for (const ref of newestFirst) {
      if (items.length === AGENDA_IDEAS) break;
      const isNew = (ref.revealedAt ?? 0) > since;
      if (!isNew && !ref.disputed) continue;
      if (ref.channelId !== guildChannelId && (await people.channel(ref.channelId))?.Type !== 'O') continue;
      items.push({ ideaId: `${teamId}:${ref.number}`, reference: ideaReference(ref.number), title: ref.title, quadrant: 'challenge', disputed: ref.disputed ?? false });
    }
    return items;
  }

  private async requireOwnerOrAdmin(people: People, actor: string, idea: Idea, what: string): Promise<void> {
    if (idea.ownerId === actor || (await people.isAdmin(actor, idea.teamId))) return;
    throw UserError.forbidden(`Only the idea's owner (${await people.mentions([idea.ownerId])}) or an admin may ${what} ${ideaReference(idea.number)}.`);
  }

  /** Channel members at this moment, as the people asked to score (bots aside). */
  private async askedIn(channelId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 0; ; page++) {
      const members = await this.ctx.api.getChannelMembers(channelId, page, 200);
      ids.push(...members.map((m) => m.UserId).filter((id) => id !== this.ctx.botUserId));
      if (ids.length > ASK_LIMIT) return [];
      if (members.length < 200) return ids;
    }
  }

  private async changed(idea: Idea): Promise<void> {
    await this.ctx.events.publish('pick_idea_changed', { idea: this.view(idea, null) }, { channelId: idea.channelId });
  }

  private async announceReveal(idea: Idea): Promise<void> {
    await postAsBot(this.ctx, { channelId: idea.channelId, message: revealMessage(idea) }, `PICK reveal of ${ideaReference(idea.number)}`);
  }
}

export function resultOf(idea: Idea, settings: { threshold: number; disagreementIqr: number }, now: number, by: string | null): RoundResult {
  const scores = Object.values(idea.scores);
  const payoff = axisStats(scores.map((s) => s.payoff));
  const cost = axisStats(scores.map((s) => s.cost));
  return {
    round: idea.round,
    payoff,
    cost,
    count: scores.length,
    quadrant: quadrantOf(payoff.median, cost.median, settings.threshold),
    disputed: isDisputed(payoff, cost, settings.disagreementIqr),
    threshold: settings.threshold,
    revealedAt: now,
    revealedBy: by,
  };
}

export function resultLine(r: RoundResult): string {
  return (
    `**${capital(r.quadrant)}** (${QUADRANT_HELP[r.quadrant]}) — payoff ${r.payoff.median} (IQR ${r.payoff.iqr}), ` +
    `cost ${r.cost.median} (IQR ${r.cost.iqr}), ${r.count} scorer${r.count === 1 ? '' : 's'}` +
    (r.disputed ? ' — ⚠ wide spread: discuss before deciding' : '')
  );
}

export function nextStepFor(idea: Idea): string {
  const q = idea.revealed?.quadrant;
  if (q === 'challenge' && idea.rfcNumber === null) return `This is a Challenge: open an RFC with \`/rfc new --idea ${idea.number} ${idea.title.slice(0, 60)}\`.`;
  if (q === 'kill') return `This is a Kill: archive it with \`/pick archive ${idea.number} <reason>\`.`;
  return '';
}

function revealMessage(idea: Idea): string {
  const r = idea.revealed!;
  const how = r.revealedBy ? 'revealed' : 'revealed automatically: everyone asked has scored';
  return [`#### ${ideaReference(idea.number)} “${idea.title}” — round ${r.round} ${how}`, resultLine(r), nextStepFor(idea)].filter(Boolean).join('\n');
}

function tagFilter(filter: ListFilter): (status: IdeaStatus, quadrant: Quadrant | null) => boolean {
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

export const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
