import { type CommandInvocation, ephemeral, type SubcommandSpec } from '../shared/commands';
import { publicStatusPath } from '../contract/status';
import { UserError } from '../shared/errors';
import { STATUS_TEXT, STATUS_USAGE } from './messages';
import type { StatusService } from './service';
import { formatInZone, parseMaintenanceTime } from './times';
import { maintenanceLine } from './views';

/** `/infra components …` and `/infra maintenance …`: thin glue to the service. */
export function statusSubcommands(service: StatusService): SubcommandSpec[] {
  const link = (inv: CommandInvocation): Promise<string> => service.link(inv.siteUrl, inv.teamId);
  return [
    {
      name: 'components',
      usage: '',
      help: STATUS_TEXT.componentsHelp,
      subcommands: [
        {
          name: 'add',
          usage: '<name> [--description <text>]',
          help: STATUS_TEXT.componentsAddHelp,
          valueFlags: ['description'],
          run: async (inv) => {
            if (!inv.text.trim()) throw UserError.badRequest(STATUS_TEXT.giveName, STATUS_USAGE.componentsAdd);
            const description = inv.flags.get('description');
            const c = await service.addComponent(inv.userId, inv.teamId, inv.text, typeof description === 'string' ? description : '');
            return ephemeral(STATUS_TEXT.componentAdded(c, await link(inv)));
          },
        },
        {
          name: 'remove',
          usage: '<name>',
          help: STATUS_TEXT.componentsRemoveHelp,
          run: async (inv) => {
            if (!inv.text.trim()) throw UserError.badRequest(STATUS_TEXT.giveName, STATUS_USAGE.componentsRemove);
            return ephemeral(STATUS_TEXT.componentRemoved(await service.removeComponent(inv.userId, inv.teamId, inv.text)));
          },
        },
        {
          name: 'list',
          usage: '',
          help: STATUS_TEXT.componentsListHelp,
          noArguments: true,
          run: async (inv) => {
            const cs = await service.components(inv.userId, inv.teamId);
            return ephemeral(cs.length ? STATUS_TEXT.components(cs, await link(inv)) : STATUS_TEXT.noComponents(await link(inv)));
          },
        },
      ],
    },
    {
      name: 'maintenance',
      usage: '',
      help: STATUS_TEXT.maintenanceHelp,
      subcommands: [
        {
          name: 'add',
          usage: '<component> <from> <to> <text>',
          help: STATUS_TEXT.maintenanceAddHelp,
          run: async (inv) => {
            const [component, fromText, toText, ...rest] = inv.positional;
            if (!component || !fromText || !toText || rest.length === 0) throw UserError.badRequest(STATUS_TEXT.maintenanceArgs, STATUS_USAGE.maintenanceAdd);
            const zone = await service.zoneOf(inv.userId);
            const from = parseMaintenanceTime(fromText, zone);
            if (from === null) throw UserError.badRequest(STATUS_TEXT.badTime(fromText), STATUS_USAGE.maintenanceAdd);
            const to = parseMaintenanceTime(toText, zone);
            if (to === null) throw UserError.badRequest(STATUS_TEXT.badTime(toText), STATUS_USAGE.maintenanceAdd);
            // The description as typed: everything after the third word.
            const text = textAfterWords(inv.rest, 3);
            const m = await service.addMaintenance(inv.userId, inv.teamId, { component, from, to, text });
            return ephemeral(STATUS_TEXT.maintenanceAdded(m, formatInZone(m.from, zone), formatInZone(m.to, zone)));
          },
        },
        {
          name: 'remove',
          usage: '<n>',
          help: STATUS_TEXT.maintenanceRemoveHelp,
          run: async (inv) => {
            const word = inv.positional.join(' ');
            const n = /^#?(\d{1,6})$/.exec(word.trim());
            if (!n) throw UserError.badRequest(STATUS_TEXT.noMaintenanceNumber(word), STATUS_USAGE.maintenanceRemove);
            return ephemeral(STATUS_TEXT.maintenanceRemoved(await service.removeMaintenance(inv.userId, inv.teamId, Number(n[1]))));
          },
        },
        {
          name: 'list',
          usage: '',
          help: STATUS_TEXT.maintenanceListHelp,
          noArguments: true,
          run: async (inv) => {
            const [windows, zone] = await Promise.all([service.maintenance(inv.userId, inv.teamId), service.zoneOf(inv.userId)]);
            return ephemeral(windows.length ? STATUS_TEXT.maintenanceList(windows.map((m) => maintenanceLine(m, zone))) : STATUS_TEXT.noMaintenance);
          },
        },
      ],
    },
  ];
}

/** The text after the first `n` whitespace-separated words, as typed. */
export function textAfterWords(text: string, n: number): string {
  const m = new RegExp(`^\\s*(?:\\S+\\s+){${n}}([\\s\\S]*)$`).exec(text);
  return m ? m[1]!.trim() : '';
}

/** `/infra statuslink create|revoke`. */
export function statusLinkSubcommand(service: StatusService): SubcommandSpec {
  return {
    name: 'statuslink',
    usage: '',
    help: STATUS_TEXT.linkHelp,
    subcommands: [
      {
        name: 'create',
        usage: '',
        help: STATUS_TEXT.linkCreateHelp,
        noArguments: true,
        run: async (inv) => {
          const token = await service.createPublicLink(inv.userId, inv.teamId);
          const base = inv.siteUrl.endsWith('/') ? inv.siteUrl.slice(0, -1) : inv.siteUrl;
          return ephemeral(STATUS_TEXT.linkCreated(`${base}${publicStatusPath(token)}`));
        },
      },
      {
        name: 'revoke',
        usage: '',
        help: STATUS_TEXT.linkRevokeHelp,
        noArguments: true,
        run: async (inv) => ephemeral((await service.revokePublicLink(inv.userId, inv.teamId)) ? STATUS_TEXT.linkRevoked : STATUS_TEXT.noLink),
      },
    ],
  };
}
