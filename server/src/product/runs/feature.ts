import { runOwedLines } from './owed';
import type { SubcommandSpec } from '../shared/commands';
import type { Feature, ProductContext } from '../shared/context';
import type { IncidentReminderPort, RunActivitySink } from '../shared/ports';
import { releaseCommand, runCommand, statsSubcommand } from './commands';
import { runHttpRoutes } from './http';
import { RunService } from './service';
import { templateInfraSubcommand } from './template_import_command';

/**
 * Runs: incidents, releases and other processes with a checklist, approval gates, a timeline and a
 * retrospective, each in its channel. Wiring only.
 */
export function createRunsFeature(
  ctx: ProductContext,
  activity: RunActivitySink | null = null,
  ports: { incidentReminders?: () => IncidentReminderPort | null; involved?: (userIds: readonly string[], teamId: string) => Promise<void> } = {},
): Feature & { service: RunService; infraSubcommands: readonly SubcommandSpec[] } {
  const service = new RunService(ctx, activity, ports.incidentReminders, ports.involved);
  return {
    name: 'runs',
    service,
    /** `/infra template import` (a file attached here, or JSON) and `/infra stats` (as `/run stats`). */
    infraSubcommands: [templateInfraSubcommand(ctx, service), statsSubcommand(service)],
    commands: [runCommand(service, ctx), releaseCommand(service)],
    routes: (router) => runHttpRoutes(router, service),
    activate: async () => service.registerJobs(),
    owed: { scan: async (userId, teamId) => ({ facts: await service.owedFacts(userId, teamId) }), render: runOwedLines },
  };
}
