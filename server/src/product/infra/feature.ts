import type { Router } from 'express';
import type { CommandSpec, SubcommandSpec } from '../shared/commands';
import { ephemeral } from '../shared/commands';
import type { Feature, ProductContext } from '../shared/context';
import { z } from 'zod';
import { parseInput, userIdOf } from '../shared/http';

/**
 * `/infra` and the health endpoint: what answers even before any other feature is enabled.
 *
 * HTTP (under /plugins/infra-ops/api/v1):
 * | GET | /health           | (no user needed)  | {status, plugin, version}                   |
 * | GET | /owe?team_id=…    |                   | {sections: [{feature, items: string[]}]}    |
 */
export function createInfraFeature(
  ctx: ProductContext,
  commandsOf: () => readonly CommandSpec[],
  featuresOf: () => readonly Feature[],
): Feature {
  const owed = async (userId: string, teamId: string): Promise<Array<{ feature: string; items: string[] }>> => {
    const sections = await Promise.all(
      featuresOf()
        .filter((f) => f.owedBy)
        .map(async (f) => {
          try {
            return { feature: f.name, items: await f.owedBy!(userId, teamId) };
          } catch (err) {
            // One feature's broken record must not hide what the others say is owed.
            ctx.log.error('owedBy failed', { feature: f.name, error: err instanceof Error ? err.message : String(err) });
            return { feature: f.name, items: [`(could not be read: ${f.name} logged an error)`] };
          }
        }),
    );
    return sections.filter((s) => s.items.length > 0);
  };

  const command = infraCommand(ctx.version, commandsOf, owed);

  return {
    name: 'infra',
    commands: [command],
    publicRoutes: (router: Router) => {
      router.get('/health', (_req, res) => {
        res.json({ status: 'ok', plugin: 'infra-ops', version: ctx.version });
      });
    },
    routes: (router: Router) => {
      router.get('/owe', async (req, res) => {
        const q = parseInput(z.object({ team_id: z.string().min(1).max(64) }), req.query);
        res.json({ sections: await owed(userIdOf(req), q.team_id) });
      });
    },
  };
}

type Owed = (userId: string, teamId: string) => Promise<Array<{ feature: string; items: string[] }>>;

/** `/infra help|owe|version|about`. */
function infraCommand(version: string, commandsOf: () => readonly CommandSpec[], owed: Owed): CommandSpec {
  return {
    trigger: 'infra',
    description: `Infra Ops ${version}: incidents, RFCs, PICK prioritisation and guilds`,
    subcommands: [
      {
        name: 'help',
        usage: '',
        help: 'Every Infra Ops command and how to use it',
        run: async () => ephemeral(renderAllHelp(version, commandsOf())),
      },
      {
        name: 'owe',
        usage: '',
        help: 'What you owe now: incident roles and updates, follow-ups, RFC reviews, scores, agenda items',
        run: async (inv) => {
          const sections = await owed(inv.userId, inv.teamId);
          if (sections.length === 0) return ephemeral('You owe nothing right now. 🎉');
          const lines = ['#### What you owe now'];
          for (const s of sections) lines.push(`**${FEATURE_TITLES[s.feature] ?? s.feature}**`, ...s.items.map((i) => `- ${i}`));
          return ephemeral(lines.join('\n'));
        },
      },
      {
        name: 'version',
        usage: '',
        help: 'Show the plugin version',
        run: async () => ephemeral(`Infra Ops ${version}`),
      },
      {
        name: 'about',
        usage: '',
        help: 'What Infra Ops does and where to start',
        run: async () =>
          ephemeral(
            [
              `**Infra Ops ${version}** runs the group's operating rhythm in Mattermost.`,
              ...commandsOf()
                .filter((c) => c.trigger !== 'infra')
                .map((c) => `- \`/${c.trigger}\` — ${c.description} (\`/${c.trigger} help\`)`),
            ].join('\n'),
          ),
      },
    ],
  };
}

const FEATURE_TITLES: Record<string, string> = { incidents: 'Incidents', pick: 'PICK ideas', rfc: 'RFCs', guilds: 'Guild agendas' };

function renderAllHelp(version: string, commands: readonly CommandSpec[]): string {
  const lines = [`#### Infra Ops ${version} — commands`, 'Add `help` after any command for details, e.g. `/rfc review help`.'];
  for (const c of commands) {
    lines.push('', `**/${c.trigger}** — ${c.description}`);
    const walk = (prefix: string, subs: readonly SubcommandSpec[]): void => {
      for (const s of subs) {
        if (s.run) lines.push(`- \`${`${prefix} ${s.name} ${s.usage}`.trim()}\` — ${s.help}`);
        walk(`${prefix} ${s.name}`, s.subcommands ?? []);
      }
    };
    walk(`/${c.trigger}`, c.subcommands);
  }
  return lines.join('\n');
}
