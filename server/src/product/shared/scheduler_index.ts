/**
 * The scheduler's due-time index as keys (./scheduler.ts owns its records), and a watch over it
 * that needs neither zod nor the rest of the product: the lazy product (../lazy.ts) runs it from
 * activation until a job is due, then loads the product, whose scheduler runs the job.
 */
import type { PluginAPI } from '../../plugin/api/plugin_api';

/**
 * The due-time index is split into shards by job key, so rescheduling one job (every incident
 * status update resets a reminder) contends only with the jobs that share its shard.
 */
export const INDEX_SHARDS = 16;
export const INDEX_PREFIX = 'sched:index:';
export const indexKeyOf = (shard: number): string => `${INDEX_PREFIX}${shard}`;

export interface DueWatch {
  start(): void;
  stop(): void;
}

export interface DueWatchOptions {
  /** Called once when a job is due or a shard cannot be read as an index (the scheduler then reports or heals it). */
  onDue: () => void;
  intervalMs?: number | undefined;
  now?: (() => number) | undefined;
  random?: () => number;
}

/** Whether one shard's stored bytes hold a job due at `now`, or are not an index at all. */
export function shardNeedsScheduler(bytes: Uint8Array | null, now: number): boolean {
  if (bytes === null) return false;
  let index: unknown;
  try {
    index = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return true;
  }
  const due = (index as { due?: unknown } | null)?.due;
  if (typeof due !== 'object' || due === null) return true;
  return Object.values(due).some((entry) => typeof (entry as { at?: unknown } | null)?.at !== 'number' || (entry as { at: number }).at <= now);
}

/** Reads every shard each tick (jittered as the scheduler's own) and calls onDue once something is due. */
export function watchDueJobs(api: Pick<PluginAPI, 'kvGet' | 'logWarn'>, options: DueWatchOptions): DueWatch {
  const intervalMs = options.intervalMs ?? 10_000;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;

  const check = async (): Promise<boolean> => {
    const at = now();
    const shards = await Promise.all(Array.from({ length: INDEX_SHARDS }, (_, shard) => api.kvGet(indexKeyOf(shard))));
    return shards.some((bytes) => shardNeedsScheduler(bytes, at));
  };
  const schedule = (delay: number): void => {
    timer = setTimeout(() => {
      check().then(
        (due) => {
          if (stopped) return;
          if (due) {
            stopped = true;
            options.onDue();
          } else schedule(intervalMs * (0.75 + random() / 2));
        },
        (err: unknown) => {
          void api.logWarn('scheduler index not read this tick', { error: err instanceof Error ? err.message : String(err) });
          if (!stopped) schedule(intervalMs * (0.75 + random() / 2));
        },
      );
    }, delay);
    timer.unref();
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(random() * intervalMs);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
