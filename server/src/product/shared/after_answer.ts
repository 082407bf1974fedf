import { uncounted } from './call_count';
import type { Logger } from './logger';

/**
 * Work a write starts and does not make its caller wait for: what the answer does not depend on
 * (a card refreshed, clients told, a bot post, due times scheduled). Each is best effort, as it was
 * when awaited: a failure is logged, never answered. Kept per product so deactivation — and a
 * test — can wait until nothing is left running (`settled`).
 */
export class AfterAnswer {
  private readonly running = new Set<Promise<void>>();
  /** Per key, the last work queued: work on one record runs in the order it was queued. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly log: Logger) {}

  /** Starts `work` now; the caller answers without waiting for it. */
  run(what: string, work: () => Promise<unknown>): void {
    // Never rejects (failures are logged); settled() is how to wait for it.
    void this.start(what, work);
  }

  /**
   * Starts `work` once the work queued before it under the same key has finished (a record's
   * posts appear in the order of its writes; a card refresh never overtakes a later one).
   */
  inOrder(key: string, what: string, work: () => Promise<unknown>): void {
    const before = this.tails.get(key);
    const done = this.start(what, async () => {
      if (before) await before;
      await work();
    });
    this.tails.set(key, done);
    void done.then(() => {
      if (this.tails.get(key) === done) this.tails.delete(key);
    });
  }

  private start(what: string, work: () => Promise<unknown>): Promise<void> {
    // Outside the request's call count: the answer does not wait for this work.
    const done: Promise<void> = uncounted(async () => {
      try {
        await work();
      } catch (err) {
        this.log.warn(`${what} failed after the answer`, { error: err instanceof Error ? err.message : String(err) });
      }
    }).finally(() => this.running.delete(done));
    this.running.add(done);
    return done;
  }

  /** Resolves once every piece of work started (including work started meanwhile) has finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
