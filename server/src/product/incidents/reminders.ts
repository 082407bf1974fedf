import { humanDuration, utcStamp } from '../shared/people';
import type { JobPayload } from '../shared/scheduler';
import { type Incident, nextUpdateDue, reference } from './schema';
import { reminderKey, type IncidentRuntime } from './runtime';
import { severityName } from './settings';

export const REMINDER_JOB = 'incidents.statusReminder';

/**
 * Status-update cadence: one scheduler job per active incident, due one interval (per severity)
 * after the last update. Each update moves it; resolving cancels it; when it fires the commander
 * is nudged in the channel and the next nudge is scheduled one interval later.
 */
export class Reminders {
  constructor(private readonly rt: IncidentRuntime) {}

  register(): void {
    this.rt.ctx.scheduler.register(REMINDER_JOB, (payload) => this.fire(payload));
  }

  intervalMs(incident: Incident): number {
    return this.rt.settings().updateIntervalMinutes[incident.severity as 1 | 2 | 3 | 4] * 60_000;
  }

  /** Schedules (or cancels) the next reminder from the incident's last update. */
  async reset(incident: Incident): Promise<void> {
    const due = nextUpdateDue(incident, this.intervalMs(incident) / 60_000);
    if (due === null) {
      await this.rt.ctx.scheduler.cancel(reminderKey(incident.id));
      return;
    }
    // Already overdue (e.g. escalated to a tighter cadence): the next poll nudges.
    await this.reschedule(incident.id, Math.max(due, this.rt.ctx.now()));
  }

  async cancel(incidentId: string): Promise<void> {
    await this.rt.ctx.scheduler.cancel(reminderKey(incidentId));
  }

  private async fire(payload: JobPayload): Promise<void> {
    const incidentId = typeof payload['incidentId'] === 'string' ? payload['incidentId'] : '';
    const incident = await this.rt.store.get(incidentId);
    if (!incident || incident.phase !== 'active') return;
    const interval = this.intervalMs(incident);
    const due = nextUpdateDue(incident, interval / 60_000);
    if (due === null) return;
    const now = this.rt.ctx.now();
    if (due > now) {
      // An update (or a severity change) landed after this job was claimed: no nudge, and the
      // job follows the record rather than the stale due time it was claimed with.
      await this.reschedule(incident.id, due);
      return;
    }
    const since = now - (incident.lastUpdate?.at ?? incident.declaredAt);
    const commander = await this.rt.access().people.username(incident.roles.commander);
    await this.rt.post(
      incident.channelId,
      `⏰ @${commander}, ${reference(incident.number)} has had no status update for ${humanDuration(since)} ` +
        `(${severityName(this.rt.settings(), incident.severity)} expects one every ${humanDuration(interval)}). ` +
        `A status update was due at ${utcStamp(due)}: post one with \`/incident status <text>\`.`,
    );
    // Keep nudging until someone posts an update (which moves the job) or the incident resolves.
    await this.reschedule(incident.id, now + interval);
  }

  private async reschedule(incidentId: string, dueAt: number): Promise<void> {
    await this.rt.ctx.scheduler.schedule(reminderKey(incidentId), REMINDER_JOB, dueAt, { incidentId });
  }
}
