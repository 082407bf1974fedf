import type { ProductContext } from '../shared/context';
import type { AlertIncident, AlertIncidentPort, TriageRequest } from '../shared/ports';
import type { Declarer } from './declare';
import type { IncidentEffects } from './effects';
import { withTimeline } from './lifecycle';
import { reference } from './messages';
import { type Incident, LIMITS } from './records';
import type { IncidentService } from './service';
import type { IncidentStore } from './store';

/** Timeline entries per record write: well inside the record's outbox limit, flushed after each. */
const ENTRIES_PER_WRITE = 100;

const asAlertIncident = (i: Incident): AlertIncident => ({
  incidentId: i.id,
  reference: reference(i.number),
  channelId: i.channelId,
  phase: i.phase,
  commanderId: i.roles.commander,
});

/** The incidents side of alert intake (shared/ports.ts `AlertIncidentPort`). */
export class IncidentAlertPort implements AlertIncidentPort {
  constructor(
    private readonly ctx: Pick<ProductContext, 'access' | 'botUserId' | 'now'>,
    private readonly store: IncidentStore,
    private readonly declarer: Declarer,
    private readonly service: IncidentService,
    private readonly effects: IncidentEffects,
  ) {}

  async openTriage(request: TriageRequest): Promise<AlertIncident> {
    const { incident } = await this.declarer.declareTriage(
      {
        teamId: request.teamId,
        title: request.title,
        severity: request.severity,
        type: request.type,
        summary: request.summary,
        private: request.private,
        commanderId: request.commanderId,
        inviteeIds: request.responderIds.slice(0, LIMITS.invitees),
      },
      request.incidentId,
    );
    return asAlertIncident(incident);
  }

  async find(incidentId: string): Promise<AlertIncident | null> {
    const incident = await this.store.get(incidentId);
    return incident ? asAlertIncident(incident) : null;
  }

  async addTimeline(incidentId: string, kind: string, lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    let last: Incident | null = null;
    for (let from = 0; from < lines.length; from += ENTRIES_PER_WRITE) {
      const batch = lines.slice(from, from + ENTRIES_PER_WRITE);
      const { after } = await this.store.update(incidentId, (i) => {
        const now = this.ctx.now();
        return batch.reduce((record, line) => withTimeline(record, now, this.ctx.botUserId, kind, line), i);
      });
      await this.store.flushTimeline(after);
      last = after;
    }
    if (last) await this.effects.afterWrite(last, this.ctx.access(), this.ctx.botUserId, { change: 'timeline' });
  }

  async post(incidentId: string, message: string): Promise<void> {
    const incident = await this.store.get(incidentId);
    if (incident?.channelId) await this.effects.post(incident.channelId, message, { incident_id: incident.id });
  }

  async resolve(incidentId: string, summary: string): Promise<boolean> {
    return (await this.service.resolveFromAlerts(incidentId, summary, this.ctx.access())) !== null;
  }
}
