import type { Router } from 'express';
import type { CommandSpec } from '../shared/commands';
import { ephemeral } from '../shared/commands';
import type { Feature, ProductContext } from '../shared/context';

/** `/infra` and the health endpoint: what answers even before any other feature is enabled. */
export function createInfraFeature(ctx: ProductContext, commandsOf: () => readonly CommandSpec[]): Feature {
  const command: CommandSpec = {
    trigger: 'infra',
    description: `Infra Ops ${ctx.version}: incidents, RFCs, PICK prioritisation and guilds`,
    subcommands: [
      {
        name: 'version',
        usage: '',
        help: 'Show the plugin version',
        run: async () => ephemeral(`Infra Ops ${ctx.version}`),
      },
      {
        name: 'about',
        usage: '',
        help: 'What Infra Ops does and where to start',
        run: async () =>
          ephemeral(
            [
              `**Infra Ops ${ctx.version}** runs the group's operating rhythm in Mattermost.`,
              ...commandsOf()
                .filter((c) => c.trigger !== 'infra')
                .map((c) => `- \`/${c.trigger}\` — ${c.description} (\`/${c.trigger} help\`)`),
            ].join('\n'),
          ),
      },
    ],
  };

  return {
    name: 'infra',
    commands: [command],
    publicRoutes: (router: Router) => {
      router.get('/health', (_req, res) => {
        res.json({ status: 'ok', plugin: 'infra-ops', version: ctx.version });
      });
    },
  };
}
