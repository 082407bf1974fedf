/**
 * The wire, side by side with Go in the same run (bench/main.go: hashicorp/yamux + net/rpc over a
 * unix socket). Go and TS rounds alternate and every figure is the median over the rounds, so both
 * see the same machine load (the machine is shared).
 *
 *   - net/rpc over yamux, a 1 KiB []byte echoed, one call at a time: p50 / mean / p99 latency and
 *     the CPU time per round trip (process.cpuUsage() here, getrusage in Go; client and server both
 *     in one process on each side);
 *   - the production path across processes: Go client (as Mattermost's host) → TS server (the
 *     plugin) against Go client → Go server, with the serving process's CPU per call;
 *   - one stream's throughput with 1 MiB writes, client → server, in one process; and across
 *     processes Go → TS (the host sending a large request) and TS → Go (the plugin answering with
 *     a large body; Go's side grants 256 KiB windows) against Go → Go.
 *
 * On a shared machine wall-clock figures swing with the load; the CPU figures (time the process
 * actually ran) are the steadier measure of cost.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BenchResult } from '../../../../bench/result';
import { percentile } from '../../../../bench/result';
import { buildGoProgram } from '../gob/conformance/build';
import { bytes } from '../gob/index';
import { RpcClient, serveRpc } from '../rpc/index';
import { client, server, type Session, type Stream } from './index';
import { socketPair } from './testing';

const ROUNDS = 5;
const CALLS = 10_000;
/** bench/main.go's warm-up, done by both sides before timing. */
const WARMUP = 2_000;
const THROUGHPUT_MIB = 256;
const CHUNK = 1024 * 1024;

interface Latency {
  meanUs: number;
  p50Us: number;
  p99Us: number;
  /** CPU time of the measuring process per timed call. */
  cpuUs: number;
}
interface Throughput {
  mbPerSec: number;
  /** CPU time per MB of the measured process (the receiver for the cross-process runs). */
  cpuUsPerMb: number;
}

const benchService = { Bench: { Echo: { reply: bytes, handle: (arg: unknown) => arg } } };
const goBinary = (): string => buildGoProgram(join(__dirname, 'bench'), 'yamuxbench');
const median = (xs: readonly number[]): number => percentile(xs, 50);
const goRun = <T>(args: string[]): T => JSON.parse(execFileSync(goBinary(), args, { encoding: 'utf8' })) as T;
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** `calls` timed calls one at a time (after the caller's warm-up), as bench/main.go does. */
async function timeCalls(rpc: RpcClient, calls: number): Promise<Latency> {
  const arg = new Uint8Array(1024);
  const samples = new Array<number>(calls);
  const start = process.hrtime.bigint();
  const cpu0 = cpuNow();
  for (let i = 0; i < calls; i++) {
    const t = process.hrtime.bigint();
    const reply = (await rpc.call('Bench.Echo', bytes, arg)) as Uint8Array;
    samples[i] = Number(process.hrtime.bigint() - t) / 1000;
    if (reply.length !== arg.length) throw new Error('bad echo');
  }
  const cpuUs = (cpuNow() - cpu0) / calls;
  const meanUs = Number(process.hrtime.bigint() - start) / 1000 / calls;
  return { meanUs, p50Us: percentile(samples, 50), p99Us: percentile(samples, 99), cpuUs };
}

async function warmUp(rpc: RpcClient): Promise<void> {
  const arg = new Uint8Array(1024);
  for (let i = 0; i < WARMUP; i++) await rpc.call('Bench.Echo', bytes, arg);
}

/** Medians of each field over the rounds. */
function medianOf<T extends object>(rounds: readonly T[]): T {
  const keys = Object.keys(rounds[0]!) as Array<keyof T>;
  return Object.fromEntries(keys.map((k) => [k, median(rounds.map((r) => r[k] as number))])) as T;
}

/** TS client ↔ TS server in this process, alternating rounds with Go's `rpc` mode. */
async function rpcInProcess(): Promise<{ ts: Latency; go: Latency }> {
  const pair = await socketPair();
  const c = client(pair.a);
  const s = server(pair.b);
  try {
    const rpc = new RpcClient(c.open());
    void s.accept().then((st) => serveRpc(st, benchService));
    await warmUp(rpc);
    const ts: Latency[] = [];
    const go: Latency[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      go.push(goRun<Latency>(['rpc', '-n', String(CALLS)]));
      ts.push(await timeCalls(rpc, CALLS));
    }
    rpc.close();
    return { ts: medianOf(ts), go: medianOf(go) };
  } finally {
    c.close();
    s.close();
    pair.cleanup();
  }
}

/** A Go child: its first stdout line ("ready" for listeners) and its last (the JSON result) at exit. */
function goChild(args: string[]): { child: ChildProcess; first: Promise<string>; last: Promise<string> } {
  const child = spawn(goBinary(), args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let resolveFirst!: (line: string) => void;
  const first = new Promise<string>((r) => (resolveFirst = r));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (lines.length === 0) resolveFirst(line);
    lines.push(line);
  });
  const last = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(lines.at(-1) ?? '') : reject(new Error(`yamuxbench ${args[0]} exited with ${code}`))));
  });
  return { child, first, last };
}

/** Listens on `addr` as a yamux server (the plugin's side) and hands each accepted stream to `onStream`. */
async function tsListener(addr: string, onStream: (st: Stream) => void): Promise<{ sessionClosed: Promise<void>; stop(): void }> {
  const listener = createServer();
  listener.listen(addr);
  await once(listener, 'listening');
  let session: Session | undefined;
  const sessionClosed = new Promise<void>((resolve) => {
    listener.once('connection', (socket: Socket) => {
      session = server(socket);
      session.once('close', () => resolve());
      void session.accept().then(onStream);
    });
  });
  return { sessionClosed, stop: () => { session?.close(); listener.close(); } };
}

/** Go client → TS server (two processes): the client's figures and this process's CPU per call. */
async function goToTs(dir: string, round: number): Promise<{ latency: Latency; serverCpuUs: number }> {
  const addr = join(dir, `ts-${round}.sock`);
  const cpu0 = cpuNow();
  const ts = await tsListener(addr, (st) => void serveRpc(st, benchService));
  try {
    const go = goChild(['call', '-addr', addr, '-n', String(CALLS)]);
    const latency = JSON.parse(await go.last) as Latency;
    await ts.sessionClosed;
    return { latency, serverCpuUs: (cpuNow() - cpu0) / (CALLS + WARMUP) };
  } finally {
    ts.stop();
  }
}

/** TS client (the plugin calling Mattermost's API) → Go server (two processes): latency and this process's CPU per call. */
async function tsToGo(dir: string, round: number): Promise<Latency> {
  const addr = join(dir, `go-ts-${round}.sock`);
  const srv = goChild(['serve', '-addr', addr]);
  if ((await srv.first) !== 'ready') throw new Error('yamuxbench serve did not start');
  const socket = connect(addr);
  await once(socket, 'connect');
  const session = client(socket);
  try {
    const rpc = new RpcClient(session.open());
    await warmUp(rpc);
    const latency = await timeCalls(rpc, CALLS);
    rpc.close();
    await srv.last;
    return latency;
  } finally {
    session.close();
  }
}

/** Go client → Go server (two processes): the baseline of the rows above. */
async function goToGo(dir: string, round: number): Promise<{ latency: Latency; serverCpuUs: number }> {
  const addr = join(dir, `go-${round}.sock`);
  const srv = goChild(['serve', '-addr', addr]);
  if ((await srv.first) !== 'ready') throw new Error('yamuxbench serve did not start');
  const latency = JSON.parse(await goChild(['call', '-addr', addr, '-n', String(CALLS)]).last) as Latency;
  const served = JSON.parse(await srv.last) as { cpuUs: number };
  return { latency, serverCpuUs: served.cpuUs / (CALLS + WARMUP) };
}

/** One stream client → server in this process, CHUNK-byte writes; the receiver acknowledges the end with one byte. */
async function tsThroughput(mib: number): Promise<Throughput> {
  const pair = await socketPair();
  const c = client(pair.a);
  const s = server(pair.b);
  try {
    const total = mib * 1024 * 1024;
    const chunk = Buffer.alloc(CHUNK, 7);
    const sender = c.open();
    const received = s.accept().then((st) => sink(st));
    const acked = new Promise<void>((resolve) => sender.once('data', () => resolve()));
    const start = process.hrtime.bigint();
    const cpu0 = cpuNow();
    for (let sent = 0; sent < total; sent += chunk.length) {
      if (!sender.write(chunk)) await once(sender, 'drain');
    }
    sender.end();
    await acked;
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = cpuNow() - cpu0;
    const got = await received;
    if (got !== total) throw new Error(`received ${got} of ${total} bytes`);
    return { mbPerSec: total / 1e6 / secs, cpuUsPerMb: cpu / (total / 1e6) };
  } finally {
    c.close();
    s.close();
    pair.cleanup();
  }
}

/** The floor under tsThroughput: the same bytes over a plain socket pair in this process, no yamux. */
async function plainSocketThroughput(mib: number): Promise<Throughput> {
  const pair = await socketPair();
  try {
    const total = mib * 1024 * 1024;
    const chunk = Buffer.alloc(CHUNK, 7);
    let got = 0;
    const received = new Promise<void>((resolve) => {
      pair.b.on('data', (d: Buffer) => (got += d.length));
      pair.b.once('end', () => resolve());
    });
    const start = process.hrtime.bigint();
    const cpu0 = cpuNow();
    for (let sent = 0; sent < total; sent += chunk.length) {
      if (!pair.a.write(chunk)) await once(pair.a, 'drain');
    }
    pair.a.end();
    await received;
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = cpuNow() - cpu0;
    if (got !== total) throw new Error(`received ${got} of ${total} bytes`);
    return { mbPerSec: total / 1e6 / secs, cpuUsPerMb: cpu / (total / 1e6) };
  } finally {
    pair.cleanup();
  }
}

/** Reads a stream to EOF, answers one byte, and resolves with the count. */
function sink(st: Stream): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let n = 0;
    st.on('data', (d: Buffer) => (n += d.length));
    st.once('error', reject);
    st.once('end', () => {
      st.end(Buffer.from([1]));
      resolve(n);
    });
  });
}

/** Go client sends THROUGHPUT_MIB on one stream to a TS server (two processes). */
async function goSendsToTs(dir: string, round: number): Promise<Throughput> {
  const addr = join(dir, `tsink-${round}.sock`);
  let cpu0 = 0;
  let got: Promise<number> | undefined;
  const ts = await tsListener(addr, (st) => {
    cpu0 = cpuNow();
    got = sink(st);
  });
  try {
    const go = goChild(['send', '-addr', addr, '-mib', String(THROUGHPUT_MIB), '-chunk', String(CHUNK)]);
    const sent = JSON.parse(await go.last) as Throughput;
    const n = await got!;
    const mb = n / 1e6;
    if (n !== THROUGHPUT_MIB * 1024 * 1024) throw new Error(`received ${n} bytes`);
    return { mbPerSec: sent.mbPerSec, cpuUsPerMb: (cpuNow() - cpu0) / mb };
  } finally {
    ts.stop();
  }
}

/** A TS client sends THROUGHPUT_MIB on one stream to a Go server (two processes): the plugin answering with a large body. */
async function tsSendsToGo(dir: string, round: number): Promise<Throughput> {
  const addr = join(dir, `gsink-ts-${round}.sock`);
  const srv = goChild(['sink', '-addr', addr]);
  if ((await srv.first) !== 'ready') throw new Error('yamuxbench sink did not start');
  const socket = connect(addr);
  await once(socket, 'connect');
  const session = client(socket);
  try {
    const sender = session.open();
    const acked = new Promise<void>((resolve) => sender.once('data', () => resolve()));
    const total = THROUGHPUT_MIB * 1024 * 1024;
    const chunk = Buffer.alloc(CHUNK, 7);
    const start = process.hrtime.bigint();
    const cpu0 = cpuNow();
    for (let sent = 0; sent < total; sent += chunk.length) {
      if (!sender.write(chunk)) await once(sender, 'drain');
    }
    sender.end();
    await acked;
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = cpuNow() - cpu0;
    const sunk = JSON.parse(await srv.last) as { bytes: number };
    if (sunk.bytes !== total) throw new Error(`Go received ${sunk.bytes} of ${total} bytes`);
    return { mbPerSec: total / 1e6 / secs, cpuUsPerMb: cpu / (total / 1e6) };
  } finally {
    session.close();
  }
}

/** Go client sends to a Go server (two processes): the baseline of the rows above. */
async function goSendsToGo(dir: string, round: number): Promise<Throughput> {
  const addr = join(dir, `gsink-${round}.sock`);
  const srv = goChild(['sink', '-addr', addr]);
  if ((await srv.first) !== 'ready') throw new Error('yamuxbench sink did not start');
  const sender = goChild(['send', '-addr', addr, '-mib', String(THROUGHPUT_MIB), '-chunk', String(CHUNK)]);
  const sent = JSON.parse(await sender.last) as Throughput;
  const sunk = JSON.parse(await srv.last) as { bytes: number; cpuUs: number };
  return { mbPerSec: sent.mbPerSec, cpuUsPerMb: sunk.cpuUs / (sunk.bytes / 1e6) };
}

export default async function yamuxBench(): Promise<BenchResult[]> {
  const rpc = await rpcInProcess();

  const dir = mkdtempSync(join(tmpdir(), 'yamux-bench-'));
  const tsClient: Latency[] = [];
  const cross: { ts: Array<{ latency: Latency; serverCpuUs: number }>; go: Array<{ latency: Latency; serverCpuUs: number }> } = { ts: [], go: [] };
  const tp: Record<'ts' | 'plain' | 'go' | 'goTs' | 'tsGo' | 'goGo', Throughput[]> = { ts: [], plain: [], go: [], goTs: [], tsGo: [], goGo: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      cross.go.push(await goToGo(dir, round));
      cross.ts.push(await goToTs(dir, round));
      tsClient.push(await tsToGo(dir, round));
    }
    // Warm-up, like the RPC warm-up calls: V8 needs a few hundred MiB before the receive and send
    // paths run optimised code (a long-running plugin is past that; Go compiles ahead of time).
    for (let i = 0; i < 3; i++) await tsThroughput(128);
    for (let round = 0; round < ROUNDS; round++) {
      tp.go.push(goRun<Throughput>(['throughput', '-mib', String(THROUGHPUT_MIB), '-chunk', String(CHUNK)]));
      tp.ts.push(await tsThroughput(THROUGHPUT_MIB));
      tp.plain.push(await plainSocketThroughput(THROUGHPUT_MIB));
      tp.goGo.push(await goSendsToGo(dir, round));
      tp.goTs.push(await goSendsToTs(dir, round));
      tp.tsGo.push(await tsSendsToGo(dir, round));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const crossTs = { ...medianOf(cross.ts.map((r) => r.latency)), serverCpuUs: median(cross.ts.map((r) => r.serverCpuUs)) };
  const crossGo = { ...medianOf(cross.go.map((r) => r.latency)), serverCpuUs: median(cross.go.map((r) => r.serverCpuUs)) };
  const tsGo = medianOf(tsClient);
  const [tsTp, plainTp, goTp, goTsTp, tsGoTp, goGoTp] = [tp.ts, tp.plain, tp.go, tp.goTs, tp.tsGo, tp.goGo].map((r) => medianOf(r)) as
    [Throughput, Throughput, Throughput, Throughput, Throughput, Throughput];

  const rt = (what: string, who: string, baseline: string): string => `net/rpc over yamux round trip, 1 KiB []byte, ${what} (${who}; baseline ${baseline})`;
  const inProc = ['TS↔TS, one process', 'Go↔Go, one process'] as const;
  const twoProc = ['Go client → TS server, 2 processes', 'Go → Go, 2 processes'] as const;
  const twoProcClient = ['TS client → Go server, 2 processes', 'Go → Go, 2 processes'] as const;
  return [
    { name: rt('p50', ...inProc), value: rpc.ts.p50Us, unit: 'µs', baseline: rpc.go.p50Us },
    { name: rt('mean', ...inProc), value: rpc.ts.meanUs, unit: 'µs', baseline: rpc.go.meanUs },
    { name: rt('p99', ...inProc), value: rpc.ts.p99Us, unit: 'µs', baseline: rpc.go.p99Us },
    { name: rt('CPU per call, client + server', ...inProc), value: rpc.ts.cpuUs, unit: 'µs', baseline: rpc.go.cpuUs },
    { name: rt('p50', ...twoProc), value: crossTs.p50Us, unit: 'µs', baseline: crossGo.p50Us },
    { name: rt('mean', ...twoProc), value: crossTs.meanUs, unit: 'µs', baseline: crossGo.meanUs },
    { name: rt('server CPU per call', ...twoProc), value: crossTs.serverCpuUs, unit: 'µs', baseline: crossGo.serverCpuUs },
    { name: rt('client (Go) CPU per call', ...twoProc), value: crossTs.cpuUs, unit: 'µs', baseline: crossGo.cpuUs },
    { name: rt('p50', ...twoProcClient), value: tsGo.p50Us, unit: 'µs', baseline: crossGo.p50Us },
    { name: rt('client CPU per call', ...twoProcClient), value: tsGo.cpuUs, unit: 'µs', baseline: crossGo.cpuUs },
    { name: 'yamux one-stream throughput, 1 MiB writes (TS↔TS, one process; baseline Go↔Go, one process)', value: tsTp.mbPerSec, unit: 'MB/s', baseline: goTp.mbPerSec },
    { name: 'yamux one-stream CPU per MB, sender + receiver (TS↔TS, one process; baseline Go↔Go, one process)', value: tsTp.cpuUsPerMb, unit: 'µs', baseline: goTp.cpuUsPerMb },
    { name: 'plain unix socket pair, no yamux, 1 MiB writes, one Node process: throughput (the floor under the TS↔TS rows)', value: plainTp.mbPerSec, unit: 'MB/s' },
    { name: 'plain unix socket pair, no yamux, 1 MiB writes, one Node process: CPU per MB, sender + receiver', value: plainTp.cpuUsPerMb, unit: 'µs' },
    { name: 'yamux one-stream throughput, 1 MiB writes (Go → TS server, 2 processes; baseline Go → Go, 2 processes)', value: goTsTp.mbPerSec, unit: 'MB/s', baseline: goGoTp.mbPerSec },
    { name: 'yamux one-stream receiver CPU per MB (Go → TS server, 2 processes; baseline Go → Go, 2 processes)', value: goTsTp.cpuUsPerMb, unit: 'µs', baseline: goGoTp.cpuUsPerMb },
    { name: 'yamux one-stream throughput, 1 MiB writes (TS client → Go server, 2 processes; baseline Go → Go, 2 processes)', value: tsGoTp.mbPerSec, unit: 'MB/s', baseline: goGoTp.mbPerSec },
  ];
}
