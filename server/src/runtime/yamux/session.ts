import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  ErrorCode,
  Flag,
  FrameReader,
  FrameType,
  GoAwayCode,
  HEADER_SIZE,
  INITIAL_STREAM_WINDOW,
  YamuxError,
  protocolError,
  shutdownError,
  writeHeader,
  type FrameSink,
} from './frame';
import { Stream, type StreamHost } from './stream';

export interface YamuxLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface SessionOptions {
  /** Streams opened by the peer and not yet accepted; beyond this a new stream is refused (RST). */
  acceptBacklog?: number;
  keepAlive?: boolean;
  /** Milliseconds between keepalive pings. */
  keepAliveInterval?: number;
  /** Milliseconds a ping (keepalive or explicit) may wait for its answer. */
  pingTimeout?: number;
  /** Milliseconds a stream we opened may wait for the peer's ACK before the session closes (0 = forever). */
  streamOpenTimeout?: number;
  /** Bytes queued on the connection above which DATA frames wait for it to drain. */
  writeBufferLimit?: number;
  /**
   * Receive window of each stream, at least the protocol's initial 256 KiB. The excess is granted
   * with the stream's SYN or ACK, as hashicorp/yamux does when its MaxStreamWindowSize is larger;
   * any yamux sender honours it (Mattermost's side keeps Go's default, so what *we* may send to
   * it stays 256 KiB per window). Bounds what one stream buffers for a consumer that stops reading.
   */
  maxStreamWindow?: number;
  logger?: YamuxLogger;
}

/** hashicorp/yamux DefaultConfig(). */
const DEFAULTS: Required<Omit<SessionOptions, 'logger'>> = {
  acceptBacklog: 256,
  keepAlive: true,
  keepAliveInterval: 30_000,
  pingTimeout: 10_000,
  streamOpenTimeout: 75_000,
  writeBufferLimit: 1024 * 1024,
  maxStreamWindow: 1024 * 1024,
};

const silent: YamuxLogger = { debug() {}, warn() {}, error() {} };

/** Payloads up to this size are copied into the frame buffer so header and body go out together. */
const SMALL_PAYLOAD = 8 * 1024;
const SCRATCH_SIZE = 64 * 1024;
const MAX_STREAM_ID = 0xffffffff;
/** A window delta is a uint32; Go adds deltas to a uint32 send window. */
const MAX_WINDOW = 0x7fffffff;
/** Queued output beyond which the peer is taken to have stopped reading. */
const STALLED_OUTPUT_LIMIT = 64 * 1024 * 1024;

interface PendingPing {
  resolve(rttMs: number): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  start: bigint;
}

/**
 * A yamux session over one reliable connection, compatible with hashicorp/yamux v0.1.2.
 * The client opens odd stream ids, the server even ones. Emits 'close' (reason: Error) once.
 */
export class Session extends EventEmitter {
  readonly isClient: boolean;
  private readonly options: Required<Omit<SessionOptions, 'logger'>>;
  private readonly log: YamuxLogger;
  private readonly reader: FrameReader;
  private readonly streams = new Map<number, Stream>();
  private readonly openTimers = new Map<number, NodeJS.Timeout>();
  private nextStreamId: number;

  private readonly acceptQueue: Stream[] = [];
  private readonly acceptWaiters: Array<{ resolve(s: Stream): void; reject(e: Error): void }> = [];

  private readonly pings = new Map<number, PendingPing>();
  private nextPingId = 0;
  private keepAliveTimer: NodeJS.Timeout | null = null;

  private localGoAway = false;
  private remoteGoAwayFlag = false;
  private reason: Error | null = null;
  readonly closed: Promise<Error>;
  private resolveClosed!: (reason: Error) => void;

  // Payload routing for the DATA frame being read.
  private target: Stream | null = null;
  private targetFlags = 0;

  // Output: frames are gathered and written once per event-loop turn.
  private out: Buffer[] = [];
  private outBytes = 0;
  private scratch = Buffer.allocUnsafe(SCRATCH_SIZE);
  private scratchStart = 0;
  private scratchUsed = 0;
  private flushScheduled = false;
  /**
   * The connection is a plain net.Socket: a write it reports done (writableLength 0 right after
   * it) was copied into the kernel and no longer references our buffer, so the scratch buffer can
   * be filled again from its start instead of allocating a new one every 64 KiB of frames.
   */
  private readonly plainSocket: boolean;
  private readonly drainWaiters = new Set<Stream>();
  private drainListening = false;

  constructor(
    private readonly conn: Duplex,
    role: 'client' | 'server',
    options: SessionOptions = {},
  ) {
    super();
    this.isClient = role === 'client';
    this.plainSocket = Object.getPrototypeOf(conn) === Socket.prototype;
    this.nextStreamId = this.isClient ? 1 : 2;
    this.options = { ...DEFAULTS, ...stripUndefined(options) };
    if (!(this.options.maxStreamWindow >= INITIAL_STREAM_WINDOW && this.options.maxStreamWindow <= MAX_WINDOW)) {
      throw new RangeError(`maxStreamWindow must be between ${INITIAL_STREAM_WINDOW} and ${MAX_WINDOW}`);
    }
    this.log = options.logger ?? silent;
    const sink: FrameSink = {
      header: (type, flags, id, length) => this.onHeader(type, flags, id, length),
      payload: (piece, frameDone) => this.onPayload(piece, frameDone),
    };
    this.reader = new FrameReader(sink);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    conn.on('data', (chunk: Buffer) => this.onChunk(chunk));
    conn.on('end', () => this.close(new YamuxError(ErrorCode.SessionShutdown, 'session shutdown: connection closed by peer')));
    conn.on('error', (err: Error) => this.close(new YamuxError(ErrorCode.SessionShutdown, `session shutdown: ${err.message}`)));
    conn.on('close', () => this.close());
    conn.resume(); // the session owns reading, also from a connection handed over paused
    if (this.options.keepAlive) this.scheduleKeepAlive();
  }

  get isClosed(): boolean {
    return this.reason !== null;
  }

  /** Why the session closed, or null while open. */
  get closeReason(): Error | null {
    return this.reason;
  }

  /** The peer sent GO_AWAY(0): open() now fails. */
  get remoteGoAway(): boolean {
    return this.remoteGoAwayFlag;
  }

  get numStreams(): number {
    return this.streams.size;
  }

  // ---- public API ------------------------------------------------------------------------

  /** Opens a stream (sends WINDOW_UPDATE|SYN). Data may be written before the peer ACKs. */
  open(): Stream {
    if (this.reason) throw shutdownError(this.reason);
    if (this.remoteGoAwayFlag) throw new YamuxError(ErrorCode.RemoteGoAway, 'remote end is not accepting connections');
    const id = this.nextStreamId;
    if (id >= MAX_STREAM_ID - 1) throw new YamuxError(ErrorCode.StreamsExhausted, 'streams exhausted');
    this.nextStreamId += 2;
    const stream = new Stream(id, this.host, true, this.options.maxStreamWindow);
    this.streams.set(id, stream);
    this.sendWindowUpdate(id, Flag.SYN, stream.window - INITIAL_STREAM_WINDOW);
    if (this.options.streamOpenTimeout > 0) {
      const timer = setTimeout(() => {
        this.log.error('yamux: aborted stream open: no ACK', { stream: id });
        this.close(new YamuxError(ErrorCode.Timeout, `stream ${id} was not acknowledged in time`));
      }, this.options.streamOpenTimeout);
      timer.unref();
      this.openTimers.set(id, timer);
    }
    return stream;
  }

  /** The next stream the peer opened (already ACKed). Rejects once the session is closed. */
  accept(): Promise<Stream> {
    const queued = this.acceptQueue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.reason) return Promise.reject(this.reason);
    return new Promise((resolve, reject) => this.acceptWaiters.push({ resolve, reject }));
  }

  /** Round-trip time in milliseconds. */
  ping(): Promise<number> {
    if (this.reason) return Promise.reject(this.reason);
    const id = this.nextPingId;
    this.nextPingId = (this.nextPingId + 1) >>> 0;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pings.delete(id);
        reject(new YamuxError(ErrorCode.Timeout, 'ping timeout'));
      }, this.options.pingTimeout);
      timer.unref();
      this.pings.set(id, { resolve, reject, timer, start: process.hrtime.bigint() });
      this.writeControl(FrameType.Ping, Flag.SYN, 0, id);
    });
  }

  /** Tells the peer not to open more streams (GO_AWAY, normal); streams it opens from now on get RST. */
  goAway(): void {
    if (this.reason) return;
    this.localGoAway = true;
    this.writeControl(FrameType.GoAway, 0, 0, GoAwayCode.Normal);
  }

  /** Closes every stream and the connection. Idempotent. */
  close(reason?: Error): void {
    if (this.reason) return;
    const why = reason ?? new YamuxError(ErrorCode.SessionShutdown, 'session shutdown');
    this.reason = why;
    this.reader.stop();
    if (this.keepAliveTimer) clearTimeout(this.keepAliveTimer);
    for (const timer of this.openTimers.values()) clearTimeout(timer);
    this.openTimers.clear();
    this.flush();
    if (!this.conn.destroyed) {
      this.conn.end();
      // A peer that never reads must not keep the connection (and the process) alive.
      setTimeout(() => this.conn.destroy(), 2000).unref();
    }
    // Streams nobody accepted yet are dropped; the others keep their buffered data, then read EOF.
    this.acceptQueue.length = 0;
    const streams = [...this.streams.values()];
    this.streams.clear();
    this.drainWaiters.clear();
    for (const stream of streams) stream.onSessionClose(why);
    for (const waiter of this.acceptWaiters.splice(0)) waiter.reject(why);
    for (const ping of this.pings.values()) {
      clearTimeout(ping.timer);
      ping.reject(why);
    }
    this.pings.clear();
    this.resolveClosed(why);
    this.emit('close', why);
  }

  // ---- receiving -------------------------------------------------------------------------

  private onChunk(chunk: Buffer): void {
    if (this.reason) return;
    try {
      this.reader.push(chunk);
    } catch (err) {
      if (err instanceof YamuxError && err.code === ErrorCode.Protocol) {
        this.fail(GoAwayCode.ProtocolError, err);
      } else {
        // Thrown by a consumer's synchronous 'data' handler: keep the process up, end the session.
        const error = err instanceof Error ? err : new Error(String(err));
        this.log.error('yamux: error while delivering data', { error: error.message });
        this.fail(GoAwayCode.InternalError, new YamuxError(ErrorCode.SessionShutdown, `internal error: ${error.message}`));
      }
    }
  }

  private fail(code: GoAwayCode, err: Error): void {
    if (this.reason) return;
    this.log.error('yamux: closing session', { error: err.message });
    this.writeControl(FrameType.GoAway, 0, 0, code);
    this.close(err);
  }

  /** One frame header. Throws a protocol YamuxError to end the session. */
  private onHeader(type: FrameType, flags: number, streamId: number, length: number): void {
    this.target = null;
    switch (type) {
      case FrameType.Data:
      case FrameType.WindowUpdate:
        this.onStreamFrame(type, flags, streamId, length);
        return;
      case FrameType.Ping:
        this.onPing(flags, length);
        return;
      case FrameType.GoAway:
        this.onGoAway(length);
        return;
    }
  }

  /** A piece of the current DATA frame's payload. */
  private onPayload(piece: Buffer, frameDone: boolean): void {
    const stream = this.target;
    if (!stream) return; // unknown or reset stream: discard
    stream.onPayload(piece);
    if (frameDone) {
      this.target = null;
      this.applyCloseFlags(stream, this.targetFlags);
    }
  }

  private onStreamFrame(type: FrameType, flags: number, id: number, length: number): void {
    if (flags & Flag.SYN) this.incomingStream(id);
    const stream = this.streams.get(id);
    if (!stream) {
      if (type === FrameType.Data && length > 0) this.log.debug('yamux: discarding data for unknown stream', { stream: id, length });
      return;
    }
    if (flags & Flag.ACK) {
      stream.onAck();
      const timer = this.openTimers.get(id);
      if (timer) {
        clearTimeout(timer);
        this.openTimers.delete(id);
      }
    }
    if (flags & Flag.FIN && stream.remoteClosed) throw protocolError(`unexpected FIN on stream ${id}`);
    if (type === FrameType.WindowUpdate) {
      this.applyCloseFlags(stream, flags);
      if (length > 0 && this.streams.get(id) === stream) stream.onWindowUpdate(length);
      return;
    }
    if (flags & Flag.RST) {
      this.applyCloseFlags(stream, flags);
      return; // payload, if any, is discarded
    }
    if (length > stream.receiveWindow) {
      throw protocolError(`recv window exceeded (stream ${id}, window ${stream.receiveWindow}, frame ${length})`);
    }
    stream.onDataHeader(length);
    if (length === 0) {
      this.applyCloseFlags(stream, flags);
      return;
    }
    this.target = stream;
    this.targetFlags = flags;
  }

  private applyCloseFlags(stream: Stream, flags: number): void {
    if (flags & Flag.RST) stream.onRemoteRst();
    else if (flags & Flag.FIN) stream.onRemoteFin();
  }

  private incomingStream(id: number): void {
    if (this.localGoAway) {
      this.sendRst(id);
      return;
    }
    if (id === 0) throw protocolError('SYN on stream 0');
    if (this.streams.has(id)) throw protocolError(`duplicate stream ${id}`);
    if (this.acceptWaiters.length === 0 && this.acceptQueue.length >= this.options.acceptBacklog) {
      this.log.warn('yamux: backlog exceeded, resetting stream', { stream: id });
      this.sendRst(id);
      return;
    }
    const stream = new Stream(id, this.host, false, this.options.maxStreamWindow);
    this.streams.set(id, stream);
    this.sendWindowUpdate(id, Flag.ACK, stream.window - INITIAL_STREAM_WINDOW);
    const waiter = this.acceptWaiters.shift();
    if (waiter) waiter.resolve(stream);
    else this.acceptQueue.push(stream);
  }

  private onPing(flags: number, id: number): void {
    if (flags & Flag.SYN) {
      this.writeControl(FrameType.Ping, Flag.ACK, 0, id);
      return;
    }
    const ping = this.pings.get(id);
    if (!ping) return;
    this.pings.delete(id);
    clearTimeout(ping.timer);
    ping.resolve(Number(process.hrtime.bigint() - ping.start) / 1e6);
  }

  private onGoAway(code: number): void {
    switch (code) {
      case GoAwayCode.Normal:
        this.remoteGoAwayFlag = true;
        this.emit('goaway');
        return;
      case GoAwayCode.ProtocolError:
        this.close(new YamuxError(ErrorCode.Protocol, 'remote sent GO_AWAY: yamux protocol error'));
        return;
      case GoAwayCode.InternalError:
        this.close(new YamuxError(ErrorCode.SessionShutdown, 'remote sent GO_AWAY: remote yamux internal error'));
        return;
      default:
        this.close(new YamuxError(ErrorCode.Protocol, `remote sent GO_AWAY with unexpected code ${code}`));
    }
  }

  private scheduleKeepAlive(): void {
    this.keepAliveTimer = setTimeout(() => {
      this.ping().then(
        () => {
          if (!this.reason) this.scheduleKeepAlive();
        },
        (err: Error) => {
          if (this.reason) return;
          this.log.error('yamux: keepalive failed', { error: err.message });
          this.close(new YamuxError(ErrorCode.Timeout, 'keepalive timeout'));
        },
      );
    }, this.options.keepAliveInterval);
    this.keepAliveTimer.unref();
  }

  // ---- what streams use (StreamHost) -----------------------------------------------------

  private readonly host: StreamHost = {
    canSendData: () => this.canSendData(),
    waitForDrain: (stream) => this.waitForDrain(stream),
    sendData: (id, payload) => this.sendData(id, payload),
    sendWindowUpdate: (id, flags, delta) => this.sendWindowUpdate(id, flags, delta),
    sendFin: (id) => this.writeControl(FrameType.WindowUpdate, Flag.FIN, id, 0),
    sendRst: (id) => this.sendRst(id),
    forgetStream: (id) => this.forgetStream(id),
  };

  private canSendData(): boolean {
    return this.conn.writableLength + this.outBytes < this.options.writeBufferLimit;
  }

  private waitForDrain(stream: Stream): void {
    this.drainWaiters.add(stream);
    this.scheduleFlush();
  }

  private sendData(streamId: number, payload: Buffer): void {
    if (this.reason) return;
    this.reserve(HEADER_SIZE + (payload.length <= SMALL_PAYLOAD ? payload.length : 0));
    writeHeader(this.scratch, this.scratchUsed, FrameType.Data, 0, streamId, payload.length);
    this.scratchUsed += HEADER_SIZE;
    if (payload.length <= SMALL_PAYLOAD) {
      payload.copy(this.scratch, this.scratchUsed);
      this.scratchUsed += payload.length;
    } else {
      this.seal();
      this.out.push(payload);
    }
    this.outBytes += HEADER_SIZE + payload.length;
    this.scheduleFlush();
  }

  private sendWindowUpdate(streamId: number, flags: number, delta: number): void {
    this.writeControl(FrameType.WindowUpdate, flags, streamId, delta);
  }

  private sendRst(streamId: number): void {
    this.writeControl(FrameType.WindowUpdate, Flag.RST, streamId, 0);
  }

  private forgetStream(streamId: number): void {
    this.streams.delete(streamId);
    const timer = this.openTimers.get(streamId);
    if (timer) {
      clearTimeout(timer);
      this.openTimers.delete(streamId);
    }
    this.drainWaiters.forEach((s) => s.id === streamId && this.drainWaiters.delete(s));
  }

  // ---- sending ---------------------------------------------------------------------------

  private writeControl(type: FrameType, flags: number, streamId: number, length: number): void {
    if (this.reason) return;
    this.reserve(HEADER_SIZE);
    writeHeader(this.scratch, this.scratchUsed, type, flags, streamId, length);
    this.scratchUsed += HEADER_SIZE;
    this.outBytes += HEADER_SIZE;
    this.scheduleFlush();
  }

  private reserve(n: number): void {
    if (this.scratch.length - this.scratchUsed >= n) return;
    this.seal();
    this.scratch = Buffer.allocUnsafe(Math.max(SCRATCH_SIZE, n));
    this.scratchStart = this.scratchUsed = 0;
  }

  /** Moves the filled part of the scratch buffer to the output list (never rewritten later). */
  private seal(): void {
    if (this.scratchUsed > this.scratchStart) {
      this.out.push(this.scratch.subarray(this.scratchStart, this.scratchUsed));
      this.scratchStart = this.scratchUsed;
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    this.seal();
    const chunks = this.out;
    if (chunks.length > 0) {
      this.out = [];
      this.outBytes = 0;
      if (this.conn.writable) {
        if (chunks.length === 1) {
          this.conn.write(chunks[0]!);
        } else {
          this.conn.cork();
          for (const chunk of chunks) this.conn.write(chunk);
          this.conn.uncork();
        }
        if (this.plainSocket && this.conn.writableLength === 0) this.scratchStart = this.scratchUsed = 0;
      }
    }
    if (this.conn.writableLength > STALLED_OUTPUT_LIMIT && !this.reason) {
      // DATA waits for drain, so only a peer that sends (pings, SYNs, ...) without ever reading
      // gets here; Go's counterpart is its connection write timeout.
      this.close(new YamuxError(ErrorCode.Timeout, 'connection write buffer overflow: peer is not reading'));
      return;
    }
    if (this.drainWaiters.size === 0 || this.reason) return;
    if (this.canSendData()) {
      this.wakeDrainWaiters();
    } else if (!this.drainListening) {
      this.drainListening = true;
      this.conn.once('drain', () => {
        this.drainListening = false;
        this.wakeDrainWaiters();
      });
    }
  }

  private wakeDrainWaiters(): void {
    const waiters = [...this.drainWaiters];
    this.drainWaiters.clear();
    for (const stream of waiters) stream.onDrain();
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const client = (conn: Duplex, options?: SessionOptions): Session => new Session(conn, 'client', options);
export const server = (conn: Duplex, options?: SessionOptions): Session => new Session(conn, 'server', options);
