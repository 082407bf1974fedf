/**
 * The guild cadence engine: reminders before each meeting and a "meeting started" post at its
 * time, both carrying the agenda computed from live data at that moment, as the guild's channel
 * may see it (items of private channels only as a count).
 *
 * One scheduler job per active guild (`guild-cadence:<team>:<slug>`) always points at the guild's
 * next cadence event. It is a recurring kind (shared/scheduler.ts): the scheduler computes the
 * event after this one *before* the post is attempted, from the stored guild with the one schedule
 * function (DST, every N weeks, edits, the last close), retries a failing post with back-off while
 * it is still useful and then moves on to that next event — so a chain never dies. Posts go
 * through postOnce with a key naming the event, so a node killed mid-post or a retry never posts
 * it twice. Nothing lives in memory: any node may run any event.
 *
 * A job re-checks, when it fires, that its event is still what the guild's schedule, reminder
 * setting and last meeting say is due, and that it is still timely; otherwise it posts nothing.
 */
import { z } from 'zod';
import { CADENCE_PROPS } from '../contract/guilds';
import type { ProductContext } from '../shared/context';
import { CorruptRecordError } from '../shared/errors';
import { postOnce } from '../shared/posts';
import type { JobPayload, Occurrence } from '../shared/scheduler';
import { RELAYED_TEXT_PROPS } from '../shared/text/mentions';
import type { Reader } from '../shared/ports';
import { closedUpTo } from './meetings';
import { type AgendaText, cadenceMessage, type Names } from './messages';
import type { Guild, GuildCopy } from './records';
import { nextMeeting } from './schedule';
import type { GuildSettings } from './settings';
import { type GuildStore, reportCorrupt } from './store';

export const CADENCE_JOB = 'guilds.cadence';
export const cadenceJobKey = (teamId: string, slug: string): string => `guild-cadence:${teamId}:${slug}`;
/** The job key of v1 (installation-wide guilds); migrate.ts cancels these. */
export const legacyCadenceJobKey = (slug: string): string => `guild-cadence:${slug}`;

/** A "meeting started" post later than this after the start (a cluster that was down) is skipped. */
const START_POST_GRACE_MS = 30 * 60_000;

export interface CadenceEvent {
  readonly kind: 'reminder' | 'start';
  /** The meeting this event belongs to. */
  readonly meetingAt: number;
  /** When the event fires: meetingAt minus the lead for a reminder, meetingAt for the start. */
  readonly at: number;
  /** 0 for the start. */
  readonly leadMinutes: number;
}

const eventSchema = z.object({
  teamId: z.string().min(1),
  slug: z.string().min(1),
  kind: z.enum(['reminder', 'start']),
  meetingAt: z.number(),
  at: z.number(),
  leadMinutes: z.number().int().nonnegative(),
});
type Payload = z.output<typeof eventSchema>;

/**
 * The first cadence event strictly after `after`, for meetings after `usedUpTo` (a meeting closed
 * early uses up its slot). Pure: the schedule decides, so DST shifts and skipped weeks carry over.
 */
export function nextCadenceEvent(guild: Pick<Guild, 'day' | 'time' | 'timeZone' | 'everyWeeks' | 'anchorDate'>, leads: readonly number[], after: number, usedUpTo: number): CadenceEvent {
  const first = nextMeeting(guild, Math.max(after, usedUpTo));
  // With leads of at most a week, the next event belongs to one of the next two meetings.
  const second = nextMeeting(guild, first);
  const events = [first, second].flatMap((meetingAt): CadenceEvent[] => [
    ...leads.map((lead) => ({ kind: 'reminder' as const, meetingAt, at: meetingAt - lead * 60_000, leadMinutes: lead })),
    { kind: 'start', meetingAt, at: meetingAt, leadMinutes: 0 },
  ]);
  return events.filter((e) => e.at > after).sort((a, b) => a.at - b.at || b.leadMinutes - a.leadMinutes)[0]!;
}

/** What the cadence needs from the guilds use cases (kept narrow so the two do not entangle). */
export interface CadenceHost {
  readonly store: GuildStore;
  names(): Names;
  settings(): GuildSettings;
  /** The agenda of `meetingAt` as `reader` may see it. */
  agendaFor(guild: GuildCopy, reader: Reader, meetingAt: number): Promise<AgendaText>;
}

export class GuildCadence {
  constructor(
    private readonly ctx: ProductContext,
    private readonly host: CadenceHost,
  ) {}

  /** Called from the feature's activate (every node registers the handler). */
  register(): void {
    this.ctx.scheduler.register(CADENCE_JOB, (payload) => this.fire(payload), { next: (payload) => this.following(payload) });
  }

  /** Reminder leads from the settings (read at every use, so a settings change applies at once). */
  leads(): readonly number[] {
    const settings = this.host.settings();
    if (settings.problem) this.ctx.log.warn(settings.problem);
    return settings.reminderLeadMinutes;
  }

  /** The guild's next cadence event after `after`, or null when the guild is inactive. */
  nextEvent(guild: GuildCopy, after: number): CadenceEvent | null {
    if (!guild.channelId) return null;
    return nextCadenceEvent(guild, this.leads(), after, closedUpTo(guild));
  }

  /**
   * Points the guild's job at its next event (after a create, an edit or a close); cancels it
   * for an inactive guild. An overdue event the pollers have not reached yet is kept, not skipped.
   */
  async reschedule(guild: GuildCopy): Promise<void> {
    const now = this.ctx.now();
    const pendingAt = await this.ctx.scheduler.dueAt(cadenceJobKey(guild.teamId, guild.slug));
    const event = this.nextEvent(guild, pendingAt !== null && pendingAt <= now ? pendingAt - 1 : now);
    await this.scheduleEvent(guild, event);
  }

  async cancel(teamId: string, slug: string): Promise<void> {
    await this.ctx.scheduler.cancel(cadenceJobKey(teamId, slug));
  }

  /** At activation on every node: schedules active guilds that have no job, cancels jobs of inactive ones. */
  async ensure(guilds: readonly GuildCopy[]): Promise<void> {
    for (const guild of guilds) {
      const pending = await this.ctx.scheduler.dueAt(cadenceJobKey(guild.teamId, guild.slug));
      if ((guild.channelId !== null) !== (pending !== null)) await this.reschedule(guild);
    }
  }

  private async scheduleEvent(guild: Pick<Guild, 'teamId' | 'slug'>, event: CadenceEvent | null): Promise<void> {
    const key = cadenceJobKey(guild.teamId, guild.slug);
    if (!event) await this.ctx.scheduler.cancel(key);
    else await this.ctx.scheduler.schedule(key, CADENCE_JOB, event.at, payloadOf(guild, event));
  }

  /** The event after this one, from the guild as stored now (null: inactive or gone); the scheduler keeps the chain with it. */
  private async following(payload: JobPayload): Promise<Occurrence | null> {
    const parsed = eventSchema.safeParse(payload);
    if (!parsed.success) return null;
    const guild = await this.load(parsed.data);
    const event = guild ? this.nextEvent(guild, Math.max(this.ctx.now(), parsed.data.at)) : null;
    return guild && event ? { dueAt: event.at, payload: payloadOf(guild, event) } : null;
  }

  private async load(p: Pick<Payload, 'teamId' | 'slug'>): Promise<Guild | null> {
    try {
      return await this.host.store.get(p.teamId, p.slug);
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) throw err;
      reportCorrupt(this.ctx, err);
      return null;
    }
  }

  /** Posts the event if it is still the one due and still timely; a failure throws, so the scheduler retries. */
  private async fire(payload: JobPayload): Promise<void> {
    const parsed = eventSchema.safeParse(payload);
    if (!parsed.success) {
      // v1 jobs (no team) are cancelled by the migration; anything else unreadable is dropped.
      this.ctx.log.warn('guild cadence job with an unreadable payload dropped', { payload: JSON.stringify(payload).slice(0, 500) });
      return;
    }
    const { teamId, slug, ...event } = parsed.data;
    const guild = await this.load(parsed.data);
    if (!guild) return;
    // What the guild as stored now says is due at the event's time (a retry runs later than
    // that, so not the job's due time); anything else is a stale job.
    const expected = this.nextEvent(guild, event.at - 1);
    if (!expected || !sameEvent(expected, event) || !this.stillTimely(event, this.ctx.now())) {
      this.ctx.log.info('guild cadence event skipped', { teamId, slug, kind: event.kind, meetingAt: event.meetingAt });
      return;
    }
    await this.post(guild, event);
  }

  /** A reminder after the meeting began, or a start post long after it, would only confuse. */
  private stillTimely(event: CadenceEvent, at: number): boolean {
    return event.kind === 'reminder' ? at < event.meetingAt : at < event.meetingAt + START_POST_GRACE_MS;
  }

  private async post(guild: GuildCopy, event: CadenceEvent): Promise<void> {
    const channelId = guild.channelId!;
    const channel = await this.ctx.access().channel(channelId);
    if (!channel || channel.DeleteAt || channel.TeamId !== guild.teamId) {
      this.ctx.log.warn('guild channel is gone or in another team; cadence post skipped', { teamId: guild.teamId, slug: guild.slug, channelId });
      return;
    }
    // The channel is the reader: only items of open channels of the team, the rest as a count.
    const agenda = await this.host.agendaFor(guild, { channelId }, event.meetingAt);
    const message = await cadenceMessage(guild, event, agenda, this.host.names(), this.ctx.now());
    const props = { ...RELAYED_TEXT_PROPS, [CADENCE_PROPS.guild]: guild.slug, [CADENCE_PROPS.cadence]: event.kind, [CADENCE_PROPS.meetingAt]: event.meetingAt };
    // One key per event of this guild: a retry, a takeover or a rescheduled job never posts it twice.
    await postOnce(this.ctx, { channelId, message, props }, `guild:${guild.teamId}:${guild.slug}:${event.kind}:${event.meetingAt}:${event.leadMinutes}`);
  }
}

const payloadOf = (guild: Pick<Guild, 'teamId' | 'slug'>, event: CadenceEvent): JobPayload => ({ teamId: guild.teamId, slug: guild.slug, ...event });

const sameEvent = (a: CadenceEvent, b: CadenceEvent): boolean =>
  a.kind === b.kind && a.meetingAt === b.meetingAt && a.at === b.at && a.leadMinutes === b.leadMinutes;
