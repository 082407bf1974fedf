/**
 * From v1's installation-wide guilds (`guild:index`, `guild:g:<slug>`, `guild:sent:<slug>`, job
 * `guild-cadence:<slug>`) to guilds per team. Runs at every activation on every node; each step is
 * idempotent, so a node killed halfway or two nodes racing leave the same result.
 *
 * - A guild with a team moves to that team (its queue, notes and meetings with it; its cadence
 *   job is re-made under the new key, for events after the move). If the team already has a different guild with
 *   that slug, the moved one gets a free slug (`<slug>-2`…), except that an untouched handbook seed
 *   (no channel, nothing queued, no meetings) simply gives way to the moved one.
 * - A handbook guild without a team is dropped: each team gets its own copy lazily.
 * - A guild someone made without a channel had no team in v1; which team it was meant for is not
 *   recorded, so it waits in the old place until its creator runs `/guild adopt <name>` in a team
 *   (`/guild list` tells them). Guessing would show its queue to the wrong team.
 * - An unreadable old record is logged once with its key and left for an admin (`/infra doctor`).
 */
import { z } from 'zod';
import type { ProductContext } from '../shared/context';
import { CorruptRecordError, UserError } from '../shared/errors';
import { DELETE, UNCHANGED } from '../shared/kv';
import { type GuildCadence, legacyCadenceJobKey } from './cadence';
import { shorten } from './meetings';
import { GUILD_SOURCES, type Guild, LIMITS } from './records';
import { guildKeys, type GuildStore, reportCorrupt } from './store';

const legacyIndexSchema = z.object({ v: z.literal(1), slugs: z.array(z.string()) });

/** v1's record, read leniently: only what the move needs; anything over today's limits is clipped. */
const legacyGuildSchema = z.object({
  v: z.literal(1),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/),
  name: z.string().min(1),
  purpose: z.string(),
  teamId: z.string().nullable(),
  channelId: z.string().nullable(),
  members: z.array(z.union([z.object({ kind: z.literal('user'), userId: z.string() }), z.object({ kind: z.literal('label'), text: z.string().min(1) })])),
  day: z.number().int().min(0).max(6),
  time: z.string().regex(/^\d{2}:\d{2}$/),
  timeZone: z.string(),
  everyWeeks: z.number().int().min(1).max(12),
  anchorDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  sources: z.array(z.enum(GUILD_SOURCES)),
  createdBy: z.string().nullable(),
  seeded: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  queue: z.array(z.object({ id: z.number().int().positive(), text: z.string().min(1), by: z.string(), at: z.number(), carried: z.number().int().nonnegative() })),
  notes: z.array(z.object({ kind: z.enum(['note', 'decision', 'action']), text: z.string().min(1), by: z.string(), at: z.number() })),
  nextItemId: z.number().int().positive(),
  lastMeeting: z.object({ closedAt: z.number(), scheduledFor: z.number().nullable() }).nullable(),
  meetings: z.array(
    z.object({
      closedAt: z.number(),
      closedBy: z.string(),
      scheduledFor: z.number().nullable(),
      notes: z.array(z.object({ kind: z.enum(['note', 'decision', 'action']), text: z.string().min(1), by: z.string(), at: z.number() })),
      done: z.array(z.string()),
      carried: z.array(z.string()),
      reviewedIncidents: z.array(z.string()),
    }),
  ),
});
export type LegacyGuild = z.output<typeof legacyGuildSchema>;

const clip = (text: string, max: number): string => shorten(text, max);
const clipNotes = (notes: LegacyGuild['notes']): Guild['notes'] =>
  notes.slice(-LIMITS.notes).map((n) => ({ ...n, text: clip(n.text, LIMITS.note) }));

/** The v1 record as a v2 guild of `teamId`, within today's limits. */
export function fromLegacy(old: LegacyGuild, teamId: string, slug = old.slug): Guild {
  return {
    v: 2,
    slug,
    teamId,
    name: clip(old.name, LIMITS.name),
    purpose: clip(old.purpose, LIMITS.purpose),
    channelId: old.channelId,
    members: old.members.slice(0, LIMITS.members).map((m) => (m.kind === 'user' ? m : { kind: 'label', text: clip(m.text, LIMITS.label) })),
    facilitators: [],
    day: old.day,
    time: old.time,
    timeZone: old.timeZone.slice(0, LIMITS.timeZone),
    everyWeeks: old.everyWeeks,
    anchorDate: old.anchorDate,
    sources: [...new Set(old.sources)],
    createdBy: old.createdBy,
    seeded: old.seeded,
    createdAt: old.createdAt,
    updatedAt: old.updatedAt,
    queue: old.queue.slice(0, LIMITS.queue).map((q) => ({ ...q, text: clip(q.text, LIMITS.queueItem) })),
    notes: clipNotes(old.notes),
    nextItemId: old.nextItemId,
    lastMeeting: old.lastMeeting,
    meetings: old.meetings.slice(-LIMITS.meetingsKept).map((m) => ({
      ...m,
      notes: clipNotes(m.notes),
      done: m.done.slice(0, LIMITS.queue).map((d) => clip(d, LIMITS.meetingItemText + 12)),
      carried: m.carried.slice(0, LIMITS.queue).map((d) => clip(d, LIMITS.meetingItemText + 12)),
      reviewedIncidents: m.reviewedIncidents.slice(0, LIMITS.selectors).map((r) => r.slice(0, LIMITS.selector)),
    })),
  };
}

/** A handbook seed nobody has used yet: a moved guild may take its slug. */
const untouchedSeed = (g: Guild): boolean => g.seeded && g.channelId === null && g.queue.length === 0 && g.notes.length === 0 && g.meetings.length === 0;

export class LegacyGuilds {
  constructor(
    private readonly ctx: ProductContext,
    private readonly store: GuildStore,
    private readonly cadence: GuildCadence,
  ) {}

  /** Moves or drops every v1 guild it can; leaves team-less user guilds for adoption. */
  async migrate(): Promise<void> {
    for (const slug of await this.slugs(true)) {
      try {
        const old = await this.read(slug);
        if (old === 'corrupt') continue;
        if (old && old.teamId) await this.move(old, old.teamId);
        else if (old && !old.seeded) continue; // waits for /guild adopt
        await this.forget(slug);
      } catch (err) {
        // One guild that can't be moved now must not stop activation; the next activation retries.
        this.ctx.log.error('guild migration step failed', { slug, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  /** The team-less guilds `userId` made in v1 (for `/guild list` and `/guild adopt`). */
  async orphansOf(userId: string): Promise<LegacyGuild[]> {
    const found: LegacyGuild[] = [];
    for (const slug of (await this.slugs()).slice(0, 200)) {
      const old = await this.read(slug);
      if (old && old !== 'corrupt' && !old.teamId && !old.seeded && old.createdBy === userId) found.push(old);
    }
    return found;
  }

  /** Moves a team-less v1 guild into `teamId` (the caller checked who may). */
  async adopt(old: LegacyGuild, teamId: string): Promise<Guild> {
    const moved = await this.move(old, teamId);
    await this.forget(old.slug);
    return moved;
  }

  /** The v1 slugs; with `scan`, an unreadable index is replaced by a key scan (O(all keys): activation only). */
  private async slugs(scan = false): Promise<string[]> {
    const index = await this.ctx.kv.get(guildKeys.legacyIndex, legacyIndexSchema).catch(async (err: unknown) => {
      if (!(err instanceof CorruptRecordError)) throw err;
      reportCorrupt(this.ctx, err);
      if (!scan) return null;
      const keys = await this.ctx.kv.listKeys('guild:g:');
      return { v: 1 as const, slugs: keys.map((k) => k.slice('guild:g:'.length)) };
    });
    return index?.slugs ?? [];
  }

  private async read(slug: string): Promise<LegacyGuild | null | 'corrupt'> {
    try {
      return await this.ctx.kv.get(guildKeys.legacyGuild(slug), legacyGuildSchema);
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) throw err;
      reportCorrupt(this.ctx, err);
      return 'corrupt';
    }
  }

  /** Puts the guild in the team (idempotent: a second run finds it there) and re-makes its cadence. */
  private async move(old: LegacyGuild, teamId: string): Promise<Guild> {
    const isOld = (g: Guild): boolean => g.createdAt === old.createdAt && g.createdBy === old.createdBy && g.name === clip(old.name, LIMITS.name);
    let n = 1;
    for (let attempt = 0; attempt < 60; attempt++) {
      const slug = n === 1 ? old.slug : `${old.slug.slice(0, 56)}-${n}`;
      const existing = await this.store.get(teamId, slug).catch(() => 'corrupt' as const);
      if (existing === null) {
        const guild = fromLegacy(old, teamId, slug);
        // A node racing us may insert first: the next round then finds it (same guild) or moves on.
        if (await this.store.create(guild, { ignoreLimit: true })) return this.afterMove(guild, old.slug);
        continue;
      }
      if (existing !== 'corrupt' && isOld(existing)) return this.afterMove(existing, old.slug);
      if (existing !== 'corrupt' && untouchedSeed(existing)) {
        const replaced = await this.store.update(teamId, slug, (current) => (untouchedSeed(current) ? fromLegacy(old, teamId, slug) : UNCHANGED));
        if (isOld(replaced)) return this.afterMove(replaced, old.slug);
      }
      n++;
    }
    throw UserError.conflict(`No free slug for "${old.slug}" in this team.`);
  }

  private async afterMove(guild: Guild, oldSlug: string): Promise<Guild> {
    await this.store.registerTeam(guild.teamId);
    await this.ctx.scheduler.cancel(legacyCadenceJobKey(oldSlug));
    await this.cadence.reschedule(guild);
    return guild;
  }

  /** The old record, its "sent" record, its job and its index entry. */
  private async forget(slug: string): Promise<void> {
    await this.ctx.scheduler.cancel(legacyCadenceJobKey(slug));
    await this.ctx.kv.delete(guildKeys.legacySent(slug));
    await this.ctx.kv.update(guildKeys.legacyGuild(slug), legacyGuildSchema, (current) => (current ? DELETE : UNCHANGED)).catch(() => null);
    await this.ctx.kv
      .update(guildKeys.legacyIndex, legacyIndexSchema, (index) => (index?.slugs.includes(slug) ? { ...index, slugs: index.slugs.filter((s) => s !== slug) } : UNCHANGED))
      .catch(() => null);
  }
}
