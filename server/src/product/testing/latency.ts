/**
 * Round trips in sequence, for tests of issue 12's pages and writes: while `on`, every plugin API
 * call answers a little late (as an RPC to a real server does) and is given a depth, one more than
 * the deepest call that had answered when it was made. The deepest call answered before a
 * request's answer arrived is the length of the chain it waited for.
 */
import type { MemoryApi } from '../../plugin/testing/memory_api';

/** How late every call answers while a chain is measured. */
export const LATENCY_MS = 20;

export interface Chain {
  on: boolean;
  /** The deepest call answered so far. */
  answered: number;
}

/** While `on`, every asynchronous call of `api` answers LATENCY_MS late (its effect is immediate) and is given a depth. */
export function withLatency(api: MemoryApi): Chain {
  const state: Chain = { on: false, answered: 0 };
  const target = api as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(api))) {
    const original = target[name];
    if (name === 'constructor' || typeof original !== 'function') continue;
    target[name] = (...args: unknown[]): unknown => {
      const result: unknown = (original as (...a: unknown[]) => unknown).apply(api, args);
      if (!state.on || !(result instanceof Promise)) return result;
      const depth = state.answered + 1;
      const answer = () => (state.answered = Math.max(state.answered, depth));
      return result.then(
        (value) => new Promise((resolve) => setTimeout(() => resolve(value), LATENCY_MS)).finally(answer),
        (err: unknown) => new Promise((_resolve, reject) => setTimeout(() => reject(err instanceof Error ? err : new Error(String(err))), LATENCY_MS)).finally(answer),
      );
    };
  }
  return state;
}
