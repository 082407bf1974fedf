import type { CommandInvocation, CommandResult, CommandSpec, SubcommandSpec } from '../shared/commands';
import { ephemeral, parsePositiveInt } from '../shared/commands';
import { UserError } from '../shared/errors';
import { IDEA_NUMBER_PATTERN, RFC_NUMBER_PATTERN } from '../shared/references';
import { checkCount } from '../shared/text/limits';
import { RFC_STATUSES, type RfcStatus, STATUS_LABEL } from './lifecycle';
import { ERR, HELP, listText, reply, showText, USAGE } from './messages';
import { LIMITS } from './records';
import type { RfcService } from './service';
import { missingSignoffs } from './views';

/** `/rfc …`: parsing and replies only; the rules live in lifecycle.ts, policy.ts and the service. */
export function rfcCommand(rfcs: RfcService, now: () => number): CommandSpec {
  const decision = (name: 'accept' | 'reject' | 'postpone' | 'withdraw'): SubcommandSpec => ({
    name,
    usage: USAGE.decision,
    help: HELP[name],
    run: async (inv) => {
      const n = rfcNumber(inv);
      const rfc = await rfcs.decide(inv.userId, inv.teamId, n, name, afterFirst(inv.text) || null);
      return ephemeral(reply.decided(n, rfc.status));
    },
  });

  return {
    trigger: 'rfc',
    description: HELP.command,
    subcommands: [
      {
        name: 'new',
        usage: USAGE.new,
        help: HELP.new,
        valueFlags: ['idea'],
        booleanFlags: ['no-thread'],
        run: async (inv) => {
          const { title, docUrl } = splitDocLink(inv.text);
          const idea = inv.flags.get('idea');
          const ideaNumber = idea === undefined ? null : parsePositiveInt(String(idea), IDEA_NUMBER_PATTERN, ERR.notIdeaNumber, `${inv.path} <title> --idea <n>`);
          const thread = !inv.flags.has('no-thread');
          const { rfc, warnings } = await rfcs.open(inv.userId, inv.teamId, { title, docUrl, channelId: inv.channelId, thread, ideaNumber });
          return ephemeral([reply.opened(rfc.number, rfc.title, warnings.length ? null : ideaNumber, thread), ...warnings].join('\n'));
        },
      },
      {
        name: 'review',
        usage: USAGE.review,
        help: HELP.review,
        valueFlags: ['days'],
        run: async (inv) => {
          const n = rfcNumber(inv);
          const usage = `${inv.path} ${USAGE.review}`;
          const days = inv.flags.get('days');
          const period = days === undefined ? null : parsePositiveInt(String(days), /^(\d{1,6})$/, ERR.notDays, usage);
          const names = inv.positional.slice(1);
          checkCount(names.length, LIMITS.reviewers, 'reviewers per RFC');
          const bad = names.find((t) => !/^@?[\w.-]{1,64},?$/.test(t));
          if (bad !== undefined) throw UserError.badRequest(ERR.notUsername(bad.slice(0, 80)), usage);
          const people = rfcs.people();
          const reviewers = await people.resolveUsernames(names);
          const r = await rfcs.review(inv.userId, inv.teamId, n, reviewers, period);
          const endsAt = r.rfc.commentPeriod!.endsAt;
          if (r.started) return ephemeral(reply.reviewStarted(n, endsAt, r.rfc.reviewers.length));
          if (r.added.length === 0 && !r.periodMoved) return ephemeral(reply.reviewUnchanged(n, endsAt));
          return ephemeral(reply.reviewChanged(n, await Promise.all(r.added.map((id) => people.username(id))), endsAt, r.periodMoved));
        },
      },
      {
        name: 'approve',
        usage: USAGE.approve,
        help: HELP.approve,
        run: async (inv) => {
          const n = onlyNumber(inv);
          const { rfc, already } = await rfcs.signOff(inv.userId, inv.teamId, n);
          return ephemeral(already ? reply.alreadySignedOff(n) : reply.signedOff(n, missingSignoffs(rfc).length));
        },
      },
      {
        name: 'concern',
        usage: USAGE.concern,
        help: HELP.concern,
        run: async (inv) => {
          const n = rfcNumber(inv);
          const { concernId } = await rfcs.raiseConcern(inv.userId, inv.teamId, n, afterFirst(inv.text));
          return ephemeral(reply.concernRaised(n, concernId));
        },
      },
      {
        name: 'resolve',
        usage: USAGE.resolve,
        help: HELP.resolve,
        run: async (inv) => {
          const n = rfcNumber(inv);
          const usage = `${inv.path} ${USAGE.resolve}`;
          if (!inv.positional[1]) throw UserError.badRequest(ERR.sayWhichConcern, usage);
          const id = parsePositiveInt(inv.positional[1], /^#?(\d{1,6})$/, ERR.notConcernNumber, usage);
          const rfc = await rfcs.resolveConcern(inv.userId, inv.teamId, n, id, afterFirst(afterFirst(inv.text)) || null);
          return ephemeral(reply.concernResolved(n, id, rfc.openConcerns));
        },
      },
      decision('accept'),
      decision('reject'),
      decision('postpone'),
      decision('withdraw'),
      {
        name: 'supersede',
        usage: USAGE.supersede,
        help: HELP.supersede,
        run: async (inv) => {
          const usage = `${inv.path} ${USAGE.supersede}`;
          if (inv.positional.length !== 3 || inv.positional[1]!.toLowerCase() !== 'by') throw UserError.badRequest(ERR.sayWhichSuccessor, usage);
          const n = rfcNumber(inv);
          const m = parsePositiveInt(inv.positional[2]!, RFC_NUMBER_PATTERN, ERR.notRfcNumber, usage);
          await rfcs.supersede(inv.userId, inv.teamId, n, m);
          return ephemeral(reply.superseded(n, m));
        },
      },
      {
        name: 'reviewed',
        usage: USAGE.reviewed,
        help: HELP.reviewed,
        run: async (inv) => {
          const n = onlyNumber(inv);
          await rfcs.markReviewed(inv.userId, inv.teamId, n);
          return ephemeral(reply.markedReviewed(n));
        },
      },
      {
        name: 'list',
        usage: USAGE.list,
        help: HELP.list,
        valueFlags: ['before'],
        booleanFlags: ['mine'],
        choices: RFC_STATUSES.map((s) => ({ item: s, help: STATUS_LABEL[s] })),
        run: (inv) => listRfcs(rfcs, inv, now()),
      },
      {
        name: 'show',
        usage: USAGE.show,
        help: HELP.show,
        run: async (inv) => {
          const rfc = await rfcs.get(inv.userId, inv.teamId, onlyNumber(inv));
          return ephemeral(await showText(rfc, rfcs.people(), now()));
        },
      },
    ],
  };
}

async function listRfcs(rfcs: RfcService, inv: CommandInvocation, now: number): Promise<CommandResult> {
  const usage = `${inv.path} ${USAGE.list}`;
  const typed = inv.positional.join(' ');
  const word = typed.toLowerCase().replace(/[\s-]+/g, '_');
  const status = word === '' || word === 'all' ? null : (RFC_STATUSES as readonly string[]).includes(word) ? (word as RfcStatus) : undefined;
  if (status === undefined) throw UserError.badRequest(ERR.unknownStatus(typed.slice(0, 80)), usage);
  const before = inv.flags.get('before');
  const cursor = before === undefined ? null : parsePositiveInt(String(before), /^(\d{1,15})$/, ERR.notCursor, usage);
  const mine = inv.flags.has('mine');
  const page = await rfcs.list(inv.userId, inv.teamId, { status, mine, cursor });
  const people = rfcs.people();
  const owners = new Map(await Promise.all([...new Set(page.items.map((r) => r.ownerId))].map(async (id) => [id, await people.username(id)] as const)));
  return ephemeral(listText(page.items, owners, { status, mine, next: page.nextCursor }, now));
}

function rfcNumber(inv: CommandInvocation): number {
  const usage = `${inv.path} <n>`;
  const token = inv.positional[0];
  if (!token) throw UserError.badRequest(ERR.sayWhichRfc, usage);
  return parsePositiveInt(token, RFC_NUMBER_PATTERN, ERR.notRfcNumber, usage);
}

/** For subcommands that take the number and nothing else. */
function onlyNumber(inv: CommandInvocation): number {
  const n = rfcNumber(inv);
  if (inv.positional.length > 1) throw UserError.badRequest(ERR.onlyTheNumber(inv.path, inv.positional[1]!.slice(0, 80)), `${inv.path} <n>`);
  return n;
}

/** The free text after its first word, as typed. */
const afterFirst = (text: string): string => text.replace(/^\s*\S+\s*/, '').trim();

/** "Adopt OpenTofu https://docs…" → the title and, when the last word is an http(s) link, the doc link. */
export function splitDocLink(text: string): { title: string; docUrl: string | null } {
  const trimmed = text.trim();
  let cut = trimmed.length;
  while (cut > 0 && !/\s/.test(trimmed[cut - 1]!)) cut--;
  const last = trimmed.slice(cut);
  if (!/^https?:\/\/\S+$/i.test(last)) return { title: trimmed, docUrl: null };
  return { title: trimmed.slice(0, cut).trim(), docUrl: last };
}
