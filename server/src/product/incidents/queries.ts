import type { IncidentReviewItem, IncidentReviewSource } from '../shared/agenda_sources';
import type { IndexTags } from '../shared/chunked_index';
import { UserError } from '../shared/errors';
import { utcStamp } from '../shared/people';
import type { Access } from './access';
import { computeMetrics, type IncidentMetrics, rowFromTags } from './metrics';
import type { IncidentRuntime } from './runtime';
import { type Incident, type IncidentView, mttrMinutes, openFollowups, reference, type TimelineEntry } from './schema';
import type { IncidentService } from './service';
import { needsReview } from './store';

export type StateFilter = 'active' | 'resolved' | 'all';

export interface ListFilter {
  teamId: string;
  state: StateFilter;
  severity: number | null;
  commanderId: string | null;
  /** The `next_before` of the previous page; null for the newest. */
  before: number | null;
  perPage: number;
}

export interface ListPage {
  items: IncidentView[];
  /** Pass as `before` for the next page; null when there is nothing older. */
  next_before: number | null;
}

/** Bounds the index reads of one page when many entries are filtered out (still O(page)). */
const MAX_ROUNDS = 4;

/** Reads: one incident, pages of incidents, timelines, metrics; all filtered by what the caller may see. */
export class IncidentQueries {
  constructor(private readonly rt: IncidentRuntime) {}

  async get(userId: string, incidentId: string): Promise<Incident> {
    return this.rt.access().requireVisible(userId, await this.rt.store.get(incidentId));
  }

  /** The incident whose channel this is, or null (also when the caller may not see it). */
  async forChannel(userId: string, channelId: string): Promise<Incident | null> {
    const id = await this.rt.store.incidentIdForChannel(channelId);
    if (!id) return null;
    const incident = await this.rt.store.get(id);
    return incident && (await this.rt.access().canSee(userId, incident)) ? incident : null;
  }

  async list(userId: string, filter: ListFilter): Promise<ListPage> {
    const access = this.rt.access();
    await access.requireTeamMember(userId, filter.teamId);
    const wanted = (i: Incident): boolean =>
      i.teamId === filter.teamId &&
      (filter.state === 'all' ? i.phase !== 'pending' : i.phase === filter.state) &&
      (filter.severity === null || i.severity === filter.severity) &&
      (filter.commanderId === null || i.roles.commander === filter.commanderId);
    const found = filter.state === 'active' ? await this.activePage(filter, wanted, access, userId) : await this.indexPage(filter, wanted, access, userId);
    return { items: found.items.map((i) => this.rt.view(i)), next_before: found.next };
  }

  /** Active incidents come from the team's small active set, not from a scan of the index. */
  private async activePage(filter: ListFilter, wanted: (i: Incident) => boolean, access: Access, userId: string) {
    const members = (await this.rt.store.setMembers(filter.teamId, 'active'))
      .filter((m) => filter.before === null || m.n - 1 < filter.before)
      .sort((a, b) => b.n - a.n);
    const items: Incident[] = [];
    let read = 0;
    // Open only as many records as the page still needs; hidden or stale ones make it read on.
    for (let round = 0; round < MAX_ROUNDS && items.length < filter.perPage && read < members.length; round++) {
      const batch = members.slice(read, read + filter.perPage - items.length);
      read += batch.length;
      const records = (await this.rt.store.getMany(batch.map((m) => m.id))).sort((a, b) => b.number - a.number);
      for (const incident of records) if (wanted(incident) && (await access.canSee(userId, incident))) items.push(incident);
    }
    return { items, next: read < members.length ? members[read - 1]!.n - 1 : null };
  }

  private async indexPage(filter: ListFilter, wanted: (i: Incident) => boolean, access: Access, userId: string) {
    const match = (t: IndexTags): boolean =>
      (filter.state === 'all' ? t['ph'] === 'active' || t['ph'] === 'resolved' : t['ph'] === filter.state) &&
      (filter.severity === null || t['sev'] === filter.severity) &&
      (filter.commanderId === null || t['cmd'] === filter.commanderId);
    const items: Incident[] = [];
    let before = filter.before;
    for (let round = 0; round < MAX_ROUNDS && items.length < filter.perPage; round++) {
      const page = await this.rt.store.page(filter.teamId, { before, limit: filter.perPage - items.length, match });
      const records = await this.rt.store.getMany(page.entries.map((e) => e.id));
      for (const incident of records.sort((a, b) => b.number - a.number)) {
        if (wanted(incident) && (await access.canSee(userId, incident))) items.push(incident);
      }
      before = page.next;
      if (before === null) break;
    }
    return { items, next: before };
  }

  async timeline(userId: string, incidentId: string, page: number, perPage: number): Promise<{ items: TimelineEntry[]; total: number }> {
    const incident = await this.get(userId, incidentId);
    return { items: await this.rt.store.timeline(incident, page * perPage, perPage), total: incident.timelineCount };
  }

  /** The newest `count` entries, oldest first (for `/incident timeline`). */
  async recentTimeline(incident: Incident, count: number): Promise<TimelineEntry[]> {
    return this.rt.store.timeline(incident, Math.max(0, incident.timelineCount - count), count);
  }

  /**
   * Lines for `/infra owe`: overdue status updates of the incidents the user commands and their
   * open follow-ups. Tags pick the candidates, so only those records are opened; an incident the
   * user may no longer see (they left its private channel) is left out.
   */
  async owedBy(userId: string, teamId: string): Promise<string[]> {
    const candidates = (await this.rt.store.allTags(teamId)).filter(
      (e) => (typeof e.tags['fu'] === 'number' && e.tags['fu'] > 0) || (e.tags['ph'] === 'active' && e.tags['cmd'] === userId),
    );
    const access = this.rt.access();
    const now = this.rt.ctx.now();
    const lines: string[] = [];
    for (const i of await this.rt.store.getMany(candidates.map((c) => c.id))) {
      const owed = i.followups.filter((f) => f.ownerId === userId && f.doneAt === null);
      const due = i.roles.commander === userId ? this.rt.view(i).nextUpdateDueAt : null;
      const updateDue = due !== null && due <= now;
      if ((!updateDue && owed.length === 0) || !(await access.canSee(userId, i))) continue;
      if (updateDue) lines.push(`${reference(i.number)}: a status update is due since ${utcStamp(due)} (~${i.channelName})`);
      for (const f of owed) lines.push(`${reference(i.number)} follow-up #${f.n}: ${f.text}${f.due ? ` (due ${f.due})` : ''}`);
    }
    return lines;
  }

  async metrics(userId: string, teamId: string, since: number, until: number): Promise<IncidentMetrics> {
    const access = this.rt.access();
    await access.requireTeamMember(userId, teamId);
    const rows = [];
    for (const entry of await this.rt.store.allTags(teamId)) {
      const row = rowFromTags(entry.tags);
      if (!row || row.declaredAt < since || row.declaredAt > until) continue;
      // A private incident counts only for those who may see it.
      if (entry.tags['priv'] === true && !(await access.isChannelMember(userId, String(entry.tags['ch'] ?? '')))) continue;
      rows.push(row);
    }
    return computeMetrics(teamId, rows, since, until);
  }
}

/**
 * What the guilds feature reads to put resolved incidents on the Reliability Engineering Guild
 * agenda. Agendas are posted where non-members of a private incident read them, so a private
 * incident appears only as its reference, never with its title.
 */
export class IncidentReviews implements IncidentReviewSource {
  constructor(
    private readonly rt: IncidentRuntime,
    private readonly service: IncidentService,
  ) {}

  async pendingReview(teamId: string): Promise<IncidentReviewItem[]> {
    const members = await this.rt.store.setMembers(teamId, 'review');
    const records = (await this.rt.store.getMany(members.map((m) => m.id))).filter((i) => i.teamId === teamId && needsReview(i));
    return records
      .sort((a, b) => (a.milestones.resolved ?? 0) - (b.milestones.resolved ?? 0))
      .map((i) => ({
        incidentId: i.id,
        reference: reference(i.number),
        title: i.private ? 'Private incident (details in its channel)' : i.title,
        severity: i.severity,
        resolvedAt: i.milestones.resolved ?? i.updatedAt,
        mttrMinutes: mttrMinutes(i),
        openFollowups: openFollowups(i),
        channelId: i.channelId,
      }));
  }

  async markReviewed(teamId: string, incidentIds: readonly string[], reviewedAt: number): Promise<void> {
    for (const id of incidentIds) {
      const incident = await this.rt.store.get(id);
      if (!incident || incident.teamId !== teamId) continue;
      try {
        await this.service.markReviewed(this.rt.ctx.botUserId, id, reviewedAt, true);
      } catch (err) {
        // One incident reopened meanwhile must not stop the others from being marked.
        if (!(err instanceof UserError)) throw err;
        this.rt.ctx.log.info('incident not marked reviewed', { incidentId: id, reason: err.message });
      }
    }
  }
}
