/**
 * Runs' KV layout. Every write is a compare-and-set through KvRepository; a run is the truth and
 * the team index and channel pointer are derived from it.
 *
 * | key                          | record            | purpose                                              |
 * |------------------------------|-------------------|------------------------------------------------------|
 * | run:seq:<teamId>             | {v,last}          | team-scoped run numbers (RUN-004)                    |
 * | run:r:<teamId>:<n>           | runSchema         | the run: channel, owner, checklists with gates, timeline |
 * | run:ch:<channelId>           | channelRunSchema  | the run a channel holds (`/run` in that channel)     |
 * | run:tm:<teamId>:h / :c<k>    | ChunkedIndex      | the team's runs, tags {s: status, k: kind}, d: the run's list copy (records.ts runListCopySchema) |
 * | owe:u:<teamId>:<userId>      | shared/owed.ts    | each person's owed facts of the runs (/infra owe)   |
 * | run:tpl:<teamId>:<slug>      | templateSchema    | a template at its current version                    |
 * | run:tpls:<teamId>            | templateListSchema| the team's template slugs; `seeded` once built-ins are in |
 * | sched:job:run-due:<teamId>:<n>:<ref>:<due> | scheduler job | nag an item's assignees once at its due time |
 */
import { z } from 'zod';
import { ChunkedIndex, type IndexEntry, type IndexTags } from '../shared/chunked_index';
import { type CorruptRecordError, nullIfCorrupt, UserError } from '../shared/errors';
import { DELETE, type KvRepository, UNCHANGED } from '../shared/kv';
import type { Access } from '../shared/access/policy';
import type { People } from '../shared/people';
import { ERR } from './messages';
import { OwedLedger } from '../shared/owed';
import { sameJson, settleDerived } from '../shared/settle';
import { parseSnapshot } from '../shared/snapshots';
import { runOwedFacts } from './owed';
import { channelRunSchema, LIMITS, type Run, type RunListCopy, runListCopySchema, runSchema, type Template, templateSchema } from './records';
import { listCopyOf } from './views';

const runKey = (teamId: string, n: number): string => `run:r:${teamId}:${n}`;
const channelKey = (channelId: string): string => `run:ch:${channelId}`;
const templateKey = (teamId: string, slug: string): string => `run:tpl:${teamId}:${slug}`;
const listKey = (teamId: string): string => `run:tpls:${teamId}`;

const templateListSchema = z.object({ v: z.literal(1), slugs: z.array(z.string().max(64)).max(LIMITS.templatesPerTeam), seeded: z.boolean() });
export type TemplateList = z.output<typeof templateListSchema>;

export type NewRun = Omit<Run, 'v' | 'number' | 'ordinal'>;

/** A run is found from its channel (commands) or by its number (HTTP). */
export type RunWhere = { readonly channelId: string } | { readonly teamId: string; readonly number: number };

/** One caller of a use case: who, their live access, and names looked up once. */
export interface RunCall {
  readonly actor: string;
  readonly access: Access;
  readonly people: People;
}

/** Work a write's answer does not wait for, queued in order per key (shared/after_answer.ts). */
export type Later = (key: string, what: string, work: () => Promise<void>) => void;

export class RunStore {
  private readonly owed: OwedLedger;
  constructor(
    private readonly kv: KvRepository,
    private readonly onCorrupt: (err: CorruptRecordError) => void = () => {},
    private readonly later: Later = (_key, _what, work) => void work(),
  ) {
    this.owed = new OwedLedger(kv, 'runs');
  }

  teamIndex(teamId: string): ChunkedIndex {
    return new ChunkedIndex(this.kv, `run:tm:${teamId}`);
  }

  /**
   * Numbers the run and claims its channel: a channel holds one run, so a second start in the same
   * channel (two nodes, a double click) is refused before anything else is written.
   */
  async create(draft: NewRun): Promise<Run> {
    const number = await this.kv.nextSequence(`run:seq:${draft.teamId}`);
    if (!(await this.kv.insert(channelKey(draft.channelId), channelRunSchema, { v: 1, teamId: draft.teamId, number }))) {
      throw UserError.conflict(ERR.channelHasRun);
    }
    // The summary's ordinal is the entry's own (`o`): it is not known before the append.
    const ordinal = await this.teamIndex(draft.teamId).append(String(number), tagsOf(draft), listCopyOf({ ...draft, v: 2, number, ordinal: 0 }));
    const run: Run = { ...draft, v: 2, number, ordinal };
    if (!(await this.kv.insert(runKey(draft.teamId, number), runSchema, run))) throw new Error(`${runKey(draft.teamId, number)} already exists`);
    await this.owed.sync(run.teamId, String(number), null, runOwedFacts(run));
    return run;
  }

  get(teamId: string, n: number): Promise<Run | null> {
    return this.kv.get(runKey(teamId, n), runSchema);
  }

  getMany(teamId: string, numbers: readonly number[]): Promise<Array<Run | null>> {
    return Promise.all(numbers.map((n) => this.get(teamId, n).catch(nullIfCorrupt(this.onCorrupt))));
  }

  /** The run a channel holds, if any. */
  async inChannel(channelId: string): Promise<Run | null> {
    const pointer = await this.kv.get(channelKey(channelId), channelRunSchema);
    return pointer ? this.get(pointer.teamId, pointer.number) : null;
  }

  /** Compare-and-set; `mutate` may run several times and throws to refuse. `basis`: the run as this request just read it. */
  async update(teamId: string, n: number, mutate: (run: Run) => Run | typeof UNCHANGED, basis?: Run): Promise<{ before: Run; after: Run }> {
    let before = null as Run | null;
    const after = await this.kv.update(
      runKey(teamId, n),
      runSchema,
      (current) => {
        if (!current) throw UserError.notFound(ERR.noSuchRun);
        before = current;
        return mutate(current);
      },
      basis ? { basis } : {},
    );
    if (!after || !before) throw UserError.notFound(ERR.noSuchRun);
    const was: Run = before;
    if (after !== was) {
      // A finish or reopen changes what the list filters on: put at once. Otherwise the list's
      // copy, and the owed ledgers, follow after the answer in the order of the run's writes;
      // then again from each newer run until it reads back unchanged (shared/settle.ts), so a
      // slower node's copy of an older run never outlives a newer one (a finished run would stay
      // listed as active).
      const putNow = was.status !== after.status;
      if (putNow) await this.putEntry(after);
      this.later(`run:${teamId}:${n}`, `run ${n} list entry and owed`, () =>
        settleDerived(after, was, {
          write: (run, previous) =>
            Promise.all([putNow && run === after ? null : this.putEntry(run), this.owed.sync(teamId, String(n), runOwedFacts(previous ?? was), runOwedFacts(run))]),
          reread: () => this.read(teamId, n),
          same: sameJson,
        }).then(() => undefined),
      );
    }
    return { before: was, after };
  }

  private read(teamId: string, n: number): Promise<Run | null> {
    return this.get(teamId, n).catch(nullIfCorrupt(this.onCorrupt));
  }

  /** The run's index entry as the run (and any newer one) says: the list's lazy repair. */
  async resync(run: Run): Promise<void> {
    await settleDerived(run, null, { write: (current) => this.putEntry(current), reread: () => this.read(run.teamId, run.number), same: sameJson });
  }

  /** Puts the run's tags and list copy into its index entry. */
  private async putEntry(run: Run): Promise<void> {
    await this.teamIndex(run.teamId).put(run.ordinal, String(run.number), tagsOf(run), listCopyOf(run));
  }

  /** The list's runs from index entries: their copies, or (entries written before this copy) the record, then repaired. */
  async fromEntries(teamId: string, entries: readonly IndexEntry[]): Promise<RunListCopy[]> {
    // Each copy is validated once while its chunk's bytes stay the same (parseSnapshot).
    const parsed = entries.map((e) => parseSnapshot(runListCopySchema, e.d));
    const missing = entries.filter((_, k) => !parsed[k]).map((e) => Number(e.id));
    const read = new Map<number, RunListCopy>();
    for (const run of await this.getMany(teamId, missing)) {
      if (!run || run.teamId !== teamId) continue;
      read.set(run.number, listCopyOf(run));
      await this.resync(run);
    }
    return entries.flatMap((e, k) => {
      const copy = parsed[k] ?? read.get(Number(e.id));
      return copy && copy.teamId === teamId && String(copy.number) === e.id ? [copy] : [];
    });
  }

  // ---- templates ----

  templateList(teamId: string): Promise<TemplateList | null> {
    return this.kv.get(listKey(teamId), templateListSchema);
  }

  async updateTemplateList(teamId: string, mutate: (current: TemplateList | null) => TemplateList | typeof UNCHANGED): Promise<TemplateList | null> {
    return this.kv.update(listKey(teamId), templateListSchema, mutate);
  }

  template(teamId: string, slug: string): Promise<Template | null> {
    return this.kv.get(templateKey(teamId, slug), templateSchema);
  }

  templates(teamId: string, slugs: readonly string[]): Promise<Array<Template | null>> {
    return Promise.all(slugs.map((s) => this.template(teamId, s).catch(nullIfCorrupt(this.onCorrupt))));
  }

  /** Compare-and-set of one template; null from `mutate`'s input means it does not exist yet. */
  updateTemplate(teamId: string, slug: string, mutate: (current: Template | null) => Template | typeof UNCHANGED | typeof DELETE): Promise<Template | null> {
    return this.kv.update(templateKey(teamId, slug), templateSchema, mutate);
  }
}

function tagsOf(run: Pick<Run, 'status' | 'kind'>): IndexTags {
  return { s: run.status, k: run.kind };
}
