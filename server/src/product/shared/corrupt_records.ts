import { z } from 'zod';
import type { Logger } from './logger';
import { CorruptRecordError } from './errors';
import { type KvRepository, UNCHANGED } from './kv';

/** Where the list of unreadable records lives, shared by every node (`/infra doctor` reads it). */
export const CORRUPT_RECORDS_KEY = 'doctor:corrupt';
/** Bounded: a store full of bad records needs a human anyway, and the list must stay one small record. */
export const MAX_CORRUPT_RECORDS = 100;
const MAX_DETAIL = 300;
/** Keys this process remembers having logged; past this the oldest are forgotten (and may log again). */
const MAX_REMEMBERED = 1_000;

const entrySchema = z.object({
  key: z.string(),
  detail: z.string(),
  firstSeenAt: z.number(),
  /** The last time a process saw it for the first time (each process reports a key once). */
  lastSeenAt: z.number(),
});
const registrySchema = z.object({ v: z.literal(1), entries: z.array(entrySchema) });
export type CorruptRecordEntry = z.output<typeof entrySchema>;

/**
 * Unreadable KV records (bad JSON, a failed schema check) seen by this process: each is logged
 * once with its key, not on every read or scheduler tick, and added to a bounded list in the KV
 * store so an admin can see them all from any node. Reporting never throws: a broken record must
 * not be made worse by a broken report of it.
 */
export class CorruptRecords {
  /** key → the detail already logged by this process. */
  private readonly seen = new Map<string, string>();
  /** KV writes one after another, so this process's own reports never contend with each other. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly kv: KvRepository,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** Logs and records `key` the first time this process sees it unreadable (or unreadable differently). */
  report(key: string, detail: string): Promise<void> {
    const short = detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL - 1)}…` : detail;
    if (this.seen.get(key) === short) return this.writes;
    this.seen.delete(key);
    this.seen.set(key, short);
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    this.log.error('unreadable KV record skipped', { key, detail: short });
    return this.enqueue(() => this.persist(key, short));
  }

  reportError(err: CorruptRecordError): Promise<void> {
    return this.report(err.key, err.message);
  }

  /** The record at `key` was replaced or became readable again: drop it from the list. */
  resolve(key: string): Promise<void> {
    this.seen.delete(key);
    return this.enqueue(async () => {
      await this.kv.update(CORRUPT_RECORDS_KEY, registrySchema, (registry) =>
        registry?.entries.some((e) => e.key === key) ? { v: 1 as const, entries: registry.entries.filter((e) => e.key !== key) } : UNCHANGED,
      );
    });
  }

  /** Every listed record, newest first. */
  list(): Promise<CorruptRecordEntry[]> {
    return listCorruptRecords(this.kv);
  }

  private enqueue(write: () => Promise<void>): Promise<void> {
    this.writes = this.writes.then(write).catch((err: unknown) => {
      this.log.warn('could not update the list of unreadable records', { error: err instanceof Error ? err.message : String(err) });
    });
    return this.writes;
  }

  private async persist(key: string, detail: string): Promise<void> {
    const now = this.now();
    const write = (registry: z.output<typeof registrySchema> | null): z.input<typeof registrySchema> => {
      const previous = registry?.entries.find((e) => e.key === key);
      const entry = { key, detail, firstSeenAt: previous?.firstSeenAt ?? now, lastSeenAt: now };
      const others = (registry?.entries ?? []).filter((e) => e.key !== key);
      return { v: 1, entries: [entry, ...others].slice(0, MAX_CORRUPT_RECORDS) };
    };
    try {
      await this.kv.update(CORRUPT_RECORDS_KEY, registrySchema, write);
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) throw err;
      // The list itself is unreadable. It is only a diagnostic: start it again with this entry.
      this.log.error('the list of unreadable records was itself unreadable and is started afresh', { key: CORRUPT_RECORDS_KEY, detail: err.message });
      await this.kv.delete(CORRUPT_RECORDS_KEY);
      await this.kv.update(CORRUPT_RECORDS_KEY, registrySchema, write);
    }
  }
}

/** The unreadable records any node has reported, newest first (for `/infra doctor`). */
export async function listCorruptRecords(kv: KvRepository): Promise<CorruptRecordEntry[]> {
  try {
    const registry = await kv.get(CORRUPT_RECORDS_KEY, registrySchema);
    return [...(registry?.entries ?? [])].sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  } catch (err) {
    if (!(err instanceof CorruptRecordError)) throw err;
    return [{ key: CORRUPT_RECORDS_KEY, detail: err.message, firstSeenAt: 0, lastSeenAt: 0 }];
  }
}

const registries = new WeakMap<KvRepository, CorruptRecords>();

/** The one registry of a KV store in this process, so "logged once" holds across features. */
export function corruptRecordsFor(kv: KvRepository, log: Logger, now: () => number): CorruptRecords {
  let registry = registries.get(kv);
  if (!registry) {
    registry = new CorruptRecords(kv, log, now);
    registries.set(kv, registry);
  }
  return registry;
}
