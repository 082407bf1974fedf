import type { PluginAPI } from '../../plugin/api/plugin_api';

type FactsApi = Pick<PluginAPI, 'getConfig' | 'getTeam'>;

/** Entries kept at most; the oldest goes first. Keys are team ids the caller may see, never raw input. */
const MAX_ENTRIES = 512;
const TTL_MS = 60_000;

/**
 * Server facts that rarely change (the site URL, team names, where a team's feed channel is),
 * kept for a minute so a declaration does not pay a round trip for each. Never incident state
 * (that lives in KV) and never anything a permission depends on (that is asked live).
 */
export class ServerFacts {
  private readonly cache = new Map<string, { until: number; value: Promise<unknown> }>();

  constructor(private readonly api: FactsApi) {}

  cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    const value = load();
    this.cache.delete(key);
    this.cache.set(key, { until: now + TTL_MS, value });
    if (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    value.catch(() => this.cache.delete(key));
    return value;
  }

  siteUrl(): Promise<string> {
    return this.cached('siteUrl', async () => {
      const service = (await this.api.getConfig())['ServiceSettings'];
      const url = typeof service === 'object' && service !== null ? (service as Record<string, unknown>)['SiteURL'] : undefined;
      return typeof url === 'string' ? url : '';
    });
  }

  teamName(teamId: string): Promise<string> {
    return this.cached(`team:${teamId}`, async () => (await this.api.getTeam(teamId)).Name);
  }
}
