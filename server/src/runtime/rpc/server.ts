/**
 * net/rpc server over one stream. Every call runs concurrently (a handler may call back into the
 * peer, which may call us again before we answer); responses go out whole, in completion order.
 * Error texts are Go's own, byte for byte.
 */
import type { Duplex } from 'node:stream';
import type { GoType } from '../gob/index';
import { GobConnection, emptyStruct, parseHeader, responseHeader, type Header, type RpcOptions } from './codec';
import type { RpcMethod, RpcService } from './types';

export interface RpcServing {
  /** Resolves when the stream has ended and every started call has answered (or could not). */
  readonly closed: Promise<void>;
  /** Why reading stopped, if it was not a clean EOF. */
  readonly error: () => Error | undefined;
}

export function serveRpc(stream: Duplex, services: Readonly<Record<string, RpcService>>, options: RpcOptions = {}): RpcServing {
  let header: Header | undefined;
  let inFlight = 0;
  let inputDone = false;
  let failure: Error | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const maybeClose = (): void => {
    if (!inputDone || inFlight > 0) return;
    // Go's ServeCodec: no more requests, every response sent → close the codec. After a protocol
    // error the peer may still be sending, so the stream is torn down rather than half-closed.
    if (failure !== undefined) stream.destroy();
    else if (!stream.destroyed && !stream.writableEnded) stream.end();
    resolveClosed();
  };

  const respond = (h: Header, replyType: GoType, reply: unknown, errorText: string): void => {
    let error = errorText;
    if (error === '') {
      try {
        conn.write(conn.encodePair(responseHeader, { ServiceMethod: h.serviceMethod, Seq: h.seq }, replyType, reply));
        return;
      } catch (err) {
        // The reply does not match its description: tell the caller instead of breaking the stream.
        error = err instanceof Error ? err.message : String(err);
      }
    }
    conn.write(conn.encodePair(responseHeader, { ServiceMethod: h.serviceMethod, Seq: h.seq, Error: error }, emptyStruct, {}));
  };

  const dispatch = (h: Header, args: unknown): void => {
    const found = lookup(services, h.serviceMethod);
    if (typeof found === 'string') {
      respond(h, emptyStruct, undefined, found);
      return;
    }
    let result: unknown;
    try {
      result = found.handle(args);
    } catch (err) {
      respond(h, emptyStruct, undefined, errorText(err));
      return;
    }
    // A handler that answers synchronously is answered at once: no promises, no microtask hops.
    if (!isThenable(result)) {
      respond(h, derefReply(found.reply), result, '');
      return;
    }
    inFlight++;
    void Promise.resolve(result).then(
      (reply) => respond(h, derefReply(found.reply), reply, ''),
      (err: unknown) => respond(h, emptyStruct, undefined, errorText(err)),
    ).finally(() => {
      inFlight--;
      maybeClose();
    });
  };

  const conn = new GobConnection(
    stream,
    (value) => {
      if (header === undefined) {
        header = parseHeader(value);
        return;
      }
      const h = header;
      header = undefined;
      dispatch(h, value);
    },
    (err) => {
      failure = err;
      inputDone = true;
      maybeClose();
    },
    options,
  );
  return { closed, error: () => failure };
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** Go's server.go lookup, with its exact error texts. */
function lookup(services: Readonly<Record<string, RpcService>>, serviceMethod: string): RpcMethod | string {
  const dot = serviceMethod.lastIndexOf('.');
  if (dot < 0) return `rpc: service/method request ill-formed: ${serviceMethod}`;
  const serviceName = serviceMethod.slice(0, dot);
  const methodName = serviceMethod.slice(dot + 1);
  const service = Object.hasOwn(services, serviceName) ? services[serviceName] : undefined;
  if (service === undefined) return `rpc: can't find service ${serviceMethod}`;
  const method = Object.hasOwn(service, methodName) ? service[methodName] : undefined;
  if (method === undefined) return `rpc: can't find method ${serviceMethod}`;
  return method;
}

/** Go allocates the reply (`new(T)`), so a pointer reply type never sends nil. */
function derefReply(t: GoType): GoType {
  let r = t;
  while (r.kind === 'pointer') r = r.elem;
  return r;
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // An empty Error string means success on the wire; never send that for a failure.
  return text === '' ? 'error' : text;
}
