import { AppError } from '../api/app_error';
import type { PluginKVSetOptions } from '../model/types';

/** Mattermost's model.KeyValueKeyMaxRunes. */
const KEY_MAX_RUNES = 150;

interface Entry {
  value: Uint8Array;
  /** Epoch ms; 0 = never. */
  expireAt: number;
}

/**
 * The plugin KV store with the semantics of Mattermost's SQL store (sqlstore/plugin_store.go):
 * expired keys read as absent and are replaced by an atomic insert; a nil value deletes; atomic
 * compare-and-set matches the stored bytes exactly; CompareAndDelete with a nil old value does
 * nothing; a non-atomic set with OldValue is invalid; keys are listed in ascending order.
 * Used by unit tests and by the in-memory API; one instance can be shared by several "nodes".
 */
export class MemoryKv {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): Uint8Array | null {
    const entry = this.live(key);
    return entry ? entry.value.slice() : null;
  }

  set(key: string, value: Uint8Array | null, expireInSeconds = 0): void {
    checkKey(key);
    if (value === null || value.length === 0) {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, { value: value.slice(), expireAt: this.expiry(expireInSeconds) });
  }

  setWithOptions(key: string, value: Uint8Array | null, options: PluginKVSetOptions): boolean {
    checkKey(key);
    const oldValue = options.OldValue && options.OldValue.length > 0 ? options.OldValue : null;
    if (!options.Atomic && oldValue !== null) {
      throw new AppError(
        'model.plugin_kvset_options.is_valid.old_value.app_error',
        'PluginKeyValueStore.SetWithOptions: Old value can only be provided with atomic operations.',
        '',
        400,
      );
    }
    if ((options.ExpireInSeconds ?? 0) < 0) {
      throw new AppError('model.plugin_kvset_options.is_valid.expire_in_seconds.app_error', 'Expiry must not be negative.', '', 400);
    }
    const empty = value === null || value.length === 0;
    if (!options.Atomic) {
      this.set(key, empty ? null : value, options.ExpireInSeconds ?? 0);
      return true;
    }
    if (empty) return oldValue === null ? false : this.compareAndDelete(key, oldValue);
    return this.compareAndSet(key, oldValue, value, options.ExpireInSeconds ?? 0);
  }

  compareAndSet(key: string, oldValue: Uint8Array | null, newValue: Uint8Array, expireInSeconds = 0): boolean {
    checkKey(key);
    const current = this.live(key);
    if (oldValue === null || oldValue.length === 0) {
      if (current) return false;
    } else if (!current || !sameBytes(current.value, oldValue)) {
      return false;
    }
    if (newValue.length === 0) {
      this.entries.delete(key);
      return true;
    }
    this.entries.set(key, { value: newValue.slice(), expireAt: this.expiry(expireInSeconds) });
    return true;
  }

  compareAndDelete(key: string, oldValue: Uint8Array | null): boolean {
    checkKey(key);
    if (oldValue === null || oldValue.length === 0) return false;
    const current = this.live(key);
    if (!current || !sameBytes(current.value, oldValue)) return false;
    this.entries.delete(key);
    return true;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  deleteAll(): void {
    this.entries.clear();
  }

  list(page: number, perPage: number): string[] {
    if (page < 0 || perPage < 0) {
      throw new AppError('app.plugin.kv_list.app_error', 'Page and perPage must not be negative.', '', 400);
    }
    const keys = [...this.entries.keys()].filter((k) => this.live(k)).sort();
    return keys.slice(page * perPage, page * perPage + perPage);
  }

  get size(): number {
    return [...this.entries.keys()].filter((k) => this.live(k)).length;
  }

  private live(key: string): Entry | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expireAt !== 0 && entry.expireAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry;
  }

  private expiry(seconds: number): number {
    return seconds > 0 ? this.now() + seconds * 1000 : 0;
  }
}

function checkKey(key: string): void {
  if (key.length === 0 || [...key].length > KEY_MAX_RUNES) {
    throw new AppError(
      'model.plugin_key_value.is_valid.key.app_error',
      `Invalid key: must be 1 to ${KEY_MAX_RUNES} characters.`,
      `key=${key.slice(0, 40)}`,
      400,
    );
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
