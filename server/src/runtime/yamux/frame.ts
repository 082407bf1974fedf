/**
 * yamux framing (hashicorp/yamux v0.1.2, spec.md).
 *
 * Every frame starts with a 12-byte big-endian header:
 *
 *   offset size field
 *   0      1    version   always 0
 *   1      1    type      0 DATA, 1 WINDOW_UPDATE, 2 PING, 3 GO_AWAY
 *   2      2    flags     0x1 SYN, 0x2 ACK, 0x4 FIN, 0x8 RST
 *   4      4    stream id 0 = the session itself (PING, GO_AWAY)
 *   8      4    length    DATA: payload bytes that follow; WINDOW_UPDATE: window delta;
 *                         PING: opaque value echoed back; GO_AWAY: error code
 *
 * Only DATA frames carry a payload. The reader below never allocates by the length field: DATA
 * payloads are handed on as slices of the chunks the connection delivered, so any byte sequence
 * costs at most the bytes actually received.
 */

export const HEADER_SIZE = 12;
export const PROTOCOL_VERSION = 0;

export enum FrameType {
  Data = 0,
  WindowUpdate = 1,
  Ping = 2,
  GoAway = 3,
}

export enum Flag {
  SYN = 0x1,
  ACK = 0x2,
  FIN = 0x4,
  RST = 0x8,
}

export enum GoAwayCode {
  Normal = 0,
  ProtocolError = 1,
  InternalError = 2,
}

/** Every stream starts with this receive window in each direction (no session-level window). */
export const INITIAL_STREAM_WINDOW = 256 * 1024;

export enum ErrorCode {
  /** The peer broke the protocol (bad version/type, window exceeded, duplicate stream, ...). */
  Protocol = 'ERR_YAMUX_PROTOCOL',
  /** The session is closed or closing. */
  SessionShutdown = 'ERR_YAMUX_SESSION_SHUTDOWN',
  /** The peer reset the stream (RST), or refused it. */
  ConnectionReset = 'ERR_YAMUX_CONNECTION_RESET',
  /** The peer sent GO_AWAY: no new streams may be opened. */
  RemoteGoAway = 'ERR_YAMUX_REMOTE_GO_AWAY',
  /** A ping (or keepalive ping) was not answered in time. */
  Timeout = 'ERR_YAMUX_TIMEOUT',
  /** No more stream ids. */
  StreamsExhausted = 'ERR_YAMUX_STREAMS_EXHAUSTED',
  /** The write side of the stream was already closed. */
  StreamClosed = 'ERR_YAMUX_STREAM_CLOSED',
}

export class YamuxError extends Error {
  override readonly name = 'YamuxError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const protocolError = (message: string): YamuxError => new YamuxError(ErrorCode.Protocol, `yamux protocol error: ${message}`);

/** The error for using a closed session or its streams, keeping the original reason in the text. */
export function shutdownError(reason: Error): YamuxError {
  if (reason instanceof YamuxError && reason.code === ErrorCode.SessionShutdown) return reason;
  return new YamuxError(ErrorCode.SessionShutdown, `session shutdown: ${reason.message}`);
}

/** Writes one header at `offset` of `target`. */
export function writeHeader(
  target: Buffer,
  offset: number,
  type: FrameType,
  flags: number,
  streamId: number,
  length: number,
): void {
  target[offset] = PROTOCOL_VERSION;
  target[offset + 1] = type;
  target.writeUInt16BE(flags, offset + 2);
  target.writeUInt32BE(streamId >>> 0, offset + 4);
  target.writeUInt32BE(length >>> 0, offset + 8);
}

export function encodeHeader(type: FrameType, flags: number, streamId: number, length: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_SIZE);
  writeHeader(header, 0, type, flags, streamId, length);
  return header;
}

/** What the reader reports. `payload` is only called for DATA frames, in order, until `length` bytes. */
export interface FrameSink {
  header(type: FrameType, flags: number, streamId: number, length: number): void;
  /** A slice of a received chunk (not a copy). Never called for empty DATA frames. */
  payload(piece: Buffer, frameDone: boolean): void;
}

/**
 * Incremental frame parser: feed it whatever the connection delivers, in any split.
 * Throws a YamuxError (code Protocol) on a bad version or frame type; after an error or stop()
 * it ignores further input.
 */
export class FrameReader {
  private readonly headerBuf = Buffer.allocUnsafe(HEADER_SIZE);
  private headerFill = 0;
  /** Payload bytes of the current DATA frame still to come. */
  private payloadLeft = 0;
  private stopped = false;

  constructor(private readonly sink: FrameSink) {}

  stop(): void {
    this.stopped = true;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    const end = chunk.length;
    while (pos < end && !this.stopped) {
      if (this.payloadLeft > 0) {
        const take = Math.min(this.payloadLeft, end - pos);
        this.payloadLeft -= take;
        this.sink.payload(chunk.subarray(pos, pos + take), this.payloadLeft === 0);
        pos += take;
        continue;
      }
      if (this.headerFill === 0 && end - pos >= HEADER_SIZE) {
        // Common case: the whole header is in this chunk; read it in place.
        this.parseHeader(chunk, pos);
        pos += HEADER_SIZE;
      } else {
        const take = Math.min(HEADER_SIZE - this.headerFill, end - pos);
        chunk.copy(this.headerBuf, this.headerFill, pos, pos + take);
        this.headerFill += take;
        pos += take;
        if (this.headerFill < HEADER_SIZE) return;
        this.headerFill = 0;
        this.parseHeader(this.headerBuf, 0);
      }
    }
  }

  private parseHeader(buf: Buffer, at: number): void {
    const version = buf[at]!;
    if (version !== PROTOCOL_VERSION) {
      this.stopped = true;
      throw protocolError(`invalid protocol version ${version}`);
    }
    const type = buf[at + 1]!;
    if (type > FrameType.GoAway) {
      this.stopped = true;
      throw protocolError(`invalid message type ${type}`);
    }
    const flags = buf.readUInt16BE(at + 2);
    const streamId = buf.readUInt32BE(at + 4);
    const length = buf.readUInt32BE(at + 8);
    if (type === FrameType.Data) this.payloadLeft = length;
    this.sink.header(type, flags, streamId, length);
  }
}
