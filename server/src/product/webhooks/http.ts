/**
 * Outgoing webhooks HTTP API for the sidebar (team admins), under /plugins/infra-ops/api/v1
 * (contract/webhooks.ts `webhookRoutes`):
 *
 * | method | path                                         | answer |
 * |--------|----------------------------------------------|--------|
 * | GET    | /teams/:teamId/webhooks                      | {items, nextCursor: null} |
 * | POST   | /teams/:teamId/webhooks                      | 201 {webhook, secret} (the only time the secret is sent) |
 * | DELETE | /teams/:teamId/webhooks/:webhookId           | {webhook} |
 * | POST   | /teams/:teamId/webhooks/:webhookId/rotate    | {webhook, secret} |
 * | GET    | /teams/:teamId/webhooks/deliveries           | {items, nextCursor: null} (latest first) |
 */
import type { Router } from 'express';
import { webhookRoutes } from '../contract/webhooks';
import { serveRoute } from '../shared/http';
import type { WebhookService } from './service';
import { deliveryView, webhookView } from './views';

export function mountWebhookRoutes(service: WebhookService): (router: Router) => void {
  return (router) => {
    serveRoute(router, webhookRoutes.deliveries, async ({ userId, params }) => ({
      items: (await service.deliveries(userId, params.teamId)).entries.map(deliveryView),
      nextCursor: null,
    }));
    serveRoute(router, webhookRoutes.list, async ({ userId, params }) => ({ items: (await service.list(userId, params.teamId)).map(webhookView), nextCursor: null }));
    serveRoute(router, webhookRoutes.add, async ({ userId, params, body }) => {
      const { webhook, secret } = await service.add(userId, params.teamId, { url: body.url, events: body.events ?? null, includePrivate: body.include_private ?? false, templates: body.templates ?? null });
      return { webhook: webhookView(webhook), secret };
    });
    serveRoute(router, webhookRoutes.remove, async ({ userId, params }) => ({ webhook: webhookView(await service.remove(userId, params.teamId, params.webhookId)) }));
    serveRoute(router, webhookRoutes.rotate, async ({ userId, params }) => {
      const { webhook, secret } = await service.rotate(userId, params.teamId, params.webhookId);
      return { webhook: webhookView(webhook), secret };
    });
  };
}
