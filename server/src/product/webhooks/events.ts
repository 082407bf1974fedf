import { createHash } from 'node:crypto';
import { WEBHOOK_EVENT_VERSION, type WebhookEvent, type WebhookEventType } from '../contract/webhooks';
import type { IncidentActivity, IncidentActivityKind } from '../shared/ports';

export const EVENT_TYPE_OF: Record<IncidentActivityKind, WebhookEventType> = {
  declared: 'incident.declared',
  status: 'incident.status_updated',
  severity: 'incident.severity_changed',
  resolved: 'incident.resolved',
  reviewed: 'incident.review_published',
};

/**
 * The event's id: the same change (incident, revision, kind) always gets the same id, so a change
 * reported twice is queued once and a receiver can dedupe retries on it.
 */
export function eventIdOf(activity: Pick<IncidentActivity, 'incidentId' | 'rev' | 'kind'>): string {
  return `evt_${createHash('sha256').update(`${activity.incidentId}:${activity.rev}:${activity.kind}`).digest('hex').slice(0, 32)}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The body sent for one change to one webhook. A private incident (its channel is private now)
 * goes out redacted — reference, severity and phase only — unless the webhook includes private
 * incidents: a webhook is a sink outside Mattermost's permissions.
 */
export function webhookEventOf(
  activity: IncidentActivity,
  team: { id: string; name: string },
  options: { includePrivate: boolean; siteUrl: string | null },
): WebhookEvent {
  const redacted = activity.private && !options.includePrivate;
  const url = options.siteUrl && !redacted ? `${(options.siteUrl.endsWith('/') ? options.siteUrl.slice(0, -1) : options.siteUrl)}/${team.name}/channels/${activity.channelName}` : null;
  return {
    version: WEBHOOK_EVENT_VERSION,
    id: eventIdOf(activity),
    type: EVENT_TYPE_OF[activity.kind],
    occurredAt: iso(activity.at),
    team,
    incident: {
      id: activity.incidentId,
      reference: activity.reference,
      number: activity.number,
      private: activity.private,
      redacted,
      severity: activity.severity,
      severityLabel: activity.severityLabel,
      phase: activity.phase,
      title: redacted ? null : activity.title,
      status: redacted ? null : activity.status,
      summary: redacted ? null : activity.summary,
      components: redacted ? [] : [...activity.components],
      declaredAt: iso(activity.declaredAt),
      resolvedAt: activity.resolvedAt === null ? null : iso(activity.resolvedAt),
      url,
    },
    previousSeverity: activity.previousSeverity,
  };
}
