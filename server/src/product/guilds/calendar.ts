/**
 * The guilds' side of the team calendar (product/calendar): each active guild the feed's reader
 * may see now, as a weekly series computed by the one schedule function — its first regular slot,
 * the slots called off (skips and team holidays) and the next meeting the plugin will hold, so a
 * calendar app's expansion of the series and the plugin's own reminders agree.
 */
import type { ProductContext } from '../shared/context';
import type { FeedReader, GuildCalendarSource, GuildMeetingSeries } from '../shared/ports';
import { agendaMeeting } from './meetings';
import { scopeOf } from './policy';
import type { GuildCopy } from './records';
import { scheduleStart, slotAfter, slotOn } from './schedule';
import type { GuildStore } from './store';

export class GuildCalendar implements GuildCalendarSource {
  constructor(
    private readonly ctx: Pick<ProductContext, 'access' | 'now'>,
    private readonly store: GuildStore,
  ) {}

  async series(teamId: string, reader: FeedReader): Promise<GuildMeetingSeries[]> {
    const access = this.ctx.access();
    const guilds = (await this.store.list(teamId)).filter((g) => g.channelId !== null);
    const seen = await Promise.all(
      guilds.map(async (g) => {
        if (!(await access.canSee(reader.userId, scopeOf(g)))) return false;
        if (!reader.teamWide) return true;
        const channel = await access.channel(g.channelId!);
        return channel !== null && channel.Type === 'O' && !channel.DeleteAt && channel.TeamId === teamId;
      }),
    );
    return guilds.filter((_, i) => seen[i]).map((g) => seriesOf(g, this.ctx.now()));
  }
}

/** The guild's meetings as a series: from its anchor (or its creation, for records without one). */
export function seriesOf(guild: GuildCopy, now: number): GuildMeetingSeries {
  const anchored = scheduleStart(guild);
  const firstAt = slotAfter(guild, (Number.isFinite(anchored) ? anchored : guild.createdAt) - 1);
  const calledOff = [...new Set([...(guild.skips ?? []), ...(guild.holidays ?? [])])]
    .map((date) => slotOn(guild, date))
    .filter((at): at is number => at !== null && at >= firstAt)
    .sort((a, b) => a - b);
  return {
    slug: guild.slug,
    name: guild.name,
    purpose: guild.purpose,
    timeZone: guild.timeZone,
    everyWeeks: guild.everyWeeks,
    firstAt,
    calledOff,
    nextAt: agendaMeeting(guild, now),
  };
}
