/**
 * Status updates of runs, the use cases: `/run update`, `/run cadence`, `/run snooze`, `/run
 * request-update` (and their HTTP routes and the reminder's snooze buttons), and the reminder
 * itself — one scheduler job per run, fired on one node per slot (the scheduler's claim) and
 * posted once per slot (postOnce), so HA nodes never remind twice.
 *
 * An incident's runbook is reminded by its incident (incidents/reminders.ts), never here: the
 * incident asks the run for its cadence and snooze (`cadenceForIncident`), and the run tells the
 * incident to re-time its reminder when they change.
 */
import type { RunSnooze, RunView } from '../contract/runs';
import { runReference, RUN_STATUS_ACTION_PATH } from '../contract/runs';
import { API_BASE } from '../contract/api';
import type { Holders } from '../shared/access/policy';
import type { ProductContext } from '../shared/context';
import type { CorruptRecordError } from '../shared/errors';
import { readerZone, type People } from '../shared/people';
import { nullIfCorrupt, UserError } from '../shared/errors';
import { UNCHANGED } from '../shared/kv';
import type { IncidentCadence, IncidentCadenceFacts, IncidentReminderPort } from '../shared/ports';
import { postAsBot, postOnce } from '../shared/posts';
import { checkText } from '../shared/text/limits';
import { withoutChannelMentions } from '../shared/text/mentions';
import { SAME, type Step } from './checklist';
import { STATUS, statusLine } from './messages';
import { LIMITS, type Run } from './records';
import type { RunAction, RunRole } from './policy';
import type { RunCall, RunStore, RunWhere } from './store';
import {
  type CadenceChoice,
  followIncident,
  nextReminderOf,
  nextUpdateDueOf,
  openRequest,
  postUpdate,
  reminded,
  request,
  setCadence,
  snooze,
  snoozeUntil,
  StatusRefusal,
} from './status_updates';
import { runView } from './views';

export const STATUS_JOB = 'run.status_due';
const jobKey = (run: Pick<Run, 'teamId' | 'number'>): string => `run-status:${run.teamId}:${run.number}`;
/** Room left in a timeline line (2000 characters) for the words around an update's text. */
const QUOTE_MAX = LIMITS.text - 200;

/** What status updates use of the run service (service.ts): finding a run for a caller, and changing it under its policy. */
export interface RunCore {
  readonly store: RunStore;
  readonly report: (err: CorruptRecordError) => void;
  people(): People;
  call(actor: string): RunCall;
  find(c: RunCall, where: RunWhere): Promise<Run>;
  change(c: RunCall, loaded: Run, action: RunAction, holders: Holders<RunRole>, step: (run: Run, who: string, now: number) => Step): Promise<Run>;
  afterWrite(after: Run, before: Run): Promise<void>;
}

export class RunStatusService {
  constructor(
    private readonly ctx: ProductContext,
    private readonly runs: RunCore,
    /** Late-bound: incidents are built after runs. */
    private readonly incidents: () => IncidentReminderPort | null,
  ) {}

  register(): void {
    this.ctx.scheduler.register(STATUS_JOB, (payload) => this.onDue(payload));
  }

  /**
   * Puts the run's reminder job at its next slot (or removes it: finished, never, an incident's
   * runbook). Unchanged slots are not rewritten.
   */
  async schedule(run: Run): Promise<void> {
    const key = jobKey(run);
    const at = run.incident === null ? nextReminderOf(run) : null;
    const current = await this.ctx.scheduler.dueAt(key);
    if (at === null) {
      if (current !== null) await this.ctx.scheduler.cancel(key);
      return;
    }
    if (current !== at) await this.ctx.scheduler.schedule(key, STATUS_JOB, at, { teamId: run.teamId, number: run.number });
  }

  /** `/run update <text>`: on the timeline and posted in the run's channel; an incident's runbook points at `/incident update`. */
  async update(actor: string, where: RunWhere, text: string): Promise<{ run: RunView; due: number | null }> {
    const c = this.runs.call(actor);
    const clean = checkText(text, LIMITS.text, 'a status update');
    if (!clean) throw UserError.badRequest(STATUS.noText);
    const loaded = await this.runs.find(c, where);
    if (loaded.incident !== null) throw UserError.badRequest(STATUS.incidentUpdate(loaded.incident));
    const after = await this.runs.change(c, loaded, 'work', {}, (run, who, now) => refusals(() => postUpdate(run, actor, now, statusLine.updated(who, quote(clean)))));
    const due = nextUpdateDueOf(after);
    const relay = (await c.access.canMentionChannel(actor, after.channelId)) ? (t: string) => t : withoutChannelMentions;
    await postAsBot(this.ctx, { channelId: after.channelId, message: relay(STATUS.posted(runReference(after.number), after.name, clean, await c.people.username(actor), due)) }, 'run status update');
    await this.schedule(after);
    return { run: runView(after, this.ctx.now()), due };
  }

  /** `/run cadence <duration|never|severity>` by the owner or a team admin. */
  async setCadence(actor: string, where: RunWhere, choice: CadenceChoice): Promise<{ run: RunView; changed: boolean }> {
    const c = this.runs.call(actor);
    const loaded = await this.runs.find(c, where);
    let changed = false;
    const after = await this.runs.change(c, loaded, 'cadence', { owner: loaded.ownerId }, (run, who, now) => {
      const said = choice === 'severity' ? statusLine.bySeverity(who) : statusLine.cadence(who, choice.minutes);
      const next = refusals(() => setCadence(run, choice, actor, now, said));
      changed = next !== SAME;
      return next;
    });
    await this.afterTiming(after);
    return { run: runView(await this.reread(after), this.ctx.now()), changed };
  }

  /** `/run snooze 1h|4h|tomorrow` (the snoozer's local morning) or `off`, by the owner or a team admin. */
  async snooze(actor: string, where: RunWhere, choice: RunSnooze | null): Promise<{ run: RunView; until: number | null; changed: boolean }> {
    const c = this.runs.call(actor);
    const loaded = await this.runs.find(c, where);
    const zone = (await readerZone(this.ctx.api, actor)) ?? 'UTC';
    const now = this.ctx.now();
    const until = choice === null ? null : snoozeUntil(choice, now, zone);
    let changed = false;
    const after = await this.runs.change(c, loaded, 'cadence', { owner: loaded.ownerId }, (run, who, at) => {
      const next = refusals(() => snooze(run, until, actor, at, statusLine.snoozed(who, until)));
      changed = next !== SAME;
      return next;
    });
    await this.afterTiming(after);
    return { run: runView(after, this.ctx.now()), until, changed };
  }

  /**
   * `/run request-update` by anyone who can read the run's channel: the owner is asked by DM once
   * per window however many ask (the record's compare-and-set decides who asked first).
   */
  async requestUpdate(actor: string, where: RunWhere): Promise<{ run: RunView; asked: boolean; open: { at: number; by: string } | null }> {
    const c = this.runs.call(actor);
    const loaded = await this.runs.find(c, where);
    // The owner asking themselves is told to post it; nothing is recorded.
    if (loaded.ownerId === actor) return { run: runView(loaded, this.ctx.now()), asked: false, open: null };
    let asked = false;
    const after = await this.runs.change(c, loaded, 'request', {}, (run, who, now) => {
      const next = refusals(() => request(run, actor, now, statusLine.requested(who)));
      asked = next !== SAME;
      return next;
    });
    if (asked && after.ownerId !== actor) {
      const channel = await c.people.channel(after.channelId);
      const message = STATUS.requestDm(await c.people.username(actor), runReference(after.number), after.name, channel?.Name ?? after.channelId);
      try {
        const dm = await this.ctx.api.getDirectChannel(this.ctx.botUserId, after.ownerId);
        await postAsBot(this.ctx, { channelId: dm.Id, message: withoutChannelMentions(message) }, 'status update request');
      } catch (err) {
        this.ctx.log.warn('status update request not sent', { run: after.number, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { run: runView(after, this.ctx.now()), asked, open: openRequest(after, this.ctx.now()) };
  }

  /**
   * The incident's reminder asks: the runbook's cadence and snooze, after taking in the incident's
   * last update (timeline) and severity setting. null when the channel holds no active runbook.
   */
  async cadenceForIncident(facts: IncidentCadenceFacts): Promise<IncidentCadence | null> {
    const run = await this.runs.store.inChannel(facts.channelId);
    if (!run || run.incident === null || run.status !== 'active') return null;
    const last = facts.lastUpdate;
    const text = last ? statusLine.incidentUpdate(await this.runs.people().username(last.by), quote(last.text)) : '';
    // The run as just read is the compare-and-set's basis: no second read of it.
    const { before, after } = await this.runs.store.update(
      run.teamId,
      run.number,
      (current) => {
        const next = followIncident(current, facts, text, this.ctx.now());
        return next === SAME ? UNCHANGED : next;
      },
      run,
    );
    if (after !== before) await this.runs.afterWrite(after, before);
    return { cadenceMinutes: after.updates.cadenceMinutes, snoozedUntil: after.updates.snoozedUntil };
  }

  /** At a reminder slot: the owner is reminded in the run's channel, once, with snooze buttons. */
  private async onDue(payload: Record<string, unknown>): Promise<void> {
    const { teamId, number } = payload;
    if (typeof teamId !== 'string' || typeof number !== 'number') return;
    const run = await this.runs.store.get(teamId, number).catch(nullIfCorrupt(this.runs.report));
    if (!run || run.status !== 'active' || run.incident !== null) return;
    const slot = nextReminderOf(run);
    const now = this.ctx.now();
    if (slot === null) return;
    // An update, a snooze or a new cadence landed since this job was set: follow the record.
    if (slot > now) return this.schedule(run);
    const owner = await this.runs.people().username(run.ownerId);
    const since = now - (run.updates.lastAt ?? run.startedAt);
    const message = STATUS.reminder(owner, runReference(run.number), withoutChannelMentions(run.name), run.updates.cadenceMinutes!, since, nextUpdateDueOf(run) ?? slot);
    await postOnce(this.ctx, { channelId: run.channelId, message, props: { attachments: snoozeButtons(run) } }, `${jobKey(run)}:${slot}`);
    const { after } = await this.runs.store.update(teamId, number, (current) => {
      const next = reminded(current, slot);
      return next === SAME ? UNCHANGED : next;
    });
    await this.schedule(after);
  }

  /** After a cadence or snooze: the run's own reminder moves, or its incident's does. */
  async afterTiming(run: Run): Promise<void> {
    if (run.incident === null) return this.schedule(run);
    await this.incidents()?.cadenceChanged(run.channelId);
  }

  private async reread(run: Run): Promise<Run> {
    return (await this.runs.store.get(run.teamId, run.number)) ?? run;
  }
}

/** The reminder's buttons: snooze it 1 h, 4 h or until the clicker's morning (RUN_STATUS_ACTION_PATH). */
function snoozeButtons(run: Run): unknown[] {
  const url = `${API_BASE}${RUN_STATUS_ACTION_PATH}`;
  const actions = (['1h', '4h', 'tomorrow'] as const).map((choice) => ({
    id: `snooze${choice}`,
    name: STATUS.snoozeButton[choice],
    type: 'button',
    integration: { url, context: { team_id: run.teamId, number: String(run.number), snooze: choice } },
  }));
  return [{ text: '', actions }];
}

const quote = (text: string): string => {
  const flat = withoutChannelMentions(text.replace(/\s+/g, ' ').trim());
  return flat.length > QUOTE_MAX ? `${flat.slice(0, QUOTE_MAX - 1)}…` : flat;
};

function refusals<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof StatusRefusal) {
      if (err.code === 'finished') throw UserError.conflict(STATUS.finished);
      if (err.code === 'never') throw UserError.conflict(STATUS.never);
      throw UserError.badRequest(STATUS.notIncident);
    }
    throw err;
  }
}
