/**
 * RFC KV layout. Every write is a compare-and-set through KvRepository; the record is the truth
 * and the team index is derived from it (tags synced right after each record write).
 *
 * | key                               | record            | purpose                                          |
 * |-----------------------------------|-------------------|--------------------------------------------------|
 * | rfc:seq:<teamId>                  | {v,last}          | team-scoped numbers (RFC-007)                    |
 * | rfc:r:<teamId>:<n>                | rfcSchema         | the RFC: channel, status, review gate (reviewers, concerns), lineage; v1 read as v2 |
 * | rfc:tm:<teamId>:h / :c<k>         | ChunkedIndex      | the team's RFCs, tags {s: status, o: owner, r: reviewer ids joined by ","} |
 * | rfc:approvers                     | approverPinsSchema| RfcApprovers names pinned to user ids (L12)      |
 * | sched:job:rfc-remind:<teamId>:<n> | scheduler job     | reminder a day before the comment period ends    |
 * | sched:job:rfc-end:<teamId>:<n>    | scheduler job     | notice when the comment period ends              |
 *
 * Which team's numbers an RFC uses is its key; who may see it is decided live from its channel
 * (never from the stored `teamId`).
 */
import { ChunkedIndex, type IndexTags } from '../shared/chunked_index';
import { type CorruptRecordError, nullIfCorrupt, UserError } from '../shared/errors';
import { type KvRepository, UNCHANGED } from '../shared/kv';
import { noSuchRfc } from './messages';
import { type ApproverPins, approverPinsSchema, type Rfc, rfcSchema } from './records';
import { reviewerIds } from './views';

const rfcKey = (teamId: string, n: number): string => `rfc:r:${teamId}:${n}`;
const APPROVERS_KEY = 'rfc:approvers';

export type NewRfc = Omit<Rfc, 'v' | 'number' | 'ordinal'>;

export class RfcStore {
  /** `onCorrupt` hears about unreadable records that list pages skip (they are never overwritten). */
  constructor(
    private readonly kv: KvRepository,
    private readonly onCorrupt: (err: CorruptRecordError) => void = () => {},
  ) {}

  teamIndex(teamId: string): ChunkedIndex {
    return new ChunkedIndex(this.kv, `rfc:tm:${teamId}`);
  }

  async create(draft: NewRfc): Promise<Rfc> {
    const number = await this.kv.nextSequence(`rfc:seq:${draft.teamId}`);
    const ordinal = await this.teamIndex(draft.teamId).append(String(number), tagsOf(draft));
    const rfc: Rfc = { ...draft, v: 2, number, ordinal };
    if (!(await this.kv.insert(rfcKey(draft.teamId, number), rfcSchema, rfc))) throw new Error(`${rfcKey(draft.teamId, number)} already exists`);
    return rfc;
  }

  get(teamId: string, n: number): Promise<Rfc | null> {
    return this.kv.get(rfcKey(teamId, n), rfcSchema);
  }

  /** Many RFCs at once; an unreadable one comes back as null (and is reported), not as a failed page. */
  getMany(teamId: string, numbers: readonly number[]): Promise<Array<Rfc | null>> {
    return Promise.all(numbers.map((n) => this.get(teamId, n).catch(nullIfCorrupt(this.onCorrupt))));
  }

  /**
   * Compare-and-set; `mutate` may run several times and throws UserError to refuse. Resolves
   * with the record before and after (the same object when nothing changed).
   */
  async update(teamId: string, n: number, mutate: (rfc: Rfc) => Rfc | typeof UNCHANGED): Promise<{ before: Rfc; after: Rfc }> {
    // Assigned inside the update callback (the last attempt's record is the one that was replaced).
    let before = null as Rfc | null;
    const after = await this.kv.update(rfcKey(teamId, n), rfcSchema, (current) => {
      if (!current) throw UserError.notFound(noSuchRfc(n));
      before = current;
      return mutate(current);
    });
    if (!after || !before) throw UserError.notFound(noSuchRfc(n));
    if (after !== before) await this.teamIndex(teamId).put(after.ordinal, String(after.number), tagsOf(after));
    return { before, after };
  }

  approverPins(): Promise<ApproverPins | null> {
    return this.kv.get(APPROVERS_KEY, approverPinsSchema);
  }

  /** Compare-and-set of the pins; `mutate` may run several times. */
  async updateApproverPins(mutate: (current: ApproverPins | null) => ApproverPins | typeof UNCHANGED): Promise<ApproverPins | null> {
    return this.kv.update(APPROVERS_KEY, approverPinsSchema, mutate);
  }
}

function tagsOf(rfc: Pick<Rfc, 'status' | 'ownerId' | 'review'>): IndexTags {
  return { s: rfc.status, o: rfc.ownerId, r: reviewerIds(rfc).join(',') };
}
