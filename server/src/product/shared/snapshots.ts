import { z } from 'zod';
import { deepFreeze } from './frozen';

/** Parsed snapshots by the frozen object they came from, per schema (null: it did not parse). */
const parsedSnapshots = new WeakMap<object, Map<z.core.$ZodType, unknown>>();

/**
 * A snapshot an index entry or a set member carries (`d`), parsed by `schema`; null if it is
 * absent or unreadable. A record the KV layer read is frozen and, while its bytes stay the same,
 * the same object (kv.ts ParsedValues), so each snapshot in it is validated once, not on every
 * page that lists it. The value is frozen too: every caller gets the same one.
 */
export function parseSnapshot<S extends z.core.$ZodType>(schema: S, d: unknown): z.output<S> | null {
  if (typeof d !== 'object' || d === null) return null;
  const frozen = Object.isFrozen(d);
  const known = frozen ? parsedSnapshots.get(d) : undefined;
  if (known?.has(schema)) return known.get(schema) as z.output<S> | null;
  const parsed = z.safeParse(schema, d);
  const value = parsed.success ? deepFreeze(parsed.data) : null;
  if (frozen) {
    const bySchema = known ?? new Map<z.core.$ZodType, unknown>();
    bySchema.set(schema, value);
    parsedSnapshots.set(d, bySchema);
  }
  return value;
}
