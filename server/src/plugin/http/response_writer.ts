/**
 * Client of the server's http.ResponseWriter RPC service (plugin/http.go,
 * httpResponseWriterRPCServer): SyncHeader(http.Header) replaces the server's header map,
 * WriteHeader(int), Write([]byte), Flush(struct{}) (servers ≥ v0.4 of server/public; older
 * ones answer "can't find method", after which we stop asking).
 *
 * Go's net/rpc server runs every call in its own goroutine, so two Writes in flight could land
 * out of order: callers must await each call before the next (ResponseBridge does).
 */
import { bytes, int, type GoType } from '../../runtime/gob/types';
import { RpcServerError, type RpcCaller } from '../../runtime/rpc/types';
import { Empty, HttpHeader } from '../model/gob_types';

export type GoHeader = Record<string, string[]>;

export class ResponseWriterClient {
  private flushSupported = true;

  constructor(private readonly rpc: RpcCaller) {}

  syncHeader(header: GoHeader): Promise<unknown> {
    return this.call('SyncHeader', HttpHeader, header);
  }

  writeHeader(status: number): Promise<unknown> {
    return this.call('WriteHeader', int, status);
  }

  write(chunk: Uint8Array): Promise<unknown> {
    return this.call('Write', bytes, chunk);
  }

  async flush(): Promise<void> {
    if (!this.flushSupported) return;
    try {
      await this.call('Flush', Empty, {});
    } catch (err) {
      if (err instanceof RpcServerError && err.message.startsWith("rpc: can't find method")) this.flushSupported = false;
      else throw err;
    }
  }

  close(): void {
    this.rpc.close();
  }

  private call(method: string, type: GoType, value: unknown): Promise<unknown> {
    return this.rpc.call(`Plugin.${method}`, type, value);
  }
}

/** textproto.CanonicalMIMEHeaderKey, so the server sees e.g. Content-Type and does not sniff its own. */
export function canonicalHeaderKey(key: string): string {
  let canonical = canonicalKeys.get(key);
  if (canonical === undefined) {
    canonical = /^[\w!#$%&'*+\-.^`|~]+$/.test(key)
      ? key.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase())
      : key;
    // Header names repeat across requests; bound the cache in case a client sends endless new ones.
    if (canonicalKeys.size < 1000) canonicalKeys.set(key, canonical);
  }
  return canonical;
}
const canonicalKeys = new Map<string, string>();

/** Node's outgoing headers (lower-cased names, number | string | string[] values) → http.Header. */
export function toGoHeader(headers: Record<string, number | string | readonly string[] | undefined>): GoHeader {
  const out: GoHeader = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[canonicalHeaderKey(name)] = Array.isArray(value) ? value.map(String) : [String(value)];
  }
  return out;
}
