/**
 * The team calendar's use cases: giving a member their two links (team and personal), rotating
 * one, and rendering a feed when a calendar app fetches it.
 *
 * A link is a random token shown once; only its SHA-256 is stored (store.ts). At every fetch the
 * feed is evaluated live as its owner: the owner must still be an active full member of the team
 * (else 404, the same answer as an unknown token), and every item is read through its feature's
 * port with the owner as reader — a personal feed shows what the owner may see now, a team feed
 * only what every full member may see (items of the team's open channels, or of none).
 */
import { createHash, randomBytes } from 'node:crypto';
import { CALENDAR_TOKEN_PATTERN, calendarFeedPath, type FeedKind } from '../contract/calendar';
import type { ProductContext } from '../shared/context';
import type { FeedReader, FollowupCalendarSource, GuildCalendarSource, RfcReviewSource } from '../shared/ports';
import { DAY_MS } from '../shared/time/zone';
import { icsCalendar, type IcsEvent } from './ics';
import { CALENDAR_TEXT, type LinkLine } from './messages';
import { calendarPolicy } from './policy';
import type { Feed } from './records';
import { CalendarStore } from './store';

export interface CalendarSources {
  readonly guilds: GuildCalendarSource;
  readonly rfcs: RfcReviewSource;
  readonly followups: FollowupCalendarSource;
}

/** A VTIMEZONE covers this far ahead, so expanding a series stays exact for years. */
const ZONE_SPAN_AHEAD_MS = 5 * 366 * DAY_MS;
/** …and at most this far back (series older than that keep their first observance before it). */
const ZONE_SPAN_BACK_MS = 2 * 366 * DAY_MS;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class CalendarService {
  readonly store: CalendarStore;

  constructor(
    private readonly ctx: ProductContext,
    private readonly sources: CalendarSources,
  ) {
    this.store = new CalendarStore(ctx.kv);
  }

  /** The actor's links in this team: made (and shown) now where there was none, else only when made. */
  async links(actor: string, teamId: string, siteUrl: string): Promise<LinkLine[]> {
    await calendarPolicy.require(this.ctx.access(), actor, 'subscribe', { scope: { teamId, channelId: null } }, 'subscribe to the team calendar');
    const lines: LinkLine[] = [];
    for (const kind of ['team', 'me'] as const) {
      const pointer = await this.store.pointer(teamId, actor, kind);
      lines.push(pointer ? { kind, url: null, createdAt: pointer.createdAt } : await this.issue(actor, teamId, kind, siteUrl, false));
    }
    return lines;
  }

  /** A new link of this kind; the old one's feed is deleted, so it answers 404 from now on. */
  async rotate(actor: string, teamId: string, kind: FeedKind, siteUrl: string): Promise<LinkLine> {
    await calendarPolicy.require(this.ctx.access(), actor, 'subscribe', { scope: { teamId, channelId: null } }, 'subscribe to the team calendar');
    return this.issue(actor, teamId, kind, siteUrl, true);
  }

  private async issue(actor: string, teamId: string, kind: FeedKind, siteUrl: string, replace: boolean): Promise<LinkLine> {
    const token = randomBytes(32).toString('base64url');
    const createdAt = this.ctx.now();
    const installed = await this.store.install({ v: 1, kind, teamId, userId: actor, createdAt }, hashToken(token), replace);
    if (!installed) {
      // Another node made this link a moment ago: that one stands, and its token was shown there.
      const pointer = await this.store.pointer(teamId, actor, kind);
      return { kind, url: null, createdAt: pointer?.createdAt ?? createdAt };
    }
    return { kind, url: `${siteUrl.endsWith('/') ? siteUrl.slice(0, -1) : siteUrl}${calendarFeedPath(token)}`, createdAt };
  }

  /** The feed's iCalendar text, or null (→ 404) for an unknown or revoked token or an owner who may no longer read the team. */
  async render(token: string): Promise<string | null> {
    if (!CALENDAR_TOKEN_PATTERN.test(token)) return null;
    const feed = await this.store.feed(hashToken(token));
    if (!feed || !(await this.ownerMayRead(feed))) return null;
    const reader: FeedReader = { userId: feed.userId, teamWide: feed.kind === 'team' };
    const now = this.ctx.now();
    const [series, rfcs, followups, team] = await Promise.all([
      this.sources.guilds.series(feed.teamId, reader),
      this.sources.rfcs.inReview(feed.teamId, { userId: feed.userId }),
      this.sources.followups.dueFollowups(feed.teamId, reader),
      this.ctx.api.getTeam(feed.teamId).catch(() => null),
    ]);
    const events: IcsEvent[] = series.map((s) => ({
      uid: `guild-${feed.teamId}-${s.slug}@infra-ops`,
      summary: CALENDAR_TEXT.guildSummary(s.name),
      description: CALENDAR_TEXT.guildDescription(s.purpose, s.slug),
      start: { kind: 'zoned', at: s.firstAt, timeZone: s.timeZone },
      weekly: { everyWeeks: s.everyWeeks, exdates: s.calledOff },
    }));
    const access = this.ctx.access();
    for (const r of rfcs.items) {
      if (r.commentPeriodEndsAt === null) continue;
      if (reader.teamWide && r.channelId !== null) {
        const channel = await access.channel(r.channelId);
        if (!channel || channel.Type !== 'O' || channel.DeleteAt || channel.TeamId !== feed.teamId) continue;
      }
      events.push({
        uid: `rfc-${r.rfcId.replace(/[^\da-z-]/gi, '-')}-comments@infra-ops`,
        summary: CALENDAR_TEXT.rfcSummary(r.reference, r.title),
        start: { kind: 'utc', at: r.commentPeriodEndsAt },
        duration: 'PT15M',
      });
    }
    for (const f of followups) {
      events.push({
        uid: `followup-${f.incidentId}-${f.n}@infra-ops`,
        summary: CALENDAR_TEXT.followupSummary(f.reference, f.text),
        start: { kind: 'date', date: f.due },
      });
    }
    const earliest = Math.min(now, ...series.map((s) => s.firstAt));
    const span = { from: Math.max(earliest - DAY_MS, now - ZONE_SPAN_BACK_MS), to: now + ZONE_SPAN_AHEAD_MS };
    return icsCalendar(CALENDAR_TEXT.calendarName(team?.DisplayName ?? 'team', feed.kind), events, now, span);
  }

  /** The owner as Mattermost has them now: an active user who may still read the team. */
  private async ownerMayRead(feed: Feed): Promise<boolean> {
    const user = await this.ctx.api.getUser(feed.userId).catch(() => null);
    if (!user || (user.DeleteAt ?? 0) > 0) return false;
    return calendarPolicy.allows(this.ctx.access(), feed.userId, 'subscribe', { scope: { teamId: feed.teamId, channelId: null } });
  }
}
