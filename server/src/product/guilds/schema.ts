import { z } from 'zod';

/** Versioned records of the guilds feature (see store.ts for where each lives). */

export const GUILD_SOURCES = ['incidents', 'rfcs', 'pick'] as const;
export type GuildSource = (typeof GUILD_SOURCES)[number];

export const memberSchema = z.union([
  z.object({ kind: z.literal('user'), userId: z.string() }),
  /** A group or role named in words ("SRE", "@platform-team") rather than a user. */
  z.object({ kind: z.literal('label'), text: z.string().min(1).max(100) }),
]);
export type GuildMember = z.output<typeof memberSchema>;

export const queueItemSchema = z.object({
  /** Stable within the guild ("Q7"), so `/guild close --done Q7` means the same item later. */
  id: z.number().int().positive(),
  text: z.string().min(1).max(1000),
  by: z.string(),
  at: z.number(),
  /** How many meetings it has been carried over from. */
  carried: z.number().int().nonnegative(),
});
export type QueueItem = z.output<typeof queueItemSchema>;

export const noteSchema = z.object({
  kind: z.enum(['note', 'decision', 'action']),
  text: z.string().min(1).max(2000),
  by: z.string(),
  at: z.number(),
});
export type GuildNote = z.output<typeof noteSchema>;

export const meetingSchema = z.object({
  closedAt: z.number(),
  closedBy: z.string(),
  /** The scheduled time this meeting stood for (null if the guild had no schedule to compute). */
  scheduledFor: z.number().nullable(),
  notes: z.array(noteSchema),
  done: z.array(z.string()),
  carried: z.array(z.string()),
  reviewedIncidents: z.array(z.string()),
});
export type Meeting = z.output<typeof meetingSchema>;

export const guildSchema = z.object({
  v: z.literal(1),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/),
  name: z.string().min(1).max(100),
  purpose: z.string().max(300),
  /** Set together with the channel; a guild without a channel is inactive. */
  teamId: z.string().nullable(),
  channelId: z.string().nullable(),
  members: z.array(memberSchema),
  day: z.number().int().min(0).max(6),
  time: z.string().regex(/^\d{2}:\d{2}$/),
  timeZone: z.string(),
  everyWeeks: z.number().int().min(1).max(12),
  anchorDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  sources: z.array(z.enum(GUILD_SOURCES)),
  /** null for the seeded defaults: only admins may edit those. */
  createdBy: z.string().nullable(),
  seeded: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  queue: z.array(queueItemSchema),
  notes: z.array(noteSchema),
  nextItemId: z.number().int().positive(),
  lastMeeting: z.object({ closedAt: z.number(), scheduledFor: z.number().nullable() }).nullable(),
  /** The latest meetings, oldest first, capped. */
  meetings: z.array(meetingSchema),
});
export type Guild = z.output<typeof guildSchema>;

export const guildIndexSchema = z.object({ v: z.literal(1), slugs: z.array(z.string()) });

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}
