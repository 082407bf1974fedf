import type { DeliveryView, WebhookView } from '../contract/webhooks';
import type { LogEntry, Webhook } from './records';

/** A webhook as an admin sees it: never its secret. */
export const webhookView = (w: Webhook): WebhookView => ({
  id: w.id,
  url: w.url,
  events: [...w.events],
  includePrivate: w.includePrivate,
  templates: [...w.templates],
  createdBy: w.createdBy,
  createdAt: w.createdAt,
});

export const deliveryView = (e: LogEntry): DeliveryView => ({ ...e });
