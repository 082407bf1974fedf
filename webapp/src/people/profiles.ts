// Profiles the host has not loaded yet, fetched on demand the way the web client's
// getMissingProfilesByIds does it: ids already in `entities.users.profiles` are skipped, the rest
// are gathered for 100 ms and asked for in batches of at most 100 through POST /api/v4/users/ids,
// and the answer goes into the host's store with the host's own action (RECEIVED_PROFILES_LIST),
// so every other view of the host sees them too. Mattermost-redux's thunk is not bundled: with the
// Client4 it needs it would add ~210 KB (see webapp/README.md). An id asked for and not returned
// (a deleted user, no permission) is not asked for again in this page's life.
import type { UserProfile } from '@mattermost/types/users';
import type { Action, Dispatch } from 'redux';
import { sitePath } from '../client';
import { requestOptions } from '../request_options';

/** The web client's batching: wait this long for more ids, ask for this many at most per request. */
export const PROFILES_WAIT_MS = 100;
export const MAX_IDS_PER_REQUEST = 100;
/** mattermost-redux's UserTypes.RECEIVED_PROFILES_LIST: merges the profiles into entities.users.profiles. */
export const RECEIVED_PROFILES_LIST = 'RECEIVED_PROFILES_LIST';

export interface ProfileLoaderDeps {
  dispatch: Dispatch<Action>;
  /** Is this user already in the host's store? */
  known: (userId: string) => boolean;
  siteURL: () => string | undefined;
  fetch?: typeof fetch;
  warn: (message: string, detail?: unknown) => void;
}

export class ProfileLoader {
  private readonly asked = new Set<string>();
  private queued = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: ProfileLoaderDeps) {}

  /** Queues the ids the host lacks; a batch goes out PROFILES_WAIT_MS after the first. */
  request(userIds: Iterable<string>): void {
    for (const id of userIds) {
      if (!id || this.asked.has(id) || this.deps.known(id)) continue;
      this.asked.add(id);
      this.queued.add(id);
    }
    if (this.queued.size > 0 && this.timer === undefined) this.timer = setTimeout(() => void this.flush(), PROFILES_WAIT_MS);
  }

  /** Sends what is queued now (also used by tests and on uninitialize). */
  async flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const ids = [...this.queued];
    this.queued = new Set();
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_REQUEST) batches.push(ids.slice(i, i + MAX_IDS_PER_REQUEST));
    await Promise.all(batches.map((batch) => this.fetchBatch(batch)));
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queued.clear();
  }

  private async fetchBatch(ids: string[]): Promise<void> {
    const doFetch = this.deps.fetch ?? fetch;
    const url = `${sitePath(this.deps.siteURL())}/api/v4/users/ids`;
    try {
      const res = await doFetch(url, requestOptions('POST', JSON.stringify(ids)));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const users = (await res.json()) as unknown;
      if (!Array.isArray(users)) throw new Error('the answer is not a list of users');
      const profiles = users.filter((u): u is UserProfile => typeof u === 'object' && u !== null && typeof (u as UserProfile).id === 'string' && typeof (u as UserProfile).username === 'string');
      if (profiles.length > 0) this.deps.dispatch({ type: RECEIVED_PROFILES_LIST, data: profiles } as Action);
    } catch (err) {
      // Names stay as short ids; a later view may ask again.
      for (const id of ids) this.asked.delete(id);
      this.deps.warn('could not load user profiles', err);
    }
  }
}

let loader: ProfileLoader | undefined;

export function setProfileLoader(l: ProfileLoader | undefined): void {
  loader?.cancel();
  loader = l;
}

export function requestProfiles(userIds: Iterable<string>): void {
  loader?.request(userIds);
}
