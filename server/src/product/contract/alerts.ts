/**
 * Alert sources: Prometheus Alertmanager and Grafana send alerts to a team's Infra Ops through a
 * source each, managed by team admins. A source's secret is shown once, when the source is added
 * or rotated (`sourceCreatedAnswer`); no view or event carries it afterwards.
 *
 * Intake endpoints (public, authenticated by the source's secret, not by Mattermost; outside
 * API_BASE): `POST /plugins/infra-ops/hooks/alertmanager/:sourceId`,
 * `POST|PUT /plugins/infra-ops/hooks/grafana/:sourceId` (`hookPath`).
 */
import * as z from 'zod/mini';
import { PLUGIN_ID, mmId, route } from './api';

export const ALERT_SOURCE_TYPES = ['alertmanager', 'grafana'] as const;
export type AlertSourceType = (typeof ALERT_SOURCE_TYPES)[number];

/** The header that carries a source's token (Alertmanager `http_config.http_headers`, Grafana 12 custom headers). */
export const TOKEN_HEADER = 'X-Infra-Ops-Token';
/** Grafana's own default for its HMAC signature header. */
export const GRAFANA_SIGNATURE_HEADER = 'X-Grafana-Alert-Signature';

export const ALERT_LIMITS = { sourcesPerTeam: 50, name: 60, label: 100, mapEntries: 20, responders: 20, headerName: 64, windowHours: 24 * 30 } as const;

/** Where a source's notifications go, under the site URL. */
export const hookPath = (type: AlertSourceType, sourceId: string): string => `/plugins/${PLUGIN_ID}/hooks/${type}/${sourceId}`;

const severity = z.number().check(z.int(), z.minimum(1), z.maximum(4));

export const alertSourceView = z.strictObject({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  type: z.enum(ALERT_SOURCE_TYPES),
  /** Full URL to give Alertmanager or Grafana. */
  url: z.string(),
  severityLabel: z.string(),
  /** Label value (lower-cased) → SEV1-4. */
  severityMap: z.record(z.string(), severity),
  defaultSeverity: severity,
  typeLabel: z.nullable(z.string()),
  responderIds: z.array(z.string()),
  signatureHeader: z.nullable(z.string()),
  timestampHeader: z.nullable(z.string()),
  dedupeWindowHours: z.number(),
  autoResolve: z.boolean(),
  private: z.boolean(),
  createdBy: z.string(),
  createdAt: z.number(),
  secretRotatedAt: z.number(),
});
export type AlertSourceView = z.output<typeof alertSourceView>;

/** The only answer that carries the secret: after adding or rotating a source. */
export const sourceCreatedAnswer = z.strictObject({ source: alertSourceView, secret: z.string() });

const name = z.string().check(z.trim(), z.regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'must be lower-case letters, digits and dashes (at most 60)'));
const label = z.string().check(z.trim(), z.minLength(1), z.maxLength(ALERT_LIMITS.label));
const header = z.string().check(z.trim(), z.regex(/^[a-z0-9-]{1,64}$/i, 'must be an HTTP header name'));

/** Settings a source may change; absent fields keep their value (defaults on creation). */
const settingsShape = {
  severity_label: z.optional(label),
  severity_map: z.optional(z.record(label, severity)),
  default_severity: z.optional(severity),
  type_label: z.optional(z.nullable(label)),
  responder_ids: z.optional(z.array(mmId).check(z.maxLength(ALERT_LIMITS.responders))),
  signature_header: z.optional(z.nullable(header)),
  timestamp_header: z.optional(z.nullable(header)),
  dedupe_window_hours: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(ALERT_LIMITS.windowHours))),
  auto_resolve: z.optional(z.boolean()),
  private: z.optional(z.boolean()),
};
export const createSourceBody = z.strictObject({ name, type: z.enum(ALERT_SOURCE_TYPES), ...settingsShape });
export const editSourceBody = z.strictObject(settingsShape);

const sourceAnswer = z.strictObject({ source: alertSourceView });

export const alertRoutes = {
  list: route({ method: 'GET', path: '/teams/:teamId/alert-sources', query: null, body: null, answer: z.strictObject({ items: z.array(alertSourceView), nextCursor: z.null() }), status: 200 }),
  create: route({ method: 'POST', path: '/teams/:teamId/alert-sources', query: null, body: createSourceBody, answer: sourceCreatedAnswer, status: 201 }),
  edit: route({ method: 'PATCH', path: '/teams/:teamId/alert-sources/:slug', query: null, body: editSourceBody, answer: sourceAnswer, status: 200 }),
  rotate: route({ method: 'POST', path: '/teams/:teamId/alert-sources/:slug/rotate', query: null, body: z.strictObject({}), answer: sourceCreatedAnswer, status: 200 }),
  remove: route({ method: 'DELETE', path: '/teams/:teamId/alert-sources/:slug', query: null, body: null, answer: sourceAnswer, status: 200 }),
} as const;

/** What an intake endpoint answers (202: recorded; the incident follows within moments). */
export const intakeAnswer = z.strictObject({ status: z.literal('accepted'), alerts: z.number(), new: z.number() });
export type IntakeAnswer = z.output<typeof intakeAnswer>;
