/**
 * Guilds KV layout. Guilds are few (tens), so one small index lists them all. Every write is a
 * compare-and-set through KvRepository. No meeting state lives in memory, so the cadence engine
 * (cadence.ts) posts reminders and agendas exactly once from whichever node runs its job.
 *
 * | key               | record          | purpose                                                  |
 * |-------------------|-----------------|----------------------------------------------------------|
 * | guild:index       | guildIndexSchema| slugs of every guild (installation-wide)                 |
 * | guild:g:<slug>    | guildSchema     | the guild: schedule, channel, sources, queue, notes, meetings |
 * | guild:sent:<slug> | {v, events}     | the last cadence events posted (kept so a retried job never posts twice) |
 * | sched:job:guild-cadence:<slug> | scheduler job | the guild's next cadence event: a reminder or the meeting's start |
 */
import { UserError } from '../shared/errors';
import { type KvRepository, UNCHANGED } from '../shared/kv';
import { type Guild, guildIndexSchema, guildSchema } from './schema';

const INDEX_KEY = 'guild:index';
const guildKey = (slug: string): string => `guild:g:${slug}`;

export class GuildStore {
  constructor(private readonly kv: KvRepository) {}

  /** Record first, then the index: a crash between leaves a record the next create/seed re-indexes. */
  async create(guild: Guild): Promise<boolean> {
    const inserted = await this.kv.insert(guildKey(guild.slug), guildSchema, guild);
    await this.index(guild.slug);
    return inserted;
  }

  private async index(slug: string): Promise<void> {
    await this.kv.update(INDEX_KEY, guildIndexSchema, (index) =>
      index?.slugs.includes(slug) ? UNCHANGED : { v: 1 as const, slugs: [...(index?.slugs ?? []), slug] },
    );
  }

  get(slug: string): Promise<Guild | null> {
    return this.kv.get(guildKey(slug), guildSchema);
  }

  async all(): Promise<Guild[]> {
    const index = await this.kv.get(INDEX_KEY, guildIndexSchema);
    const guilds = await this.kv.getMany((index?.slugs ?? []).map(guildKey), guildSchema);
    return guilds.filter((g): g is Guild => g !== null);
  }

  async update(slug: string, mutate: (guild: Guild) => Guild | typeof UNCHANGED): Promise<Guild> {
    const stored = await this.kv.update(guildKey(slug), guildSchema, (current) => {
      if (!current) throw UserError.notFound(`There is no guild "${slug}".`);
      return mutate(current);
    });
    return stored!;
  }
}
