import { MemoryApi, type MemoryWorld } from '../../plugin/testing/memory_api';
import { type KvApi, KvRepository } from '../shared/kv';

/**
 * KV APIs for one simulated HA node that let a test choose how its calls interleave with other
 * nodes' (all sharing one MemoryWorld): HeldKv stages one interleaving exactly, JitteryKv tries
 * many under seeded random delays.
 */

/** One node's KV that can hold a write of a key, before or after it lands, until the test lets it go. */
export class HeldKv implements KvApi {
  private held: { key: string; skip: number; landed: boolean; reached: () => void; release: Promise<void> } | null = null;
  constructor(private readonly api: MemoryApi) {}

  /**
   * Holds the (skip+1)-th write of `key` from now on, before it reaches the store (`landed`: just
   * after, before the node hears it landed); `reached` resolves when it is waiting.
   */
  hold(key: string, skip = 0, landed = false): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    const releaseP = new Promise<void>((r) => (release = r));
    this.held = { key, skip, landed, reached, release: releaseP };
    return { reached: reachedP, release };
  }

  kvGet: KvApi['kvGet'] = (key) => this.api.kvGet(key);
  kvDelete: KvApi['kvDelete'] = (key) => this.api.kvDelete(key);
  kvList: KvApi['kvList'] = (page, perPage) => this.api.kvList(page, perPage);
  kvSetWithOptions: KvApi['kvSetWithOptions'] = async (key, value, options) => {
    const held = this.held;
    if (!held || held.key !== key) return this.api.kvSetWithOptions(key, value, options);
    if (held.skip > 0) {
      held.skip--;
      return this.api.kvSetWithOptions(key, value, options);
    }
    this.held = null;
    const stored = held.landed ? await this.api.kvSetWithOptions(key, value, options) : null;
    held.reached();
    await held.release;
    return stored ?? this.api.kvSetWithOptions(key, value, options);
  };
}

/** Two nodes' KV repositories on one world: the first one's writes can be held (`held`). */
export function twoNodes(world: MemoryWorld): { held: HeldKv; slow: KvRepository; other: KvRepository } {
  const held = new HeldKv(new MemoryApi(world));
  return { held, slow: new KvRepository(held), other: new KvRepository(new MemoryApi(world)) };
}

/** A node's KV whose every call first waits 0–3 turns of the event loop, drawn from `random`. */
export class JitteryKv implements KvApi {
  constructor(
    private readonly api: MemoryApi,
    private readonly random: () => number,
  ) {}
  private async jitter(): Promise<void> {
    for (let turns = Math.floor(this.random() * 4); turns > 0; turns--) await turn();
  }
  kvGet: KvApi['kvGet'] = async (key) => (await this.jitter(), this.api.kvGet(key));
  kvDelete: KvApi['kvDelete'] = async (key) => (await this.jitter(), this.api.kvDelete(key));
  kvList: KvApi['kvList'] = async (page, perPage) => (await this.jitter(), this.api.kvList(page, perPage));
  kvSetWithOptions: KvApi['kvSetWithOptions'] = async (key, value, options) => (await this.jitter(), this.api.kvSetWithOptions(key, value, options));
}

/** One turn of the event loop. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A small deterministic generator in [0, 1), so a failing seed can be run again. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
