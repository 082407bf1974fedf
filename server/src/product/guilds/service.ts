import type { IdeaAgendaItem, IncidentReviewItem, IncidentReviewSource, RfcReviewItem } from '../shared/agenda_sources';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { People } from '../shared/people';
import { postAsBot } from '../shared/posts';
import { canonicalTimeZone, describeMeeting, firstMeetingDate, isTimeZone, nextMeeting, parseTime } from './schedule';
import { type Guild, type GuildMember, type GuildNote, type GuildSource, type Meeting, type QueueItem, slugify } from './schema';
import { GuildCadence } from './cadence';
import { GuildStore } from './store';

const MEETINGS_KEPT = 20;
const QUEUE_LIMIT = 100;
const MEETING_GRACE_MS = 3 * 3_600_000;

/** Where live agenda items come from; each is implemented by its own feature. */
export interface GuildSources {
  readonly incidents: IncidentReviewSource;
  readonly rfcs: { inReview(teamId: string): Promise<RfcReviewItem[]> };
  readonly ideas: { challengeAgenda(teamId: string, since: number, guildChannelId: string | null): Promise<IdeaAgendaItem[]> };
}

export interface GuildInput {
  name?: string;
  purpose?: string;
  day?: number;
  time?: string;
  timeZone?: string;
  everyWeeks?: number;
  /** null removes the channel (the guild becomes inactive). */
  channelId?: string | null;
  members?: GuildMember[];
  sources?: GuildSource[];
}

export interface Agenda {
  slug: string;
  name: string;
  teamId: string;
  channelId: string | null;
  /** Which live sources were read, so an empty one reads "none" rather than vanishing. */
  sources: GuildSource[];
  scheduledFor: number;
  timeZone: string;
  since: number | null;
  carried: QueueItem[];
  queued: QueueItem[];
  incidents: IncidentReviewItem[];
  rfcs: RfcReviewItem[];
  ideas: IdeaAgendaItem[];
  notes: GuildNote[];
}

export interface CloseSelection {
  /** Item selectors ("Q3", "INC-042"); "all" = everything. Default: everything is done. */
  done?: readonly string[];
  /** Everything is done except these. */
  carry?: readonly string[];
}

const DEFAULT_GUILDS: ReadonlyArray<Pick<Guild, 'slug' | 'name' | 'purpose' | 'members' | 'day' | 'sources'>> = [
  {
    slug: 'reliability-engineering-guild',
    name: 'Reliability Engineering Guild',
    purpose: 'Incident Review & Knowledge share',
    members: ['Leadership', 'SRE', 'Delivery'].map((text) => ({ kind: 'label' as const, text })),
    day: 1,
    sources: ['incidents'],
  },
  {
    slug: 'infrastructure-guild',
    name: 'Infrastructure Guild',
    purpose: 'Cross-org collaboration',
    members: ['Leadership', 'Infrastructure', 'Product', 'Security'].map((text) => ({ kind: 'label' as const, text })),
    day: 4,
    sources: ['rfcs', 'pick'],
  },
];

export class GuildService {
  readonly store: GuildStore;
  readonly cadence: GuildCadence;

  constructor(
    private readonly ctx: ProductContext,
    private readonly sources: GuildSources,
  ) {
    this.store = new GuildStore(ctx.kv);
    this.cadence = new GuildCadence(ctx, this);
  }

  people(): People {
    return new People(this.ctx.api);
  }

  /**
   * At activation on every node: the handbook's two guilds, inactive until an admin gives them a
   * channel, and a cadence job for every active guild that lacks one. Idempotent.
   */
  async activate(): Promise<void> {
    const now = this.ctx.now();
    for (const seed of DEFAULT_GUILDS) {
      // Insert-if-absent keeps an admin's edits; create() also re-indexes a half-seeded guild.
      await this.store.create({
        ...blankGuild(null, now),
        ...seed,
        seeded: true,
        time: '10:00',
        anchorDate: firstMeetingDate({ day: seed.day, time: '10:00', timeZone: 'UTC' }, now),
      });
    }
    await this.cadence.ensureAll();
  }

  async create(actor: string, teamId: string, input: GuildInput): Promise<Guild> {
    const people = this.people();
    await this.requireTeam(people, actor, teamId);
    if (!input.name?.trim()) throw UserError.badRequest('Name the guild.', GUILD_CREATE_USAGE);
    for (const [flag, value] of [['--day', input.day], ['--time', input.time], ['--tz', input.timeZone]] as const) {
      if (value === undefined) throw UserError.badRequest(`${flag} is required.`, GUILD_CREATE_USAGE);
    }
    const guild = await this.applyInput(people, actor, teamId, blankGuild(actor, this.ctx.now()), input, true);
    if (!(await this.store.create(guild))) throw UserError.conflict(`A guild "${guild.slug}" already exists; pick another name.`);
    await this.cadence.reschedule(guild);
    await this.changed(guild, actor);
    return guild;
  }

  async edit(actor: string, teamId: string, text: string, input: GuildInput): Promise<Guild> {
    const people = this.people();
    const found = await this.find(people, actor, teamId, text);
    await this.requireEditor(people, actor, teamId, found);
    const patched = await this.applyInput(people, actor, teamId, found, input, false);
    const stored = await this.store.update(found.slug, (current) => ({
      ...current,
      ...pickSchedule(patched),
      updatedAt: this.ctx.now(),
    }));
    await this.cadence.reschedule(stored);
    await this.changed(stored, actor);
    return stored;
  }

  /**
   * Guilds of this team plus the unassigned defaults, without those meeting in a channel the
   * actor cannot see (a private channel's guild, its name and its channel stay with its members).
   */
  async list(actor: string, teamId: string, people = this.people()): Promise<Guild[]> {
    await this.requireTeam(people, actor, teamId);
    const ofTeam = (await this.store.all()).filter((g) => g.teamId === null || g.teamId === teamId);
    const visible = await Promise.all(ofTeam.map((g) => g.channelId === null || people.canSeeChannel(actor, g.channelId)));
    return ofTeam.filter((_, i) => visible[i]);
  }

  async get(actor: string, teamId: string, text: string): Promise<Guild> {
    return this.find(this.people(), actor, teamId, text);
  }

  /**
   * The meeting the agenda is for: one that started less than MEETING_GRACE ago still counts
   * as current (people close it at its end), unless it has already been closed. Closing a
   * meeting early (before its slot) uses up that slot.
   */
  nextMeetingAt(guild: Guild, now = this.ctx.now()): number {
    const last = guild.lastMeeting;
    return nextMeeting(guild, Math.max(last ? Math.max(last.closedAt, last.scheduledFor ?? 0) : 0, now - MEETING_GRACE_MS));
  }

  describeNext(guild: Guild): string {
    return describeMeeting(this.nextMeetingAt(guild), guild.timeZone);
  }

  async agenda(actor: string, teamId: string, text: string): Promise<Agenda> {
    const guild = await this.find(this.people(), actor, teamId, text);
    return this.computeAgenda(guild, guild.teamId ?? teamId);
  }

  /**
   * Queued and carried items plus live items from the guild's sources, read now, for the meeting
   * at `meetingAt` (default: the next one).
   */
  async computeAgenda(guild: Guild, teamId: string, meetingAt = this.nextMeetingAt(guild)): Promise<Agenda> {
    const since = guild.lastMeeting?.closedAt ?? null;
    const wants = (s: GuildSource): boolean => guild.sources.includes(s);
    const [incidents, rfcs, ideas] = await Promise.all([
      wants('incidents') ? this.sources.incidents.pendingReview(teamId) : Promise.resolve([]),
      wants('rfcs') ? this.sources.rfcs.inReview(teamId) : Promise.resolve([]),
      wants('pick') ? this.sources.ideas.challengeAgenda(teamId, since ?? 0, guild.channelId) : Promise.resolve([]),
    ]);
    return {
      slug: guild.slug,
      name: guild.name,
      teamId,
      channelId: guild.channelId,
      sources: guild.sources,
      scheduledFor: meetingAt,
      timeZone: guild.timeZone,
      since,
      carried: guild.queue.filter((q) => q.carried > 0),
      queued: guild.queue.filter((q) => q.carried === 0),
      incidents,
      rfcs,
      ideas,
      notes: guild.notes,
    };
  }

  async queue(actor: string, teamId: string, text: string, item: string): Promise<{ guild: Guild; item: QueueItem }> {
    const clean = item.trim();
    if (!clean) throw UserError.badRequest('Say what to put on the agenda.', '/guild queue <name> <item>');
    if (clean.length > 1000) throw UserError.badRequest('Keep an agenda item under 1000 characters.');
    const found = await this.find(this.people(), actor, teamId, text);
    const now = this.ctx.now();
    const guild = await this.store.update(found.slug, (current) => {
      if (current.queue.length >= QUEUE_LIMIT) throw UserError.conflict(`${current.name} already has ${QUEUE_LIMIT} queued items; close a meeting first.`);
      const queued = { id: current.nextItemId, text: clean, by: actor, at: now, carried: 0 };
      return { ...current, queue: [...current.queue, queued], nextItemId: current.nextItemId + 1, updatedAt: now };
    });
    await this.changed(guild, actor);
    return { guild, item: guild.queue.filter((q) => q.by === actor && q.text === clean).at(-1)! };
  }

  async addNote(actor: string, teamId: string, text: string, kind: GuildNote['kind'], note: string): Promise<Guild> {
    const clean = note.trim();
    if (!clean) throw UserError.badRequest('Write the note.', '/guild notes <name> [decision|action] <text>');
    if (clean.length > 2000) throw UserError.badRequest('Keep a note under 2000 characters.');
    const found = await this.find(this.people(), actor, teamId, text);
    const now = this.ctx.now();
    const guild = await this.store.update(found.slug, (current) => ({
      ...current,
      notes: [...current.notes, { kind, text: clean, by: actor, at: now }],
      updatedAt: now,
    }));
    await this.changed(guild, actor);
    return guild;
  }

  /**
   * Closes the current meeting: notes, decisions and actions are recorded, finished items leave
   * the queue, unfinished ones carry over, and reviewed incidents are reported to their feature.
   */
  async close(actor: string, teamId: string, text: string, selection: CloseSelection): Promise<{ guild: Guild; meeting: Meeting }> {
    const people = this.people();
    const found = await this.find(people, actor, teamId, text);
    const agenda = await this.computeAgenda(found, found.teamId ?? teamId);
    const isDone = doneSelector(selection, agenda);
    const now = this.ctx.now();
    const reviewed = agenda.incidents.filter((i) => isDone(i.reference));
    const onAgenda = new Set([...agenda.carried, ...agenda.queued].map((q) => q.id));
    const guild = await this.store.update(found.slug, (current) =>
      closedMeeting(current, { actor, now, onAgenda, isDone, reviewed: reviewed.map((i) => i.reference), scheduledFor: this.nextMeetingAt(current, now) }),
    );
    if (reviewed.length) {
      await this.sources.incidents.markReviewed(agenda.teamId, reviewed.map((i) => i.incidentId), now);
    }
    const closed = guild.meetings.at(-1)!;
    // Closing early uses up the meeting's slot: its start post must not follow.
    await this.cadence.reschedule(guild);
    if (guild.channelId) await postAsBot(this.ctx, { channelId: guild.channelId, message: await meetingSummary(guild, closed, people) }, 'guild meeting summary');
    await this.changed(guild, actor);
    return { guild, meeting: closed };
  }

  /** Agenda items the user queued that are still open (for /infra owe). */
  async owedBy(userId: string, teamId: string): Promise<string[]> {
    const guilds = (await this.store.all()).filter((g) => g.teamId === null || g.teamId === teamId);
    return guilds.flatMap((g) =>
      g.queue.filter((q) => q.by === userId).map((q) => `Your agenda item Q${q.id} for ${g.name}: ${q.text}${q.carried ? ` (carried ${q.carried}×)` : ''}`),
    );
  }

  /** By slug, name or unique slug prefix, among the guilds the actor may see (list() decides). */
  private async find(people: People, actor: string, teamId: string, text: string): Promise<Guild> {
    const wanted = slugify(text);
    if (!wanted) throw UserError.badRequest('Say which guild.', '/guild <subcommand> <name>');
    const guilds = await this.list(actor, teamId, people);
    const exact = guilds.find((g) => g.slug === wanted || g.name.toLowerCase() === text.trim().toLowerCase());
    const prefixed = guilds.filter((g) => g.slug.startsWith(wanted));
    const guild = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
    if (guild) return guild;
    if (prefixed.length > 1) throw UserError.badRequest(`"${text}" matches ${prefixed.map((g) => g.slug).join(', ')}; be more specific.`);
    throw UserError.notFound(`There is no guild "${text}". \`/guild list\` shows them.`);
  }

  /** The guild as `input` would leave it; every field is checked before anything is written. */
  private async applyInput(people: People, actor: string, teamId: string, base: Guild, input: GuildInput, creating: boolean): Promise<Guild> {
    const next: Guild = { ...base, ...namesFrom(input, creating), ...scheduleFrom(input) };
    if (input.members !== undefined) next.members = await this.checkMembers(people, teamId, input.members);
    if (input.sources !== undefined) next.sources = [...new Set(input.sources)];
    if (input.channelId !== undefined) Object.assign(next, await this.channelFrom(people, actor, teamId, input.channelId));
    // A new weekday, cadence or zone restarts the every-N-weeks count from the next meeting day.
    const scheduleChanged = creating || input.day !== undefined || input.everyWeeks !== undefined || input.timeZone !== undefined;
    if (scheduleChanged) next.anchorDate = firstMeetingDate(next, this.ctx.now());
    return next;
  }

  /** Named users must be on the team (the HTTP API takes user ids as given); labels are free text. */
  private async checkMembers(people: People, teamId: string, members: GuildMember[]): Promise<GuildMember[]> {
    if (members.length > 50) throw UserError.badRequest('At most 50 members or groups.');
    for (const m of members) {
      if (m.kind === 'user' && !(await people.isTeamMember(m.userId, teamId))) throw UserError.badRequest(`Member ${m.userId} is not on this team.`);
    }
    return members;
  }

  private async channelFrom(people: People, actor: string, teamId: string, channelId: string | null): Promise<Pick<Guild, 'channelId' | 'teamId'>> {
    if (channelId === null) return { channelId: null, teamId: null };
    const channel = await people.channel(channelId);
    if (!channel || !channel.TeamId || !(await people.canSeeChannel(actor, channelId))) throw UserError.notFound('There is no such channel you can see.');
    if (channel.TeamId !== teamId) throw UserError.badRequest("The guild's channel must be in this team.");
    return { channelId: channel.Id, teamId: channel.TeamId };
  }

  private async requireTeam(people: People, actor: string, teamId: string): Promise<void> {
    if (!teamId || !(await people.isTeamMember(actor, teamId))) throw UserError.forbidden('Guilds belong to a team; you are not a member of this one.');
  }

  private async requireEditor(people: People, actor: string, teamId: string, guild: Guild): Promise<void> {
    if (guild.createdBy === actor || (await people.isAdmin(actor, guild.teamId ?? teamId))) return;
    throw UserError.forbidden(guild.seeded ? `${guild.name} is a default guild; only an admin may change it.` : `Only whoever created ${guild.name} or an admin may change it.`);
  }

  private async changed(guild: Guild, actor: string): Promise<void> {
    // The guild's channel is its audience: a private channel's guild stays with its members.
    await this.ctx.events.publish('guild_changed', { guild }, guild.channelId ? { channelId: guild.channelId } : { userId: actor });
  }
}

function namesFrom(input: GuildInput, creating: boolean): Partial<Guild> {
  const out: Partial<Guild> = {};
  if (input.name !== undefined) {
    const name = input.name.trim().replace(/\s+/g, ' ');
    if (!name || name.length > 100) throw UserError.badRequest('A guild name is 1 to 100 characters.');
    out.name = name;
    // The slug is the guild's key: fixed at creation, so renaming keeps jobs and links working.
    if (creating) {
      out.slug = slugify(name);
      if (!out.slug) throw UserError.badRequest('The guild name needs letters or digits.');
    }
  }
  if (input.purpose !== undefined) {
    if (input.purpose.length > 300) throw UserError.badRequest('Keep the purpose under 300 characters.');
    out.purpose = input.purpose.trim();
  }
  return out;
}

function scheduleFrom(input: GuildInput): Partial<Guild> {
  const out: Partial<Guild> = {};
  if (input.day !== undefined) out.day = input.day;
  if (input.time !== undefined) {
    const t = parseTime(input.time);
    if (!t) throw UserError.badRequest(`"${input.time}" is not a time; use HH:MM (24-hour).`);
    out.time = `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
  }
  if (input.timeZone !== undefined) {
    if (!isTimeZone(input.timeZone)) throw UserError.badRequest(`"${input.timeZone}" is not an IANA time zone (e.g. Europe/Berlin).`);
    out.timeZone = canonicalTimeZone(input.timeZone);
  }
  if (input.everyWeeks !== undefined) {
    if (!Number.isInteger(input.everyWeeks) || input.everyWeeks < 1 || input.everyWeeks > 12) throw UserError.badRequest('--every is 1 to 12 weeks.');
    out.everyWeeks = input.everyWeeks;
  }
  return out;
}

/** A guild with every field at its empty value, for create and seeding to fill in. */
function blankGuild(createdBy: string | null, now: number): Guild {
  return {
    v: 1,
    slug: '',
    name: '',
    purpose: '',
    teamId: null,
    channelId: null,
    members: [],
    day: 0,
    time: '00:00',
    timeZone: 'UTC',
    everyWeeks: 1,
    anchorDate: null,
    sources: [],
    createdBy,
    seeded: false,
    createdAt: now,
    updatedAt: now,
    queue: [],
    notes: [],
    nextItemId: 1,
    lastMeeting: null,
    meetings: [],
  };
}

export const GUILD_CREATE_USAGE =
  '/guild create <name> --day <weekday> --time HH:MM --tz <IANA zone> [--every N weeks] [--channel ~name] [--members @user @group …] [--sources incidents,rfcs,pick] [--purpose <text>]';

function pickSchedule(g: Guild): Partial<Guild> {
  return {
    name: g.name,
    purpose: g.purpose,
    teamId: g.teamId,
    channelId: g.channelId,
    members: g.members,
    day: g.day,
    time: g.time,
    timeZone: g.timeZone,
    everyWeeks: g.everyWeeks,
    anchorDate: g.anchorDate,
    sources: g.sources,
  };
}

interface Closing {
  actor: string;
  now: number;
  /** Queue item ids on the agenda the meeting saw. */
  onAgenda: ReadonlySet<number>;
  isDone: (ref: string) => boolean;
  reviewed: string[];
  scheduledFor: number;
}

/** The guild after its meeting closed: the meeting recorded last in `meetings`, the queue carried on. */
function closedMeeting(current: Guild, c: Closing): Guild {
  const discussed = current.queue.filter((q) => c.onAgenda.has(q.id));
  const done = discussed.filter((q) => c.isDone(`Q${q.id}`));
  const carried = discussed.filter((q) => !c.isDone(`Q${q.id}`));
  // Items queued after the agenda was read were not discussed: they stay queued as they are.
  const late = current.queue.filter((q) => !c.onAgenda.has(q.id));
  const meeting: Meeting = {
    closedAt: c.now,
    closedBy: c.actor,
    scheduledFor: c.scheduledFor,
    notes: current.notes,
    done: done.map((q) => `Q${q.id} ${q.text}`),
    carried: carried.map((q) => `Q${q.id} ${q.text}`),
    reviewedIncidents: c.reviewed,
  };
  return {
    ...current,
    queue: [...carried.map((q) => ({ ...q, carried: q.carried + 1 })), ...late],
    notes: [],
    lastMeeting: { closedAt: c.now, scheduledFor: c.scheduledFor },
    meetings: [...current.meetings, meeting].slice(-MEETINGS_KEPT),
    updatedAt: c.now,
  };
}

/** Which agenda items count as done at close; unknown selectors are refused before anything is written. */
function doneSelector(selection: CloseSelection, agenda: Agenda): (ref: string) => boolean {
  if (selection.done && selection.carry) throw UserError.badRequest('Use either --done or --carry, not both.');
  const known = new Set([...agenda.carried, ...agenda.queued].map((q) => `Q${q.id}`).concat(agenda.incidents.map((i) => i.reference)).map((s) => s.toUpperCase()));
  const listed = (selection.done ?? selection.carry ?? []).map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (selection.done && listed.length === 1 && listed[0] === 'ALL') return () => true;
  const unknown = listed.filter((s) => !known.has(s));
  if (unknown.length) throw UserError.badRequest(`Not on this agenda: ${unknown.join(', ')}. Use the item ids shown by \`/guild agenda\` (Q1, INC-042…).`);
  const set = new Set(listed);
  if (selection.done) return (ref) => set.has(ref.toUpperCase());
  if (selection.carry) return (ref) => !set.has(ref.toUpperCase());
  return () => true;
}

async function meetingSummary(guild: Guild, m: Meeting, people: People): Promise<string> {
  const lines = [`#### ${guild.name} — meeting closed`];
  const section = async (title: string, kind: GuildNote['kind']): Promise<void> => {
    const notes = m.notes.filter((n) => n.kind === kind);
    if (!notes.length) return;
    lines.push(`**${title}**`);
    for (const n of notes) lines.push(`- ${n.text} (@${await people.username(n.by)})`);
  };
  await section('Decisions', 'decision');
  await section('Action items', 'action');
  await section('Notes', 'note');
  if (m.done.length) lines.push(`**Done:** ${m.done.join('; ')}`);
  if (m.reviewedIncidents.length) lines.push(`**Incidents reviewed:** ${m.reviewedIncidents.join(', ')}`);
  if (m.carried.length) lines.push(`**Carried to the next meeting:** ${m.carried.join('; ')}`);
  return lines.join('\n');
}

