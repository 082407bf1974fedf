import { z } from 'zod';
import { type KvRepository, UNCHANGED } from './kv';

/**
 * An append-ordered list of record ids kept in fixed-size KV chunks, so a page costs the head and
 * the one or two chunks it spans — never a scan of every record.
 *
 *   <prefix>:h      {v:2, count, sealed, rev?, entries}  ordinals handed out so far (CAS counter), and
 *                                                        the entries of chunks ≥ sealed (the newest)
 *   <prefix>:c<k>   {v, entries:[{id, o, t, d?}], open?, rev?}  entries with ordinals k*size … (k+1)*size-1
 *
 * The newest entries live in the head itself, so the first page of a list is one read (two when
 * it reaches back into the newest sealed chunk). Once a chunk's ordinals are all handed out it is
 * sealed: copied to its own key (marked `open` while the head still holds it), dropped from the
 * head by a compare-and-set that fails if the head changed meanwhile, then unmarked. A crash part
 * way leaves the head authoritative; a reader that meets an `open` chunk without the head reads it.
 * Several nodes may seal the same chunk at once, so a copy must never land on a chunk another node
 * has already sealed (puts may have gone into it since): the head's `rev` counts every change to
 * the seal or to a full chunk's entries, a copy carries the `rev` it was taken from, and a copy is
 * written only over an `open` copy from an older `rev` — the head that seals a chunk has the
 * newest `rev` any copy of it can carry. A put into a sealed chunk drops its `open` mark.
 * Heads of version 1 (`{v:1, count}`, every chunk in its own key) read as all chunks sealed.
 *
 * Each entry carries small filter tags (`t`, e.g. status) and may carry a page-shaped summary
 * (`d`, the feature's list view) so a page needs no record reads. Both are derived from the
 * record, which stays the truth: writers update the record first and then sync the entry (`put`),
 * and every later write of the record re-puts it, so a crash between the two writes leaves at
 * most a stale entry that the next write repairs; entries written before summaries existed
 * have no `d`, and readers then open the record and put the summary back (lazy repair).
 */
const tagValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const entrySchema = z.object({ id: z.string(), o: z.number().int().nonnegative(), t: z.record(z.string(), tagValue), d: z.unknown().optional() });
const chunkSchema = z.object({
  v: z.literal(1),
  entries: z.array(entrySchema),
  open: z.literal(true).optional(),
  rev: z.number().int().nonnegative().optional(),
});
const headSchema = z.union([
  z.object({ v: z.literal(1), count: z.number().int().nonnegative() }),
  z.object({
    v: z.literal(2),
    count: z.number().int().nonnegative(),
    sealed: z.number().int().nonnegative(),
    rev: z.number().int().nonnegative().default(0),
    entries: z.array(entrySchema),
  }),
]);

export type IndexTags = Record<string, string | number | boolean | null>;
export type IndexEntry = z.output<typeof entrySchema>;
type Head = { v: 2; count: number; sealed: number; rev: number; entries: IndexEntry[] };

export interface IndexPage {
  entries: IndexEntry[];
  /** Pass back as `before` for the next page; null when there is nothing older. */
  next: number | null;
  /** KV reads this page cost (at most `maxReads`). */
  reads: number;
}

export interface PageOptions {
  /** Only entries with an ordinal below this (the `next` of the previous page). */
  before?: number | null;
  limit: number;
  match?: (tags: IndexTags) => boolean;
  /**
   * Upper bound on KV reads for one page (head and chunks), so a page costs the same whatever
   * the data size; a sparse filter then returns fewer entries and a cursor. Default 2.
   */
  maxReads?: number;
}

export class ChunkedIndex {
  constructor(
    private readonly kv: KvRepository,
    private readonly prefix: string,
    private readonly chunkSize = 100,
  ) {}

  private get headKey(): string {
    return `${this.prefix}:h`;
  }
  private chunkKey(chunk: number): string {
    return `${this.prefix}:c${chunk}`;
  }
  private chunkOf(ordinal: number): number {
    return Math.floor(ordinal / this.chunkSize);
  }

  /** A version-1 head as version 2: every chunk that has an ordinal lives in its own key. */
  private upgrade(head: z.output<typeof headSchema> | null): Head {
    if (!head) return { v: 2, count: 0, sealed: 0, rev: 0, entries: [] };
    if (head.v === 2) return head;
    return { v: 2, count: head.count, sealed: Math.ceil(head.count / this.chunkSize), rev: 0, entries: [] };
  }

  /** Whether every ordinal of `ordinal`'s chunk is handed out, so a node may be copying it to seal. */
  private inFullChunk(head: Head, ordinal: number): boolean {
    return this.chunkOf(ordinal) < this.chunkOf(head.count);
  }

  /** Reserves the next ordinal and files the entry under it (one write while its chunk is in the head). */
  async append(id: string, tags: IndexTags, summary?: unknown): Promise<number> {
    let ordinal = -1;
    let inHead = false;
    const head = await this.kv.update(this.headKey, headSchema, (cur) => {
      const h = this.upgrade(cur);
      ordinal = h.count;
      inHead = this.chunkOf(ordinal) >= h.sealed;
      const entries = inHead ? withEntry(h.entries, entryOf(id, ordinal, tags, summary)) : h.entries;
      const next = { ...h, count: h.count + 1, entries };
      return inHead && this.inFullChunk(next, ordinal) ? { ...next, rev: h.rev + 1 } : next;
    });
    if (!inHead) await this.put(ordinal, id, tags, summary);
    await this.sealFull(this.upgrade(head));
    return ordinal;
  }

  /**
   * Reserves the next ordinal without filing an entry yet (`put` files it later); pages skip
   * ordinals with no entry. For callers that need the ordinal before the record exists.
   */
  async reserve(): Promise<number> {
    const head = await this.kv.update(this.headKey, headSchema, (cur) => {
      const h = this.upgrade(cur);
      return { ...h, count: h.count + 1 };
    });
    await this.sealFull(this.upgrade(head));
    return this.upgrade(head).count - 1;
  }

  /** Inserts or re-tags the entry at `ordinal`; a no-op (one read) when nothing changed. */
  async put(ordinal: number, id: string, tags: IndexTags, summary?: unknown): Promise<void> {
    const entry = entryOf(id, ordinal, tags, summary);
    let sealed = false;
    await this.kv.update(this.headKey, headSchema, (cur) => {
      const h = this.upgrade(cur);
      sealed = this.chunkOf(ordinal) < h.sealed;
      if (sealed || sameEntry(h.entries.find((e) => e.o === ordinal), entry)) return UNCHANGED;
      return { ...h, rev: this.inFullChunk(h, ordinal) ? h.rev + 1 : h.rev, entries: withEntry(h.entries, entry) };
    });
    if (!sealed) return;
    await this.kv.update(this.chunkKey(this.chunkOf(ordinal)), chunkSchema, (chunk) => {
      const entries = chunk?.entries ?? [];
      if (sameEntry(entries.find((e) => e.o === ordinal), entry)) return UNCHANGED;
      // The head has sealed this chunk, so it is the truth now: no late copy may replace it.
      return { v: 1 as const, entries: withEntry(entries, entry) };
    });
  }

  /**
   * Moves every chunk whose ordinals are all handed out from the head to its own key. The head
   * keeps them until its compare-and-set drops them, so a crash or a lost race only delays this.
   */
  private async sealFull(head: Head): Promise<void> {
    let h: Head | null = head;
    while (h && h.sealed < this.chunkOf(h.count) && h.entries.some((e) => this.chunkOf(e.o) < this.chunkOf(h!.count))) {
      const k = h.sealed;
      const rev = h.rev;
      const moving = h.entries.filter((e) => this.chunkOf(e.o) === k);
      await this.kv.update(this.chunkKey(k), chunkSchema, (chunk) =>
        // Not open: sealed by another node (puts may have landed since). A newer open copy: ours is stale.
        chunk && (!chunk.open || (chunk.rev ?? -1) >= rev) ? UNCHANGED : { v: 1 as const, entries: moving, open: true as const, rev },
      );
      let moved = false;
      const next = await this.kv.update(this.headKey, headSchema, (cur) => {
        const now = this.upgrade(cur);
        moved = false;
        if (now.sealed > k || now.rev !== rev) return UNCHANGED; // sealed elsewhere, or changed meanwhile: copy again
        moved = true;
        return { ...now, sealed: k + 1, rev: rev + 1, entries: now.entries.filter((e) => this.chunkOf(e.o) > k) };
      });
      h = this.upgrade(next);
      if (moved) {
        // Still open, the chunk holds what was sealed (a put since would have unmarked it), so it
        // is written as sealed: this also mends a copy from a head whose rev a node running an
        // earlier version dropped (a mixed cluster, mid-upgrade).
        await this.kv.update(this.chunkKey(k), chunkSchema, (chunk) => (chunk?.open ? { v: 1 as const, entries: moving } : UNCHANGED));
      } else if (h.sealed <= k) {
        continue; // the head changed under us: copy its current entries again
      }
    }
  }

  /** An unreadable head reads as an empty index for readers (reported); writers still refuse it. */
  async count(): Promise<number> {
    return (await this.readHead()).count;
  }

  private async readHead(): Promise<Head> {
    return this.upgrade(await this.kv.get(this.headKey, headSchema).catch(this.kv.orSkip));
  }

  /** A sealed chunk's entries (an unreadable chunk costs its entries on this page, never the page). */
  private async readChunk(chunk: number): Promise<{ entries: IndexEntry[]; open: boolean } | null> {
    const stored = await this.kv.get(this.chunkKey(chunk), chunkSchema).catch(this.kv.orSkip);
    return stored ? { entries: stored.entries, open: stored.open === true } : null;
  }

  /**
   * Newest first, in at most `maxReads` KV reads. The first page starts at the head; a cursor page
   * starts at the cursor's chunk and reads the head only if that chunk is not sealed yet.
   */
  async page(options: PageOptions): Promise<IndexPage> {
    const maxReads = Math.max(1, options.maxReads ?? 2);
    let reads = 0;
    let head: Head | null = null;
    let start: number;
    let chunk: number;
    if (options.before === undefined || options.before === null) {
      head = await this.readHead();
      reads++;
      start = head.count;
      chunk = this.chunkOf(start - 1);
    } else {
      start = options.before;
      chunk = this.chunkOf(start - 1);
    }
    const found: IndexEntry[] = [];
    const take = (entries: readonly IndexEntry[]): IndexPage | null => {
      for (const entry of [...entries].filter((e) => e.o < start && this.chunkOf(e.o) === chunk).sort((a, b) => b.o - a.o)) {
        if (options.match && !options.match(entry.t)) continue;
        found.push(entry);
        // More may follow in this chunk or older ones.
        if (found.length === options.limit) return { entries: found, next: entry.o > 0 ? entry.o : null, reads };
      }
      return null;
    };
    while (chunk >= 0) {
      let entries: readonly IndexEntry[];
      if (head && chunk >= head.sealed) entries = head.entries;
      else {
        if (reads >= maxReads) break;
        const stored = await this.readChunk(chunk);
        reads++;
        if ((stored === null || stored.open) && head === null) {
          // Not sealed yet (or half-sealed): the head has it.
          if (reads >= maxReads) break;
          head = await this.readHead();
          reads++;
          entries = chunk >= head.sealed ? head.entries : (stored?.entries ?? []);
        } else entries = stored?.entries ?? [];
      }
      const full = take(entries);
      if (full) return full;
      chunk--;
    }
    return { entries: found, next: chunk >= 0 ? (chunk + 1) * this.chunkSize : null, reads };
  }

  /**
   * The entry at one ordinal, one round trip deep: the head and the ordinal's chunk read at once
   * (a new entry lives in the head, an older one in its sealed chunk, and only the head says
   * which). A chunk read just before its sealing copy landed is read again.
   */
  async entryAt(ordinal: number): Promise<IndexEntry | null> {
    const chunk = this.chunkOf(ordinal);
    const [head, stored] = await Promise.all([this.readHead(), this.readChunk(chunk)]);
    const at = (entries: readonly IndexEntry[] | undefined): IndexEntry | null => entries?.find((e) => e.o === ordinal) ?? null;
    if (chunk >= head.sealed) return at(head.entries);
    return at(stored?.entries) ?? at((await this.readChunk(chunk))?.entries);
  }

  /** Every entry (for small indexes only, e.g. a team's RFCs), newest first. */
  async all(match?: (tags: IndexTags) => boolean): Promise<IndexEntry[]> {
    const head = await this.readHead();
    const keys = Array.from({ length: head.sealed }, (_, i) => i);
    const stored = await Promise.all(keys.map((k) => this.readChunk(k)));
    return [...stored.flatMap((c) => c?.entries ?? []), ...head.entries]
      .filter((e) => !match || match(e.t))
      .sort((a, b) => b.o - a.o);
  }
}

const entryOf = (id: string, o: number, t: IndexTags, d: unknown): IndexEntry => (d === undefined ? { id, o, t } : { id, o, t, d });

function withEntry(entries: readonly IndexEntry[], entry: IndexEntry): IndexEntry[] {
  return [...entries.filter((e) => e.o !== entry.o), entry].sort((a, b) => a.o - b.o);
}

function sameEntry(a: IndexEntry | undefined, b: IndexEntry): boolean {
  return a !== undefined && a.id === b.id && sameTags(a.t, b.t) && JSON.stringify(a.d) === JSON.stringify(b.d);
}

function sameTags(a: IndexTags, b: IndexTags): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
