/**
 * ServeHTTP → a normal Node request for a RequestListener (an express app).
 *
 * Why our own adapter and not an injection library (light-my-request): express replaces the
 * prototypes of req/res with its own (`Object.setPrototypeOf(res, app.response)`, which derives
 * from http.ServerResponse.prototype), so an adapter that captures output through prototype
 * overrides (light-my-request's Response.prototype.write/end) silently loses the body under
 * express; and those libraries buffer the whole response, with no backpressure towards the
 * writer. We therefore use *real* http.IncomingMessage / http.ServerResponse instances (so every
 * express and Node API behaves as on a socket) and intercept output with own-property overrides
 * of writeHead/write/end/flushHeaders/destroy, which survive express's prototype swap. Output goes
 * to Mattermost's response-writer RPC one call at a time (Go's net/rpc may reorder concurrent
 * calls), consecutive writes are coalesced while a call is in flight, `write()` returns false past
 * a high-water mark and 'drain' follows, so streamed bodies of any size are flow-controlled.
 *
 * Wire sequence (mirrors Go's httpResponseWriterRPCClient): headers are committed with
 * SyncHeader(full map); WriteHeader(status) follows unless the status is 200, which the server's
 * first Write (or the end of ServeHTTP) implies — the header map cannot change after commit, so
 * one SyncHeader serves every later Write. When a streamed response goes idle (queue drained,
 * not ended), Flush is sent so the server pushes buffered bytes to the client (SSE, progress).
 */
import { IncomingMessage, ServerResponse, type RequestListener } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex, type Readable } from 'node:stream';
import { MarshaledValue } from '../../runtime/gob/values';
import type { PluginContext } from '../model/types';
import { toGoHeader, type ResponseWriterClient } from './response_writer';

const HIGH_WATER_MARK = 256 * 1024;
const MAX_WRITE_BATCH = 1024 * 1024;

/** The decoded plugin.HTTPRequestSubset (or the full http.Request older servers sent). */
export interface RequestSubset {
  Method?: string;
  URL?: unknown;
  ProtoMajor?: number;
  ProtoMinor?: number;
  Header?: Record<string, string[]>;
  Host?: string;
  RemoteAddr?: string;
  RequestURI?: string;
}

const contexts = new WeakMap<IncomingMessage, PluginContext>();

/** The plugin.Context Mattermost sent with this request (session id, request id, …). */
export function pluginContextOf(req: IncomingMessage): PluginContext | undefined {
  return contexts.get(req);
}

/** Runs `handler` for one ServeHTTP call; resolves once the response is fully delivered (or failed). */
export function serveBridged(
  handler: RequestListener,
  request: RequestSubset,
  context: PluginContext,
  body: Readable | null,
  writer: ResponseWriterClient,
): Promise<Error | null> {
  const req = buildRequest(request, body);
  contexts.set(req, context);
  const res = new ServerResponse(req);
  const out = new ResponseBridge(res, writer, req.method === 'HEAD');
  try {
    handler(req, res);
  } catch (err) {
    out.handlerThrew(err);
  }
  // The request is left as it is: its body stream is closed by the caller, and destroying an
  // unfinished IncomingMessage costs an Error (stack trace) per request for nothing.
  return out.done;
}

function buildRequest(request: RequestSubset, body: Readable | null): IncomingMessage {
  const [address, port] = splitHostPort(request.RemoteAddr ?? '');
  // A real (inert) stream as the socket: Node's IncomingMessage destroy path runs finished() on it.
  const socket = Object.assign(new Duplex({ read() {}, write(_c, _e, cb) { cb(); } }), {
    remoteAddress: address,
    remotePort: port,
    remoteFamily: address.includes(':') ? 'IPv6' : 'IPv4',
    encrypted: false,
    setTimeout() { return this; },
    setNoDelay() { return this; },
    setKeepAlive() { return this; },
    ref() { return this; },
    unref() { return this; },
  });
  const req = new IncomingMessage(socket as unknown as Socket);
  req.method = (request.Method || 'GET').toUpperCase();
  req.url = requestPath(request.URL, request.RequestURI);
  req.httpVersionMajor = request.ProtoMajor ?? 1;
  req.httpVersionMinor = request.ProtoMinor ?? 1;
  req.httpVersion = `${req.httpVersionMajor}.${req.httpVersionMinor}`;
  const raw: string[] = [];
  if (request.Host) raw.push('Host', request.Host);
  for (const [name, values] of Object.entries(request.Header ?? {})) {
    for (const value of values ?? []) raw.push(name, value);
  }
  req.rawHeaders = raw;
  req.headers = nodeHeaders(raw);

  // Always attached, even for a GET: Go's server strips Transfer-Encoding from the header map, so
  // a chunked upload shows neither it nor Content-Length. Bytes are only asked for when read.
  if (!body) {
    req._read = () => {};
    req.complete = true;
    req.push(null);
    return req;
  }
  req._read = () => {
    body.resume();
  };
  body.on('data', (chunk: Buffer) => {
    if (!req.push(chunk)) body.pause();
  });
  body.once('end', () => {
    req.complete = true;
    req.push(null);
  });
  body.once('error', (err) => req.destroy(err));
  body.pause();
  return req;
}

/** Node's lower-cased header object: set-cookie stays a list, other repeats are joined with ", ". */
function nodeHeaders(raw: readonly string[]): IncomingMessage['headers'] {
  const headers: IncomingMessage['headers'] = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const prev = headers[name];
    if (name === 'set-cookie') headers[name] = [...(prev ?? []), value];
    else headers[name] = prev === undefined ? value : `${String(prev)}, ${value}`;
  }
  return headers;
}

/** url.URL.String() of the (already rewritten) request URL → path + query for Node. */
function requestPath(url: unknown, requestURI: string | undefined): string {
  // Without a registered codec the decoder hands marshaled values over as raw bytes.
  const raw = url instanceof Uint8Array ? url : url instanceof MarshaledValue ? url.bytes : null;
  const text = typeof url === 'string' ? url : raw ? new TextDecoder().decode(raw) : '';
  const source = text || requestURI || '/';
  if (source.startsWith('/')) return source;
  try {
    const parsed = new URL(source);
    return parsed.pathname + parsed.search;
  } catch {
    return '/';
  }
}

function splitHostPort(hostPort: string): [string, number | undefined] {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(hostPort);
  return m ? [m[1]!, Number(m[2])] : [hostPort, undefined];
}

type Callback = (err?: Error | null) => void;
type Op =
  | { kind: 'sync' }
  | { kind: 'status'; status: number }
  | { kind: 'write'; data: Buffer; callbacks: Callback[] }
  | { kind: 'flush' };

/** Owns one ServerResponse's output: turns it into ordered response-writer RPCs. */
class ResponseBridge {
  readonly done: Promise<Error | null>;
  private resolveDone!: (err: Error | null) => void;
  private readonly queue: Op[] = [];
  private pumping = false;
  private committed = false;
  private ended = false;
  private closed = false;
  private buffered = 0;
  private needDrain = false;
  private writesSinceFlush = 0;
  private header: Record<string, string[]> = {};

  constructor(
    private readonly res: ServerResponse,
    private readonly writer: ResponseWriterClient,
    private readonly headOnly: boolean,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.install();
  }

  private install(): void {
    const res = this.res;
    Object.defineProperties(res, {
      writableNeedDrain: { get: () => this.needDrain, configurable: true },
      writableLength: { get: () => this.buffered, configurable: true },
    });
    res.writeHead = ((status: number, ...rest: unknown[]): ServerResponse => {
      if (this.committed) throw Object.assign(new Error('Cannot write headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
      if (!Number.isInteger(status) || status < 100 || status > 999) {
        throw Object.assign(new RangeError(`Invalid status code: ${status}`), { code: 'ERR_HTTP_INVALID_STATUS_CODE' });
      }
      res.statusCode = status;
      let headers = rest[0];
      if (typeof headers === 'string') {
        res.statusMessage = headers;
        headers = rest[1];
      }
      applyHeaders(res, headers);
      this.commit();
      return res;
    });
    res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
      if (typeof encoding === 'function') return this.write(chunk, undefined, encoding as Callback);
      return this.write(chunk, encoding as BufferEncoding | undefined, cb as Callback | undefined);
    }) as ServerResponse['write'];
    res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown): ServerResponse => {
      if (typeof chunk === 'function') this.end(undefined, undefined, chunk as Callback);
      else if (typeof encoding === 'function') this.end(chunk, undefined, encoding as Callback);
      else this.end(chunk, encoding as BufferEncoding | undefined, cb as Callback | undefined);
      return res;
    }) as ServerResponse['end'];
    res.flushHeaders = () => {
      this.commit();
      this.pump();
    };
    res.destroy = (err?: Error) => {
      this.fail(err ?? new Error('response destroyed by the handler'));
      return res;
    };
  }

  handlerThrew(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(`[ERROR] ServeHTTP handler threw: ${error.stack ?? error.message}\n`);
    if (!this.committed) {
      for (const name of this.res.getHeaderNames()) this.res.removeHeader(name);
      this.res.statusCode = 500;
      this.res.setHeader('Content-Type', 'application/json');
      this.end(JSON.stringify({ error: 'internal error' }));
    } else {
      this.end(undefined);
    }
  }

  private commit(): void {
    if (this.committed) return;
    this.committed = true;
    this.header = toGoHeader(this.res.getHeaders());
    // headersSent is `!!this._header` in Node: mark it so later setHeader calls fail as they should.
    (this.res as unknown as { _header: string })._header = 'sent over the Mattermost response-writer RPC';
    this.queue.push({ kind: 'sync' });
    if (this.res.statusCode !== 200) this.queue.push({ kind: 'status', status: this.res.statusCode });
  }

  private write(chunk: unknown, encoding: BufferEncoding | undefined, cb: Callback | undefined): boolean {
    if (this.ended || this.closed) {
      const err = Object.assign(new Error(this.closed ? 'write after the response closed' : 'write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' });
      if (cb) process.nextTick(cb, err);
      return false;
    }
    if (chunk === undefined || chunk === null) throw new TypeError('The "chunk" argument must be of type string or an instance of Buffer or Uint8Array');
    this.commit();
    const data = typeof chunk === 'string' ? Buffer.from(chunk, encoding ?? 'utf8') : Buffer.from(chunk as Uint8Array);
    if (this.headOnly || data.length === 0) {
      if (cb) process.nextTick(cb);
      this.pump();
      return true;
    }
    this.queue.push({ kind: 'write', data, callbacks: cb ? [cb] : [] });
    this.buffered += data.length;
    this.pump();
    if (this.buffered >= HIGH_WATER_MARK) this.needDrain = true;
    return !this.needDrain;
  }

  private end(chunk: unknown, encoding?: BufferEncoding, cb?: Callback): void {
    if (this.ended || this.closed) {
      if (cb) process.nextTick(cb);
      return;
    }
    if (chunk !== undefined && chunk !== null && !(typeof chunk === 'string' && chunk === '')) this.write(chunk, encoding, undefined);
    this.commit();
    this.ended = true;
    this.res.finished = true;
    if (cb) this.res.once('finish', cb);
    this.pump();
  }

  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    void this.drainQueue();
  }

  private async drainQueue(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const op = this.queue.shift()!;
        if (op.kind === 'write') this.coalesce(op);
        await this.run(op);
        if (op.kind === 'write') this.wrote(op);
        if (this.closed) return;
        if (this.queue.length === 0 && !this.ended && this.writesSinceFlush > 0) {
          this.writesSinceFlush = 0;
          this.queue.push({ kind: 'flush' });
        }
      }
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
      return;
    } finally {
      this.pumping = false;
    }
    if (this.ended) this.finish();
  }

  /** Merge queued writes into `op` (up to a batch limit) so a slow RPC round trip is paid once. */
  private coalesce(op: Extract<Op, { kind: 'write' }>): void {
    const parts = [op.data];
    let size = op.data.length;
    while (this.queue[0]?.kind === 'write' && size + this.queue[0].data.length <= MAX_WRITE_BATCH) {
      const next = this.queue.shift() as Extract<Op, { kind: 'write' }>;
      parts.push(next.data);
      size += next.data.length;
      op.callbacks.push(...next.callbacks);
    }
    if (parts.length > 1) op.data = Buffer.concat(parts, size);
  }

  private run(op: Op): Promise<unknown> {
    switch (op.kind) {
      case 'sync':
        return this.writer.syncHeader(this.header);
      case 'status':
        return this.writer.writeHeader(op.status);
      case 'write':
        return this.writer.write(op.data);
      case 'flush':
        return this.writer.flush();
    }
  }

  private wrote(op: Extract<Op, { kind: 'write' }>): void {
    this.buffered -= op.data.length;
    this.writesSinceFlush++;
    for (const cb of op.callbacks) cb();
    if (this.needDrain && this.buffered < HIGH_WATER_MARK) {
      this.needDrain = false;
      this.res.emit('drain');
    }
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.emit('prefinish');
    this.res.emit('finish');
    process.nextTick(() => this.res.emit('close'));
    this.resolveDone(null);
  }

  /** The writer failed or the handler destroyed the response: drop the rest, like a closed client. */
  private fail(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const op of this.queue.splice(0)) {
      if (op.kind === 'write') for (const cb of op.callbacks) cb(err);
    }
    (this.res as { destroyed: boolean }).destroyed = true;
    process.nextTick(() => this.res.emit('close'));
    this.resolveDone(err);
  }
}

function applyHeaders(res: ServerResponse, headers: unknown): void {
  if (Array.isArray(headers)) {
    // Node also accepts a flat [name, value, name, value, …] list.
    for (let i = 0; i + 1 < headers.length; i += 2) res.setHeader(String(headers[i]), String(headers[i + 1]));
    return;
  }
  if (headers && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
      if (value !== undefined) res.setHeader(name, value as string | number | readonly string[]);
    }
  }
}
