/**
 * The notifications Alertmanager and Grafana send, as zod schemas (unknown fields ignored, since
 * both add fields over time: `notification_reason`, `routeLabels`, Grafana's `values`, …), and
 * their one normalised form.
 *
 * Alertmanager webhook, version "4" (prometheus/alertmanager notify/webhook `Message`, which embeds
 * template `Data`): version, groupKey, truncatedAlerts, status, receiver, groupLabels,
 * commonLabels, commonAnnotations, externalURL, alerts[{status, labels, annotations, startsAt,
 * endsAt, generatorURL, fingerprint}].
 * Grafana unified alerting webhook, version "1" (grafana/alerting receivers/webhook): the same
 * fields plus orgId, title, state ("alerting" | "ok") and message.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertSourceType } from '../contract/alerts';
import type { AlertStatus } from './records';

/** Label and annotation maps: string values; anything else is refused by name. */
const stringMap = z.record(z.string(), z.string());

const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap.optional().default({}),
  startsAt: z.string().max(64).optional().default(''),
  endsAt: z.string().max(64).optional().default(''),
  generatorURL: z.string().max(4_000).optional().default(''),
  fingerprint: z.string().max(128).optional(),
});

const common = {
  groupKey: z.string().min(1).max(2_000),
  truncatedAlerts: z.number().int().nonnegative().optional().default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(1_000).optional().default(''),
  groupLabels: stringMap.optional().default({}),
  commonLabels: stringMap.optional().default({}),
  commonAnnotations: stringMap.optional().default({}),
  externalURL: z.string().max(4_000).optional().default(''),
  alerts: z.array(alertSchema).max(10_000),
};

export const alertmanagerSchema = z.object({ version: z.literal('4'), ...common });
export const grafanaSchema = z.object({
  version: z.literal('1'),
  ...common,
  orgId: z.number().optional(),
  title: z.string().max(4_000).optional().default(''),
  state: z.string().max(64).optional().default(''),
  message: z.string().max(100_000).optional().default(''),
});

export interface NormalAlert {
  fingerprint: string;
  status: AlertStatus;
  name: string;
  summary: string;
  labels: Readonly<Record<string, string>>;
  startsAt: string;
}

export interface Notification {
  groupKey: string;
  status: AlertStatus;
  title: string;
  commonLabels: Readonly<Record<string, string>>;
  alerts: NormalAlert[];
  truncated: number;
}

export class PayloadError extends Error {}

/** JSON text → a notification of the source's type, or a PayloadError saying what is wrong. */
export function parseNotification(type: AlertSourceType, body: Buffer): Notification {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new PayloadError(`Invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const schema = type === 'alertmanager' ? alertmanagerSchema : grafanaSchema;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
    throw new PayloadError(`Not an ${type === 'alertmanager' ? 'Alertmanager (version 4)' : 'Grafana (version 1)'} notification: ${problems.join('; ')}`);
  }
  const n = parsed.data;
  const grafanaTitle = 'title' in n ? n.title : '';
  return {
    groupKey: n.groupKey,
    status: n.status,
    title: titleOf(grafanaTitle, n.commonLabels, n.commonAnnotations, n.groupLabels),
    commonLabels: n.commonLabels,
    truncated: n.truncatedAlerts,
    alerts: n.alerts.map((a) => ({
      fingerprint: a.fingerprint || fingerprintOf(a.labels),
      status: a.status,
      name: a.labels['alertname'] ?? '(no alertname)',
      summary: a.annotations['summary'] ?? a.annotations['description'] ?? a.annotations['message'] ?? '',
      labels: a.labels,
      startsAt: a.startsAt,
    })),
  };
}

/** Alertmanager always sends one; for hand-made payloads: a stable hash of the sorted labels. */
export function fingerprintOf(labels: Readonly<Record<string, string>>): string {
  const text = Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function titleOf(
  grafanaTitle: string,
  commonLabels: Readonly<Record<string, string>>,
  commonAnnotations: Readonly<Record<string, string>>,
  groupLabels: Readonly<Record<string, string>>,
): string {
  const name = commonLabels['alertname'] ?? groupLabels['alertname'] ?? '';
  const summary = commonAnnotations['summary'] ?? '';
  const text = name && summary ? `${name}: ${summary}` : name || summary || grafanaTitle || Object.values(groupLabels).join(' ') || 'Alerts';
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}
