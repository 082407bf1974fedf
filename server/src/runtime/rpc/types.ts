import type { GoType } from '../gob/types';

/** One method of a net/rpc service: the Go reply type drives encoding of what `handle` returns. */
export interface RpcMethod {
  readonly reply: GoType;
  /** `args` is the generically decoded gob value. Throwing sends the error's message as Response.Error. */
  readonly handle: (args: unknown) => unknown;
}

/** A net/rpc service: method name (without the service prefix) → method. */
export type RpcService = Readonly<Record<string, RpcMethod>>;

/** The client side of one net/rpc connection. */
export interface RpcCaller {
  /** Resolves with the generically decoded reply; rejects with RpcServerError when Response.Error is set. */
  call(serviceMethod: string, argType: GoType, args: unknown): Promise<unknown>;
  close(): void;
}

/** The remote method returned an error (Go's rpc.ServerError): the text is exactly the server's. */
export class RpcServerError extends Error {
  override readonly name = 'RpcServerError';
}

/** The connection failed or closed before the reply arrived (Go's rpc.ErrShutdown / unexpected EOF). */
export class RpcConnectionError extends Error {
  override readonly name = 'RpcConnectionError';
}
