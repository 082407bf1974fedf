/**
 * Coalesces concurrent work per key: while one batch for a key is being written, everything that
 * arrives for it waits and goes into the next batch, one write for all of it. A storm of
 * notifications for one alert group thus costs a compare-and-set per batch, not per request,
 * and never contends with itself on this node (other nodes still meet at the compare-and-set).
 */
export class KeyedBatcher<T, R> {
  private readonly queues = new Map<string, Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }>>();

  constructor(
    private readonly write: (key: string, items: readonly T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.queues.set(key, [{ item, resolve, reject }]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(key);
      if (!queue || queue.length === 0) {
        this.queues.delete(key);
        return;
      }
      const batch = queue.splice(0, this.maxBatch);
      try {
        const results = await this.write(key, batch.map((b) => b.item));
        batch.forEach((b, n) => b.resolve(results[n]!));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
  }
}
