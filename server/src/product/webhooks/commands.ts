import { ephemeral, type SubcommandSpec } from '../shared/commands';
import { UserError } from '../shared/errors';
import { WEBHOOK_TEXT, WEBHOOK_USAGE } from './messages';
import { parseEventList, type WebhookService } from './service';

const usage = (name: keyof typeof WEBHOOK_USAGE): string => `/infra webhooks ${name} ${WEBHOOK_USAGE[name]}`.trim();

/** `/infra webhooks add|list|remove|rotate|log`: thin glue to the service. */
export function webhooksSubcommand(service: WebhookService): SubcommandSpec {
  const oneId = (positional: readonly string[], name: 'remove' | 'rotate'): string => {
    if (positional.length !== 1) throw UserError.badRequest(`Name one webhook id (see \`/infra webhooks list\`).`, usage(name));
    return positional[0]!;
  };
  return {
    name: 'webhooks',
    usage: '',
    help: WEBHOOK_TEXT.help,
    subcommands: [
      {
        name: 'add',
        usage: WEBHOOK_USAGE.add,
        help: WEBHOOK_TEXT.addHelp,
        valueFlags: ['events', 'template'],
        booleanFlags: ['include-private'],
        run: async (inv) => {
          if (inv.positional.length !== 1) throw UserError.badRequest('Give one URL.', usage('add'));
          const events = inv.flags.get('events');
          const template = inv.flags.get('template');
          if (template === true) throw UserError.badRequest('Name the template after --template.', usage('add'));
          const { webhook, secret } = await service.add(inv.userId, inv.teamId, {
            url: inv.positional[0]!,
            events: typeof events === 'string' ? parseEventList(events) : null,
            includePrivate: inv.flags.get('include-private') === true,
            // Template names may have spaces ("Product release"): several are separated by commas.
            templates: template === undefined ? null : template.split(',').map((t) => t.trim()).filter(Boolean),
          });
          return ephemeral(WEBHOOK_TEXT.added(webhook, secret));
        },
      },
      {
        name: 'list',
        usage: WEBHOOK_USAGE.list,
        help: WEBHOOK_TEXT.listHelp,
        noArguments: true,
        run: async (inv) => {
          const webhooks = await service.list(inv.userId, inv.teamId);
          return ephemeral(webhooks.length ? WEBHOOK_TEXT.list(webhooks) : WEBHOOK_TEXT.none);
        },
      },
      {
        name: 'remove',
        usage: WEBHOOK_USAGE.remove,
        help: WEBHOOK_TEXT.removeHelp,
        run: async (inv) => ephemeral(WEBHOOK_TEXT.removed(await service.remove(inv.userId, inv.teamId, oneId(inv.positional, 'remove')))),
      },
      {
        name: 'rotate',
        usage: WEBHOOK_USAGE.rotate,
        help: WEBHOOK_TEXT.rotateHelp,
        run: async (inv) => {
          const { webhook, secret } = await service.rotate(inv.userId, inv.teamId, oneId(inv.positional, 'rotate'));
          return ephemeral(WEBHOOK_TEXT.rotated(webhook, secret));
        },
      },
      {
        name: 'log',
        usage: WEBHOOK_USAGE.log,
        help: WEBHOOK_TEXT.logHelp,
        noArguments: true,
        run: async (inv) => {
          const { entries, queued } = await service.deliveries(inv.userId, inv.teamId);
          return ephemeral(entries.length ? WEBHOOK_TEXT.log(entries.slice(0, 20), queued) : WEBHOOK_TEXT.noLog);
        },
      },
    ],
  };
}
