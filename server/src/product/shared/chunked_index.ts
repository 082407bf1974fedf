import { z } from 'zod';
import { type KvRepository, UNCHANGED } from './kv';

/**
 * An append-ordered list of record ids kept in fixed-size KV chunks, so a page costs one head
 * read plus the few chunks it spans — never a scan of every record.
 *
 *   <prefix>:h      {v, count}                      ordinals handed out so far (CAS counter)
 *   <prefix>:c<k>   {v, entries:[{id, o, t}]}        entries with ordinals k*size … (k+1)*size-1
 *
 * Each entry carries small filter tags (`t`, e.g. status or quadrant) so filtered pages need not
 * open every record. Tags are derived from the record, which stays the truth: writers update the
 * record first and then sync its tags (`put`), and readers re-check the record they open, so a
 * crash between the two writes can only make a filtered page skip or re-check an entry, never
 * show wrong data.
 */
const tagValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const entrySchema = z.object({ id: z.string(), o: z.number().int().nonnegative(), t: z.record(z.string(), tagValue) });
const chunkSchema = z.object({ v: z.literal(1), entries: z.array(entrySchema) });
const headSchema = z.object({ v: z.literal(1), count: z.number().int().nonnegative() });

export type IndexTags = Record<string, string | number | boolean | null>;
export type IndexEntry = z.output<typeof entrySchema>;

export interface IndexPage {
  entries: IndexEntry[];
  /** Pass back as `before` for the next page; null when there is nothing older. */
  next: number | null;
}

export interface PageOptions {
  /** Only entries with an ordinal below this (the `next` of the previous page). */
  before?: number | null;
  limit: number;
  match?: (tags: IndexTags) => boolean;
  /** Upper bound on chunks read for one page, so a sparse filter stays O(page). */
  maxChunks?: number;
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

  /** Reserves the next ordinal and files the entry under it. */
  async append(id: string, tags: IndexTags): Promise<number> {
    const ordinal = await this.reserve();
    await this.put(ordinal, id, tags);
    return ordinal;
  }

  /**
   * Reserves the next ordinal without filing an entry yet (`put` files it later); pages skip
   * ordinals with no entry. For callers that need the ordinal before the record exists.
   */
  async reserve(): Promise<number> {
    const head = await this.kv.update(this.headKey, headSchema, (cur) => ({ v: 1 as const, count: (cur?.count ?? 0) + 1 }));
    return head!.count - 1;
  }

  /** Inserts or re-tags the entry at `ordinal`; a no-op (one read) when nothing changed. */
  async put(ordinal: number, id: string, tags: IndexTags): Promise<void> {
    await this.kv.update(this.chunkKey(Math.floor(ordinal / this.chunkSize)), chunkSchema, (chunk) => {
      const entries = chunk?.entries ?? [];
      const at = entries.findIndex((e) => e.o === ordinal);
      if (at >= 0 && entries[at]!.id === id && sameTags(entries[at]!.t, tags)) return UNCHANGED;
      const next = entries.filter((e) => e.o !== ordinal);
      next.push({ id, o: ordinal, t: tags });
      next.sort((a, b) => a.o - b.o);
      return { v: 1 as const, entries: next };
    });
  }

  /** An unreadable head reads as an empty index for readers (reported); writers still refuse it. */
  async count(): Promise<number> {
    return (await this.kv.get(this.headKey, headSchema).catch(this.kv.orSkip))?.count ?? 0;
  }

  /** Newest first. */
  async page(options: PageOptions): Promise<IndexPage> {
    const total = await this.count();
    const start = Math.min(options.before ?? total, total);
    const maxChunks = options.maxChunks ?? Math.max(4, Math.ceil(options.limit / this.chunkSize) + 3);
    const found: IndexEntry[] = [];
    let chunk = Math.floor((start - 1) / this.chunkSize);
    for (let read = 0; chunk >= 0 && read < maxChunks; read++, chunk--) {
      // An unreadable chunk costs its hundred entries on this page, never the whole page.
      const stored = await this.kv.get(this.chunkKey(chunk), chunkSchema).catch(this.kv.orSkip);
      const entries = (stored?.entries ?? []).filter((e) => e.o < start).sort((a, b) => b.o - a.o);
      for (const entry of entries) {
        if (options.match && !options.match(entry.t)) continue;
        found.push(entry);
        if (found.length === options.limit) {
          // More may follow in this chunk or older ones.
          return { entries: found, next: entry.o > 0 ? entry.o : null };
        }
      }
    }
    return { entries: found, next: chunk >= 0 ? (chunk + 1) * this.chunkSize : null };
  }

  /** Every entry (for small indexes only, e.g. a team's RFCs), newest first. */
  async all(match?: (tags: IndexTags) => boolean): Promise<IndexEntry[]> {
    const total = await this.count();
    const chunks = Math.ceil(total / this.chunkSize);
    const keys = Array.from({ length: chunks }, (_, i) => this.chunkKey(chunks - 1 - i));
    const stored = await Promise.all(keys.map((key) => this.kv.get(key, chunkSchema).catch(this.kv.orSkip)));
    return stored
      .flatMap((c) => c?.entries ?? [])
      .filter((e) => !match || match(e.t))
      .sort((a, b) => b.o - a.o);
  }
}

function sameTags(a: IndexTags, b: IndexTags): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
