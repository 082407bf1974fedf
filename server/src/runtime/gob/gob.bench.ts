/**
 * gob encode/decode throughput for a 60-field struct and a 1 MiB []byte; baseline = Go's
 * encoding/gob on the same shapes (conformance/bench.go), measured in the same run.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchResult } from '../../../../bench/result';
import { buildGoProgram } from './conformance/build';
import { GobDecoder, GobEncoder, bool, bytes, float64, int64, sliceOf, string, struct, type GoType } from './index';

const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

export const Struct60 = struct('Struct60', () => [
  ...names('S', 20).map((n) => [n, string] as const),
  ...names('I', 20).map((n) => [n, int64] as const),
  ...names('B', 10).map((n) => [n, bool] as const),
  ...names('F', 5).map((n) => [n, float64] as const),
  ...names('L', 5).map((n) => [n, sliceOf(string)] as const),
]);

const strings = ['id-0000000000', 'user-1', 'channel-2', 'root', 'original', 'message body text that is a bit longer',
  'type', 'hashtags', 'pending', 'remote', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
const ints = [1700000000000, 1700000000001, 3, -4, 5, 600, 70000, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
const floats = [1.5, 2.25, -3.125, 1e10, 0.1];
const lists = [['x', 'y'], ['z'], ['p', 'q', 'r'], ['s'], ['t', 'u']];

export const value60: Record<string, unknown> = Object.fromEntries<unknown>([
  ...names('S', 20).map((n, i): [string, unknown] => [n, strings[i]]),
  ...names('I', 20).map((n, i): [string, unknown] => [n, ints[i]]),
  ...names('B', 10).map((n): [string, unknown] => [n, true]),
  ...names('F', 5).map((n, i): [string, unknown] => [n, floats[i]]),
  ...names('L', 5).map((n, i): [string, unknown] => [n, lists[i]]),
]);

function seconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Best of several rounds: the machine is shared, Go's figures are taken the same way. */
const ROUNDS = 5;
const best = (run: () => void): number => Math.min(...Array.from({ length: ROUNDS }, () => seconds(run)));

/** `key` names Go's figures (bench.go); `label` is what the rows say. */
function measure(key: string, label: string, type: GoType, value: unknown, n: number, go: Map<string, [number, number]>): BenchResult[] {
  const enc = new GobEncoder();
  enc.encode(type, value); // definitions once
  let size = 0;
  for (let i = 0; i < n / 10; i++) size = enc.encode(type, value).length; // warm-up
  const encodeSecs = best(() => {
    for (let i = 0; i < n; i++) enc.encode(type, value);
  });

  const streamEnc = new GobEncoder();
  const parts: Uint8Array[] = [];
  for (let i = 0; i < n; i++) parts.push(streamEnc.encode(type, value));
  const stream = Buffer.concat(parts);
  const decodeOnce = (): void => {
    const dec = new GobDecoder();
    // 64 KiB chunks, as a socket delivers them.
    for (let p = 0; p < stream.length; p += 65536) {
      dec.push(stream.subarray(p, p + 65536));
      while (dec.next());
    }
  };
  decodeOnce(); // warm-up
  const decodeSecs = best(decodeOnce);

  const goEnc = go.get(`${key}-encode`);
  const goDec = go.get(`${key}-decode`);
  const missing = [goEnc, goDec].some((figures) => figures === undefined);
  if (missing) throw new Error(`Go's bench printed no ${key} figures`);
  // Names are unique (bench/run.ts merges results by name): the unit is part of the name.
  return [
    { name: `gob encode ${label}, values/s (Go baseline)`, value: n / encodeSecs, unit: 'ops/s', baseline: goEnc![0] },
    { name: `gob encode ${label}, MB/s (Go baseline)`, value: (size * n) / encodeSecs / 1e6, unit: 'MB/s', baseline: goEnc![1] },
    { name: `gob decode ${label}, values/s (Go baseline)`, value: n / decodeSecs, unit: 'ops/s', baseline: goDec![0] },
    { name: `gob decode ${label}, MB/s (Go baseline)`, value: stream.length / decodeSecs / 1e6, unit: 'MB/s', baseline: goDec![1] },
  ];
}

export default async function bench(): Promise<BenchResult[]> {
  const program = buildGoProgram(join(__dirname, 'conformance'), 'gobconformance');
  const go = new Map<string, [number, number]>();
  for (const line of execFileSync(program, ['bench'], { encoding: 'utf8' }).trim().split('\n')) {
    const [key, ops, mbs] = line.split(' ');
    go.set(key!, [Number(ops), Number(mbs)]);
  }
  const mib = new Uint8Array(1 << 20).fill(7);
  return [
    ...measure('struct60', '60-field struct', Struct60, value60, 20_000, go),
    ...measure('bytes1m', '1 MiB []byte', bytes, mib, 100, go),
  ];
}
