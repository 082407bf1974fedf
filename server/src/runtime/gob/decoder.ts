/**
 * GobDecoder: one per stream direction, streaming and description-free. Feed bytes with push(),
 * take values with next(). A port of Go's decoder.go message handling (decodeTypeSequence),
 * with limits so hostile input fails with a GobError instead of hanging or exhausting memory.
 */
import { GobError } from './errors';
import { GoTime, defaultMarshalers } from './marshalers';
import { MessageReader } from './reader';
import {
  InterfaceValue, bool, bytes, complex128, float64, iface, int64, string, struct, uint64,
  type GoType, type MarshalerType,
} from './types';
import { compileStruct } from './compile';
import { MarshaledValue, setKey } from './values';
import { FIRST_USER_ID, TypeId, readWireType, type WireType } from './wire';

export interface GobDecoderOptions {
  /** Largest message accepted (Go's decoder: 8 GiB on 64-bit, 1 GiB on 32-bit). Default 64 MiB. */
  readonly maxMessageSize?: number;
  /** Deepest nesting of composite values accepted. Default 1000. */
  readonly maxDepth?: number;
  /** Most type definitions one stream may make. Default 100 000. */
  readonly maxTypes?: number;
  /** Marshaler codecs by wire type name; default: time.Time ("Time"). */
  readonly marshalers?: ReadonlyMap<string, MarshalerType>;
}

// Module-local copies: a cross-module constant costs a getter call per use in the hot paths.
const T_BOOL = TypeId.Bool;
const T_INT = TypeId.Int;
const T_UINT = TypeId.Uint;
const T_FLOAT = TypeId.Float;
const T_BYTES = TypeId.Bytes;
const T_STRING = TypeId.String;
const T_COMPLEX = TypeId.Complex;
const T_INTERFACE = TypeId.Interface;

type Decode = (depth: number) => unknown;

const DEFAULT_MAX_MESSAGE = 64 * 1024 * 1024;
const MAX_INTERFACE_NAME = 1024;
/** Thrown (not an Error: cheap) when the next message is not fully buffered yet. */
const NEED_MORE: unique symbol = Symbol('need more bytes');
const EMPTY = Buffer.alloc(0);

export class GobDecoder {
  private readonly maxMessageSize: number;
  private readonly maxDepth: number;
  private readonly maxTypes: number;
  private readonly marshalers: ReadonlyMap<string, MarshalerType>;

  /** Buffered input: bytes [start, end) of buf are not consumed yet. */
  private buf: Buffer = EMPTY;
  private start = 0;
  private end = 0;
  private owned = false;

  private readonly types = new Map<number, WireType>();
  private readonly goTypes = new Map<number, GoType>();
  private readonly decoders = new Map<number, Decode>();
  /** Ids defined while decoding the current value (undone if it needs more bytes). */
  private attemptTypes: number[] = [];
  /** Where the message after the current one starts (Go's decoder pulls it in for interfaces). */
  private cursor = 0;
  /** Where the incomplete message that stopped the last attempt ends (set with NEED_MORE). */
  private neededEnd = 0;
  /**
   * Bytes (from `start`) that must be buffered before a value that stopped for more input is
   * tried again. A value split over several messages is decoded from its first message on each
   * attempt, so retrying on every received chunk would cost its size per chunk.
   */
  private wanted = 0;
  private readonly r = new MessageReader(EMPTY);
  private failure: GobError | undefined;

  constructor(options: GobDecoderOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE;
    this.maxDepth = options.maxDepth ?? 1000;
    this.maxTypes = options.maxTypes ?? 100_000;
    this.marshalers = options.marshalers ?? defaultMarshalers;
  }

  /** The error that stopped this decoder, if any: a failed decoder stays failed. */
  get error(): GobError | undefined {
    return this.failure;
  }

  /** Bytes received and not yet decoded. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Adds received bytes. The chunk is not referenced any more once next() has returned undefined. */
  push(chunk: Uint8Array): void {
    if (this.failure || chunk.length === 0) return;
    const c = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.start === this.end) {
      // Nothing pending: decode straight from the caller's chunk (values never alias it).
      this.buf = c;
      this.start = 0;
      this.end = c.length;
      this.owned = false;
      return;
    }
    const used = this.end - this.start;
    if (!this.owned || this.end + c.length > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(64 * 1024, (used + c.length) * 2));
      this.buf.copy(next, 0, this.start, this.end);
      this.buf = next;
      this.start = 0;
      this.end = used;
      this.owned = true;
    }
    c.copy(this.buf, this.end);
    this.end += c.length;
  }

  /**
   * The next complete value, or undefined when more bytes are needed. Throws a GobError when the
   * input is invalid; from then on every call throws that same error.
   */
  next(): { value: unknown } | undefined {
    if (this.failure) throw this.failure;
    if (this.end - this.start < this.wanted) return undefined;
    try {
      const item = this.decodeItem();
      if (item === undefined) this.keepRest();
      return item;
    } catch (err) {
      if (err === NEED_MORE) {
        for (const id of this.attemptTypes) {
          this.types.delete(id);
          this.goTypes.delete(id);
          this.decoders.delete(id);
        }
        this.attemptTypes = [];
        this.wanted = this.neededEnd - this.start;
        this.keepRest();
        return undefined;
      }
      this.failure = err instanceof GobError ? err
        : err instanceof RangeError ? new GobError(`gob: value too deeply nested or too large: ${err.message}`)
        : new GobError(`gob: ${err instanceof Error ? err.message : String(err)}`);
      this.buf = EMPTY;
      this.start = this.end = 0;
      throw this.failure;
    }
  }

  /**
   * Copies a partial message out of the caller's chunk before handing control back, so callers
   * may reuse their buffers once next() has returned (only the unfinished tail is ever copied).
   */
  private keepRest(): void {
    if (this.owned || this.start === this.end) return;
    const rest = Buffer.allocUnsafe(Math.max(4096, this.end - this.start));
    this.buf.copy(rest, 0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    this.buf = rest;
    this.owned = true;
  }

  // ---- messages ------------------------------------------------------------------------------

  /** Makes the reader hold the message starting at `at`; returns where the next one starts. */
  private loadMessage(at: number): number {
    const buf = this.buf;
    if (at >= this.end) return this.needMore(at + 1);
    const b = buf[at]!;
    let len: number;
    let from: number;
    if (b < 0x80) {
      len = b;
      from = at + 1;
    } else {
      const n = 256 - b;
      if (n > 8) throw new GobError(`gob: invalid message length byte 0x${b.toString(16)}`);
      if (this.end - at - 1 < n) return this.needMore(at + 1 + n);
      len = 0;
      for (let i = 1; i <= n; i++) len = len * 256 + buf[at + i]!;
      from = at + 1 + n;
    }
    if (len > this.maxMessageSize) {
      throw new GobError(`gob: message of ${len} bytes exceeds the limit of ${this.maxMessageSize}`);
    }
    if (len === 0) throw new GobError('gob: empty message');
    if (from + len - this.start > 2 * this.maxMessageSize) {
      throw new GobError('gob: value spans too many bytes');
    }
    if (this.end - from < len) return this.needMore(from + len);
    this.r.reset(buf, from, from + len);
    return from + len;
  }

  private needMore(end: number): never {
    this.neededEnd = end;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a sentinel caught two frames up; an Error would capture a stack per partial read
    throw NEED_MORE;
  }

  private decodeItem(): { value: unknown } | undefined {
    const r = this.r;
    this.attemptTypes = [];
    // Leading type definitions are whole messages: take them one at a time, so that waiting
    // for the value's bytes never means reading them again.
    let id: number;
    for (;;) {
      if (this.start >= this.end) return undefined;
      let next: number;
      try {
        next = this.loadMessage(this.start);
      } catch (err) {
        if (err === NEED_MORE) return undefined;
        throw err;
      }
      id = r.int();
      if (id >= 0) {
        this.cursor = next;
        break;
      }
      this.recvType(-id, false);
      if (r.remaining > 0) throw new GobError('gob: extra data in buffer after a type definition');
      this.start = next;
    }
    const value = this.topLevel(id, 0);
    // Go ignores anything left in the value's last message; so do we.
    this.start = this.cursor;
    this.attemptTypes = [];
    this.wanted = 0;
    if (this.start === this.end) {
      this.buf = EMPTY;
      this.start = this.end = 0;
    }
    return { value };
  }

  private recvType(id: number, inValue: boolean): void {
    if (id < FIRST_USER_ID || this.types.has(id)) throw new GobError('gob: duplicate type received');
    if (this.types.size >= this.maxTypes) throw new GobError(`gob: more than ${this.maxTypes} type definitions`);
    this.types.set(id, readWireType(this.r));
    if (inValue) this.attemptTypes.push(id);
  }

  /** Go's decodeTypeSequence(isInterface = true): may pull in the following messages. */
  private interfaceTypeSequence(): number {
    const r = this.r;
    for (;;) {
      if (r.remaining === 0) this.cursor = this.loadMessage(this.cursor);
      const id = r.int();
      if (id >= 0) return id;
      this.recvType(-id, true);
      // A delimited value may follow the definition in the same message: skip its count.
      if (r.remaining > 0) r.uint();
    }
  }

  // ---- values --------------------------------------------------------------------------------

  private wire(id: number): WireType {
    const t = this.types.get(id);
    if (t === undefined) throw new GobError(`gob: unknown type id ${id}`);
    return t;
  }

  /** A top-level value (or an interface's concrete value): struct fields, or delta 0 + value. */
  private topLevel(id: number, depth: number): unknown {
    if (id > T_INTERFACE && this.wire(id).kind === 'struct') return this.value(id, depth);
    const delta = this.r.uint();
    if (delta !== 0) throw new GobError('gob: corrupted data: non-zero delta for singleton');
    return this.value(id, depth);
  }

  private value(id: number, depth: number): unknown {
    return (this.decoders.get(id) ?? this.compile(id))(depth);
  }

  /**
   * A decode function per wire type id, built on first use (definitions may name ids defined
   * later, so nothing is resolved before a value needs it). Struct decoders are generated code:
   * a switch over field numbers with constant property names, which V8 turns into fast stores.
   */
  private compile(id: number): Decode {
    const r = this.r;
    let fn: Decode;
    switch (id) {
      case T_BOOL: fn = () => r.bool(); break;
      case T_INT: fn = () => r.intValue(); break;
      case T_UINT: fn = () => r.uintValue(); break;
      case T_FLOAT: fn = () => r.float(); break;
      case T_BYTES: fn = () => r.bytes(); break;
      case T_STRING: fn = () => r.string(); break;
      case T_COMPLEX: fn = () => ({ real: r.float(), imag: r.float() }); break;
      case T_INTERFACE: fn = (depth) => this.iface(depth); break;
      default: fn = this.compileUser(id, this.wire(id));
    }
    this.decoders.set(id, fn);
    return fn;
  }

  /** A decoder for `id` that is looked up when first called (the id may not be defined yet). */
  private lazy(id: number): Decode {
    let resolved: Decode | undefined;
    return (depth) => (resolved ??= this.decoders.get(id) ?? this.compile(id))(depth);
  }

  private compileUser(id: number, t: WireType): Decode {
    const r = this.r;
    const maxDepth = this.maxDepth;
    const deep = (): never => {
      throw new GobError(`gob: values nested deeper than ${maxDepth}`);
    };
    switch (t.kind) {
      case 'struct':
        return compileStruct(t.name, t.fields, r, (fieldId) => this.lazy(fieldId), maxDepth);
      case 'slice': {
        const elem = this.lazy(t.elem);
        if (t.elem === T_STRING) {
          return (depth) => {
            if (depth >= maxDepth) deep();
            const n = r.count('slice element');
            const out = new Array<unknown>(n);
            for (let i = 0; i < n; i++) out[i] = r.string();
            return out;
          };
        }
        return (depth) => {
          if (depth >= maxDepth) deep();
          const n = r.count('slice element');
          const out = new Array<unknown>(n);
          for (let i = 0; i < n; i++) out[i] = elem(depth + 1);
          return out;
        };
      }
      case 'array': {
        const elem = this.lazy(t.elem);
        const len = t.len;
        return (depth) => {
          if (depth >= maxDepth) deep();
          const n = r.count('array element');
          if (n !== len) throw new GobError(`gob: length mismatch in array: got ${n}, want ${len}`);
          const out = new Array<unknown>(n);
          for (let i = 0; i < n; i++) out[i] = elem(depth + 1);
          return out;
        };
      }
      case 'map': {
        const key = this.lazy(t.key);
        const elem = this.lazy(t.elem);
        if (t.key === T_STRING) {
          return (depth) => {
            if (depth >= maxDepth) deep();
            const n = r.count('map entry', 2);
            const obj: Record<string, unknown> = {};
            for (let i = 0; i < n; i++) {
              const k = r.string();
              setKey(obj, k, elem(depth + 1));
            }
            return obj;
          };
        }
        return (depth) => {
          if (depth >= maxDepth) deep();
          const n = r.count('map entry', 2);
          const map = new Map<unknown, unknown>();
          for (let i = 0; i < n; i++) {
            const k = key(depth + 1);
            map.set(k, elem(depth + 1));
          }
          return map;
        };
      }
      default: {
        const wire = t.kind;
        const name = t.name;
        const codec = this.marshalers.get(name);
        const known = codec !== undefined && codec.wire === wire ? codec : undefined;
        return () => {
          const raw = r.bytes();
          if (known !== undefined) {
            try {
              return known.unmarshal(raw);
            } catch {
              // Names are only hints in gob: bytes the codec rejects stay raw.
            }
          }
          return new MarshaledValue(wire, name, raw);
        };
      }
    }
  }

  private iface(depth: number): unknown {
    const r = this.r;
    const nameLen = r.count('interface name');
    if (nameLen === 0) return null;
    if (nameLen > MAX_INTERFACE_NAME) throw new GobError(`gob: interface type name too long (${nameLen} bytes)`);
    const name = r.take(nameLen, 'interface name').toString('utf8');
    if (depth >= this.maxDepth) throw new GobError(`gob: values nested deeper than ${this.maxDepth}`);
    const id = this.interfaceTypeSequence();
    r.uint(); // byte count of the value: only needed to skip it
    const value = this.topLevel(id, depth + 1);
    return this.interfaceValue(name, id, value);
  }

  /** Plain JS when inferInterfaceType would give the same Go type back, else an InterfaceValue. */
  private interfaceValue(name: string, id: number, value: unknown): unknown {
    switch (name) {
      case 'string': if (id === T_STRING) return value; break;
      case 'bool': if (id === T_BOOL) return value; break;
      case 'float64': if (id === T_FLOAT) return value; break;
      case 'int64': if (id === T_INT) return BigInt(value as number | bigint); break;
      case '[]uint8': if (id === T_BYTES) return value; break;
      case '[]interface {}': {
        const t = this.types.get(id);
        if (t?.kind === 'slice' && t.elem === T_INTERFACE) return value;
        break;
      }
      case 'map[string]interface {}': {
        const t = this.types.get(id);
        if (t?.kind === 'map' && t.key === T_STRING && t.elem === T_INTERFACE) return value;
        break;
      }
      case 'time.Time':
        if (value instanceof GoTime && this.types.get(id)?.kind === 'gob') return value;
        break;
      default: break;
    }
    return new InterfaceValue(name, this.goTypeOf(id), value);
  }

  /** A GoType equivalent to a wire type, so values decoded from an interface re-encode exactly. */
  private goTypeOf(id: number): GoType {
    switch (id) {
      case T_BOOL: return bool;
      case T_INT: return int64;
      case T_UINT: return uint64;
      case T_FLOAT: return float64;
      case T_BYTES: return bytes;
      case T_STRING: return string;
      case T_COMPLEX: return complex128;
      case T_INTERFACE: return iface;
      default: break;
    }
    const cached = this.goTypes.get(id);
    if (cached) return cached;
    const t = this.wire(id);
    // Built mutable and filled in after caching, so self-referencing wire types terminate.
    switch (t.kind) {
      case 'struct': {
        const s = struct(t.name, () => t.fields.map((f) => [f.name, this.goTypeOf(f.id)] as const));
        this.goTypes.set(id, s);
        return s;
      }
      case 'slice': case 'array': {
        const s: { kind: 'slice' | 'array'; elem: GoType; len: number; name: string } = {
          kind: t.kind, elem: iface, len: t.kind === 'array' ? t.len : 0, name: t.name,
        };
        this.goTypes.set(id, s);
        s.elem = this.goTypeOf(t.elem);
        return s;
      }
      case 'map': {
        const m: { kind: 'map'; key: GoType; elem: GoType; name: string } = { kind: 'map', key: iface, elem: iface, name: t.name };
        this.goTypes.set(id, m);
        m.key = this.goTypeOf(t.key);
        m.elem = this.goTypeOf(t.elem);
        return m;
      }
      default: {
        const codec = this.marshalers.get(t.name);
        const m: MarshalerType = codec !== undefined && codec.wire === t.kind ? codec : rawMarshaler(t.kind, t.name);
        this.goTypes.set(id, m);
        return m;
      }
    }
  }
}

/** A marshaler type whose values are the raw bytes (MarshaledValue) a peer sent. */
function rawMarshaler(wire: MarshaledValue['wire'], name: string): MarshalerType {
  return {
    kind: 'marshaler',
    wire,
    name,
    marshal: (v) => {
      if (v instanceof MarshaledValue) return v.bytes;
      throw new TypeError(`expected raw ${name || wire} marshaler bytes (MarshaledValue)`);
    },
    unmarshal: (b) => new MarshaledValue(wire, name, b),
    isZero: () => false,
  };
}
