import { Duplex } from 'node:stream';
import { ErrorCode, INITIAL_STREAM_WINDOW, YamuxError, shutdownError } from './frame';

/** What a stream needs from its session (implemented by Session). */
export interface StreamHost {
  /** False while the connection's write buffer is over its limit; `waitForDrain` then calls back. */
  canSendData(): boolean;
  waitForDrain(stream: Stream): void;
  sendData(streamId: number, payload: Buffer): void;
  sendWindowUpdate(streamId: number, flags: number, delta: number): void;
  sendFin(streamId: number): void;
  sendRst(streamId: number): void;
  /** The stream is finished at the protocol level (both FINs, or RST): forget its id. */
  forgetStream(streamId: number): void;
}

/** Writes smaller than this, queued together, are merged into one DATA frame. */
const COALESCE_LIMIT = 64 * 1024;

interface PendingWrite {
  buf: Buffer;
  offset: number;
  callback: (err?: Error | null) => void;
}

/**
 * One yamux stream as a Node Duplex. Errors are emitted as 'error' like a socket's (a stream reset
 * by the peer, a write after the session closed); unlike a socket, an unobserved one is ignored.
 *
 * Flow control: the peer may send at most `window` bytes beyond what our consumer has taken (the
 * protocol's initial 256 KiB, plus what the session grants with the SYN/ACK when its
 * maxStreamWindow is larger); a WINDOW_UPDATE goes out once the consumer has taken a quarter of
 * the window, so a consumer that stops reading stops the peer (see maybeGrantWindow). Our own
 * sends never exceed the peer's window and resume on its WINDOW_UPDATE.
 */
export class Stream extends Duplex {
  /** Bytes we may still send before the peer grants more. */
  private sendWindow = INITIAL_STREAM_WINDOW;
  /** Total bytes the peer may send, ever (initial window + updates sent). */
  private granted: number;
  private received = 0;
  /** Total bytes handed to the Readable side (push). */
  private pushed = 0;
  private readonly queue: Buffer[] = [];
  private queueHead = 0;
  private wantsData = false;
  private remoteFin = false;
  private eofPushed = false;
  private localFin = false;
  private reset = false;
  private sessionGone: Error | null = null;
  private pending: PendingWrite | null = null;
  private rstRequested = false;
  /** Locally opened streams: the peer has not ACKed yet. */
  private awaitingAck: boolean;

  constructor(
    readonly id: number,
    private readonly host: StreamHost,
    openedLocally: boolean,
    /** Our receive window; the session grants what exceeds INITIAL_STREAM_WINDOW with the SYN/ACK. */
    readonly window = INITIAL_STREAM_WINDOW,
  ) {
    super({ allowHalfOpen: true, readableHighWaterMark: 64 * 1024, writableHighWaterMark: 64 * 1024 });
    this.granted = window;
    this.awaitingAck = openedLocally;
    // The peer can reset a stream before anyone had a chance to listen (SYN and RST in one
    // read): an unobserved error must not crash the process. Users still see it through their
    // own 'error' listener, `errored`, or stream.finished().
    this.on('error', ignore);
  }

  /** True until the peer ACKs a stream we opened. */
  get pendingAck(): boolean {
    return this.awaitingAck;
  }

  /** Aborts the stream in both directions and tells the peer (RST). */
  resetStream(): void {
    this.rstRequested = true;
    this.destroy();
  }

  // ---- called by the session -------------------------------------------------------------

  /** How many more DATA bytes the peer may send right now. */
  get receiveWindow(): number {
    return this.granted - this.received;
  }

  onAck(): void {
    this.awaitingAck = false;
  }

  /** Accounts a DATA frame's length before its payload arrives (the session checked the window). */
  onDataHeader(length: number): void {
    this.received += length;
  }

  onPayload(received: Buffer): void {
    if (this.eofPushed || this.destroyed) return;
    const piece = detach(received);
    if (this.wantsData && this.queueHead === this.queue.length) {
      this.pushed += piece.length;
      this.wantsData = this.push(piece);
      this.maybeGrantWindow();
      return;
    }
    this.queue.push(piece);
  }

  onWindowUpdate(delta: number): void {
    this.sendWindow += delta;
    if (this.pending) this.trySend();
  }

  onRemoteFin(): void {
    this.remoteFin = true;
    if (this.localFin) this.host.forgetStream(this.id);
    this.deliver();
  }

  onRemoteRst(): void {
    this.reset = true;
    this.host.forgetStream(this.id);
    this.destroy(new YamuxError(ErrorCode.ConnectionReset, 'connection reset'));
  }

  /** The session closed: buffered data stays readable, then EOF; further writes fail. */
  onSessionClose(reason: Error): void {
    this.sessionGone = reason;
    this.remoteFin = true;
    const pending = this.pending;
    this.pending = null;
    pending?.callback(this.writeError());
    this.deliver();
  }

  /** The connection drained: continue a write that was waiting for it. */
  onDrain(): void {
    if (this.pending) this.trySend();
  }

  get remoteClosed(): boolean {
    return this.remoteFin;
  }

  // ---- Readable --------------------------------------------------------------------------

  override _read(): void {
    this.wantsData = true;
    this.deliver();
  }

  private deliver(): void {
    while (this.wantsData && this.queueHead < this.queue.length) {
      const piece = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = EMPTY;
      this.pushed += piece.length;
      this.wantsData = this.push(piece);
    }
    if (this.queueHead === this.queue.length && this.queueHead > 0) {
      this.queue.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead > 1024) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    if (this.remoteFin && this.queueHead === this.queue.length && !this.eofPushed) {
      this.eofPushed = true;
      this.push(null);
    }
    this.maybeGrantWindow();
  }

  /**
   * Grants the peer the bytes our consumer has taken, once that is at least a quarter of the
   * window (Go waits for half; granting earlier keeps a sender that is faster than one round trip
   * per window from stalling, at one 12-byte frame per quarter window).
   * "Taken" means handed to the Readable side, which only asks for more (`_read`) while its own
   * buffer is below its highWaterMark: so a consumer that stops reading stops the grants, and at
   * most one window plus one highWaterMark is ever buffered. (Counting only what left the
   * Readable's buffer would be more exact but can stall: Node does not call `_read` again after a
   * `_read` that pushed nothing, so a later read would go unnoticed.)
   */
  private maybeGrantWindow(): void {
    const delta = this.pushed + this.window - this.granted;
    if (delta < this.window / 4 || this.remoteFin || this.reset || this.destroyed) return;
    this.granted += delta;
    this.host.sendWindowUpdate(this.id, 0, delta);
  }

  // ---- Writable --------------------------------------------------------------------------

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.sendChunk(chunk, callback);
  }

  private sendChunk(chunk: Buffer, callback: (err?: Error | null) => void): void {
    const error = this.writeError();
    if (error) return callback(error);
    if (chunk.length === 0) return callback(); // nothing to frame
    this.pending = { buf: chunk, offset: 0, callback };
    this.trySend();
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (err?: Error | null) => void): void {
    let total = 0;
    for (const c of chunks) total += c.chunk.length;
    if (total <= COALESCE_LIMIT) {
      this.sendChunk(Buffer.concat(chunks.map((c) => c.chunk), total), callback);
      return;
    }
    // Large batches: send chunk by chunk without copying.
    let i = 0;
    const next = (err?: Error | null): void => {
      if (err || i === chunks.length) return callback(err);
      this.sendChunk(chunks[i++]!.chunk, next);
    };
    next();
  }

  private trySend(): void {
    const pending = this.pending;
    if (!pending) return;
    const error = this.writeError();
    if (error) {
      this.pending = null;
      pending.callback(error);
      return;
    }
    while (this.sendWindow > 0) {
      if (!this.host.canSendData()) {
        this.host.waitForDrain(this);
        return;
      }
      const n = Math.min(this.sendWindow, pending.buf.length - pending.offset);
      const whole = pending.offset === 0 && n === pending.buf.length;
      this.host.sendData(this.id, whole ? pending.buf : pending.buf.subarray(pending.offset, pending.offset + n));
      this.sendWindow -= n;
      pending.offset += n;
      if (pending.offset === pending.buf.length) {
        this.pending = null;
        pending.callback();
        return;
      }
    }
    // Window exhausted: onWindowUpdate resumes.
  }

  private writeError(): Error | null {
    if (this.reset) return new YamuxError(ErrorCode.ConnectionReset, 'connection reset');
    if (this.sessionGone) return shutdownError(this.sessionGone);
    if (this.localFin) return new YamuxError(ErrorCode.StreamClosed, 'stream closed');
    return null;
  }

  override _final(callback: (err?: Error | null) => void): void {
    if (!this.reset && !this.sessionGone && !this.localFin) {
      this.localFin = true;
      this.host.sendFin(this.id);
      if (this.remoteFin) this.host.forgetStream(this.id);
    }
    callback();
  }

  override _destroy(err: Error | null, callback: (err: Error | null) => void): void {
    const pending = this.pending;
    this.pending = null;
    this.queue.length = 0;
    this.queueHead = 0;
    if (!this.reset && !this.sessionGone && !(this.localFin && this.remoteFin)) {
      if (err === null && !this.rstRequested && this.remoteFin && !this.localFin && !pending) {
        // Peer is done and so are we: a graceful close.
        this.localFin = true;
        this.host.sendFin(this.id);
      } else {
        this.reset = true;
        this.host.sendRst(this.id);
      }
      this.host.forgetStream(this.id);
    }
    pending?.callback(err ?? new YamuxError(ErrorCode.StreamClosed, 'stream destroyed'));
    callback(err);
  }
}

const EMPTY = Buffer.alloc(0);
const ignore = (): void => {};

/**
 * Payload arrives as views of the chunks the socket delivered. A view much smaller than its chunk
 * is copied before it is kept: otherwise a peer sending 1-byte DATA frames, each padded with
 * frames for other streams, makes every byte of the window pin a whole chunk (up to 64 KiB), and
 * what we buffer is no longer bounded by the window.
 */
function detach(piece: Buffer): Buffer {
  return piece.length * 8 < piece.buffer.byteLength ? Buffer.from(piece) : piece;
}
