/**
 * The guild cadence engine: reminders before each meeting and a "meeting started" post at its
 * time, both carrying the agenda computed from live data at that moment.
 *
 * One scheduler job per active guild (`guild-cadence:<slug>`) always points at the guild's next
 * cadence event. When it fires it posts, then schedules the event after it, computed afresh from
 * the stored guild with nextMeeting() — so DST and every-N-weeks are honoured by the one schedule
 * function, edits take effect at the next event, and nothing lives in memory: any node may run
 * any event, and the scheduler's compare-and-set claim makes it run on exactly one.
 *
 * A job also re-checks, when it fires, that its event is still what the guild's current schedule,
 * reminder setting and last meeting say is due at that time; a stale one posts nothing. A small
 * "sent" record (compare-and-set) keeps a retried job from posting the same event twice.
 */
import { z } from 'zod';
import type { ProductContext } from '../shared/context';
import { UNCHANGED } from '../shared/kv';
import { humanDuration, type People } from '../shared/people';
import type { JobPayload } from '../shared/scheduler';
import { agendaSections } from './agenda_text';
import { describeMeeting, nextMeeting } from './schedule';
import type { Guild } from './schema';
import type { Agenda } from './service';
import type { GuildStore } from './store';

export const CADENCE_JOB = 'guilds.cadence';
export const cadenceJobKey = (slug: string): string => `guild-cadence:${slug}`;
const sentKey = (slug: string): string => `guild:sent:${slug}`;

/** Longest reminder lead: a week, so one meeting's reminders never pass the previous meeting. */
export const MAX_LEAD_MINUTES = 7 * 24 * 60;
export const DEFAULT_LEAD_MINUTES: readonly number[] = [60];
/** A "meeting started" post later than this after the start (a cluster that was down) is skipped. */
const START_POST_GRACE_MS = 30 * 60_000;
/** Enough to recognise retries of recent events; older ones can no longer be due. */
const SENT_KEPT = 20;

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
  slug: z.string(),
  kind: z.enum(['reminder', 'start']),
  meetingAt: z.number(),
  at: z.number(),
  leadMinutes: z.number().int().nonnegative(),
});
const sentSchema = z.object({ v: z.literal(1), events: z.array(z.string()) });

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

/**
 * The GuildReminderLeadMinutes setting: minutes before a meeting, several separated by commas
 * ("1440, 60" = a day and an hour before); "0" or "none" turns reminders off. An unreadable
 * value falls back to the default and says why, rather than silently dropping reminders.
 */
export function parseLeadMinutes(raw: unknown): { leads: number[]; problem: string | null } {
  const text = raw === undefined || raw === null ? '' : String(raw).trim();
  if (text === '') return { leads: [...DEFAULT_LEAD_MINUTES], problem: null };
  if (/^(0|none|off)$/i.test(text)) return { leads: [], problem: null };
  const words = text.split(/[\s,;]+/).filter(Boolean);
  const leads = words.map(Number);
  if (leads.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_LEAD_MINUTES)) {
    return { leads: [...DEFAULT_LEAD_MINUTES], problem: `GuildReminderLeadMinutes "${text}" is not a list of whole minutes from 1 to ${MAX_LEAD_MINUTES}; using ${DEFAULT_LEAD_MINUTES.join(', ')}.` };
  }
  return { leads: [...new Set(leads)].sort((a, b) => b - a), problem: null };
}

/** What the cadence needs from the guilds service (kept narrow so the two do not entangle). */
export interface CadenceHost {
  readonly store: GuildStore;
  people(): People;
  computeAgenda(guild: Guild, teamId: string, meetingAt?: number): Promise<Agenda>;
}

export class GuildCadence {
  constructor(
    private readonly ctx: ProductContext,
    private readonly host: CadenceHost,
  ) {
    ctx.scheduler.register(CADENCE_JOB, (payload) => this.fire(payload));
  }

  /** Reminder leads from the settings (read at every use, so a settings change applies at once). */
  leads(): number[] {
    const { leads, problem } = parseLeadMinutes(this.ctx.settings()['guildreminderleadminutes']);
    if (problem) this.ctx.log.warn(problem);
    return leads;
  }

  /** The guild's next cadence event after `after`, or null when the guild is inactive. */
  nextEvent(guild: Guild, after: number): CadenceEvent | null {
    if (!guild.channelId || !guild.teamId) return null;
    const last = guild.lastMeeting;
    return nextCadenceEvent(guild, this.leads(), after, last ? Math.max(last.closedAt, last.scheduledFor ?? 0) : 0);
  }

  /**
   * Points the guild's job at its next event (after a create, an edit or a close); cancels it
   * for an inactive guild. An overdue event the pollers have not reached yet is kept, not skipped.
   */
  async reschedule(guild: Guild): Promise<void> {
    const now = this.ctx.now();
    const pendingAt = await this.ctx.scheduler.dueAt(cadenceJobKey(guild.slug));
    const event = this.nextEvent(guild, pendingAt !== null && pendingAt <= now ? pendingAt - 1 : now);
    await this.scheduleEvent(guild.slug, event);
  }

  /** At activation on every node: schedules guilds that have no job yet, leaves running chains alone. */
  async ensureAll(): Promise<void> {
    for (const guild of await this.host.store.all()) {
      const pending = await this.ctx.scheduler.dueAt(cadenceJobKey(guild.slug));
      const active = guild.channelId !== null && guild.teamId !== null;
      if (active !== (pending !== null)) await this.reschedule(guild);
    }
  }

  private async scheduleEvent(slug: string, event: CadenceEvent | null): Promise<void> {
    if (!event) {
      await this.ctx.scheduler.cancel(cadenceJobKey(slug));
      return;
    }
    await this.ctx.scheduler.schedule(cadenceJobKey(slug), CADENCE_JOB, event.at, { slug, ...event });
  }

  private async fire(payload: JobPayload): Promise<void> {
    const parsed = eventSchema.safeParse(payload);
    if (!parsed.success) {
      this.ctx.log.error('guild cadence job with an unreadable payload dropped', { payload: JSON.stringify(payload) });
      return;
    }
    const { slug, ...event } = parsed.data;
    const guild = await this.host.store.get(slug);
    if (!guild) return;
    // What the guild as stored now says is due at the event's time (a retry runs later than
    // that, so not the job's due time); anything else is a stale job.
    const expected = this.nextEvent(guild, event.at - 1);
    if (expected && sameEvent(expected, event) && this.stillTimely(event)) await this.announceOnce(guild, event);
    else this.ctx.log.info('guild cadence event skipped', { slug, kind: event.kind, meetingAt: event.meetingAt });
    await this.scheduleEvent(slug, this.nextEvent(guild, Math.max(this.ctx.now(), event.at)));
  }

  /** A reminder after the meeting began, or a start post long after it, would only confuse. */
  private stillTimely(event: CadenceEvent): boolean {
    const now = this.ctx.now();
    return event.kind === 'reminder' ? now < event.meetingAt : now < event.meetingAt + START_POST_GRACE_MS;
  }

  /** Records the event as sent, then posts; a failed post un-records it so the retry posts. */
  private async announceOnce(guild: Guild, event: CadenceEvent): Promise<void> {
    const id = `${event.kind}:${event.meetingAt}:${event.leadMinutes}`;
    let fresh = false;
    await this.ctx.kv.update(sentKey(guild.slug), sentSchema, (sent) => {
      fresh = !sent?.events.includes(id);
      return fresh ? { v: 1 as const, events: [...(sent?.events ?? []), id].slice(-SENT_KEPT) } : UNCHANGED;
    });
    if (!fresh) return;
    try {
      await this.post(guild, event);
    } catch (err) {
      await this.ctx.kv.update(sentKey(guild.slug), sentSchema, (sent) =>
        sent?.events.includes(id) ? { ...sent, events: sent.events.filter((e) => e !== id) } : UNCHANGED,
      );
      throw err;
    }
  }

  private async post(guild: Guild, event: CadenceEvent): Promise<void> {
    const channelId = guild.channelId!;
    const channel = await this.ctx.api.getChannel(channelId).catch(() => null);
    if (!channel || channel.DeleteAt) {
      this.ctx.log.warn('guild channel is gone; cadence post skipped', { slug: guild.slug, channelId });
      return;
    }
    const people = this.host.people();
    const agenda = await this.host.computeAgenda(guild, guild.teamId!, event.meetingAt);
    const message = await cadenceMessage(guild, event, agenda, people, this.ctx.now());
    await this.ctx.api.createPost({
      ChannelId: channelId,
      UserId: this.ctx.botUserId,
      Message: message,
      Props: { infra_ops_guild: guild.slug, infra_ops_cadence: event.kind, infra_ops_meeting_at: event.meetingAt },
    });
  }
}

const sameEvent = (a: CadenceEvent, b: CadenceEvent): boolean =>
  a.kind === b.kind && a.meetingAt === b.meetingAt && a.at === b.at && a.leadMinutes === b.leadMinutes;

/** The reminder or start post: a headline, who is expected, then the agenda in sections. */
export async function cadenceMessage(guild: Guild, event: CadenceEvent, agenda: Agenda, people: People, now: number): Promise<string> {
  const when = describeMeeting(event.meetingAt, guild.timeZone);
  const headline =
    event.kind === 'reminder'
      ? `#### ⏰ ${guild.name} meets in ${humanDuration(event.meetingAt - now)} — ${when}`
      : `#### 📣 ${guild.name} starts now — ${when}`;
  const lines = [headline];
  const who = await expected(guild, people);
  if (who) lines.push(`${who}${guild.purpose ? ` · ${guild.purpose}` : ''}`);
  lines.push('', ...(await agendaSections(agenda, people, now)));
  lines.push(
    '',
    event.kind === 'reminder'
      ? `_Add to the agenda with \`/guild queue ${guild.slug} <item>\`._`
      : `_Record with \`/guild notes ${guild.slug} [decision|action] <text>\`; close with \`/guild close ${guild.slug} [--done Q1,INC-042…|all] [--carry Q2…]\`._`,
  );
  return lines.join('\n');
}

/** Users as @mentions; `@group` labels as written, so Mattermost notifies the group; other labels as words. */
async function expected(guild: Guild, people: People): Promise<string> {
  const users = guild.members.flatMap((m) => (m.kind === 'user' ? [m.userId] : []));
  const labels = guild.members.flatMap((m) => (m.kind === 'label' ? [m.text] : []));
  const mentions = [...(users.length ? [await people.mentions(users)] : []), ...labels.filter((l) => l.startsWith('@'))];
  const words = labels.filter((l) => !l.startsWith('@'));
  return [mentions.join(', '), words.join(', ')].filter(Boolean).join(' · ');
}
