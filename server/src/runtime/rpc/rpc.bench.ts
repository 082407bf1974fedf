/**
 * net/rpc round-trip latency with a 1 KiB []byte argument over a plain unix socket:
 * TS client ↔ TS server (one Node process), baseline Go client ↔ Go server (conformance/main.go).
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from '../../../../bench/result';
import { percentile } from '../../../../bench/result';
import { buildGoProgram } from '../gob/conformance/build';
import { bytes } from '../gob/index';
import { RpcClient, serveRpc } from './index';

const ROUNDS = 7;
const CALLS = 4_000;
const SIZE = 1024;

const median = (xs: readonly number[]): number => percentile(xs, 50);

export default async function bench(): Promise<BenchResult[]> {
  const program = buildGoProgram(join(__dirname, 'conformance'), 'rpcconformance');
  // The machine is shared: alternate Go and TS rounds and compare medians, so both see the same load.
  // Each Go round prints wall and CPU (user + system, client and server together) ns per call.
  const goRound = (): [number, number] => {
    const [wall, cpu] = execFileSync(program, ['bench', String(CALLS), String(SIZE)], { encoding: 'utf8' }).trim().split(' ');
    return [Number(wall) / 1000, Number(cpu) / 1000];
  };

  const dir = mkdtempSync(join(tmpdir(), 'rpc-bench-'));
  const server = net.createServer((socket) => void serveRpc(socket, { Arith: { Echo: { reply: bytes, handle: (a) => a } } }));
  try {
    server.listen(join(dir, 's'));
    await once(server, 'listening');
    const socket = net.connect(join(dir, 's'));
    await once(socket, 'connect');
    socket.setNoDelay?.(true);
    const client = new RpcClient(socket);
    const payload = new Uint8Array(SIZE).fill(7);
    for (let i = 0; i < CALLS / 10; i++) await client.call('Arith.Echo', bytes, payload); // warm-up
    const samples: number[] = [];
    const tsMeans: number[] = [];
    const tsCpu: number[] = [];
    const goMeans: number[] = [];
    const goCpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const [goWall, goCpuPerCall] = goRound();
      goMeans.push(goWall);
      goCpu.push(goCpuPerCall);
      const cpu0 = process.cpuUsage();
      const start = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) {
        const t = process.hrtime.bigint();
        await client.call('Arith.Echo', bytes, payload);
        samples.push(Number(process.hrtime.bigint() - t) / 1000);
      }
      tsMeans.push(Number(process.hrtime.bigint() - start) / 1000 / CALLS);
      const cpu = process.cpuUsage(cpu0);
      tsCpu.push((cpu.user + cpu.system) / CALLS);
    }
    client.close();
    return [
      { name: 'net/rpc round trip 1KiB []byte, unix socket, TS↔TS (Go↔Go baseline)', value: median(tsMeans), unit: 'µs', baseline: median(goMeans) },
      { name: 'net/rpc round trip 1KiB []byte, unix socket, TS↔TS p99', value: percentile(samples, 99), unit: 'µs' },
      { name: 'net/rpc CPU per round trip (client+server), TS↔TS (Go↔Go baseline)', value: median(tsCpu), unit: 'µs', baseline: median(goCpu) },
    ];
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
