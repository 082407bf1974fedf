import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ALERT_LIMITS, ALERT_SOURCE_TYPES } from '../contract/alerts';

/**
 * The alerts feature's stored records (store.ts says where each lives).
 *
 * A source keeps the SHA-256 of its token, which is all a token check needs. A Grafana source
 * also keeps the token itself, because verifying Grafana's HMAC-SHA256 body signature needs the
 * key: a hash cannot verify an HMAC. The KV store is the server's own; the secret never leaves
 * the server after it was shown once (views and events carry neither field).
 */

const id = z.string().max(64);
const severity = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

export const sourceSettingsSchema = z.object({
  severityLabel: z.string().min(1).max(ALERT_LIMITS.label),
  /** Lower-cased label value → severity. */
  severityMap: z.record(z.string().max(ALERT_LIMITS.label), severity),
  defaultSeverity: severity,
  typeLabel: z.string().max(ALERT_LIMITS.label).nullable(),
  responderIds: z.array(id).max(ALERT_LIMITS.responders),
  /** Grafana: the header carrying the HMAC signature; null = tokens only. */
  signatureHeader: z.string().max(ALERT_LIMITS.headerName).nullable(),
  /** Grafana: the header carrying the signed timestamp, when Grafana is set to send one. */
  timestampHeader: z.string().max(ALERT_LIMITS.headerName).nullable(),
  dedupeWindowHours: z.number().int().min(1).max(ALERT_LIMITS.windowHours),
  /** Resolve the incident when every alert of its group resolved (otherwise the commander is asked). */
  autoResolve: z.boolean(),
  /** Incidents opened from this source get private channels. */
  private: z.boolean(),
});
export type SourceSettings = z.output<typeof sourceSettingsSchema>;

export const sourceSchema = z.object({
  v: z.literal(1),
  id: z.string().regex(/^[a-z0-9]{26}$/),
  teamId: id,
  name: z.string().min(1).max(ALERT_LIMITS.name),
  type: z.enum(ALERT_SOURCE_TYPES),
  /** hex SHA-256 of the token. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The token itself, for Grafana's HMAC only (see above); null for Alertmanager. */
  hmacKey: z.string().max(128).nullable(),
  settings: sourceSettingsSchema,
  createdBy: id,
  createdAt: z.number(),
  secretRotatedAt: z.number(),
});
export type AlertSource = z.output<typeof sourceSchema>;

/** The team's sources by name (bounded: ALERT_LIMITS.sourcesPerTeam). */
export const teamSourcesSchema = z.object({ v: z.literal(1), sources: z.record(z.string(), id) });

export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Most alerts one group keeps; beyond them alerts are counted, not kept. */
export const MAX_ALERTS_PER_GROUP = 5_000;

export const groupAlertSchema = z.object({
  status: z.enum(ALERT_STATUSES),
  name: z.string().max(200),
  summary: z.string().max(300),
  startsAt: z.string().max(40),
  firstSeenAt: z.number(),
  /** The status last written to the incident's timeline (null: not yet noted). */
  noted: z.enum(ALERT_STATUSES).nullable(),
});
export type GroupAlert = z.output<typeof groupAlertSchema>;

/**
 * One alert group (Alertmanager's groupKey) of one source: its alerts by fingerprint and the
 * incident they belong to. `rev` counts content changes; `dirty` says the incident side has not
 * caught up yet (a sync job is scheduled whenever it turns true).
 */
export const groupSchema = z.object({
  v: z.literal(1),
  sourceId: id,
  groupKey: z.string().max(2_000),
  rev: z.number().int().nonnegative(),
  dirty: z.boolean(),
  /** Reserved before declaring (so a re-run finds the incident), null between episodes. */
  incidentId: id.nullable(),
  /** The summary post listing the alerts in the incident channel, edited in place. */
  listPostId: id.nullable(),
  /** When every alert of the episode was last seen resolved and the commander asked (or it was resolved). */
  allResolvedNotedAt: z.number().nullable(),
  title: z.string().max(200),
  /** What the incident is declared with: the most severe mapping seen this episode, and the type label's value. */
  severity,
  type: z.string().max(64),
  /** Since when the incident side has been behind (a sync is overdue past a while: scheduled again). */
  dirtySince: z.number().nullable(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
  alerts: z.record(z.string().max(128), groupAlertSchema),
  /** Alerts not kept because the group was full. */
  overflow: z.number().int().nonnegative(),
  /** Notifications received, including repeats. */
  notifications: z.number().int().nonnegative(),
});
export type AlertGroup = z.output<typeof groupSchema>;

/** A source or reserved incident id, shaped like Mattermost's ids (26 lower-case letters and digits). */
export function newRecordId(): string {
  const alphabet = 'abcdefghijkmnopqrstuwxyz13456789';
  return [...randomBytes(26)].map((b) => alphabet[b % 32]).join('');
}
