import type { CommandInvocation, CommandResult, CommandSpec, SubcommandSpec } from '../shared/commands';
import { ephemeral, parsePositiveInt } from '../shared/commands';
import { UserError } from '../shared/errors';
import { humanDuration, type People, utcStamp } from '../shared/people';
import { IDEA_NUMBER_PATTERN, RFC_NUMBER_PATTERN } from '../shared/references';
import { RFC_STATUSES, type RfcStatus, STATUS_LABEL } from './lifecycle';
import { type Rfc, rfcReference } from './schema';
import type { Decision, RfcService } from './service';

/** `/rfc …`: parsing and wording only; the lifecycle rules live in lifecycle.ts and the service. */
export function rfcCommand(rfcs: RfcService, now: () => number): CommandSpec {
  const decision = (name: Decision, help: string): SubcommandSpec => ({
    name,
    usage: '<n> [reason]',
    help,
    run: async (inv) => {
      const n = rfcNumber(inv);
      const reason = afterFirst(inv.rest) || null;
      const rfc = await rfcs.decide(inv.userId, inv.teamId, n, name, reason);
      return ephemeral(`${rfcReference(n)} is now **${STATUS_LABEL[rfc.status]}**.`);
    },
  });

  return {
    trigger: 'rfc',
    description: 'RFCs: propose, review with sign-offs and concerns, decide, supersede',
    subcommands: [
      {
        name: 'new',
        usage: '<title> [doc link] [--idea <n>] [--no-thread]',
        help: 'Open a Draft RFC (team-numbered) with a discussion thread in this channel',
        valueFlags: ['idea'],
        run: async (inv) => {
          const words = [...inv.positional];
          const docUrl = words.length && /^https?:\/\//i.test(words.at(-1)!) ? words.pop()! : null;
          const idea = inv.flags.get('idea');
          const ideaNumber = idea === undefined ? null : parsePositiveInt(String(idea), IDEA_NUMBER_PATTERN, 'an idea number', `${inv.path} <title> --idea <n>`);
          const rfc = await rfcs.create(inv.userId, inv.teamId, { title: words.join(' '), docUrl, channelId: inv.flags.has('no-thread') ? null : inv.channelId, ideaNumber });
          return ephemeral(
            `Opened ${rfcReference(rfc.number)} “${rfc.title}” as Draft.${ideaNumber ? ` Linked to IDEA-${ideaNumber}.` : ''}\nStart the review: \`/rfc review ${rfc.number} @reviewer … [--days N]\``,
          );
        },
      },
      {
        name: 'review',
        usage: '<n> @reviewer… [--days N]',
        help: 'Put it in review with a comment period; reviewers are asked in the thread',
        valueFlags: ['days'],
        run: async (inv) => {
          const n = rfcNumber(inv);
          const usage = `${inv.path} <n> @reviewer… [--days N]`;
          const days = inv.flags.get('days');
          const period = days === undefined ? null : parsePositiveInt(String(days), /^(\d+)$/, 'a number of days', usage);
          const names = inv.positional.slice(1);
          const bad = names.find((t) => !/^@?[a-z0-9._-]+,?$/i.test(t));
          if (bad) throw UserError.badRequest(`"${bad}" is not a @username.`, usage);
          const reviewers = await rfcs.people().resolveUsernames(names);
          const rfc = await rfcs.startReview(inv.userId, inv.teamId, n, reviewers, period);
          return ephemeral(`${rfcReference(n)} is In review until ${utcStamp(rfc.commentPeriod!.endsAt)} with ${rfc.reviewers.length} reviewer${rfc.reviewers.length > 1 ? 's' : ''}.`);
        },
      },
      {
        name: 'approve',
        usage: '<n>',
        help: 'Sign off as a reviewer',
        run: async (inv) => {
          const n = rfcNumber(inv);
          const rfc = await rfcs.approve(inv.userId, inv.teamId, n);
          const missing = rfc.reviewers.filter((r) => r.signedOffAt === null).length;
          return ephemeral(`Signed off on ${rfcReference(n)}. ${missing ? `${missing} reviewer${missing > 1 ? 's' : ''} still to sign off.` : 'All reviewers have signed off.'}`);
        },
      },
      {
        name: 'concern',
        usage: '<n> <text>',
        help: 'Raise a concern; open concerns block acceptance',
        run: async (inv) => {
          const n = rfcNumber(inv);
          const { concernId } = await rfcs.raiseConcern(inv.userId, inv.teamId, n, afterFirst(inv.rest));
          return ephemeral(`Raised concern #${concernId} on ${rfcReference(n)}.`);
        },
      },
      {
        name: 'resolve',
        usage: '<n> <concern-id> [resolution]',
        help: 'Resolve a concern (whoever raised it, the owner or an approver)',
        run: async (inv) => {
          const n = rfcNumber(inv);
          const usage = `${inv.path} <n> <concern-id> [resolution]`;
          if (!inv.positional[1]) throw UserError.badRequest('Say which concern (its number).', usage);
          const id = parsePositiveInt(inv.positional[1], /^#?(\d+)$/, 'a concern number such as 2', usage);
          const rfc = await rfcs.resolveConcern(inv.userId, inv.teamId, n, id, afterFirst(afterFirst(inv.rest)) || null);
          const open = rfc.concerns.filter((c) => c.resolvedAt === null).length;
          return ephemeral(`Resolved concern #${id} on ${rfcReference(n)}. ${open ? `${open} still open.` : 'No open concerns remain.'}`);
        },
      },
      decision('accept', 'Accept (owner or approver): needs no open concerns, and all sign-offs or the comment period over'),
      decision('reject', 'Reject (owner or approver)'),
      decision('postpone', 'Postpone (owner or approver); review it again later'),
      decision('withdraw', 'Withdraw (owner)'),
      {
        name: 'supersede',
        usage: '<n> by <m>',
        help: 'Mark an accepted RFC superseded by a newer one (lineage kept on both)',
        run: async (inv) => {
          const usage = `${inv.path} <n> by <m>`;
          if (inv.positional.length !== 3 || inv.positional[1]!.toLowerCase() !== 'by') throw UserError.badRequest('Say which RFC supersedes it.', usage);
          const n = rfcNumber(inv);
          const m = parsePositiveInt(inv.positional[2]!, RFC_NUMBER_PATTERN, 'an RFC number such as 7 or RFC-007', usage);
          await rfcs.supersede(inv.userId, inv.teamId, n, m);
          return ephemeral(`${rfcReference(n)} is superseded by ${rfcReference(m)}.`);
        },
      },
      {
        name: 'reviewed',
        usage: '<n>',
        help: 'Confirm an accepted RFC still describes the current state (sets "last reviewed")',
        run: async (inv) => {
          const n = rfcNumber(inv);
          await rfcs.markReviewed(inv.userId, inv.teamId, n);
          return ephemeral(`${rfcReference(n)} marked as reviewed today.`);
        },
      },
      {
        name: 'list',
        usage: '[status] [--mine] [--before <cursor>]',
        help: "List the team's RFCs, newest first",
        valueFlags: ['before'],
        choices: RFC_STATUSES.map((s) => ({ item: s, help: STATUS_LABEL[s] })),
        run: (inv) => listRfcs(rfcs, inv, now()),
      },
      {
        name: 'show',
        usage: '<n>',
        help: 'Show an RFC: status, reviewers, concerns, outcome, lineage',
        run: async (inv) => {
          const people = rfcs.people();
          const rfc = await rfcs.load(inv.userId, inv.teamId, rfcNumber(inv), people);
          return ephemeral(await showRfc(rfc, people, now()));
        },
      },
    ],
  };
}

async function listRfcs(rfcs: RfcService, inv: CommandInvocation, now: number): Promise<CommandResult> {
  const usage = `${inv.path} [${RFC_STATUSES.join('|')}] [--mine] [--before <cursor>]`;
  const word = inv.positional.join(' ').toLowerCase().replace(/[\s-]+/g, '_');
  const status = word === '' || word === 'all' ? null : (RFC_STATUSES as readonly string[]).includes(word) ? (word as RfcStatus) : undefined;
  if (status === undefined) throw UserError.badRequest(`Unknown status "${inv.positional.join(' ')}".`, usage);
  const before = inv.flags.get('before');
  const cursor = before === undefined ? null : parsePositiveInt(String(before), /^(\d+)$/, 'a cursor from the previous page', usage);
  const mine = inv.flags.has('mine');
  const { rfcs: found, next } = await rfcs.list(inv.userId, inv.teamId, { status, mine, before: cursor });
  const people = rfcs.people();
  const lines = await Promise.all(found.map(async (r) => `- ${rfcReference(r.number)} ${r.title} — ${STATUS_LABEL[r.status]} · @${await people.username(r.ownerId)}${periodNote(r, now)}`));
  if (lines.length === 0) lines.push('None.');
  if (next !== null) lines.push(`More: \`/rfc list ${status ?? 'all'}${mine ? ' --mine' : ''} --before ${next}\``);
  return ephemeral([`**RFCs${status ? ` — ${STATUS_LABEL[status]}` : ''}${mine ? ' (yours)' : ''}**`, ...lines].join('\n'));
}

function periodNote(r: Rfc, now: number): string {
  if (r.status !== 'in_review' || !r.commentPeriod) return '';
  const left = r.commentPeriod.endsAt - now;
  return left > 0 ? ` · ${humanDuration(left)} left` : ' · comment period over';
}

async function showRfc(r: Rfc, people: People, now: number): Promise<string> {
  const lines = [
    `#### ${rfcReference(r.number)} ${r.title}`,
    `**${STATUS_LABEL[r.status]}** · owner @${await people.username(r.ownerId)} · opened ${utcStamp(r.createdAt)}${r.docUrl ? ` · [document](${r.docUrl})` : ''}`,
  ];
  if (r.commentPeriod) {
    const left = r.commentPeriod.endsAt - now;
    lines.push(`Comment period: ${utcStamp(r.commentPeriod.startedAt)} → ${utcStamp(r.commentPeriod.endsAt)}${r.status === 'in_review' ? (left > 0 ? ` (${humanDuration(left)} left)` : ' (over)') : ''}`);
  }
  if (r.reviewers.length) {
    const marks = await Promise.all(r.reviewers.map(async (x) => `@${await people.username(x.userId)} ${x.signedOffAt ? '✅ signed off' : '⏳ pending'}`));
    lines.push(`Reviewers: ${marks.join(', ')}`);
  }
  for (const c of r.concerns) {
    const state = c.resolvedAt ? `resolved by @${await people.username(c.resolvedBy!)}${c.resolution ? `: ${c.resolution}` : ''}` : '**open — blocks acceptance**';
    lines.push(`Concern #${c.id} (@${await people.username(c.raisedBy)}): ${c.text} — ${state}`);
  }
  if (r.outcome) lines.push(`Outcome: ${STATUS_LABEL[r.outcome.status]} by @${await people.username(r.outcome.by)} on ${utcStamp(r.outcome.at)}${r.outcome.reason ? ` — ${r.outcome.reason}` : ''}`);
  if (r.supersedes.length) lines.push(`Supersedes ${r.supersedes.map(rfcReference).join(', ')}`);
  if (r.supersededBy) lines.push(`Superseded by ${rfcReference(r.supersededBy)}`);
  if (r.lastReviewedAt) lines.push(`Last reviewed ${utcStamp(r.lastReviewedAt)} (${humanDuration(now - r.lastReviewedAt)} ago)`);
  if (r.ideaNumber) lines.push(`From idea IDEA-${r.ideaNumber}`);
  return lines.join('\n');
}

function rfcNumber(inv: CommandInvocation): number {
  const usage = `${inv.path} <n>`;
  const token = inv.positional[0];
  if (!token) throw UserError.badRequest('Say which RFC (its number).', usage);
  return parsePositiveInt(token, RFC_NUMBER_PATTERN, 'an RFC number such as 7 or RFC-007', usage);
}


const afterFirst = (text: string): string => text.replace(/^\s*\S+\s*/, '').trim();
