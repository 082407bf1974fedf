import type { CommandInvocation, CommandSpec } from '../shared/commands';
import { ephemeral, tokenize } from '../shared/commands';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { humanDuration, type People } from '../shared/people';
import { renderAgenda } from './agenda_text';
import { describeMeeting, parseWeekday, WEEKDAYS } from './schedule';
import { type Guild, GUILD_SOURCES, type GuildMember, type GuildNote, type GuildSource } from './schema';
import { GUILD_CREATE_USAGE, type GuildInput, type GuildService } from './service';

export { renderAgenda };

const SETTING_FLAGS = ['day', 'time', 'tz', 'every', 'channel', 'members', 'sources', 'purpose'] as const;

/** `/guild …`: parsing and wording only; schedules and agendas live in the service. */
export function guildCommand(ctx: ProductContext, guilds: GuildService): CommandSpec {
  return {
    trigger: 'guild',
    description: 'Guilds: schedules, agendas built from live incidents, RFCs and ideas, meeting notes',
    subcommands: [
      {
        name: 'create',
        usage: '<name> --day <weekday> --time HH:MM --tz <IANA zone> [--every N weeks] [--channel ~name] [--members @user @group …] [--sources incidents,rfcs,pick] [--purpose <text>]',
        help: 'Create a guild with its meeting schedule',
        run: async (inv) => {
          const { head, flags } = parseFlags(inv.rest, [...SETTING_FLAGS], GUILD_CREATE_USAGE);
          const input = await settingsFrom(ctx, guilds.people(), inv, flags, GUILD_CREATE_USAGE);
          const guild = await guilds.create(inv.userId, inv.teamId, { ...input, name: head.join(' ') });
          return ephemeral(`Created **${guild.name}** (\`${guild.slug}\`). Next meeting: ${guilds.describeNext(guild)}.${guild.channelId ? '' : '\nIt is inactive until it has a channel: `/guild edit ' + guild.slug + ' --channel ~name`.'}`);
        },
      },
      {
        name: 'edit',
        usage: '<name> [--name <new name>] [--day …] [--time …] [--tz …] [--every N] [--channel ~name | --no-channel] [--members …] [--sources …] [--purpose …]',
        help: 'Change a guild (its creator or an admin; the default guilds: admins)',
        run: async (inv) => {
          const usage = '/guild edit <name> [--name …] [--day …] [--time …] [--tz …] [--every N] [--channel ~name | --no-channel] [--members …] [--sources …] [--purpose …]';
          const { head, flags } = parseFlags(inv.rest, [...SETTING_FLAGS, 'name', 'no-channel'], usage);
          if (flags.size === 0) throw UserError.badRequest('Say what to change.', usage);
          if (flags.has('channel') && flags.has('no-channel')) throw UserError.badRequest('Use either --channel or --no-channel, not both.', usage);
          const input = await settingsFrom(ctx, guilds.people(), inv, flags, usage);
          if (flags.has('name')) input.name = (flags.get('name') ?? []).join(' ');
          if (flags.has('no-channel')) input.channelId = null;
          const guild = await guilds.edit(inv.userId, inv.teamId, head.join(' '), input);
          return ephemeral(`Updated **${guild.name}**. Next meeting: ${guilds.describeNext(guild)}${guild.channelId ? ` in ~${(await guilds.people().channel(guild.channelId))?.Name ?? guild.channelId}` : ' (inactive: no channel)'}.`);
        },
      },
      {
        name: 'list',
        usage: '',
        help: "The team's guilds and when each meets next",
        run: async (inv) => {
          const people = guilds.people();
          const all = await guilds.list(inv.userId, inv.teamId);
          const lines = await Promise.all(all.map(async (g) => `- **${g.name}** (\`${g.slug}\`) — ${g.purpose || 'no purpose set'} · ${cadence(g)} · ${g.channelId ? `~${(await people.channel(g.channelId))?.Name ?? '?'}` : 'inactive (no channel)'} · next ${guilds.describeNext(g)}`));
          return ephemeral(['**Guilds**', ...(lines.length ? lines : ['None yet: `/guild create`.'])].join('\n'));
        },
      },
      {
        name: 'next',
        usage: '<name>',
        help: 'When the guild meets next',
        run: async (inv) => {
          const guild = await guilds.get(inv.userId, inv.teamId, nameOf(inv));
          const at = guilds.nextMeetingAt(guild);
          return ephemeral(`**${guild.name}** meets next ${describeMeeting(at, guild.timeZone)} — in ${humanDuration(at - ctx.now())} (${cadence(guild)}).`);
        },
      },
      {
        name: 'agenda',
        usage: '<name>',
        help: 'The next meeting’s agenda: carried and queued items plus live incidents, RFCs and ideas',
        run: async (inv) => {
          const agenda = await guilds.agenda(inv.userId, inv.teamId, nameOf(inv));
          return ephemeral(await renderAgenda(agenda, guilds.people(), ctx.now()));
        },
      },
      {
        name: 'queue',
        usage: '<name> <item>',
        help: 'Put an item on the next agenda (quote multi-word guild names)',
        run: async (inv) => {
          const [name, item] = splitFirst(inv.rest, '/guild queue <name> <item>');
          const { guild, item: queued } = await guilds.queue(inv.userId, inv.teamId, name, item);
          return ephemeral(`Queued Q${queued.id} for ${guild.name} (${guilds.describeNext(guild)}).`);
        },
      },
      {
        name: 'notes',
        usage: '<name> [decision|action] <text>',
        help: 'Record a note, decision or action item for the current meeting',
        run: async (inv) => {
          const usage = '/guild notes <name> [decision|action] <text>';
          const [name, text] = splitFirst(inv.rest, usage);
          const m = /^(decision|action|note)s?\s*:?\s+([\s\S]*)$/i.exec(text);
          const kind = (m ? m[1]!.toLowerCase() : 'note') as GuildNote['kind'];
          const guild = await guilds.addNote(inv.userId, inv.teamId, name, kind, m ? m[2]! : text);
          return ephemeral(`Recorded ${kind === 'action' ? 'an action item' : `a ${kind}`} for ${guild.name}.`);
        },
      },
      {
        name: 'close',
        usage: '<name> [--done Q1,INC-042…|all] [--carry Q2…]',
        help: 'Close the meeting: record notes, finish items, carry the rest to the next meeting',
        run: async (inv) => {
          const usage = '/guild close <name> [--done Q1,INC-042…|all] [--carry Q2…]';
          const { head, flags } = parseFlags(inv.rest, ['done', 'carry'], usage);
          const list = (f: string): string[] | undefined => (flags.has(f) ? (flags.get(f) ?? []).flatMap((v) => v.split(',')).filter(Boolean) : undefined);
          const { guild, meeting } = await guilds.close(inv.userId, inv.teamId, head.join(' '), { done: list('done'), carry: list('carry') });
          return ephemeral(
            `Closed the ${guild.name} meeting: ${meeting.done.length} item${meeting.done.length === 1 ? '' : 's'} done, ${meeting.reviewedIncidents.length} incident${meeting.reviewedIncidents.length === 1 ? '' : 's'} reviewed, ${meeting.carried.length} carried over, ${meeting.notes.length} note${meeting.notes.length === 1 ? '' : 's'} recorded.`,
          );
        },
      },
    ],
  };
}

function cadence(g: Guild): string {
  const day = WEEKDAYS[g.day]!;
  return `${g.everyWeeks === 1 ? 'every' : `every ${g.everyWeeks} weeks on`} ${day.charAt(0).toUpperCase()}${day.slice(1)} ${g.time} ${g.timeZone}`;
}

function nameOf(inv: CommandInvocation): string {
  const name = inv.positional.join(' ');
  if (!name) throw UserError.badRequest('Say which guild.', `${inv.path} <name>`);
  return name;
}

/** The first (possibly quoted) token, and the raw text after it. */
function splitFirst(rest: string, usage: string): [string, string] {
  const tokens = tokenize(rest);
  if (tokens.length < 2) throw UserError.badRequest(tokens.length ? 'Say what to add.' : 'Say which guild.', usage);
  return [tokens[0]!.text, rest.slice(tokens[1]!.start).trim()];
}

/** `--flag value words…` up to the next flag, so members and purposes may span several words. */
export function parseFlags(rest: string, allowed: readonly string[], usage: string): { head: string[]; flags: Map<string, string[]> } {
  const head: string[] = [];
  const flags = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const { text } of tokenize(rest)) {
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/i.exec(text);
    if (m) {
      const name = m[1]!.toLowerCase();
      if (!allowed.includes(name)) throw UserError.badRequest(`Unknown option --${name}.`, usage);
      current = [];
      if (m[2] !== undefined) current.push(m[2]);
      flags.set(name, current);
    } else if (current) current.push(text);
    else head.push(text);
  }
  return { head, flags };
}

async function settingsFrom(ctx: ProductContext, people: People, inv: CommandInvocation, flags: Map<string, string[]>, usage: string): Promise<GuildInput> {
  const input: GuildInput = {};
  const one = (flag: string): string | undefined => {
    const values = flags.get(flag);
    if (values === undefined) return undefined;
    if (values.length === 0) throw UserError.badRequest(`--${flag} needs a value.`, usage);
    return values.join(' ');
  };
  const day = one('day');
  if (day !== undefined) {
    const d = parseWeekday(day);
    if (d === null) throw UserError.badRequest(`"${day}" is not a weekday.`, usage);
    input.day = d;
  }
  input.time = one('time');
  input.timeZone = one('tz');
  const every = one('every');
  if (every !== undefined) input.everyWeeks = weeksFrom(every, usage);
  input.purpose = one('purpose');
  const channel = one('channel');
  if (channel !== undefined) input.channelId = await channelIdFrom(ctx, inv.teamId, channel);
  const members = flags.get('members');
  if (members !== undefined) input.members = await membersFrom(people, members);
  const sources = one('sources');
  if (sources !== undefined) input.sources = sourcesFrom(sources, usage);
  for (const key of Object.keys(input) as Array<keyof GuildInput>) if (input[key] === undefined) delete input[key];
  return input;
}

function weeksFrom(every: string, usage: string): number {
  const m = /^(\d{1,2})\s*(?:w|wk|wks|week|weeks)?$/i.exec(every);
  if (!m) throw UserError.badRequest(`"--every ${every}" is not a number of weeks.`, usage);
  return Number(m[1]);
}

async function channelIdFrom(ctx: ProductContext, teamId: string, channel: string): Promise<string> {
  const name = channel.replace(/^~/, '').toLowerCase();
  const found = await ctx.api.getChannelByName(teamId, name, false).catch(() => null);
  if (!found) throw UserError.notFound(`There is no channel ~${name} in this team.`);
  return found.Id;
}

/** "incidents,rfcs" or "none" (no live items, only what people queue). */
function sourcesFrom(text: string, usage: string): GuildSource[] {
  const words = text.toLowerCase().split(/[\s,]+/).filter(Boolean);
  const bad = words.filter((w) => w !== 'none' && !(GUILD_SOURCES as readonly string[]).includes(w));
  if (bad.length) throw UserError.badRequest(`Unknown source${bad.length > 1 ? 's' : ''} ${bad.join(', ')}; use ${GUILD_SOURCES.join(', ')} or none.`, usage);
  return words.filter((w) => w !== 'none') as GuildSource[];
}

/** `@alice` becomes a user if one exists, otherwise (like `@sre-team` or `Leadership`) a label. */
async function membersFrom(people: People, values: readonly string[]): Promise<GuildMember[]> {
  const words = values.flatMap((v) => v.split(',')).map((w) => w.trim()).filter(Boolean);
  if (words.length > 50) throw UserError.badRequest('At most 50 members or groups.');
  const members: GuildMember[] = [];
  for (const word of words) {
    if (word.startsWith('@')) {
      const id = await people.resolveUsernames([word]).then(
        (ids) => ids[0]!,
        () => null,
      );
      if (id) {
        members.push({ kind: 'user', userId: id });
        continue;
      }
    }
    if (word.length > 100) throw UserError.badRequest('A member or group name is at most 100 characters.');
    members.push({ kind: 'label', text: word });
  }
  return members;
}
