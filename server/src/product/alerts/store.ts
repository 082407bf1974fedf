/**
 * The alerts feature's KV records. Every write is a compare-and-set (shared/kv.ts).
 *
 * | key                              | record                                             |
 * |----------------------------------|----------------------------------------------------|
 * | `alert:src:<sourceId>`           | the source (settings, token hash, Grafana HMAC key) |
 * | `alert:t:<teamId>`               | the team's sources by name                         |
 * | `alert:g:<sourceId>:<hash>`      | one alert group: alerts by fingerprint, its incident (hash: SHA-256 of the groupKey, 32 hex) |
 */
import { createHash } from 'node:crypto';
import { ALERT_LIMITS } from '../contract/alerts';
import { UserError } from '../shared/errors';
import { DELETE, type KvRepository, UNCHANGED } from '../shared/kv';
import { ALERT_TEXT } from './messages';
import { type AlertGroup, type AlertSource, groupSchema, sourceSchema, teamSourcesSchema } from './records';

const sourceKey = (sourceId: string): string => `alert:src:${sourceId}`;
const teamKey = (teamId: string): string => `alert:t:${teamId}`;
export const groupHash = (groupKey: string): string => createHash('sha256').update(groupKey, 'utf8').digest('hex').slice(0, 32);
export const groupRecordKey = (sourceId: string, groupKey: string): string => `alert:g:${sourceId}:${groupHash(groupKey)}`;

export class AlertStore {
  constructor(private readonly kv: KvRepository) {}

  source(sourceId: string): Promise<AlertSource | null> {
    if (!/^[a-z0-9]{26}$/.test(sourceId)) return Promise.resolve(null);
    return this.kv.get(sourceKey(sourceId), sourceSchema);
  }

  async sourceByName(teamId: string, name: string): Promise<AlertSource | null> {
    const id = (await this.kv.get(teamKey(teamId), teamSourcesSchema))?.sources[name];
    const source = id ? await this.source(id) : null;
    return source && source.teamId === teamId ? source : null;
  }

  async teamSources(teamId: string): Promise<AlertSource[]> {
    const index = await this.kv.get(teamKey(teamId), teamSourcesSchema);
    const sources = await Promise.all(Object.values(index?.sources ?? {}).map((id) => this.source(id).catch(this.kv.orSkip)));
    return sources.filter((s): s is AlertSource => s !== null && s.teamId === teamId).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The name is claimed in the team index first, so two admins adding the same name at once get one source. */
  async insertSource(source: AlertSource): Promise<void> {
    await this.kv.update(teamKey(source.teamId), teamSourcesSchema, (index) => {
      const sources = index?.sources ?? {};
      if (sources[source.name]) throw UserError.conflict(ALERT_TEXT.nameTaken(source.name));
      if (Object.keys(sources).length >= ALERT_LIMITS.sourcesPerTeam) throw UserError.conflict(ALERT_TEXT.tooMany(ALERT_LIMITS.sourcesPerTeam));
      return { v: 1 as const, sources: { ...sources, [source.name]: source.id } };
    });
    await this.kv.insert(sourceKey(source.id), sourceSchema, source);
  }

  async updateSource(sourceId: string, mutate: (s: AlertSource) => AlertSource): Promise<AlertSource> {
    const stored = await this.kv.update(sourceKey(sourceId), sourceSchema, (s) => (s ? mutate(s) : UNCHANGED));
    if (!stored) throw UserError.notFound(ALERT_TEXT.noSource);
    return stored;
  }

  /** Record first, then the name: a crash between the two leaves a name that reads as no source. */
  async removeSource(source: AlertSource): Promise<void> {
    await this.kv.update(sourceKey(source.id), sourceSchema, (s) => (s ? DELETE : UNCHANGED));
    await this.kv.update(teamKey(source.teamId), teamSourcesSchema, (index) => {
      if (!index || index.sources[source.name] !== source.id) return UNCHANGED;
      const { [source.name]: _removed, ...rest } = index.sources;
      return { v: 1 as const, sources: rest };
    });
  }

  group(sourceId: string, groupKey: string): Promise<AlertGroup | null> {
    return this.kv.get(groupRecordKey(sourceId, groupKey), groupSchema);
  }

  /**
   * `mutate` may run several times (compare-and-set retries). Groups expire on their own a week
   * after their dedupe window would have closed, so a source's old groups never pile up.
   */
  updateGroup(
    sourceId: string,
    groupKey: string,
    windowHours: number,
    mutate: (g: AlertGroup | null) => AlertGroup | typeof UNCHANGED,
  ): Promise<AlertGroup | null> {
    return this.kv.update(groupRecordKey(sourceId, groupKey), groupSchema, mutate, { expireInSeconds: (windowHours + 7 * 24) * 3600 });
  }
}
