/**
 * Outgoing webhooks in the KV store. Every write is a compare-and-set.
 *
 * | key | what |
 * | --- | --- |
 * | `wh:t:<team>` | the team's webhooks (at most 20), secrets included |
 * | `wh:d:<event>.<webhook>` | one delivery: the frozen body, its state and attempts (expires after 30 days) |
 * | `wh:q:<team>` | the team's unfinished deliveries (at most 500: the bounded queue) |
 * | `wh:log:<team>` | the last 100 delivery attempts, for admins |
 */
import { WEBHOOK_LIMITS } from '../contract/webhooks';
import { DELETE, type KvRepository, UNCHANGED } from '../shared/kv';
import { type Delivery, deliveryLogSchema, deliverySchema, type LogEntry, queueSchema, teamWebhooksSchema, type Webhook } from './records';

const DELIVERY_TTL_SECONDS = 30 * 24 * 3600;

export const webhookKeys = {
  team: (teamId: string) => `wh:t:${teamId}`,
  delivery: (deliveryId: string) => `wh:d:${deliveryId}`,
  queue: (teamId: string) => `wh:q:${teamId}`,
  log: (teamId: string) => `wh:log:${teamId}`,
};

export class WebhookStore {
  constructor(private readonly kv: KvRepository) {}

  async list(teamId: string): Promise<Webhook[]> {
    return (await this.kv.get(webhookKeys.team(teamId), teamWebhooksSchema))?.webhooks ?? [];
  }

  /** Adds, replaces or removes webhooks in one compare-and-set; `change` may throw a UserError. */
  async change(teamId: string, change: (webhooks: Webhook[]) => Webhook[]): Promise<Webhook[]> {
    const stored = await this.kv.update(webhookKeys.team(teamId), teamWebhooksSchema, (current) => ({ v: 1 as const, webhooks: change(current?.webhooks ?? []) }));
    return stored?.webhooks ?? [];
  }

  /** Joins the team's queue unless it is full; false = full (the event is dropped and logged). */
  async enqueue(teamId: string, deliveryId: string): Promise<boolean> {
    let admitted = false;
    await this.kv.update(webhookKeys.queue(teamId), queueSchema, (current) => {
      const pending = current?.pending ?? [];
      admitted = pending.includes(deliveryId) || pending.length < WEBHOOK_LIMITS.queuedPerTeam;
      if (!admitted || pending.includes(deliveryId)) return UNCHANGED;
      return { v: 1 as const, pending: [...pending, deliveryId] };
    });
    return admitted;
  }

  async dequeue(teamId: string, deliveryId: string): Promise<void> {
    await this.kv.update(webhookKeys.queue(teamId), queueSchema, (current) => {
      if (!current?.pending.includes(deliveryId)) return UNCHANGED;
      const pending = current.pending.filter((d) => d !== deliveryId);
      return pending.length ? { v: 1 as const, pending } : DELETE;
    });
  }

  /**
   * Drops queue entries whose delivery is finished or gone (a node that died between queueing and
   * finishing leaves one): a full queue is checked once before an event is dropped. Returns how many.
   */
  async pruneQueue(teamId: string): Promise<number> {
    const pending = (await this.kv.get(webhookKeys.queue(teamId), queueSchema))?.pending ?? [];
    const deliveries = await this.kv.getMany(pending.map(webhookKeys.delivery), deliverySchema).catch(() => pending.map(() => null));
    const stale = new Set(pending.filter((_, n) => deliveries[n]?.state !== 'pending'));
    if (stale.size === 0) return 0;
    await this.kv.update(webhookKeys.queue(teamId), queueSchema, (current) => {
      if (!current) return UNCHANGED;
      const kept = current.pending.filter((d) => !stale.has(d));
      return kept.length === current.pending.length ? UNCHANGED : { v: 1 as const, pending: kept };
    });
    return stale.size;
  }

  async queued(teamId: string): Promise<number> {
    return (await this.kv.get(webhookKeys.queue(teamId), queueSchema))?.pending.length ?? 0;
  }

  /** False when the delivery exists already: the same event heard twice is queued once. */
  insertDelivery(delivery: Delivery): Promise<boolean> {
    return this.kv.insert(webhookKeys.delivery(delivery.id), deliverySchema, delivery, { expireInSeconds: DELIVERY_TTL_SECONDS });
  }

  getDelivery(deliveryId: string): Promise<Delivery | null> {
    return this.kv.get(webhookKeys.delivery(deliveryId), deliverySchema);
  }

  /** Moves a pending delivery on; null when it was no longer pending (another run finished it). */
  async advance(deliveryId: string, next: Pick<Delivery, 'state' | 'attempts'>): Promise<Delivery | null> {
    let moved = false;
    const stored = await this.kv.update(
      webhookKeys.delivery(deliveryId),
      deliverySchema,
      (current) => {
        moved = false;
        if (!current || current.state !== 'pending') return UNCHANGED;
        moved = true;
        return { ...current, ...next };
      },
      { expireInSeconds: DELIVERY_TTL_SECONDS },
    );
    return moved ? stored : null;
  }

  async log(teamId: string, entry: LogEntry): Promise<void> {
    await this.kv.update(webhookKeys.log(teamId), deliveryLogSchema, (current) => ({
      v: 1 as const,
      entries: [entry, ...(current?.entries ?? [])].slice(0, WEBHOOK_LIMITS.logKept),
    }));
  }

  async logEntries(teamId: string): Promise<LogEntry[]> {
    return (await this.kv.get(webhookKeys.log(teamId), deliveryLogSchema))?.entries ?? [];
  }
}
