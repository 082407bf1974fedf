/**
 * The status page's records in the KV store; every write is a compare-and-set.
 *
 * | key | what |
 * | --- | --- |
 * | `status:t:<team>` | the team's components and scheduled maintenance (past windows pruned after 7 days), the public link's hash |
 * | `status:pub:<sha256 of the link's secret>` | the team whose public page that link opens (deleted on revoke) |
 */
import type { KvRepository } from '../shared/kv';
import { publicLinkSchema, type TeamStatus, teamStatusSchema } from './records';

const EMPTY: TeamStatus = { v: 1, components: [], maintenance: [], lastMaintenance: 0, publicLink: null };
export const publicLinkKey = (hash: string): string => `status:pub:${hash}`;
export const statusKey = (teamId: string): string => `status:t:${teamId}`;

export class StatusStore {
  constructor(private readonly kv: KvRepository) {}

  async get(teamId: string): Promise<TeamStatus> {
    return (await this.kv.get(statusKey(teamId), teamStatusSchema)) ?? EMPTY;
  }

  async teamOfLink(hash: string): Promise<string | null> {
    return (await this.kv.get(publicLinkKey(hash), publicLinkSchema))?.teamId ?? null;
  }

  async linkTeam(hash: string, teamId: string): Promise<void> {
    await this.kv.insert(publicLinkKey(hash), publicLinkSchema, { v: 1, teamId });
  }

  async unlink(hash: string): Promise<void> {
    await this.kv.delete(publicLinkKey(hash));
  }

  /** One compare-and-set; `change` may throw a UserError, which leaves the record as it was. */
  async change(teamId: string, change: (current: TeamStatus) => TeamStatus): Promise<TeamStatus> {
    return (await this.kv.update(statusKey(teamId), teamStatusSchema, (current) => change(current ?? EMPTY))) ?? EMPTY;
  }
}
