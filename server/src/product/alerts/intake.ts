import type { IntakeAnswer } from '../contract/alerts';
import type { ProductContext } from '../shared/context';
import type { AlertIncidentPort } from '../shared/ports';
import { KeyedBatcher } from './batcher';
import { mergeNotifications } from './dedupe';
import { severityOf, typeOf } from './mapping';
import type { Notification } from './payload';
import { type AlertGroup, type AlertSource } from './records';
import { groupHash, type AlertStore } from './store';
import { UNCHANGED } from '../shared/kv';

export const SYNC_JOB = 'alerts.sync';
export const syncKey = (sourceId: string, groupKey: string): string => `alerts-sync:${sourceId}:${groupHash(groupKey)}`;
/**
 * While alerts keep arriving for a group whose incident is open, its sync waits this long, so a
 * storm is written to the incident in a few rounds (one timeline batch, one list edit each),
 * not one per notification. A group without an incident yet is synced at once.
 */
export const SYNC_DELAY_MS = 2_000;

/** Runs due jobs on this node after `ms` (rather than at the next poll); the scheduler's claim keeps each job to one node. */
export function runSoon(ctx: Pick<ProductContext, 'scheduler' | 'log'>, ms: number): void {
  const run = (): void => {
    ctx.scheduler.runDue().catch((err: unknown) => ctx.log.warn('alert sync run failed', { error: err instanceof Error ? err.message : String(err) }));
  };
  if (ms <= 0) run();
  else setTimeout(run, ms).unref();
}

/** A group behind its incident for this long has lost its sync job (a node died between the two writes): schedule it again. */
export const SYNC_OVERDUE_MS = 2 * 60_000;

interface Received {
  source: AlertSource;
  notification: Notification;
}

/**
 * The fast half of intake: a notification is merged into its alert group (one compare-and-set
 * per batch, dedupe.ts) and, when the group falls behind its incident, the sync job is scheduled
 * (sync.ts does the slow half: channels, posts, timeline). The answer waits only for the group
 * write, so an accepted notification is never lost, and a retry finds nothing new.
 */
export class AlertIntake {
  private readonly batcher = new KeyedBatcher<Received, IntakeAnswer>((_key, items) => this.writeBatch(items));

  constructor(
    private readonly ctx: Pick<ProductContext, 'scheduler' | 'now' | 'log'>,
    private readonly store: AlertStore,
    private readonly incidents: AlertIncidentPort,
  ) {}

  receive(source: AlertSource, notification: Notification): Promise<IntakeAnswer> {
    return this.batcher.submit(`${source.id}:${notification.groupKey}`, { source, notification });
  }

  private async writeBatch(items: readonly Received[]): Promise<IntakeAnswer[]> {
    const { source } = items[0]!;
    const notifications = items.map((i) => i.notification);
    const groupKey = notifications[0]!.groupKey;
    const known = await this.store.group(source.id, groupKey);
    const incident = known?.incidentId ? await this.incidents.find(known.incidentId) : null;
    const closed = incident?.phase === 'resolved' || incident?.phase === 'dismissed' ? incident.phase : null;
    const now = this.ctx.now();
    const severity = Math.min(...notifications.map((n) => severityOf(n, source.settings))) as AlertGroup['severity'];
    let added: number[] = [];
    let before: AlertGroup | null = null;
    const after = await this.store.updateGroup(source.id, groupKey, source.settings.dedupeWindowHours, (current) => {
      before = current;
      const merge = mergeNotifications(current, notifications, {
        sourceId: source.id,
        windowMs: source.settings.dedupeWindowHours * 3_600_000,
        now,
        incidentClosed: current?.incidentId === known?.incidentId ? closed : null,
        severity,
        type: typeOf(notifications[0]!, source.settings),
      });
      added = merge.added;
      return merge.changed || merge.group !== current ? merge.group : UNCHANGED;
    });
    const was = before as AlertGroup | null;
    if (after?.dirty && (!was?.dirty || (after.dirtySince !== null && now - after.dirtySince > SYNC_OVERDUE_MS))) {
      const delay = after.incidentId === null ? 0 : SYNC_DELAY_MS;
      await this.ctx.scheduler.schedule(syncKey(source.id, groupKey), SYNC_JOB, now + delay, { sourceId: source.id, groupKey });
      runSoon(this.ctx, delay + 50);
    }
    return items.map((item, n) => ({ status: 'accepted' as const, alerts: item.notification.alerts.length, new: added[n] ?? 0 }));
  }
}
