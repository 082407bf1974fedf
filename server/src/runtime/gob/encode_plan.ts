/**
 * Compiled value encoders: one function per described Go type, built once per process and cached
 * by description. Struct encoders are generated code with constant property names (see
 * compile.ts for why); everything else is a small closure. Zero-value omission follows Go's
 * encode.go exactly (see index.ts).
 */
import { EncodePathError, describeJs } from './errors';
import { goTypeName, isByteSlice } from './typekeys';
import type { GoType, MarshalerType, StructType } from './types';
import { MarshaledValue, isPlainObject, type Complex } from './values';
import type { ByteWriter } from './writer';

/** What compiled encoders need from the encoder of the stream (interface values define types). */
export interface InterfaceWriter {
  iface(w: ByteWriter, v: unknown): void;
}

export type EncodeFn = (e: InterfaceWriter, w: ByteWriter, v: unknown) => void;

const compiled = new WeakMap<GoType, EncodeFn>();

/** The encoder of a value that is always sent (top level, element, or a field known non-zero). */
export function encoderFor(t: GoType): EncodeFn {
  let fn = compiled.get(t);
  if (fn === undefined) {
    fn = compile(t);
    compiled.set(t, fn);
  }
  return fn;
}

/** Defers the lookup to the first call, so recursive descriptions compile. */
function lazy(t: GoType): EncodeFn {
  let fn: EncodeFn | undefined;
  return (e, w, v) => (fn ??= encoderFor(t))(e, w, v);
}

const INT_MIN: Record<number, number> = { 8: -0x80, 16: -0x8000, 32: -0x80000000, 64: -(2 ** 63) };
const INT_END: Record<number, number> = { 8: 0x80, 16: 0x8000, 32: 0x80000000, 64: 2 ** 63 };
const UINT_END: Record<number, number> = { 8: 0x100, 16: 0x10000, 32: 0x1_0000_0000, 64: 2 ** 64 };
const MAX_FLOAT32 = 3.4028234663852886e38;

function compile(t: GoType): EncodeFn {
  switch (t.kind) {
    case 'bool':
      return (_e, w, v) => {
        if (v === undefined || v === null) w.uint(0);
        else if (typeof v === 'boolean') w.uint(v ? 1 : 0);
        else throw mismatch('bool', v);
      };
    case 'int': {
      const bits = t.bits;
      // Bounds as locals: safe integers in range (nearly every value) take the short path.
      const min = Math.max(INT_MIN[bits]!, -(2 ** 52));
      const end = Math.min(INT_END[bits]!, 2 ** 52);
      return (_e, w, v) => {
        if (typeof v === 'number' && v >= min && v < end && Math.floor(v) === v) w.uint(v < 0 ? -2 * v - 1 : 2 * v);
        else writeInt(w, bits, v);
      };
    }
    case 'uint': {
      const bits = t.bits;
      const end = Math.min(UINT_END[bits]!, 2 ** 53);
      return (_e, w, v) => {
        if (typeof v === 'number' && v >= 0 && v < end && Math.floor(v) === v) w.uint(v);
        else writeUint(w, bits, v);
      };
    }
    case 'float': {
      const bits = t.bits;
      return (_e, w, v) => w.float(checkFloat(bits, v));
    }
    case 'complex': {
      const bits = t.bits === 64 ? 32 : 64;
      return (_e, w, v) => {
        if (v === undefined || v === null) {
          w.uint(0);
          w.uint(0);
          return;
        }
        const c = v as Partial<Complex>;
        if (typeof v !== 'object' || typeof c.real !== 'number' || typeof c.imag !== 'number') throw mismatch(`complex${t.bits}`, v);
        w.float(checkFloat(bits, c.real));
        w.float(checkFloat(bits, c.imag));
      };
    }
    case 'string':
      return (_e, w, v) => {
        if (typeof v === 'string') w.string(v);
        else if (v === undefined || v === null) w.uint(0);
        else throw mismatch('string', v);
      };
    case 'bytes':
      return (_e, w, v) => writeBytes(w, v);
    case 'slice':
      if (isByteSlice(t)) return (_e, w, v) => writeBytes(w, v);
      return listEncoder(lazy(t.elem), -1, `[]${goTypeName(t.elem)}`);
    case 'array':
      return listEncoder(lazy(t.elem), t.len, `[${t.len}]${goTypeName(t.elem)}`);
    case 'map':
      return mapEncoder(t.key, lazy(t.key), lazy(t.elem), goTypeName(t));
    case 'struct':
      return structEncoder(t);
    case 'pointer': {
      const elem = lazy(t.elem);
      const name = goTypeName(t);
      return (e, w, v) => {
        if (v === undefined || v === null) throw new EncodePathError(`cannot encode a nil ${name} element`);
        elem(e, w, v);
      };
    }
    case 'interface':
      return (e, w, v) => {
        if (v === undefined || v === null) w.uint(0);
        else e.iface(w, v);
      };
    case 'marshaler':
      return (_e, w, v) => w.bytes(marshal(t, v));
  }
}

function listEncoder(elem: EncodeFn, len: number, name: string): EncodeFn {
  return (e, w, v) => {
    if (v === undefined || v === null) {
      if (len <= 0) {
        w.uint(0);
        return;
      }
      v = new Array<undefined>(len);
    }
    if (!Array.isArray(v)) throw mismatch(name, v);
    if (len >= 0 && v.length !== len) throw new EncodePathError(`expected an array of length ${len}, got ${v.length}`);
    const n = v.length;
    w.uint(n);
    let i = 0;
    try {
      for (; i < n; i++) elem(e, w, v[i]);
    } catch (err) {
      throw pathError(err).within(`[${i}]`);
    }
  };
}

function mapEncoder(keyType: GoType, key: EncodeFn, elem: EncodeFn, name: string): EncodeFn {
  const entry = (e: InterfaceWriter, w: ByteWriter, k: unknown, x: unknown): void => {
    try {
      key(e, w, k);
      elem(e, w, x);
    } catch (err) {
      throw pathError(err).within(`[${typeof k === 'string' ? JSON.stringify(k) : String(k)}]`);
    }
  };
  return (e, w, v) => {
    if (v === undefined || v === null) {
      w.uint(0);
      return;
    }
    if (v instanceof Map) {
      w.uint(v.size);
      for (const [k, x] of v) entry(e, w, k, x);
      return;
    }
    if (!isPlainObject(v) || keyType.kind !== 'string') throw mismatch(name, v);
    const keys = Object.keys(v);
    w.uint(keys.length);
    for (const k of keys) entry(e, w, k, v[k]);
  };
}

/** The omission test of a field, as a JS expression over `x` (or a call of omit[i]). */
function omitExpression(t: GoType, i: number): string {
  let base = t;
  while (base.kind === 'pointer') base = base.elem;
  const nil = 'x === undefined || x === null';
  switch (base.kind) {
    case 'bool': return `${nil} || x === false`;
    case 'int': case 'uint': return `${nil} || x === 0 || x === 0n`;
    case 'float': return `${nil} || x === 0`;
    case 'string': return `${nil} || x === ''`;
    case 'map': case 'interface': return nil;
    case 'struct': case 'array': return t.kind === 'pointer' ? nil : 'false';
    default: return `omit[${i}](x)`;
  }
}

function structEncoder(t: StructType): EncodeFn {
  const name = t.name;
  let fields: ReturnType<StructType['fields']> | undefined;
  let generated: EncodeFn | undefined;
  // Generated on first use: the field list of a recursive type is only complete by then.
  return (e, w, v) => {
    if (generated === undefined) {
      fields = t.fields();
      generated = generateStruct(name, fields);
    }
    generated(e, w, v);
  };
}

function generateStruct(name: string, fields: ReturnType<StructType['fields']>): EncodeFn {
  const lines = fields.map((f, i) => {
    const key = JSON.stringify(f.name);
    // Names Object.prototype also has (only a peer could choose them: Go fields are capitalised)
    // must not read inherited properties.
    const read = f.name in Object.prototype ? `(Object.hasOwn(v, ${key}) ? v[${key}] : undefined)` : `v[${key}]`;
    return `i = ${i}; x = ${read}; if (!(${omitExpression(f.type, i)})) { w.uint(${i} - last); last = ${i}; fe[${i}](e, w, x); }`;
  });
  const source = `
    return function encodeStruct(e, w, v) {
      if (v === undefined || v === null) v = EMPTY;
      else if (typeof v !== 'object' || Array.isArray(v)) throw notStruct(v);
      var last = -1, i = -1, x;
      try {
        ${lines.join('\n        ')}
      } catch (err) {
        throw at(err, i);
      }
      w.uint(0);
    };`;
  const fe = fields.map((f) => {
    let base = f.type;
    while (base.kind === 'pointer') base = base.elem;
    return lazy(base);
  });
  const omit = fields.map((f) => (x: unknown) => isOmitted(f.type, x));
  const at = (err: unknown, i: number): EncodePathError => pathError(err).within(fields[i]?.name ?? '?');
  const notStruct = (v: unknown): EncodePathError => new EncodePathError(`expected struct ${name}, got ${describeJs(v)}`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated codec; names enter only as JSON literals (compile.ts)
  const make = new Function('fe', 'omit', 'at', 'notStruct', 'EMPTY', source) as (
    fe: EncodeFn[], omit: Array<(x: unknown) => boolean>, at: (err: unknown, i: number) => EncodePathError,
    notStruct: (v: unknown) => EncodePathError, empty: object,
  ) => EncodeFn;
  return make(fe, omit, at, notStruct, Object.freeze({}));
}

/** Whether Go omits this struct field: zero values, nil pointers, nil maps, empty slices. */
export function isOmitted(t: GoType, v: unknown): boolean {
  if (v === undefined || v === null) return t.kind !== 'struct' && t.kind !== 'array';
  switch (t.kind) {
    case 'bool': return v === false;
    case 'int': case 'uint': return v === 0 || v === 0n;
    case 'float': return v === 0;
    case 'complex': {
      const c = v as Partial<Complex>;
      return c.real === 0 && c.imag === 0;
    }
    case 'string': return v === '';
    case 'bytes': case 'slice': return (Array.isArray(v) || v instanceof Uint8Array) && v.length === 0;
    case 'pointer': return isOmitted(t.elem, v);
    case 'marshaler': return !(v instanceof MarshaledValue) && t.isZero(v);
    default: return false; // arrays, maps (non-nil), structs and non-nil interfaces are sent
  }
}

export function writeInt(w: ByteWriter, bits: number, v: unknown): void {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < INT_MIN[bits]! || v >= INT_END[bits]!) {
      throw new EncodePathError(`value ${v} out of range for int${bits}`);
    }
    w.int(v);
  } else if (typeof v === 'bigint') {
    const limit = 1n << BigInt(bits - 1);
    if (v < -limit || v >= limit) throw new EncodePathError(`value ${v} out of range for int${bits}`);
    w.intBig(v);
  } else if (v === undefined || v === null) {
    w.uint(0);
  } else {
    throw mismatch(`int${bits}`, v);
  }
}

export function writeUint(w: ByteWriter, bits: number, v: unknown): void {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v >= UINT_END[bits]!) {
      throw new EncodePathError(`value ${v} out of range for uint${bits}`);
    }
    if (v <= 2 ** 53) w.uint(v);
    else w.uintBig(BigInt(v));
  } else if (typeof v === 'bigint') {
    if (v < 0n || v >= 1n << BigInt(bits)) throw new EncodePathError(`value ${v} out of range for uint${bits}`);
    w.uintBig(v);
  } else if (v === undefined || v === null) {
    w.uint(0);
  } else {
    throw mismatch(`uint${bits}`, v);
  }
}

function checkFloat(bits: number, v: unknown): number {
  if (typeof v === 'number') {
    if (bits === 64) return v;
    // Go's decoder rejects finite values beyond float32's range; in range, Go rounds like fround.
    if (Number.isFinite(v) && Math.abs(v) > MAX_FLOAT32) throw new EncodePathError(`value ${v} out of range for float32`);
    return Math.fround(v);
  }
  if (v === undefined || v === null) return 0;
  throw mismatch(`float${bits}`, v);
}

function writeBytes(w: ByteWriter, v: unknown): void {
  if (v instanceof Uint8Array) w.bytes(v);
  else if (v === undefined || v === null) w.uint(0);
  else if (Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) w.bytes(Uint8Array.from(v as number[]));
  else throw mismatch('[]byte', v);
}

function marshal(t: MarshalerType, v: unknown): Uint8Array {
  if (v instanceof MarshaledValue) {
    if (v.wire !== t.wire) throw new EncodePathError(`${t.name}: raw ${v.wire} marshaler bytes given for a ${t.wire} marshaler`);
    return v.bytes;
  }
  try {
    return t.marshal(v);
  } catch (err) {
    throw new EncodePathError(`${t.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function mismatch(expected: string, v: unknown): EncodePathError {
  return new EncodePathError(`expected ${expected}, got ${describeJs(v)}`);
}

export function pathError(err: unknown): EncodePathError {
  if (err instanceof EncodePathError) return err;
  if (err instanceof RangeError) throw err; // stack overflow (a cyclic value): reported at the top
  return new EncodePathError(err instanceof Error ? err.message : String(err));
}
