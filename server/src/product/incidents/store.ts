import { z } from 'zod';
import { ChunkedIndex, type IndexPage, type IndexTags } from '../shared/chunked_index';
import { type CorruptRecordError, nullIfCorrupt, UserError } from '../shared/errors';
import { DELETE, type KvRepository, UNCHANGED } from '../shared/kv';
import { OwedLedger } from '../shared/owed';
import { parseSnapshot } from '../shared/snapshots';
import { incidentOwedFacts } from './owed';
import { everResolved, isOpen, needsReview, openFollowups, tagsOf } from './lifecycle';
import { type MetricsSummaryRow, metricsRowOf, metricsSummarySchema, sameRow, withRow } from './metrics_rows';
import { state } from './messages';
import { type Incident, incidentSchema, type TimelineEntry, timelineEntrySchema } from './records';
import { type HeldMember, heldOf, type SetMember, type SetName, setSchema, severityOfMember, snapshotOf, withIncident } from './team_sets';

/**
 * Where the incidents feature keeps its data in the plugin KV store.
 *
 * | Key                              | Value                                                        | Written when                      |
 * |----------------------------------|--------------------------------------------------------------|-----------------------------------|
 * | `inc:schema`                     | `{v, version}` schema version of the records below           | activation (migration)            |
 * | `inc:t:<teamId>:h`               | ChunkedIndex head: the team's INC sequence, newest entries    | declaration, every change         |
 * | `inc:t:<teamId>:c<k>`            | ChunkedIndex chunk: `{id, o = number-1, t: tags, d: snapshot}`| every change (entry re-synced)    |
 * | `inc:r:<incidentId>`             | the incident record (records.ts `incidentSchema`)             | every change (compare-and-set)    |
 * | `inc:ch:<channelId>`             | `{v, incidentId}`: which incident a channel belongs to       | declaration                       |
 * | `inc:tl:<incidentId>:<k>`        | `{v, entries}`: timeline entries with seq k*50 … k*50+49      | from the record's outbox, by 10s  |
 * | `inc:set:<teamId>:active`        | `{v, members: [{id, n, c, u, r, d?}]}`: active incidents     | a change the set shows (team_sets)|
 * | `inc:set:<teamId>:review`        | `{v, members: [{id, n, c, u, r, d}]}`: awaiting review        | every change of a member          |
 * | `inc:set:<teamId>:followups`     | `{v, members: [{id, n, c, u, r, d}]}`: open follow-ups        | every change of a member          |
 * | `inc:m:<teamId>`                 | `{v, complete, rows}`: one metrics row per incident (metrics) | every change (row re-synced)      |
 * | `owe:u:<teamId>:<userId>`        | shared/owed.ts: each person's owed facts (roles, follow-ups)  | every sync that changes them      |
 * | `sched:job:incident-reminder:<id>` | scheduler job: the next status-update reminder             | declare, status, severity, resolve|
 * | `sched:job:incident-setup:<id>`  | scheduler job: finishes or removes an interrupted declaration | declaration                       |
 *
 * Tags in the team index (`t`, lifecycle.ts `tagsOf`): ph phase, sev severity, ch channel id,
 * cmd commander, at declared at, ack MTTA minutes, ttr MTTR minutes, fu open follow-ups, rv
 * awaiting review. Index entries and set members carry a snapshot `d` of the record (without its
 * outbox), so a list page reads the index or a set and no record: at most three KV calls — except
 * past the newest ACTIVE_HEAD members of the active set, which keep no snapshot (team_sets.ts says
 * why) and are paged through the index. Metrics
 * read the team's metrics summary (one key: each incident's tags as a short row, with its
 * channel) and ask the channel of each whether the reader may see it. A summary that does not
 * hold every incident yet (`complete: false`: written before this version's first read, or started
 * by a later incident than the team's first) is completed once from the index tags. The record is the
 * truth: tags, snapshots and sets are derived and re-synced after every write (sync re-reads the
 * record and repeats until it saw the latest rev; a set never takes an older rev than it has),
 * and a member or entry without a readable snapshot (older versions) is read from its record. Entries written by older versions also carry `priv`, which nothing reads:
 * privacy is always the channel's live type.
 */

export const TIMELINE_CHUNK = 50;
/**
 * 2: the follow-ups set exists (built from the index tags by migrateToFollowupSets).
 * 3: review sets hold no incident that was never resolved (healReviewSets), so sync reads a
 *    review set only for an incident resolved now or before.
 * 4: every active set member names its incident's severity, in its own field or in its snapshot
 *    (fillActiveSeverities), so the sidebar's most-severe-first page orders the set without
 *    reading records.
 */
export const SCHEMA_VERSION = 4;

const recordKey = (id: string): string => `inc:r:${id}`;
const channelKey = (channelId: string): string => `inc:ch:${channelId}`;
const timelineKey = (id: string, chunk: number): string => `inc:tl:${id}:${chunk}`;
const setKey = (teamId: string, set: SetName): string => `inc:set:${teamId}:${set}`;
export const SCHEMA_KEY = 'inc:schema';

const channelLinkSchema = z.object({ v: z.literal(1), incidentId: z.string() });
const timelineChunkSchema = z.object({ v: z.literal(1), entries: z.array(timelineEntrySchema) });
export const schemaVersionSchema = z.object({ v: z.literal(1), version: z.number().int().positive() });

const metricsKey = (teamId: string): string => `inc:m:${teamId}`;
/** INC numbers whose ids this process has read: ~100 bytes each, so a few thousand cost little. */
const KNOWN_NUMBERS = 4096;

export class IncidentStore {
  private readonly owed: OwedLedger;
  /**
   * `<teamId>:<number>` → incident id, as the team index filed it. A number is reserved once and
   * its entry names the same id for good (a void entry keeps it too, with the record gone), so the
   * mapping never goes stale on any node; callers still check the record's team and number (a KV
   * store restored from a backup under a running plugin could reuse a number: the stale id then
   * answers not found until a restart, never another incident).
   * Saves reading the index head and a chunk of 100 snapshots (~110 KiB) on every request that
   * names an incident by number. Oldest first out past KNOWN_NUMBERS.
   */
  private readonly idsByNumber = new Map<string, string>();
  constructor(
    private readonly kv: KvRepository,
    /** Told about unreadable records that list reads skip (they are reported, never overwritten). */
    private readonly onCorrupt: (err: CorruptRecordError) => void = () => {},
  ) {
    this.owed = new OwedLedger(kv, 'incidents');
  }

  index(teamId: string): ChunkedIndex {
    return new ChunkedIndex(this.kv, `inc:t:${teamId}`);
  }

  /**
   * Reserves the team's next INC number (unique across nodes: a compare-and-set counter). The
   * index entry is filed by the first sync; until then pages simply skip the number.
   */
  async reserveNumber(teamId: string): Promise<number> {
    return (await this.index(teamId).reserve()) + 1;
  }

  async insert(incident: Incident): Promise<void> {
    if (!(await this.kv.insert(recordKey(incident.id), incidentSchema, incident))) {
      throw new Error(`incident ${incident.id} already exists`);
    }
  }

  get(id: string): Promise<Incident | null> {
    return this.kv.get(recordKey(id), incidentSchema);
  }

  /** Records for a page: missing ones are skipped, and so are unreadable ones (one bad record must not hide the rest). */
  async getMany(ids: readonly string[]): Promise<Incident[]> {
    const records = await Promise.all(ids.map((id) => this.kv.get(recordKey(id), incidentSchema).catch(nullIfCorrupt(this.onCorrupt))));
    return records.filter((r): r is Incident => r !== null);
  }

  /**
   * Compare-and-set update; `mutate` sees the current record (it may run several times and may
   * throw a UserError to refuse, e.g. "already resolved"). Bumps rev. Resolves with the record
   * before and after, or `after === before` when nothing changed. `basis`: the record as this
   * request just read it (get); the first compare-and-set starts from its bytes instead of a read.
   */
  async update(id: string, mutate: (current: Incident) => Incident | typeof UNCHANGED, basis?: Incident): Promise<{ before: Incident; after: Incident }> {
    let before: Incident | null = null;
    const after = await this.kv.update(
      recordKey(id),
      incidentSchema,
      (current) => {
        if (!current) throw UserError.notFound(state.gone);
        before = current;
        const next = mutate(current);
        return next === UNCHANGED ? UNCHANGED : { ...next, rev: current.rev + 1 };
      },
      basis ? { basis } : {},
    );
    return { before: before!, after: after! };
  }

  /**
   * Removes a pending declaration that never got a channel; its number stays used (marked void).
   * A compare-and-set delete: if another node has meanwhile recorded a channel for it (the setup
   * job adopting one), the record stays and this returns false.
   */
  async removeUnsetUp(id: string): Promise<boolean> {
    let removed: Incident | null = null;
    await this.kv.update(recordKey(id), incidentSchema, (current) => {
      removed = current && current.phase === 'pending' && !current.channelId ? current : null;
      return removed ? DELETE : UNCHANGED;
    });
    const gone = removed as Incident | null;
    if (!gone) return false;
    await this.index(gone.teamId).put(gone.number - 1, gone.id, { ph: 'void' });
    return true;
  }

  async linkChannel(channelId: string, incidentId: string): Promise<void> {
    await this.kv.update(channelKey(channelId), channelLinkSchema, (current) => {
      if (current && current.incidentId !== incidentId) throw new Error(`channel ${channelId} already belongs to ${current.incidentId}`);
      return current ? UNCHANGED : { v: 1 as const, incidentId };
    });
  }

  /** The id of the team's incident with this number (its index entry, one round trip deep, then known), or null. */
  async idForNumber(teamId: string, number: number): Promise<string | null> {
    if (!Number.isSafeInteger(number) || number < 1) return null;
    const key = `${teamId}:${number}`;
    const known = this.idsByNumber.get(key);
    if (known !== undefined) return known;
    const entry = await this.index(teamId).entryAt(number - 1);
    if (!entry || entry.t['ph'] === 'void') return null;
    this.idsByNumber.set(key, entry.id);
    if (this.idsByNumber.size > KNOWN_NUMBERS) this.idsByNumber.delete(this.idsByNumber.keys().next().value!);
    return entry.id;
  }

  async incidentIdForChannel(channelId: string): Promise<string | null> {
    return (await this.kv.get(channelKey(channelId), channelLinkSchema))?.incidentId ?? null;
  }

  /** Copies outbox entries to their timeline chunks (idempotent by seq), then drops them from the outbox. */
  async flushTimeline(incident: Incident): Promise<void> {
    if (incident.outbox.length === 0) return;
    const byChunk = new Map<number, TimelineEntry[]>();
    for (const entry of incident.outbox) {
      const chunk = Math.floor(entry.seq / TIMELINE_CHUNK);
      byChunk.set(chunk, [...(byChunk.get(chunk) ?? []), entry]);
    }
    for (const [chunk, entries] of byChunk) {
      await this.kv.update(timelineKey(incident.id, chunk), timelineChunkSchema, (current) => {
        const have = new Set((current?.entries ?? []).map((e) => e.seq));
        const missing = entries.filter((e) => !have.has(e.seq));
        if (missing.length === 0) return UNCHANGED;
        return { v: 1 as const, entries: [...(current?.entries ?? []), ...missing].sort((a, b) => a.seq - b.seq) };
      });
    }
    const flushed = new Set(incident.outbox.map((e) => e.seq));
    // Not a content change, so rev stays: derived data does not need a re-sync for this.
    await this.kv.update(recordKey(incident.id), incidentSchema, (current) => {
      if (!current || !current.outbox.some((e) => flushed.has(e.seq))) return UNCHANGED;
      return { ...current, outbox: current.outbox.filter((e) => !flushed.has(e.seq)) };
    });
  }

  /** Timeline entries with seq in [from, from+limit), oldest first, from chunks plus the outbox. */
  async timeline(incident: Incident, from: number, limit: number): Promise<TimelineEntry[]> {
    const to = Math.min(incident.timelineCount, from + limit);
    if (to <= from) return [];
    const chunks: string[] = [];
    for (let c = Math.floor(from / TIMELINE_CHUNK); c <= Math.floor((to - 1) / TIMELINE_CHUNK); c++) chunks.push(timelineKey(incident.id, c));
    const stored = await this.kv.getMany(chunks, timelineChunkSchema);
    const bySeq = new Map<number, TimelineEntry>();
    for (const entry of [...stored.flatMap((c) => c?.entries ?? []), ...incident.outbox]) {
      if (entry.seq >= from && entry.seq < to) bySeq.set(entry.seq, entry);
    }
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  /**
   * Brings the team index tags and the active/review sets in line with the record. Runs after
   * every write; re-reads the record at the end and repeats if another node wrote meanwhile, so
   * the last writer always leaves the derived data matching the latest record.
   */
  async sync(incident: Incident, options: { justDeclared?: boolean; checkReview?: boolean } = {}): Promise<void> {
    let current: Incident | null = incident;
    const touched = new Set<string>();
    for (let round = 0; round < 5 && current; round++) {
      // Every set is checked on every write, so one left stale by a crash heals at the next
      // write — except the review set for an incident never resolved, which no sync has ever put
      // there: that set holds a snapshot of every incident awaiting review (megabytes where
      // reviews lag), and a write to an active incident need not read it.
      const justDeclared = round === 0 && options.justDeclared === true;
      const [, wasActive, , hadFollowups] = await Promise.all([
        this.index(current.teamId).put(current.number - 1, current.id, tagsOf(current), snapshotOf(current)),
        this.setMembership('active', current, isOpen(current.phase)),
        everResolved(current) || options.checkReview ? this.setMembership('review', current, needsReview(current)) : null,
        this.setMembership('followups', current, openFollowups(current) > 0),
        this.putMetricsRow(current, justDeclared),
      ]);
      // Whoever owed anything was named by one of these two sets (an incident owes only while
      // active or with open follow-ups): the people who stop owing are found there. A member with
      // a snapshot says what they owed; one without names them, and their ledgers are compared.
      const held = [wasActive, hadFollowups].filter((h): h is HeldMember => h !== null).sort((a, b) => b.rev - a.rev)[0] ?? null;
      await this.syncOwed(current, held, touched);
      const latest: Incident | null = await this.get(current.id);
      if (!latest || latest.rev === current.rev) return;
      current = latest;
    }
  }

  /**
   * The incident's facts in its people's ledgers, from what the set held before (`held`).
   * `touched` gathers the ledgers this sync has written: ledger facts carry no rev, so an earlier
   * round's write may have landed after another node's newer one, and a later round reads and
   * puts right every ledger touched so far, and those of the people `held` names.
   */
  private async syncOwed(current: Incident, held: HeldMember | null, touched: Set<string>): Promise<void> {
    const facts = incidentOwedFacts(current);
    let named: Iterable<string>;
    if (touched.size > 0) {
      // With the people of what the set held: a rev this sync skipped (written and synced by
      // another node in between) may have named someone neither this sync nor the latest rev did.
      const heldNames = held ? (held.snapshot ? [...incidentOwedFacts(held.snapshot).keys()] : held.owers) : [];
      await this.owed.syncWith(current.teamId, current.id, [...new Set([...touched, ...heldNames])], facts);
      named = heldNames;
    } else if (held?.snapshot && held.rev < current.rev) {
      const before = incidentOwedFacts(held.snapshot);
      await this.owed.sync(current.teamId, current.id, before, facts);
      named = before.keys();
    } else if (!held || held.rev < current.rev) {
      await this.owed.syncWith(current.teamId, current.id, held?.owers ?? [], facts);
      named = held?.owers ?? [];
    } else return; // the set holds this rev or a newer one: that sync writes the ledgers
    for (const userId of named) touched.add(userId);
    for (const userId of facts.keys()) touched.add(userId);
  }

  /** Members of a team set with their INC numbers, so a page opens only the records it shows. */
  async setMembers(teamId: string, set: SetName): Promise<SetMember[]> {
    return (await this.kv.get(setKey(teamId, set), setSchema))?.members ?? [];
  }

  /**
   * The review or follow-ups set's incidents from the members' snapshots (records read only for
   * members without one). Not for the active set, whose tail keeps no snapshots: page it.
   */
  async setRecords(teamId: string, set: Exclude<SetName, 'active'>): Promise<Incident[]> {
    return this.fromSnapshots(await this.setMembers(teamId, set));
  }

  /**
   * Incidents from snapshots carried by index entries or set members; those without a readable
   * snapshot (written by older versions) are read from their record and re-synced, so the next
   * read finds the snapshot. Members of the active set's tail keep none by design: `repair` says
   * which to re-sync, and the others' records are read and the set left alone.
   */
  async fromSnapshots(items: ReadonlyArray<{ id: string; d?: unknown }>, options: { repair: (id: string) => boolean } = { repair: () => true }): Promise<Incident[]> {
    const parsed = items.map((m) => parseSnapshot(incidentSchema, m.d));
    const missing = items.filter((_, k) => parsed[k] === null).map((m) => m.id);
    const read = new Map((await this.getMany(missing)).map((i) => [i.id, i]));
    for (const incident of read.values()) if (options.repair(incident.id)) await this.sync(incident);
    return items.flatMap((m, k) => {
      const incident = parsed[k] ?? read.get(m.id);
      return incident && incident.id === m.id ? [incident] : [];
    });
  }

  /** Resolves with what the set held of the incident before (null: not a member, or nothing usable). */
  private async setMembership(set: SetName, incident: Incident, member: boolean): Promise<HeldMember | null> {
    let before: HeldMember | null = null;
    await this.kv.update(setKey(incident.teamId, set), setSchema, (current) => {
      const members = current?.members ?? [];
      const at = members.findIndex((m) => m.id === incident.id);
      before = at < 0 ? null : heldOf(members[at]!);
      if (!member) return at < 0 ? UNCHANGED : { v: 1 as const, members: members.filter((m) => m.id !== incident.id) };
      // A set never goes back to an older rev (another node's sync may have put a newer one); at
      // the same rev only a missing snapshot is filled in (a member promoted into the active head).
      if (before && (before.rev > incident.rev || (before.rev === incident.rev && before.snapshot))) return UNCHANGED;
      const next = withIncident(set, members, incident);
      return next ? { v: 1 as const, members: next } : UNCHANGED;
    });
    return before;
  }

  /**
   * The team's metrics row for this incident, as its record has it now. Like an index entry it
   * takes the latest sync's value (sync repeats until it saw the latest rev). The declaration of
   * the team's first incident (INC-1) marks the summary complete: every later incident was
   * numbered after it and puts its own row, so this holds even when one declared at the same
   * moment started the summary first. Any other write that starts one (e.g. the first after an
   * upgrade) leaves it to be completed from the index (metricsRows).
   */
  private async putMetricsRow(incident: Incident, justDeclared: boolean): Promise<void> {
    const first = justDeclared && incident.number === 1;
    const row = metricsRowOf(incident.number, tagsOf(incident));
    await this.kv.update(metricsKey(incident.teamId), metricsSummarySchema, (current) => {
      const complete = first || (current?.complete ?? false);
      if (complete === (current?.complete ?? false) && sameRow(current?.rows.find((r) => r[0] === incident.number), row)) return UNCHANGED;
      return { v: 1 as const, complete, rows: withRow(current?.rows ?? [], incident.number, row) };
    });
  }

  /**
   * Every metrics row of the team: one KV read once the summary is complete. An absent or
   * incomplete summary (older versions kept none) is completed from the index tags first — once
   * per team, O(incidents) — adding only the rows it lacks, so a row a sync wrote meanwhile wins.
   */
  async metricsRows(teamId: string): Promise<MetricsSummaryRow[]> {
    let corrupt = false;
    const stored = await this.kv.get(metricsKey(teamId), metricsSummarySchema).catch((err: unknown) => {
      corrupt = true;
      return this.kv.orSkip(err);
    });
    if (stored?.complete) return stored.rows;
    const tagged = (await this.allTags(teamId)).flatMap((e) => {
      const row = metricsRowOf(e.number, e.tags);
      return row ? [row] : [];
    });
    // An unreadable summary is reported and left for an admin (never overwritten): read the index.
    if (corrupt) return tagged;
    const completed = await this.kv.update(metricsKey(teamId), metricsSummarySchema, (current) => {
      if (current?.complete) return UNCHANGED;
      const have = new Set((current?.rows ?? []).map((r) => r[0]));
      const rows = [...(current?.rows ?? []), ...tagged.filter((r) => !have.has(r[0]))].sort((a, b) => a[0] - b[0]);
      return { v: 1 as const, complete: true, rows };
    });
    return completed?.rows ?? [];
  }

  page(teamId: string, options: { before: number | null; limit: number; match: (tags: IndexTags) => boolean; maxReads?: number }): Promise<IndexPage> {
    return this.index(teamId).page(options);
  }

  async allTags(teamId: string): Promise<Array<{ id: string; number: number; tags: IndexTags }>> {
    return (await this.index(teamId).all()).map((e) => ({ id: e.id, number: e.o + 1, tags: e.t }));
  }

  /**
   * Version 1 → 2: every team's incidents with open follow-ups join the follow-ups set (found by
   * the index tags, once). Idempotent, so nodes racing on activation do no harm.
   */
  async migrateToFollowupSets(): Promise<number> {
    let joined = 0;
    for (const head of await this.kv.listKeys('inc:t:')) {
      if (!head.endsWith(':h')) continue;
      const teamId = head.slice('inc:t:'.length, -':h'.length);
      const ids = (await this.allTags(teamId)).filter((e) => typeof e.tags['fu'] === 'number' && e.tags['fu'] > 0).map((e) => e.id);
      for (const incident of await this.getMany(ids)) {
        if (incident.teamId !== teamId || openFollowups(incident) === 0) continue;
        await this.setMembership('followups', incident, true);
        // A node already serving may have written it since it was read here (activations race):
        // the latest rev is synced, so a member put back from an older one does not wait for the
        // incident's next write.
        const latest = await this.get(incident.id);
        if (latest && latest.rev !== incident.rev) await this.sync(latest);
        joined++;
      }
    }
    return joined;
  }

  /**
   * Version 2 → 3: review set members whose record was never resolved leave their set. Such a
   * member can only be one a reopen left behind when its sync crashed part way, under a version
   * that kept no `resolutions` (the record reads as never resolved, so its writes no longer look
   * at the set). One read of each set and of its members' records; a member newer than the record
   * read (another node's sync meanwhile) stays.
   */
  async healReviewSets(): Promise<number> {
    let removed = 0;
    for (const key of await this.kv.listKeys('inc:set:')) {
      if (!key.endsWith(':review')) continue;
      const members = (await this.kv.get(key, setSchema).catch(this.kv.orSkip))?.members ?? [];
      const stale = new Map((await this.getMany(members.map((m) => m.id))).filter((i) => !everResolved(i)).map((i) => [i.id, i.rev]));
      if (stale.size === 0) continue;
      let left = 0;
      await this.kv.update(key, setSchema, (set) => {
        const kept = (set?.members ?? []).filter((m) => {
          const rev = stale.get(m.id);
          return rev === undefined || (heldOf(m)?.rev ?? -1) > rev;
        });
        left = (set?.members.length ?? 0) - kept.length;
        return left > 0 ? { v: 1 as const, members: kept } : UNCHANGED;
      });
      removed += left;
    }
    return removed;
  }

  /**
   * Version 3 → 4, and at every activation after: active set members that name no severity (older
   * versions wrote the tail's members without one, and an older node rewriting the set drops it)
   * take it from their records, one compare-and-set per set. A member that names one meanwhile (a
   * sync on another node) keeps its own. Nothing missing: one read per team.
   */
  async fillActiveSeverities(): Promise<number> {
    let filled = 0;
    for (const key of await this.kv.listKeys('inc:set:')) {
      if (!key.endsWith(':active')) continue;
      const members = (await this.kv.get(key, setSchema).catch(this.kv.orSkip))?.members ?? [];
      const missing = members.filter((m) => severityOfMember(m) === null).map((m) => m.id);
      if (missing.length === 0) continue;
      const read = new Map((await this.getMany(missing)).map((i) => [i.id, i.severity]));
      let added = 0;
      await this.kv.update(key, setSchema, (set) => {
        added = 0;
        const next = (set?.members ?? []).map((m) => {
          const s = read.get(m.id);
          if (s === undefined || severityOfMember(m) !== null) return m;
          added++;
          return { ...m, s };
        });
        return added > 0 ? { v: 1 as const, members: next } : UNCHANGED;
      });
      filled += added;
    }
    return filled;
  }

  async schemaVersion(): Promise<number | null> {
    return (await this.kv.get(SCHEMA_KEY, schemaVersionSchema))?.version ?? null;
  }

  async setSchemaVersion(version: number): Promise<void> {
    await this.kv.update(SCHEMA_KEY, schemaVersionSchema, (current) =>
      current && current.version >= version ? UNCHANGED : { v: 1 as const, version },
    );
  }
}
