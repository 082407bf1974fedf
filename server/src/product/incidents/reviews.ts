import type { Access } from '../shared/access/policy';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import type { IncidentReviewItem, IncidentReviewSource, Listed, Reader } from '../shared/ports';
import { mttrMinutes, needsReview, openFollowups } from './lifecycle';
import { reference } from './messages';
import { canSee } from './policy';
import type { Incident } from './records';
import type { IncidentService } from './service';
import type { IncidentStore } from './store';

/** Incidents one guild meeting may mark reviewed (an agenda lists a team's pending ones). */
const MAX_PER_MEETING = 200;

type ReviewsContext = Pick<ProductContext, 'access' | 'log'>;

/**
 * What the guilds feature reads to put resolved incidents on the Reliability Engineering Guild
 * agenda, and how a closed meeting marks them reviewed. Every read names its reader:
 * - a person (`{userId}`) sees the incidents they may see now;
 * - a bot post into a channel (`{channelId}`) shows only incidents whose own channel is open now
 *   and in the same team as that channel: whoever reads the agenda may read those. The rest are
 *   only counted (`hidden`), never described.
 */
export class IncidentReviews implements IncidentReviewSource {
  constructor(
    private readonly ctx: ReviewsContext,
    private readonly store: IncidentStore,
    private readonly service: IncidentService,
  ) {}

  async pendingReview(teamId: string, reader: Reader): Promise<Listed<IncidentReviewItem>> {
    const pending = (await this.store.setRecords(teamId, 'review'))
      .filter((i) => i.teamId === teamId && needsReview(i))
      .sort((a, b) => (a.milestones.resolved ?? 0) - (b.milestones.resolved ?? 0));
    const access = this.ctx.access();
    const shown = await Promise.all(pending.map((i) => this.readable(access, reader, teamId, i)));
    return { items: pending.filter((_, n) => shown[n]).map(reviewItem), hidden: shown.filter((s) => !s).length };
  }

  private async readable(access: Access, reader: Reader, teamId: string, i: Incident): Promise<boolean> {
    if ('userId' in reader) return canSee(access, reader.userId, i);
    const [where, own] = await Promise.all([access.channel(reader.channelId), access.channel(i.channelId)]);
    return where?.TeamId === teamId && own?.TeamId === teamId && own.Type === 'O' && !own.DeleteAt;
  }

  async markReviewed(actorUserId: string, teamId: string, incidentIds: readonly string[], reviewedAt: number): Promise<string[]> {
    const caller = { userId: actorUserId, access: this.ctx.access() };
    const marked: string[] = [];
    for (const id of [...new Set(incidentIds)].slice(0, MAX_PER_MEETING)) {
      const incident = await this.store.get(id);
      if (!incident || incident.teamId !== teamId) continue;
      try {
        const after = await this.service.markReviewed(caller, id, reviewedAt, 'meeting');
        if (after.review.reviewedAt !== null) marked.push(id);
      } catch (err) {
        // One incident the closer may not mark (or reopened meanwhile) must not stop the others.
        if (!(err instanceof UserError)) throw err;
        this.ctx.log.info('incident not marked reviewed', { incidentId: id, reason: err.message });
      }
    }
    return marked;
  }
}

function reviewItem(i: Incident): IncidentReviewItem {
  return {
    incidentId: i.id,
    reference: reference(i.number),
    title: i.title,
    severity: i.severity,
    resolvedAt: i.milestones.resolved ?? i.updatedAt,
    mttrMinutes: mttrMinutes(i),
    openFollowups: openFollowups(i),
    channelId: i.channelId,
  };
}
