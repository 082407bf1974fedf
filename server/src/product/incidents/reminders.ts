import type { ProductContext } from '../shared/context';
import { People } from '../shared/people';
import { postOnce } from '../shared/posts';
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
  ) {}

  register(): void {
    this.ctx.scheduler.register(REMINDER_JOB, (payload) => this.fire(payload));
  }

  private intervalMs(incident: Incident): number {
    return this.settings().updateIntervalMinutes[incident.severity] * 60_000;
  }

  /** Schedules (or cancels) the next reminder from the incident's last update. */
  async reset(incident: Incident): Promise<void> {
    const due = nextUpdateDue(incident, this.intervalMs(incident) / 60_000);
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
    const interval = this.intervalMs(incident);
    const due = nextUpdateDue(incident, interval / 60_000);
    if (due === null) return;
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
