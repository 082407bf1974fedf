/**
 * net/rpc client over one stream: Request{ServiceMethod, Seq} + args out, Response + reply in,
 * replies matched by Seq (Go's server answers concurrently, so in any order).
 */
import type { Duplex } from 'node:stream';
import { GobError, type GoType } from '../gob/index';
import { GobConnection, parseHeader, requestHeader, type Header, type RpcOptions } from './codec';
import { RpcConnectionError, RpcServerError, type RpcCaller } from './types';

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
}

export class RpcClient implements RpcCaller {
  private readonly conn: GobConnection;
  private readonly pending = new Map<number | bigint, Pending>();
  private seq = 0;
  /** The header whose body is the next value to arrive. */
  private header: Header | undefined;
  private shutdown: RpcConnectionError | undefined;
  private closing = false;

  constructor(stream: Duplex, options: RpcOptions = {}) {
    this.conn = new GobConnection(stream, (v) => this.receive(v), (err) => this.fail(err), options);
  }

  call(serviceMethod: string, argType: GoType, args: unknown): Promise<unknown> {
    if (this.shutdown) return Promise.reject(this.shutdown);
    const seq = this.seq++;
    let pair: Uint8Array;
    try {
      // If the args do not match their description nothing is written at all.
      pair = this.conn.encodePair(requestHeader, { ServiceMethod: serviceMethod, Seq: seq }, argType, args);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new GobError(String(err)));
    }
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      if (!this.conn.write(pair)) {
        this.pending.delete(seq);
        reject(new RpcConnectionError('connection is shut down'));
      }
    });
  }

  /** Closes the stream; calls still waiting fail with RpcConnectionError. */
  close(): void {
    this.closing = true;
    this.conn.stream.destroy();
    this.fail(undefined);
  }

  /** Number of calls waiting for their reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  private receive(value: unknown): void {
    if (this.header === undefined) {
      this.header = parseHeader(value);
      return;
    }
    const header = this.header;
    this.header = undefined;
    const seq = header.seq;
    const call = this.pending.get(seq);
    // No pending call: the server telling us about a request it could not read; body dropped.
    if (call === undefined) return;
    this.pending.delete(seq);
    if (header.error !== '') call.reject(new RpcServerError(header.error));
    else call.resolve(value);
  }

  private fail(err: Error | undefined): void {
    if (!this.shutdown) {
      const message = this.closing || err === undefined
        ? (this.closing ? 'connection is shut down' : 'unexpected EOF')
        : err.message;
      this.shutdown = new RpcConnectionError(message, { cause: err });
      if (!this.closing && !this.conn.stream.destroyed) this.conn.stream.destroy();
    }
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const call of pending) call.reject(this.shutdown);
  }
}
