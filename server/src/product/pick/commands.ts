import { IDEA_FILTERS, type IdeaFilter } from '../contract/pick';
import type { CommandInvocation, CommandResult, CommandSpec } from '../shared/commands';
import { ephemeral, parsePositiveInt } from '../shared/commands';
import type { Access } from '../shared/access/policy';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { People } from '../shared/people';
import { leadingReference, type ReferenceAt, type ReferenceKind, referenceKindOf, textAfter } from '../shared/references';
import { renderBoard } from './board';
import * as text from './messages';
import { ERRORS, HELP, USAGE } from './messages';
import type { PickService } from './service';
import { PAGE_SIZE } from './service';
import { parseSettings } from './settings';

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
          const { number: n, used } = leadingIdea(inv.positional, USAGE.score);
          const { payoff, cost } = parseScore(inv.positional.slice(used), USAGE.score);
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
          return ephemeral(renderBoard(channelName, ideas, parseSettings(ctx.settings()).threshold));
        },
      },
      {
        name: 'link',
        usage: '<id> <rfc>',
        help: HELP.link,
        run: async (inv) => {
          const { number: n, used } = leadingIdea(inv.positional, USAGE.link);
          const rfc = rfcNumber(inv.positional.slice(used));
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
          const { number: n, used } = leadingIdea(inv.positional, USAGE.archive);
          const { access, teamId } = await caller(ctx, inv);
          const idea = await pick.archive(access, inv.userId, teamId, n, textAfter(inv.text, used));
          return ephemeral(text.archivedReply(n, idea.archived!.reason));
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

/**
 * The idea named at the start of the words, in any form (IDEA-7, IDEA-007, idea 7, #7, 7), and
 * how many words it took; anything else is refused with the forms to type.
 */
function leadingIdea(words: readonly string[], usage: string): ReferenceAt {
  if (words.length === 0) throw UserError.badRequest(ERRORS.sayWhichIdea, usage);
  const found = leadingReference('IDEA', words);
  if (!found) throw notA('IDEA', words, usage);
  return found;
}

/** For subcommands that take the idea and nothing else. */
function onlyIdeaNumber(inv: CommandInvocation, usage: string): number {
  const { number, used } = leadingIdea(inv.positional, usage);
  if (inv.positional.length > used) throw UserError.badRequest(ERRORS.didNotUnderstand(inv.positional.slice(used).join(' ').slice(0, 80)), usage);
  return number;
}

/** The RFC after the idea: `RFC-001`, `rfc 1`, `#1`, `1` (and `rfc RFC-001`); nothing after it. */
export function rfcNumber(words: readonly string[]): number {
  if (words.length === 0) throw UserError.badRequest(ERRORS.sayWhichRfc, USAGE.link);
  const found = leadingReference('RFC', words);
  if (!found) throw notA('RFC', words, USAGE.link);
  if (words.length > found.used) throw UserError.badRequest(ERRORS.didNotUnderstand(words.slice(found.used).join(' ').slice(0, 80)), USAGE.link);
  return found.number;
}

/** "… is not an idea" (or "… is an RFC, not an idea"), quoting what was typed. */
function notA(kind: 'IDEA' | 'RFC', words: readonly string[], usage: string): UserError {
  const typed = (PREFIX_WORD.test(words[0]!) && words[1] !== undefined ? `${words[0]} ${words[1]}` : words[0]!).slice(0, 64);
  const other: ReferenceKind | null = referenceKindOf(typed);
  return UserError.badRequest(kind === 'IDEA' ? ERRORS.notAnIdea(typed, other) : ERRORS.notAnRfc(typed, other), usage);
}

const PREFIX_WORD = /^(?:idea|rfc|inc)$/i;

/**
 * `payoff=7 cost=3` in any order (also `p=7 c=3`, `payoff: 7`, `payoff 7 cost 3`; `risk` is
 * cost), or two bare numbers: payoff then cost. An axis given twice is refused, not guessed.
 */
export function parseScore(tokens: readonly string[], usage: string): { payoff: number; cost: number } {
  const values: { payoff?: number; cost?: number } = {};
  const bare: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!.replace(/,$/, '');
    const m = /^(payoff|p|cost|c|risk)(?:[=:](.*))?$/i.exec(token);
    if (!m) {
      bare.push(token);
      continue;
    }
    const axis = m[1]!.toLowerCase().startsWith('p') ? 'payoff' : 'cost';
    let value = m[2];
    if (!value) {
      value = tokens[i + 1]?.replace(/,$/, '');
      if (value === undefined) throw UserError.badRequest(ERRORS.giveBothScores, usage);
      i++;
    }
    if (values[axis] !== undefined) throw UserError.badRequest(ERRORS.axisTwice(axis), usage);
    values[axis] = toScore(value, axis, usage);
  }
  if (bare.length === 2 && values.payoff === undefined && values.cost === undefined) {
    return { payoff: toScore(bare[0]!, 'payoff', usage), cost: toScore(bare[1]!, 'cost', usage) };
  }
  if (bare.length > 0) throw UserError.badRequest(ERRORS.didNotUnderstand(bare.join(' ').slice(0, 80)), usage);
  if (values.payoff === undefined || values.cost === undefined) throw UserError.badRequest(ERRORS.giveBothScores, usage);
  return { payoff: values.payoff, cost: values.cost };
}

function toScore(value: string, axis: string, usage: string): number {
  const n = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 10)) throw UserError.badRequest(ERRORS.scoreRange(axis, value.slice(0, 20)), usage);
  return n;
}
