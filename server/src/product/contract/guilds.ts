/** Guilds as clients see them: the guild, its agenda, a closed meeting, schedules, routes. */
import * as z from 'zod/mini';
import { mmId, pageOf, route } from './api';
import { QUADRANTS } from './pick';

/** Index = the `day` field (0 = Sunday), as Date.getUTCDay counts. */
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_LABELS: Record<Weekday, string> = {
  sunday: 'Sunday',
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
};

/** Live data an agenda is built from. */
export const GUILD_SOURCES = ['incidents', 'rfcs', 'pick'] as const;
export type GuildSource = (typeof GUILD_SOURCES)[number];

export const NOTE_KINDS = ['note', 'decision', 'action'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export const GUILD_LIMITS = {
  name: 100,
  purpose: 300,
  timeZone: 64,
  everyWeeks: 12,
  members: 50,
  /** A member label ("SRE", "@platform-team"). */
  label: 100,
  facilitators: 10,
  queueItem: 1000,
  note: 2000,
  /** Item selectors in one close, and incidents one close may mark reviewed. */
  selectors: 200,
  selector: 40,
  /** Guilds one team may have (the two handbook guilds included). */
  guildsPerTeam: 50,
  /** Queued and carried items of one guild. */
  queue: 100,
  /** Notes, decisions and actions of one meeting. */
  notes: 40,
  /** Closed meetings a guild keeps. */
  meetingsKept: 8,
} as const;

/** Props of the bot's cadence posts in a guild's channel (the agenda reminder and the meeting start). */
export const CADENCE_PROPS = { guild: 'infra_ops_guild', cadence: 'infra_ops_cadence', meetingAt: 'infra_ops_meeting_at' } as const;
export const CADENCE_KINDS = ['reminder', 'start'] as const;

// ---- views ----

export const memberView = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), userId: z.string() }),
  /** A group or role named in words ("SRE", "@platform-team"). */
  z.strictObject({ kind: z.literal('label'), text: z.string() }),
]);
export type MemberView = z.output<typeof memberView>;

export const queueItemView = z.strictObject({
  /** Stable within the guild ("Q7"). */
  id: z.number(),
  text: z.string(),
  by: z.string(),
  at: z.number(),
  /** How many meetings it has been carried over from. */
  carried: z.number(),
});
export type QueueItemView = z.output<typeof queueItemView>;

/** `id`: N3 within its meeting (what `/guild unnote` and `DELETE …/notes/:n` take). */
export const noteView = z.strictObject({ id: z.number(), kind: z.enum(NOTE_KINDS), text: z.string(), by: z.string(), at: z.number() });
export type NoteView = z.output<typeof noteView>;

/** The guild without storage internals (record version, id counter, schedule anchor, meeting history). */
export const guildView = z.strictObject({
  slug: z.string(),
  name: z.string(),
  purpose: z.string(),
  teamId: z.string(),
  /** null: inactive (the seeded defaults until someone gives them a channel). */
  channelId: z.nullable(z.string()),
  members: z.array(memberView),
  /** User ids of the people who run its meetings (they may edit it, close meetings, remove items). */
  facilitators: z.array(z.string()),
  /** 0-6, Sunday first (WEEKDAYS). */
  day: z.number(),
  /** "HH:MM" in timeZone. */
  time: z.string(),
  timeZone: z.string(),
  everyWeeks: z.number(),
  sources: z.array(z.enum(GUILD_SOURCES)),
  /** One of the two handbook guilds. */
  seeded: z.boolean(),
  createdBy: z.nullable(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
  queue: z.array(queueItemView),
  /** Notes taken since the last meeting closed. */
  notes: z.array(noteView),
  lastMeeting: z.nullable(z.strictObject({ closedAt: z.number(), scheduledFor: z.nullable(z.number()) })),
  /** Computed by the server from the schedule (time zone, daylight saving, every N weeks, called-off days). */
  nextMeetingAt: z.nullable(z.number()),
  /** Meetings called off for this guild alone (`/guild skip`), "YYYY-MM-DD" local, sorted. */
  skippedDates: z.array(z.string()),
  /** The team's holidays ("YYYY-MM-DD"): no guild of the team meets on them. */
  holidays: z.array(z.string()),
  /** Who facilitates and who takes notes at the next meeting (the rota); null without user members. */
  rota: z.nullable(z.strictObject({ facilitator: z.string(), scribe: z.nullable(z.string()) })),
});
export type GuildView = z.output<typeof guildView>;

export const meetingView = z.strictObject({
  closedAt: z.number(),
  closedBy: z.string(),
  scheduledFor: z.nullable(z.number()),
  notes: z.array(noteView),
  /** Item selectors ("Q3", "INC-042") marked done, and carried to the next meeting. */
  done: z.array(z.string()),
  carried: z.array(z.string()),
  reviewedIncidents: z.array(z.string()),
});
export type MeetingView = z.output<typeof meetingView>;

export const agendaIncidentView = z.strictObject({
  incidentId: z.string(),
  reference: z.string(),
  title: z.string(),
  severity: z.number(),
  resolvedAt: z.number(),
  mttrMinutes: z.nullable(z.number()),
  openFollowups: z.number(),
});
export const agendaRfcView = z.strictObject({
  rfcId: z.string(),
  reference: z.string(),
  title: z.string(),
  commentPeriodEndsAt: z.nullable(z.number()),
  /** User ids of reviewers who have not signed off. */
  missingSignoffs: z.array(z.string()),
  openConcerns: z.number(),
});
export const agendaIdeaView = z.strictObject({
  ideaId: z.string(),
  reference: z.string(),
  title: z.string(),
  quadrant: z.nullable(z.enum(QUADRANTS)),
  disputed: z.boolean(),
});

/** The next meeting's agenda as the caller may see it, built from live data. */
export const agendaView = z.strictObject({
  slug: z.string(),
  name: z.string(),
  teamId: z.string(),
  channelId: z.nullable(z.string()),
  /** The sources read, so an empty one reads "none" rather than vanishing. */
  sources: z.array(z.enum(GUILD_SOURCES)),
  scheduledFor: z.number(),
  timeZone: z.string(),
  /** The previous meeting's close; null before the first. */
  since: z.nullable(z.number()),
  carried: z.array(queueItemView),
  queued: z.array(queueItemView),
  incidents: z.array(agendaIncidentView),
  rfcs: z.array(agendaRfcView),
  ideas: z.array(agendaIdeaView),
  notes: z.array(noteView),
  /** Items on the agenda the caller may not see (private channels): only counted, never shown. */
  hidden: z.strictObject({ incidents: z.number(), rfcs: z.number(), ideas: z.number() }),
});
export type AgendaView = z.output<typeof agendaView>;

// ---- requests ----

const time = z.string().check(z.regex(/^\d{1,2}:\d{2}$/, 'must be HH:MM'));
const settingsShape = {
  name: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(GUILD_LIMITS.name)),
  purpose: z.string().check(z.maxLength(GUILD_LIMITS.purpose)),
  day: z.number().check(z.int(), z.minimum(0), z.maximum(6)),
  time,
  /** An IANA zone, e.g. Europe/Berlin. */
  time_zone: z.string().check(z.minLength(1), z.maxLength(GUILD_LIMITS.timeZone)),
  every_weeks: z.number().check(z.int(), z.minimum(1), z.maximum(GUILD_LIMITS.everyWeeks)),
  /** null: no channel (inactive). */
  channel_id: z.nullable(mmId),
  members: z.array(z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('user'), userId: mmId }),
    z.strictObject({ kind: z.literal('label'), text: z.string().check(z.minLength(1), z.maxLength(GUILD_LIMITS.label)) }),
  ])).check(z.maxLength(GUILD_LIMITS.members)),
  /** User ids; replaces the list. */
  facilitators: z.array(mmId).check(z.maxLength(GUILD_LIMITS.facilitators)),
  sources: z.array(z.enum(GUILD_SOURCES)),
};

/** Omitted: purpose "", every week, no channel, no members, no facilitators, no sources. */
export const createGuildBody = z.strictObject({
  name: settingsShape.name,
  day: settingsShape.day,
  time: settingsShape.time,
  time_zone: settingsShape.time_zone,
  purpose: z.optional(settingsShape.purpose),
  every_weeks: z.optional(settingsShape.every_weeks),
  channel_id: z.optional(settingsShape.channel_id),
  members: z.optional(settingsShape.members),
  facilitators: z.optional(settingsShape.facilitators),
  sources: z.optional(settingsShape.sources),
});
export type CreateGuildBody = z.input<typeof createGuildBody>;

/** Only the fields given change. */
export const editGuildBody = z.partial(z.strictObject(settingsShape));
export type EditGuildBody = z.input<typeof editGuildBody>;

export const queueBody = z.strictObject({
  text: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(GUILD_LIMITS.queueItem)),
});
/** Omitted kind: note. */
export const guildNoteBody = z.strictObject({
  kind: z.optional(z.enum(NOTE_KINDS)),
  text: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(GUILD_LIMITS.note)),
});
/**
 * Item selectors ("Q3", "INC-042", "all"). `done`: these are done (`["all"]`: everything);
 * `carry`: these carry over and every other queued item is done (incidents only through `done`).
 * Omitted both: nothing is done and every discussed item carries over.
 */
const selectors = z.array(z.string().check(z.maxLength(GUILD_LIMITS.selector))).check(z.maxLength(GUILD_LIMITS.selectors));
/** `early`: close the next meeting before it starts (only that one; without it a close before the start is refused). */
export const closeBody = z.strictObject({ done: z.optional(selectors), carry: z.optional(selectors), early: z.optional(z.boolean()) });

// ---- answers and routes ----

const guildAnswer = z.strictObject({ guild: guildView });
export type GuildAnswer = z.output<typeof guildAnswer>;

export const guildRoutes = {
  /** Every guild of the team the caller may see (a short list: the page is always the last). */
  list: route({ method: 'GET', path: '/teams/:teamId/guilds', query: null, body: null, answer: pageOf(guildView), status: 200 }),
  create: route({ method: 'POST', path: '/teams/:teamId/guilds', query: null, body: createGuildBody, answer: guildAnswer, status: 201 }),
  get: route({ method: 'GET', path: '/teams/:teamId/guilds/:slug', query: null, body: null, answer: guildAnswer, status: 200 }),
  edit: route({ method: 'PATCH', path: '/teams/:teamId/guilds/:slug', query: null, body: editGuildBody, answer: guildAnswer, status: 200 }),
  /** Answers the guild as it was. */
  delete: route({ method: 'DELETE', path: '/teams/:teamId/guilds/:slug', query: null, body: null, answer: guildAnswer, status: 200 }),
  agenda: route({
    method: 'GET',
    path: '/teams/:teamId/guilds/:slug/agenda',
    query: null,
    body: null,
    answer: z.strictObject({ agenda: agendaView }),
    status: 200,
  }),
  queue: route({
    method: 'POST',
    path: '/teams/:teamId/guilds/:slug/queue',
    query: null,
    body: queueBody,
    answer: z.strictObject({ guild: guildView, item: queueItemView }),
    status: 201,
  }),
  /** `:n` is the item's id (Q7 → 7). */
  unqueue: route({
    method: 'DELETE',
    path: '/teams/:teamId/guilds/:slug/queue/:n',
    query: null,
    body: null,
    answer: z.strictObject({ guild: guildView, item: queueItemView }),
    status: 200,
  }),
  note: route({ method: 'POST', path: '/teams/:teamId/guilds/:slug/notes', query: null, body: guildNoteBody, answer: guildAnswer, status: 201 }),
  /** `:n` is the note's id (N3 → 3); its author, facilitators, the creator or an admin. */
  unnote: route({
    method: 'DELETE',
    path: '/teams/:teamId/guilds/:slug/notes/:n',
    query: null,
    body: null,
    answer: z.strictObject({ guild: guildView, note: noteView }),
    status: 200,
  }),
  close: route({
    method: 'POST',
    path: '/teams/:teamId/guilds/:slug/close',
    query: null,
    body: closeBody,
    answer: z.strictObject({ guild: guildView, meeting: meetingView }),
    status: 200,
  }),
} as const;
