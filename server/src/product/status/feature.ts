import type { SubcommandSpec } from '../shared/commands';
import type { Feature, ProductContext } from '../shared/context';
import type { IncidentStatusSource } from '../shared/ports';
import { statusLinkSubcommand, statusSubcommands } from './commands';
import { mountStatusPages } from './http';
import { StatusService } from './service';
import { parseSettings } from './settings';
import { StatusStore } from './store';

export interface StatusFeature extends Feature {
  /** `/infra components …` and `/infra maintenance …`. */
  readonly infraSubcommands: readonly SubcommandSpec[];
}

/** The internal status page per team: components, maintenance, incidents. Wiring only. */
export function createStatusFeature(ctx: ProductContext, incidents: IncidentStatusSource): StatusFeature {
  const service = new StatusService(ctx, new StatusStore(ctx.kv), incidents, () => parseSettings(ctx.settings()));
  return {
    name: 'status',
    infraSubcommands: [...statusSubcommands(service), statusLinkSubcommand(service)],
    rootRoutes: mountStatusPages(service, ctx.log),
  };
}
