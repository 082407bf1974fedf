import type { Feature, ProductContext } from '../shared/context';
import type { IncidentReminderPort } from '../shared/ports';
import { releaseCommand, runCommand } from './commands';
import { runHttpRoutes } from './http';
import { RunService } from './service';

/**
 * Runs: incidents, releases and other processes with a checklist, approval gates, a timeline and a
 * retrospective, each in its channel. Wiring only.
 */
export function createRunsFeature(
  ctx: ProductContext,
  ports: { incidentReminders?: () => IncidentReminderPort | null; involved?: (userIds: readonly string[], teamId: string) => Promise<void> } = {},
): Feature & { service: RunService } {
  const service = new RunService(ctx, ports.incidentReminders, ports.involved);
  return {
    name: 'runs',
    service,
    commands: [runCommand(service, ctx.now), releaseCommand(service)],
    routes: (router) => runHttpRoutes(router, service),
    activate: async () => service.registerJobs(),
    owedBy: (userId, teamId) => service.owedBy(userId, teamId),
  };
}
