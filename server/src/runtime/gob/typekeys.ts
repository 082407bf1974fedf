/**
 * Naming of described Go types: a stable key per distinct type (so a stream defines each type
 * once even when descriptions are rebuilt, e.g. `sliceOf(string)` inline), and Go-like names for
 * the cosmetic name field of type definitions.
 */
import type { GoType } from './types';

const keys = new WeakMap<GoType, string>();
let identities = 0;

/** A key equal for structurally equal unnamed types; structs and marshalers are keyed by identity. */
export function typeKey(t: GoType): string {
  const cached = keys.get(t);
  if (cached !== undefined) return cached;
  const key = computeKey(t, new Set());
  keys.set(t, key);
  return key;
}

function computeKey(t: GoType, visiting: Set<GoType>): string {
  const cached = keys.get(t);
  if (cached !== undefined) return cached;
  if (visiting.has(t)) {
    // A cycle not passing through a struct (only decoder-built types can do that): use identity.
    const key = `cycle#${++identities}`;
    keys.set(t, key);
    return key;
  }
  visiting.add(t);
  let key: string;
  switch (t.kind) {
    case 'bool': case 'string': case 'bytes': case 'interface':
      key = t.kind;
      break;
    case 'int': case 'uint': case 'float': case 'complex':
      key = t.kind; // gob does not distinguish sizes on the wire
      break;
    case 'pointer':
      key = computeKey(t.elem, visiting);
      break;
    case 'slice':
      key = isByteSlice(t) ? 'bytes' : `[]${computeKey(t.elem, visiting)}`;
      break;
    case 'array':
      key = `[${t.len}]${computeKey(t.elem, visiting)}`;
      break;
    case 'map':
      key = `map[${computeKey(t.key, visiting)}]${computeKey(t.elem, visiting)}`;
      break;
    case 'struct':
    case 'marshaler':
      key = `${t.kind}#${++identities}:${t.name}`;
      break;
  }
  visiting.delete(t);
  keys.set(t, key);
  return key;
}

export function isByteSlice(t: GoType): boolean {
  return t.kind === 'slice' && t.elem.kind === 'uint' && t.elem.bits === 8;
}

/** Go's reflect-style name of a described type, for messages and cosmetic wire names. */
export function goTypeName(t: GoType, depth = 0): string {
  if (depth > 20) return '…';
  switch (t.kind) {
    case 'bool': case 'string':
      return t.kind;
    case 'int': return `int${t.bits}`;
    case 'uint': return `uint${t.bits}`;
    case 'float': return `float${t.bits}`;
    case 'complex': return `complex${t.bits}`;
    case 'bytes': return '[]uint8';
    case 'interface': return 'interface {}';
    case 'pointer': return `*${goTypeName(t.elem, depth + 1)}`;
    case 'slice': return t.name ?? `[]${goTypeName(t.elem, depth + 1)}`;
    case 'array': return t.name ?? `[${t.len}]${goTypeName(t.elem, depth + 1)}`;
    case 'map': return t.name ?? `map[${goTypeName(t.key, depth + 1)}]${goTypeName(t.elem, depth + 1)}`;
    case 'struct': case 'marshaler':
      return t.name;
  }
}
