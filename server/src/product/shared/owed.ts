/**
 * The per-user owed ledger behind `/infra owe` and the daily digest (issue 12): one key per user
 * and team, `owe:u:<teamId>:<userId>`, holding each feature's facts about what that user owes —
 * one fact per record (an incident, an RFC, a run, a guild, an idea) — so the page reads one key
 * however much the team stores.
 *
 * Derived, never the truth: each feature's store computes the facts of a record for every person
 * it involves (a pure function of the record) and, right after the record's compare-and-set,
 * puts the facts that changed into those people's ledgers (compare-and-set as well, so two nodes
 * writing at once both land). A ledger is rebuilt from the records (each feature's `scan`) when it
 * is absent (data written before the ledger), incomplete (created by a write before any rebuild)
 * or older than REBUILD_AFTER_MS — so a crash between a record and its ledger write is repaired
 * by the reader within a day. A rebuild stores only if no write landed while it scanned (`gen`).
 *
 * Private: only `/infra owe` for the user themself reads it, and every line is shown only if the
 * user may read the fact's channel now (the reader asks the Access memo).
 */
import { z } from 'zod';
import { OWED_FEATURES, type OwedFeature } from '../contract/infra';
import { CorruptRecordError } from './errors';
import { type KvRepository, UNCHANGED } from './kv';

/** What one record says one person owes: `k` names the record in its feature, `ch` its channel (null: the team). */
export interface OwedFact {
  readonly k: string;
  readonly ch: string | null;
  readonly d: unknown;
}
/** One record's facts, by user id. */
export type OwedFacts = ReadonlyMap<string, OwedFact>;

/** Facts kept per feature (oldest dropped first and counted in `overflow`). */
export const LEDGER_FEATURE_LIMIT = 60;
export const REBUILD_AFTER_MS = 24 * 60 * 60 * 1000;

const entrySchema = z.object({ f: z.enum(OWED_FEATURES), k: z.string(), ch: z.nullable(z.string()), d: z.unknown() });
export const ledgerSchema = z.object({
  v: z.literal(1),
  /** When the ledger was last rebuilt from the records; null: created by a write, not yet complete. */
  builtAt: z.nullable(z.number()),
  /** Bumped by every write: a rebuild stores only over the generation it started from. */
  gen: z.number(),
  entries: z.array(entrySchema),
  /** Facts dropped per feature past LEDGER_FEATURE_LIMIT (a "…and n more" line). */
  overflow: z.record(z.string(), z.number()),
});
export type Ledger = z.output<typeof ledgerSchema>;
export type LedgerEntry = Ledger['entries'][number];

export const ledgerKey = (teamId: string, userId: string): string => `owe:u:${teamId}:${userId}`;

const same = (a: OwedFact | undefined, b: OwedFact | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.ch === b.ch && JSON.stringify(a.d) === JSON.stringify(b.d));

/** The ledger with `feature`'s fact of record `k` put (or removed when `fact` is undefined), capped. */
export function withFact(ledger: Ledger | null, feature: OwedFeature, k: string, fact: OwedFact | undefined): Ledger | null {
  const entries = ledger?.entries ?? [];
  const at = entries.findIndex((e) => e.f === feature && e.k === k);
  if (at >= 0 && fact !== undefined && same(entries[at], fact)) return null;
  const overflow = { ...(ledger?.overflow ?? {}) };
  let next: LedgerEntry[];
  if (fact === undefined) {
    if (at < 0) {
      // Possibly one of the dropped facts: count it out (a rebuild makes the count exact again).
      if (!overflow[feature]) return null;
      overflow[feature] -= 1;
      next = entries;
    } else next = entries.filter((_, n) => n !== at);
  } else {
    const entry: LedgerEntry = { f: feature, k, ch: fact.ch, d: fact.d };
    next = at < 0 ? [...entries, entry] : entries.map((e, n) => (n === at ? entry : e));
  }
  if (ledger === null && fact === undefined) return null;
  return capped({ v: 1, builtAt: ledger?.builtAt ?? null, gen: (ledger?.gen ?? 0) + 1, entries: next, overflow });
}

function capped(ledger: Ledger): Ledger {
  const count = new Map<string, number>();
  for (const e of ledger.entries) count.set(e.f, (count.get(e.f) ?? 0) + 1);
  const drop = new Map([...count].filter(([, n]) => n > LEDGER_FEATURE_LIMIT).map(([f, n]) => [f, n - LEDGER_FEATURE_LIMIT]));
  if (drop.size === 0) return ledger;
  const overflow = { ...ledger.overflow };
  for (const [f, n] of drop) overflow[f] = (overflow[f] ?? 0) + n;
  const entries = ledger.entries.filter((e) => {
    const left = drop.get(e.f) ?? 0;
    if (left === 0) return true;
    drop.set(e.f, left - 1);
    return false;
  });
  return { ...ledger, entries, overflow };
}

/** A complete ledger from every feature's scanned facts (oldest first within a feature). */
export function builtLedger(scans: ReadonlyArray<{ feature: OwedFeature } & OwedScan>, gen: number, now: number): Ledger {
  const entries = scans.flatMap(({ feature, facts }) => facts.map((f): LedgerEntry => ({ f: feature, k: f.k, ch: f.ch, d: f.d })));
  const overflow = Object.fromEntries(scans.filter((s) => (s.overflow ?? 0) > 0).map((s) => [s.feature, s.overflow!]));
  return capped({ v: 1, builtAt: now, gen, entries, overflow });
}

/**
 * An unreadable ledger (reported by the read) is derived data: it is deleted, so the next reader
 * rebuilds it from the records, rather than failing the write that touched it.
 */
async function dropUnreadable(kv: KvRepository, key: string, err: unknown): Promise<void> {
  if (!(err instanceof CorruptRecordError)) throw err;
  await kv.delete(key);
}

/** One feature's writer: after a record's compare-and-set, the facts that changed go to their people. */
export class OwedLedger {
  constructor(
    private readonly kv: KvRepository,
    private readonly feature: OwedFeature,
  ) {}

  /** `before` null: a new record. Independent users' ledgers are written at once. */
  async sync(teamId: string, k: string, before: OwedFacts | null, after: OwedFacts): Promise<void> {
    const users = new Set([...(before?.keys() ?? []), ...after.keys()]);
    await this.put(teamId, k, [...users].filter((u) => !same(before?.get(u), after.get(u))), after);
  }

  /**
   * Like sync, when what the record said before is not kept, only who it named (`named`): their
   * ledgers and those `after` names are read, and written where they differ from `after`.
   */
  async syncWith(teamId: string, k: string, named: readonly string[], after: OwedFacts): Promise<void> {
    await this.put(teamId, k, [...new Set([...named, ...after.keys()])], after);
  }

  private async put(teamId: string, k: string, changed: readonly string[], after: OwedFacts): Promise<void> {
    await Promise.all(
      changed.map((u) =>
        this.kv
          .update(ledgerKey(teamId, u), ledgerSchema, (current) => {
            const fact = after.get(u);
            const next = withFact(current, this.feature, k, fact === undefined ? undefined : { ...fact, k });
            return next ?? UNCHANGED;
          })
          .catch((err: unknown) => dropUnreadable(this.kv, ledgerKey(teamId, u), err)),
      ),
    );
  }
}

/** The reader's side: the ledger, and a rebuild stored only over the generation it was read at. */
export class OwedLedgerReader {
  constructor(private readonly kv: KvRepository) {}

  read(teamId: string, userId: string): Promise<Ledger | null> {
    return this.kv.get(ledgerKey(teamId, userId), ledgerSchema).catch(this.kv.orSkip);
  }

  needsRebuild(ledger: Ledger | null, now: number): boolean {
    return ledger === null || ledger.builtAt === null || now - ledger.builtAt > REBUILD_AFTER_MS;
  }

  /** Stores `built` unless a write landed since `seen`; returns whether it was stored. */
  async store(teamId: string, userId: string, seen: Ledger | null, built: Ledger): Promise<boolean> {
    let stored = false;
    await this.kv
      .update(ledgerKey(teamId, userId), ledgerSchema, (current) => {
        stored = (current?.gen ?? 0) === (seen?.gen ?? 0);
        return stored ? built : UNCHANGED;
      })
      .catch((err: unknown) => dropUnreadable(this.kv, ledgerKey(teamId, userId), err));
    return stored;
  }
}

/** A feature's facts for one user, oldest first, and how many more it keeps no facts for. */
export interface OwedScan {
  readonly facts: readonly OwedFact[];
  readonly overflow?: number;
}

/** What a feature's lines are rendered with: the reader's zone and the names of channels they may read. */
export interface OwedView {
  readonly userId: string;
  readonly teamId: string;
  readonly now: number;
  /** The reader's IANA zone (UTC when they set none). */
  readonly zone: string;
  /** The channel's name for `~name`, for channels the reader may read. */
  readonly channelName: (channelId: string) => string;
}

/** A feature's part of `/infra owe`. */
export interface OwedSource {
  /** The user's facts in the team, read from the records (old data, repair); not filtered by access. */
  readonly scan: (userId: string, teamId: string) => Promise<OwedScan>;
  /** Lines for the facts the reader may see now (`overflow`: facts the ledger dropped). */
  readonly render: (facts: readonly OwedFact[], view: OwedView, overflow: number) => string[];
}
