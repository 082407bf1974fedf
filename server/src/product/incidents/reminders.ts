import type { ProductContext } from '../shared/context';
import { People } from '../shared/people';
import { postOnce } from '../shared/posts';
import type { IncidentRunbookPort } from '../shared/ports';
import type { JobPayload } from '../shared/scheduler';
import { nextUpdateDue } from './lifecycle';
import { reminder, severityWithLabel } from './messages';
import type { Incident } from './records';
import type { IncidentSettings } from './settings';
import type { IncidentStore } from './store';

export const REMINDER_JOB = 'incidents.statusReminder';
export const reminderKey = (incidentId: string): string => `incident-reminder:${incidentId}`;

type RemindersContext = Pick<ProductContext, 'api' | 'scheduler' | 'now' | 'kv' | 'botUserId' | 'log'>;

/**
 * Status-update cadence: one scheduler job per active incident, due one interval (per severity)
 * after the last update. Each update moves it; resolving cancels it; when it fires the commander
 * is nudged in the channel and the next nudge is scheduled one interval later.
 */
export class Reminders {
  constructor(
    private readonly ctx: RemindersContext,
    private readonly store: IncidentStore,
    private readonly settings: () => IncidentSettings,
    /** The incident's runbook, whose cadence (template, `/run cadence`, snooze) wins over the severity's. */
    private readonly runbook: IncidentRunbookPort | null = null,
  ) {}

  register(): void {
    this.ctx.scheduler.register(REMINDER_JOB, (payload) => this.fire(payload));
  }

  /**
   * The cadence in force: the runbook's when the incident has one, else the severity setting. A
   * runbook that cannot be read falls back to the severity, so the incident is still reminded.
   */
  private async cadenceOf(incident: Incident): Promise<{ minutes: number | null; snoozedUntil: number | null }> {
    const severityMinutes = this.settings().updateIntervalMinutes[incident.severity];
    const bySeverity = { minutes: severityMinutes > 0 ? severityMinutes : null, snoozedUntil: null };
    if (!this.runbook?.cadence || !incident.channelId) return bySeverity;
    const last = incident.lastUpdate;
    try {
      const run = await this.runbook.cadence({ channelId: incident.channelId, lastUpdate: last ? { at: last.at, by: last.by, text: last.text } : null, severityMinutes });
      return run ? { minutes: run.cadenceMinutes, snoozedUntil: run.snoozedUntil } : bySeverity;
    } catch (err) {
      this.ctx.log.warn('runbook cadence not read; the severity cadence applies', { incidentId: incident.id, error: err instanceof Error ? err.message : String(err) });
      return bySeverity;
    }
  }

  /** Re-times the reminder of the incident in this channel (its runbook's cadence or snooze changed). */
  async resetForChannel(channelId: string): Promise<void> {
    const id = await this.store.incidentIdForChannel(channelId);
    const incident = id ? await this.store.get(id) : null;
    if (incident && incident.phase === 'active') await this.reset(incident);
  }

  /** Schedules (or cancels) the next reminder from the incident's last update. */
  async reset(incident: Incident): Promise<void> {
    const cadence = await this.cadenceOf(incident);
    const due = nextUpdateDue(incident, cadence.minutes, cadence.snoozedUntil);
    if (due === null) {
      await this.cancel(incident.id);
      return;
    }
    // Already overdue (e.g. escalated to a tighter cadence): the next poll nudges.
    await this.reschedule(incident.id, Math.max(due, this.ctx.now()), 0);
  }

  async cancel(incidentId: string): Promise<void> {
    await this.ctx.scheduler.cancel(reminderKey(incidentId));
  }

  /**
   * One nudge per occurrence — the update it is about (its due time) and how many nudges came
   * before (in the job's payload, which a retry keeps) — even if a node dies mid-way and another
   * runs the job again.
   */
  private async fire(payload: JobPayload): Promise<void> {
    const incidentId = typeof payload['incidentId'] === 'string' ? payload['incidentId'] : '';
    const nudge = typeof payload['nudge'] === 'number' ? payload['nudge'] : 0;
    const incident = await this.store.get(incidentId);
    if (!incident || incident.phase !== 'active') return;
    const cadence = await this.cadenceOf(incident);
    const due = nextUpdateDue(incident, cadence.minutes, cadence.snoozedUntil);
    if (due === null) return;
    const interval = cadence.minutes! * 60_000;
    const now = this.ctx.now();
    if (due > now) {
      // An update (or a severity change) landed after this job was claimed: no nudge, and the
      // job follows the record rather than the stale due time it was claimed with.
      await this.reschedule(incident.id, due, 0);
      return;
    }
    const since = now - (incident.lastUpdate?.at ?? incident.declaredAt);
    const commander = await new People(this.ctx.api).username(incident.roles.commander);
    const severity = severityWithLabel(this.settings(), incident.severity);
    const message = reminder(commander, incident, since, interval, severity, due);
    await postOnce(this.ctx, { channelId: incident.channelId, message }, `${reminderKey(incident.id)}:${due}:${nudge}`);
    // Keep nudging until someone posts an update (which moves the job) or the incident resolves.
    await this.reschedule(incident.id, now + interval, nudge + 1);
  }

  private async reschedule(incidentId: string, dueAt: number, nudge: number): Promise<void> {
    await this.ctx.scheduler.schedule(reminderKey(incidentId), REMINDER_JOB, dueAt, { incidentId, nudge });
  }
}
