import type { CommandInvocation, CommandResult, CommandSpec } from '../shared/commands';
import { ephemeral, parsePositiveInt } from '../shared/commands';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { utcStamp } from '../shared/people';
import { IDEA_NUMBER_PATTERN, RFC_NUMBER_PATTERN, rfcReference } from '../shared/references';
import { renderBoard } from './board';
import { type Idea, ideaReference, pickSettings } from './schema';
import { capital, type ListFilter, nextStepFor, type PickService, resultLine } from './service';
import { QUADRANTS } from './stats';
import { statusOf } from './store';

const LIST_FILTERS: readonly ListFilter[] = [...QUADRANTS, 'open', 'all', 'archived'];

/** `/pick …`: parsing and wording only; every rule lives in PickService. */
export function pickCommand(ctx: ProductContext, pick: PickService): CommandSpec {
  return {
    trigger: 'pick',
    description: 'PICK prioritisation: add ideas, score payoff and cost privately, reveal, chart',
    subcommands: [
      {
        name: 'add',
        usage: '<idea>',
        help: 'Add an idea in this channel; its members are asked to score it',
        run: async (inv) => {
          const idea = await pick.add(inv.userId, inv.channelId, inv.rest);
          const asked = idea.asked.length ? `${idea.asked.length === 1 ? '1 channel member is' : `${idea.asked.length} channel members are`} asked to score it; it reveals itself once all have.` : 'Reveal it with `/pick reveal` once enough people have scored.';
          return ephemeral(`Added ${ideaReference(idea.number)} “${idea.title}”. ${asked}\nScore it: \`/pick score ${idea.number} payoff=<1-10> cost=<1-10>\``);
        },
      },
      {
        name: 'score',
        usage: '<id> payoff=<1-10> cost=<1-10>',
        help: 'Score an idea privately (cost means cost/risk); you may change it until the reveal',
        run: async (inv) => {
          const n = ideaNumber(inv, 'score');
          const { payoff, cost } = parseScore(inv.positional.slice(1), `${inv.path} <id> payoff=<1-10> cost=<1-10>`);
          const { idea, autoRevealed } = await pick.score(inv.userId, inv.teamId, n, payoff, cost);
          const status = autoRevealed ? 'Everyone asked has scored, so it is revealed now.' : `${Object.keys(idea.scores).length}${idea.asked.length ? `/${idea.asked.length}` : ''} scored so far; scores stay private until the reveal.`;
          return ephemeral(`Your score for ${ideaReference(n)}: payoff ${payoff}, cost ${cost}. ${status}`);
        },
      },
      {
        name: 'reveal',
        usage: '<id>',
        help: "Reveal an idea's scores (owner or admin): median, spread and quadrant",
        run: async (inv) => {
          const idea = await pick.reveal(inv.userId, inv.teamId, ideaNumber(inv, 'reveal'));
          return ephemeral(`Revealed ${ideaReference(idea.number)}: ${resultLine(idea.revealed!)}\n${nextStepFor(idea)}`.trim());
        },
      },
      {
        name: 'list',
        usage: '[possible|implement|challenge|kill|open|archived] [--team] [--before <cursor>]',
        help: "List this channel's ideas (or the team's with --team), newest first",
        valueFlags: ['before'],
        choices: LIST_FILTERS.map((f) => ({ item: f })),
        run: async (inv) => list(pick, inv),
      },
      {
        name: 'show',
        usage: '<id>',
        help: 'Show an idea: status, your score, results of every round',
        run: async (inv) => {
          const people = pick.people();
          const idea = await pick.load(inv.userId, inv.teamId, ideaNumber(inv, 'show'), people);
          return ephemeral(showIdea(idea, inv.userId, await people.username(idea.ownerId)));
        },
      },
      {
        name: 'board',
        usage: '',
        help: "The channel's PICK chart (opens the sidebar chart where the webapp is present)",
        run: async (inv) => {
          const channel = await pick.people().channel(inv.channelId);
          const ideas = await pick.board(inv.userId, inv.teamId, inv.channelId);
          await ctx.events.publish('pick_board_opened', { teamId: inv.teamId, channelId: inv.channelId }, { userId: inv.userId });
          return ephemeral(renderBoard(channel?.Name ?? inv.channelId, ideas, pickSettings(ctx.settings()).threshold));
        },
      },
      {
        name: 'link',
        usage: '<id> rfc <n>',
        help: 'Link an idea to the RFC that takes it forward',
        run: async (inv) => {
          const n = ideaNumber(inv, 'link');
          const usage = `${inv.path} <id> rfc <n>`;
          if (inv.positional[1]?.toLowerCase() !== 'rfc' || inv.positional.length !== 3) throw UserError.badRequest('Say which RFC.', usage);
          const rfc = parsePositiveInt(inv.positional[2]!, RFC_NUMBER_PATTERN, 'an RFC number such as 7 or RFC-007', usage);
          const { rfcTitle } = await pick.link(inv.userId, inv.teamId, n, rfc);
          return ephemeral(`Linked ${ideaReference(n)} to ${rfcReference(rfc)} “${rfcTitle}”.`);
        },
      },
      {
        name: 'archive',
        usage: '<id> <reason>',
        help: 'Archive an idea with a reason (owner or admin)',
        run: async (inv) => {
          const n = ideaNumber(inv, 'archive');
          const reason = inv.rest.replace(/^\s*\S+\s*/, '');
          await pick.archive(inv.userId, inv.teamId, n, reason);
          return ephemeral(`Archived ${ideaReference(n)}.`);
        },
      },
      {
        name: 'rescore',
        usage: '<id>',
        help: 'Start a new scoring round (owner or admin); earlier rounds stay in the history',
        run: async (inv) => {
          const idea = await pick.rescore(inv.userId, inv.teamId, ideaNumber(inv, 'rescore'));
          return ephemeral(`Round ${idea.round} of ${ideaReference(idea.number)} is open: \`/pick score ${idea.number} payoff=<1-10> cost=<1-10>\``);
        },
      },
    ],
  };
}

async function list(pick: PickService, inv: CommandInvocation): Promise<CommandResult> {
  const usage = `${inv.path} [${LIST_FILTERS.join('|')}] [--team] [--before <cursor>]`;
  const word = (inv.positional[0] ?? 'all').toLowerCase();
  if (!LIST_FILTERS.includes(word as ListFilter) || inv.positional.length > 1) throw UserError.badRequest(`Unknown filter "${inv.positional.join(' ')}".`, usage);
  const before = inv.flags.get('before');
  const cursor = before === undefined ? null : parsePositiveInt(String(before), /^(\d+)$/, 'a cursor from the previous page', usage);
  const team = inv.flags.has('team');
  const { ideas, next } = await pick.list(inv.userId, { teamId: inv.teamId, channelId: team ? null : inv.channelId, filter: word as ListFilter, before: cursor });
  const title = `**Ideas${word === 'all' ? '' : ` — ${word}`} ${team ? 'in this team' : 'in this channel'}**`;
  const lines = ideas.map((i) => `- ${ideaReference(i.number)} ${i.title} — ${summary(i)}`);
  if (lines.length === 0) lines.push(next === null ? 'None.' : 'None among the newest ideas looked at; older ones may match.');
  if (next !== null) lines.push(`More: \`/pick list ${word}${team ? ' --team' : ''} --before ${next}\``);
  return ephemeral([title, ...lines].join('\n'));
}

function summary(idea: Idea): string {
  const status = statusOf(idea);
  if (status === 'archived') return `archived: ${idea.archived!.reason}`;
  if (status === 'open') return `being scored (${Object.keys(idea.scores).length}${idea.asked.length ? `/${idea.asked.length}` : ''})`;
  const r = idea.revealed!;
  return `${capital(r.quadrant)} · payoff ${r.payoff.median} · cost ${r.cost.median} · n=${r.count}${r.disputed ? ' · ⚠ disputed' : ''}`;
}

function showIdea(idea: Idea, viewer: string, owner: string): string {
  const mine = idea.scores[viewer];
  const lines = [
    `#### ${ideaReference(idea.number)} ${idea.title}`,
    `Owner @${owner} · added ${utcStamp(idea.createdAt)} · round ${idea.round} · ${statusOf(idea)}`,
  ];
  if (!idea.revealed && !idea.archived) {
    lines.push(`Scored: ${Object.keys(idea.scores).length}${idea.asked.length ? ` of ${idea.asked.length} asked` : ''}. Scores stay private until the reveal.`);
  }
  lines.push(mine ? `Your score: payoff ${mine.payoff}, cost ${mine.cost}` : 'You have not scored this round.');
  if (idea.revealed) lines.push(`Round ${idea.revealed.round}: ${resultLine(idea.revealed)}`);
  for (const r of [...idea.history].reverse()) lines.push(`Round ${r.round} (earlier): ${resultLine(r)}`);
  if (idea.rfcNumber) lines.push(`Linked to ${rfcReference(idea.rfcNumber)}`);
  if (idea.archived) lines.push(`Archived ${utcStamp(idea.archived.at)}: ${idea.archived.reason}`);
  const next = nextStepFor(idea);
  if (next && !idea.archived) lines.push(next);
  return lines.join('\n');
}

function ideaNumber(inv: CommandInvocation, sub: string): number {
  const usage = `/pick ${sub} <id>`;
  const token = inv.positional[0];
  if (!token) throw UserError.badRequest('Say which idea (its number).', usage);
  return parsePositiveInt(token, IDEA_NUMBER_PATTERN, 'an idea number such as 12 or IDEA-12', usage);
}

/** `payoff=7 cost=3` in any order (also p=7 c=3), or two bare numbers: payoff then cost. */
export function parseScore(tokens: readonly string[], usage: string): { payoff: number; cost: number } {
  const values: { payoff?: number; cost?: number } = {};
  const bare: string[] = [];
  for (const token of tokens) {
    const m = /^(payoff|p|cost|c|risk)\s*[=:]\s*(.*)$/i.exec(token);
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
  if (bare.length > 0) throw UserError.badRequest(`Did not understand "${bare.join(' ')}".`, usage);
  if (values.payoff === undefined || values.cost === undefined) throw UserError.badRequest('Give both payoff and cost.', usage);
  return { payoff: values.payoff, cost: values.cost };
}

function toScore(text: string, axis: string, usage: string): number {
  const n = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 10)) throw UserError.badRequest(`${axis} must be a whole number from 1 to 10, not "${text}".`, usage);
  return n;
}
