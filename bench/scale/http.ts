/**
 * Raw HTTP for the real-server benches: the plugin's routes, Mattermost's own REST endpoints and
 * slash commands, all through the same `fetch` with the user's session token, so the plugin and
 * its baseline pay the same client cost. Each timed call reads the whole answer.
 */
import type { Rig, RigUser } from '../../e2e/rig';

/** The answer's KV round trips as the plugin counted them (shared/call_count.ts); null if it did not say. */
export const KV_CALLS_HEADER = 'x-infra-ops-kv-calls';
/** Its other round trips to Mattermost (channels, members, permissions, posts …); null if it did not say. */
export const SERVER_CALLS_HEADER = 'x-infra-ops-server-calls';
/** Asks the plugin for those counts (it answers them when started with INFRA_OPS_COUNT_CALLS=1, ../real_server.ts). */
export const COUNT_CALLS_HEADER = 'x-infra-ops-count-calls';

export interface Timed {
  ms: number;
  status: number;
  kvCalls: number | null;
  serverCalls: number | null;
  body: string;
}

export class Http {
  /**
   * Whether the plugin's calls ask for their round trips. Counting enables an AsyncLocalStorage in
   * the plugin for the request, whose per-promise hook costs CPU: a bench that times pages turns it
   * off for the timed calls.
   */
  countCalls = true;

  constructor(private readonly rig: Rig) {}

  private headers(user: RigUser, json: boolean): Headers {
    const headers = new Headers({ Authorization: `Bearer ${user.token}`, 'X-Requested-With': 'XMLHttpRequest' });
    if (json) headers.set('Content-Type', 'application/json');
    if (this.countCalls) headers.set(COUNT_CALLS_HEADER, '1');
    return headers;
  }

  /** A call to the plugin's API (`/plugins/<id>/api/v1<path>`). */
  plugin(user: RigUser, method: string, path: string, body?: unknown): Promise<Timed> {
    return this.timed(`${this.rig.url}/plugins/${this.rig.pluginId}/api/v1${path}`, user, method, body);
  }

  /** A call to Mattermost's own REST API (`/api/v4<path>`). */
  mattermost(user: RigUser, method: string, path: string, body?: unknown): Promise<Timed> {
    return this.timed(`${this.rig.url}/api/v4${path}`, user, method, body);
  }

  /** A slash command as the webapp sends it (`POST /api/v4/commands/execute`). */
  command(user: RigUser, channelId: string, command: string): Promise<Timed> {
    return this.mattermost(user, 'POST', '/commands/execute', { command, channel_id: channelId, team_id: this.rig.team.id });
  }

  /** Like plugin(), but fails unless the status is `expect`; answers the parsed JSON. */
  async pluginJson<T>(user: RigUser, method: string, path: string, body: unknown, expect: number): Promise<T> {
    const r = await this.plugin(user, method, path, body);
    if (r.status !== expect) throw new Error(`${method} ${path} answered ${r.status}: ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body) as T;
  }

  private async timed(url: string, user: RigUser, method: string, body: unknown): Promise<Timed> {
    const init: RequestInit = { method, headers: this.headers(user, body !== undefined) };
    if (body !== undefined) init.body = JSON.stringify(body);
    const start = performance.now();
    const res = await fetch(url, init);
    const text = await res.text();
    const ms = performance.now() - start;
    const count = (header: string): number | null => {
      const value = res.headers.get(header);
      return value === null ? null : Number(value);
    };
    return { ms, status: res.status, kvCalls: count(KV_CALLS_HEADER), serverCalls: count(SERVER_CALLS_HEADER), body: text };
  }
}

/** Runs `task(i)` for i in [from, to) with at most `width` in flight. */
export async function inPool(from: number, to: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < to) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, Math.max(0, to - from)) }, worker));
}
