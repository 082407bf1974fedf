/**
 * The guilds feature's stored records (see store.ts for where each lives), with every string and
 * list bounded: a record written by an old version or by hand can never grow past the limits
 * unnoticed, and the use cases refuse input over them with an error that names the limit.
 */
import { z } from 'zod';
import { GUILD_LIMITS, GUILD_SOURCES, NOTE_KINDS, type GuildSource, type NoteKind } from '../contract/guilds';

export { GUILD_SOURCES, NOTE_KINDS, type GuildSource, type NoteKind };

/** Every bound of the feature (the contract's, shared with the webapp, plus what only the server stores). */
export const LIMITS = {
  ...GUILD_LIMITS,
  /** How much of an item's text a closed meeting keeps. */
  meetingItemText: 160,
  /** Dates one guild may have called off (`/guild skip`); the oldest go first. */
  skips: 52,
  /** Holidays one team may list (`/guild holidays add`); the oldest go first. */
  holidays: 100,
  holidayName: 80,
} as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const userId = z.string().min(1).max(64);

export const memberSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId }),
  /** A group or role named in words ("SRE", "@platform-team") rather than a user. */
  z.object({ kind: z.literal('label'), text: z.string().min(1).max(LIMITS.label) }),
]);
export type GuildMember = z.output<typeof memberSchema>;

export const queueItemSchema = z.object({
  /** Stable within the guild ("Q7"), so `/guild close --done Q7` means the same item later. */
  id: z.number().int().positive(),
  text: z.string().min(1).max(LIMITS.queueItem),
  by: userId,
  at: z.number(),
  /** How many meetings it has been carried over from. */
  carried: z.number().int().nonnegative(),
});
export type QueueItem = z.output<typeof queueItemSchema>;

export const noteSchema = z.object({
  /** Stable within the meeting ("N3", for `/guild unnote`); absent on notes from before ids (see noteId). */
  id: z.number().int().positive().optional(),
  kind: z.enum(NOTE_KINDS),
  text: z.string().min(1).max(LIMITS.note),
  by: userId,
  at: z.number(),
});
export type GuildNote = z.output<typeof noteSchema>;

/** A note's id (N3): stored with it; a note from before ids has its place in the list. */
export const noteId = (note: Pick<GuildNote, 'id'>, index: number): number => note.id ?? index + 1;

/** The notes with every id written down (done on each change, so places never shift an id). */
export const withNoteIds = (notes: readonly GuildNote[]): GuildNote[] => notes.map((n, k) => ({ ...n, id: noteId(n, k) }));

export const meetingSchema = z.object({
  closedAt: z.number(),
  closedBy: userId,
  /** The scheduled meeting this close stood for (null only in records from before 2027). */
  scheduledFor: z.number().nullable(),
  notes: z.array(noteSchema).max(LIMITS.notes),
  /** "Q3 <start of its text>" */
  done: z.array(z.string().max(LIMITS.meetingItemText + 12)).max(LIMITS.queue),
  carried: z.array(z.string().max(LIMITS.meetingItemText + 12)).max(LIMITS.queue),
  /** References of the incidents actually marked reviewed ("INC-042"). */
  reviewedIncidents: z.array(z.string().max(LIMITS.selector)).max(LIMITS.selectors),
});
export type Meeting = z.output<typeof meetingSchema>;

/** How many earlier names a guild keeps as aliases. */
export const ALIASES_KEPT = 5;

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,59}$/;
export const SLUG_MAX = 60;

export const guildSchema = z.object({
  v: z.literal(2),
  /** Unique within the team; fixed at creation (renaming keeps it, and the new name finds it too). */
  slug: z.string().regex(SLUG_PATTERN),
  teamId: z.string().min(1).max(64),
  name: z.string().min(1).max(LIMITS.name),
  /** Names it had before (newest last): they still find it after a rename. */
  aliases: z.array(z.string().min(1).max(LIMITS.name)).max(ALIASES_KEPT).optional(),
  purpose: z.string().max(LIMITS.purpose),
  /** Where the agenda is posted; null = inactive. Must be a channel of `teamId`. */
  channelId: z.string().min(1).max(64).nullable(),
  members: z.array(memberSchema).max(LIMITS.members),
  /** Users who run the meetings: they may edit the guild, close meetings and remove queued items. */
  facilitators: z.array(userId).max(LIMITS.facilitators),
  day: z.number().int().min(0).max(6),
  time: z.string().regex(/^\d{2}:\d{2}$/),
  timeZone: z.string().min(1).max(LIMITS.timeZone),
  everyWeeks: z.number().int().min(1).max(LIMITS.everyWeeks),
  anchorDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  sources: z.array(z.enum(GUILD_SOURCES)).max(GUILD_SOURCES.length),
  /** null for the handbook guilds. */
  createdBy: userId.nullable(),
  seeded: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  queue: z.array(queueItemSchema).max(LIMITS.queue),
  /** Taken since the last meeting closed. */
  notes: z.array(noteSchema).max(LIMITS.notes),
  nextItemId: z.number().int().positive(),
  /** The id the next note of the current meeting gets (never reused within a meeting); absent: after the notes' highest. */
  nextNoteId: z.number().int().positive().optional(),
  lastMeeting: z.object({ closedAt: z.number(), scheduledFor: z.number().nullable() }).nullable(),
  /** The latest meetings, oldest first. */
  meetings: z.array(meetingSchema).max(LIMITS.meetingsKept),
  /** Local meeting days called off for this guild (`/guild skip`), sorted. Absent in older records. */
  skips: z.array(isoDate).max(LIMITS.skips).optional(),
  /**
   * The team's holiday dates, copied here whenever the team's list changes (holidays.ts), so every
   * schedule computation reads one record. The team's list (holidaysSchema) stays the truth.
   */
  holidays: z.array(isoDate).max(LIMITS.holidays).optional(),
  /**
   * Facilitator and scribe rota (rota.ts): user members in turn order (a swap exchanges two places)
   * and how many meetings have closed since it started. Absent: members' order, turn 0.
   */
  rota: z.object({ order: z.array(userId).max(LIMITS.members), turn: z.number().int().nonnegative() }).optional(),
  /** Bumped by every change (store.ts), so the team index never takes an older copy over a newer one. Absent: 0. */
  rev: z.number().int().nonnegative().optional(),
});
export type Guild = z.output<typeof guildSchema>;

/** A guild as the team index keeps it for lists and finding: all of it but the closed meetings. */
export const guildCopySchema = guildSchema.omit({ meetings: true });
export type GuildCopy = z.output<typeof guildCopySchema>;
export const copyOf = (guild: Guild): GuildCopy => {
  const { meetings: _history, ...copy } = guild;
  return copy;
};

/**
 * A team's guilds. `seeded`: the handbook guilds were offered to this team once (deleting one keeps
 * it deleted). `copies`: each guild's copy (`d`, a GuildCopy) at its record's `rev`, so a list or
 * a find reads this one key; derived from the records (store.ts), absent in indexes of earlier
 * versions and for guilds whose copy was not written yet (readers then read the record and repair).
 */
const copyEntrySchema = z.object({ slug: z.string().regex(SLUG_PATTERN), rev: z.number().int().nonnegative(), d: z.unknown() });
export type CopyEntry = z.output<typeof copyEntrySchema>;
export const teamIndexSchema = z.object({
  v: z.literal(1),
  slugs: z.array(z.string().regex(SLUG_PATTERN)).max(LIMITS.guildsPerTeam + 2),
  seeded: z.boolean(),
  copies: z.array(copyEntrySchema).max(LIMITS.guildsPerTeam + 2).optional(),
});
export type TeamIndex = z.output<typeof teamIndexSchema>;

/** A team's holidays: no guild of the team meets on them. */
export const holidaySchema = z.object({ date: isoDate, name: z.string().max(LIMITS.holidayName) });
export type Holiday = z.output<typeof holidaySchema>;
export const holidaysSchema = z.object({ v: z.literal(1), days: z.array(holidaySchema).max(LIMITS.holidays) });

/** Every team that has used guilds (so activation can re-check their cadences without scanning all keys). */
export const teamsSchema = z.object({ v: z.literal(1), teamIds: z.array(z.string().min(1).max(64)).max(20_000) });

/** Drops control characters (they would be stored as 6-byte escapes) but keeps tabs and line breaks. */
export function withoutControlCharacters(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code === 9 || code === 10 || (code >= 32 && code !== 127)) out += ch;
  }
  return out;
}
