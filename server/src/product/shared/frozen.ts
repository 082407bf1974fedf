/**
 * Makes a value read-only all the way down. Records the KV layer parsed are shared between
 * readers (kv.ts ParsedValues, snapshots.ts), so a caller that changed one in place would change
 * what others read: freezing turns that mistake into a TypeError where it happens.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
