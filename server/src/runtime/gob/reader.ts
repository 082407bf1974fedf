/**
 * Reads gob primitives from one message held in memory. Every read is bounds-checked and fails
 * with a GobError, so hostile bytes can never read past the message or allocate from a bogus count.
 */
import { GobError } from './errors';

const TWO32 = 0x1_0000_0000;

/**
 * Buffer#toString('utf8', a, b) goes through a JS dispatch wrapper that costs as much as the
 * decoding of a short string; Node's own utf8Slice (used by string_decoder, present on every
 * Buffer) skips it. Feature-checked, so a runtime without it falls back to toString.
 */
type Utf8Slicer = { utf8Slice(start: number, end: number): string };
const hasUtf8Slice = typeof (Buffer.prototype as unknown as Partial<Utf8Slicer>).utf8Slice === 'function';
const SAFE_HI = 0x200000; // hi word limit for a value below 2^53

export class MessageReader {
  buf: Buffer;
  pos: number;
  end: number;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  reset(buf: Buffer, pos: number, end: number): void {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private eof(what: string): never {
    throw new GobError(`gob: unexpected end of message reading ${what}`);
  }

  /** Unsigned integer; a number when below 2^53, else a bigint. */
  uintValue(): number | bigint {
    if (this.pos >= this.end) this.eof('uint');
    const b = this.buf[this.pos++]!;
    if (b < 0x80) return b;
    const n = 256 - b;
    if (n > 8) throw new GobError(`gob: invalid uint length byte 0x${b.toString(16)}`);
    if (this.end - this.pos < n) this.eof('uint');
    const buf = this.buf;
    let p = this.pos;
    this.pos += n;
    if (n <= 4) {
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 256 + buf[p++]!;
      return v;
    }
    let hi = 0;
    for (let i = 0; i < n - 4; i++) hi = hi * 256 + buf[p++]!;
    const lo = ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
    if (hi < SAFE_HI) return hi * TWO32 + lo;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Unsigned integer used as a count, length, delta or id: must fit in a safe number. */
  uint(): number {
    const v = this.uintValue();
    if (typeof v !== 'number') throw new GobError(`gob: count or length too large: ${v}`);
    return v;
  }

  /** A count of items that each take at least `minBytes` bytes of what is left in the message. */
  count(what: string, minBytes = 1): number {
    const n = this.uint();
    if (n * minBytes > this.end - this.pos) {
      throw new GobError(`gob: ${what} count ${n} exceeds the ${this.end - this.pos} bytes left in the message`);
    }
    return n;
  }

  /** Signed integer; a number when within ±2^53, else a bigint. */
  intValue(): number | bigint {
    const u = this.uintValue();
    if (typeof u === 'number') {
      // u < 2^53, so floor(u / 2) and its complement are exact.
      const half = Math.floor(u / 2);
      return u % 2 === 1 ? -half - 1 : half;
    }
    const half = u >> 1n;
    const i = (u & 1n) === 1n ? ~half : half;
    return i >= -0x1fffffffffffffn && i <= 0x1fffffffffffffn ? Number(i) : i;
  }

  /** Signed integer used as a type id or delta: must fit in a safe number. */
  int(): number {
    const v = this.intValue();
    if (typeof v !== 'number') throw new GobError(`gob: integer too large: ${v}`);
    return v;
  }

  bool(): boolean {
    // Go's decoder treats any non-zero value as true.
    const v = this.uintValue();
    return v !== 0;
  }

  float(): number {
    if (this.pos >= this.end) this.eof('float');
    const b = this.buf[this.pos++]!;
    const s = this.scratch;
    if (b < 0x80) {
      s.setUint32(0, 0);
      s.setUint32(4, 0);
      s.setUint8(7, b);
      return s.getFloat64(0, true);
    }
    const n = 256 - b;
    if (n > 8) throw new GobError(`gob: invalid float length byte 0x${b.toString(16)}`);
    if (this.end - this.pos < n) this.eof('float');
    s.setUint32(0, 0);
    s.setUint32(4, 0);
    for (let i = 8 - n; i < 8; i++) s.setUint8(i, this.buf[this.pos++]!);
    return s.getFloat64(0, true);
  }

  /** A view of the next n bytes (no copy). */
  take(n: number, what: string): Buffer {
    if (this.end - this.pos < n) this.eof(what);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Length-prefixed bytes, copied so the value does not pin the message buffer. */
  bytes(): Uint8Array {
    const n = this.count('byte slice');
    const out = new Uint8Array(n);
    this.buf.copy(out, 0, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const n = this.count('string');
    const start = this.pos;
    this.pos += n;
    return hasUtf8Slice ? (this.buf as unknown as Utf8Slicer).utf8Slice(start, start + n) : this.buf.toString('utf8', start, start + n);
  }
}
