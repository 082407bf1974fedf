import { IDEA_FILTERS, type IdeaFilter } from '../contract/pick';
import type { CommandInvocation, CommandResult, CommandSpec } from '../shared/commands';
import { ephemeral, parsePositiveInt } from '../shared/commands';
import type { Access } from '../shared/access/policy';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { People } from '../shared/people';
import { IDEA_NUMBER_PATTERN, RFC_NUMBER_PATTERN } from '../shared/references';
import { renderBoard } from './board';
import * as text from './messages';
import { ERRORS, HELP, USAGE } from './messages';
import type { PickService } from './service';
import { PAGE_SIZE } from './service';
import { pickSettings } from './settings';

/** `/pick …`: parsing and wording only; every rule lives in the use cases and policy.ts. */
export function pickCommand(ctx: ProductContext, pick: PickService): CommandSpec {
  return {
    trigger: 'pick',
    description: HELP.description,
    subcommands: [
      {
        name: 'add',
        usage: '<idea>',
        help: HELP.add,
        // No flags: the title is the text as typed (apostrophes, `--words` and all).
        run: async (inv) => ephemeral(text.added(await pick.add(ctx.access(), inv.userId, inv.channelId, inv.text))),
      },
      {
        name: 'score',
        usage: '<id> payoff=<1-10> cost=<1-10>',
        help: HELP.score,
        run: async (inv) => {
          const n = ideaNumber(inv, USAGE.score);
          const { payoff, cost } = parseScore(inv.positional.slice(1), USAGE.score);
          const { access, teamId } = await caller(ctx, inv);
          const { idea, autoRevealed, previous } = await pick.score(access, inv.userId, teamId, n, payoff, cost);
          return ephemeral(text.scored(idea, payoff, cost, autoRevealed, previous));
        },
      },
      {
        name: 'reveal',
        usage: '<id>',
        help: HELP.reveal,
        run: async (inv) => {
          const n = onlyIdeaNumber(inv, USAGE.reveal);
          const { access, teamId } = await caller(ctx, inv);
          return ephemeral(text.revealed(await pick.reveal(access, inv.userId, teamId, n)));
        },
      },
      {
        name: 'list',
        usage: '[possible|implement|challenge|kill|open|all|archived] [--team] [--before <cursor>]',
        help: HELP.list,
        valueFlags: ['before'],
        booleanFlags: ['team'],
        choices: IDEA_FILTERS.map((f) => ({ item: f })),
        run: async (inv) => list(ctx, pick, inv),
      },
      {
        name: 'show',
        usage: '<id>',
        help: HELP.show,
        run: async (inv) => {
          const n = onlyIdeaNumber(inv, USAGE.show);
          const { access, teamId } = await caller(ctx, inv);
          const idea = await pick.get(access, inv.userId, teamId, n);
          const [owner, rfcTitle] = await Promise.all([new People(ctx.api).username(idea.ownerId), pick.rfcTitle(inv.userId, idea)]);
          return ephemeral(text.showIdea(idea, inv.userId, owner, rfcTitle));
        },
      },
      {
        name: 'board',
        usage: '',
        help: HELP.board,
        noArguments: true,
        run: async (inv) => {
          const { channelName, teamId, ideas } = await pick.board(ctx.access(), inv.userId, inv.channelId);
          await ctx.events.publish('pick_board_opened', { teamId, channelId: inv.channelId }, { userId: inv.userId });
          return ephemeral(renderBoard(channelName, ideas, pickSettings(ctx.settings()).threshold));
        },
      },
      {
        name: 'link',
        usage: '<id> <rfc>',
        help: HELP.link,
        run: async (inv) => {
          const n = ideaNumber(inv, USAGE.link);
          const rfc = rfcNumber(inv.positional.slice(1));
          const { access, teamId } = await caller(ctx, inv);
          const { rfcTitle, previous, changed } = await pick.link(access, inv.userId, teamId, n, rfc);
          return ephemeral(text.linked(n, rfc, rfcTitle, previous, changed));
        },
      },
      {
        name: 'archive',
        usage: '<id> <reason>',
        help: HELP.archive,
        run: async (inv) => {
          const n = ideaNumber(inv, USAGE.archive);
          const { access, teamId } = await caller(ctx, inv);
          await pick.archive(access, inv.userId, teamId, n, afterFirstWord(inv.text));
          return ephemeral(text.archivedReply(n));
        },
      },
      {
        name: 'rescore',
        usage: '<id>',
        help: HELP.rescore,
        run: async (inv) => {
          const n = onlyIdeaNumber(inv, USAGE.rescore);
          const { access, teamId } = await caller(ctx, inv);
          return ephemeral(text.rescored(await pick.rescore(access, inv.userId, teamId, n)));
        },
      },
    ],
  };
}

async function list(ctx: ProductContext, pick: PickService, inv: CommandInvocation): Promise<CommandResult> {
  const word = (inv.positional[0] ?? 'all').toLowerCase();
  if (!(IDEA_FILTERS as readonly string[]).includes(word) || inv.positional.length > 1) throw UserError.badRequest(ERRORS.unknownFilter(inv.positional.join(' ')), USAGE.list);
  const filter = word as IdeaFilter;
  const before = inv.flags.get('before');
  const cursor = before === undefined ? null : parsePositiveInt(String(before), /^(\d{1,15})$/, ERRORS.notACursor, USAGE.list);
  const team = inv.flags.has('team');
  const query = { filter, before: cursor, limit: PAGE_SIZE };
  const { access, teamId } = await caller(ctx, inv);
  const { ideas, next } = team ? await pick.teamPage(access, inv.userId, teamId, query) : await pick.channelPage(access, inv.userId, inv.channelId, null, query);
  const lines = [text.listTitle(filter, team), ...ideas.map(text.listLine)];
  if (ideas.length === 0) lines.push(text.listEmpty(next !== null));
  if (next !== null) lines.push(text.listMore(filter, team, String(next)));
  return ephemeral(lines.join('\n'));
}

/**
 * One Access for the invocation, and the team numbers resolve in: the channel's own team (a team
 * channel's team is the channel's, whatever the client says), or the client's current team in a
 * direct message.
 */
async function caller(ctx: ProductContext, inv: CommandInvocation): Promise<{ access: Access; teamId: string }> {
  const access = ctx.access();
  const channel = await access.channel(inv.channelId);
  return { access, teamId: channel?.TeamId || inv.teamId };
}

/** The idea's number from the first word: 12, #12 or IDEA-12. */
function ideaNumber(inv: CommandInvocation, usage: string): number {
  const token = inv.positional[0];
  if (!token) throw UserError.badRequest(ERRORS.sayWhichIdea, usage);
  return parsePositiveInt(token, IDEA_NUMBER_PATTERN, ERRORS.notAnIdeaNumber, usage);
}

/** For subcommands that take the number and nothing else. */
function onlyIdeaNumber(inv: CommandInvocation, usage: string): number {
  const n = ideaNumber(inv, usage);
  if (inv.positional.length > 1) throw UserError.badRequest(ERRORS.didNotUnderstand(inv.positional.slice(1).join(' ')), usage);
  return n;
}

/** `RFC-001`, `rfc-1`, `7`, or `rfc 1` / `rfc RFC-001` as two words. */
export function rfcNumber(words: readonly string[]): number {
  const tokens = words[0]?.toLowerCase() === 'rfc' ? words.slice(1) : words;
  if (tokens.length === 0) throw UserError.badRequest(ERRORS.sayWhichRfc, USAGE.link);
  if (tokens.length > 1) throw UserError.badRequest(ERRORS.didNotUnderstand(tokens.slice(1).join(' ')), USAGE.link);
  return parsePositiveInt(tokens[0]!, RFC_NUMBER_PATTERN, ERRORS.notAnRfcNumber, USAGE.link);
}

/** The text as typed after its first word (the idea number): the archive reason. */
function afterFirstWord(typed: string): string {
  const trimmed = typed.trimStart();
  const space = trimmed.search(/\s/);
  return space < 0 ? '' : trimmed.slice(space).trim();
}

/** `payoff=7 cost=3` in any order (also p=7 c=3), or two bare numbers: payoff then cost. */
export function parseScore(tokens: readonly string[], usage: string): { payoff: number; cost: number } {
  const values: { payoff?: number; cost?: number } = {};
  const bare: string[] = [];
  for (const token of tokens) {
    const m = /^(payoff|p|cost|c|risk)[=:](.*)$/i.exec(token);
    if (!m) {
      bare.push(token);
      continue;
    }
    const axis = m[1]!.toLowerCase().startsWith('p') ? 'payoff' : 'cost';
    values[axis] = toScore(m[2]!, axis, usage);
  }
  if (bare.length === 2 && values.payoff === undefined && values.cost === undefined) {
    return { payoff: toScore(bare[0]!, 'payoff', usage), cost: toScore(bare[1]!, 'cost', usage) };
  }
  if (bare.length > 0) throw UserError.badRequest(ERRORS.didNotUnderstand(bare.join(' ')), usage);
  if (values.payoff === undefined || values.cost === undefined) throw UserError.badRequest(ERRORS.giveBothScores, usage);
  return { payoff: values.payoff, cost: values.cost };
}

function toScore(value: string, axis: string, usage: string): number {
  const n = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 10)) throw UserError.badRequest(ERRORS.scoreRange(axis, value.slice(0, 20)), usage);
  return n;
}
