import { z } from 'zod';

/**
 * A record keyed by ids that come and go (the scheduler's job keys), parsed into an object with no
 * prototype. V8 keeps such an object as a hash table from the start. zod's record output is a
 * plain object that V8 keeps in fast mode, and each key added makes a new hidden class: every set
 * of keys gets its own chain, and freezing copies the chain's descriptors. A parsed record kept and
 * frozen by the KV layer (kv.ts) then holds its whole chain. At issue 12's full size the
 * scheduler's 16 index shards (~700 job keys each) held 89 MB of descriptor arrays in a 126 MB heap.
 */
export function dictionaryOf<V extends z.ZodType>(value: V) {
  return z.record(z.string(), value).transform((entries) => copyOf(entries));
}

/** A copy to change before writing it back, also with no prototype (so no hidden classes either). */
export function copyOf<T>(entries: Readonly<Record<string, T>> | null | undefined): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}
