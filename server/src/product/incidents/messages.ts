/**
 * Every word the incidents feature says to people: command usage, replies, errors, the bot's
 * posts (card, notices, status updates, feed lines, reminders, briefs). Use cases and entry points
 * pick a message from here; nothing else in the feature spells user-facing text.
 */
import { incidentReference, MILESTONES, type Milestone, type RoleName, ROLES } from '../contract/incidents';
import { fitLines } from '../shared/text/limits';
import { humanDuration, utcStamp } from '../shared/time/duration';
import type { Incident } from './records';
import type { IncidentSettings } from './settings';

export const reference = incidentReference;

/** "SEV2 (Major)" */
export const severityWithLabel = (settings: IncidentSettings, severity: number): string =>
  `SEV${severity} (${settings.severityLabels[severity as 1 | 2 | 3 | 4] ?? '?'})`;

// ---- usage ----

/** What follows `/incident <name>` in help, autocomplete and error replies. */
export const SUB_USAGE = {
  declare: '[sev1-4] <title> [--type <type>] [--severity <1-4|label>] [--public|--private]',
  status: '<text>',
  severity: '<1-4|SEV1-SEV4|label>',
  role: 'commander|scribe|comms @user',
  timeline: '[INC-n]',
  timelineAdd: '<text>',
  milestone: 'detected|acknowledged|mitigated|resolved [time]',
  follow: '[INC-n]',
  unfollow: '[INC-n]',
  resolve: '[summary]',
  reopen: '',
  followup: '',
  followupAdd: '<text> [@owner] [due]',
  followupDone: '<n>',
  followupList: '',
  info: '[INC-n]',
  list: '[active|resolved|all]',
} as const;

const path = {
  declare: 'declare',
  status: 'status',
  severity: 'severity',
  role: 'role',
  timeline: 'timeline',
  timelineAdd: 'timeline add',
  milestone: 'milestone',
  follow: 'follow',
  unfollow: 'unfollow',
  resolve: 'resolve',
  reopen: 'reopen',
  followup: 'followup',
  followupAdd: 'followup add',
  followupDone: 'followup done',
  followupList: 'followup list',
  info: 'info',
  list: 'list',
} as const satisfies Record<keyof typeof SUB_USAGE, string>;

/** Full usage lines, e.g. "/incident severity <1-4|SEV1-SEV4|label>". */
export const USAGE = Object.fromEntries(
  Object.entries(SUB_USAGE).map(([k, u]) => [k, `/incident ${path[k as keyof typeof SUB_USAGE]} ${u}`.trim()]),
) as Record<keyof typeof SUB_USAGE, string>;

export const TIME_HELP = 'now, 15m ago, -2h, 09:40, 2027-01-04 09:40 or an ISO time such as 2027-01-04T09:40Z';
export const DUE_HELP = 'YYYY-MM-DD, today, tomorrow, +3d or +2w';

export const HELP = {
  command: 'Declare and run incidents',
  declare: 'Declare an incident (without a title: a form)',
  status: 'Post a status update (channel, feed, followers); resets the reminder',
  severity: 'Change the severity (commander, channel admins)',
  role: 'Hand a role to someone (commander, channel admins)',
  timeline: 'Show the latest timeline entries',
  timelineAdd: 'Add an entry to the timeline',
  milestone: `Set a milestone (MTTA/MTTR are measured from them); time: ${TIME_HELP}`,
  follow: "Get an incident's status updates by direct message",
  unfollow: "Stop getting an incident's status updates",
  resolve: 'Resolve the incident (commander, channel admins); queues it for review',
  reopen: 'Reopen a resolved incident (commander, channel admins)',
  followup: 'Follow-up actions with owners',
  followupAdd: `Add a follow-up (due: ${DUE_HELP})`,
  followupDone: 'Mark follow-up n done',
  followupList: 'List the follow-ups',
  info: 'Show the incident: severity, roles, milestones, latest update',
  list: "List the team's incidents",
} as const;

// ---- who may: the policy's wording ----

export const NOT_FOUND = 'No such incident.';
export const NOT_HERE = 'This is not an incident channel. Run this command in the channel of the incident, or name it (e.g. `INC-7`); see `/incident list`.';
export const CHANNEL_HAS_NONE = 'This channel has no incident.';
export const POLICY_ROLES = { commander: 'the commander' } as const;

/** What each guarded action is called in "Only … can <what>." */
export const ACTION_WORDS = {
  status: 'post a status update',
  note: 'add to the timeline',
  milestone: 'set milestones',
  followupAdd: 'add follow-ups',
  followupDone: 'complete follow-ups',
  severity: 'change the severity',
  role: 'hand out roles',
  resolve: 'resolve the incident',
  reopen: 'reopen the incident',
  review: 'mark the incident reviewed',
  declare: 'declare incidents in this team',
} as const;

export const handedOver = (what: string): string => `You handed over the commander role meanwhile, so you can no longer ${what}.`;

// ---- input ----

export const input = {
  notSeverity: (text: string, settings: IncidentSettings): string =>
    `"${text}" is not a severity. Use 1–4, SEV1–SEV4 or a label: ${([1, 2, 3, 4] as const).map((s) => `SEV${s} (${settings.severityLabels[s]})`).join(', ')}.`,
  notRole: (text: string): string => `"${text}" is not a role. Roles: ${ROLES.join(', ')}.`,
  notMilestone: (text: string): string => `"${text}" is not a milestone. Milestones: ${MILESTONES.join(', ')}.`,
  notType: (text: string, types: readonly string[]): string => `"${text}" is not an incident type. Types: ${types.join(', ')}.`,
  notReference: (text: string): string => `"${text}" is not an incident. Name one as INC-7, inc-007 or 7.`,
  noTitle: 'The incident needs a title.',
  noStatusText: 'The status update needs some text.',
  noNoteText: 'The timeline entry needs some text.',
  noFollowupText: 'The follow-up needs a description.',
  giveOneSeverity: 'Give one severity.',
  roleAndUser: 'Name a role and one user.',
  nameMilestone: 'Name the milestone.',
  giveFollowupNumber: 'Give the follow-up number.',
  unknownFilter: (text: string): string => `Unknown filter "${text}".`,
  publicAndPrivate: 'Choose --public or --private, not both.',
  oneReference: 'Name at most one incident.',
  notATime: (text: string): string => `"${text}" is not a time I understand. Use ${TIME_HELP}.`,
  notTimeOfDay: (text: string): string => `"${text}" is not a valid time of day.`,
  notRealDate: (text: string): string => `${text} is not a real date.`,
  duePast: (due: string, today: string): string => `The due date ${due} is in the past (today is ${today}).`,
  dueNotUnderstood: (word: string): string => `"${word}" is not a due date I understand. Use ${DUE_HELP}, after the owner or before it.`,
  notOnTeam: (mentions: string, many: boolean): string => `${mentions} ${many ? 'are' : 'is'} not on this team.`,
  cannotHoldRole: (who: string): string => `${who} cannot hold a role.`,
  notTeamMember: (who: string): string => `${who} is not a member of this team.`,
  tooManyInvitees: (max: number, given: number): string => `At most ${max} people can be invited (${given} given).`,
  inviteTooLong: (max: number): string => `The list of people to invite can be at most ${max} characters.`,
} as const;

export const dialogWords = {
  title: 'Declare an incident',
  intro: 'A channel is created for the incident, responders are added and the declaration is announced.',
  submit: 'Declare',
  badState: 'The dialog state is not valid; open the dialog again with /incident declare.',
  tooLarge: 'The dialog submission is too large.',
  notJson: 'The dialog submission is not valid JSON.',
  unknown: (callbackId: string): string => `Unknown dialog "${callbackId.slice(0, 64)}".`,
  commanderNotOnTeam: 'The commander must be a member of this team.',
  privateHelp: 'Only invited people can see the incident',
  commanderHelp: 'Defaults to you.',
  inviteHelp: 'Usernames, separated by spaces or commas.',
} as const;

export const milestoneWords = {
  future: 'A milestone cannot be in the future.',
  notATime: (name: Milestone): string => `That is not a time for ${name}.`,
  tooEarly: (name: Milestone, at: number, earliest: number): string =>
    `${name} (${utcStamp(at)}) is more than 30 days before the declaration; the earliest accepted is ${utcStamp(earliest)}.`,
  outOfOrder: (name: Milestone, at: number, previous: Milestone, previousAt: number): string =>
    `${name} (${utcStamp(at)}) cannot be before ${previous} (${utcStamp(previousAt)}).`,
  resolveFirst: 'Resolve the incident with `/incident resolve`; `milestone resolved` corrects the time afterwards.',
} as const;

// ---- state refusals ----

export const state = {
  already: (i: Incident, severity: string): string => `${reference(i.number)} is already ${severity}.`,
  alreadyHolds: (who: string, role: RoleName): string => `${who} is already the ${role}.`,
  resolvedReopenFirst: (i: Incident): string => `${reference(i.number)} is resolved; reopen it first.`,
  alreadyResolved: (i: Incident): string => `${reference(i.number)} is already resolved.`,
  notResolved: (i: Incident): string => `${reference(i.number)} is not resolved.`,
  notResolvedYet: (i: Incident): string => `${reference(i.number)} is not resolved yet.`,
  alreadyFollow: 'You already follow this incident.',
  notFollowing: 'You do not follow this incident.',
  tooManyFollowers: 'This incident has too many followers.',
  tooManyFollowups: (max: number): string => `An incident can have at most ${max} follow-ups.`,
  noFollowup: (n: number): string => `There is no follow-up #${n}. See \`/incident followup list\`.`,
  followupDone: (n: number): string => `Follow-up #${n} is already done.`,
  gone: 'That incident no longer exists.',
} as const;

// ---- declaration ----

export const declareWords = {
  channelFailed: (reason: string): string => `The incident could not be declared: creating its channel failed (${reason}). Nothing was kept; please try again.`,
  setupUnfinished: (ref: string, reason: string): string =>
    `${ref} was created but its setup did not finish (${reason}). It will be completed automatically within a few minutes.`,
  namesTaken: (ref: string): string => `Every channel name tried for ${ref} is taken.`,
  internal: 'an internal error (logged)',
  feedMissing: (feed: string): string => `the feed channel "${feed}" was not found in this team`,
  feedFailed: (error: string): string => `the feed announcement failed (${error})`,
  responderMissing: (name: string): string => `responder @${name} does not exist`,
  groupUnreadable: (groupId: string, error: string): string => `responder group ${groupId} could not be read (${error})`,
  notAdded: (name: string, error: string): string => `@${name} could not be added (${error})`,
  purpose: (i: Incident): string => `${reference(i.number)}: ${i.title.slice(0, 150)} (Infra Ops incident ${i.id})`,
  commanderBrief: (declarer: string, i: Incident): string =>
    `@${declarer} declared ${reference(i.number)} (~${i.channelName}) and made you commander. ${ROLE_BRIEFS.commander}`,
  timeline: (declarer: string, i: Incident, severity: string): string => `@${declarer} declared ${reference(i.number)} (${severity}): ${i.title}`,
} as const;

/** The feed channel's announcement; a private incident shows only that one exists (and its link by id). */
export function announcement(i: Incident, isPrivate: boolean, settings: IncidentSettings, declarer: string, link: string, title: string): string {
  const severity = severityWithLabel(settings, i.severity);
  if (isPrivate) return `🚨 **${reference(i.number)}** (${severity}, private) declared by @${declarer}. Members: [open the channel](${link}).`;
  return `🚨 **${reference(i.number)}: ${title}** — ${severity}${i.type ? ` · ${i.type}` : ''}, declared by @${declarer}. Join: ~${i.channelName} (${link})`;
}

// ---- roles ----

/** What the new holder of a role is told, privately. */
export const ROLE_BRIEFS: Record<RoleName, string> = {
  commander:
    'You are the **incident commander**: you own the response. Keep the severity right, hand out roles, post a status update on schedule (`/incident status`), and resolve when the impact is over (`/incident resolve`).',
  scribe:
    'You are the **scribe**: keep the timeline complete. Add decisions and findings with `/incident timeline add <text>` and set milestones (`/incident milestone detected|acknowledged|mitigated`).',
  comms:
    'You are **communications**: keep stakeholders informed. Draft status updates for the commander and answer questions outside the incident channel.',
};

// ---- what each change says: timeline entry and channel notice ----

export const changes = {
  statusTimeline: (actor: string, text: string): string => `${actor} posted a status update: ${text}`,
  severityTimeline: (actor: string, from: string, to: string): string => `${actor} changed severity ${from} → ${to}`,
  severityNotice: (actor: string, from: string, to: string): string => `${actor} changed severity from ${from} to **${to}**.`,
  roleTimeline: (actor: string, holder: string, role: RoleName): string => `${actor} made ${holder} ${role}`,
  roleNotice: (actor: string, holder: string, role: RoleName): string => `${actor} made ${holder} the **${role}**.`,
  roleBrief: (actor: string, role: RoleName, i: Incident): string =>
    `${actor} made you ${role} of ${reference(i.number)} (~${i.channelName}). ${ROLE_BRIEFS[role]}`,
  noteTimeline: (actor: string, text: string): string => `${actor}: ${text}`,
  noteNotice: (actor: string, text: string): string => `📝 ${actor} added to the timeline: ${text}`,
  milestoneTimeline: (actor: string, name: Milestone, at: number): string => `${actor} set ${name} at ${utcStamp(at)}`,
  milestoneNotice: (actor: string, name: Milestone, at: number): string => `⏱️ ${actor} set **${name}** at ${utcStamp(at)}.`,
  followTimeline: (actor: string, follow: boolean): string => `${actor} ${follow ? 'follows' : 'stopped following'} the incident`,
  resolveTimeline: (actor: string, summary: string): string => `${actor} resolved the incident${summary ? `: ${summary}` : ''}`,
  resolveNotice: (actor: string, summary: string): string =>
    `✅ ${actor} resolved this incident${summary ? `: ${summary}` : ''}. It is queued for review at the next Reliability Engineering Guild meeting.`,
  reopenTimeline: (actor: string): string => `${actor} reopened the incident`,
  reopenNotice: (actor: string): string => `🔁 ${actor} reopened this incident.`,
  followupTimeline: (actor: string, n: number, text: string, owner: string | null, due: string | null): string =>
    `${actor} added follow-up #${n}: ${text}${owner ? ` (owner ${owner})` : ''}${due ? ` due ${due}` : ''}`,
  followupNotice: (actor: string, n: number, text: string, owner: string | null, due: string | null): string =>
    `📌 ${actor} added follow-up #${n}: ${text}${owner ? ` — owner ${owner}` : ''}${due ? `, due ${due}` : ''}.`,
  followupDoneTimeline: (actor: string, n: number, text: string): string => `${actor} completed follow-up #${n}: ${text}`,
  followupDoneNotice: (actor: string, n: number): string => `☑️ ${actor} completed follow-up #${n}.`,
  reviewedTimeline: (who: string): string => `${who} reviewed the incident`,
  reviewedNotice: (who: string): string => `🔎 ${who} reviewed this incident.`,
  /** Who a guild meeting's review is credited to. */
  meeting: (closer: string): string => `The Reliability Engineering Guild meeting (closed by ${closer})`,
} as const;

// ---- the feed ----

export const feed = {
  status: (message: string, i: Incident): string => `${message}\n\n~${i.channelName}`,
  resolved: (i: Incident, isPrivate: boolean, actor: string, summary: string): string =>
    isPrivate
      ? `✅ **${reference(i.number)}** (private) was resolved.`
      : `✅ **${reference(i.number)}: ${i.title}** was resolved by ${actor}${summary ? `: ${summary}` : ''}.`,
  reopened: (i: Incident, isPrivate: boolean, actor: string): string =>
    isPrivate ? `🔁 **${reference(i.number)}** (private) was reopened.` : `🔁 **${reference(i.number)}: ${i.title}** was reopened by ${actor}. ~${i.channelName}`,
  severity: (i: Incident, actor: string, from: string, to: string): string =>
    `⚠️ **${reference(i.number)}: ${i.title}** changed from ${from} to **${to}** (${actor}). ~${i.channelName}`,
} as const;

/** The status update as posted (the configured template). */
export function renderStatus(template: string, values: Record<'reference' | 'title' | 'severity' | 'text' | 'commander' | 'next', string>): string {
  return template.replace(/\{(reference|title|severity|text|commander|next)\}/g, (_m, k: string) => values[k as keyof typeof values]);
}

export const followerFooter = (i: Incident): string => `_You follow ${reference(i.number)}: ~${i.channelName}_`;
export const noNextUpdate = 'when needed';

// ---- reminders ----

export function reminder(commander: string, i: Incident, since: number, interval: number, severity: string, due: number): string {
  return (
    `⏰ @${commander}, ${reference(i.number)} has had no status update for ${humanDuration(since)} ` +
    `(${severity} expects one every ${humanDuration(interval)}). ` +
    `A status update was due at ${utcStamp(due)}: post one with \`/incident status <text>\`.`
  );
}

// ---- the card (plain-text fallback of the custom post) ----

export interface CardText {
  reference: string;
  title: string;
  summary: string;
  type: string;
  severity: number;
  phase: Incident['phase'];
  private: boolean;
  roles: Record<RoleName, { username: string } | null>;
  lastUpdate: { text: string; at: number } | null;
  declaredAt: number;
}

export function cardMessage(card: CardText, settings: IncidentSettings): string {
  const who = (r: { username: string } | null) => (r ? `@${r.username}` : '—');
  const phase = card.phase === 'resolved' ? '✅ Resolved' : '🔴 Active';
  const lines = [
    `### ${card.reference}: ${card.title}`,
    `**${severityWithLabel(settings, card.severity)}** · ${phase}${card.type ? ` · ${card.type}` : ''}${card.private ? ' · private' : ''}`,
    `**Commander** ${who(card.roles.commander)} · **Scribe** ${who(card.roles.scribe)} · **Comms** ${who(card.roles.comms)}`,
  ];
  if (card.summary) lines.push('', card.summary);
  if (card.lastUpdate) lines.push('', `**Latest update** (${utcStamp(card.lastUpdate.at)}): ${card.lastUpdate.text}`);
  lines.push('', `_Declared ${utcStamp(card.declaredAt)}. Commands: \`/incident help\`._`);
  return lines.join('\n');
}

// ---- command replies ----

const minutes = (m: number | null): string => (m === null ? '—' : `${m} min`);
const stamp = (at: number | null): string => (at === null ? '—' : utcStamp(at));

export const replies = {
  declared: (i: Incident, severity: string, warnings: readonly string[]): string =>
    `Declared **${reference(i.number)}** (${severity}): ~${i.channelName}. You are the commander.${warnings.length ? `\nNote: ${warnings.join('; ')}.` : ''}`,
  declaredByForm: (i: Incident, warnings: readonly string[]): string =>
    `Declared **${reference(i.number)}**: ~${i.channelName}.${warnings.length ? ` Note: ${warnings.join('; ')}.` : ''}`,
  statusPosted: 'Status update posted.',
  severityNow: (severity: string): string => `Severity is now ${severity}.`,
  roleNow: (who: string, role: RoleName): string => `${who} is now the ${role}.`,
  noted: 'Added to the timeline.',
  milestoneSet: (name: Milestone, at: number): string => `${name} set at ${utcStamp(at)}.`,
  following: (i: Incident): string => `You follow ${reference(i.number)}.`,
  notFollowing: (i: Incident): string => `You no longer follow ${reference(i.number)}.`,
  resolved: (i: Incident): string => `${reference(i.number)} resolved${i.milestones.resolved ? ` at ${utcStamp(i.milestones.resolved)}` : ''}.`,
  reopened: (i: Incident): string => `${reference(i.number)} reopened.`,
  followupAdded: (n: number, owner: string | null, due: string | null): string =>
    `Follow-up #${n} added${owner || due ? ` — ${[owner ? `owner ${owner}` : 'no owner', due ? `due ${due}` : 'no due date'].join(', ')}` : ''}.`,
  followupDone: (n: number): string => `Follow-up #${n} done.`,
  followups: (i: Incident, lines: readonly string[]): string =>
    `**${reference(i.number)} follow-ups**\n${fitLines(lines).join('\n') || `_none yet: \`${USAGE.followupAdd}\`_`}`,
  followupLine: (f: Incident['followups'][number], owner: string | null): string =>
    `- ${f.doneAt ? '☑️' : '⬜'} #${f.n} ${f.text}${owner ? ` — ${owner}` : ' — no owner'}${f.due ? `, due ${f.due}` : ''}`,
  timeline: (i: Incident, lines: readonly string[], older: number): string =>
    `**${reference(i.number)} timeline**\n${fitLines(lines).join('\n') || '_empty_'}${older > 0 ? `\n_${older} older entries in the incident view._` : ''}`,
  timelineLine: (at: number, text: string): string => `- ${utcStamp(at)} — ${text}`,
  list: (filter: string, lines: readonly string[], more: boolean): string =>
    `**${filter === 'all' ? 'All' : filter[0]!.toUpperCase() + filter.slice(1)} incidents**\n${lines.join('\n') || '_none_'}${more ? '\n_More in the incidents view._' : ''}`,
  listLine: (ref: string, severity: string, phase: string, title: string, channelName: string): string =>
    `- **${ref}** ${severity} · ${phase} · ${title} · ~${channelName}`,
} as const;

export interface InfoFacts {
  severity: string;
  isPrivate: boolean;
  commander: string;
  scribe: string;
  comms: string;
  lastUpdateBy: string;
  mttaMinutes: number | null;
  mttrMinutes: number | null;
  openFollowups: number;
  nextUpdateDueAt: number | null;
}

export function infoText(i: Incident, f: InfoFacts): string {
  const m = i.milestones;
  return [
    `### ${reference(i.number)}: ${i.title}`,
    `**${f.severity}** · ${i.phase}${i.type ? ` · ${i.type}` : ''}${f.isPrivate ? ' · private' : ''}`,
    `**Commander** ${f.commander} · **Scribe** ${f.scribe} · **Comms** ${f.comms}`,
    `**Declared** ${utcStamp(i.declaredAt)} · **Detected** ${stamp(m.detected)} · **Acknowledged** ${stamp(m.acknowledged)} · **Mitigated** ${stamp(m.mitigated)} · **Resolved** ${stamp(m.resolved)}`,
    `**MTTA** ${minutes(f.mttaMinutes)} · **MTTR** ${minutes(f.mttrMinutes)} · **Open follow-ups** ${f.openFollowups} · **Followers** ${i.followers.length}`,
    i.resolution?.summary ? `**Resolution**: ${i.resolution.summary}` : '',
    i.lastUpdate ? `**Latest update** (${utcStamp(i.lastUpdate.at)}, ${f.lastUpdateBy}): ${i.lastUpdate.text}` : '_No status update yet._',
    f.nextUpdateDueAt ? `_Next update due ${utcStamp(f.nextUpdateDueAt)}._` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

// ---- /infra owe ----

export const owed = {
  updateDue: (i: Incident, due: number): string => `${reference(i.number)}: a status update is due since ${utcStamp(due)} (~${i.channelName})`,
  followup: (i: Incident, f: Incident['followups'][number]): string => `${reference(i.number)} follow-up #${f.n}: ${f.text}${f.due ? ` (due ${f.due})` : ''}`,
} as const;

