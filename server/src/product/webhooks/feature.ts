import type { SubcommandSpec } from '../shared/commands';
import type { Feature, ProductContext } from '../shared/context';
import type { IncidentActivitySink, RunActivitySink, RunTemplatePort } from '../shared/ports';
import { webhooksSubcommand } from './commands';
import { mountWebhookRoutes } from './http';
import { WebhookService } from './service';
import { parseSettings } from './settings';
import { WebhookStore } from './store';

export interface WebhooksFeature extends Feature {
  /** For incidents: the changes that become outgoing events. */
  readonly activity: IncidentActivitySink;
  /** For runs: releases and other runs started and finished. */
  readonly runActivity: RunActivitySink;
  /** `/infra webhooks …`. */
  readonly infraSubcommands: readonly SubcommandSpec[];
}

/** Outgoing webhooks per team. Wiring only. */
export function createWebhooksFeature(ctx: ProductContext, runTemplates: RunTemplatePort | null = null): WebhooksFeature {
  const service = new WebhookService(ctx, new WebhookStore(ctx.kv), () => parseSettings(ctx.settings()), runTemplates);
  return {
    name: 'webhooks',
    activity: service,
    runActivity: service,
    infraSubcommands: [webhooksSubcommand(service)],
    routes: mountWebhookRoutes(service),
    activate: async () => service.register(),
  };
}
