import { z } from 'zod';
import { deepFreeze } from './frozen';
import type { PluginAPI } from '../../plugin/api/plugin_api';
import { CorruptRecordError } from './errors';

export type KvApi = Pick<
  PluginAPI,
  'kvGet' | 'kvSetWithOptions' | 'kvDelete' | 'kvList'
>;

/** Returned by an update function to leave the record as it is (no write). */
export const UNCHANGED: unique symbol = Symbol('unchanged');
/** Returned by an update function to delete the record. */
export const DELETE: unique symbol = Symbol('delete');

export interface KvOptions {
  /** Upper bound on compare-and-set attempts under contention before giving up. */
  maxAttempts?: number;
  expireInSeconds?: number;
  /**
   * A record this repository read from the same key moments ago: the first attempt compares and
   * sets against the bytes it was read from instead of reading them again (one round trip less on
   * a request that has just read it); if the record changed since, that attempt fails and the
   * update reads afresh, as ever.
   */
  basis?: object;
}

const sequenceSchema = z.object({ v: z.literal(1), last: z.number().int().nonnegative() });

/**
 * Raw bytes of parsed records kept per process (ParsedValues): the hot large records at full size
 * (an active set, a metrics summary, the index chunks being written) fit. Measured at issue 12's
 * full size: with 2 MiB instead, a status update's CPU with its after-answer work rose from 76 to
 * 131 ms (the hot set no longer fits) for 10 MiB less RSS (237 against 247–252 MiB).
 */
const PARSED_BUDGET_BYTES = 4 * 1024 * 1024;
/** Smaller records parse in microseconds: not worth a slot. */
const PARSED_MIN_BYTES = 2048;

/**
 * The last parsed value of each large key with the bytes it came from, least recently used out
 * first. Every read still asks the KV store (values stay live across HA nodes); only parsing the
 * same bytes again is skipped.
 */
class ParsedValues {
  private readonly byKey = new Map<string, { raw: Uint8Array; schema: z.ZodType; value: unknown }>();
  private bytes = 0;

  constructor(private readonly budget: number) {}

  get(key: string, raw: Uint8Array, schema: z.ZodType): unknown {
    const hit = this.byKey.get(key);
    if (!hit || hit.schema !== schema || !sameBytes(hit.raw, raw)) return undefined;
    this.byKey.delete(key);
    this.byKey.set(key, hit);
    return hit.value;
  }

  put(key: string, raw: Uint8Array, schema: z.ZodType, value: unknown): void {
    this.forget(key);
    if (raw.byteLength < PARSED_MIN_BYTES || raw.byteLength > this.budget) return;
    this.byKey.set(key, { raw, schema, value });
    this.bytes += raw.byteLength;
    for (const [oldest, entry] of this.byKey) {
      if (this.bytes <= this.budget) break;
      this.byKey.delete(oldest);
      this.bytes -= entry.raw.byteLength;
    }
  }

  forget(key: string): void {
    const entry = this.byKey.get(key);
    if (!entry) return;
    this.byKey.delete(key);
    this.bytes -= entry.raw.byteLength;
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The one access path to the plugin KV store: JSON records validated by zod on every read, and
 * every write a compare-and-set against the bytes that were read (KVSetWithOptions atomic), so
 * concurrent writers on several HA nodes never lose an update. Conflicts retry with jittered
 * backoff, re-running the update function on the fresh value.
 */
export class KvRepository {
  /**
   * `onCorrupt` hears of every unreadable record that a reader chose to skip (`orSkip`), so one
   * place (shared/corrupt_records.ts) logs it once and lists it for `/infra doctor`.
   */
  /** The key and bytes each parsed record was read from (for `basis`); gone with the record. */
  private readonly readFrom = new WeakMap<object, { key: string; raw: Uint8Array }>();
  /** Large records as last parsed, by key: a read that returns the same bytes skips JSON and zod. */
  private readonly parsed = new ParsedValues(PARSED_BUDGET_BYTES);

  constructor(
    private readonly api: KvApi,
    private readonly onCorrupt: (err: CorruptRecordError) => void = () => {},
  ) {}

  /** For reads that serve many records: an unreadable record reads as absent, and is reported. */
  readonly orSkip = (err: unknown): null => {
    if (!(err instanceof CorruptRecordError)) throw err;
    this.onCorrupt(err);
    return null;
  };

  async get<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S> | null> {
    const raw = await this.api.kvGet(key);
    return raw === null ? null : this.parse(key, raw, schema);
  }

  /** Every unreadable record read is reported (logged once, listed by `/infra doctor`), skipped or not. */
  private parse<S extends z.ZodType>(key: string, raw: Uint8Array, schema: S): z.output<S> {
    const known = this.parsed.get(key, raw, schema);
    if (known !== undefined) return known as z.output<S>;
    try {
      const record = deepFreeze(parseRecord(key, raw, schema));
      this.remember(key, raw, schema, record);
      return record;
    } catch (err) {
      if (err instanceof CorruptRecordError) this.onCorrupt(err);
      throw err;
    }
  }

  /** Notes where a record came from (for `basis`) and keeps a large one parsed for the next read of the same bytes. */
  private remember(key: string, raw: Uint8Array, schema: z.ZodType, record: unknown): void {
    if (typeof record !== 'object' || record === null) return;
    this.readFrom.set(record, { key, raw });
    this.parsed.put(key, raw, schema, record);
  }

  /** Reads many keys concurrently (one KV call each); missing keys come back as null. */
  async getMany<S extends z.ZodType>(keys: readonly string[], schema: S): Promise<Array<z.output<S> | null>> {
    return Promise.all(keys.map((key) => this.get(key, schema)));
  }

  /** Inserts only if the key is absent. Returns false when it already existed. */
  async insert<S extends z.ZodType>(key: string, schema: S, value: z.input<S>, options: KvOptions = {}): Promise<boolean> {
    const { bytes } = encodeRecord(key, schema, value);
    return this.api.kvSetWithOptions(key, bytes, {
      Atomic: true,
      OldValue: null,
      ExpireInSeconds: options.expireInSeconds ?? 0,
    });
  }

  /**
   * Read → mutate → compare-and-set, retried on conflict. `mutate` may run several times, so it
   * must be pure apart from its return value (side effects belong after update() resolves).
   * Resolves with the value now stored (null if absent or deleted).
   */
  async update<S extends z.ZodType>(
    key: string,
    schema: S,
    mutate: (current: z.output<S> | null) => z.input<S> | typeof UNCHANGED | typeof DELETE,
    options: KvOptions = {},
  ): Promise<z.output<S> | null> {
    const maxAttempts = options.maxAttempts ?? 64;
    const known = options.basis ? this.readFrom.get(options.basis) : undefined;
    let basis = known?.key === key ? known.raw : undefined;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const raw = basis ?? (await this.api.kvGet(key));
      basis = undefined;
      const current = raw === null ? null : this.parse(key, raw, schema);
      const next = mutate(current);
      if (next === UNCHANGED) return current;
      if (next === DELETE) {
        if (raw === null) return null;
        if (await this.api.kvSetWithOptions(key, null, { Atomic: true, OldValue: raw })) {
          this.parsed.forget(key);
          return null;
        }
      } else {
        const { bytes, record } = encodeRecord(key, schema, next);
        const stored = await this.api.kvSetWithOptions(key, bytes, {
          Atomic: true,
          OldValue: raw,
          ExpireInSeconds: options.expireInSeconds ?? 0,
        });
        if (stored) {
          const frozen = deepFreeze(record);
          this.remember(key, bytes, schema, frozen);
          return frozen;
        }
      }
      await backoff(attempt);
    }
    throw new Error(`KV update of ${key} kept conflicting after ${maxAttempts} attempts`);
  }

  /** A team- or store-wide sequence (INC-042, RFC-007): strictly increasing, unique across nodes. */
  async nextSequence(key: string): Promise<number> {
    const stored = await this.update(key, sequenceSchema, (current) => ({ v: 1 as const, last: (current?.last ?? 0) + 1 }));
    return stored!.last;
  }

  async delete(key: string): Promise<void> {
    await this.api.kvDelete(key);
  }

  /** All keys with a prefix. O(all keys): for migrations and admin tools, never on a hot path. */
  async listKeys(prefix: string, perPage = 1000): Promise<string[]> {
    const found: string[] = [];
    for (let page = 0; ; page++) {
      const keys = await this.api.kvList(page, perPage);
      found.push(...keys.filter((k) => k.startsWith(prefix)));
      if (keys.length < perPage) return found;
    }
  }
}

function parseRecord<S extends z.ZodType>(key: string, raw: Uint8Array, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(raw));
  } catch (err) {
    throw new CorruptRecordError(key, `not JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new CorruptRecordError(key, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

function encodeRecord<S extends z.ZodType>(
  key: string,
  schema: S,
  value: z.input<S>,
): { bytes: Uint8Array; record: z.output<S> } {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    // A bug in our code, not bad user input: refuse to store something we could not read back.
    throw new Error(`refusing to store invalid record ${key}: ${parsed.error.message}`);
  }
  return { bytes: encoder.encode(JSON.stringify(parsed.data)), record: parsed.data };
}

function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(100, 2 ** Math.min(attempt, 7));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
