/**
 * At most `limit` pieces of work in flight at once; the rest wait their turn, first come first
 * served. The product's access questions pass through one gate per process (shared/access): a
 * page that asks about a hundred channels must not put a hundred queries on Mattermost's
 * database at once (see ACCESS_CALLS_IN_FLIGHT for what that cost).
 */
export class CallGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a call gate needs a whole limit of at least 1, not ${limit}`);
  }

  /** Work currently let through (for tests and diagnostics). */
  get inFlight(): number {
    return this.running;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, so `running` never dips below what is let through.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
