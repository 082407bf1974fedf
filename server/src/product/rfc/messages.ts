/**
 * Every user-facing text of the RFC feature: command replies and usage, errors, bot posts in the
 * RFC thread, `/infra owe` lines. The use cases and entry points only pick and fill these.
 */
import { type RfcView, rfcReference } from '../contract/rfc';
import { ideaReference, type ReferenceKind } from '../shared/references';
import { humanDuration, utcStamp } from '../shared/time/duration';
import { type RfcAction, RFC_TRANSITIONS, STATUS_LABEL, type RfcStatus } from './lifecycle';

export { rfcReference };

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const DAY = 86_400_000;
/** A long text echoed in a reply: its start, with "…" when cut. */
const echo = (text: string, max = 300): string => {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
};
const days = (ms: number): string => plural(Math.round(ms / DAY), 'day');
const KIND_WORDS: Readonly<Record<ReferenceKind, string>> = { INC: 'an incident', RFC: 'an RFC', IDEA: 'an idea' };
const RFC_FORMS = 'RFC-7, RFC-007, rfc 7, #7 or 7';
const IDEA_FORMS = 'IDEA-7, idea 7, #7 or 7';

// ---- usage ----

export const USAGE = {
  new: '<title> [doc link] [--idea <n>] [--no-thread]',
  review: '<n> @reviewer… [--days N] [--restart]',
  approve: '<n>',
  hold: '<n> [note]',
  abstain: '<n> [note]',
  delegate: '<n> @user | <n> --none',
  concern: '<n> <text>',
  resolve: '<n> <concern-id> [resolution]',
  decision: '<n> [reason]',
  supersede: '<n> by <m>',
  reviewed: '<n>',
  list: '[status] [--mine] [--before <cursor>]',
  show: '<n>',
} as const;

export const HELP = {
  command: 'RFCs: propose, review with sign-offs and concerns, decide, supersede',
  new: 'Open a Draft RFC in this channel, with a discussion thread; it belongs to the channel: whoever can read the channel sees it',
  review: 'Put it in review with a comment period, or add reviewers (only they are asked; the period keeps its end). --days N: end N days from now; --restart: start the period again',
  approve: 'Sign off as a reviewer',
  hold: 'Hold it as a reviewer: acceptance waits until you sign off or abstain',
  abstain: 'Abstain as a reviewer: you no longer count towards the sign-offs needed',
  delegate: 'Let someone else answer for you as a reviewer (--none takes it back)',
  concern: 'Raise a concern; open concerns block acceptance',
  resolve: 'Resolve a concern (whoever raised it, the owner or an approver)',
  accept: 'Accept (owner or approver): needs no open concerns, and all sign-offs or the comment period over',
  reject: 'Reject (owner or approver)',
  postpone: 'Postpone (owner or approver); review it again later',
  withdraw: 'Withdraw (owner)',
  supersede: 'Mark an accepted RFC superseded by a newer one (lineage kept on both)',
  reviewed: 'Confirm an accepted RFC still describes the current state (sets "last reviewed")',
  list: "List the team's RFCs you can see, newest first",
  show: 'Show an RFC: status, reviewers, concerns, outcome, lineage',
} as const;

// ---- policy wording ----

/**
 * How refusals name each role of policy.ts ("Only its owner and approvers (RfcApprovers setting)
 * can …"); its keys are the roles.
 */
export const ROLE_WORDS = {
  owner: 'its owner',
  approver: 'approvers (RfcApprovers setting)',
  reviewer: 'its reviewers',
  raiser: 'whoever raised the concern',
} as const;

/** What each action of policy.ts is called in refusals ("… can accept the RFC."). */
export const ACTION_WORDS: Readonly<Record<RfcAction | 'open' | 'view', string>> = {
  open: 'open an RFC here',
  view: 'see it',
  review: 'start or change the review',
  approve: 'sign off',
  hold: 'hold it',
  abstain: 'abstain',
  delegate: 'delegate a review',
  concern: 'raise a concern',
  resolve: 'resolve a concern',
  accept: 'accept the RFC',
  reject: 'reject the RFC',
  postpone: 'postpone the RFC',
  withdraw: 'withdraw the RFC',
  supersede: 'mark it superseded',
  reviewed: 'confirm it still describes the current state',
};

export const RFC_NOT_FOUND = 'No such RFC.';

// ---- errors ----

/** Also the answer for an RFC the caller may not see: the two are never told apart. */
export const noSuchRfc = (n: number): string => `There is no ${rfcReference(n)} in this team.`;
export const NO_SUCH_CHANNEL = 'No such channel.';
export const NO_SUCH_TEAM = 'No such team.';

/** The lifecycle refuses: the RFC is in the wrong state for `action`. */
export function stateRefusal(action: RfcAction, status: RfcStatus, n: number): string {
  const t = RFC_TRANSITIONS[action];
  if (t.to === status && action !== 'review') return `${rfcReference(n)} is already ${STATUS_LABEL[status]}.`;
  return `${rfcReference(n)}: You cannot ${ACTION_WORDS[action]} while it is ${STATUS_LABEL[status]}; that needs ${t.from.map((s) => STATUS_LABEL[s]).join(' or ')}.`;
}

export const blocked = (action: RfcAction, n: number, why: string): string =>
  `${rfcReference(n)} cannot be ${action === 'accept' ? 'accepted' : 'changed'} yet: ${why}`;

export const guardText = {
  hasReviewers: (): string => 'name at least one reviewer (`/rfc review <n> @reviewer …`).',
  noOpenConcerns: (n: number, open: ReadonlyArray<{ id: number; text: string }>): string => {
    const list = open.map((c) => `#${c.id} “${c.text.slice(0, 80)}”`).join(', ');
    const how = open.length === 1 ? `\`/rfc resolve ${n} ${open[0]!.id}\`` : `\`/rfc resolve ${n} <concern-id>\``;
    return `${plural(open.length, 'open concern')} block${open.length > 1 ? '' : 's'} acceptance: ${list}. Resolve with ${how}.`;
  },
  held: (n: number, who: string): string => `held by ${who}; acceptance waits until they sign off (\`/rfc approve ${n}\`) or abstain.`,
  signedOffOrPeriodOver: (who: string, endsAt: number): string =>
    `waiting for sign-off from ${who}; without it, acceptance opens when the comment period ends (${utcStamp(endsAt)}).`,
};

export const ERR = {
  noTitle: 'Give the RFC a title.',
  badDocUrl: 'The doc link must be an http(s) URL.',
  period: (max: number): string => `The comment period is 1 to ${max} days.`,
  ownerReviews: (name: string, n: number): string => `@${name} owns ${rfcReference(n)} and cannot review it; name someone else.`,
  reviewerCannotSee: (name: string, n: number): string => `@${name} cannot see ${rfcReference(n)} (they are not in its channel), so they could not review it.`,
  reviewerCannotPost: (name: string, n: number): string => `@${name} cannot post in ${rfcReference(n)}'s channel, so they could not sign off or raise concerns there.`,
  tooManyReviewers: (max: number, n: number, now: number, adding: number): string =>
    `At most ${max} reviewers per RFC: ${rfcReference(n)} has ${now} and ${adding} more would be ${now + adding}.`,
  tooManyConcerns: (max: number, n: number): string => `At most ${max} concerns per RFC: ${rfcReference(n)} has that many; resolve or discuss the ones it has.`,
  noConcernText: 'Say what the concern is.',
  onlyReviewersDelegate: (n: number): string => `Only ${rfcReference(n)}'s reviewers can hand their review to someone else.`,
  delegateToSelf: 'You already answer for yourself: name someone else, or `--none` to take a delegation back.',
  sayWhoAnswers: 'Say who answers for you (@user), or `--none` to answer for yourself again.',
  noSuchConcern: (n: number, id: number): string => `${rfcReference(n)} has no concern #${id}.`,
  concernResolved: (n: number, id: number): string => `Concern #${id} on ${rfcReference(n)} is already resolved.`,
  supersedeItself: 'An RFC cannot supersede itself.',
  supersedeCycle: (n: number, by: number): string =>
    `${rfcReference(by)} is itself superseded by ${rfcReference(n)} (directly or through others), so it cannot supersede it.`,
  successorClosed: (by: number, status: RfcStatus): string => `${rfcReference(by)} is ${STATUS_LABEL[status]}; it cannot supersede anything.`,
  lineageFull: (by: number, max: number): string => `${rfcReference(by)} already supersedes ${max} RFCs, the most one RFC can.`,
  sayWhichRfc: `Say which RFC: ${RFC_FORMS}.`,
  sayWhichConcern: 'Say which concern (its number, e.g. 2 or #2).',
  sayWhichSuccessor: 'Say which RFC supersedes it: `/rfc supersede 3 by 7`.',
  /** `kind`: the text names another kind of thing (IDEA-3 where an RFC was wanted). */
  notAnRfc: (text: string, kind: ReferenceKind | null): string =>
    kind && kind !== 'RFC' ? `"${text}" is ${KIND_WORDS[kind]}, not an RFC. Name the RFC as ${RFC_FORMS}.` : `"${text}" is not an RFC. Name one as ${RFC_FORMS}.`,
  notAnIdea: (text: string, kind: ReferenceKind | null): string =>
    kind && kind !== 'IDEA' ? `"${text}" is ${KIND_WORDS[kind]}, not an idea. Name the idea as ${IDEA_FORMS}.` : `"${text}" is not an idea. Name one as ${IDEA_FORMS}.`,
  notLinked: (idea: number, why: string): string => `Not linked to ${ideaReference(idea)}: ${why}`,
  notConcernNumber: 'a concern number such as 2',
  looksLikeLink: (word: string): string =>
    `"${word}" looks like a link: write it with https:// to attach it as the document, or put the title in quotes to keep it in the title.`,
  notDays: 'a number of days',
  notCursor: 'a cursor from the previous page',
  notUsername: (token: string): string => `"${token}" is not a @username.`,
  onlyTheNumber: (path: string, extra: string): string => `\`${path}\` takes only the RFC number; "${extra}" is not expected.`,
  unknownStatus: (word: string): string => `Unknown status "${word}".`,
} as const;

// ---- command replies ----

export const reply = {
  opened: (n: number, title: string, docUrl: string | null, idea: { number: number; replaced: number | null } | null, thread: boolean): string =>
    [
      `Opened ${rfcReference(n)} “${title}” as Draft${thread ? ', with its discussion thread in this channel' : ' (no thread)'}.`,
      ...(docUrl ? [`Document: ${docUrl}`] : []),
      ...(idea ? [`Linked to ${ideaReference(idea.number)}${idea.replaced ? `, replacing its link to ${rfcReference(idea.replaced)}` : ''}.`] : []),
      `Start the review: \`/rfc review ${n} @reviewer … [--days N]\``,
    ].join('\n'),
  reviewStarted: (n: number, period: { startedAt: number; endsAt: number }, reviewers: readonly string[]): string =>
    `${rfcReference(n)} is in review until ${utcStamp(period.endsAt)} (comment period: ${days(period.endsAt - period.startedAt)}); reviewers: ${reviewers.map((r) => `@${r}`).join(', ')}.`,
  reviewChanged: (n: number, added: readonly string[], endsAt: number, moved: boolean): string =>
    [
      added.length ? `Added ${added.map((a) => `@${a}`).join(', ')} as reviewer${added.length > 1 ? 's' : ''} of ${rfcReference(n)} (only they were asked).` : '',
      moved ? `The comment period now ends ${utcStamp(endsAt)}.` : `The comment period still ends ${utcStamp(endsAt)} (\`--days N\` moves it, \`--restart\` starts it again).`,
    ]
      .filter(Boolean)
      .join(' '),
  reviewRestarted: (n: number, period: { startedAt: number; endsAt: number }, added: readonly string[], askedAgain: readonly string[]): string =>
    [
      ...(added.length ? [`Added ${added.map((a) => `@${a}`).join(', ')} as reviewer${added.length > 1 ? 's' : ''} of ${rfcReference(n)}.`] : []),
      `The comment period of ${rfcReference(n)} starts again now and ends ${utcStamp(period.endsAt)} (${days(period.endsAt - period.startedAt)}).`,
      askedAgain.length ? `Sign-offs so far are kept; asked again: ${askedAgain.map((a) => `@${a}`).join(', ')}.` : 'Everyone has signed off already.',
    ].join(' '),
  reviewUnchanged: (n: number, endsAt: number): string =>
    `Nothing changed: everyone named already reviews ${rfcReference(n)}, and its comment period still ends ${utcStamp(endsAt)} (\`--days N\` moves it).`,
  signedOff: (n: number, missing: number): string =>
    `Signed off on ${rfcReference(n)}. ${missing ? `${plural(missing, 'reviewer')} still to sign off.` : 'All reviewers have signed off.'}`,
  alreadySignedOff: (n: number): string => `You had already signed off on ${rfcReference(n)}.`,
  answered: (n: number, answer: 'hold' | 'abstain', already: boolean): string =>
    already
      ? `You had already ${answer === 'hold' ? 'held' : 'abstained on'} ${rfcReference(n)}.`
      : answer === 'hold'
        ? `You hold ${rfcReference(n)}: it cannot be accepted until you sign off (\`/rfc approve ${n}\`) or abstain (\`/rfc abstain ${n}\`).`
        : `You abstain on ${rfcReference(n)}: you no longer count towards the sign-offs it needs.`,
  delegated: (n: number, to: string | null, already: boolean): string =>
    already ? `Nothing changed on ${rfcReference(n)}.` : to === null ? `You answer for yourself on ${rfcReference(n)} again.` : `@${to} may now answer for you on ${rfcReference(n)}.`,
  concernRaised: (n: number, id: number, text: string): string =>
    `Raised concern #${id} on ${rfcReference(n)}: ${echo(text)}\nIt blocks acceptance until resolved (\`/rfc resolve ${n} ${id}\`).`,
  concernResolved: (n: number, id: number, open: number, resolution: string | null): string =>
    `Resolved concern #${id} on ${rfcReference(n)}${resolution ? `: ${echo(resolution)}` : '.'}\n${open ? `${open} still open.` : 'No open concerns remain.'}`,
  decided: (n: number, status: RfcStatus, reason: string | null): string =>
    `${rfcReference(n)} is now **${STATUS_LABEL[status]}**${reason ? `. Reason: ${echo(reason)}` : '.'}`,
  superseded: (n: number, by: number): string => `${rfcReference(n)} is superseded by ${rfcReference(by)}.`,
  markedReviewed: (n: number): string => `${rfcReference(n)} marked as reviewed today.`,
};

// ---- bot posts in the RFC thread (user text in them is passed in already made safe) ----

export const thread = {
  root: (r: Pick<RfcView, 'number' | 'status' | 'docUrl' | 'supersededBy'>, title: string, owner: string): string =>
    [
      `#### ${rfcReference(r.number)} ${title}`,
      `${STATUS_LABEL[r.status]}${r.supersededBy ? ` by ${rfcReference(r.supersededBy)}` : ''} · owner @${owner}${r.docUrl ? ` · [document](${r.docUrl})` : ''}`,
      'Discuss it in this thread.',
    ].join('\n'),
  reviewRequest: (mentions: string, n: number, title: string, endsAt: number): string =>
    `${mentions}: please review ${rfcReference(n)} “${title}” by ${utcStamp(endsAt)} — \`/rfc approve ${n}\` to sign off or \`/rfc concern ${n} <text>\`.`,
  periodMoved: (n: number, endsAt: number, by: string): string => `The comment period of ${rfcReference(n)} now ends ${utcStamp(endsAt)} (@${by}).`,
  periodRestarted: (n: number, endsAt: number, by: string): string =>
    `The comment period of ${rfcReference(n)} starts again now and ends ${utcStamp(endsAt)} (@${by}). Sign-offs so far are kept.`,
  signedOff: (by: string, n: number, missing: number): string =>
    `@${by} signed off on ${rfcReference(n)}. ${missing ? `${plural(missing, 'reviewer')} still to sign off.` : 'All reviewers have signed off.'}`,
  held: (by: string, n: number, note: string | null): string =>
    `@${by} holds ${rfcReference(n)}${note ? `: ${note}` : '.'}\nIt cannot be accepted until they sign off or abstain.`,
  abstained: (by: string, n: number, note: string | null, missing: number): string =>
    `@${by} abstains on ${rfcReference(n)}${note ? `: ${note}` : '.'} ${missing ? `${plural(missing, 'reviewer')} still to sign off.` : 'All reviewers who count have signed off.'}`,
  delegated: (by: string, n: number, to: string | null): string =>
    to === null ? `@${by} answers for themselves on ${rfcReference(n)} again.` : `@${by} lets @${to} answer for them on ${rfcReference(n)}.`,
  concern: (by: string, id: number, n: number, text: string): string =>
    `@${by} raised concern #${id} on ${rfcReference(n)}: ${text}\nIt blocks acceptance until resolved (\`/rfc resolve ${n} ${id}\`).`,
  resolved: (id: number, n: number, by: string, resolution: string | null, open: number): string =>
    `Concern #${id} on ${rfcReference(n)} resolved by @${by}${resolution ? `: ${resolution}` : '.'}\n${open ? `${open} still open.` : 'No open concerns remain.'}`,
  decided: (n: number, status: RfcStatus, by: string, reason: string | null): string =>
    `${rfcReference(n)} is now **${STATUS_LABEL[status]}** (@${by})${reason ? `: ${reason}` : '.'}`,
  superseded: (n: number, by: number, actor: string): string => `${rfcReference(n)} is superseded by ${rfcReference(by)} (@${actor}).`,
  supersededElsewhere: (n: number, actor: string): string => `${rfcReference(n)} is superseded by a newer RFC (@${actor}); see \`/rfc show ${n}\`.`,
  supersedes: (by: number, n: number, actor: string): string => `${rfcReference(by)} now supersedes ${rfcReference(n)} (@${actor}).`,
  reminder: (n: number, title: string, left: number, mentions: string): string =>
    `Reminder: the comment period of ${rfcReference(n)} “${title}” ends in ${humanDuration(left)}. Still waiting for ${mentions}.`,
  ended: (n: number, title: string, state: { open: number; missing: number; mentions: string; owner: string }): string => {
    const what = state.open
      ? `${plural(state.open, 'open concern')} block${state.open > 1 ? '' : 's'} acceptance.`
      : state.missing
        ? `No open concerns; ${plural(state.missing, 'reviewer')} did not sign off (${state.mentions}). @${state.owner} may now accept.`
        : `Everyone signed off and no concerns are open. @${state.owner} may now accept.`;
    return `The comment period of ${rfcReference(n)} “${title}” has ended. ${what}`;
  },
};

// ---- `/infra owe` ----

export const owe = {
  review: (n: number, title: string, endsAt: number | null, now: number): string => {
    const left = endsAt === null ? '' : ` (comment period ${endsAt > now ? `ends in ${humanDuration(endsAt - now)}` : 'has ended'})`;
    return `Review ${rfcReference(n)} “${title}”${left}: \`/rfc approve ${n}\` or \`/rfc concern ${n} <text>\``;
  },
  answer: (n: number, title: string, open: number): string => `Answer ${plural(open, 'open concern')} on ${rfcReference(n)} “${title}”`,
  yourConcern: (n: number, title: string, id: number): string => `Your concern #${id} on ${rfcReference(n)} “${title}” is open: \`/rfc resolve ${n} ${id}\` once addressed`,
};

// ---- `/rfc list` and `/rfc show` ----

export interface Names {
  username(userId: string): Promise<string>;
}

export function listText(
  rfcs: readonly RfcView[],
  owners: ReadonlyMap<string, string>,
  query: { status: RfcStatus | null; mine: boolean; next: string | null },
  now: number,
): string {
  const heading = `**RFCs${query.status ? ` — ${STATUS_LABEL[query.status]}` : ''}${query.mine ? ' (yours: owned or reviewing)' : ''}**`;
  const lines = rfcs.map((r) => `- ${rfcReference(r.number)} ${r.title} — ${STATUS_LABEL[r.status]} · @${owners.get(r.ownerId) ?? r.ownerId}${periodNote(r, now)}`);
  if (lines.length === 0) lines.push('None you can see.');
  if (query.next !== null) lines.push(`More: \`/rfc list ${query.status ?? 'all'}${query.mine ? ' --mine' : ''} --before ${query.next}\``);
  return [heading, ...lines].join('\n');
}

function periodNote(r: RfcView, now: number): string {
  if (r.status !== 'in_review' || !r.commentPeriod) return '';
  const left = r.commentPeriod.endsAt - now;
  return left > 0 ? ` · ${humanDuration(left)} left` : ' · comment period over';
}

export async function showText(r: RfcView, people: Names, now: number): Promise<string> {
  const lines = [
    `#### ${rfcReference(r.number)} ${r.title}`,
    `**${STATUS_LABEL[r.status]}** · owner @${await people.username(r.ownerId)} · opened ${utcStamp(r.createdAt)}${r.docUrl ? ` · [document](${r.docUrl})` : ''}`,
  ];
  if (r.commentPeriod) {
    const left = r.commentPeriod.endsAt - now;
    const state = r.status === 'in_review' ? (left > 0 ? ` (${humanDuration(left)} left)` : ' (over)') : '';
    lines.push(`Comment period: ${utcStamp(r.commentPeriod.startedAt)} → ${utcStamp(r.commentPeriod.endsAt)}${state}`);
  }
  if (r.reviewers.length) {
    const mark = (x: RfcView['reviewers'][number]): string =>
      x.signedOffAt ? '✅ signed off' : x.answer === 'hold' ? '✋ holds' : x.answer === 'abstain' ? '➖ abstains' : '⏳ pending';
    const marks = await Promise.all(
      r.reviewers.map(async (x) => `@${await people.username(x.userId)} ${mark(x)}${x.delegate ? ` (for them: @${await people.username(x.delegate)})` : ''}`),
    );
    lines.push(`Reviewers: ${marks.join(', ')}`);
  }
  for (const c of r.concerns) {
    const state = c.resolvedAt ? `resolved by @${await people.username(c.resolvedBy ?? '')}${c.resolution ? `: ${c.resolution}` : ''}` : '**open — blocks acceptance**';
    lines.push(`Concern #${c.id} (@${await people.username(c.raisedBy)}): ${c.text} — ${state}`);
  }
  if (r.outcome) {
    lines.push(`Outcome: ${STATUS_LABEL[r.outcome.status]} by @${await people.username(r.outcome.by)} on ${utcStamp(r.outcome.at)}${r.outcome.reason ? ` — ${r.outcome.reason}` : ''}`);
  }
  if (r.supersedes.length) lines.push(`Supersedes ${r.supersedes.map(rfcReference).join(', ')}`);
  if (r.supersededBy) lines.push(`Superseded by ${rfcReference(r.supersededBy)}`);
  if (r.lastReviewedAt) {
    const ago = now - r.lastReviewedAt;
    lines.push(`Last reviewed ${utcStamp(r.lastReviewedAt)}${ago >= 60_000 ? ` (${humanDuration(ago)} ago)` : ' (just now)'}`);
  }
  if (r.ideaNumber) lines.push(`From idea ${ideaReference(r.ideaNumber)}`);
  return lines.join('\n');
}
