/**
 * One growable byte writer for the encoder. Messages are assembled in place: the encoder reserves
 * room for the length prefix, writes the payload, then fills the prefix in right-aligned, so a
 * value is never copied after it has been encoded. Finished output is handed out as a view of the
 * current slab and the slab is never written again below that point, so callers may keep the view
 * (e.g. while a socket write is pending).
 */

const SLAB = 64 * 1024;
const TWO32 = 0x1_0000_0000;

/** Node's utf8Write skips Buffer#write's argument-parsing wrapper (see reader.ts, utf8Slice). */
type Utf8Writer = { utf8Write(s: string, offset: number, length: number): number };
const hasUtf8Write = typeof (Buffer.prototype as unknown as Partial<Utf8Writer>).utf8Write === 'function';

export class ByteWriter {
  buf: Buffer = Buffer.allocUnsafe(SLAB);
  /** Start of the output being assembled (everything before it was handed out). */
  base = 0;
  pos = 0;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  /**
   * Starts new output. Positions the encoder keeps are relative to its start (`offset`), so they
   * stay valid when the slab grows and moves.
   */
  begin(): void {
    if (this.buf.length - this.pos < SLAB / 16) {
      this.buf = Buffer.allocUnsafe(SLAB);
      this.pos = 0;
    }
    this.base = this.pos;
  }

  /** Current position relative to the start of the output. */
  get offset(): number {
    return this.pos - this.base;
  }

  /** Hands out output bytes [from, offset) and moves past them so they are never overwritten. */
  finish(from: number): Buffer {
    const out = this.buf.subarray(this.base + from, this.pos);
    this.base = this.pos;
    return out;
  }

  /** Drops the output being assembled (after an encode error). */
  abandon(): void {
    this.pos = this.base;
  }

  /** Reserves n bytes (e.g. room for a length prefix) and returns their offset. */
  skip(n: number): number {
    this.ensure(n);
    const at = this.pos - this.base;
    this.pos += n;
    return at;
  }

  /** Moves output bytes [from, to) so they start at dest (memmove). */
  move(from: number, to: number, dest: number): void {
    this.buf.copyWithin(this.base + dest, this.base + from, this.base + to);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.base;
    const next = Buffer.allocUnsafe(Math.max(SLAB, (used + n) * 2));
    this.buf.copy(next, 0, this.base, this.pos);
    this.buf = next;
    this.base = 0;
    this.pos = used;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Gob unsigned integer for 0 <= n <= 2^53. Kept tiny so V8 inlines it at every call site. */
  uint(n: number): void {
    if (n < 0x80 && this.pos < this.buf.length) this.buf[this.pos++] = n;
    else this.uintSlow(n);
  }

  private uintSlow(n: number): void {
    if (n < 0x80) {
      this.ensure(1);
      this.buf[this.pos++] = n;
      return;
    }
    this.ensure(9);
    const buf = this.buf;
    if (n < TWO32) {
      const len = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
      buf[this.pos++] = 256 - len;
      for (let i = len - 1; i >= 0; i--) buf[this.pos++] = (n >>> (i * 8)) & 0xff;
      return;
    }
    const hi = Math.floor(n / TWO32);
    const lo = n >>> 0;
    const hiLen = hi < 0x100 ? 1 : hi < 0x10000 ? 2 : hi < 0x1000000 ? 3 : 4;
    buf[this.pos++] = 256 - (hiLen + 4);
    for (let i = hiLen - 1; i >= 0; i--) buf[this.pos++] = (hi >>> (i * 8)) & 0xff;
    buf[this.pos++] = lo >>> 24;
    buf[this.pos++] = (lo >>> 16) & 0xff;
    buf[this.pos++] = (lo >>> 8) & 0xff;
    buf[this.pos++] = lo & 0xff;
  }

  /** Gob unsigned integer for any 0 <= n < 2^64. */
  uintBig(n: bigint): void {
    if (n <= 0x20000000000000n) {
      this.uint(Number(n));
      return;
    }
    this.ensure(9);
    let len = 0;
    for (let v = n; v > 0n; v >>= 8n) len++;
    this.buf[this.pos++] = 256 - len;
    for (let i = len - 1; i >= 0; i--) this.buf[this.pos++] = Number((n >> BigInt(i * 8)) & 0xffn);
  }

  /** Gob signed integer: bit 0 says "complemented", the rest is the magnitude. */
  int(i: number): void {
    if (i >= -0x10000000000000 && i <= 0xfffffffffffff) {
      this.uint(i < 0 ? -2 * i - 1 : 2 * i);
    } else {
      this.intBig(BigInt(i));
    }
  }

  intBig(i: bigint): void {
    this.uintBig(i < 0n ? ((~i) << 1n) | 1n : i << 1n);
  }

  /** Floats travel as the byte-reversed IEEE-754 float64 bits, as an unsigned integer. */
  float(f: number): void {
    const s = this.scratch;
    s.setFloat64(0, f, true); // little-endian bits = big-endian bytes of the reversed integer
    let lead = 0;
    while (lead < 8 && s.getUint8(lead) === 0) lead++;
    if (lead === 8) {
      this.byte(0);
      return;
    }
    if (lead === 7 && s.getUint8(7) < 0x80) {
      this.byte(s.getUint8(7));
      return;
    }
    this.ensure(9);
    this.buf[this.pos++] = 256 - (8 - lead);
    for (let i = lead; i < 8; i++) this.buf[this.pos++] = s.getUint8(i);
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Length-prefixed bytes. */
  bytes(bytes: Uint8Array): void {
    this.uint(bytes.length);
    this.raw(bytes);
  }

  /** Length-prefixed UTF-8 string. */
  string(s: string): void {
    const n = s.length;
    if (n < 0x80) {
      // Short and ASCII (the common case): one pass, no length pre-computation.
      this.ensure(n + 1);
      const buf = this.buf;
      let p = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = p;
        return;
      }
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.uint(len);
    this.ensure(len);
    if (hasUtf8Write) (this.buf as unknown as Utf8Writer).utf8Write(s, this.pos, len);
    else this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
  }

  /**
   * Writes the length prefix of the item [start, offset), for which `reserved` bytes of room were
   * left just before `start`; returns the offset where the prefixed item now begins. When the room
   * is too small the item is shifted right (interface values reserve 1 byte and rarely need more).
   */
  prefixLength(start: number, reserved: number): number {
    const len = this.pos - this.base - start;
    const need = uintSize(len);
    if (need > reserved) {
      const extra = need - reserved;
      this.ensure(extra);
      const from = this.base + start;
      this.buf.copyWithin(from + extra, from, this.pos);
      this.pos += extra;
      start += extra;
    }
    this.fillUint(this.base + start - need, len, need);
    return start - need;
  }

  private fillUint(at: number, n: number, size: number): void {
    if (size === 1) {
      this.buf[at] = n;
      return;
    }
    this.buf[at] = 256 - (size - 1);
    for (let i = size - 2, p = at + 1; i >= 0; i--, p++) this.buf[p] = Math.floor(n / 2 ** (i * 8)) & 0xff;
  }
}

/** Bytes taken by the gob encoding of the unsigned integer n (n < 2^53). */
export function uintSize(n: number): number {
  if (n < 0x80) return 1;
  let len = 1;
  while (n >= 2 ** (len * 8)) len++;
  return len + 1;
}
