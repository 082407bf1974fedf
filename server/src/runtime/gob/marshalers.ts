/**
 * Go types that travel as their own bytes: time.Time (GobEncoder = MarshalBinary) and *url.URL
 * (BinaryMarshaler = URL.String()).
 */
import type { MarshalerType } from './types';

/** Seconds from Go's internal epoch (January 1, year 1 UTC) to the Unix epoch. */
const UNIX_TO_INTERNAL = 62135596800n;

/**
 * A Go time.Time as it travels: an instant (seconds since year 1 + nanoseconds) and a zone
 * offset. `zoneOffset` null means the UTC location (Go's offset byte pair FF FF); a number means
 * a fixed offset in seconds east of UTC (Go decodes that as Local or a FixedZone). Exact both
 * ways, unlike Date (milliseconds only).
 */
export class GoTime {
  constructor(
    /** Seconds since January 1, year 1, 00:00:00 UTC (Go's internal clock), as an int64. */
    readonly seconds: bigint,
    /** 0 ≤ nanos < 1e9. */
    readonly nanos: number,
    readonly zoneOffset: number | null = null,
  ) {
    if (!Number.isInteger(nanos) || nanos < 0 || nanos >= 1e9) throw new RangeError(`GoTime: nanos ${nanos} out of range`);
    if (zoneOffset !== null && !Number.isInteger(zoneOffset)) throw new RangeError(`GoTime: bad zone offset ${zoneOffset}`);
  }

  /** Go's zero time.Time (January 1, year 1, UTC): omitted from structs like Go omits it. */
  static readonly zero = new GoTime(0n, 0, null);

  static fromDate(date: Date, extraNanos = 0): GoTime {
    const ms = date.getTime();
    if (!Number.isFinite(ms)) throw new RangeError('GoTime.fromDate: invalid Date');
    return GoTime.fromUnixNanos(BigInt(ms) * 1_000_000n + BigInt(extraNanos));
  }

  static fromUnixNanos(ns: bigint, zoneOffset: number | null = null): GoTime {
    let sec = ns / 1_000_000_000n;
    let nanos = ns % 1_000_000_000n;
    if (nanos < 0n) {
      nanos += 1_000_000_000n;
      sec -= 1n;
    }
    return new GoTime(sec + UNIX_TO_INTERNAL, Number(nanos), zoneOffset);
  }

  get unixNanos(): bigint {
    return (this.seconds - UNIX_TO_INTERNAL) * 1_000_000_000n + BigInt(this.nanos);
  }

  get unixMillis(): number {
    return Number((this.seconds - UNIX_TO_INTERNAL) * 1000n) + Math.floor(this.nanos / 1e6);
  }

  toDate(): Date {
    return new Date(this.unixMillis);
  }

  isZero(): boolean {
    return this.seconds === 0n && this.nanos === 0 && this.zoneOffset === null;
  }

  /** Go's Time.MarshalBinary: version 1 (or 2 when the offset has seconds), BE seconds, nanos, offset. */
  marshalBinary(): Uint8Array {
    let offsetMin = -1;
    let offsetSec = 0;
    let version = 1;
    if (this.zoneOffset !== null) {
      const offset = this.zoneOffset;
      if (offset % 60 !== 0) {
        version = 2;
        offsetSec = offset % 60; // truncated remainder, as Go's int8(offset % 60)
      }
      offsetMin = Math.trunc(offset / 60);
      if (offsetMin < -32768 || offsetMin === -1 || offsetMin > 32767) {
        throw new RangeError('Time.MarshalBinary: unexpected zone offset');
      }
    }
    const out = new Uint8Array(version === 2 ? 16 : 15);
    const view = new DataView(out.buffer);
    out[0] = version;
    view.setBigInt64(1, this.seconds);
    view.setUint32(9, this.nanos);
    view.setInt16(13, offsetMin);
    if (version === 2) out[15] = offsetSec & 0xff;
    return out;
  }

  static unmarshalBinary(data: Uint8Array): GoTime {
    if (data.length === 0) throw new RangeError('Time.UnmarshalBinary: no data');
    const version = data[0];
    if (version !== 1 && version !== 2) throw new RangeError('Time.UnmarshalBinary: unsupported version');
    if (data.length !== (version === 2 ? 16 : 15)) throw new RangeError('Time.UnmarshalBinary: invalid length');
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const seconds = view.getBigInt64(1);
    const nanos = view.getInt32(9);
    let offset = view.getInt16(13) * 60;
    if (version === 2) offset += data[15]!; // unsigned, exactly as Go adds it
    if (nanos < 0 || nanos >= 1e9) throw new RangeError('Time.UnmarshalBinary: nanoseconds out of range');
    return new GoTime(seconds, nanos, offset === -60 ? null : offset);
  }

  toString(): string {
    const d = this.toDate();
    return Number.isFinite(d.getTime()) ? `${d.toISOString()} (+${this.nanos % 1e6}ns)` : `GoTime(${this.seconds}s)`;
  }
}

/** time.Time (and *time.Time, described as ptr(timeType)). */
export const timeType: MarshalerType = {
  kind: 'marshaler',
  wire: 'gob',
  name: 'Time',
  marshal: (value) => {
    if (value instanceof GoTime) return value.marshalBinary();
    // undefined = the zero value (an element of a zero array, say), which Go sends as such.
    if (value === undefined || value === null) return GoTime.zero.marshalBinary();
    if (value instanceof Date) return GoTime.fromDate(value).marshalBinary();
    throw new TypeError(`expected GoTime or Date, got ${typeof value}`);
  },
  unmarshal: (bytes) => GoTime.unmarshalBinary(bytes),
  isZero: (value) => (value instanceof GoTime ? value.isZero() : false),
};

/** *url.URL: MarshalBinary is URL.String(). JS value: the URL string. */
export const urlType: MarshalerType = {
  kind: 'marshaler',
  wire: 'binary',
  name: 'URL',
  marshal: (value) => {
    if (typeof value === 'string') return Buffer.from(value, 'utf8');
    if (value === undefined || value === null) return new Uint8Array(0);
    if (value instanceof URL) return Buffer.from(value.href, 'utf8');
    throw new TypeError(`expected a URL string, got ${typeof value}`);
  },
  unmarshal: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  isZero: () => false, // a non-nil *url.URL is always sent, even when empty
};

/**
 * The decoder's default registry: wire type name → codec. Names in type definitions are
 * cosmetic in gob, so a match is only a hint: bytes the codec rejects stay raw (MarshaledValue).
 */
export const defaultMarshalers: ReadonlyMap<string, MarshalerType> = new Map([['Time', timeType]]);
