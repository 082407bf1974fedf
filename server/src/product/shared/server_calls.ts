import type { PluginAPI } from '../../plugin/api/plugin_api';

/** How long one call to Mattermost may take before we stop waiting for it. */
export const SERVER_CALL_TIMEOUT_MS = 30_000;

/** A call or piece of work that did not settle in time; what it did meanwhile is unknown. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';

  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not finish within ${ms} ms`);
  }
}

/**
 * Settles like `work`, or rejects with TimeoutError after `ms` and aborts the signal handed to
 * `work`. A promise cannot be cancelled: a hung RPC stays hung and may still take effect on the
 * server later, so a caller must treat a timeout as "outcome unknown", never as "did not happen".
 */
export function withTimeout<T>(work: Promise<T> | ((signal: AbortSignal) => Promise<T>), ms: number, what: string): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new TimeoutError(what, ms);
      controller.abort(error);
      reject(error);
    }, ms);
    let promise: Promise<T>;
    try {
      promise = typeof work === 'function' ? work(controller.signal) : work;
    } catch (err) {
      clearTimeout(timer);
      reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

const isPromise = (value: unknown): value is Promise<unknown> => value instanceof Promise;

/**
 * The same PluginAPI with every asynchronous call bounded by `ms`, so one call Mattermost never
 * answers (a stuck query, a lost yamux stream) cannot stall a request, a hook or the scheduler
 * forever. Synchronous methods (the log calls) pass through untouched.
 */
export function withCallTimeouts(api: PluginAPI, ms = SERVER_CALL_TIMEOUT_MS): PluginAPI {
  return new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        const result = method.apply(target, args);
        return isPromise(result) ? withTimeout(result, ms, `Mattermost API ${String(property)}`) : result;
      };
    },
  });
}
