/**
 * net/rpc's gob codec over a Node Duplex: the two header types, one gob stream per direction,
 * and a reader that turns incoming bytes into values. Knows nothing of services or calls.
 */
import type { Duplex } from 'node:stream';
import { GobDecoder, GobEncoder, GobError, string, struct, uint64, type GobDecoderOptions, type GoType } from '../gob/index';

/** net/rpc's Request header (the unexported `next` field is not sent). */
export const requestHeader = struct('Request', () => [['ServiceMethod', string], ['Seq', uint64]]);
/** net/rpc's Response header. */
export const responseHeader = struct('Response', () => [['ServiceMethod', string], ['Seq', uint64], ['Error', string]]);
/** `struct{}`: the body of error replies, and the reply type of methods that return nothing. */
export const emptyStruct = struct('', () => []);

export interface RpcOptions {
  /** Defaults to the gob decoder's, except the message size limit (see RPC_MAX_MESSAGE). */
  readonly decoder?: GobDecoderOptions;
}

/**
 * Far above the gob decoder's default: Mattermost's plugin API moves whole files as []byte
 * (ReadFile, UploadFile; MaxFileSize defaults to 100 MB). Go itself accepts up to 8 GiB on 64-bit
 * (decoder.go tooBig), more than a Node Buffer holds. Memory still grows only with bytes received.
 */
export const RPC_MAX_MESSAGE = (1 << 30) - 1;

export interface Header {
  readonly serviceMethod: string;
  readonly seq: number | bigint;
  readonly error: string;
}

/** Reads a decoded Request/Response header, checking its shape (a peer could send anything). */
export function parseHeader(value: unknown): Header {
  if (typeof value !== 'object' || value === null) throw new GobError('rpc: header is not a struct');
  const h = value as { ServiceMethod?: unknown; Seq?: unknown; Error?: unknown };
  const serviceMethod = h.ServiceMethod ?? '';
  const seq = h.Seq ?? 0;
  const error = h.Error ?? '';
  if (typeof serviceMethod !== 'string' || typeof error !== 'string'
    || (typeof seq !== 'number' && typeof seq !== 'bigint') || seq < 0) {
    throw new GobError('rpc: malformed header');
  }
  return { serviceMethod, seq, error };
}

/**
 * One net/rpc connection end: decodes what arrives (calling `onValue` per value, in order) and
 * writes header + body pairs, each encoded into one buffer and written with one write call.
 */
export class GobConnection {
  private readonly encoder = new GobEncoder();
  private readonly decoder: GobDecoder;
  private ended = false;

  constructor(
    readonly stream: Duplex,
    onValue: (value: unknown) => void,
    /** Called once: undefined on a clean EOF, else what broke the connection. */
    private readonly onEnd: (err: Error | undefined) => void,
    options: RpcOptions = {},
  ) {
    this.decoder = new GobDecoder({ maxMessageSize: RPC_MAX_MESSAGE, ...options.decoder });
    stream.on('data', (chunk: Buffer) => {
      if (this.ended) return;
      this.decoder.push(chunk);
      try {
        for (let item = this.decoder.next(); item !== undefined && !this.ended; item = this.decoder.next()) {
          onValue(item.value);
        }
      } catch (err) {
        this.finish(err instanceof Error ? err : new Error(String(err)));
      }
    });
    stream.on('end', () => {
      this.finish(this.decoder.buffered > 0 ? new Error('unexpected EOF') : undefined);
    });
    stream.on('error', (err: Error) => this.finish(err));
    stream.on('close', () => this.finish(new Error('connection is shut down')));
  }

  /** Encodes a header and its body as one contiguous unit (all or nothing, see GobEncoder.encodePair). */
  encodePair(headerType: GoType, header: unknown, bodyType: GoType, body: unknown): Uint8Array {
    return this.encoder.encodePair(headerType, header, bodyType, body);
  }

  /**
   * Writes an encoded header + body. One write call, made synchronously right after encoding,
   * so pairs from concurrent calls can never interleave on the stream.
   */
  write(pair: Uint8Array): boolean {
    const s = this.stream;
    if (s.destroyed || s.writableEnded) return false;
    s.write(pair);
    return true;
  }

  private finish(err: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(err);
  }
}
