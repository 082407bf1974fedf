import { type IncidentMetricsView, type IncidentState } from '../contract/incidents';
import type { Access } from '../shared/access/policy';
import type { IndexPage, IndexTags } from '../shared/chunked_index';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { started } from '../shared/started';
import { isOpen } from './lifecycle';
import { NOT_FOUND } from './messages';
import { computeMetrics, type MetricsRow, rowFromSummary } from './metrics';
import { type Caller, canSee, requireTeamReader, requireVisible } from './policy';
import type { Incident, TimelineEntry } from './records';
import { LEDGER_FEATURE_LIMIT, type OwedFact, type OwedScan } from '../shared/owed';
import { incidentOwedFacts } from './owed';
import type { IncidentSettings } from './settings';
import type { IncidentStore } from './store';
import { ACTIVE_HEAD, channelOfMember, type SetMember, severityOfMember, snapshotHolders, snapshotIn } from './team_sets';

export interface ListFilter {
  teamId: string;
  state: IncidentState;
  severity: number | null;
  commanderId: string | null;
  /** The cursor of the previous page: only incidents with a lower index ordinal (INC number − 1) follow; null for the newest. */
  before: number | null;
  perPage: number;
}

export interface Listed {
  items: Incident[];
  /** Pass as `before` for the next page; null when there is nothing older. */
  next: number | null;
}

/** Where a most-severe-first page continues: after this severity and, within it, this INC number. */
export interface SeverityCursor {
  readonly severity: number;
  readonly number: number;
}

export interface ListedBySeverity {
  items: Incident[];
  next: SeverityCursor | null;
}

/** Where members whose severity could not be learnt sort: after every known severity. */
const UNKNOWN_SEVERITY = 9;
/** Active set members a most-severe-first page passes over at most at once (their channels asked). */
const MAX_SCAN = 320;

/**
 * Which incidents of a batch the caller is shown: those the filter matches and whose channel they
 * may read now. A batch's channels are announced first, so a long one reads the memberships once.
 */
function shownOf(caller: Caller, filter: ListFilter): (batch: Incident[]) => Promise<boolean[]> {
  const matches = (i: Incident): boolean =>
    i.teamId === filter.teamId &&
    (filter.state === 'all' ? i.phase !== 'pending' : isOpen(i.phase) ? filter.state === 'active' : i.phase === filter.state) &&
    (filter.severity === null || i.severity === filter.severity) &&
    (filter.commanderId === null || i.roles.commander === filter.commanderId);
  return async (batch) => {
    const candidates = batch.filter(matches);
    await caller.access.willAskAbout(caller.userId, filter.teamId, candidates.map((i) => i.channelId));
    return Promise.all(batch.map(async (i) => matches(i) && (await canSee(caller.access, caller.userId, i))));
  };
}

/** A list's first read: the active set's members, or a page of the index. */
type FirstRead = { members: readonly SetMember[] } | { page: IndexPage };

/** Bounds the index reads of one page when many entries are filtered out (still O(page)). */
const MAX_ROUNDS = 4;
/** KV reads one list page may cost: the index head and two chunks, whatever the data size. */
const PAGE_READS = 3;
/** Index entries read per page, per entry shown: spares for the ones the caller may not see. */
const SPARE = 3;
/** Channels asked about at once when metrics check what the reader may see. */
const CHECK_BATCH = 32;

type QueriesContext = Pick<ProductContext, 'now' | 'api'>;

/** Reads: one incident, pages of incidents, timelines, metrics, what one owes; each item as the caller may see it now. */
export class IncidentQueries {
  constructor(
    private readonly ctx: QueriesContext,
    private readonly store: IncidentStore,
    private readonly settings: () => IncidentSettings,
  ) {}

  async get(caller: Caller, incidentId: string): Promise<Incident> {
    return requireVisible(caller.access, caller.userId, await this.store.get(incidentId));
  }

  /** INC-<number> of the team; a number never resolves in another team. */
  async byNumber(caller: Caller, teamId: string, number: number): Promise<Incident> {
    const id = await this.store.idForNumber(teamId, number);
    const incident = id ? await this.store.get(id) : null;
    if (!incident || incident.teamId !== teamId || incident.number !== number) throw UserError.notFound(NOT_FOUND);
    return requireVisible(caller.access, caller.userId, incident);
  }

  /** The incident whose channel this is, or null (also when the caller may not see it). */
  async forChannel(caller: Caller, channelId: string): Promise<Incident | null> {
    const id = await this.store.incidentIdForChannel(channelId);
    const incident = id ? await this.store.get(id) : null;
    return incident && incident.channelId === channelId && (await canSee(caller.access, caller.userId, incident)) ? incident : null;
  }

  async list(caller: Caller, filter: ListFilter): Promise<Listed> {
    // The page's first read (the active set, or the index) goes out beside the team check, and the
    // team's public-channel right is asked now (every open channel below needs it): one round trip
    // deep instead of three. Nothing read is used before the check has passed.
    void caller.access.canSeeTeam(caller.userId, filter.teamId);
    const read = started<FirstRead>(filter.state === 'active' ? this.store.setMembers(filter.teamId, 'active').then((members) => ({ members })) : this.firstIndexPage(filter).then((page) => ({ page })));
    await requireTeamReader(caller.access, caller.userId, filter.teamId);
    const first = await read;
    const wanted = shownOf(caller, filter);
    return 'members' in first ? this.activePage(filter, first.members, wanted) : this.indexPage(filter, first.page, wanted);
  }

  /**
   * Active incidents most severe first, then newest (the sidebar's page): ordered by the active
   * set's members, which name each incident's severity, so the page reads the set and then only
   * the records of the members it shows that keep no snapshot (older ones past the set's head).
   */
  async activeBySeverity(caller: Caller, filter: Omit<ListFilter, 'state' | 'before'>, after: SeverityCursor | null): Promise<ListedBySeverity> {
    void caller.access.canSeeTeam(caller.userId, filter.teamId);
    const read = started(this.store.setMembers(filter.teamId, 'active'));
    await requireTeamReader(caller.access, caller.userId, filter.teamId);
    const members = await read;
    const wanted = shownOf(caller, { ...filter, state: 'active', before: null });
    // Severities are learnt from records on the first page only, so every page of one walk ranks
    // a member the same way (a member ranked unknown on page 1 stays so on page 2).
    const rank = await this.severities(members, after === null);
    // Members by severity (only those past the cursor, of the filtered severity), each severity's
    // sorted newest first only when the page reaches it: a page sorts its own severities, not the set.
    const bySeverity: SetMember[][] = [];
    for (const m of members) {
      const s = rank(m);
      if (after !== null && (s < after.severity || (s === after.severity && m.n >= after.number))) continue;
      if (filter.severity !== null && s !== filter.severity && s !== UNKNOWN_SEVERITY) continue;
      (bySeverity[s] ??= []).push(m);
    }
    const severities = bySeverity.flatMap((group, s) => (group ? [s] : []));
    const ordered: SetMember[] = [];
    const head = snapshotHolders('active', members);
    const items: Incident[] = [];
    // The cursor names the last incident shown, never one the caller may not see (its severity
    // and place would show through); hidden members after it are passed over again next page.
    let last: SetMember | null = null;
    let considered = 0;
    let pending: SetMember[] = [];
    for (let chunk = filter.perPage; items.length < filter.perPage; chunk = Math.min(chunk * 2, MAX_SCAN)) {
      if (!pending.length) {
        while (ordered.length < considered + chunk && severities.length) ordered.push(...bySeverity[severities.shift()!]!.sort((a, b) => b.n - a.n));
        const next = ordered.slice(considered, considered + chunk);
        if (!next.length) break;
        considered += next.length;
        // Hidden members are passed over by their channel, before any record is read (a member
        // naming none, from an older version, is kept: its record is checked below).
        pending = await caller.access.filterVisible(caller.userId, next, (m) => ({ teamId: filter.teamId, channelId: channelOfMember(m) }));
        continue;
      }
      const take = pending.slice(0, filter.perPage - items.length);
      pending = pending.slice(take.length);
      // Records are read only for members past the set's head (they keep no snapshot by design);
      // a head member missing its snapshot is re-synced so the next read finds it.
      const records = await this.store.fromSnapshots(take, { repair: (id) => head.has(id) });
      const byId = new Map(take.map((m) => [m.id, m]));
      const shown = await wanted(records);
      for (const [k, incident] of records.entries()) {
        if (!shown[k]) continue;
        items.push(incident);
        last = byId.get(incident.id) ?? last;
      }
    }
    const more = pending.length > 0 || considered < ordered.length || severities.length > 0;
    return { items, next: last && more ? { severity: rank(last), number: last.n } : null };
  }

  /**
   * Each member's severity as its set says it (UNKNOWN_SEVERITY when it cannot be learnt).
   * With `learn`, members that say none (written by an older version, not yet re-synced) are read
   * from their records, newest first and at most ACTIVE_HEAD of them (the read re-syncs them, so
   * later reads find their severity); past that they sort last.
   */
  private async severities(members: readonly SetMember[], learn: boolean): Promise<(member: SetMember) => number> {
    const unknown = learn ? members.filter((m) => severityOfMember(m) === null) : [];
    const read = new Map<string, number>();
    if (unknown.length) {
      const newest = unknown.sort((a, b) => b.n - a.n).slice(0, ACTIVE_HEAD);
      for (const incident of await this.store.fromSnapshots(newest)) read.set(incident.id, incident.severity);
    }
    return (m) => severityOfMember(m) ?? read.get(m.id) ?? UNKNOWN_SEVERITY;
  }

  /** One index read of spare entries (within PAGE_READS KV reads whatever the data size). */
  private firstIndexPage(filter: ListFilter): Promise<IndexPage> {
    const phase = (ph: unknown): boolean =>
      filter.state === 'all' ? ph !== 'pending' && ph !== 'void' : filter.state === 'active' ? ph === 'active' || ph === 'triage' : ph === filter.state;
    const match = (t: IndexTags): boolean =>
      phase(t['ph']) &&
      (filter.severity === null || t['sev'] === filter.severity) &&
      (filter.commanderId === null || t['cmd'] === filter.commanderId);
    return this.store.page(filter.teamId, { before: filter.before, limit: filter.perPage * SPARE, match, maxReads: PAGE_READS });
  }

  /**
   * Active incidents come from the team's active set, not from a scan of the index: its newest
   * ACTIVE_HEAD members carry snapshots (team_sets.ts), so the first pages read one key. Past them
   * the page continues through the index like any other state (bounded reads, a cursor).
   */
  private async activePage(filter: ListFilter, set: readonly SetMember[], wanted: (batch: Incident[]) => Promise<boolean[]>): Promise<Listed> {
    const all = [...set].sort((a, b) => b.n - a.n);
    const below = (n: number): boolean => filter.before === null || n - 1 < filter.before;
    const members = all.slice(0, ACTIVE_HEAD).filter((m) => below(m.n));
    const tail = all.length > ACTIVE_HEAD;
    if (members.length === 0) return tail && all.slice(ACTIVE_HEAD).some((m) => below(m.n)) ? this.indexPage(filter, await this.firstIndexPage(filter), wanted) : { items: [], next: null };
    const items: Incident[] = [];
    let read = 0;
    // The set's snapshots, newest first, until the page is full; hidden or stale ones read on.
    for (let round = 0; round < MAX_ROUNDS && items.length < filter.perPage && read < members.length; round++) {
      const batch = members.slice(read, read + filter.perPage - items.length);
      read += batch.length;
      const records = (await this.store.fromSnapshots(batch)).sort((a, b) => b.number - a.number);
      const shown = await wanted(records);
      items.push(...records.filter((_, n) => shown[n]));
    }
    return { items, next: read < members.length || tail ? members[read - 1]!.n - 1 : null };
  }

  /**
   * The page from one index read (firstIndexPage), then only as many access checks as the page
   * still needs; a page hidden mostly by privacy or a sparse filter comes back short, with its cursor.
   */
  private async indexPage(filter: ListFilter, page: IndexPage, wanted: (batch: Incident[]) => Promise<boolean[]>): Promise<Listed> {
    const records = (await this.store.fromSnapshots(page.entries)).sort((a, b) => b.number - a.number);
    const items: Incident[] = [];
    let used = 0;
    while (items.length < filter.perPage && used < records.length) {
      const batch = records.slice(used, used + filter.perPage - items.length);
      used += batch.length;
      const shown = await wanted(batch);
      items.push(...batch.filter((_, n) => shown[n]));
    }
    return { items, next: used < records.length ? records[used - 1]!.number - 1 : page.next };
  }

  /**
   * How many of the team's active incidents the caller may not see (private channels they are not
   * in): `/incident list` says so, so an empty list during an outage is not false comfort. Only a
   * count, as the feed already announces every declaration; the active set is small.
   */
  async hiddenActive(caller: Caller, teamId: string): Promise<number> {
    await requireTeamReader(caller.access, caller.userId, teamId);
    const members = await this.store.setMembers(teamId, 'active');
    const named = members.map(channelOfMember);
    // Members older versions wrote without a channel or a readable snapshot: their records say.
    const unnamed = members.filter((_, k) => named[k] === null).map((m) => m.id);
    const read = (await this.store.getMany(unnamed)).filter((i) => i.teamId === teamId && isOpen(i.phase)).map((i) => i.channelId);
    const channels = [...named.filter((c): c is string => c !== null), ...read];
    await caller.access.willAskAbout(caller.userId, teamId, channels.filter((c) => c !== ''));
    const seen = await Promise.all(channels.map(async (channelId) => channelId !== '' && (await caller.access.canSee(caller.userId, { teamId, channelId }))));
    return seen.filter((s) => !s).length;
  }

  /** Entries from seq `from` on, oldest first; `next` is the seq to ask for next, or null at the end. */
  async timeline(incident: Incident, from: number, limit: number): Promise<{ items: TimelineEntry[]; next: number | null }> {
    const items = await this.store.timeline(incident, from, limit);
    const end = Math.min(incident.timelineCount, from + limit);
    return { items, next: end < incident.timelineCount ? end : null };
  }

  /** The newest `count` entries, oldest first (for `/incident timeline`). */
  async recentTimeline(incident: Incident, count: number): Promise<TimelineEntry[]> {
    return this.store.timeline(incident, Math.max(0, incident.timelineCount - count), count);
  }

  /**
   * `/infra owe` from the records (the owed ledger's rebuild): this user's facts of the team's
   * active incidents and those with open follow-ups, whatever their channel — the reader filters
   * by access. The two sets say who is named where; snapshots give the facts, and only the newest
   * LEDGER_FEATURE_LIMIT the ledger keeps are read from records (the active set's tail), the rest
   * counted as overflow.
   */
  async owedFacts(userId: string, teamId: string): Promise<OwedScan> {
    const [active, withFollowups] = await Promise.all([this.store.setMembers(teamId, 'active'), this.store.setRecords(teamId, 'followups')]);
    const known = new Map(withFollowups.filter((i) => i.teamId === teamId).map((i) => [i.id, i]));
    const candidates: Array<{ id: string; n: number; incident: Incident | null }> = [...known.values()].map((i) => ({ id: i.id, n: i.number, incident: i }));
    for (const m of active) {
      if (known.has(m.id)) continue;
      const snapshot = snapshotIn(m);
      if (snapshot || m.u === undefined || m.u.includes(userId)) candidates.push({ id: m.id, n: m.n, incident: snapshot });
    }
    candidates.sort((a, b) => b.n - a.n);
    const facts: Array<{ n: number; fact: OwedFact }> = [];
    let looked = 0;
    while (facts.length < LEDGER_FEATURE_LIMIT && looked < candidates.length) {
      const window = candidates.slice(looked, looked + LEDGER_FEATURE_LIMIT - facts.length);
      looked += window.length;
      const read = new Map((await this.store.getMany(window.filter((c) => !c.incident).map((c) => c.id))).map((i) => [i.id, i]));
      for (const c of window) {
        const incident = c.incident ?? read.get(c.id);
        const fact = incident && incident.teamId === teamId ? incidentOwedFacts(incident).get(userId) : undefined;
        if (fact) facts.push({ n: c.n, fact });
      }
    }
    // Snapshot candidates are counted only if they name the user; the tail's are named by `u`.
    const overflow = candidates.slice(looked).filter((c) => !c.incident || incidentOwedFacts(c.incident).has(userId)).length;
    return { facts: facts.sort((a, b) => a.n - b.n).map((f) => f.fact), overflow };
  }

  /** The team's figures over the incidents the caller may see now (each one's channel, asked live). */
  async metrics(caller: Caller, teamId: string, since: number, until: number): Promise<IncidentMetricsView> {
    // After the team check, not beside it: reading the summary may first complete it from the
    // whole index (once per team), work no outsider should set off.
    await requireTeamReader(caller.access, caller.userId, teamId);
    // One KV read (the team's metrics summary) whatever the number of incidents.
    const candidates = (await this.store.metricsRows(teamId)).flatMap((stored) => {
      const c = rowFromSummary(stored);
      return c && c.row.declaredAt >= since && c.row.declaredAt <= until ? [c] : [];
    });
    const rows: MetricsRow[] = [];
    await caller.access.willAskAbout(caller.userId, teamId, candidates.map((c) => c.channelId));
    for (let n = 0; n < candidates.length; n += CHECK_BATCH) {
      const batch = candidates.slice(n, n + CHECK_BATCH);
      const seen = await Promise.all(batch.map((c) => visibleChannel(caller.access, caller.userId, teamId, c.channelId)));
      rows.push(...batch.filter((_, k) => seen[k]).map((c) => c.row));
    }
    return computeMetrics(teamId, rows, since, until);
  }
}

/**
 * Access.canSee for one incident channel, one lookup cheaper where it can be: an open channel of
 * the team is readable by whoever may read the team's open channels (canSeeTeam, asked once), so
 * only private channels need the reader's membership.
 */
async function visibleChannel(access: Access, userId: string, teamId: string, channelId: string): Promise<boolean> {
  if (!channelId) return false;
  const channel = await access.channel(channelId);
  if (!channel || channel.TeamId !== teamId) return false;
  if (channel.Type === 'O' && (await access.canSeeTeam(userId, teamId))) return true;
  return access.canSee(userId, { teamId, channelId });
}
