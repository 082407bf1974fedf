import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import type { PluginAPI } from '../../plugin/api/plugin_api';

/**
 * Round trips to Mattermost made on behalf of one HTTP request, counted where the product calls
 * the plugin API (so on the real server each one is an RPC, and each KV call also a query).
 * Benchmarks read them from the answer's headers (issue 12): `X-Infra-Ops-KV-Calls` for the
 * KV store, `X-Infra-Ops-Server-Calls` for every other API call. They count what the answer
 * waited for: work a handler leaves running for after its answer (AfterAnswer) runs uncounted.
 */
export interface CallCounts {
  kv: number;
  server: number;
}

export const KV_CALLS_HEADER = 'X-Infra-Ops-KV-Calls';
export const SERVER_CALLS_HEADER = 'X-Infra-Ops-Server-Calls';

const current = new AsyncLocalStorage<CallCounts>();

/** Runs `work` with a fresh counter that every API call made within it (however deep) adds to. */
export function countCalls<T>(work: (counts: CallCounts) => T): T {
  const counts: CallCounts = { kv: 0, server: 0 };
  return current.run(counts, () => work(counts));
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
        const counts = current.getStore();
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
