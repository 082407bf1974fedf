import { createHash } from 'node:crypto';
import { WEBHOOK_EVENT_VERSION, type WebhookEvent, type WebhookEventType, type WebhookRunEvent } from '../contract/webhooks';
import type { IncidentActivity, IncidentActivityKind, RunActivity } from '../shared/ports';

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

export const RUN_EVENT_TYPE_OF = { started: 'run.started', finished: 'run.finished' } as const satisfies Record<RunActivity['kind'], WebhookEventType>;

/** A run starts once and finishes once: its team, number and change name the event. */
export function runEventIdOf(activity: Pick<RunActivity, 'teamId' | 'number' | 'kind'>): string {
  return `evt_${createHash('sha256').update(`run:${activity.teamId}:${activity.number}:${activity.kind}`).digest('hex').slice(0, 32)}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const channelUrl = (siteUrl: string, team: string, channel: string): string => `${siteUrl.endsWith('/') ? siteUrl.slice(0, -1) : siteUrl}/${team}/channels/${channel}`;

/** A run's event: in a private channel by reference only, unless the webhook includes private ones. */
export function webhookRunEventOf(activity: RunActivity, team: { id: string; name: string }, options: { includePrivate: boolean; siteUrl: string | null }): WebhookRunEvent {
  const redacted = activity.private && !options.includePrivate;
  return {
    version: WEBHOOK_EVENT_VERSION,
    id: runEventIdOf(activity),
    type: RUN_EVENT_TYPE_OF[activity.kind],
    occurredAt: iso(activity.at),
    team,
    run: {
      reference: activity.reference,
      number: activity.number,
      kind: activity.runKind,
      private: activity.private,
      redacted,
      name: redacted ? null : activity.name,
      template: { ...activity.template },
      status: activity.kind === 'finished' ? 'finished' : 'active',
      startedAt: iso(activity.startedAt),
      finishedAt: activity.finishedAt === null ? null : iso(activity.finishedAt),
      url: options.siteUrl && !redacted ? channelUrl(options.siteUrl, team.name, activity.channelName) : null,
    },
  };
}

/**
 * The body sent for one change to one webhook. A private incident (its channel is private now)
 * goes out redacted — reference, severity and phase only — unless the webhook includes private
 * incidents: a webhook is a sink outside Mattermost's permissions.
 */
export function webhookEventOf(
  activity: IncidentActivity,
  team: { id: string; name: string },
  options: { includePrivate: boolean; siteUrl: string | null; template?: { slug: string; name: string } | null },
): WebhookEvent {
  const redacted = activity.private && !options.includePrivate;
  const url = options.siteUrl && !redacted ? channelUrl(options.siteUrl, team.name, activity.channelName) : null;
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
      template: options.template ?? null,
    },
    previousSeverity: activity.previousSeverity,
  };
}
