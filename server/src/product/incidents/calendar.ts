/**
 * The incidents' side of the team calendar (product/calendar): open follow-ups that have a due
 * date. Only incidents whose index tags count open follow-ups are opened (one key per 100
 * incidents for the tags, then just those records); the record is the truth, re-checked here.
 * A personal feed shows the incidents its owner may see now; a team feed only those whose channel
 * is an open channel of the team (and that the owner may see).
 */
import type { ProductContext } from '../shared/context';
import type { FeedReader, FollowupCalendarSource, FollowupDueItem } from '../shared/ports';
import { reference } from './messages';
import { canSee } from './policy';
import type { IncidentStore } from './store';

/** Incidents a feed opens at most (the newest first): a bound on one fetch's work. */
const MAX_INCIDENTS = 500;

export class IncidentCalendar implements FollowupCalendarSource {
  constructor(
    private readonly ctx: Pick<ProductContext, 'access'>,
    private readonly store: IncidentStore,
  ) {}

  async dueFollowups(teamId: string, reader: FeedReader): Promise<FollowupDueItem[]> {
    const members = [...(await this.store.setMembers(teamId, 'followups'))].sort((a, b) => b.n - a.n).slice(0, MAX_INCIDENTS);
    const incidents = (await this.store.fromSnapshots(members)).filter((i) => i.teamId === teamId && i.followups.some((f) => f.doneAt === null && f.due !== null));
    const access = this.ctx.access();
    const shown = await Promise.all(
      incidents.map(async (i) => {
        if (!(await canSee(access, reader.userId, i))) return false;
        if (!reader.teamWide) return true;
        const channel = await access.channel(i.channelId);
        return channel !== null && channel.Type === 'O' && !channel.DeleteAt && channel.TeamId === teamId;
      }),
    );
    return incidents
      .filter((_, k) => shown[k])
      .flatMap((i) =>
        i.followups
          .filter((f) => f.doneAt === null && f.due !== null)
          .map((f) => ({ incidentId: i.id, reference: reference(i.number), n: f.n, text: f.text, due: f.due! })),
      );
  }
}
