import type { SubcommandSpec } from '../shared/commands';
import type { Feature, ProductContext } from '../shared/context';
import type { AlertIncidentPort } from '../shared/ports';
import { alertsSubcommand } from './commands';
import { mountAlertRoutes, mountIntakeRoutes } from './http';
import { AlertIntake } from './intake';
import { AlertSources } from './sources';
import { AlertStore } from './store';
import { AlertSync } from './sync';

export interface AlertsFeature extends Feature {
  /** `/infra alerts …`: wired into `/infra` (infra/commands.ts). */
  readonly infraSubcommand: SubcommandSpec;
}

/** Alert intake: sources per team; Alertmanager and Grafana notifications open incidents in triage. Wiring only. */
export function createAlertsFeature(ctx: ProductContext, incidents: AlertIncidentPort): AlertsFeature {
  const store = new AlertStore(ctx.kv);
  const sources = new AlertSources(ctx, store);
  const intake = new AlertIntake(ctx, store, incidents);
  const sync = new AlertSync(ctx, store, incidents);
  return {
    name: 'alerts',
    infraSubcommand: alertsSubcommand(ctx, sources),
    routes: (router) => mountAlertRoutes(router, sources),
    rootRoutes: (router) => mountIntakeRoutes(router, store, intake, ctx.now),
    activate: async () => sync.register(),
  };
}
