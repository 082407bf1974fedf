import { API_BASE } from '../contract/api';
import { TRIAGE_ACTION_PATH, type TRIAGE_ACTIONS } from '../contract/incidents';
import type { ProductContext } from '../shared/context';
import { UNCHANGED } from '../shared/kv';
import { People } from '../shared/people';
import type { AlertIncident, AlertIncidentPort } from '../shared/ports';
import type { JobPayload } from '../shared/scheduler';
import { firingCount, resolvedCount } from './dedupe';
import { runSoon, SYNC_DELAY_MS, SYNC_JOB, syncKey } from './intake';
import { alertListText, intakeText, TRIAGE_BUTTONS_TEXT } from './messages';
import { type AlertGroup, type AlertSource, newRecordId } from './records';
import type { AlertStore } from './store';

/** Message-attachment buttons: Mattermost posts a click to the plugin with the clicker's session. */
function triageButtons(incidentId: string): unknown[] {
  const url = `${API_BASE}${TRIAGE_ACTION_PATH}`;
  const button = (action: (typeof TRIAGE_ACTIONS)[number], name: string, style: string) => ({
    id: action,
    name,
    style,
    type: 'button',
    integration: { url, context: { incident_id: incidentId, action } },
  });
  return [{ text: TRIAGE_BUTTONS_TEXT, actions: [button('accept', 'Accept', 'primary'), button('dismiss', 'Dismiss as noise', 'default')] }];
}

/** Rounds one run makes before it leaves the rest to a later run (SYNC_DELAY_MS on), while alerts keep arriving. */
const MAX_ROUNDS = 2;

const isOpen = (i: AlertIncident | null): i is AlertIncident => i !== null && (i.phase === 'triage' || i.phase === 'active' || i.phase === 'pending');

/**
 * The slow half of intake, as a scheduler job per alert group (claimed by one node at a time, so
 * two nodes receiving retries never declare twice): opens the group's incident in triage under an
 * id reserved in the group first (a re-run finds it), writes one timeline entry per alert not yet
 * noted (a new alert, or one that resolved or fired again), edits the one alert-list post in the
 * incident channel, and when every alert resolved asks the commander (or resolves, if the source
 * says so). Then it marks the group caught up — only if no notification arrived meanwhile;
 * otherwise it goes round again. Nothing here posts per alert.
 */
export class AlertSync {
  constructor(
    private readonly ctx: Pick<ProductContext, 'api' | 'botUserId' | 'scheduler' | 'log' | 'now'>,
    private readonly store: AlertStore,
    private readonly incidents: AlertIncidentPort,
  ) {}

  register(): void {
    this.ctx.scheduler.register(SYNC_JOB, (payload) => this.run(payload));
  }

  private async run(payload: JobPayload): Promise<void> {
    const sourceId = typeof payload['sourceId'] === 'string' ? payload['sourceId'] : '';
    const groupKey = typeof payload['groupKey'] === 'string' ? payload['groupKey'] : '';
    const source = await this.store.source(sourceId);
    // A removed source's groups are left to expire.
    if (!source) return;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const group = await this.store.group(sourceId, groupKey);
      if (!group || !group.dirty) return;
      if (await this.catchUp(source, group)) return;
    }
    // Alerts are still arriving (a storm): gather them for a while and go on then.
    await this.ctx.scheduler.schedule(syncKey(sourceId, groupKey), SYNC_JOB, this.ctx.now() + SYNC_DELAY_MS, { sourceId, groupKey });
    runSoon(this.ctx, SYNC_DELAY_MS + 50);
  }

  /** One round; true when the group was marked caught up. */
  private async catchUp(source: AlertSource, seen: AlertGroup): Promise<boolean> {
    let group = seen;
    let incident = group.incidentId ? await this.incidents.find(group.incidentId) : null;
    const firing = firingCount(group);
    if (!isOpen(incident) && firing > 0 && (group.incidentId === null || incident === null)) {
      group = await this.reserveIncident(source, group);
      incident = await this.incidents.openTriage({
        incidentId: group.incidentId!,
        teamId: source.teamId,
        title: group.title,
        summary: intakeText.summary(source, group),
        severity: group.severity,
        type: group.type,
        private: source.settings.private,
        commanderId: source.settings.responderIds[0] ?? source.createdBy,
        responderIds: source.settings.responderIds,
      });
    }

    // Alerts whose status the timeline does not show yet; a dismissed incident swallows them.
    const unnoted = Object.entries(group.alerts).filter(([, a]) => a.noted !== a.status);
    let listPostId = group.listPostId;
    let allResolvedNotedAt = firing > 0 ? null : group.allResolvedNotedAt;
    if (isOpen(incident) && incident.phase !== 'pending') {
      const lines = unnoted.map(([fp, a]) =>
        a.status === 'resolved' ? intakeText.resolved(a, fp) : a.noted === 'resolved' ? intakeText.firingAgain(a, fp) : intakeText.firing(a, fp),
      );
      await this.incidents.addTimeline(incident.incidentId, 'alert', lines);
      listPostId = await this.showList(incident, group);
      if (firing === 0 && resolvedCount(group) > 0 && group.allResolvedNotedAt === null) {
        allResolvedNotedAt = this.ctx.now();
        await this.allResolved(source, incident, group);
      }
    }

    const noted = new Map(unnoted.map(([fp, a]) => [fp, a.status]));
    let caughtUp = false;
    await this.store.updateGroup(source.id, group.groupKey, source.settings.dedupeWindowHours, (current) => {
      if (!current) return UNCHANGED;
      const alerts = { ...current.alerts };
      for (const [fp, status] of noted) {
        const a = alerts[fp];
        if (a && a.status === status) alerts[fp] = { ...a, noted: status };
      }
      caughtUp = current.rev === group.rev;
      return { ...current, alerts, listPostId, allResolvedNotedAt, dirty: !caughtUp, dirtySince: caughtUp ? null : current.dirtySince };
    });
    return caughtUp;
  }

  /** The group's incident id, reserved before declaring so a re-run of this job finds the incident. */
  private async reserveIncident(source: AlertSource, group: AlertGroup): Promise<AlertGroup> {
    const stored = await this.store.updateGroup(source.id, group.groupKey, source.settings.dedupeWindowHours, (current) => {
      if (!current) return UNCHANGED;
      if (current.incidentId && current.incidentId !== group.incidentId) return UNCHANGED;
      return { ...current, incidentId: newRecordId(), listPostId: null, allResolvedNotedAt: null };
    });
    return stored ? { ...group, incidentId: stored.incidentId, listPostId: stored.listPostId, allResolvedNotedAt: stored.allResolvedNotedAt } : group;
  }

  /**
   * The one alert-list post in the incident channel, edited in place as alerts come and go. While
   * the incident is in triage it carries the Accept and Dismiss buttons (message attachments,
   * answered by the incidents feature at TRIAGE_ACTION_PATH).
   */
  private async showList(incident: AlertIncident, group: AlertGroup): Promise<string | null> {
    const message = alertListText(group);
    const props = { incident_id: incident.incidentId, attachments: incident.phase === 'triage' ? triageButtons(incident.incidentId) : [] };
    try {
      if (group.listPostId) {
        const post = await this.ctx.api.getPost(group.listPostId);
        await this.ctx.api.updatePost({ ...post, Message: message, Props: { ...(post.Props ?? {}), ...props } });
        return group.listPostId;
      }
      const post = await this.ctx.api.createPost({ ChannelId: incident.channelId, UserId: this.ctx.botUserId, Message: message, Props: props });
      return post.Id ?? null;
    } catch (err) {
      this.ctx.log.warn('alert list post failed', { incidentId: incident.incidentId, error: err instanceof Error ? err.message : String(err) });
      return group.listPostId;
    }
  }

  private async allResolved(source: AlertSource, incident: AlertIncident, group: AlertGroup): Promise<void> {
    const resolved = resolvedCount(group);
    if (source.settings.autoResolve) {
      await this.incidents.resolve(incident.incidentId, intakeText.autoResolved(resolved));
      return;
    }
    const commander = await new People(this.ctx.api).username(incident.commanderId);
    await this.incidents.post(incident.incidentId, intakeText.askCommander(commander, resolved, incident.reference));
  }
}
