/**
 * Every word the incidents feature says to people: command usage, replies, errors, the bot's
 * posts (card, notices, status updates, feed lines, reminders, briefs). Use cases and entry points
 * pick a message from here; nothing else in the feature spells user-facing text.
 */
import {
  type DurationStats,
  type IncidentMetricsView,
  incidentReference,
  MILESTONE_LABELS,
  MILESTONES,
  type Milestone,
  type RoleName,
  ROLES,
} from '../contract/incidents';
import { fitLines } from '../shared/text/limits';
import { clockDuration, humanDuration, utcStamp } from '../shared/time/duration';
import { formatClock, localTime, wallTime } from '../shared/time/zone';
import type { Incident } from './records';
import type { IncidentSettings } from './settings';

export const reference = incidentReference;

/**
 * "SEV2 (Major)": the severity wherever it stands alone. Never put it inside parentheses (it has
 * its own); where a sentence needs an aside, use a dash or a comma around it.
 */
export const severityWithLabel = (settings: IncidentSettings, severity: number): string =>
  `SEV${severity} (${settings.severityLabels[severity as 1 | 2 | 3 | 4] ?? '?'})`;

/** "SEV2 — Major": the declare form's option text. */
export const severityOption = (settings: IncidentSettings, severity: 1 | 2 | 3 | 4): string => `SEV${severity} — ${settings.severityLabels[severity]}`;

const isUtc = (zone: string | null): boolean => zone === null || zone === 'UTC' || zone === 'Etc/UTC';
const dateOf = (w: { year: number; month: number; day: number }): string =>
  `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;

/** One reader's time (shared/time): kept exported here for the feature's modules. */
export { localTime };

/** "2027-01-04 10:00" in the reader's zone (the zone is named once, by `zoneNote`). */
function shortLocal(at: number, zone: string | null): string {
  if (isUtc(zone)) return utcStamp(at).slice(0, 16);
  const w = wallTime(zone!, at);
  return `${dateOf(w)} ${formatClock(w.hour, w.minute)}`;
}

const zoneNote = (zone: string | null): string => (isUtc(zone) ? 'UTC' : zone!);

/** "Detected" */
export const milestoneLabel = (name: Milestone): string => MILESTONE_LABELS[name];

/** Free text echoed in a reply: whole when short, else its start (the full text is in the channel). */
const echo = (text: string, max = 120): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

// ---- usage ----

/** What follows `/incident <name>` in help, autocomplete and error replies. */
export const SUB_USAGE = {
  declare: '[sev1-4] <title> [--type <type>] [--severity <1-4|label>] [--public|--private]',
  status: '[INC-n] <text>',
  severity: '[INC-n] <1-4|SEV1-SEV4|label>',
  role: '[INC-n] commander|scribe|comms @user',
  timeline: '[INC-n]',
  timelineAdd: '[INC-n] <text>',
  milestone: '[INC-n] detected|acknowledged|mitigated|resolved [time|clear]',
  follow: '[INC-n]',
  unfollow: '[INC-n]',
  resolve: '[INC-n] [summary]',
  reopen: '[INC-n]',
  accept: '[INC-n]',
  dismiss: '[INC-n] [reason]',
  followup: '',
  followupAdd: '[INC-n] <text> [@owner] [due]',
  followupDone: '[INC-n] <n>',
  followupList: '[INC-n]',
  info: '[INC-n]',
  list: '[active|resolved|all]',
  metrics: '[days]',
  component: '[INC-n] <component…|none>',
  public: '[INC-n] <public status text>|off',
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
  accept: 'accept',
  dismiss: 'dismiss',
  followup: 'followup',
  followupAdd: 'followup add',
  followupDone: 'followup done',
  followupList: 'followup list',
  info: 'info',
  list: 'list',
  metrics: 'metrics',
  component: 'component',
  public: 'public',
} as const satisfies Record<keyof typeof SUB_USAGE, string>;

/** Full usage lines, e.g. "/incident severity <1-4|SEV1-SEV4|label>". */
export const USAGE = Object.fromEntries(
  Object.entries(SUB_USAGE).map(([k, u]) => [k, `/incident ${path[k as keyof typeof SUB_USAGE]} ${u}`.trim()]),
) as Record<keyof typeof SUB_USAGE, string>;

export const TIME_HELP = 'now, 15m ago, 1h30m ago, -2h, 09:40, yesterday 22:10, 2027-01-04 09:40 or an ISO time such as 2027-01-04T09:40Z';
export const DUE_HELP = 'YYYY-MM-DD, today, tomorrow, +3d or +2w';

/**
 * Where each command works, said in its help: in the incident's channel it needs no reference;
 * anywhere else in the team it names the incident. Commands whose argument is free text take only
 * a reference that says INC (INC-7, inc 7) there, because a sentence may start with a number.
 */
const ANYWHERE = 'In its channel, or anywhere with INC-n.';
const ANYWHERE_TEXT = 'In its channel; elsewhere start with INC-n.';

export const HELP = {
  command: 'Declare and run incidents',
  declare: 'Declare an incident (without a title: a form)',
  status: `Post a status update (channel, feed, followers); resets the reminder. ${ANYWHERE_TEXT}`,
  severity: `Change the severity (commander, channel admins). ${ANYWHERE}`,
  role: `Hand a role to someone (commander, channel admins). ${ANYWHERE}`,
  timeline: `Show the latest timeline entries. ${ANYWHERE}`,
  timelineAdd: `Add an entry to the timeline. ${ANYWHERE_TEXT}`,
  milestone: `Set or clear a milestone (MTTA/MTTR are measured from them); time: ${TIME_HELP}. ${ANYWHERE}`,
  follow: `Get an incident's status updates and changes by direct message. ${ANYWHERE}`,
  unfollow: `Stop getting an incident's updates. ${ANYWHERE}`,
  resolve: `Resolve the incident (commander, channel admins); queues it for review. ${ANYWHERE_TEXT}`,
  reopen: `Reopen a resolved incident (commander, channel admins). ${ANYWHERE}`,
  accept: `Accept an incident opened from alerts: it leaves triage and becomes active (its channel's members). ${ANYWHERE}`,
  dismiss: `Dismiss an incident opened from alerts as noise (its channel's members); counted apart in metrics. ${ANYWHERE_TEXT}`,
  followup: 'Follow-up actions with owners',
  followupAdd: `Add a follow-up (due: ${DUE_HELP}). ${ANYWHERE_TEXT}`,
  followupDone: `Mark follow-up n done. ${ANYWHERE}`,
  followupList: `List the follow-ups. ${ANYWHERE}`,
  info: `Show an incident: severity, roles, milestones, latest update. ${ANYWHERE}`,
  list: "List the team's incidents",
  metrics: "MTTA and MTTR by severity over the last days (90 unless given), for the incidents you can see",
  component: `Set the status-page components this incident affects (\`none\` clears them). ${ANYWHERE}`,
  public: `Show the incident on the public status page with this text only (commander, channel admins); \`off\` takes it off. ${ANYWHERE_TEXT}`,
} as const;

// ---- who may: the policy's wording ----

export const NOT_FOUND = 'No such incident.';
export const NOT_HERE = 'This is not an incident channel. Run this command in the channel of the incident, or name it (e.g. `INC-7`); see `/incident list`.';
/** A free-text command outside an incident channel without a leading INC-n. */
export const notHereText = (usage: string): string =>
  `This is not an incident channel. Run this command in the channel of the incident, or start with the incident: \`${usage.replace('[INC-n] ', 'INC-7 ')}\`; see \`/incident list\`.`;
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
  accept: 'accept the incident',
  dismiss: 'dismiss the incident',
  review: 'mark the incident reviewed',
  components: 'set its components',
  public: 'show it on the public status page',
  declare: 'declare incidents in this team',
} as const;

export const handedOver = (what: string): string => `You handed over the commander role meanwhile, so you can no longer ${what}.`;

// ---- input ----

export const input = {
  notSeverity: (text: string, settings: IncidentSettings): string =>
    `"${text}" is not a severity. Use 1–4, SEV1–SEV4 or a label: ${([1, 2, 3, 4] as const).map((s) => `SEV${s} (${settings.severityLabels[s]})`).join(', ')}.`,
  notRole: (text: string, close: string | null = null): string =>
    `"${text}" is not a role.${close ? ` Did you mean ${close}?` : ''} Roles: ${ROLES.join(', ')}.`,
  notMilestone: (text: string, close: string | null = null): string =>
    `"${text}" is not a milestone.${close ? ` Did you mean ${close}?` : ''} Milestones: ${MILESTONES.join(', ')}.`,
  notType: (text: string, types: readonly string[]): string => `"${text}" is not an incident type. Types: ${types.join(', ')}.`,
  notReference: (text: string): string => `"${text}" is not an incident. Name one as INC-7, INC-007, inc 7, #7 or 7.`,
  notReferenceOrChild: (text: string, child: string): string => `"${text}" is not an incident. Name one as INC-7, or did you mean \`${child}\`?`,
  notDays: (text: string): string => `"${text}" is not a number of days. Give a whole number from 1 to 3650, e.g. \`/incident metrics 30\`.`,
  noTitle: 'The incident needs a title.',
  noStatusText: 'The status update needs some text.',
  noNoteText: 'The timeline entry needs some text.',
  noFollowupText: 'The follow-up needs a description.',
  giveOneSeverity: 'Give one severity.',
  roleAndUser: 'Name a role and one user.',
  nameMilestone: 'Name the milestone.',
  giveFollowupNumber: 'Give the follow-up number.',
  noArguments: (extra: string): string => `Name at most one incident; "${extra}" is not expected here.`,
  unknownFilter: (text: string, close: string | null = null): string => `Unknown filter "${text}".${close ? ` Did you mean ${close}?` : ''}`,
  publicAndPrivate: 'Choose --public or --private, not both.',
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

const ORDER = MILESTONES.join(' → ');

export const milestoneWords = {
  future: 'A milestone cannot be in the future.',
  notATime: (name: Milestone): string => `That is not a time for ${name}.`,
  tooEarly: (name: Milestone, at: number, earliest: number): string =>
    `${milestoneLabel(name)} at ${utcStamp(at)} is more than 30 days before the declaration; the earliest accepted is ${utcStamp(earliest)}.`,
  outOfOrder: (name: Milestone, at: number, previous: Milestone, previousAt: number): string =>
    `${milestoneLabel(name)} at ${utcStamp(at)} cannot be before ${previous} at ${utcStamp(previousAt)}; milestones go ${ORDER}.`,
  /** The milestone just set clashes with one set before: say which, and how to correct that one. */
  clash: (name: Milestone, at: number, other: Milestone, otherAt: number, side: 'before' | 'after'): string =>
    `${milestoneLabel(name)} at ${utcStamp(at)} cannot be ${side === 'before' ? 'before' : 'after'} ${other}, which is set to ${utcStamp(otherAt)}; ` +
    `milestones go ${ORDER}. Use ${side === 'before' ? 'a later' : 'an earlier'} time, or correct ${other} first: ` +
    `\`/incident milestone ${other} <time>\`${other === 'resolved' ? '' : ` (or \`clear\`)`}.`,
  resolveFirst: 'Resolve the incident with `/incident resolve`; `milestone resolved` corrects the time afterwards.',
  resolvedStays: 'A resolved incident keeps its resolved time; correct it with `/incident milestone resolved <time>`, or reopen the incident.',
} as const;

// ---- state refusals ----

export const state = {
  already: (i: Incident, severity: string): string => `${reference(i.number)} is already ${severity}.`,
  alreadyHolds: (who: string, role: RoleName): string => `${who} is already the ${ROLE_WORDS[role]}.`,
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
  /** Recognised by its start (channels.ts findOwn), so it carries no internal id. */
  purpose: (i: Pick<Incident, 'number' | 'title'>): string => `${purposePrefix(i.number)} ${i.title.slice(0, 150)}`,
  commanderBrief: (declarer: string, i: Incident): string =>
    `@${declarer} declared ${reference(i.number)} (~${i.channelName}) and made you commander. ${ROLE_BRIEFS.commander}`,
  timeline: (declarer: string, i: Incident, severity: string): string => `@${declarer} declared ${reference(i.number)}, ${severity}: ${i.title}`,
} as const;

/** "INC-005:": how the incident channel's purpose starts. */
export const purposePrefix = (n: number): string => `${reference(n)}:`;

/** The feed channel's announcement; a private incident shows only that one exists (and its link by id). */
export function announcement(i: Incident, isPrivate: boolean, settings: IncidentSettings, declarer: string, link: string, title: string): string {
  const severity = severityWithLabel(settings, i.severity);
  if (isPrivate) return `🚨 **${reference(i.number)}** — ${severity}, private — declared by @${declarer}. Members: [open the channel](${link}).`;
  return `🚨 **${reference(i.number)}: ${title}** — ${severity}${i.type ? ` · ${i.type}` : ''}, declared by @${declarer}. Join: ~${i.channelName}`;
}

// ---- roles ----

/** A role in a sentence: "the comms lead". */
export const ROLE_WORDS: Record<RoleName, string> = { commander: 'commander', scribe: 'scribe', comms: 'comms lead' };

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
  roleNotice: (actor: string, holder: string, role: RoleName): string => `${actor} made ${holder} the **${ROLE_WORDS[role]}**.`,
  roleBrief: (actor: string, role: RoleName, i: Incident): string =>
    `${actor} made you ${role} of ${reference(i.number)} (~${i.channelName}). ${ROLE_BRIEFS[role]}`,
  noteTimeline: (actor: string, text: string): string => `${actor}: ${text}`,
  noteNotice: (actor: string, text: string): string => `📝 ${actor} added to the timeline: ${text}`,
  milestoneTimeline: (actor: string, name: Milestone, at: number | null): string =>
    at === null ? `${actor} cleared ${name}` : `${actor} set ${name} to ${utcStamp(at)}`,
  milestoneNotice: (actor: string, name: Milestone, at: number | null): string =>
    at === null ? `⏱️ ${actor} cleared **${name}**.` : `⏱️ ${actor} set **${name}** to ${utcStamp(at)}.`,
  /** The first status update acknowledges an incident nobody acknowledged by hand. */
  acknowledgedByUpdate: (actor: string, at: number): string => `${actor} acknowledged the incident at ${utcStamp(at)} with the first status update`,
  followTimeline: (actor: string, follow: boolean): string => `${actor} ${follow ? 'follows' : 'stopped following'} the incident`,
  resolveTimeline: (actor: string, summary: string): string => `${actor} resolved the incident${summary ? `: ${summary}` : ''}`,
  resolveNotice: (actor: string, summary: string): string =>
    `✅ ${actor} resolved this incident${summary ? `: ${summary}` : ''}. It is queued for review at the next Reliability Engineering Guild meeting.`,
  reopenTimeline: (actor: string): string => `${actor} reopened the incident`,
  /** What a follower is told by direct message of a change they did not make. */
  forFollowers: (i: Incident, what: string): string => `**${reference(i.number)}: ${i.title}** — ${what}\n\n${followerFooter(i)}`,
  severityForFollowers: (actor: string, from: string, to: string): string => `${actor} changed the severity from ${from} to **${to}**.`,
  resolvedForFollowers: (actor: string, summary: string): string => `✅ ${actor} resolved it${summary ? `: ${summary}` : '.'}`,
  reopenedForFollowers: (actor: string): string => `🔁 ${actor} reopened it.`,
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
  /** Only public incidents' updates reach the feed, so the title may be shown (the template may not carry it). */
  status: (message: string, i: Incident): string => `${message}\n\n${i.title} · ~${i.channelName}`,
  resolved: (i: Incident, isPrivate: boolean, actor: string, summary: string): string =>
    isPrivate
      ? `✅ **${reference(i.number)}** (private) was resolved.`
      : `✅ **${reference(i.number)}: ${i.title}** was resolved by ${actor}${summary ? `: ${summary}` : ''}.`,
  reopened: (i: Incident, isPrivate: boolean, actor: string): string =>
    isPrivate ? `🔁 **${reference(i.number)}** (private) was reopened.` : `🔁 **${reference(i.number)}: ${i.title}** was reopened by ${actor}. ~${i.channelName}`,
  severity: (i: Incident, isPrivate: boolean, actor: string, from: string, to: string): string =>
    isPrivate
      ? `⚠️ **${reference(i.number)}** (private) changed from ${from} to **${to}**.`
      : `⚠️ ${actor} changed **${reference(i.number)}: ${i.title}** from ${from} to **${to}**. ~${i.channelName}`,
} as const;

/** The status update as posted (the configured template). */
export function renderStatus(template: string, values: Record<'reference' | 'title' | 'severity' | 'text' | 'commander' | 'next', string>): string {
  return template.replace(/\{(reference|title|severity|text|commander|next)\}/g, (_m, k: string) => values[k as keyof typeof values]);
}

export const followerFooter = (i: Incident): string => `_You follow ${reference(i.number)}: ~${i.channelName}_`;
/** Added under a status update someone other than the commander posted (the template names the commander). */
export const statusAuthor = (author: string): string => `_Posted by ${author}._`;
export const noNextUpdate = 'when needed';

// ---- reminders ----

export function reminder(commander: string, i: Incident, since: number, interval: number, severity: string, due: number): string {
  const last = i.lastUpdate ? `the last one was ${humanDuration(since)} ago` : `there has been none since the declaration ${humanDuration(since)} ago`;
  return (
    `⏰ @${commander}, ${reference(i.number)} needs a status update: ${severity} expects one every ${humanDuration(interval)}, and ${last}. ` +
    `It was due at ${utcStamp(due)}: post one with \`/incident status <text>\`.`
  );
}

// ---- the card (plain-text fallback of the custom post) ----

const PHASE_WORDS: Record<Incident['phase'], string> = {
  pending: '⏳ Setting up',
  triage: '🟡 Triage',
  active: '🔴 Active',
  resolved: '✅ Resolved',
  dismissed: '⚪ Dismissed as noise',
};

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

export function cardMessage(card: CardText, settings: IncidentSettings, resolution: string): string {
  const who = (r: { username: string } | null) => (r ? `@${r.username}` : '—');
  const phase = card.phase === 'pending' ? PHASE_WORDS.active : PHASE_WORDS[card.phase];
  const lines = [
    `### ${card.reference}: ${card.title}`,
    `**${severityWithLabel(settings, card.severity)}** · ${phase}${card.type ? ` · ${card.type}` : ''}${card.private ? ' · private' : ''}`,
    `**Commander** ${who(card.roles.commander)} · **Scribe** ${who(card.roles.scribe)} · **Comms** ${who(card.roles.comms)}`,
  ];
  if (card.summary) lines.push('', card.summary);
  if (card.phase === 'resolved' && resolution) lines.push('', `**Resolution**: ${resolution}`);
  if (card.lastUpdate) lines.push('', `**Latest update** (${utcStamp(card.lastUpdate.at)}): ${card.lastUpdate.text}`);
  lines.push('', `_Declared ${utcStamp(card.declaredAt)}. Commands: \`/incident help\`._`);
  return lines.join('\n');
}

// ---- command replies (read by one person: times in their zone) ----

const duration = (m: number | null): string => (m === null ? '—' : clockDuration(m));

/** What a reply says about the next status update. */
export const nextUpdate = (due: number | null, now: number, zone: string | null): string =>
  due === null
    ? 'No status reminders at this severity.'
    : due <= now
      ? `A status update is overdue since ${localTime(due, zone)}.`
      : `Next status update due ${localTime(due, zone)}.`;

export interface ResolvedFacts {
  at: number;
  mttrMinutes: number | null;
  /** What was typed this time ('' = nothing). */
  typed: string;
  /** Every summary so far, as stored. */
  accumulated: string;
  acknowledged: boolean;
}

export const replies = {
  /** `commander`: null when the declarer commands ("You are the commander"). */
  declared: (i: Incident, severity: string, isPrivate: boolean, warnings: readonly string[], commander: string | null = null): string =>
    `Declared **${reference(i.number)}** — ${severity}, ${isPrivate ? 'private' : 'public'}${i.type ? `, type ${i.type}` : ''}: ~${i.channelName}. ` +
    (commander ? `${commander} is the commander.` : 'You are the commander.') +
    (warnings.length ? `\nNote: ${warnings.join('; ')}.` : ''),
  statusPosted: (i: Incident, next: string, acknowledgedAt: string | null): string =>
    `Status update for ${reference(i.number)} posted in ~${i.channelName}. ${next}` +
    (acknowledgedAt
      ? `\nAs its first status update, it also set **acknowledged** to ${acknowledgedAt}; correct that with \`/incident milestone acknowledged <time>\`.`
      : ''),
  severityNow: (i: Incident, from: string, to: string, next: string): string => `${reference(i.number)} is now **${to}**; it was ${from}. ${next}`,
  roleNow: (i: Incident, who: string, role: RoleName): string => `${who} is now the ${ROLE_WORDS[role]} of ${reference(i.number)}.`,
  noted: (i: Incident, text: string): string => `Added to the ${reference(i.number)} timeline: ${echo(text)}`,
  milestoneSet: (i: Incident, name: Milestone, when: string | null, mtta: number | null, mttr: number | null): string => {
    const figures = [mtta === null ? '' : `MTTA ${clockDuration(mtta)}`, mttr === null ? '' : `MTTR ${clockDuration(mttr)}`].filter(Boolean);
    return `${reference(i.number)}: ${milestoneLabel(name)} ${when === null ? 'cleared' : `set to ${when}`}.${figures.length ? ` ${figures.join(' · ')}.` : ''}`;
  },
  milestoneUnchanged: (i: Incident, name: Milestone, when: string | null): string =>
    `${reference(i.number)}: ${milestoneLabel(name)} is already ${when === null ? 'not set' : `set to ${when}`}; nothing changed.`,
  following: (i: Incident): string =>
    `You follow ${reference(i.number)}: its status updates, severity changes, resolves and reopens come to you by direct message.`,
  notFollowing: (i: Incident): string => `You no longer follow ${reference(i.number)}.`,
  resolved: (i: Incident, when: string, f: ResolvedFacts): string => {
    const lines = [`${reference(i.number)} resolved at ${when}${f.mttrMinutes === null ? '' : `, MTTR ${clockDuration(f.mttrMinutes)}`}.`];
    if (f.typed) lines.push(`Summary: ${echo(f.typed, 300)}`);
    else if (f.accumulated) lines.push(`No new summary; the earlier one is kept: ${echo(f.accumulated, 300)}`);
    else lines.push('No summary given.');
    if (!f.acknowledged) lines.push('Nobody acknowledged it, so it has no MTTA; set one with `/incident milestone acknowledged <time>`.');
    return lines.join('\n');
  },
  reopened: (i: Incident, next: string, keptSummary: boolean): string =>
    `${reference(i.number)} reopened: its resolved time is cleared${keptSummary ? ' and its resolution summary is kept for the next resolve' : ''}. ${next}`,
  followupAdded: (i: Incident, n: number, text: string, owner: string | null, due: string | null): string =>
    `Follow-up #${n} added to ${reference(i.number)}: ${echo(text)} — ${owner ? `owner ${owner}` : 'no owner'}, ${due ? `due ${due}` : 'no due date'}.`,
  followupDone: (i: Incident, n: number, text: string): string => `Follow-up #${n} of ${reference(i.number)} done: ${echo(text)}`,
  followups: (i: Incident, lines: readonly string[]): string =>
    `**${reference(i.number)} follow-ups**\n${fitLines(lines).join('\n') || `_none yet: \`${USAGE.followupAdd}\`_`}`,
  followupLine: (f: Incident['followups'][number], owner: string | null, overdue: boolean): string =>
    `- ${f.doneAt ? '☑️' : '⬜'} #${f.n} ${f.text} — ${owner ?? 'no owner'}${f.due ? `, due ${f.due}${overdue ? ', **overdue**' : ''}` : ''}`,
  timeline: (i: Incident, lines: readonly string[], older: number, zone: string | null): string =>
    `**${reference(i.number)} timeline**, times in ${zoneNote(zone)}\n${fitLines(lines).join('\n') || '_empty_'}` +
    (older > 0 ? `\n_${older} older ${older === 1 ? 'entry is' : 'entries are'} in the incident view._` : ''),
  timelineLine: (at: number, text: string, zone: string | null): string => `- ${shortLocal(at, zone)} — ${text}`,
  list: (filter: string, lines: readonly string[], more: boolean, hidden: number): string =>
    `**${filter === 'all' ? 'All' : filter[0]!.toUpperCase() + filter.slice(1)} incidents**\n${lines.join('\n') || '_none_'}` +
    (more ? '\n_More in the incidents view._' : '') +
    (hidden > 0 ? `\n_${hidden} more active incident${hidden === 1 ? ' is' : 's are'} in private channels you are not in._` : ''),
  listLine: (ref: string, severity: string, phase: Incident['phase'], title: string, channelName: string): string =>
    `- **${ref}** ${severity} · ${PHASE_WORDS[phase]} · ${title} · ~${channelName}`,
} as const;

/** One resolve's summary in the accumulated resolution text (when there were several resolves). */
export const summaryLine = (at: number, summary: string): string => `${utcStamp(at)}: ${summary}`;

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
  now: number;
  zone: string | null;
}

export function infoText(i: Incident, f: InfoFacts): string {
  const m = i.milestones;
  const at = (t: number | null): string => (t === null ? '—' : shortLocal(t, f.zone));
  const resolution = i.resolution?.summary ?? '';
  return [
    `### ${reference(i.number)}: ${i.title}`,
    `**${f.severity}** · ${PHASE_WORDS[i.phase]}${i.type ? ` · ${i.type}` : ''}${f.isPrivate ? ' · private' : ''}`,
    `**Commander** ${f.commander} · **Scribe** ${f.scribe} · **Comms** ${f.comms}`,
    `**Declared** ${at(i.declaredAt)} · **Detected** ${at(m.detected)} · **Acknowledged** ${at(m.acknowledged)} · **Mitigated** ${at(m.mitigated)} · **Resolved** ${at(m.resolved)} _(${zoneNote(f.zone)})_`,
    `**MTTA** ${duration(f.mttaMinutes)} · **MTTR** ${duration(f.mttrMinutes)} · **Open follow-ups** ${f.openFollowups} · **Followers** ${i.followers.length}`,
    resolution ? `**Resolution**${resolution.includes('\n') ? `\n${resolution}` : `: ${resolution}`}` : '',
    i.lastUpdate ? `**Latest update**, ${localTime(i.lastUpdate.at, f.zone)} by ${f.lastUpdateBy}: ${i.lastUpdate.text}` : '_No status update yet._',
    f.nextUpdateDueAt === null ? '' : `_${nextUpdate(f.nextUpdateDueAt, f.now, f.zone)}_`,
  ]
    .filter(Boolean)
    .join('\n');
}

// ---- /incident metrics ----

const stats = (d: DurationStats): string =>
  d.count === 0 ? '—' : `${duration(d.medianMinutes)} median · ${duration(d.p90Minutes)} p90 · ${d.count}`;

export function metricsText(view: IncidentMetricsView, days: number, settings: IncidentSettings): string {
  const heading = `**Incident metrics, last ${days} day${days === 1 ? '' : 's'}**: incidents you can see, declared since ${utcStamp(view.since)}`;
  if (view.total === 0) return `${heading}\n_No incidents in that time._`;
  const rows = ([1, 2, 3, 4] as const).map((s) => {
    const b = view.bySeverity[String(s) as '1'];
    return `| ${severityWithLabel(settings, s)} | ${b.total} | ${b.active} | ${stats(b.mtta)} | ${stats(b.mttr)} |`;
  });
  return [
    heading,
    '',
    '| Severity | Incidents | Active | MTTA | MTTR |',
    '|---|---|---|---|---|',
    ...rows,
    `| **All** | ${view.total} | ${view.active} | ${stats(view.mtta)} | ${stats(view.mttr)} |`,
    '',
    `_MTTA and MTTR are measured from detection, else declaration; MTTA counts acknowledged incidents (${view.mtta.count} of ${view.total}), MTTR resolved ones (${view.mttr.count}). ` +
      `${view.openFollowups} open follow-up${view.openFollowups === 1 ? '' : 's'}, ${view.awaitingReview} awaiting review._`,
  ].join('\n');
}

// ---- /infra owe (one reader: times in their zone) ----

export const owed = {
  roles: (n: number, channelName: string, severity: string, roles: readonly RoleName[], update: string | null): string =>
    `${reference(n)} · ${severity} · ~${channelName}: you are the ${roles.map((r) => ROLE_WORDS[r]).join(' and ')}.${update ? ` ${update}` : ''}`,
  updateOverdue: (due: number, zone: string | null): string => `A status update is **overdue** since ${localTime(due, zone)}.`,
  updateDue: (due: number, zone: string | null): string => `Next status update due ${localTime(due, zone)}.`,
  followup: (n: number, f: Pick<Incident['followups'][number], 'n' | 'text' | 'due'>, when: 'overdue' | 'today' | 'later' | 'none'): string =>
    `${reference(n)} follow-up #${f.n}: ${f.text}` +
    (when === 'none' ? '' : when === 'overdue' ? ` — due ${f.due}, **overdue**` : when === 'today' ? ` — due today, ${f.due}` : ` — due ${f.due}`),
  /** Facts the ledger did not keep (older incidents; some may be in channels the reader cannot see). */
  more: (n: number): string => `…and up to ${n === 1 ? '1 more incident' : `${n} more incidents`} where you hold a role or a follow-up: \`/incident list\``,
} as const;

// ---- triage (incidents opened from alerts) ----

export const triageWords = {
  notInTriage: (i: Incident): string => `${reference(i.number)} is not in triage (it is ${PHASE_WORDS[i.phase].replace(/^\S+ /, '').toLowerCase()}).`,
  acceptTimeline: (actor: string): string => `${actor} accepted the incident: it is active`,
  acceptNotice: (actor: string): string => `✅ ${actor} accepted this incident; it is now active. Post updates with \`/incident status <text>\`.`,
  dismissTimeline: (actor: string, reason: string): string => `${actor} dismissed the incident as noise${reason ? `: ${reason}` : ''}`,
  dismissNotice: (actor: string, reason: string): string => `⚪ ${actor} dismissed this incident as noise${reason ? `: ${reason}` : ''}.`,
  accepted: (i: Incident): string => `${reference(i.number)} is active now; you acknowledged it.`,
  dismissed: (i: Incident): string => `${reference(i.number)} is dismissed as noise; metrics count it apart.`,
  autoResolvedSummary: 'Every alert of the group resolved (the alert source resolves automatically).',
} as const;

// ---- status-page components (issue 11) ----

export const componentWords = {
  tooMany: (max: number): string => `An incident names at most ${max} components.`,
  set: (i: Incident, names: readonly string[]): string =>
    names.length ? `${reference(i.number)} affects ${names.map((n) => `\`${n}\``).join(', ')} on the status page.` : `${reference(i.number)} affects no component now.`,
  timeline: (actor: string, names: readonly string[]): string => `${actor} set the components: ${names.length ? names.join(', ') : 'none'}`,
  unchanged: (i: Incident): string => `${reference(i.number)} already has those components.`,
} as const;

export const publicWords = {
  noText: 'Give the text customers should read, or `off`.',
  tooLong: (max: number): string => `The public status text has at most ${max} characters.`,
  on: (i: Incident): string => `${reference(i.number)} is on the public status page as: ${i.publicStatus}`,
  off: (i: Incident): string => `${reference(i.number)} is no longer on the public status page.`,
  timelineOn: (actor: string, text: string): string => `${actor} set the public status: ${text}`,
  timelineOff: (actor: string): string => `${actor} took the incident off the public status page`,
} as const;
