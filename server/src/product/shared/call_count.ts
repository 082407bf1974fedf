import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PluginAPI } from '../../plugin/api/plugin_api';

/**
 * Round trips to Mattermost made on behalf of one HTTP request, counted where the product calls
 * the plugin API (so on the real server each one is an RPC, and each KV call also a query).
 * Benchmarks read them from the answer's headers (issue 12): `X-Infra-Ops-KV-Calls` for the
 * KV store, `X-Infra-Ops-Server-Calls` for every other API call. They count what the answer
 * waited for: work a handler leaves running for after its answer (AfterAnswer) runs uncounted.
 *
 * Only a request that asks (`X-Infra-Ops-Count-Calls: 1`) in a process started with
 * `INFRA_OPS_COUNT_CALLS=1` (the real-server benches set it) is counted. Two reasons: the counts
 * say how many questions a page asked, which hints at records the reader may not see; and while an
 * AsyncLocalStorage is enabled, Node 20 runs a hook for every promise the process makes (a loop
 * of awaits ran 2.5–3x slower; a 2,000-incident metrics page in process 10% slower), so it is
 * enabled only while a counted request is in flight.
 */
export interface CallCounts {
  kv: number;
  server: number;
}

export const KV_CALLS_HEADER = 'X-Infra-Ops-KV-Calls';
export const SERVER_CALLS_HEADER = 'X-Infra-Ops-Server-Calls';
/** The request header that asks for the counts. */
export const COUNT_CALLS_HEADER = 'X-Infra-Ops-Count-Calls';
/** The environment variable that lets requests ask (set to `1`). */
export const COUNT_CALLS_ENV = 'INFRA_OPS_COUNT_CALLS';

const current = new AsyncLocalStorage<CallCounts>();

/** Runs `work` with a fresh counter that every API call made within it (however deep) adds to. */
export function countCalls<T>(work: (counts: CallCounts) => T): T {
  const counts: CallCounts = { kv: 0, server: 0 };
  return current.run(counts, () => work(counts));
}

/** The counter of the request this code runs for; undefined outside a counted request. */
export function countsNow(): CallCounts | undefined {
  return current.getStore();
}

let countedInFlight = 0;

/**
 * The middleware that counts a request which asks, when `allowed`: its answer carries the counts.
 * When the last counted request in flight has finished, the storage is disabled again (the next
 * counted request enables it), so uncounted requests pay no per-promise hook.
 */
export function callCounting(allowed: boolean): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    if (!allowed || req.headers[COUNT_CALLS_HEADER.toLowerCase()] !== '1') return next();
    countedInFlight++;
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      if (--countedInFlight === 0) current.disable();
    };
    res.once('finish', done);
    res.once('close', done);
    countCalls((counts) => {
      reportCallsIn(res, counts);
      next();
    });
  };
}

/** Runs `work` outside any request's count: work a request leaves running after its answer. */
export function uncounted<T>(work: () => T): T {
  return current.exit(work);
}

/** The same API, each call adding to the counter of the request it is made for (none outside one). */
export function withCallCounting(api: PluginAPI): PluginAPI {
  return new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property.startsWith('log')) return value;
      const method = value as (...args: unknown[]) => unknown;
      const isKv = property.startsWith('kv');
      return (...args: unknown[]): unknown => {
        const counts = countsNow();
        if (counts) {
          if (isKv) counts.kv++;
          else counts.server++;
        }
        return method.apply(target, args);
      };
    },
  });
}

/**
 * Writes the counts into the response's headers just before they go out (the first writeHead,
 * write or end), so they cover everything the handler did before answering.
 */
export function reportCallsIn(res: ServerResponse, counts: CallCounts): void {
  let reported = false;
  const report = (): void => {
    if (reported) return;
    reported = true;
    res.setHeader(KV_CALLS_HEADER, String(counts.kv));
    res.setHeader(SERVER_CALLS_HEADER, String(counts.server));
  };
  for (const name of ['writeHead', 'write', 'end'] as const) {
    const original = Reflect.get(res, name) as (...args: unknown[]) => unknown;
    (res as unknown as Record<string, unknown>)[name] = (...args: unknown[]): unknown => {
      report();
      return original.apply(res, args);
    };
  }
}
