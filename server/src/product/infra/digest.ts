/**
 * The daily digest: one DM a day at each enrolled user's local morning (their Mattermost time
 * zone; the System Console's time or their own), weekdays unless they want weekends, listing what
 * they owe — the very lines of `/infra owe` (owe.ts: one definition of "what I owe", each feature
 * filtering by what the user may see now). Nothing owed, no DM.
 *
 * Who gets one: users enrolled when they become involved — they use an Infra Ops command, or a
 * run names them (owner, assignee, approver). Enrolment is one small KV record per user (the
 * teams they were involved in) and one scheduler job per user, `digest:<userId>`, which sets
 * itself to the next local morning after each run. Exactly once per local day across HA nodes:
 * the scheduler's claim lets one node run the job, the DM is posted once per user and day
 * (postOnce), and `lastSentDay` (compare-and-set) keeps a re-run or a moved clock from sending
 * that day's digest again.
 *
 * | key                  | record        | purpose                                                  |
 * |----------------------|---------------|----------------------------------------------------------|
 * | digest:u:<userId>    | prefsSchema   | teams involved in, opted out, own time, weekends, last day sent |
 * | sched:job:digest:<userId> | scheduler job | the next digest                                  |
 */
import { z } from 'zod';
import { FEATURE_TITLES, type OwedSection } from '../contract/infra';
import { ephemeral, type SubcommandSpec } from '../shared/commands';
import type { Feature, ProductContext } from '../shared/context';
import { nullIfCorrupt, UserError } from '../shared/errors';
import { UNCHANGED } from '../shared/kv';
import { postOnce } from '../shared/posts';
import { fitLines } from '../shared/text/limits';
import { withoutChannelMentions } from '../shared/text/mentions';
import { DAY_MS, formatClock, localEpochDay, localToUtc, parseClock, userTimeZone, weekdayOf } from '../shared/time/zone';
import { readerZone } from '../shared/people';
import { DIGEST } from './messages';
import { whatIsOwed } from './owe';
import { parseSettings } from './settings';

export const DIGEST_JOB = 'infra.daily_digest';
/** A user's digest covers at most this many teams (the most recently involved). */
export const DIGEST_TEAMS_MAX = 20;
const prefsKey = (userId: string): string => `digest:u:${userId}`;
const jobKey = (userId: string): string => `digest:${userId}`;
const id = z.string().max(64);
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export const prefsSchema = z.object({
  v: z.literal(1),
  teams: z.array(id).max(DIGEST_TEAMS_MAX),
  optedOut: z.boolean(),
  /** "08:30" in the user's zone; null: the System Console's time. */
  time: z.string().max(5).nullable(),
  weekends: z.boolean(),
  /** The local day (days since 1970-01-01 in the user's zone) the last digest was sent for. */
  lastSentDay: z.number().int().nullable(),
});
export type DigestPrefs = z.output<typeof prefsSchema>;

const fresh = (teamId: string | null): DigestPrefs => ({ v: 1, teams: teamId ? [teamId] : [], optedOut: false, time: null, weekends: false, lastSentDay: null });

/**
 * The next digest after `now`: the first local day from today (weekdays unless `weekends`) whose
 * digest time is still ahead and that has not had its digest. DST follows shared/time (a time in a
 * spring-forward gap moves forward).
 */
export function nextDigestAt(prefs: Pick<DigestPrefs, 'time' | 'weekends' | 'lastSentDay'>, zone: string, now: number, fallback: { hour: number; minute: number }): number {
  const { hour, minute } = (prefs.time === null ? null : parseClock(prefs.time)) ?? fallback;
  const today = localEpochDay(zone, now);
  for (let day = today; day <= today + 8; day++) {
    const weekday = weekdayOf(day);
    if (!prefs.weekends && (weekday === 0 || weekday === 6)) continue;
    if (prefs.lastSentDay !== null && day <= prefs.lastSentDay) continue;
    const at = localToUtc(zone, day, hour, minute);
    if (at > now) return at;
  }
  return now + DAY_MS; // unreachable: some weekday in the next eight days is ahead
}

/** The digest's text, or null when nothing is owed. Team names head the lines when there are several teams. */
export function digestText(weekday: string, teams: ReadonlyArray<{ name: string; sections: readonly OwedSection[] }>): string | null {
  const owing = teams.filter((t) => t.sections.length > 0);
  if (owing.length === 0) return null;
  const lines = [DIGEST.heading(weekday)];
  for (const t of owing) {
    if (owing.length > 1) lines.push(DIGEST.team(t.name));
    for (const s of t.sections) lines.push(`**${FEATURE_TITLES[s.feature]}**`, ...s.items.map((i) => `- ${i}`));
  }
  lines.push('', DIGEST.footer);
  return fitLines(lines).join('\n');
}

export class DailyDigest {
  /** (user, team) pairs this node has enrolled already: a repeat costs no KV call. */
  private readonly enrolled = new Set<string>();

  constructor(
    private readonly ctx: ProductContext,
    private readonly features: () => readonly Feature[],
  ) {}

  register(): void {
    this.ctx.scheduler.register(DIGEST_JOB, (payload) => this.onDue(payload));
  }

  private settings() {
    return parseSettings(this.ctx.settings());
  }

  /** The user is involved in the team: their digest covers it (and starts, the first time). */
  async enroll(userId: string, teamId: string): Promise<void> {
    const memo = `${userId}:${teamId}`;
    if (!userId || !teamId || userId === this.ctx.botUserId || this.enrolled.has(memo) || !this.settings().dailyDigest) return;
    let created = false;
    await this.ctx.kv.update(prefsKey(userId), prefsSchema, (current) => {
      created = current === null;
      if (!current) return fresh(teamId);
      if (current.teams.at(-1) === teamId) return UNCHANGED;
      return { ...current, teams: [...current.teams.filter((t) => t !== teamId), teamId].slice(-DIGEST_TEAMS_MAX) };
    });
    this.enrolled.add(memo);
    if (created) await this.schedule(userId);
  }

  /** Enrols each of several users (a run naming them), sequentially: a handful at a time. */
  async enrollAll(userIds: readonly string[], teamId: string): Promise<void> {
    for (const userId of new Set(userIds)) {
      await this.enroll(userId, teamId).catch((err: unknown) => this.ctx.log.warn('digest enrolment failed', { userId, error: err instanceof Error ? err.message : String(err) }));
    }
  }

  async prefs(userId: string): Promise<DigestPrefs | null> {
    return this.ctx.kv.get(prefsKey(userId), prefsSchema);
  }

  /** `/infra digest off|on|time|weekends`: the change, then the job follows it. */
  async change(userId: string, teamId: string, change: Partial<Pick<DigestPrefs, 'optedOut' | 'time' | 'weekends'>>): Promise<DigestPrefs> {
    // The team is the command's: it joins the digest only if the user is in it now (as /infra owe asks), or a system admin.
    const access = this.ctx.access();
    if (!(await access.isTeamMember(userId, teamId)) && !(await access.isSystemAdmin(userId))) throw UserError.notFound(DIGEST.noSuchTeam);
    const after = await this.ctx.kv.update(prefsKey(userId), prefsSchema, (current) => {
      const base = current ?? fresh(teamId);
      const teams = base.teams.includes(teamId) ? base.teams : [...base.teams, teamId].slice(-DIGEST_TEAMS_MAX);
      return { ...base, ...change, teams };
    });
    this.enrolled.add(`${userId}:${teamId}`);
    await this.schedule(userId);
    return after!;
  }

  /** The next digest's time for the user (null: none: opted out or turned off). */
  async nextAt(userId: string, prefs: DigestPrefs | null = null): Promise<number | null> {
    const p = prefs ?? (await this.prefs(userId));
    if (!p || p.optedOut || !this.settings().dailyDigest) return null;
    return nextDigestAt(p, await this.zoneOf(userId), this.ctx.now(), this.settings().digestTime);
  }

  private async schedule(userId: string): Promise<void> {
    const at = await this.nextAt(userId);
    if (at === null) await this.ctx.scheduler.cancel(jobKey(userId));
    else await this.ctx.scheduler.schedule(jobKey(userId), DIGEST_JOB, at, { userId });
  }

  private async zoneOf(userId: string): Promise<string> {
    return (await readerZone(this.ctx.api, userId)) ?? 'UTC';
  }

  /**
   * One user's morning: sent if it is that local day's digest time (a zone change moves the job
   * instead), not sent yet for the day, and something is owed; then the next one is set.
   */
  private async onDue(payload: Record<string, unknown>): Promise<void> {
    const userId = typeof payload['userId'] === 'string' ? payload['userId'] : '';
    const prefs = await this.ctx.kv.get(prefsKey(userId), prefsSchema).catch(nullIfCorrupt(() => undefined));
    const user = await this.ctx.api.getUser(userId).catch(() => null);
    if (!prefs || prefs.optedOut || !user || user.DeleteAt || !this.settings().dailyDigest) return;
    const zone = userTimeZone(user.Timezone) ?? 'UTC';
    const now = this.ctx.now();
    const day = localEpochDay(zone, now);
    const { hour, minute } = (prefs.time === null ? null : parseClock(prefs.time)) ?? this.settings().digestTime;
    const weekday = weekdayOf(day);
    const due = (prefs.weekends || (weekday !== 0 && weekday !== 6)) && prefs.lastSentDay !== day && now >= localToUtc(zone, day, hour, minute);
    if (due) {
      const text = digestText(WEEKDAYS[weekday]!, await this.owed(userId, prefs.teams));
      if (text !== null) {
        const dm = await this.ctx.api.getDirectChannel(this.ctx.botUserId, userId);
        await postOnce(this.ctx, { channelId: dm.Id, message: withoutChannelMentions(text) }, `digest:${userId}:${day}`);
      }
      await this.ctx.kv.update(prefsKey(userId), prefsSchema, (current) => (current && current.lastSentDay !== day ? { ...current, lastSentDay: day } : UNCHANGED));
    }
    await this.schedule(userId);
  }

  /** `/infra owe` for each team the user was involved in and still belongs to. */
  private async owed(userId: string, teamIds: readonly string[]): Promise<Array<{ name: string; sections: OwedSection[] }>> {
    const out: Array<{ name: string; sections: OwedSection[] }> = [];
    for (const teamId of teamIds) {
      try {
        const sections = await whatIsOwed(this.ctx, this.features(), userId, teamId);
        const team = sections.length ? await this.ctx.api.getTeam(teamId).catch(() => null) : null;
        out.push({ name: team?.DisplayName ?? team?.Name ?? teamId, sections });
      } catch (err) {
        // No longer in the team: nothing of it is listed.
        if (!(err instanceof UserError && err.status === 404)) throw err;
      }
    }
    return out;
  }
}

/** `/infra digest [off | on | time HH:MM | weekends on|off]`. */
export function digestSubcommand(digest: DailyDigest, ctx: Pick<ProductContext, 'api' | 'settings'>): SubcommandSpec {
  return {
    name: 'digest',
    usage: DIGEST.usage,
    help: DIGEST.help,
    run: async (inv) => {
      const [verb, value, ...rest] = inv.positional.map((w) => w.toLowerCase());
      const usage = `${inv.path} ${DIGEST.usage}`;
      const onOff = (w: string | undefined): boolean => {
        if (w === 'on' || w === 'off') return w === 'on';
        throw UserError.badRequest(DIGEST.badSwitch, usage);
      };
      let prefs: DigestPrefs | null;
      if (verb === undefined) prefs = await digest.prefs(inv.userId);
      else if ((verb === 'off' || verb === 'on') && value === undefined) prefs = await digest.change(inv.userId, inv.teamId, { optedOut: verb === 'off' });
      else if (verb === 'time' && value !== undefined && rest.length === 0) {
        const clock = parseClock(value);
        if (!clock) throw UserError.badRequest(DIGEST.badTime, usage);
        prefs = await digest.change(inv.userId, inv.teamId, { time: formatClock(clock.hour, clock.minute), optedOut: false });
      } else if (verb === 'weekends' && rest.length === 0) prefs = await digest.change(inv.userId, inv.teamId, { weekends: onOff(value) });
      else throw UserError.badRequest(DIGEST.badCommand, usage);
      const settings = parseSettings(ctx.settings());
      const zone = (await readerZone(ctx.api, inv.userId)) ?? 'UTC';
      const time = prefs?.time ?? formatClock(settings.digestTime.hour, settings.digestTime.minute);
      return ephemeral(
        DIGEST.status({ optedOut: prefs?.optedOut ?? false, clock: time, zone, weekends: prefs?.weekends ?? false, enabled: settings.dailyDigest, next: await digest.nextAt(inv.userId, prefs) }),
      );
    },
  };
}
