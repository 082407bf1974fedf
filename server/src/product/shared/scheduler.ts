import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from './logger';
import { corruptRecordsFor, type CorruptRecords } from './corrupt_records';
import { CorruptRecordError } from './errors';
import { type KvRepository, UNCHANGED } from './kv';
import { TimeoutError, withTimeout } from './server_calls';
import { INDEX_PREFIX, INDEX_SHARDS, indexKeyOf } from './scheduler_index';
import { copyOf, dictionaryOf } from './dictionary';

/** Jobs are plain JSON so any node can run any job. */
export type JobPayload = Record<string, unknown>;

/** What a handler is told about the occurrence it runs. */
export interface JobRun {
  readonly key: string;
  /** When this occurrence was scheduled for: the same on every retry of it. */
  readonly dueAt: number;
  /** `<key>@<dueAt>`, the same on every retry: the idempotency key for the occurrence's posts (postOnce). */
  readonly occurrenceKey: string;
  /** 1 on the first try of this occurrence. */
  readonly attempt: number;
  /** Aborted when the run times out or another node took the job over: stop, the retry will do it. */
  readonly signal: AbortSignal;
}
export type JobHandler = (payload: JobPayload, job: JobRun) => Promise<void>;

/** A recurring job's next occurrence. */
export interface Occurrence {
  dueAt: number;
  /** Defaults to the current occurrence's payload. */
  payload?: JobPayload;
}

/**
 * How a kind of job recovers from failure.
 *
 * The contract: a failing run is retried with exponential backoff (capped) and logged each time;
 * a job is never dropped because it failed. A recurring kind states `next`, which the scheduler
 * computes *before* the handler runs, so the chain survives an occurrence that keeps failing:
 * after `maxAttempts`, or once a retry would reach the next occurrence, that occurrence is given
 * up and the next one scheduled. When the handler succeeds the scheduler schedules `next` too,
 * unless the handler rescheduled the job itself. Kinds without `next` retry until they succeed
 * (or `maxAttempts`, when given).
 */
export interface JobKindOptions {
  next?: (payload: JobPayload, job: JobRun) => Occurrence | null | Promise<Occurrence | null>;
  /** Tries of one occurrence. Default: 5 with `next`, unlimited without. */
  maxAttempts?: number;
  /** Per run; default SchedulerOptions.handlerTimeoutMs. */
  timeoutMs?: number;
}

export interface SchedulerOptions {
  /** A claim lasts this long unless renewed; a dead node's jobs are taken over after it. */
  claimMs?: number;
  /** How often a running job renews its claim. */
  heartbeatMs?: number;
  handlerTimeoutMs?: number;
  /** Bound on each of the scheduler's own KV operations. */
  kvTimeoutMs?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** How often a node looks for the jobs of an unreadable index shard (a KV scan). */
  rescueIntervalMs?: number;
  /** An index entry with no job behind it is dropped after this long (a crash mid-schedule). */
  orphanGraceMs?: number;
  corrupt?: CorruptRecords;
  random?: () => number;
}

export const SCHEDULER_DEFAULTS = {
  claimMs: 30_000,
  heartbeatMs: 10_000,
  handlerTimeoutMs: 60_000,
  kvTimeoutMs: 15_000,
  retryBaseMs: 30_000,
  retryCapMs: 30 * 60_000,
  rescueIntervalMs: 5 * 60_000,
  orphanGraceMs: 60_000,
};
const RECURRING_MAX_ATTEMPTS = 5;

const JOB_PREFIX = 'sched:job:';
const jobKey = (key: string): string => `${JOB_PREFIX}${key}`;

const shardOf = (key: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % INDEX_SHARDS;
};

const entrySchema = z.object({ at: z.number(), gen: z.number().int() });
type IndexEntry = z.output<typeof entrySchema>;
const indexSchema = z.object({ v: z.literal(1), due: dictionaryOf(entrySchema) });
const jobSchema = z.object({
  v: z.literal(1),
  key: z.string(),
  kind: z.string(),
  /** When the job may next run: the occurrence's time, or later for a retry. */
  dueAt: z.number(),
  /** The occurrence's own time (records from before it existed: dueAt). */
  scheduledFor: z.number().optional(),
  payload: z.record(z.string(), z.unknown()),
  /**
   * Bumped by every schedule() and cancel() and never reset (finished jobs stay as small
   * tombstones), so a run or an index clean-up never touches a newer generation of the job.
   */
  generation: z.number().int(),
  state: z.enum(['pending', 'done']),
  attempts: z.number().int(),
  claimedBy: z.string().optional(),
  claimUntil: z.number().optional(),
  lastError: z.string().optional(),
});
type Job = z.output<typeof jobSchema>;

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 300);

/**
 * Timed jobs (reminders, cadences) kept in the KV store, safe in an HA cluster: every node polls,
 * but a job fires on exactly one node because running it starts with a compare-and-set claim.
 * A running job renews its claim (heartbeat); a node that dies mid-job stops renewing, and
 * another node takes the job over once the claim lapses (claimMs), so side effects must be
 * idempotent: posts go through postOnce with `job.occurrenceKey`. No job state lives in memory.
 *
 * Faults stay local: every KV call and every handler run has a time limit, so a hung call
 * releases the tick; one unreadable job or index shard is skipped (logged once, listed for
 * `/infra doctor`) and the jobs of an unreadable shard are still found by a periodic scan.
 * Writes go index first, then job, so a crash between the two leaves a stray index entry (tidied
 * away) but never a pending job the pollers cannot find.
 */
export class Scheduler {
  private readonly kinds = new Map<string, { handler: JobHandler; options: JobKindOptions }>();
  private readonly nodeId = randomUUID();
  private runs = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly config: typeof SCHEDULER_DEFAULTS;
  private readonly corrupt: CorruptRecords;
  private readonly random: () => number;
  /** Unreadable index shards → when this node last scanned for their jobs. */
  private readonly corruptShards = new Map<number, number>();
  private corruptShardsLoaded = false;
  /** Index entries seen without their job: key@gen → first seen. */
  private readonly orphans = new Map<string, number>();
  private readonly unknownKinds = new Set<string>();

  constructor(
    private readonly kv: KvRepository,
    private readonly now: () => number,
    private readonly log: Logger,
    options: SchedulerOptions = {},
  ) {
    const { corrupt, random, ...timings } = options;
    this.config = { ...SCHEDULER_DEFAULTS, ...timings };
    this.corrupt = corrupt ?? corruptRecordsFor(kv, log, now);
    this.random = random ?? Math.random;
  }

  register(kind: string, handler: JobHandler, options: JobKindOptions = {}): void {
    this.kinds.set(kind, { handler, options });
  }

  /** Creates or replaces the job `key`; it fires once at `dueAt`. */
  async schedule(key: string, kind: string, dueAt: number, payload: JobPayload): Promise<void> {
    const { current, floor } = await this.readForReplace(key);
    const predicted = Math.max(current?.generation ?? 0, floor) + 1;
    await this.setIndexEntry(key, dueAt, predicted);
    const job = await this.kvCall(`schedule ${key}`, () =>
      this.kv.update(jobKey(key), jobSchema, (stored) => ({
        v: 1 as const,
        key,
        kind,
        dueAt,
        scheduledFor: dueAt,
        payload,
        generation: Math.max(stored?.generation ?? 0, floor) + 1,
        state: 'pending' as const,
        attempts: 0,
      })),
    );
    // Someone else wrote the job between our read and our write: index the generation that won.
    if (job && job.generation !== predicted) await this.setIndexEntry(key, dueAt, job.generation);
  }

  async cancel(key: string): Promise<void> {
    let job: Job | null;
    try {
      job = await this.kvCall(`cancel ${key}`, () =>
        this.kv.update(jobKey(key), jobSchema, (current) =>
          current && current.state === 'pending' ? { ...current, state: 'done' as const, generation: current.generation + 1 } : UNCHANGED,
        ),
      );
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) throw err;
      // An unreadable job cannot run anyway; keep it for the doctor, stop polling it.
      await this.corrupt.reportError(err);
      await this.removeIndexEntry(key, Number.MAX_SAFE_INTEGER);
      return;
    }
    if (job) await this.removeIndexEntry(key, job.generation);
  }

  /** When the pending job `key` fires, or null (also for an unreadable job). */
  async dueAt(key: string): Promise<number | null> {
    const job = await this.readJob(key);
    return job?.state === 'pending' ? job.dueAt : null;
  }

  /** Runs every job due now that no other node holds. Returns how many this node ran. */
  runDue(): Promise<number> {
    this.running ??= this.runDueOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  start(intervalMs = 10_000): void {
    this.stop();
    const tick = (): void => {
      this.runDue().catch((err: unknown) => this.log.error('scheduler tick failed', { error: errorText(err) }));
      this.timer = setTimeout(tick, intervalMs * (0.75 + this.random() / 2));
      this.timer.unref();
    };
    this.timer = setTimeout(tick, this.random() * intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async runDueOnce(): Promise<number> {
    await this.loadCorruptShards();
    const now = this.now();
    const due: Array<[string, IndexEntry]> = [];
    await Promise.all(
      Array.from({ length: INDEX_SHARDS }, async (_, shard) => {
        const entries = await this.readShard(shard, now);
        for (const entry of entries) if (entry[1].at <= now) due.push(entry);
      }),
    );
    due.sort((a, b) => a[1].at - b[1].at);
    let ran = 0;
    for (const [key, entry] of due) {
      try {
        if (await this.runOne(key, entry)) ran++;
      } catch (err) {
        if (err instanceof CorruptRecordError) await this.corrupt.reportError(err);
        else this.log.error('scheduled job could not be run', { key, error: errorText(err) });
      }
    }
    return ran;
  }

  /** One shard's entries; an unreadable shard yields the jobs a periodic scan finds instead. */
  private async readShard(shard: number, now: number): Promise<Array<[string, IndexEntry]>> {
    const key = indexKeyOf(shard);
    try {
      const index = await this.kvCall(`read ${key}`, () => this.kv.get(key, indexSchema));
      if (this.corruptShards.has(shard)) await this.healShard(shard);
      return Object.entries(index?.due ?? {});
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) {
        this.log.warn('scheduler index shard not read this tick', { key, error: errorText(err) });
        return [];
      }
      await this.corrupt.reportError(err);
      const lastScan = this.corruptShards.get(shard);
      if (lastScan !== undefined && now - lastScan < this.config.rescueIntervalMs) return [];
      this.corruptShards.set(shard, now);
      return this.scanShardJobs(shard);
    }
  }

  /** Shards reported unreadable before (by any node, any process) are healed once readable. */
  private async loadCorruptShards(): Promise<void> {
    if (this.corruptShardsLoaded) return;
    const listed = await this.corrupt.list().catch(() => []);
    for (const { key } of listed) {
      if (!key.startsWith(INDEX_PREFIX)) continue;
      const shard = Number(key.slice(INDEX_PREFIX.length));
      if (Number.isInteger(shard) && shard >= 0 && shard < INDEX_SHARDS && !this.corruptShards.has(shard)) this.corruptShards.set(shard, -Infinity);
    }
    this.corruptShardsLoaded = true;
  }

  /** A shard readable again (an admin removed the bad record): index its pending jobs back in. */
  private async healShard(shard: number): Promise<void> {
    for (const [key, entry] of await this.scanShardJobs(shard)) await this.setIndexEntry(key, entry.at, entry.gen);
    this.corruptShards.delete(shard);
    await this.corrupt.resolve(indexKeyOf(shard));
    this.log.info('scheduler index shard rebuilt', { key: indexKeyOf(shard) });
  }

  /** The pending jobs of one shard, read from the job records. O(all keys): only for a broken shard. */
  private async scanShardJobs(shard: number): Promise<Array<[string, IndexEntry]>> {
    const keys = await this.kvCall('scan scheduled jobs', () => this.kv.listKeys(JOB_PREFIX));
    const found: Array<[string, IndexEntry]> = [];
    for (const stored of keys) {
      const key = stored.slice(JOB_PREFIX.length);
      if (shardOf(key) !== shard) continue;
      const job = await this.readJob(key);
      if (job?.state === 'pending') found.push([key, { at: job.dueAt, gen: job.generation }]);
    }
    return found;
  }

  private async runOne(key: string, entry: IndexEntry): Promise<boolean> {
    const now = this.now();
    const token = `${this.nodeId}:${++this.runs}`;
    let claimed: Job | null = null;
    const stored = await this.kvCall(`claim ${key}`, () =>
      this.kv.update(jobKey(key), jobSchema, (job) => {
        claimed = null;
        if (!job || job.state !== 'pending' || job.dueAt > now) return UNCHANGED;
        if (job.claimedBy && (job.claimUntil ?? 0) > now) return UNCHANGED;
        // A kind this node does not know (an older node in a rolling upgrade) is left to the others.
        if (!this.kinds.has(job.kind)) return UNCHANGED;
        claimed = { ...job, claimedBy: token, claimUntil: now + this.config.claimMs, attempts: job.attempts + 1 };
        return claimed;
      }),
    );
    const job = claimed as Job | null;
    if (!job) {
      if (stored?.state === 'pending' && !this.kinds.has(stored.kind) && !this.unknownKinds.has(stored.kind)) {
        this.unknownKinds.add(stored.kind);
        this.log.warn('scheduled job of a kind this node does not run; left to the other nodes', { key, kind: stored.kind });
      }
      await this.tidyIndex(key, entry, stored, now);
      return false;
    }
    const { handler, options } = this.kinds.get(job.kind)!;
    const occurrence = job.scheduledFor ?? job.dueAt;
    const abort = new AbortController();
    const run: JobRun = { key, dueAt: occurrence, occurrenceKey: `${key}@${occurrence}`, attempt: job.attempts, signal: abort.signal };
    const heartbeat = this.heartbeat(job, token, abort);
    const started = Date.now();
    let next: Occurrence | null = null;
    let failure: unknown = null;
    try {
      // Before the side effects, so a failing occurrence still knows where the chain goes on.
      if (options.next) next = await withTimeout(Promise.resolve(options.next(job.payload, run)), this.config.kvTimeoutMs, `next occurrence of ${key}`);
      const limit = options.timeoutMs ?? this.config.handlerTimeoutMs;
      await withTimeout(handler(job.payload, run), limit, `scheduled job ${key}`);
    } catch (err) {
      failure = err;
      if (err instanceof TimeoutError) abort.abort(err);
    } finally {
      heartbeat.stop();
    }
    this.log.debug('scheduled job ran', { key, kind: job.kind, attempt: job.attempts, ms: Date.now() - started, ok: failure === null });
    await this.finish(job, token, failure, next, options);
    return true;
  }

  /** An index entry that did not lead to a run: repaired, dropped or left for later. */
  private async tidyIndex(key: string, entry: IndexEntry, stored: Job | null, now: number): Promise<void> {
    const orphanId = `${key}@${entry.gen}`;
    if (stored?.state === 'pending') {
      this.orphans.delete(orphanId);
      // The job moved later than its entry says (a crash between index and job writes): follow it.
      if (stored.dueAt > entry.at && stored.dueAt > now) await this.setIndexEntry(key, stored.dueAt, stored.generation);
      return;
    }
    if (entry.gen <= (stored?.generation ?? 0)) {
      this.orphans.delete(orphanId);
      await this.removeIndexEntry(key, entry.gen);
      return;
    }
    // An entry for a generation not written yet: a schedule() in progress, or one that crashed.
    const firstSeen = this.orphans.get(orphanId);
    if (firstSeen === undefined) this.orphans.set(orphanId, now);
    else if (now - firstSeen >= this.config.orphanGraceMs) {
      this.orphans.delete(orphanId);
      await this.removeIndexEntry(key, entry.gen);
    }
  }

  /** Renews the claim while the handler runs; aborts the run if another node took the job. */
  private heartbeat(job: Job, token: string, abort: AbortController): { stop(): void } {
    let beating: Promise<void> | undefined;
    let stopped = false;
    const timer = setInterval(() => {
      if (beating || stopped) return;
      beating = this.kvCall(`renew claim on ${job.key}`, () =>
        this.kv.update(jobKey(job.key), jobSchema, (current) =>
          current && current.generation === job.generation && current.claimedBy === token
            ? { ...current, claimUntil: this.now() + this.config.claimMs }
            : UNCHANGED,
        ),
      ).then(
        (current) => {
          // A new generation is the handler rescheduling itself: fine. Another claimant is not.
          if (!stopped && current && current.generation === job.generation && current.claimedBy !== token) {
            this.log.warn('scheduled job was taken over by another node; stopping this run', { key: job.key });
            abort.abort(new Error('claim lost'));
          }
        },
        (err: unknown) => this.log.warn('could not renew a job claim', { key: job.key, error: errorText(err) }),
      ).finally(() => (beating = undefined));
    }, this.config.heartbeatMs);
    timer.unref();
    return {
      stop: () => {
        stopped = true;
        clearInterval(timer);
      },
    };
  }

  /**
   * After a run: done, a retry later, or the next occurrence — unless the job was rescheduled,
   * cancelled or taken over meanwhile (then the newer state stands).
   */
  private async finish(job: Job, token: string, failure: unknown, next: Occurrence | null, options: JobKindOptions): Promise<void> {
    const now = this.now();
    let outcome: { state: 'done' } | { state: 'retry'; at: number } | { state: 'next'; occurrence: Occurrence };
    if (failure === null) {
      outcome = next ? { state: 'next', occurrence: next } : { state: 'done' };
    } else {
      const retryAt = now + this.retryDelay(job.attempts);
      const maxAttempts = options.maxAttempts ?? (options.next ? RECURRING_MAX_ATTEMPTS : Infinity);
      const giveUp = job.attempts >= maxAttempts || (next !== null && retryAt >= next.dueAt);
      outcome = !giveUp ? { state: 'retry', at: retryAt } : next ? { state: 'next', occurrence: next } : { state: 'done' };
      this.log.error('scheduled job failed', {
        key: job.key,
        kind: job.kind,
        attempt: job.attempts,
        error: errorText(failure),
        then: outcome.state === 'retry' ? `retry at ${new Date(outcome.at).toISOString()}` : outcome.state === 'next' ? 'occurrence given up; next one scheduled' : 'given up',
      });
    }
    const nextGeneration = job.generation + 1;
    if (outcome.state === 'next') await this.setIndexEntry(job.key, outcome.occurrence.dueAt, nextGeneration);
    const lastError = failure === null ? undefined : errorText(failure);
    const after = await this.kvCall(`finish ${job.key}`, () =>
      this.kv.update(jobKey(job.key), jobSchema, (current) => {
        if (!current || current.generation !== job.generation || current.claimedBy !== token) return UNCHANGED;
        const released = { ...current, claimedBy: undefined, claimUntil: undefined, lastError };
        if (outcome.state === 'retry') return { ...released, dueAt: outcome.at };
        if (outcome.state === 'done') return { ...released, state: 'done' as const };
        const { dueAt, payload } = outcome.occurrence;
        return { ...released, generation: nextGeneration, dueAt, scheduledFor: dueAt, payload: payload ?? current.payload, attempts: 0, lastError: undefined };
      }),
    );
    if (!after || after.claimedBy !== undefined) return;
    if (after.generation === job.generation && after.state === 'done') await this.removeIndexEntry(job.key, job.generation);
    else if (after.generation === job.generation && outcome.state === 'retry') await this.setIndexEntry(job.key, after.dueAt, job.generation);
  }

  /** Exponential from retryBaseMs, capped at retryCapMs, ±20 % so retries of a burst spread out. */
  private retryDelay(attempt: number): number {
    const exponential = this.config.retryBaseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30);
    return Math.round(Math.min(this.config.retryCapMs, exponential) * (0.8 + 0.4 * this.random()));
  }

  /** The job, or null when absent or unreadable (reported). */
  private async readJob(key: string): Promise<Job | null> {
    try {
      return await this.kvCall(`read job ${key}`, () => this.kv.get(jobKey(key), jobSchema));
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) throw err;
      await this.corrupt.reportError(err);
      return null;
    }
  }

  /**
   * The job about to be replaced by schedule(). An unreadable one is reported and removed: the
   * new schedule replaces it whole, and keeping it would end the job's chain for good. Its
   * generation is lost, so the new one starts above whatever the index last saw.
   */
  private async readForReplace(key: string): Promise<{ current: Job | null; floor: number }> {
    try {
      return { current: await this.kvCall(`read job ${key}`, () => this.kv.get(jobKey(key), jobSchema)), floor: 0 };
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) throw err;
      await this.corrupt.reportError(err);
      const floor = (await this.indexEntryOf(key))?.gen ?? 0;
      await this.kvCall(`replace job ${key}`, () => this.kv.delete(jobKey(key)));
      await this.corrupt.resolve(jobKey(key));
      this.log.warn('unreadable scheduled job replaced by a new schedule', { key: jobKey(key) });
      return { current: null, floor };
    }
  }

  private async indexEntryOf(key: string): Promise<IndexEntry | null> {
    try {
      const index = await this.kvCall('read index', () => this.kv.get(indexKeyOf(shardOf(key)), indexSchema));
      return index?.due[key] ?? null;
    } catch {
      return null;
    }
  }

  /** Entries of one generation keep the earlier time: an early entry is repaired, a late one would delay the job. */
  private async setIndexEntry(key: string, at: number, gen: number): Promise<void> {
    await this.updateIndex(key, (index) => {
      const existing = index?.due[key];
      if (existing && existing.gen > gen) return UNCHANGED;
      const time = existing && existing.gen === gen ? Math.min(existing.at, at) : at;
      if (existing && existing.gen === gen && existing.at === time) return UNCHANGED;
      const due = copyOf(index?.due);
      due[key] = { at: time, gen };
      return { v: 1 as const, due };
    });
  }

  /** Removes the index entry only if it still refers to generation `gen` or older. */
  private async removeIndexEntry(key: string, gen: number): Promise<void> {
    await this.updateIndex(key, (index) => {
      const existing = index?.due[key];
      if (!index || !existing || existing.gen > gen) return UNCHANGED;
      const due = copyOf(index.due);
      delete due[key];
      return { v: 1 as const, due };
    });
  }

  /** An unreadable shard is reported and left alone: the periodic scan still finds its jobs. */
  private async updateIndex(
    key: string,
    mutate: (index: z.output<typeof indexSchema> | null) => z.input<typeof indexSchema> | typeof UNCHANGED,
  ): Promise<void> {
    const shard = shardOf(key);
    try {
      await this.kvCall(`index ${key}`, () => this.kv.update(indexKeyOf(shard), indexSchema, mutate));
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) throw err;
      await this.corrupt.reportError(err);
      if (!this.corruptShards.has(shard)) this.corruptShards.set(shard, -Infinity);
    }
  }

  private kvCall<T>(what: string, call: () => Promise<T>): Promise<T> {
    return withTimeout(call(), this.config.kvTimeoutMs, `scheduler: ${what}`);
  }
}

/** The KV keys of a job and of its index shard (for tests and admin tools). */
export const schedulerKeys = { job: jobKey, index: (key: string): string => indexKeyOf(shardOf(key)) };
