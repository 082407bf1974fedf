/** JS classes for Go values that have no natural JS form. */
import type { MarshalerWire } from './wire';

/**
 * A GobEncoder / BinaryMarshaler / TextMarshaler value whose type the decoder does not know:
 * its raw bytes, kept so that encoding it again gives exactly what the peer sent.
 */
export class MarshaledValue {
  constructor(
    readonly wire: MarshalerWire,
    /** The (cosmetic) type name from the wire definition. */
    readonly typeName: string,
    readonly bytes: Uint8Array,
  ) {}
}

/** complex64 / complex128. */
export interface Complex {
  readonly real: number;
  readonly imag: number;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Sets a property even when the key is `__proto__` (map keys come from the peer). */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}
