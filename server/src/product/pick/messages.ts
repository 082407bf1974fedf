import { IDEA_FILTERS, type IdeaView, MIN_SCORES_TO_REVEAL, PICK_LIMITS, type Quadrant, QUADRANT_LABELS, ideaReference } from '../contract/pick';
import { type ReferenceKind, rfcReference } from '../shared/references';
import { utcStamp } from '../shared/time/duration';
import type { Idea, RoundResult } from './records';
import { statusOf } from './store';

/** Every word PICK says — command help, replies, errors, bot posts and /infra owe lines — in one place. */

export const QUADRANT_HELP: Record<Quadrant, string> = {
  possible: 'low payoff, low cost',
  implement: 'high payoff, low cost',
  challenge: 'high payoff, high cost',
  kill: 'low payoff, high cost',
};

const ref = ideaReference;
const scoreHint = (n: number): string => `/pick score ${n} payoff=<1-10> cost=<1-10>`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export const USAGE = {
  add: '/pick add <idea>',
  score: '/pick score <id> payoff=<1-10> cost=<1-10>',
  reveal: '/pick reveal <id>',
  list: '/pick list [possible|implement|challenge|kill|open|all|archived] [--team] [--before <cursor>]',
  show: '/pick show <id>',
  board: '/pick board',
  link: '/pick link <id> <rfc>',
  archive: '/pick archive <id> <reason>',
  rescore: '/pick rescore <id>',
  /** Shown under "already revealed" in command replies (HTTP answers carry only the message). */
  rescoreThis: (n: number) => `/pick rescore ${n}`,
} as const;

export const HELP = {
  description: 'PICK prioritisation: add ideas, score payoff and cost privately, reveal, chart',
  add: 'Add an idea in this channel; its members are asked to score it',
  score: 'Score an idea privately (cost means cost/risk); you may change it until the reveal',
  reveal: `Reveal an idea's scores (owner or admin; needs ${MIN_SCORES_TO_REVEAL} scores): median, spread and quadrant`,
  list: "List this channel's ideas (or the team's with --team), newest first",
  show: 'Show an idea: status, your score, results of every round',
  board: "The channel's PICK chart (opens the sidebar chart where the webapp is present)",
  link: 'Link an idea to the RFC that takes it forward (owner or admin): `7 RFC-001`, `IDEA-7 rfc 1`',
  archive: 'Archive an idea with a reason (owner or admin)',
  rescore: 'Start a new scoring round (owner or admin); earlier rounds stay in the history',
} as const;

/** Refusals and bad input. Usage hints for commands travel separately (UserError.usage). */
/** How each kind of reference is called when someone names the wrong kind. */
const KIND_WORDS: Readonly<Record<ReferenceKind, string>> = { INC: 'an incident', RFC: 'an RFC', IDEA: 'an idea' };
const IDEA_FORMS = 'IDEA-7, IDEA-007, idea 7, #7 or 7';
const RFC_FORMS = 'RFC-7, RFC-007, rfc 7, #7 or 7';

/** How refusals name each role of policy.ts ("Only the idea's owner, team admins and system admins can …"). */
export const ROLE_WORDS = { owner: "the idea's owner" } as const;

export const ERRORS = {
  /** What the policy answers for an idea the caller may not see (the same as for none). */
  noIdea: 'No such idea.',
  sayWhichIdea: `Say which idea: ${IDEA_FORMS}.`,
  /** `kind`: the text names another kind of thing (INC-3 where an idea was wanted). */
  notAnIdea: (text: string, kind: ReferenceKind | null) =>
    kind && kind !== 'IDEA' ? `"${text}" is ${KIND_WORDS[kind]}, not an idea. Name the idea as ${IDEA_FORMS}.` : `"${text}" is not an idea. Name one as ${IDEA_FORMS}.`,
  notAnRfc: (text: string, kind: ReferenceKind | null) =>
    kind && kind !== 'RFC' ? `"${text}" is ${KIND_WORDS[kind]}, not an RFC. Name the RFC as ${RFC_FORMS}.` : `"${text}" is not an RFC. Name one as ${RFC_FORMS}.`,
  notACursor: 'a cursor from the previous page',
  sayWhatIdea: 'Say what the idea is.',
  sayWhichRfc: `Say which RFC: ${RFC_FORMS}.`,
  giveReason: 'Give a reason for archiving.',
  giveBothScores: 'Give both payoff and cost, e.g. `payoff=7 cost=3` or `7 3`.',
  scoreRange: (axis: string, text: string) => `${axis} must be a whole number from 1 to 10, not "${text}".`,
  didNotUnderstand: (words: string) => `Did not understand "${words}".`,
  axisTwice: (axis: string) => `${axis} is given twice; give each score once.`,
  unknownFilter: (words: string) => `Unknown filter "${words}". Filters: ${IDEA_FILTERS.join(', ')}.`,
  noSuchIdea: (n: number) => `There is no ${ref(n)} you can see in this team.`,
  noSuchChannel: 'No such channel.',
  noSuchTeam: 'No such team.',
  noSuchRfc: (rfc: number) => `There is no ${rfcReference(rfc)} you can see in this team.`,
  archived: (n: number) => `${ref(n)} is archived.`,
  alreadyArchived: (n: number) => `${ref(n)} is already archived.`,
  alreadyRevealed: (n: number, round: number) => `Round ${round} of ${ref(n)} is already revealed; a rescore starts a new round.`,
  stillScoring: (n: number, round: number) => `Round ${round} of ${ref(n)} is still being scored; reveal it first.`,
  tooFewScores: (n: number, count: number) =>
    count === 0
      ? `Nobody has scored ${ref(n)} yet; a reveal needs at least ${MIN_SCORES_TO_REVEAL} scores.`
      : `${ref(n)} has ${plural(count, 'score')}; a reveal needs at least ${MIN_SCORES_TO_REVEAL}, so that no one's private score is exposed.`,
  tooManyScores: (n: number) => `Round of ${ref(n)} is full: at most ${PICK_LIMITS.scores} scores per round.`,
  tooManyRounds: (n: number) => `${ref(n)} has had ${PICK_LIMITS.rounds} rounds, the most an idea keeps; add it again as a new idea.`,
} as const;

// ---- replies ----

export function added(idea: Idea): string {
  const asked = idea.asked.length
    ? `${idea.asked.length === 1 ? '1 channel member is' : `${idea.asked.length} channel members are`} asked to score it; it reveals itself once all have (with at least ${MIN_SCORES_TO_REVEAL} scores).`
    : `Reveal it with \`/pick reveal ${idea.number}\` once at least ${MIN_SCORES_TO_REVEAL} people have scored.`;
  return `Added ${ref(idea.number)} “${idea.title}”. ${asked}\nScore it: \`${scoreHint(idea.number)}\``;
}

export function scored(idea: Idea, payoff: number, cost: number, autoRevealed: boolean, previous: { payoff: number; cost: number } | null): string {
  const changed = previous && (previous.payoff !== payoff || previous.cost !== cost) ? ` (changed from payoff ${previous.payoff}, cost ${previous.cost})` : '';
  const count = Object.keys(idea.scores).length;
  const status = autoRevealed
    ? 'Everyone asked has scored, so it is revealed now.'
    : `${count}${idea.asked.length ? `/${idea.asked.length}` : ''} scored so far; scores stay private until the reveal.`;
  return `Your score for ${ref(idea.number)}: payoff ${payoff}, cost ${cost}${changed}. ${status}`;
}

export function revealed(idea: Idea): string {
  return `Revealed ${ref(idea.number)}: ${resultLine(idea.revealed!)}\n${nextStep(idea)}`.trim();
}

export const archivedReply = (n: number, reason: string): string => `Archived ${ref(n)}: ${reason}`;
export const rescored = (idea: Idea): string => `Round ${idea.round} of ${ref(idea.number)} is open: \`${scoreHint(idea.number)}\``;

export function linked(n: number, rfc: number, rfcTitle: string, previous: number | null, changed: boolean): string {
  if (!changed) return `${ref(n)} is already linked to ${rfcReference(rfc)} “${rfcTitle}”.`;
  const was = previous !== null && previous !== rfc ? `, replacing its link to ${rfcReference(previous)}` : '';
  return `Linked ${ref(n)} to ${rfcReference(rfc)} “${rfcTitle}”${was}.`;
}

// ---- lists, show ----

export const listTitle = (filter: string, team: boolean): string =>
  `**Ideas${filter === 'all' ? '' : ` — ${filter}`} ${team ? 'in this team' : 'in this channel'}**`;
export const listLine = (idea: IdeaView): string => `- ${ref(idea.number)} ${idea.title} — ${summary(idea)}`;
export const listEmpty = (more: boolean): string => (more ? 'None among the newest ideas looked at; older ones may match.' : 'None.');
export const listMore = (filter: string, team: boolean, cursor: string): string => `More: \`/pick list ${filter}${team ? ' --team' : ''} --before ${cursor}\``;

function summary(idea: IdeaView): string {
  if (idea.status === 'archived') return `archived: ${idea.archived!.reason}`;
  if (idea.status === 'open') return `being scored (${idea.scoredCount}${idea.askedCount ? `/${idea.askedCount}` : ''})`;
  const r = idea.revealed!;
  return `${QUADRANT_LABELS[r.quadrant]} · payoff ${r.payoff.median} · cost ${r.cost.median} · n=${r.count}${r.disputed ? ' · ⚠ disputed' : ''}`;
}

/** `/pick show`: `rfcTitle` only when the viewer may see the linked RFC. */
export function showIdea(idea: Idea, viewer: string, owner: string, rfcTitle: string | null): string {
  const mine = idea.scores[viewer];
  const status = statusOf(idea);
  const lines = [`#### ${ref(idea.number)} ${idea.title}`, `Owner @${owner} · added ${utcStamp(idea.createdAt)} · round ${idea.round} · ${status}`];
  if (status === 'open') {
    lines.push(`Scored: ${Object.keys(idea.scores).length}${idea.asked.length ? ` of ${idea.asked.length} asked` : ''}. Scores stay private until the reveal.`);
    lines.push(mine ? `Your score: payoff ${mine.payoff}, cost ${mine.cost} (you may change it until the reveal)` : `You have not scored this round: \`${scoreHint(idea.number)}\``);
  } else if (mine) {
    lines.push(`Your score: payoff ${mine.payoff}, cost ${mine.cost}`);
  }
  if (idea.revealed) lines.push(`Round ${idea.revealed.round}: ${resultLine(idea.revealed)}`);
  for (const r of [...idea.history].reverse()) lines.push(`Round ${r.round} (earlier): ${resultLine(r)}`);
  if (idea.rfcNumber) lines.push(`Linked to ${rfcReference(idea.rfcNumber)}${rfcTitle ? ` “${rfcTitle}”` : ''}`);
  if (idea.archived) lines.push(`Archived ${utcStamp(idea.archived.at)}: ${idea.archived.reason}`);
  const next = nextStep(idea);
  if (next && !idea.archived) lines.push(next);
  return lines.join('\n');
}

// ---- results ----

/** "**Implement** (high payoff, low cost) — payoff 8 (IQR 1), cost 3 (IQR 1), 3 scorers" */
export function resultLine(r: RoundResult): string {
  return `**${QUADRANT_LABELS[r.quadrant]}** (${QUADRANT_HELP[r.quadrant]}) — ${resultNumbers(r)}`;
}

/** The numbers alone, for places that already name the quadrant (the board's lists). */
export function resultNumbers(r: RoundResult): string {
  return (
    `payoff ${r.payoff.median} (IQR ${r.payoff.iqr}), cost ${r.cost.median} (IQR ${r.cost.iqr}), ${plural(r.count, 'scorer')}` +
    (r.disputed ? ' — ⚠ wide spread: discuss before deciding' : '')
  );
}

export function nextStep(idea: Idea): string {
  const q = idea.revealed?.quadrant;
  if (q === 'challenge' && idea.rfcNumber === null) return `This is a Challenge: open an RFC with \`/rfc new --idea ${idea.number} ${idea.title.slice(0, 60)}\`.`;
  if (q === 'kill') return `This is a Kill: archive it with \`/pick archive ${idea.number} <reason>\`.`;
  return '';
}

// ---- bot posts into the idea's channel (titles and reasons arrive already made safe to relay) ----

export const POSTS = {
  added: (idea: Idea, title: string, owner: string) =>
    `#### 💡 ${ref(idea.number)} “${title}” — added by @${owner}\nScore it privately (payoff and cost/risk, 1–10): \`${scoreHint(idea.number)}\`. Scores stay hidden until the reveal.`,
  revealed: (idea: Idea, title: string) => {
    const r = idea.revealed!;
    const how = r.revealedBy ? 'revealed' : 'revealed automatically: everyone asked has scored';
    return [`#### ${ref(idea.number)} “${title}” — round ${r.round} ${how}`, resultLine(r), nextStep({ ...idea, title })].filter(Boolean).join('\n');
  },
  rescored: (idea: Idea, title: string) =>
    `#### ${ref(idea.number)} “${title}” — round ${idea.round} is open\nScore it again privately: \`${scoreHint(idea.number)}\`. Earlier rounds stay in \`/pick show ${idea.number}\`.`,
  archived: (idea: Idea, title: string, reason: string) => `#### ${ref(idea.number)} “${title}” — archived\n${reason}`,
  /** The RFC's title is left out: the RFC may live where this channel's readers can't see it. */
  linked: (idea: Idea, title: string, rfc: number) => `#### ${ref(idea.number)} “${title}” — taken forward in ${rfcReference(rfc)}`,
} as const;

// ---- /infra owe ----

export const OWED = {
  score: (idea: Pick<Idea, 'number' | 'title'>) => `Score ${ref(idea.number)} “${idea.title}”: \`${scoreHint(idea.number)}\``,
  more: (n: number) => `…and up to ${n === 1 ? '1 more idea' : `${n} more ideas`} waiting for your score: \`/pick list open --team\``,
} as const;

// ---- the text board ----

export const BOARD = {
  heading: (channel: string, threshold: number, revealed: number, open: number) =>
    `#### PICK board — ~${channel} · threshold ${threshold} · ${revealed} revealed, ${open} being scored`,
  axes: 'payoff   Possible → Implement (low cost)  |  Challenge / Kill (high cost)',
  quadrantHeading: (q: Quadrant) => `**${QUADRANT_LABELS[q]}** (${QUADRANT_HELP[q]})`,
  beingScored: '**Being scored**',
  scoringLine: (idea: IdeaView) => `- ${ref(idea.number)} ${idea.title} — ${idea.scoredCount}${idea.askedCount ? `/${idea.askedCount}` : ''} scored`,
  empty: 'No ideas yet: `/pick add <idea>`.',
} as const;
