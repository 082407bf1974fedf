/**
 * Guilds KV layout. Every guild belongs to one team and lives under that team's prefix, so a slug
 * of one team never resolves in another and a team's `/guild` reads only its own (at most
 * LIMITS.guildsPerTeam) records. Every write is a compare-and-set through KvRepository; no meeting
 * state lives in memory, so any node may serve any command or cadence event.
 *
 * | key                              | record          | purpose                                                   |
 * |----------------------------------|-----------------|-----------------------------------------------------------|
 * | guild:teams                      | teamsSchema     | the teams that use guilds (activation re-checks their cadences) |
 * | guild:t:<team>:index             | teamIndexSchema | the team's guild slugs, whether the handbook guilds were seeded, each guild's copy (lists, finding) |
 * | guild:t:<team>:g:<slug>          | guildSchema     | the guild: schedule, channel, people, queue, notes, meetings |
 * | guild:t:<team>:holidays          | holidaysSchema  | the team's holidays (each guild keeps a copy of the dates: rhythm.ts) |
 * | sched:job:guild-cadence:<team>:<slug> | scheduler job | the guild's next cadence event (cadence.ts)          |
 * | guild:index, guild:g:<slug>, guild:sent:<slug> | legacy | installation-wide records of v1, moved by migrate.ts |
 */
import { corruptRecordsFor } from '../shared/corrupt_records';
import type { Logger } from '../shared/logger';
import { GUILD_TEXT } from './messages';
import { OwedLedger } from '../shared/owed';
import { settleDerived } from '../shared/settle';
import { parseSnapshot } from '../shared/snapshots';
import { guildOwedFacts } from './owed';
import { type CorruptRecordError, nullIfCorrupt, UserError } from '../shared/errors';
import { DELETE, type KvRepository, UNCHANGED } from '../shared/kv';
import {
  type CopyEntry,
  copyOf,
  type Guild,
  type GuildCopy,
  guildCopySchema,
  guildSchema,
  type Holiday,
  holidaysSchema,
  LIMITS,
  type TeamIndex,
  teamIndexSchema,
  teamsSchema,
} from './records';

export const guildKeys = {
  teams: 'guild:teams',
  index: (teamId: string): string => `guild:t:${teamId}:index`,
  guild: (teamId: string, slug: string): string => `guild:t:${teamId}:g:${slug}`,
  holidays: (teamId: string): string => `guild:t:${teamId}:holidays`,
  legacyIndex: 'guild:index',
  legacyGuild: (slug: string): string => `guild:g:${slug}`,
  legacySent: (slug: string): string => `guild:sent:${slug}`,
} as const;

/** An unreadable record is skipped by reads, logged once with its key and listed for `/infra doctor`. */
export function reportCorrupt(ctx: { kv: KvRepository; log: Logger; now: () => number }, err: CorruptRecordError): void {
  void corruptRecordsFor(ctx.kv, ctx.log, ctx.now).reportError(err);
}

const TEAMS_MAX = 20_000;

/** A team's guild index that could not be read (GuildStore.teamIndex). */
export const UNREADABLE: unique symbol = Symbol('unreadable');

export class GuildStore {
  private readonly owed: OwedLedger;
  constructor(
    private readonly kv: KvRepository,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {
    this.owed = new OwedLedger(kv, 'guilds');
  }

  private readonly skip = (): ((err: unknown) => null) => nullIfCorrupt((err) => reportCorrupt({ kv: this.kv, log: this.log, now: this.now }, err));

  /** The teams that use guilds; an unreadable registry reads as empty (and is logged). */
  async teams(): Promise<string[]> {
    return (await this.kv.get(guildKeys.teams, teamsSchema).catch(this.skip()))?.teamIds ?? [];
  }

  async registerTeam(teamId: string): Promise<void> {
    await this.kv.update(guildKeys.teams, teamsSchema, (current) =>
      current?.teamIds.includes(teamId) ? UNCHANGED : { v: 1 as const, teamIds: [...(current?.teamIds ?? []), teamId].slice(-TEAMS_MAX) },
    );
  }

  /**
   * The team's guild index as stored: one KV read and nothing more, so a page may send it beside
   * its access check (`team` then completes what it lacks, after the check). Unreadable: logged,
   * and UNREADABLE.
   */
  teamIndex(teamId: string): Promise<TeamIndex | null | typeof UNREADABLE> {
    return this.kv.get(guildKeys.index(teamId), teamIndexSchema).catch((err: unknown) => {
      this.skip()(err);
      return UNREADABLE;
    });
  }

  /**
   * The team's readable guilds in index order (their copies: one KV read), and whether its
   * handbook guilds were seeded. A guild without a readable copy (indexes of earlier versions, a
   * crash between a record and its copy) is read from its record once and its copy put back.
   * Unreadable guilds are skipped and logged; an unreadable index reads as an empty, seeded team
   * (so nothing writes over it) until an admin repairs it.
   */
  async team(teamId: string, stored: Promise<TeamIndex | null | typeof UNREADABLE> = this.teamIndex(teamId)): Promise<{ seeded: boolean; guilds: GuildCopy[] }> {
    const index = await stored;
    if (index === UNREADABLE) return { seeded: true, guilds: [] };
    const slugs = index?.slugs ?? [];
    // Each copy is validated once while the index's bytes stay the same (parseSnapshot).
    const held = new Map((index?.copies ?? []).map((c) => [c.slug, parseSnapshot(guildCopySchema, c.d)] as const));
    const missing = slugs.filter((slug) => !held.get(slug));
    const read = (await Promise.all(missing.map((slug) => this.get(teamId, slug).catch(this.skip())))).filter((g): g is Guild => g !== null);
    if (read.length > 0) await this.putCopies(teamId, read);
    const fresh = new Map(read.map((g) => [g.slug, copyOf(g)]));
    const guilds = slugs.flatMap((slug) => {
      const guild = held.get(slug) ?? fresh.get(slug);
      return guild && guild.teamId === teamId && guild.slug === slug ? [guild] : [];
    });
    return { seeded: index?.seeded ?? false, guilds };
  }

  async list(teamId: string): Promise<GuildCopy[]> {
    return (await this.team(teamId)).guilds;
  }

  get(teamId: string, slug: string): Promise<Guild | null> {
    return this.kv.get(guildKeys.guild(teamId, slug), guildSchema);
  }

  /** The record, or null when it is absent or unreadable (then logged and listed for `/infra doctor`). */
  readable(teamId: string, slug: string): Promise<Guild | null> {
    return this.get(teamId, slug).catch(this.skip());
  }

  /**
   * The records' copies into the team index (one compare-and-set): only for slugs the index
   * holds (a deleted guild is not brought back) and never over a copy of a later rev.
   */
  async putCopies(teamId: string, guilds: readonly Guild[]): Promise<void> {
    if (guilds.length === 0) return;
    await this.kv.update(guildKeys.index(teamId), teamIndexSchema, (index) => {
      if (!index) return UNCHANGED;
      let copies: CopyEntry[] = index.copies ?? [];
      let changed = false;
      for (const guild of guilds) {
        if (guild.teamId !== teamId || !index.slugs.includes(guild.slug)) continue;
        const entry: CopyEntry = { slug: guild.slug, rev: guild.rev ?? 0, d: copyOf(guild) };
        const held = copies.find((c) => c.slug === guild.slug);
        if (held && (held.rev > entry.rev || (held.rev === entry.rev && JSON.stringify(held.d) === JSON.stringify(entry.d)))) continue;
        copies = [...copies.filter((c) => c.slug !== guild.slug), entry];
        changed = true;
      }
      return changed ? { ...index, copies: copies.filter((c) => index.slugs.includes(c.slug)) } : UNCHANGED;
    });
  }

  /**
   * Reserves the slug in the team's index (where the per-team limit is enforced atomically), then
   * inserts the record, then puts its copy. A crash between the first two leaves an index entry
   * without a record, which reads skip and a later create of that slug fills; one before the copy
   * leaves a guild without a copy, which the next read of the team repairs. False when the slug is taken.
   */
  async create(guild: Guild, options: { ignoreLimit?: boolean } = {}): Promise<boolean> {
    if (await this.get(guild.teamId, guild.slug).catch(() => true)) return false;
    await this.fileSlug(guild.teamId, guild.slug, options.ignoreLimit === true);
    if (!(await this.kv.insert(guildKeys.guild(guild.teamId, guild.slug), guildSchema, guild))) return false;
    await this.settleSlug(guild.teamId, guild.slug, null);
    return true;
  }

  /**
   * The slug in the team's index, its copy and its owed facts as its record says now: filed with
   * them when the record exists, dropped without them when it does not, then read back and done
   * again until the record agrees (shared/settle.ts). A create and a delete of one slug on two
   * nodes each end here, so whichever reads last leaves the index matching the record. `gone`:
   * the guild a delete just removed, whose facts it takes back.
   */
  private async settleSlug(teamId: string, slug: string, gone: Guild | null): Promise<void> {
    // The record or its absence; null when unreadable (reported by the reader: the slug stays as it is).
    const read = (): Promise<{ guild: Guild | null } | null> => this.get(teamId, slug).then((guild) => ({ guild }), () => null);
    const first = await read();
    if (!first) return;
    await settleDerived(first, { guild: gone }, {
      write: async ({ guild }, previous) => {
        if (guild) await this.fileSlug(teamId, slug, true);
        else await this.dropSlug(teamId, slug);
        await Promise.all([guild ? this.putCopies(teamId, [guild]) : null, this.owed.sync(teamId, slug, guildOwedFacts(previous?.guild ?? null), guildOwedFacts(guild))]);
      },
      reread: read,
      same: (a, b) => (a.guild === null) === (b.guild === null) && a.guild?.rev === b.guild?.rev,
    });
  }

  private async dropSlug(teamId: string, slug: string): Promise<void> {
    await this.kv.update(guildKeys.index(teamId), teamIndexSchema, (index) =>
      index?.slugs.includes(slug)
        ? { ...index, slugs: index.slugs.filter((s) => s !== slug), copies: (index.copies ?? []).filter((c) => c.slug !== slug) }
        : UNCHANGED,
    );
  }

  /** Puts the slug in the team's index; `ignoreLimit` false refuses past the per-team limit. */
  private async fileSlug(teamId: string, slug: string, ignoreLimit: boolean): Promise<void> {
    await this.kv.update(guildKeys.index(teamId), teamIndexSchema, (index) => {
      const slugs = index?.slugs ?? [];
      if (slugs.includes(slug)) return UNCHANGED;
      if (!ignoreLimit && slugs.length >= LIMITS.guildsPerTeam) {
        throw UserError.conflict(GUILD_TEXT.tooManyGuilds);
      }
      return { ...index, v: 1 as const, slugs: [...slugs, slug].slice(0, LIMITS.guildsPerTeam + 2), seeded: index?.seeded ?? false };
    });
  }

  /** Inserts the handbook guilds that are missing and marks the team seeded; safe to race. */
  async seed(teamId: string, guilds: readonly Guild[]): Promise<void> {
    const inserted: Guild[] = [];
    for (const guild of guilds) if (await this.kv.insert(guildKeys.guild(teamId, guild.slug), guildSchema, guild)) inserted.push(guild);
    await this.kv.update(guildKeys.index(teamId), teamIndexSchema, (index) => {
      if (index?.seeded) return UNCHANGED;
      const existing = index?.slugs ?? [];
      const slugs = [...guilds.map((g) => g.slug).filter((slug) => !existing.includes(slug)), ...existing];
      return { ...index, v: 1 as const, slugs: slugs.slice(0, LIMITS.guildsPerTeam + 2), seeded: true };
    });
    // Those another node inserted first get their copy from the next read of the team.
    await this.putCopies(teamId, inserted);
  }

  /** Read → mutate → compare-and-set on the fresh record (rev bumped), then its copy; a missing guild is not-found. */
  async update(teamId: string, slug: string, mutate: (guild: Guild) => Guild | typeof UNCHANGED): Promise<Guild> {
    let before = null as Guild | null;
    let changed = false;
    const stored = await this.kv.update(guildKeys.guild(teamId, slug), guildSchema, (current) => {
      if (!current) throw UserError.notFound(GUILD_TEXT.noGuild);
      before = current;
      const next = mutate(current);
      changed = next !== UNCHANGED;
      return next === UNCHANGED ? UNCHANGED : { ...next, rev: (current.rev ?? 0) + 1 };
    });
    // The copy keeps the newest rev; owed facts carry none, so they settle on the latest guild (shared/settle.ts).
    if (changed)
      await settleDerived(stored!, before, {
        write: (current, previous) => Promise.all([this.putCopies(teamId, [current]), this.owed.sync(teamId, slug, guildOwedFacts(previous), guildOwedFacts(current))]),
        reread: () => this.get(teamId, slug).catch(() => null),
        same: (a, b) => a.rev === b.rev,
      });
    return stored!;
  }

  /** The team's holidays, by date; an unreadable list reads as none (and is logged). */
  async holidays(teamId: string): Promise<Holiday[]> {
    return (await this.kv.get(guildKeys.holidays(teamId), holidaysSchema).catch(this.skip()))?.days ?? [];
  }

  /** Compare-and-set on the team's holiday list; `mutate` gets the days sorted by date. */
  async updateHolidays(teamId: string, mutate: (days: Holiday[]) => Holiday[] | typeof UNCHANGED): Promise<Holiday[]> {
    const stored = await this.kv.update(guildKeys.holidays(teamId), holidaysSchema, (current) => {
      const next = mutate([...(current?.days ?? [])].sort((a, b) => a.date.localeCompare(b.date)));
      return next === UNCHANGED ? UNCHANGED : { v: 1 as const, days: next };
    });
    return stored?.days ?? [];
  }

  /** The record first, then the index entry: a crash leaves only a dangling entry, which reads skip. */
  async delete(teamId: string, slug: string): Promise<void> {
    let before = null as Guild | null;
    await this.kv.update(guildKeys.guild(teamId, slug), guildSchema, (current) => {
      before = current;
      return current ? DELETE : UNCHANGED;
    });
    // Created again under this slug meanwhile (another node), it keeps its place, copy and facts.
    await this.settleSlug(teamId, slug, before);
  }
}
