/** `/guild …`: the words of each subcommand turned into a use case call, and its reply. */
import type { CommandInvocation, CommandSpec } from '../shared/commands';
import { ephemeral, tokenize } from '../shared/commands';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { leadingReference } from '../shared/references';
import { leadingGuild } from './find';
import { GUILD_TEXT, type Names, renderAgenda, USAGE } from './messages';
import { GUILD_SOURCES, type GuildNote, type GuildSource, LIMITS } from './records';
import { describeMeeting, parseWeekday } from './schedule';
import type { GuildRhythm, RotaLine } from './rhythm';
import type { GuildInput, GuildService } from './service';

const SETTING_FLAGS = ['day', 'time', 'tz', 'every', 'channel', 'members', 'facilitators', 'sources', 'purpose'] as const;

export function guildCommand(ctx: ProductContext, guilds: GuildService, rhythm: GuildRhythm): CommandSpec {
  const describeNext = (g: Parameters<GuildService['nextMeetingAt']>[0]): string => describeMeeting(guilds.nextMeetingAt(g), g.timeZone);
  const channelName = async (channelId: string | null): Promise<string | null> =>
    channelId ? ((await ctx.access().channel(channelId))?.Name ?? null) : null;
  return {
    trigger: 'guild',
    description: GUILD_TEXT.help,
    subcommands: [
      {
        name: 'create',
        usage: USAGE.create.replace('/guild create ', ''),
        help: GUILD_TEXT.subcommandHelp.create,
        valueFlags: SETTING_FLAGS,
        run: async (inv) => {
          const input = settingsFrom(inv, USAGE.create);
          const { guild, warnings } = await guilds.create(inv.userId, inv.teamId, { ...input, name: inv.text });
          return ephemeral(GUILD_TEXT.created(guild, describeNext(guild), warnings));
        },
      },
      {
        name: 'edit',
        usage: USAGE.edit.replace('/guild edit ', ''),
        help: GUILD_TEXT.subcommandHelp.edit,
        valueFlags: [...SETTING_FLAGS, 'name'],
        booleanFlags: ['no-channel'],
        run: async (inv) => {
          if (inv.flags.size === 0) throw UserError.badRequest(GUILD_TEXT.sayWhatToChange, USAGE.edit);
          if (inv.flags.has('channel') && inv.flags.has('no-channel')) throw UserError.badRequest(GUILD_TEXT.channelOrNoChannel, USAGE.edit);
          const input = settingsFrom(inv, USAGE.edit);
          const name = valueOf(inv, 'name');
          if (name !== undefined) input.name = name;
          if (inv.flags.has('no-channel')) input.channel = null;
          const { guild, warnings, renamedFrom } = await guilds.edit(inv.userId, inv.teamId, nameOf(inv), input);
          return ephemeral(GUILD_TEXT.updated(guild, describeNext(guild), await channelName(guild.channelId), renamedFrom, warnings));
        },
      },
      {
        name: 'list',
        usage: '',
        help: GUILD_TEXT.subcommandHelp.list,
        noArguments: true,
        run: async (inv) => {
          const all = await guilds.list(inv.userId, inv.teamId);
          const lines = await Promise.all(all.map(async (g) => GUILD_TEXT.listLine(g, await channelName(g.channelId), describeNext(g))));
          const orphans = await guilds.orphansOf(inv.userId);
          return ephemeral(
            [
              GUILD_TEXT.listHeading,
              ...(lines.length ? lines : [GUILD_TEXT.listEmpty]),
              ...(orphans.length ? [GUILD_TEXT.legacyHeading, ...orphans.map(GUILD_TEXT.legacyLine)] : []),
            ].join('\n'),
          );
        },
      },
      {
        name: 'next',
        usage: '<name>',
        help: GUILD_TEXT.subcommandHelp.next,
        run: async (inv) => {
          const { guild, at, following } = await guilds.next(inv.userId, inv.teamId, nameOf(inv));
          return ephemeral(GUILD_TEXT.next(guild, at, ctx.now(), following));
        },
      },
      {
        name: 'agenda',
        usage: '<name>',
        help: GUILD_TEXT.subcommandHelp.agenda,
        run: async (inv) => {
          const agenda = await guilds.agenda(inv.userId, inv.teamId, nameOf(inv));
          return ephemeral(await renderAgenda(agenda, guilds.names(), ctx.now()));
        },
      },
      {
        name: 'queue',
        usage: '<name> <item>',
        help: GUILD_TEXT.subcommandHelp.queue,
        run: async (inv) => {
          const { guild: target, rest } = await leading(guilds, inv);
          const { guild, item } = await guilds.queue(inv.userId, inv.teamId, target, rest);
          return ephemeral(GUILD_TEXT.queued(guild, item, describeNext(guild)));
        },
      },
      {
        name: 'unqueue',
        usage: '<name> <item id>',
        help: GUILD_TEXT.subcommandHelp.unqueue,
        run: async (inv) => {
          const words = inv.positional;
          if (words.length < 2) throw UserError.badRequest(words.length ? GUILD_TEXT.sayWhichItem : GUILD_TEXT.sayWhich, USAGE.unqueue);
          const { guild, item } = await guilds.unqueue(inv.userId, inv.teamId, words.slice(0, -1).join(' '), words.at(-1)!);
          return ephemeral(GUILD_TEXT.unqueued(guild, item));
        },
      },
      {
        name: 'notes',
        usage: '<name> [decision|action] <text>',
        help: GUILD_TEXT.subcommandHelp.notes,
        run: async (inv) => {
          const { guild: target, rest } = await leading(guilds, inv);
          const m = /^(decision|action|note)s?:?(?:\s+|$)/i.exec(rest);
          const kind = (m ? m[1]!.toLowerCase() : 'note') as GuildNote['kind'];
          const { guild, note, id } = await guilds.note(inv.userId, inv.teamId, target, kind, m ? rest.slice(m[0].length) : rest);
          return ephemeral(GUILD_TEXT.noted(guild, note, id));
        },
      },
      {
        name: 'unnote',
        usage: '<name> <note id>',
        help: GUILD_TEXT.subcommandHelp.unnote,
        run: async (inv) => {
          const words = inv.positional;
          if (words.length < 2) throw UserError.badRequest(words.length ? GUILD_TEXT.sayWhichNote : GUILD_TEXT.sayWhich, USAGE.unnote);
          const { guild, note, id } = await guilds.unnote(inv.userId, inv.teamId, words.slice(0, -1).join(' '), words.at(-1)!);
          return ephemeral(GUILD_TEXT.unnoted(guild, note, id));
        },
      },
      {
        name: 'close',
        usage: USAGE.close.replace('/guild close ', ''),
        help: GUILD_TEXT.subcommandHelp.close,
        valueFlags: ['done', 'carry'],
        booleanFlags: ['early'],
        run: async (inv) => {
          const list = (flag: string): string[] | undefined => {
            const value = valueOf(inv, flag);
            if (value === undefined) return undefined;
            const items = selectors(value);
            if (items.length > LIMITS.selectors) throw UserError.badRequest(GUILD_TEXT.tooManySelectors(flag));
            return items;
          };
          const selection = { done: list('done'), carry: list('carry'), early: inv.flags.has('early') };
          const { guild, meeting, notReviewed, early } = await guilds.close(inv.userId, inv.teamId, nameOf(inv), selection);
          return ephemeral(GUILD_TEXT.closed(guild, meeting, notReviewed, selection.done !== undefined || selection.carry !== undefined, early));
        },
      },
      {
        name: 'delete',
        usage: '<name> --confirm',
        help: GUILD_TEXT.subcommandHelp.delete,
        booleanFlags: ['confirm'],
        run: async (inv) => {
          if (!inv.flags.has('confirm')) return ephemeral(GUILD_TEXT.confirmDelete(await guilds.preview(inv.userId, inv.teamId, nameOf(inv), 'delete')));
          return ephemeral(GUILD_TEXT.deleted(await guilds.delete(inv.userId, inv.teamId, nameOf(inv))));
        },
      },
      {
        name: 'skip',
        usage: '<name> <YYYY-MM-DD>',
        help: GUILD_TEXT.subcommandHelp.skip,
        run: async (inv) => {
          const { name, date } = nameAndDate(inv, USAGE.skip);
          const done = await rhythm.skip(inv.userId, inv.teamId, name, date, true);
          return ephemeral(GUILD_TEXT.skipped(done.guild, done.date, describeMeeting(done.next, done.guild.timeZone)));
        },
      },
      {
        name: 'unskip',
        usage: '<name> <YYYY-MM-DD>',
        help: GUILD_TEXT.subcommandHelp.unskip,
        run: async (inv) => {
          const { name, date } = nameAndDate(inv, USAGE.unskip);
          const done = await rhythm.skip(inv.userId, inv.teamId, name, date, false);
          return ephemeral(GUILD_TEXT.unskipped(done.guild, done.date, describeMeeting(done.next, done.guild.timeZone)));
        },
      },
      {
        name: 'holidays',
        usage: 'add|list|remove',
        help: GUILD_TEXT.subcommandHelp.holidays,
        subcommands: [
          {
            name: 'add',
            usage: '<YYYY-MM-DD> [name]',
            help: GUILD_TEXT.subcommandHelp.holidaysAdd,
            run: async (inv) => {
              const [date, ...name] = inv.positional;
              if (!date) throw UserError.badRequest(GUILD_TEXT.notADate(''), USAGE.holidaysAdd);
              const { holiday, guilds: skipping } = await rhythm.addHoliday(inv.userId, inv.teamId, date, name.join(' '));
              return ephemeral(GUILD_TEXT.holidayAdded(holiday.date, holiday.name, skipping));
            },
          },
          {
            name: 'list',
            usage: '',
            help: GUILD_TEXT.subcommandHelp.holidaysList,
            noArguments: true,
            run: async (inv) => {
              const days = await rhythm.holidays(inv.userId, inv.teamId);
              return ephemeral([GUILD_TEXT.holidaysHeading, ...(days.length ? days.map((d) => GUILD_TEXT.holidayLine(d.date, d.name)) : [GUILD_TEXT.holidaysEmpty])].join('\n'));
            },
          },
          {
            name: 'remove',
            usage: '<YYYY-MM-DD>',
            help: GUILD_TEXT.subcommandHelp.holidaysRemove,
            run: async (inv) => {
              if (inv.positional.length !== 1) throw UserError.badRequest(GUILD_TEXT.notADate(inv.rest), USAGE.holidaysRemove);
              return ephemeral(GUILD_TEXT.holidayRemoved(await rhythm.removeHoliday(inv.userId, inv.teamId, inv.positional[0]!)));
            },
          },
        ],
      },
      {
        name: 'swap',
        usage: '<name> @user1 @user2 | <name> facilitator|scribe @user',
        help: GUILD_TEXT.subcommandHelp.swap,
        run: async (inv) => {
          const words = inv.positional;
          // Two last words (`@a @b` or `facilitator @a`) name the swap; the guild's name is what comes before.
          if (words.length < 3 || !words.at(-1)!.startsWith('@')) throw UserError.badRequest(GUILD_TEXT.sayWhoToSwap, USAGE.swap);
          const { guild, lines } = await rhythm.swap(inv.userId, inv.teamId, words.slice(0, -2).join(' '), words.slice(-2));
          return ephemeral(GUILD_TEXT.swapped(guild, await rotaText(guild.timeZone, lines, guilds.names())));
        },
      },
      {
        name: 'rota',
        usage: '<name>',
        help: GUILD_TEXT.subcommandHelp.rota,
        run: async (inv) => {
          const { guild, lines } = await rhythm.rota(inv.userId, inv.teamId, nameOf(inv));
          return ephemeral(lines.length ? `**${guild.name}** rota:\n${await rotaText(guild.timeZone, lines, guilds.names())}` : GUILD_TEXT.noRota(guild));
        },
      },
      {
        name: 'adopt',
        usage: '<name>',
        help: GUILD_TEXT.subcommandHelp.adopt,
        run: async (inv) => ephemeral(GUILD_TEXT.adopted(await guilds.adopt(inv.userId, inv.teamId, nameOf(inv)))),
      },
    ],
  };
}

/** `<name…> <date>`: the date is the last word, the guild's name the words before it. */
function nameAndDate(inv: CommandInvocation, usage: string): { name: string; date: string } {
  const words = inv.positional;
  if (words.length < 2) throw UserError.badRequest(words.length ? GUILD_TEXT.notADate('') : GUILD_TEXT.sayWhich, usage);
  return { name: words.slice(0, -1).join(' '), date: words.at(-1)! };
}

/** The rota lines with @usernames and each meeting's local time. */
async function rotaText(timeZone: string, lines: readonly RotaLine[], names: Names): Promise<string> {
  return GUILD_TEXT.rotaLines(
    await Promise.all(
      lines.map(async (l) => ({
        at: describeMeeting(l.at, timeZone),
        facilitator: `@${await names.username(l.facilitator)}`,
        scribe: l.scribe ? `@${await names.username(l.scribe)}` : null,
      })),
    ),
  );
}

/**
 * `Q1, INC-042 inc 16,Q3` → ["Q1", "INC-042", "inc 16", "Q3"]: items split on commas and spaces,
 * an incident named over two words (`inc 16`) kept together.
 */
function selectors(value: string): string[] {
  const words = value.split(/[\s,]+/).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const two = leadingReference('INC', words.slice(i, i + 2), { explicitOnly: true });
    if (two?.used === 2) {
      out.push(`${words[i]} ${words[i + 1]}`);
      i++;
    } else out.push(words[i]!);
  }
  return out;
}

/** The guild named as typed, up to the first flag. */
function nameOf(inv: CommandInvocation): string {
  const name = inv.text.trim();
  if (!name) throw UserError.badRequest(GUILD_TEXT.sayWhich, `${inv.path} <name>`);
  return name;
}

const valueOf = (inv: CommandInvocation, flag: string): string | undefined => {
  const value = inv.flags.get(flag);
  return typeof value === 'string' ? value : undefined;
};

/** `<name> <text…>`: the guild named by the leading words, and the text after it as typed. */
async function leading(guilds: GuildService, inv: CommandInvocation): Promise<{ guild: string; rest: string }> {
  const words = tokenize(inv.rest);
  if (words.length === 0) throw UserError.badRequest(GUILD_TEXT.sayWhich, `${inv.path} <name> <text>`);
  const found = leadingGuild(await guilds.list(inv.userId, inv.teamId), words, inv.rest);
  return { guild: found.guild.slug, rest: found.rest };
}

function settingsFrom(inv: CommandInvocation, usage: string): GuildInput {
  const input: GuildInput = {};
  const day = valueOf(inv, 'day');
  if (day !== undefined) {
    const d = parseWeekday(day);
    if (d === null) throw UserError.badRequest(GUILD_TEXT.notAWeekday(day), usage);
    input.day = d;
  }
  const time = valueOf(inv, 'time');
  if (time !== undefined) input.time = time;
  const tz = valueOf(inv, 'tz');
  if (tz !== undefined) input.timeZone = tz;
  const every = valueOf(inv, 'every');
  if (every !== undefined) input.everyWeeks = weeksFrom(every, usage);
  const purpose = valueOf(inv, 'purpose');
  if (purpose !== undefined) input.purpose = purpose;
  const channel = valueOf(inv, 'channel');
  if (channel !== undefined) input.channel = { name: channel };
  const members = valueOf(inv, 'members');
  if (members !== undefined) input.memberWords = members.split(/\s+/).filter(Boolean);
  const facilitators = valueOf(inv, 'facilitators');
  if (facilitators !== undefined) input.facilitatorNames = facilitators.split(/\s+/).filter(Boolean);
  const sources = valueOf(inv, 'sources');
  if (sources !== undefined) input.sources = sourcesFrom(sources, usage);
  return input;
}

function weeksFrom(every: string, usage: string): number {
  const m = /^(\d{1,2})\s*(?:w|wk|wks|week|weeks)?$/i.exec(every.trim());
  if (!m) throw UserError.badRequest(GUILD_TEXT.notWeeks(every), usage);
  return Number(m[1]);
}

/** "incidents,rfcs" or "none" (no live items, only what people queue). */
function sourcesFrom(text: string, usage: string): GuildSource[] {
  const words = text.toLowerCase().split(/[\s,]+/).filter(Boolean);
  const bad = words.filter((w) => w !== 'none' && !(GUILD_SOURCES as readonly string[]).includes(w));
  if (bad.length) throw UserError.badRequest(GUILD_TEXT.unknownSources(bad.slice(0, 5), GUILD_SOURCES), usage);
  return words.filter((w): w is GuildSource => w !== 'none');
}

