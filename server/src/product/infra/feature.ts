import type { CommandSpec, SubcommandSpec } from '../shared/commands';
import type { Feature, ProductContext } from '../shared/context';
import { infraCommand } from './commands';
import { type DailyDigest, digestSubcommand } from './digest';
import { mountInfraPublicRoutes, mountInfraRoutes } from './http';
import type { CorruptRecordLine } from './messages';
import { whatIsOwed } from './owe';
import { infraPolicy } from './policy';

/** `/infra` and the health endpoint: what answers even before any other feature is used. */
export function createInfraFeature(
  ctx: ProductContext,
  commandsOf: () => readonly CommandSpec[],
  featuresOf: () => readonly Feature[],
  corruptRecords: () => Promise<readonly CorruptRecordLine[]>,
  /** Subcommands other features add to `/infra` (alerts, webhooks, components, maintenance, calendar). */
  more: readonly SubcommandSpec[] = [],
  /** The daily digest DM (`/infra digest`), built early so features can enrol the people they involve. */
  digest: DailyDigest | null = null,
): Feature {
  const owed = (userId: string, teamId: string) => whatIsOwed(ctx, featuresOf(), userId, teamId);
  const doctor = async (userId: string, teamId: string): Promise<readonly CorruptRecordLine[]> => {
    await infraPolicy.require(ctx.access(), userId, 'doctor', { scope: { teamId, channelId: null } }, 'list unreadable records');
    return corruptRecords();
  };
  return {
    name: 'infra',
    commands: [infraCommand({ version: ctx.version, commands: commandsOf, owed, corruptRecords: doctor, more: digest ? [...more, digestSubcommand(digest, ctx)] : more })],
    activate: async () => digest?.register(),
    publicRoutes: (router) => mountInfraPublicRoutes(router, ctx.version),
    routes: (router) => mountInfraRoutes(router, owed),
  };
}
