import type { PluginAPI } from '../../plugin/api/plugin_api';
import type { Logger } from '../shared/context';
import { UNCHANGED } from '../shared/kv';
import type { ApproverPins } from './records';
import { APPROVERS_MAX, type RfcSettings } from './settings';
import type { RfcStore } from './store';

/** How often one node retries a name of the setting that matched no account (a typo, or someone not yet created). */
const RETRY_UNMATCHED_MS = 60_000;

/**
 * Who holds the approver role: the accounts the RfcApprovers names pointed at when the setting was
 * first seen, compared by user id (security review L12). Mattermost usernames can change and be
 * taken again, so a username is resolved once and pinned:
 * - a renamed approver keeps the role (the setting still shows the old name; update it at leisure);
 * - whoever later takes a name freed by a rename does not become an approver;
 * - a name taken out of the setting loses its pin, so putting it back later resolves it afresh;
 * - a name that matches no account yet is pinned the first time it does (retried at most once a
 *   minute per node).
 */
export class Approvers {
  private lastUnmatchedTry = -Infinity;

  constructor(
    private readonly store: RfcStore,
    private readonly settings: () => RfcSettings,
    private readonly api: Pick<PluginAPI, 'getUsersByUsernames'>,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** The user ids that are approvers now. */
  async ids(): Promise<string[]> {
    const names = this.names();
    let pins = await this.store.approverPins();
    if (names.length === 0) {
      // Emptied: drop the pins, so a name put back later is resolved afresh.
      if (pins && pins.names.length) await this.store.updateApproverPins(() => ({ v: 1 as const, names: [], pins: {} }));
      return [];
    }
    const stale = !pins || pins.names.length !== names.length || names.some((n) => !pins!.names.includes(n));
    const unmatched = pins !== null && names.some((n) => !pins!.pins[n]);
    if (stale || (unmatched && this.now() - this.lastUnmatchedTry >= RETRY_UNMATCHED_MS)) pins = await this.pin(names);
    return names.map((n) => pins?.pins[n]).filter((id): id is string => typeof id === 'string');
  }

  private names(): string[] {
    const all = this.settings().approvers;
    if (all.length > APPROVERS_MAX) this.log.warn('RfcApprovers names more approvers than are used', { max: APPROVERS_MAX, named: all.length });
    return all.slice(0, APPROVERS_MAX);
  }

  /** Pins the names of the setting that have no pin yet to the accounts holding them now. */
  private async pin(names: readonly string[]): Promise<ApproverPins | null> {
    this.lastUnmatchedTry = this.now();
    const current = await this.store.approverPins();
    const kept = (pins: ApproverPins | null, name: string): string | null => (pins?.names.includes(name) ? (pins.pins[name] ?? null) : null);
    const wanted = names.filter((n) => kept(current, n) === null);
    const found = new Map<string, string>();
    if (wanted.length) {
      const users = await this.api.getUsersByUsernames([...wanted]).catch((err: unknown) => {
        this.log.warn('RfcApprovers: usernames not resolved', { error: err instanceof Error ? err.message : String(err) });
        return [];
      });
      for (const u of users) found.set(u.Username.toLowerCase(), u.Id);
      const missing = wanted.filter((n) => !found.has(n));
      if (missing.length) this.log.warn('RfcApprovers names accounts that do not exist (yet)', { names: missing.join(', ') });
    }
    return this.store.updateApproverPins((latest) => {
      const pins: Record<string, string | null> = {};
      for (const n of names) pins[n] = kept(latest, n) ?? found.get(n) ?? null;
      const same = latest !== null && latest.names.length === names.length && names.every((n) => latest.names.includes(n) && (latest.pins[n] ?? null) === pins[n]);
      return same ? UNCHANGED : { v: 1 as const, names: [...names], pins };
    });
  }
}
