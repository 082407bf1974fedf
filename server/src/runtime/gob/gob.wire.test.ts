/**
 * gob conformance against Go's own encoding/gob (conformance/main.go): both directions, every
 * corpus case on a fresh stream and all of them on one stream.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildGoProgram } from './conformance/build';
import { cases, celsiusType, comparable, decodedOverrides, type Case } from './conformance/corpus';
import { GobDecoder, GobEncoder, timeType } from './index';

const ALL = '*stream*';
let program: string;

before(() => {
  program = buildGoProgram(join(__dirname, 'conformance'), 'gobconformance');
});

const marshalers = new Map([['Time', timeType], ['Celsius', celsiusType]]);

interface Frame { name: string; data: Buffer }

function chunk(b: Buffer): Buffer {
  const n = Buffer.alloc(4);
  n.writeUInt32BE(b.length);
  return Buffer.concat([n, b]);
}

function parseChunks(out: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let p = 0; p < out.length;) {
    const n = out.readUInt32BE(p);
    chunks.push(out.subarray(p + 4, p + 4 + n));
    p += 4 + n;
  }
  return chunks;
}

function goEncode(): Frame[] {
  const c = parseChunks(execFileSync(program, ['encode'], { maxBuffer: 64 << 20 }));
  const frames: Frame[] = [];
  for (let i = 0; i < c.length; i += 2) frames.push({ name: c[i]!.toString(), data: c[i + 1]! });
  return frames;
}

/** Go decodes each frame into its Go type, compares with the corpus, and re-encodes it. */
function goCheck(frames: readonly Frame[]): Map<string, { verdict: string; again: Buffer }> {
  const input = Buffer.concat(frames.flatMap((f) => [chunk(Buffer.from(f.name)), chunk(f.data)]));
  const c = parseChunks(execFileSync(program, ['check'], { input, maxBuffer: 64 << 20 }));
  const results = new Map<string, { verdict: string; again: Buffer }>();
  for (let i = 0; i < c.length; i += 3) results.set(c[i]!.toString(), { verdict: c[i + 1]!.toString(), again: c[i + 2]! });
  return results;
}

function decodeAll(data: Uint8Array, chunkSize = data.length): unknown[] {
  const dec = new GobDecoder({ marshalers });
  const out: unknown[] = [];
  for (let p = 0; p < data.length; p += chunkSize) {
    dec.push(data.subarray(p, p + chunkSize));
    for (let v = dec.next(); v; v = dec.next()) out.push(v.value);
  }
  assert.equal(dec.buffered, 0, 'bytes left over');
  return out;
}

function expected(c: Case): unknown {
  const override = decodedOverrides[c.name];
  return comparable(override ? override(c.value as Record<string, unknown>) : c.value);
}

function assertCase(c: Case, actual: unknown, where: string): void {
  assert.deepStrictEqual(comparable(actual), expected(c), `${where}: case ${c.name}`);
}

describe('gob conformance with Go encoding/gob', () => {
  it('Go encodes → TS decodes → TS re-encodes → Go decodes and compares deeply', () => {
    const frames = goEncode();
    assert.equal(frames.length, cases.length + 1);
    const reencoded: Frame[] = [];
    for (const c of cases) {
      const frame = frames.find((f) => f.name === c.name);
      assert.ok(frame, `Go did not encode ${c.name}`);
      // Byte at a time too: the streaming decoder must give the same result.
      for (const size of [frame.data.length, 1]) {
        const values = decodeAll(frame.data, size);
        assert.equal(values.length, 1, `${c.name}: one value`);
        assertCase(c, values[0], 'TS decoding of Go');
      }
      reencoded.push({ name: c.name, data: Buffer.from(new GobEncoder().encode(c.type, decodeAll(frame.data)[0])) });
    }
    // All cases in one Go stream (type ids reused across values), decoded and re-encoded as one stream.
    const stream = frames.find((f) => f.name === ALL)!;
    const values = decodeAll(stream.data, 7);
    assert.equal(values.length, cases.length);
    const enc = new GobEncoder();
    const parts: Uint8Array[] = [];
    cases.forEach((c, i) => {
      assertCase(c, values[i], 'TS decoding of the Go stream');
      parts.push(enc.encode(c.type, values[i]));
    });
    reencoded.push({ name: ALL, data: Buffer.concat(parts) });

    const results = goCheck(reencoded);
    for (const f of reencoded) assert.equal(results.get(f.name)?.verdict, 'ok', `Go check of ${f.name}`);
  });

  it('TS encodes → Go decodes and compares → Go re-encodes → TS decodes and compares', () => {
    const frames: Frame[] = cases.map((c) => ({ name: c.name, data: Buffer.from(new GobEncoder().encode(c.type, c.value)) }));
    const enc = new GobEncoder();
    frames.push({ name: ALL, data: Buffer.concat(cases.map((c) => enc.encode(c.type, c.value))) });
    const results = goCheck(frames);
    for (const f of frames) {
      const r = results.get(f.name);
      assert.equal(r?.verdict, 'ok', `Go check of ${f.name}`);
      const values = decodeAll(r.again);
      if (f.name === ALL) cases.forEach((c, i) => assertCase(c, values[i], 'TS decoding of Go re-encoding'));
      else assertCase(cases.find((c) => c.name === f.name)!, values[0], 'TS decoding of Go re-encoding');
    }
  });
});
