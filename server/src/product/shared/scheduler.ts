import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from './context';
import { type KvRepository, UNCHANGED } from './kv';

/** Jobs are plain JSON so any node can run any job. */
export type JobPayload = Record<string, unknown>;
export type JobHandler = (payload: JobPayload, job: { key: string; dueAt: number }) => Promise<void>;

const jobKey = (key: string): string => `sched:job:${key}`;

/**
 * The due-time index is split into shards by job key, so rescheduling one job (every incident
 * status update resets a reminder) contends only with the jobs that share its shard.
 */
const INDEX_SHARDS = 16;
const indexKeyOf = (shard: number): string => `sched:index:${shard}`;
const shardOf = (key: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % INDEX_SHARDS;
};
const ALL_INDEX_KEYS = Array.from({ length: INDEX_SHARDS }, (_, shard) => indexKeyOf(shard));

/** How long a node owns a claimed job before another node may take it over (crash recovery). */
const CLAIM_MS = 120_000;
const MAX_ATTEMPTS = 5;

const indexSchema = z.object({
  v: z.literal(1),
  due: z.record(z.string(), z.object({ at: z.number(), gen: z.number().int() })),
});
const jobSchema = z.object({
  v: z.literal(1),
  key: z.string(),
  kind: z.string(),
  dueAt: z.number(),
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
});
type Job = z.output<typeof jobSchema>;

/**
 * Timed jobs (reminders, cadences) kept in the KV store, safe in an HA cluster: every node polls,
 * but a job fires on exactly one node because running it starts with a compare-and-set claim.
 * A node that dies mid-job loses its claim after CLAIM_MS and another node runs the job again,
 * so handlers should be idempotent where they can be. No job state lives in memory.
 */
export class Scheduler {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly nodeId = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly kv: KvRepository,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Creates or replaces the job `key`; it fires once at `dueAt`. */
  async schedule(key: string, kind: string, dueAt: number, payload: JobPayload): Promise<void> {
    const job = await this.kv.update(jobKey(key), jobSchema, (current) => ({
      v: 1 as const,
      key,
      kind,
      dueAt,
      payload,
      generation: (current?.generation ?? 0) + 1,
      state: 'pending' as const,
      attempts: 0,
    }));
    await this.setIndexEntry(key, dueAt, job!.generation);
  }

  async cancel(key: string): Promise<void> {
    const job = await this.kv.update(jobKey(key), jobSchema, (current) =>
      current && current.state === 'pending' ? { ...current, state: 'done' as const, generation: current.generation + 1 } : UNCHANGED,
    );
    if (job) await this.removeIndexEntry(key, job.generation);
  }

  /** When the pending job `key` fires, or null. */
  async dueAt(key: string): Promise<number | null> {
    const job = await this.kv.get(jobKey(key), jobSchema);
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
      this.runDue().catch((err: unknown) => this.log.error('scheduler tick failed', { error: String(err) }));
      this.timer = setTimeout(tick, intervalMs * (0.75 + Math.random() / 2));
      this.timer.unref();
    };
    this.timer = setTimeout(tick, Math.random() * intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async runDueOnce(): Promise<number> {
    const shards = await this.kv.getMany(ALL_INDEX_KEYS, indexSchema);
    const now = this.now();
    const due = shards
      .flatMap((index) => Object.entries(index?.due ?? {}))
      .filter(([, entry]) => entry.at <= now)
      .sort((a, b) => a[1].at - b[1].at);
    let ran = 0;
    for (const [key, entry] of due) {
      if (await this.runOne(key, entry.gen)) ran++;
    }
    return ran;
  }

  private async runOne(key: string, indexedGeneration: number): Promise<boolean> {
    const now = this.now();
    let claimed: Job | null = null;
    const stored = await this.kv.update(jobKey(key), jobSchema, (job) => {
      claimed = null;
      if (!job || job.state !== 'pending' || job.dueAt > now) return UNCHANGED;
      if (job.claimedBy && (job.claimUntil ?? 0) > now) return UNCHANGED;
      claimed = { ...job, claimedBy: this.nodeId, claimUntil: now + CLAIM_MS, attempts: job.attempts + 1 };
      return claimed;
    });
    if (!stored || stored.state === 'done') {
      await this.removeIndexEntry(key, indexedGeneration);
      return false;
    }
    const job = claimed as Job | null;
    if (!job) return false;

    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job.payload, { key, dueAt: job.dueAt });
      await this.finish(job, false);
    } catch (err) {
      this.log.error('scheduled job failed', { key, kind: job.kind, attempt: job.attempts, error: String(err) });
      await this.finish(job, job.attempts < MAX_ATTEMPTS);
    }
    return true;
  }

  /** Marks the job done (or releases it for a retry) unless it was rescheduled meanwhile. */
  private async finish(job: Job, retry: boolean): Promise<void> {
    const after = await this.kv.update(jobKey(job.key), jobSchema, (current) => {
      if (!current || current.generation !== job.generation) return UNCHANGED;
      const released = { ...current, claimedBy: undefined, claimUntil: undefined };
      return retry ? { ...released, dueAt: this.now() + 30_000 * job.attempts } : { ...released, state: 'done' as const };
    });
    if (!after || after.generation !== job.generation) return;
    if (after.state === 'done') await this.removeIndexEntry(job.key, job.generation);
    else await this.setIndexEntry(job.key, after.dueAt, job.generation);
  }

  private async setIndexEntry(key: string, at: number, gen: number): Promise<void> {
    await this.kv.update(indexKeyOf(shardOf(key)), indexSchema, (index) => {
      const existing = index?.due[key];
      if (existing && existing.gen > gen) return UNCHANGED;
      return { v: 1 as const, due: { ...(index?.due ?? {}), [key]: { at, gen } } };
    });
  }

  /** Removes the index entry only if it still refers to generation `gen` or older. */
  private async removeIndexEntry(key: string, gen: number): Promise<void> {
    await this.kv.update(indexKeyOf(shardOf(key)), indexSchema, (index) => {
      const existing = index?.due[key];
      if (!index || !existing || existing.gen > gen) return UNCHANGED;
      const { [key]: _removed, ...rest } = index.due;
      return { v: 1 as const, due: rest };
    });
  }
}
