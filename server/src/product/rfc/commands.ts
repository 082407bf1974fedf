import type { CommandInvocation, CommandResult, CommandSpec, SubcommandSpec } from '../shared/commands';
import { ephemeral, parsePositiveInt, tokenize } from '../shared/commands';
import { UserError } from '../shared/errors';
import { leadingReference, parseReference, type ReferenceAt, referenceKindOf, textAfter } from '../shared/references';
import { checkCount } from '../shared/text/limits';
import { RFC_STATUSES, type RfcStatus, STATUS_LABEL } from './lifecycle';
import { ERR, HELP, listText, reply, showText, USAGE } from './messages';
import { LIMITS } from './records';
import type { RfcService } from './service';
import { pendingReviewers } from './views';

/** `/rfc …`: parsing and replies only; the rules live in lifecycle.ts, policy.ts and the service. */
export function rfcCommand(rfcs: RfcService, now: () => number): CommandSpec {
  const decision = (name: 'accept' | 'reject' | 'postpone' | 'withdraw'): SubcommandSpec => ({
    name,
    usage: USAGE.decision,
    help: HELP[name],
    run: async (inv) => {
      const { number: n, used } = leadingRfc(inv, USAGE.decision);
      const rfc = await rfcs.decide(inv.userId, inv.teamId, n, name, textAfter(inv.text, used) || null);
      return ephemeral(reply.decided(n, rfc.status, rfc.outcome?.reason ?? null));
    },
  });

  const answerAs = (name: 'hold' | 'abstain'): SubcommandSpec => ({
    name,
    usage: USAGE[name],
    help: HELP[name],
    run: async (inv) => {
      const { number: n, used } = leadingRfc(inv, USAGE[name]);
      const { already } = await rfcs.answerReview(inv.userId, inv.teamId, n, name, textAfter(inv.text, used) || null);
      return ephemeral(reply.answered(n, name, already));
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
          // A title typed as one quoted group arrives without its quotes: it is all title.
          const quotedWhole = inv.positional.length === 1 && inv.positional[0] === inv.text && /\s/.test(inv.text);
          const { title, docUrl } = quotedWhole ? { title: inv.text, docUrl: null } : titleAndLink(inv.text, `${inv.path} ${USAGE.new}`);
          const idea = inv.flags.get('idea');
          const ideaNumber = idea === undefined ? null : ideaOf(String(idea), `${inv.path} ${USAGE.new}`);
          const thread = !inv.flags.has('no-thread');
          const opened = await rfcs.open(inv.userId, inv.teamId, { title, docUrl, channelId: inv.channelId, thread, ideaNumber });
          return ephemeral([reply.opened(opened.rfc.number, opened.rfc.title, opened.rfc.docUrl, opened.idea, thread), ...opened.warnings].join('\n'));
        },
      },
      {
        name: 'review',
        usage: USAGE.review,
        help: HELP.review,
        valueFlags: ['days'],
        booleanFlags: ['restart'],
        run: async (inv) => {
          const { number: n, used } = leadingRfc(inv, USAGE.review);
          const usage = `${inv.path} ${USAGE.review}`;
          const days = inv.flags.get('days');
          const period = days === undefined ? null : parsePositiveInt(String(days), /^(\d{1,6})\s*(?:d|days?)?$/i, ERR.notDays, usage);
          const names = inv.positional.slice(used);
          checkCount(names.length, LIMITS.reviewers, 'reviewers per RFC');
          const bad = names.find((t) => !/^@?[\w.-]{1,64},?$/.test(t));
          if (bad !== undefined) throw UserError.badRequest(ERR.notUsername(bad.slice(0, 80)), usage);
          const people = rfcs.people();
          const reviewers = await people.resolveUsernames(names);
          const r = await rfcs.review(inv.userId, inv.teamId, n, reviewers, period, inv.flags.has('restart'));
          const running = r.rfc.commentPeriod!;
          const usernames = (ids: readonly string[]): Promise<string[]> => Promise.all(ids.map((id) => people.username(id)));
          // Every answer names the reviewers it concerns and when the comment period ends.
          if (r.started) return ephemeral(reply.reviewStarted(n, running, await usernames(r.rfc.reviewers.map((x) => x.userId))));
          if (r.restarted) return ephemeral(reply.reviewRestarted(n, running, await usernames(r.added), await usernames(pendingReviewers(r.rfc))));
          if (r.added.length === 0 && !r.periodMoved) return ephemeral(reply.reviewUnchanged(n, running.endsAt));
          return ephemeral(reply.reviewChanged(n, await usernames(r.added), running.endsAt, r.periodMoved));
        },
      },
      {
        name: 'approve',
        usage: USAGE.approve,
        help: HELP.approve,
        run: async (inv) => {
          const n = onlyNumber(inv, USAGE.approve);
          const { rfc, already } = await rfcs.signOff(inv.userId, inv.teamId, n);
          return ephemeral(already ? reply.alreadySignedOff(n) : reply.signedOff(n, pendingReviewers(rfc).length));
        },
      },
      answerAs('hold'),
      answerAs('abstain'),
      {
        name: 'delegate',
        usage: USAGE.delegate,
        help: HELP.delegate,
        booleanFlags: ['none'],
        run: async (inv) => {
          const { number: n, used } = leadingRfc(inv, USAGE.delegate);
          const usage = `${inv.path} ${USAGE.delegate}`;
          const named = inv.positional.slice(used);
          const none = inv.flags.has('none');
          if (none === (named.length === 1) || named.length > 1) throw UserError.badRequest(ERR.sayWhoAnswers, usage);
          const people = rfcs.people();
          const to = none ? null : ((await people.resolveUsernames(named))[0] ?? null);
          const { already } = await rfcs.delegateReview(inv.userId, inv.teamId, n, to);
          return ephemeral(reply.delegated(n, to === null ? null : await people.username(to), already));
        },
      },
      {
        name: 'concern',
        usage: USAGE.concern,
        help: HELP.concern,
        run: async (inv) => {
          const { number: n, used } = leadingRfc(inv, USAGE.concern);
          const { rfc, concernId } = await rfcs.raiseConcern(inv.userId, inv.teamId, n, textAfter(inv.text, used));
          return ephemeral(reply.concernRaised(n, concernId, rfc.concerns.find((c) => c.id === concernId)?.text ?? ''));
        },
      },
      {
        name: 'resolve',
        usage: USAGE.resolve,
        help: HELP.resolve,
        run: async (inv) => {
          const { number: n, used } = leadingRfc(inv, USAGE.resolve);
          const usage = `${inv.path} ${USAGE.resolve}`;
          const word = inv.positional[used];
          if (!word) throw UserError.badRequest(ERR.sayWhichConcern, usage);
          const id = parsePositiveInt(word.slice(0, 40), /^#?(\d{1,6})$/, ERR.notConcernNumber, usage);
          const rfc = await rfcs.resolveConcern(inv.userId, inv.teamId, n, id, textAfter(inv.text, used + 1) || null);
          return ephemeral(reply.concernResolved(n, id, rfc.openConcerns, rfc.concerns.find((c) => c.id === id)?.resolution ?? null));
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
          const { number: n, used } = leadingRfc(inv, USAGE.supersede);
          const after = inv.positional.slice(used);
          if (after.length < 2 || after[0]!.toLowerCase() !== 'by') throw UserError.badRequest(ERR.sayWhichSuccessor, usage);
          const m = rfcOf(after.slice(1).join(' '), usage);
          await rfcs.supersede(inv.userId, inv.teamId, n, m);
          return ephemeral(reply.superseded(n, m));
        },
      },
      {
        name: 'reviewed',
        usage: USAGE.reviewed,
        help: HELP.reviewed,
        run: async (inv) => {
          const n = onlyNumber(inv, USAGE.reviewed);
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
          const rfc = await rfcs.get(inv.userId, inv.teamId, onlyNumber(inv, USAGE.show));
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

/**
 * The RFC named at the start of the arguments, in any form (RFC-7, RFC-007, rfc 7, #7, 7), and
 * how many words it took; anything else is refused with the forms to type.
 */
function leadingRfc(inv: CommandInvocation, usage: string): ReferenceAt {
  const words = inv.positional;
  const full = `${inv.path} ${usage}`;
  if (words.length === 0) throw UserError.badRequest(ERR.sayWhichRfc, full);
  const found = leadingReference('RFC', words);
  if (!found) {
    const typed = (/^(?:rfc|idea|inc)$/i.test(words[0]!) && words[1] !== undefined ? `${words[0]} ${words[1]}` : words[0]!).slice(0, 64);
    throw UserError.badRequest(ERR.notAnRfc(typed, referenceKindOf(typed)), full);
  }
  return found;
}

/** For subcommands that take the RFC and nothing else. */
function onlyNumber(inv: CommandInvocation, usage: string): number {
  const { number, used } = leadingRfc(inv, usage);
  if (inv.positional.length > used) throw UserError.badRequest(ERR.onlyTheNumber(inv.path, inv.positional.slice(used).join(' ').slice(0, 80)), `${inv.path} ${usage}`);
  return number;
}

/** The whole text is one RFC reference. */
function rfcOf(text: string, usage: string): number {
  const n = parseReference('RFC', text);
  if (n === null) throw UserError.badRequest(ERR.notAnRfc(text.slice(0, 64), referenceKindOf(text)), usage);
  return n;
}

/** `--idea 7`, `--idea IDEA-7`, `--idea idea 7`. */
function ideaOf(text: string, usage: string): number {
  const n = parseReference('IDEA', text);
  if (n === null) throw UserError.badRequest(ERR.notAnIdea(text.slice(0, 64), referenceKindOf(text)), usage);
  return n;
}

const QUOTES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

/**
 * "Adopt OpenTofu https://docs…" → the title and, when the last word is an http(s) link, the doc
 * link. A last word that looks like a link without its scheme (docs.example.com/x, www.…) is
 * refused with what to type, never kept in the title unasked; a quoted title keeps it.
 */
export function titleAndLink(text: string, usage: string): { title: string; docUrl: string | null } {
  const tokens = tokenize(text);
  /** Token k was a quoted group (its text is not the source at its place: the quotes are gone). */
  const quoted = (k: number): boolean => {
    const t = tokens[k];
    return t !== undefined && QUOTES[text[t.start]!] !== undefined && text.slice(t.start, t.start + t.text.length) !== t.text;
  };
  const last = tokens.at(-1);
  let title = text.trim();
  let docUrl: string | null = null;
  if (last && tokens.length > 1 && !quoted(tokens.length - 1)) {
    if (/^https?:\/\/\S+$/i.test(last.text)) {
      docUrl = last.text;
      title = text.slice(0, last.start).trim();
    } else if (looksLikeLink(last.text)) throw UserError.badRequest(ERR.looksLikeLink(last.text.slice(0, 120)), usage);
  }
  // A title given as one quoted group loses its quotes (`"Ban --no-verify pushes" https://…`).
  const inTitle = docUrl === null ? tokens : tokens.slice(0, -1);
  if (inTitle.length === 1 && quoted(0)) title = inTitle[0]!.text;
  return { title, docUrl };
}

/** docs.example.com/gitops, www.example.com: a host with a dot and a path, or www. */
function looksLikeLink(word: string): boolean {
  if (word.length > 2000) return false;
  const slash = word.indexOf('/');
  const host = slash < 0 ? word : word.slice(0, slash);
  if (host.length > 253) return false;
  if (/^www\./i.test(host) && host.length > 4) return true;
  return slash > 0 && /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/i.test(host);
}
