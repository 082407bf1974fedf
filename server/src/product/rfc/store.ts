/**
 * RFC KV layout. Every write is a compare-and-set through KvRepository; the record is the truth
 * and the team index is derived from it (tags synced right after each record write).
 *
 * | key                               | record            | purpose                                          |
 * |-----------------------------------|-------------------|--------------------------------------------------|
 * | rfc:seq:<teamId>                  | {v,last}          | team-scoped numbers (RFC-007)                    |
 * | rfc:r:<teamId>:<n>                | rfcSchema         | the RFC: channel, status, review gate (reviewers, concerns), lineage; v1 read as v2 |
 * | rfc:tm:<teamId>:h / :c<k>         | ChunkedIndex      | the team's RFCs, tags {s: status, o: owner, r: reviewer ids joined by ","}, d: snapshot |
 * | rfc:open:<teamId>                 | openSetSchema     | snapshots of the team's open RFCs (draft, in review, postponed): agendas, /infra owe |
 * | owe:u:<teamId>:<userId>           | shared/owed.ts    | each person's owed facts of the RFCs (/infra owe) |
 * | rfc:migrated:open                 | {v,at}            | the open sets are built from the indexes (once)  |
 * | rfc:approvers                     | approverPinsSchema| RfcApprovers names pinned to user ids (L12)      |
 * | sched:job:rfc-remind:<teamId>:<n> | scheduler job     | reminder a day before the comment period ends    |
 * | sched:job:rfc-end:<teamId>:<n>    | scheduler job     | notice when the comment period ends              |
 *
 * Index entries and the open set carry a snapshot of the record, so a list page, an agenda and
 * /infra owe read no records; both are re-synced after every write, from each newer record until
 * the record reads back unchanged (settle), and an entry without a readable snapshot is read from
 * its record.
 *
 * Which team's numbers an RFC uses is its key; who may see it is decided live from its channel
 * (never from the stored `teamId`).
 */
import { z } from 'zod';
import { ChunkedIndex, type IndexEntry, type IndexTags } from '../shared/chunked_index';
import { type CorruptRecordError, nullIfCorrupt, UserError } from '../shared/errors';
import { type KvRepository, UNCHANGED } from '../shared/kv';
import { OwedLedger } from '../shared/owed';
import { sameJson, settleDerived } from '../shared/settle';
import { parseSnapshot } from '../shared/snapshots';
import { rfcOwedFacts } from './owed';
import { noSuchRfc } from './messages';
import { type ApproverPins, approverPinsSchema, type Rfc, rfcSchema } from './records';
import { OPEN_STATUSES } from './lifecycle';
import { reviewerIds } from './views';

const rfcKey = (teamId: string, n: number): string => `rfc:r:${teamId}:${n}`;
const openKey = (teamId: string): string => `rfc:open:${teamId}`;
const MIGRATED_KEY = 'rfc:migrated:open';
const openSetSchema = z.object({ v: z.literal(1), members: z.array(z.object({ n: z.number().int().positive(), d: z.unknown() })) });
const markSchema = z.object({ v: z.literal(1), at: z.number() });
const APPROVERS_KEY = 'rfc:approvers';

export type NewRfc = Omit<Rfc, 'v' | 'number' | 'ordinal'>;

export class RfcStore {
  /** `onCorrupt` hears about unreadable records that list pages skip (they are never overwritten). */
  private readonly owed: OwedLedger;
  constructor(
    private readonly kv: KvRepository,
    private readonly onCorrupt: (err: CorruptRecordError) => void = () => {},
  ) {
    this.owed = new OwedLedger(kv, 'rfc');
  }

  teamIndex(teamId: string): ChunkedIndex {
    return new ChunkedIndex(this.kv, `rfc:tm:${teamId}`);
  }

  async create(draft: NewRfc): Promise<Rfc> {
    const number = await this.kv.nextSequence(`rfc:seq:${draft.teamId}`);
    const ordinal = await this.teamIndex(draft.teamId).append(String(number), tagsOf(draft));
    const rfc: Rfc = { ...draft, v: 2, number, ordinal };
    if (!(await this.kv.insert(rfcKey(draft.teamId, number), rfcSchema, rfc))) throw new Error(`${rfcKey(draft.teamId, number)} already exists`);
    await this.settle(rfc, null);
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
    const was: Rfc = before;
    if (after !== was) await this.settle(after, was);
    return { before: was, after };
  }

  /**
   * The index entry, the open set and the owed facts from the record just written, then from each
   * newer one until the record reads back unchanged (shared/settle.ts): a slower node's copy of an
   * older RFC never outlives this one's (a rejected RFC would stay in the open set for good).
   * `before`: the record it replaced, whose owed facts are compared (null: owed facts skipped
   * unless new).
   */
  private async settle(rfc: Rfc, before: Rfc | null): Promise<void> {
    await settleDerived(rfc, before, {
      write: (current, previous) =>
        Promise.all([this.resyncOnce(current), this.owed.sync(current.teamId, String(current.number), previous && rfcOwedFacts(previous), rfcOwedFacts(current))]),
      reread: () => this.reread(rfc),
      same: sameJson,
    });
  }

  /** The RFC's index entry and its place in the open set, as the record (and any newer one) says. */
  async resync(rfc: Rfc): Promise<void> {
    await settleDerived(rfc, null, {
      write: (current) => this.resyncOnce(current),
      reread: () => this.reread(rfc),
      same: sameJson,
    });
  }

  /** The RFC's record as stored now (an unreadable one reported, and read as gone). */
  private reread(rfc: Rfc): Promise<Rfc | null> {
    return this.get(rfc.teamId, rfc.number).catch(nullIfCorrupt(this.onCorrupt));
  }

  private async resyncOnce(rfc: Rfc): Promise<void> {
    await this.teamIndex(rfc.teamId).put(rfc.ordinal, String(rfc.number), tagsOf(rfc), rfc);
    const open = OPEN_STATUSES.includes(rfc.status);
    await this.kv.update(openKey(rfc.teamId), openSetSchema, (set) => {
      const members = set?.members ?? [];
      const at = members.findIndex((m) => m.n === rfc.number);
      if (!open) return at < 0 ? UNCHANGED : { v: 1 as const, members: members.filter((m) => m.n !== rfc.number) };
      // No "newer than" test: clocks of nodes differ, and settle() writes the latest record last.
      const held = at < 0 ? null : parseSnapshot(rfcSchema, members[at]!.d);
      if (held && sameJson(held, rfc)) return UNCHANGED;
      const entry = { n: rfc.number, d: rfc };
      return { v: 1 as const, members: at < 0 ? [...members, entry] : members.map((m, k) => (k === at ? entry : m)) };
    });
  }

  /** The team's open RFCs from the open set's snapshots (one KV call). */
  async openRfcs(teamId: string): Promise<Rfc[]> {
    const set = await this.kv.get(openKey(teamId), openSetSchema).catch(nullIfCorrupt(this.onCorrupt));
    return (set?.members ?? []).flatMap((m) => {
      const parsed = parseSnapshot(rfcSchema, m.d);
      return parsed && parsed.teamId === teamId && parsed.number === m.n ? [parsed] : [];
    });
  }

  /** RFCs from index entries' snapshots; entries without one are read from the record and repaired. */
  async fromEntries(teamId: string, entries: readonly IndexEntry[]): Promise<Rfc[]> {
    const parsed = entries.map((e) => parseSnapshot(rfcSchema, e.d));
    const missing = entries.filter((_, k) => parsed[k] === null).map((e) => Number(e.id));
    const read = new Map<number, Rfc>();
    for (const rfc of await this.getMany(teamId, missing)) {
      if (!rfc) continue;
      read.set(rfc.number, rfc);
      await this.resync(rfc);
    }
    return entries.flatMap((e, k) => {
      const rfc = parsed[k] ?? read.get(Number(e.id));
      return rfc && rfc.number === Number(e.id) ? [rfc] : [];
    });
  }

  /**
   * Once per installation: the open sets (and the snapshots of their RFCs' entries) are built
   * from each team's index. Idempotent, so nodes racing on activation do no harm.
   */
  async migrateOpenSets(now: number): Promise<number> {
    if (await this.kv.get(MIGRATED_KEY, markSchema).catch(() => null)) return 0;
    let moved = 0;
    for (const head of await this.kv.listKeys('rfc:tm:')) {
      if (!head.endsWith(':h')) continue;
      const teamId = head.slice('rfc:tm:'.length, -':h'.length);
      const open = await this.teamIndex(teamId).all((t) => OPEN_STATUSES.includes(t.s as Rfc['status']));
      for (const rfc of await this.getMany(teamId, open.map((e) => Number(e.id)))) {
        if (!rfc || rfc.teamId !== teamId) continue;
        await this.resync(rfc);
        moved++;
      }
    }
    await this.kv.update(MIGRATED_KEY, markSchema, (cur) => cur ?? { v: 1 as const, at: now });
    return moved;
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
