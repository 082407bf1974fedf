/**
 * The status page's records in the KV store; every write is a compare-and-set.
 *
 * | key | what |
 * | --- | --- |
 * | `status:t:<team>` | the team's components and scheduled maintenance (past windows pruned after 7 days) |
 */
import type { KvRepository } from '../shared/kv';
import { type TeamStatus, teamStatusSchema } from './records';

const EMPTY: TeamStatus = { v: 1, components: [], maintenance: [], lastMaintenance: 0 };
export const statusKey = (teamId: string): string => `status:t:${teamId}`;

export class StatusStore {
  constructor(private readonly kv: KvRepository) {}

  async get(teamId: string): Promise<TeamStatus> {
    return (await this.kv.get(statusKey(teamId), teamStatusSchema)) ?? EMPTY;
  }

  /** One compare-and-set; `change` may throw a UserError, which leaves the record as it was. */
  async change(teamId: string, change: (current: TeamStatus) => TeamStatus): Promise<TeamStatus> {
    return (await this.kv.update(statusKey(teamId), teamStatusSchema, (current) => change(current ?? EMPTY))) ?? EMPTY;
  }
}
