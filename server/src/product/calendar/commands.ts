/** `/infra calendar` and `/infra calendar rotate team|me` (a subcommand of /infra, handed to infra in index.ts). */
import { FEED_KINDS, type FeedKind } from '../contract/calendar';
import { ephemeral, type SubcommandSpec } from '../shared/commands';
import { UserError } from '../shared/errors';
import { CALENDAR_TEXT } from './messages';
import type { CalendarService } from './service';

export function calendarSubcommand(calendar: CalendarService): SubcommandSpec {
  return {
        name: 'calendar',
        usage: '[rotate team|me]',
        help: CALENDAR_TEXT.help,
        noArguments: true,
        run: async (inv) => ephemeral(CALENDAR_TEXT.links(await calendar.links(inv.userId, inv.teamId, inv.siteUrl))),
        subcommands: [
          {
            name: 'rotate',
            usage: '[team|me]',
            help: CALENDAR_TEXT.rotateHelp,
            choices: FEED_KINDS.map((item) => ({ item })),
            run: async (inv) => {
              // No word: both links are replaced (e.g. after a link was shared by mistake).
              const words = inv.positional.map((w) => w.toLowerCase());
              const kinds = words.length === 0 ? FEED_KINDS : words;
              if (words.length > 1 || !kinds.every((k): k is FeedKind => (FEED_KINDS as readonly string[]).includes(k))) {
                throw UserError.badRequest(CALENDAR_TEXT.sayWhichFeed, CALENDAR_TEXT.rotateUsage);
              }
              const lines = [];
              for (const kind of kinds) lines.push(CALENDAR_TEXT.rotated(await calendar.rotate(inv.userId, inv.teamId, kind, inv.siteUrl)));
              return ephemeral(lines.join('\n\n'));
            },
          },
        ],
  };
}
