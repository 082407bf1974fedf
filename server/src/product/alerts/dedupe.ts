import type { Notification } from './payload';
import { type AlertGroup, type GroupAlert, MAX_ALERTS_PER_GROUP } from './records';

/**
 * How a notification changes its alert group. Pure: the store runs it inside a compare-and-set.
 *
 * - Alerts are keyed by fingerprint; a fingerprint already in the group with the same status
 *   changes nothing, so a retried notification (Alertmanager retries on 5xx) writes nothing.
 * - The window rolls: a group last seen longer ago than the source's dedupe window starts over
 *   (a new episode, a new incident), whatever it held.
 * - An episode's incident is reserved later by the sync job; a group whose incident closed
 *   (resolved) starts a new episode when a new alert fires. One dismissed as noise keeps
 *   swallowing its alerts until the window passes.
 */
export interface Merge {
  group: AlertGroup;
  /** Alerts not seen before in this episode, per notification. */
  added: number[];
  /** Whether anything an incident shows changed (a write is needed, and a sync). */
  changed: boolean;
}

export interface MergeContext {
  sourceId: string;
  windowMs: number;
  now: number;
  /** The phase of the group's incident, when it has one and it is known. */
  incidentClosed: 'resolved' | 'dismissed' | null;
  /** From the source's mapping, for this batch of notifications. */
  severity: 1 | 2 | 3 | 4;
  type: string;
}

/** Re-writing lastSeenAt more often than this would turn every repeat into a write. */
export const LAST_SEEN_GRANULARITY_MS = 60_000;

export function emptyGroup(sourceId: string, n: Pick<Notification, 'groupKey' | 'title'>, ctx: Pick<MergeContext, 'now' | 'severity' | 'type'>): AlertGroup {
  const { now } = ctx;
  return {
    v: 1,
    sourceId,
    groupKey: n.groupKey,
    rev: 0,
    dirty: false,
    dirtySince: null,
    severity: ctx.severity,
    type: ctx.type,
    incidentId: null,
    listPostId: null,
    allResolvedNotedAt: null,
    title: n.title,
    firstSeenAt: now,
    lastSeenAt: now,
    alerts: {},
    overflow: 0,
    notifications: 0,
  };
}

export function mergeNotifications(current: AlertGroup | null, notifications: readonly Notification[], ctx: MergeContext): Merge {
  const first = notifications[0]!;
  const expired = current !== null && current.lastSeenAt + ctx.windowMs < ctx.now;
  const newEpisode = (): AlertGroup => ({ ...emptyGroup(ctx.sourceId, first, ctx), rev: (current?.rev ?? 0) + 1 });
  let group: AlertGroup = current === null || expired ? newEpisode() : { ...current, alerts: { ...current.alerts } };
  let changed = current === null || expired;
  const added = notifications.map(() => 0);

  if (ctx.incidentClosed === 'resolved' && !expired && notifications.some((n) => n.alerts.some((a) => a.status === 'firing' && group.alerts[a.fingerprint]?.status !== 'firing'))) {
    group = newEpisode();
    changed = true;
  }

  for (const [index, n] of notifications.entries()) {
    for (const a of n.alerts) {
      const known = group.alerts[a.fingerprint];
      if (known) {
        if (known.status !== a.status) {
          group.alerts[a.fingerprint] = { ...known, status: a.status };
          changed = true;
        }
        continue;
      }
      if (Object.keys(group.alerts).length >= MAX_ALERTS_PER_GROUP) {
        group.overflow += 1;
        changed = true;
        continue;
      }
      const alert: GroupAlert = {
        status: a.status,
        name: a.name.slice(0, 200),
        summary: a.summary.slice(0, 300),
        startsAt: a.startsAt.slice(0, 40),
        firstSeenAt: ctx.now,
        noted: null,
      };
      group.alerts[a.fingerprint] = alert;
      added[index]! += 1;
      changed = true;
    }
  }
  const seenMoved = ctx.now - group.lastSeenAt >= LAST_SEEN_GRANULARITY_MS;
  if (!changed && !seenMoved) return { group: current!, added, changed: false };
  group = {
    ...group,
    // Before the incident is declared a more severe alert raises it; afterwards severity is people's call.
    severity: group.incidentId === null ? (Math.min(group.severity, ctx.severity) as AlertGroup['severity']) : group.severity,
    dirtySince: changed && !group.dirty ? ctx.now : group.dirtySince,
    lastSeenAt: Math.max(group.lastSeenAt, ctx.now),
    notifications: group.notifications + notifications.length,
    rev: changed ? group.rev + 1 : group.rev,
    dirty: group.dirty || changed,
  };
  return { group, added, changed };
}

export const firingCount = (g: Pick<AlertGroup, 'alerts'>): number => Object.values(g.alerts).filter((a) => a.status === 'firing').length;
export const resolvedCount = (g: Pick<AlertGroup, 'alerts'>): number => Object.values(g.alerts).filter((a) => a.status === 'resolved').length;
