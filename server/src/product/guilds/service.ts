/**
 * The guilds' use cases. A guild belongs to one team; the team's two handbook guilds appear the
 * first time a member of the team uses guilds. Each use case finds the guild among those the actor
 * may see now, asks the rule table (policy.ts) whether the actor may do it, then changes the
 * record with one compare-and-set on its fresh value.
 *
 * Agendas are read through the ports with a reader: a person sees what they may see, a channel
 * post shows only items of the team's open channels and counts the rest.
 */
import { started } from '../shared/started';
import type { OwedFact } from '../shared/owed';
import { guildOwedFacts } from './owed';
import type { Access } from '../shared/access/policy';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { People, usernameOf } from '../shared/people';
import { postAsBot } from '../shared/posts';
import type { IdeaAgendaSource, IncidentReviewSource, Listed, Reader, RfcReviewSource } from '../shared/ports';
import { checkCount, checkText } from '../shared/text/limits';
import { RELAYED_TEXT_PROPS, withoutChannelMentions } from '../shared/text/mentions';
import { formatClock, parseClock, requireTimeZone } from '../shared/time/zone';
import { type CadenceHost, GuildCadence } from './cadence';
import { exactGuild, guildSlugOf, matchGuild } from './find';
import { agendaMeeting, closableMeeting, type CloseSelection, closedMeeting, planClose } from './meetings';
import { GUILD_TEXT, meetingSummary, type Names, USAGE } from './messages';
import { type LegacyGuild, LegacyGuilds } from './migrate';
import { guildPolicy, holdersOf, scopeOf } from './policy';
import {
  ALIASES_KEPT,
  type Guild,
  type GuildCopy,
  type GuildMember,
  type GuildNote,
  type GuildSource,
  LIMITS,
  type Meeting,
  SLUG_PATTERN,
  type QueueItem,
  withNoteIds,
  withoutControlCharacters,
} from './records';
import { firstMeetingDate, nextMeeting } from './schedule';
import { blankGuild, handbookGuilds } from './seeds';
import { type GuildSettings, parseSettings } from './settings';
import { GuildStore } from './store';
import { type Agenda, guildView } from './views';

/** Where live agenda items come from; each port is implemented by its own feature. */
export interface GuildSources {
  readonly incidents: IncidentReviewSource;
  readonly rfcs: RfcReviewSource;
  readonly ideas: IdeaAgendaSource;
}

/** A channel to bind: by name as typed (`~ops`) or by id (HTTP). */
export type ChannelRef = { readonly id: string } | { readonly name: string };

/** What create and edit may set; absent fields are left alone. */
export interface GuildInput {
  name?: string;
  purpose?: string;
  day?: number;
  time?: string;
  timeZone?: string;
  everyWeeks?: number;
  /** null removes the channel (the guild becomes inactive). */
  channel?: ChannelRef | null;
  /** As the HTTP API gives them. */
  members?: readonly GuildMember[];
  /** As typed: `@alice`, `@sre-team`, `Leadership`. */
  memberWords?: readonly string[];
  /** User ids (HTTP). */
  facilitators?: readonly string[];
  /** As typed: `@alice @bob`. */
  facilitatorNames?: readonly string[];
  sources?: readonly GuildSource[];
}

type Patch = Partial<Pick<Guild, 'name' | 'purpose' | 'day' | 'time' | 'timeZone' | 'everyWeeks' | 'channelId' | 'members' | 'facilitators' | 'sources'>>;

export interface Changed {
  readonly guild: Guild;
  /** Things the actor should know (a member word kept as a label…). */
  readonly warnings: readonly string[];
}

const NONE: Listed<never> = { items: [], hidden: 0 };

export class GuildService implements CadenceHost {
  readonly store: GuildStore;
  readonly cadence: GuildCadence;
  readonly legacy: LegacyGuilds;

  constructor(
    private readonly ctx: ProductContext,
    private readonly sources: GuildSources,
  ) {
    this.store = new GuildStore(ctx.kv, ctx.log, ctx.now);
    this.cadence = new GuildCadence(ctx, this);
    this.legacy = new LegacyGuilds(ctx, this.store, this.cadence);
  }

  names(): Names {
    return new People(this.ctx.api);
  }

  settings(): GuildSettings {
    return parseSettings(this.ctx.settings());
  }

  /**
   * At activation on every node: the cadence job handler, the move of v1's installation-wide
   * guilds into their teams, and a cadence job for every active guild that lacks one. Idempotent.
   */
  async activate(): Promise<void> {
    this.cadence.register();
    await this.legacy.migrate();
    for (const teamId of await this.store.teams()) {
      try {
        await this.cadence.ensure(await this.store.list(teamId));
      } catch (err) {
        this.ctx.log.error('guild cadences of a team not checked', { teamId, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  // ---- reading ----

  /** The team's guilds the actor may see now (a guest: only those of channels they are in). */
  async list(actor: string, teamId: string, access = this.ctx.access()): Promise<GuildCopy[]> {
    return access.filterVisible(actor, await this.teamGuilds(access, actor, teamId), scopeOf);
  }

  async get(actor: string, teamId: string, name: string): Promise<GuildCopy> {
    return this.find(this.ctx.access(), actor, teamId, name);
  }

  /** The meeting the agenda is for (running or next), and the one after it. */
  async next(actor: string, teamId: string, name: string): Promise<{ guild: GuildCopy; at: number; following: number }> {
    const guild = await this.get(actor, teamId, name);
    const now = this.ctx.now();
    const at = agendaMeeting(guild, now);
    return { guild, at, following: nextMeeting(guild, Math.max(at, now)) };
  }

  nextMeetingAt(guild: GuildCopy): number {
    return agendaMeeting(guild, this.ctx.now());
  }

  async agenda(actor: string, teamId: string, name: string): Promise<Agenda> {
    const guild = await this.record(this.ctx.access(), actor, teamId, name);
    return this.agendaFor(guild, { userId: actor }, agendaMeeting(guild, this.ctx.now()));
  }

  /**
   * The guild `name` names, from its record rather than the team index's copy: one KV read when
   * `name` is the slug of a guild the actor may see (matchGuild's first rule), else found among
   * the copies and then read (two).
   */
  private async record(access: Access, actor: string, teamId: string, name: string): Promise<Guild> {
    if (!(await access.isTeamMember(actor, teamId)) && !(await access.isSystemAdmin(actor))) throw UserError.notFound(GUILD_TEXT.noTeam);
    const slug = guildSlugOf(name);
    const direct = SLUG_PATTERN.test(slug) ? await this.store.readable(teamId, slug) : null;
    if (direct && direct.teamId === teamId && (await access.canSee(actor, scopeOf(direct)))) return direct;
    const found = await this.find(access, actor, teamId, name);
    const stored = await this.store.readable(teamId, found.slug);
    // Seeing is asked again of the record: a copy left stale by a crash must not widen it.
    if (!stored || stored.teamId !== teamId || !(await access.canSee(actor, scopeOf(stored)))) throw UserError.notFound(GUILD_TEXT.noSuchGuild(name));
    return stored;
  }

  /** Queued and carried items plus live items from the guild's sources, read now for `reader`. */
  async agendaFor(guild: GuildCopy, reader: Reader, meetingAt: number): Promise<Agenda> {
    const wants = (s: GuildSource): boolean => guild.sources.includes(s);
    const [incidents, rfcs, ideas] = await Promise.all([
      wants('incidents') ? this.sources.incidents.pendingReview(guild.teamId, reader) : NONE,
      wants('rfcs') ? this.sources.rfcs.inReview(guild.teamId, reader) : NONE,
      wants('pick') ? this.sources.ideas.challengeAgenda(guild.teamId, reader) : NONE,
    ]);
    return {
      slug: guild.slug,
      name: guild.name,
      teamId: guild.teamId,
      channelId: guild.channelId,
      sources: guild.sources,
      scheduledFor: meetingAt,
      timeZone: guild.timeZone,
      since: guild.lastMeeting?.closedAt ?? null,
      carried: guild.queue.filter((q) => q.carried > 0),
      queued: guild.queue.filter((q) => q.carried === 0),
      incidents: incidents.items,
      rfcs: rfcs.items,
      ideas: ideas.items,
      notes: guild.notes,
      hidden: { incidents: incidents.hidden, rfcs: rfcs.hidden, ideas: ideas.hidden },
      forChannel: 'channelId' in reader,
    };
  }

  /** `/infra owe` from the records (the owed ledger's rebuild): this user's queued items in the team's guilds. */
  async owedFacts(userId: string, teamId: string): Promise<OwedFact[]> {
    return (await this.store.list(teamId)).flatMap((g) => {
      const fact = guildOwedFacts(g).get(userId);
      return fact ? [fact] : [];
    });
  }

  /** The actor's own v1 guilds that had no team, waiting for `/guild adopt`. */
  async orphansOf(actor: string): Promise<LegacyGuild[]> {
    return this.legacy.orphansOf(actor);
  }

  // ---- changing ----

  async create(actor: string, teamId: string, input: GuildInput): Promise<Changed> {
    const access = this.ctx.access();
    const all = await this.teamGuilds(access, actor, teamId);
    await this.requireCreator(access, actor, teamId, 'create a guild');
    if (input.name === undefined || !input.name.trim()) throw UserError.badRequest(GUILD_TEXT.nameIt, USAGE.create);
    for (const [flag, value] of [['--day', input.day], ['--time', input.time], ['--tz', input.timeZone]] as const) {
      if (value === undefined) throw UserError.badRequest(GUILD_TEXT.required(flag), USAGE.create);
    }
    const { patch, warnings } = await this.checkInput(access, actor, teamId, input);
    const name = patch.name!;
    const base = guildSlugOf(name);
    if (!base) throw UserError.badRequest(GUILD_TEXT.nameNeedsLetters);
    const visible = await access.filterVisible(actor, all, scopeOf);
    const clash = exactGuild(visible, name, { aliases: false });
    if (clash) throw UserError.conflict(clash.slug === base ? GUILD_TEXT.exists(clash.slug) : GUILD_TEXT.nameTaken(name, clash.slug));
    // A guild the actor can't see may hold the slug: take a free one rather than reveal it.
    const taken = new Set(all.flatMap((g) => [g.slug, guildSlugOf(g.name)]));
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base.slice(0, 56)}-${n}`;
    const now = this.ctx.now();
    const guild: Guild = { ...blankGuild(teamId, actor, now), ...patch, slug };
    guild.anchorDate = firstMeetingDate(guild, now);
    guild.holidays = (await this.store.holidays(teamId)).map((d) => d.date);
    if (!(await this.store.create(guild))) throw UserError.conflict(GUILD_TEXT.exists(slug));
    await this.store.registerTeam(teamId);
    await this.cadence.reschedule(guild);
    await this.changed(guild, actor);
    return { guild, warnings };
  }

  /** The patch is applied inside the compare-and-set, to the fresh record: concurrent edits never undo each other. */
  async edit(actor: string, teamId: string, name: string, input: GuildInput): Promise<Changed & { renamedFrom: string | null }> {
    const access = this.ctx.access();
    const visible = await this.list(actor, teamId, access);
    const guild = matchGuild(visible, name);
    await guildPolicy.require(access, actor, 'edit', { scope: scopeOf(guild), holders: holdersOf(guild) }, `change ${guild.name}`);
    const { patch, warnings } = await this.checkInput(access, actor, teamId, input);
    if (Object.keys(patch).length === 0) throw UserError.badRequest(GUILD_TEXT.sayWhatToChange, USAGE.edit);
    if (patch.name !== undefined) {
      if (!guildSlugOf(patch.name)) throw UserError.badRequest(GUILD_TEXT.nameNeedsLetters);
      const clash = exactGuild(visible.filter((g) => g.slug !== guild.slug), patch.name, { aliases: false });
      if (clash) throw UserError.conflict(GUILD_TEXT.nameTaken(patch.name, clash.slug));
    }
    const now = this.ctx.now();
    const stored = await this.store.update(teamId, guild.slug, (current) => applyPatch(current, patch, now));
    await this.cadence.reschedule(stored);
    await this.changed(stored, actor);
    return { guild: stored, warnings, renamedFrom: patch.name !== undefined && patch.name !== guild.name ? guild.name : null };
  }

  async delete(actor: string, teamId: string, name: string): Promise<GuildCopy> {
    const access = this.ctx.access();
    const guild = await this.find(access, actor, teamId, name);
    await guildPolicy.require(access, actor, 'delete', { scope: scopeOf(guild), holders: holdersOf(guild) }, `delete ${guild.name}`);
    await this.cadence.cancel(teamId, guild.slug);
    await this.store.delete(teamId, guild.slug);
    return guild;
  }

  /** A guild the actor may see (to show what a delete would remove). */
  async preview(actor: string, teamId: string, name: string, action: 'delete'): Promise<GuildCopy> {
    const access = this.ctx.access();
    const guild = await this.find(access, actor, teamId, name);
    await guildPolicy.require(access, actor, action, { scope: scopeOf(guild), holders: holdersOf(guild) }, `${action} ${guild.name}`);
    return guild;
  }

  async queue(actor: string, teamId: string, name: string, text: string): Promise<{ guild: Guild; item: QueueItem }> {
    const clean = checkText(withoutControlCharacters(text), LIMITS.queueItem, 'an agenda item');
    if (!clean) throw UserError.badRequest(GUILD_TEXT.sayWhatToQueue, USAGE.queue);
    const access = this.ctx.access();
    const found = await this.find(access, actor, teamId, name);
    await guildPolicy.require(access, actor, 'queue', { scope: scopeOf(found), holders: holdersOf(found) }, `put items on the ${found.name} agenda`);
    const now = this.ctx.now();
    let queued: QueueItem | undefined;
    const guild = await this.store.update(teamId, found.slug, (current) => {
      if (current.queue.length >= LIMITS.queue) throw UserError.conflict(GUILD_TEXT.queueFull(current));
      queued = { id: current.nextItemId, text: clean, by: actor, at: now, carried: 0 };
      return { ...current, queue: [...current.queue, queued], nextItemId: current.nextItemId + 1, updatedAt: now };
    });
    await this.changed(guild, actor);
    return { guild, item: queued! };
  }

  async unqueue(actor: string, teamId: string, name: string, ref: string): Promise<{ guild: Guild; item: QueueItem }> {
    const m = /^Q?(\d{1,9})$/i.exec(ref.trim());
    if (!m) throw UserError.badRequest(GUILD_TEXT.notAnItemId(ref), USAGE.unqueue);
    const id = Number(m[1]);
    const access = this.ctx.access();
    const found = await this.find(access, actor, teamId, name);
    const item = found.queue.find((q) => q.id === id);
    if (!item) throw UserError.notFound(GUILD_TEXT.noSuchItem(`Q${id}`, found));
    await guildPolicy.require(access, actor, 'unqueue', { scope: scopeOf(found), holders: holdersOf(found, item) }, `remove Q${id}`);
    const now = this.ctx.now();
    let removed: QueueItem | undefined;
    const guild = await this.store.update(teamId, found.slug, (current) => {
      removed = current.queue.find((q) => q.id === id);
      if (!removed) throw UserError.notFound(GUILD_TEXT.noSuchItem(`Q${id}`, current));
      return { ...current, queue: current.queue.filter((q) => q.id !== id), updatedAt: now };
    });
    await this.changed(guild, actor);
    return { guild, item: removed! };
  }

  /** A note of the current meeting, with its id (N3) for `/guild unnote`. */
  async note(actor: string, teamId: string, name: string, kind: GuildNote['kind'], text: string): Promise<{ guild: Guild; note: GuildNote; id: number }> {
    const clean = checkText(withoutControlCharacters(text), LIMITS.note, 'a note');
    if (!clean) throw UserError.badRequest(GUILD_TEXT.sayWhatToNote, USAGE.notes);
    const access = this.ctx.access();
    const found = await this.find(access, actor, teamId, name);
    await guildPolicy.require(access, actor, 'note', { scope: scopeOf(found), holders: holdersOf(found) }, `take notes for ${found.name}`);
    const now = this.ctx.now();
    let note: GuildNote | undefined;
    const guild = await this.store.update(teamId, found.slug, (current) => {
      if (current.notes.length >= LIMITS.notes) throw UserError.conflict(GUILD_TEXT.notesFull(current));
      const notes = withNoteIds(current.notes);
      const id = Math.max(current.nextNoteId ?? 1, notes.reduce((max, n) => Math.max(max, n.id!), 0) + 1);
      note = { id, kind, text: clean, by: actor, at: now };
      return { ...current, notes: [...notes, note], nextNoteId: id + 1, updatedAt: now };
    });
    await this.changed(guild, actor);
    return { guild, note: note!, id: note!.id! };
  }

  /** Takes a note out of the current meeting (before the close posts it): its author, or whoever runs the meetings. */
  async unnote(actor: string, teamId: string, name: string, ref: string): Promise<{ guild: Guild; note: GuildNote; id: number }> {
    const m = /^N?(\d{1,9})$/i.exec(ref.trim());
    if (!m) throw UserError.badRequest(GUILD_TEXT.notANoteId(ref), USAGE.unnote);
    const id = Number(m[1]);
    const access = this.ctx.access();
    const found = await this.find(access, actor, teamId, name);
    const note = withNoteIds(found.notes).find((n) => n.id === id);
    if (!note) throw UserError.notFound(GUILD_TEXT.noSuchNote(`N${id}`, found));
    await guildPolicy.require(access, actor, 'unnote', { scope: scopeOf(found), holders: holdersOf(found, note) }, `remove N${id}`);
    const now = this.ctx.now();
    let removed: GuildNote | undefined;
    const guild = await this.store.update(teamId, found.slug, (current) => {
      const notes = withNoteIds(current.notes);
      removed = notes.find((n) => n.id === id);
      if (!removed) throw UserError.notFound(GUILD_TEXT.noSuchNote(`N${id}`, current));
      return { ...current, notes: notes.filter((n) => n.id !== id), updatedAt: now };
    });
    await this.changed(guild, actor);
    return { guild, note: removed!, id };
  }

  /**
   * Closes the meeting in progress or just finished (the latest one that has started, not closed
   * yet) — or, with `early`, the next one before it starts (only that one: meetings.ts): notes
   * move to the meeting, finished items leave the queue, discussed ones carry over, and the
   * incidents named as reviewed are reported to their feature, which marks those the closer may mark.
   */
  async close(
    actor: string,
    teamId: string,
    name: string,
    selection: CloseSelection & { readonly early?: boolean },
  ): Promise<{ guild: Guild; meeting: Meeting; notReviewed: string[]; early: boolean }> {
    const access = this.ctx.access();
    const found = await this.find(access, actor, teamId, name);
    await guildPolicy.require(access, actor, 'close', { scope: scopeOf(found), holders: holdersOf(found) }, `close ${found.name} meetings`);
    const now = this.ctx.now();
    const closable = closableMeeting(found, now);
    if (closable.kind === 'closed_early') throw UserError.conflict(GUILD_TEXT.closedEarly(found, closable.at, closable.next, now));
    if (closable.kind === 'upcoming' && !selection.early) {
      throw UserError.conflict(closable.last === null ? GUILD_TEXT.notStarted(found, closable.at, now) : GUILD_TEXT.meetingClosed(found, closable.last, closable.at, now));
    }
    const early = closable.kind === 'upcoming';
    // The agenda as the closer sees it: only incidents they can see can be named reviewed.
    const agenda = await this.agendaFor(found, { userId: actor }, closable.at);
    const items = [...agenda.carried, ...agenda.queued];
    const plan = planClose(selection, items, agenda.incidents);
    const onAgenda = new Set(items.map((q) => q.id));
    let guild = await this.store.update(teamId, found.slug, (current) =>
      closedMeeting(current, { actor, now, meetingAt: closable.at, onAgenda, doneItems: plan.doneItems }),
    );
    let notReviewed: string[] = [];
    if (plan.reviewed.length) {
      const marked = new Set(await this.sources.incidents.markReviewed(actor, teamId, plan.reviewed.map((i) => i.incidentId), now));
      const reviewed = plan.reviewed.filter((i) => marked.has(i.incidentId)).map((i) => i.reference);
      notReviewed = plan.reviewed.filter((i) => !marked.has(i.incidentId)).map((i) => i.reference);
      if (reviewed.length) {
        guild = await this.store.update(teamId, found.slug, (current) => ({
          ...current,
          meetings: current.meetings.map((m) => (m.closedAt === now && m.scheduledFor === closable.at ? { ...m, reviewedIncidents: reviewed } : m)),
        }));
      }
    }
    const meeting = guild.meetings.find((m) => m.closedAt === now && m.scheduledFor === closable.at) ?? guild.meetings.at(-1)!;
    // A close before the meeting's start uses up its slot: its start post must not follow.
    await this.cadence.reschedule(guild);
    if (guild.channelId) {
      await postAsBot(this.ctx, { channelId: guild.channelId, message: await meetingSummary(guild, meeting, this.names()), props: { ...RELAYED_TEXT_PROPS } }, 'guild meeting summary');
    }
    await this.changed(guild, actor);
    return { guild, meeting, notReviewed, early };
  }

  /** Moves one of the actor's team-less v1 guilds into this team. */
  async adopt(actor: string, teamId: string, name: string): Promise<Guild> {
    const access = this.ctx.access();
    await this.teamGuilds(access, actor, teamId);
    await this.requireCreator(access, actor, teamId, 'add a guild to this team');
    const wanted = guildSlugOf(name);
    const orphans = await this.legacy.orphansOf(actor);
    const old = orphans.find((g) => g.slug === wanted || guildSlugOf(g.name) === wanted);
    if (!old) throw UserError.notFound(GUILD_TEXT.noLegacy(name));
    const guild = await this.legacy.adopt(old, teamId);
    await this.changed(guild, actor);
    return guild;
  }

  // ---- helpers ----

  /**
   * Every guild of the team (visible or not), for members and system admins; a member's first use
   * seeds the handbook guilds (insert-if-absent, so nodes racing do it once). Outsiders: not-found.
   */
  private async teamGuilds(access: Access, actor: string, teamId: string): Promise<GuildCopy[]> {
    // The team's guild index is read beside the membership check (and the team's public-channel
    // right asked, which their open channels need): one round trip deep, not three. Nothing read
    // is used, and no copy it lacks is put back, before the check has passed.
    void access.canSeeTeam(actor, teamId);
    const index = started(this.store.teamIndex(teamId));
    const member = await access.isTeamMember(actor, teamId);
    if (!member && !(await access.isSystemAdmin(actor))) throw UserError.notFound(GUILD_TEXT.noTeam);
    const team = await this.store.team(teamId, index);
    if (team.seeded || !member) return team.guilds;
    await this.store.seed(teamId, handbookGuilds(teamId, this.ctx.now()));
    await this.store.registerTeam(teamId);
    return this.store.list(teamId);
  }

  /** A new guild is the team's: only its full members (guests see only their own channels). */
  private async requireCreator(access: Access, actor: string, teamId: string, what: string): Promise<void> {
    if (!(await access.canSeeTeam(actor, teamId))) throw UserError.forbidden(GUILD_TEXT.onlyMembersCreate(what));
    await guildPolicy.require(access, actor, 'create', { scope: { teamId, channelId: null } }, what);
  }

  private async find(access: Access, actor: string, teamId: string, name: string): Promise<GuildCopy> {
    return matchGuild(await this.list(actor, teamId, access), name);
  }

  /** Every field of `input` checked and normalised; nothing is written here. */
  private async checkInput(access: Access, actor: string, teamId: string, input: GuildInput): Promise<{ patch: Patch; warnings: string[] }> {
    const patch: Patch = {};
    const warnings: string[] = [];
    if (input.name !== undefined) {
      const name = checkText(withoutControlCharacters(input.name).replace(/\s+/g, ' '), LIMITS.name, 'a guild name');
      if (!name) throw UserError.badRequest(GUILD_TEXT.nameIt);
      patch.name = name;
    }
    if (input.purpose !== undefined) patch.purpose = checkText(withoutControlCharacters(input.purpose), LIMITS.purpose, 'the purpose');
    if (input.day !== undefined) {
      if (!Number.isInteger(input.day) || input.day < 0 || input.day > 6) throw UserError.badRequest(GUILD_TEXT.notAWeekday(String(input.day)));
      patch.day = input.day;
    }
    if (input.time !== undefined) {
      const t = parseClock(input.time.slice(0, 10));
      if (!t) throw UserError.badRequest(GUILD_TEXT.notATime(input.time));
      patch.time = formatClock(t.hour, t.minute);
    }
    if (input.timeZone !== undefined) patch.timeZone = requireTimeZone(input.timeZone);
    if (input.everyWeeks !== undefined) {
      if (!Number.isInteger(input.everyWeeks) || input.everyWeeks < 1 || input.everyWeeks > LIMITS.everyWeeks) throw UserError.badRequest(GUILD_TEXT.everyRange);
      patch.everyWeeks = input.everyWeeks;
    }
    if (input.channel !== undefined) patch.channelId = input.channel === null ? null : await this.bindChannel(access, actor, teamId, input.channel);
    if (input.members !== undefined) patch.members = await this.checkMembers(access, teamId, input.members);
    if (input.memberWords !== undefined) {
      const resolved = await this.membersFromWords(access, teamId, input.memberWords);
      patch.members = resolved.members;
      warnings.push(...resolved.warnings);
    }
    if (input.facilitators !== undefined) patch.facilitators = await this.checkFacilitators(access, teamId, input.facilitators);
    if (input.facilitatorNames !== undefined) patch.facilitators = await this.checkFacilitators(access, teamId, await this.userIds(input.facilitatorNames));
    if (input.sources !== undefined) patch.sources = [...new Set(input.sources)];
    return { patch, warnings };
  }

  /**
   * The binder must be able to post in the channel (the bot will post there for the guild), and
   * the answer is the same whether the channel is missing, private to others, archived or
   * read-only, so channel names can't be probed.
   */
  private async bindChannel(access: Access, actor: string, teamId: string, ref: ChannelRef): Promise<string> {
    let channelId: string;
    let label: string;
    if ('name' in ref) {
      const name = ref.name.trim().replace(/^~/, '').toLowerCase();
      label = `~${name.slice(0, 64)}`;
      const found = name && name.length <= 64 ? await this.ctx.api.getChannelByName(teamId, name, false).catch(() => null) : null;
      if (!found) throw UserError.notFound(GUILD_TEXT.noPostableChannel(label));
      channelId = found.Id;
    } else {
      channelId = ref.id;
      label = 'with that id';
    }
    let scope;
    try {
      scope = await access.requirePostable(actor, channelId);
    } catch (err) {
      // A channel the actor can read but not post in is no secret (403); one they can't read reads as absent (M11).
      if (err instanceof UserError && err.status === 403) throw UserError.forbidden(GUILD_TEXT.cannotPostIn(label));
      if (err instanceof UserError) throw UserError.notFound(GUILD_TEXT.noPostableChannel(label));
      throw err;
    }
    if (scope.teamId !== teamId) throw UserError.badRequest(GUILD_TEXT.channelOfOtherTeam);
    return channelId;
  }

  private async checkMembers(access: Access, teamId: string, members: readonly GuildMember[]): Promise<GuildMember[]> {
    checkCount(members.length, LIMITS.members, 'members or groups');
    const out: GuildMember[] = [];
    for (const m of members) {
      if (m.kind === 'user') {
        if (!(await access.isTeamMember(m.userId, teamId))) throw UserError.badRequest(GUILD_TEXT.memberNotOnTeam(`Member ${m.userId}`));
        out.push({ kind: 'user', userId: m.userId });
      } else out.push({ kind: 'label', text: checkLabel(m.text) });
    }
    return dedupeMembers(out);
  }

  /** `@alice` becomes a user when one exists (and is on the team); other words are labels, said so when they look like a typo. */
  private async membersFromWords(access: Access, teamId: string, values: readonly string[]): Promise<{ members: GuildMember[]; warnings: string[] }> {
    const words = values.flatMap((v) => v.split(',')).map((w) => w.trim()).filter(Boolean);
    checkCount(words.length, LIMITS.members, 'members or groups');
    for (const w of words) checkLabel(w);
    const wanted = words.filter((w) => w.startsWith('@')).map(usernameOf).filter((n) => n.length > 0 && n.length <= 64);
    const users = wanted.length ? await this.ctx.api.getUsersByUsernames([...new Set(wanted)]).catch(() => []) : [];
    const byName = new Map(users.map((u) => [u.Username.toLowerCase(), u]));
    const members: GuildMember[] = [];
    const warnings: string[] = [];
    for (const word of words) {
      const user = word.startsWith('@') ? byName.get(usernameOf(word)) : undefined;
      if (user) {
        if (!(await access.isTeamMember(user.Id, teamId))) throw UserError.badRequest(GUILD_TEXT.memberNotOnTeam(`@${user.Username}`));
        members.push({ kind: 'user', userId: user.Id });
        continue;
      }
      if (word.startsWith('@')) warnings.push(GUILD_TEXT.labelNotUser(word));
      members.push({ kind: 'label', text: word });
    }
    return { members: dedupeMembers(members), warnings };
  }

  private async userIds(words: readonly string[]): Promise<string[]> {
    const names = [...new Set(words.flatMap((v) => v.split(',')).map(usernameOf).filter(Boolean))];
    checkCount(names.length, LIMITS.facilitators, 'facilitators');
    return new People(this.ctx.api).resolveUsernames(names);
  }

  private async checkFacilitators(access: Access, teamId: string, ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    checkCount(unique.length, LIMITS.facilitators, 'facilitators');
    for (const id of unique) if (!(await access.isTeamMember(id, teamId))) throw UserError.badRequest(GUILD_TEXT.unknownFacilitators);
    return unique;
  }

  /** guild_changed to the guild's channel, or to the actor alone while it has none. */
  async changed(guild: Guild, actor: string): Promise<void> {
    await this.ctx.events.publish('guild_changed', { guild: guildView(guild, this.nextMeetingAt(guild)) }, guild.channelId ? { channelId: guild.channelId } : { userId: actor });
  }
}

/** A label within its limit that fires no channel-wide mention. */
function checkLabel(text: string): string {
  const clean = checkText(withoutControlCharacters(text), LIMITS.label, 'a member label');
  if (withoutChannelMentions(clean) !== clean) throw UserError.badRequest(GUILD_TEXT.channelWideMember(clean));
  return clean;
}

function dedupeMembers(members: readonly GuildMember[]): GuildMember[] {
  const seen = new Set<string>();
  return members.filter((m) => {
    const key = m.kind === 'user' ? `u:${m.userId}` : `l:${m.text.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The guild with the patch applied to its fresh value; a new weekday, cadence or zone restarts the every-N-weeks count. */
export function applyPatch(current: Guild, patch: Patch, now: number): Guild {
  const next: Guild = { ...current, ...patch, updatedAt: now };
  if (patch.name !== undefined && patch.name !== current.name) {
    // The old name stays an alias (it still finds the guild); the new one is no alias of itself.
    const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
    next.aliases = [...(current.aliases ?? []).filter((a) => !same(a, patch.name!) && !same(a, current.name)), current.name].slice(-ALIASES_KEPT);
  }
  if (patch.day !== undefined || patch.everyWeeks !== undefined || patch.timeZone !== undefined) next.anchorDate = firstMeetingDate(next, now);
  return next;
}
