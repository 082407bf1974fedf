/**
 * GobEncoder: one per stream direction. Encoding is driven by a GoType description, so what we
 * send has exactly the kinds the Go receiver declares. See index.ts for the format notes.
 */
import { EncodePathError, GobError, describeJs } from './errors';
import { encoderFor, type InterfaceWriter } from './encode_plan';
import { GoTime, timeType } from './marshalers';
import { goTypeName, isByteSlice, typeKey } from './typekeys';
import {
  InterfaceValue, bool as boolType, bytes as bytesType, float64, iface, int64, mapOf, sliceOf,
  string as stringType,
  type GoType,
} from './types';
import { isPlainObject } from './values';
import { FIRST_OWN_ID, TypeId, writeWireType, type WireField, type WireType } from './wire';
import { ByteWriter } from './writer';

/** Room reserved in front of a value message for its length prefix (a uint takes at most 9 bytes). */
const MAX_UINT_SIZE = 9;

const anySlice = sliceOf(iface, '[]interface {}');
const anyMap = mapOf(stringType, iface, 'map[string]interface {}');

/** The Go type gob would record for a plain JS value put in an interface (see types.ts). */
export function inferInterfaceType(value: unknown): { name: string; type: GoType } {
  switch (typeof value) {
    case 'string': return { name: 'string', type: stringType };
    case 'boolean': return { name: 'bool', type: boolType };
    case 'number': return { name: 'float64', type: float64 };
    case 'bigint': return { name: 'int64', type: int64 };
    default: break;
  }
  if (value instanceof InterfaceValue) return { name: value.name, type: value.type };
  if (value instanceof Uint8Array) return { name: '[]uint8', type: bytesType };
  if (Array.isArray(value)) return { name: '[]interface {}', type: anySlice };
  if (value instanceof GoTime) return { name: 'time.Time', type: timeType };
  if (isPlainObject(value)) return { name: 'map[string]interface {}', type: anyMap };
  throw new EncodePathError(
    `cannot infer the Go type of ${describeJs(value)} in an interface; wrap it in interfaceValue(name, type, value)`,
  );
}

export class GobEncoder implements InterfaceWriter {
  private readonly w = new ByteWriter();
  /** Definitions discovered while encoding a value (concrete types of interface values). */
  private late: ByteWriter | undefined;
  private inValue = false;
  /** Type key → id, for every type defined on this stream. */
  private readonly sent = new Map<string, number>();
  private nextId = FIRST_OWN_ID;
  /** Keys defined during the current encode, forgotten again if it fails. */
  private added: string[] = [];

  /** Returns every byte to write for this value: new type definitions first, then the value message. */
  encode(type: GoType, value: unknown): Uint8Array {
    return this.encodeSequence(type, value);
  }

  /**
   * Encodes two values as one contiguous output (e.g. a net/rpc header and its body), so they can
   * be written with a single write. All or nothing: if either value fails, nothing is recorded as
   * sent and the error is thrown.
   */
  encodePair(firstType: GoType, first: unknown, secondType: GoType, second: unknown): Uint8Array {
    return this.encodeSequence(firstType, first, secondType, second);
  }

  private encodeSequence(type: GoType, value: unknown, secondType?: GoType, second?: unknown): Uint8Array {
    const w = this.w;
    w.begin();
    this.added = [];
    const idBefore = this.nextId;
    let current = type;
    try {
      let start = this.appendValue(type, value);
      if (secondType !== undefined) {
        current = secondType;
        const firstEnd = w.offset;
        const secondStart = this.appendValue(secondType, second);
        // Close the gap left between the two: shift the first (a small header, typically) right.
        const gap = secondStart - firstEnd;
        if (gap > 0) {
          w.move(start, firstEnd, start + gap);
          start += gap;
        }
      }
      const out = w.finish(start);
      const late = this.late;
      if (late === undefined || late.offset === 0) return out;
      // Definitions met inside interface values: any place before the value message is valid
      // (a Go decoder takes every leading definition message before the value), so put them first.
      return Buffer.concat([late.finish(0), out]);
    } catch (err) {
      this.inValue = false;
      for (const key of this.added) this.sent.delete(key);
      this.nextId = idBefore;
      w.abandon();
      this.late?.abandon();
      throw asGobError(err, current);
    }
  }

  /**
   * Appends new definitions and the value message at the writer's position; returns the offset
   * where this output begins (the definitions are moved up against the message's length prefix,
   * so a value is never copied after being encoded).
   */
  private appendValue(type: GoType, value: unknown): number {
    const w = this.w;
    const base = derefType(...concrete(type, value));
    const defsStart = w.offset;
    const id = this.typeId(base.type);
    const defsEnd = w.offset;
    w.skip(MAX_UINT_SIZE);
    const payload = w.offset;
    w.int(id);
    this.inValue = true;
    this.topLevel(w, base.type, base.value);
    this.inValue = false;
    const message = w.prefixLength(payload, MAX_UINT_SIZE);
    const defsLen = defsEnd - defsStart;
    if (defsLen > 0) w.move(defsStart, defsEnd, message - defsLen);
    return message - defsLen;
  }

  /**
   * A top-level value (or an interface's concrete value): structs as fields, everything else as a
   * singleton (delta 0, then the value). An interface type here comes from `ptr(iface)` — Go's
   * Encode(&x) with x an interface — and is sent as a singleton interface value, name and all.
   */
  private topLevel(w: ByteWriter, type: GoType, value: unknown): void {
    if (type.kind !== 'struct') w.uint(0);
    encoderFor(type)(this, w, value);
  }

  // ---- type definitions ----------------------------------------------------------------------

  /** The wire id of a type (pointers are flattened), defining it on this stream first if needed. */
  private typeId(type: GoType): number {
    let t = type;
    while (t.kind === 'pointer') t = t.elem;
    const simple = simpleId(t);
    if (simple !== 0) return simple;
    const key = typeKey(t);
    const known = this.sent.get(key);
    if (known !== undefined) return known;
    const defined: Array<{ id: number; wire: WireType }> = [];
    const id = this.assign(t, key, defined);
    const out = this.inValue ? (this.late ??= new ByteWriter()) : this.w;
    if (this.inValue && out.offset === 0) out.begin();
    for (const d of defined) {
      const start = out.skip(1);
      out.int(-d.id);
      writeWireType(out, d.wire, d.id);
      out.prefixLength(start + 1, 1);
    }
    return id;
  }

  /**
   * Assigns ids the way Go's type.go does (a struct before its fields, a slice/array/map after its
   * elements) and lists the definitions in the order Go sends them (a type, then its parts).
   */
  private assign(t: GoType, key: string, defined: Array<{ id: number; wire: WireType }>): number {
    const idOf = (part: GoType): number => {
      let p = part;
      while (p.kind === 'pointer') p = p.elem;
      const simple = simpleId(p);
      if (simple !== 0) return simple;
      const k = typeKey(p);
      return this.sent.get(k) ?? this.assign(p, k, defined);
    };
    const define = (id: number, wire: WireType, at: number): number => {
      this.sent.set(key, id);
      this.added.push(key);
      defined.splice(at, 0, { id, wire });
      return id;
    };
    const at = defined.length;
    switch (t.kind) {
      case 'struct': {
        const id = this.nextId++;
        this.sent.set(key, id);
        this.added.push(key);
        const slot = { id, wire: { kind: 'struct', name: t.name, fields: [] as WireField[] } as WireType };
        defined.push(slot);
        const fields: WireField[] = [];
        for (const f of t.fields()) fields.push({ name: f.name, id: idOf(f.type) });
        slot.wire = { kind: 'struct', name: t.name, fields };
        return id;
      }
      case 'slice': {
        const elem = idOf(t.elem);
        return define(this.nextId++, { kind: 'slice', name: goTypeName(t), elem }, at);
      }
      case 'array': {
        const elem = idOf(t.elem);
        return define(this.nextId++, { kind: 'array', name: goTypeName(t), elem, len: t.len }, at);
      }
      case 'map': {
        const k = idOf(t.key);
        const elem = idOf(t.elem);
        return define(this.nextId++, { kind: 'map', name: goTypeName(t), key: k, elem }, at);
      }
      case 'marshaler':
        return define(this.nextId++, { kind: t.wire, name: t.name }, at);
      default:
        throw new GobError(`gob: internal: no definition for ${t.kind}`);
    }
  }

  // ---- values ----------------------------------------------------------------------------------

  /**
   * An interface value: name, concrete type id, then the concrete value as at top level,
   * length-prefixed. Called by the compiled encoders for every non-nil interface value.
   */
  iface(w: ByteWriter, v: unknown): void {
    const { name, type } = inferInterfaceType(v);
    const concrete = v instanceof InterfaceValue ? v.value : v;
    if (name === '') throw new EncodePathError('an interface value needs a registered type name');
    const base = derefType(type, concrete);
    if (base.type.kind === 'interface') throw new EncodePathError(`interface value ${name} has no concrete type`);
    w.string(name);
    w.int(this.typeId(base.type));
    const lengthAt = w.skip(1);
    this.topLevel(w, base.type, base.value);
    w.prefixLength(lengthAt + 1, 1);
  }
}

/**
 * A top-level value described as an interface is sent as its concrete value, as Go's
 * Encoder.Encode(any) does (it never sees the interface).
 */
function concrete(type: GoType, value: unknown): [GoType, unknown] {
  if (type.kind !== 'interface') return [type, value];
  if (value === undefined || value === null) throw new EncodePathError('cannot encode a nil interface value');
  return [inferInterfaceType(value).type, value instanceof InterfaceValue ? value.value : value];
}

/** Strips pointers from a type (gob flattens them); a nil pointer has no value to send. */
function derefType(type: GoType, value: unknown): { type: GoType; value: unknown } {
  let t = type;
  while (t.kind === 'pointer') {
    if (value === undefined || value === null) {
      throw new EncodePathError(`cannot encode nil pointer of type ${goTypeName(type)}`);
    }
    t = t.elem;
  }
  return { type: t, value };
}

function simpleId(t: GoType): number {
  switch (t.kind) {
    case 'bool': return TypeId.Bool;
    case 'int': return TypeId.Int;
    case 'uint': return TypeId.Uint;
    case 'float': return TypeId.Float;
    case 'complex': return TypeId.Complex;
    case 'string': return TypeId.String;
    case 'bytes': return TypeId.Bytes;
    case 'interface': return TypeId.Interface;
    default: return isByteSlice(t) ? TypeId.Bytes : 0;
  }
}

/** The error callers see: a GobError naming the top-level type and the field path. */
function asGobError(err: unknown, type: GoType): GobError {
  if (err instanceof EncodePathError) {
    if (err.segments.length === 0) return new GobError(`gob: encoding ${goTypeName(type)}: ${err.problem}`);
    let t = type;
    while (t.kind === 'pointer') t = t.elem;
    if (t.kind === 'struct') err.within(t.name);
    return new GobError(`gob: ${err.message}`);
  }
  if (err instanceof GobError) return err;
  if (err instanceof RangeError) return new GobError(`gob: encoding ${goTypeName(type)}: ${err.message}`);
  throw err;
}
