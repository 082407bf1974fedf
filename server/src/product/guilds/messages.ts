/**
 * Every user-facing text of the guilds feature: command replies and usage, errors, the agenda as
 * Markdown (`/guild agenda` and the cadence posts read the same), the cadence posts and the
 * meeting summary. User text relayed here (items, notes, titles, labels) never fires @channel,
 * @all or @here, and every bot post is kept under Mattermost's post limit ("…and N more").
 */
import { WEEKDAY_LABELS, type GuildSource } from '../contract/guilds';
import type { IdeaAgendaItem, IncidentReviewItem, RfcReviewItem } from '../shared/ports';
import { fitLines, POST_RUNES_MAX } from '../shared/text/limits';
import { withoutChannelMentions } from '../shared/text/mentions';
import { clockDuration, humanDuration, utcStamp } from '../shared/time/duration';
import type { Guild, GuildCopy, GuildNote, Meeting, QueueItem } from './records';
import { LIMITS, noteId } from './records';
import { rotaTurn } from './rota';
import { describeMeeting, WEEKDAYS } from './schedule';

/** Usernames for display (shared/people.ts People fits). */
export interface Names {
  username(userId: string): Promise<string>;
  mentions(userIds: readonly string[]): Promise<string>;
}

export const USAGE = {
  create: '/guild create <name> --day <weekday> --time HH:MM --tz <Area/City> [--every N weeks] [--channel ~name] [--members @user @group label…] [--facilitators @user…] [--sources incidents,rfcs,pick|none] [--purpose <text>]',
  edit: '/guild edit <name> [--name <new name>] [--day …] [--time …] [--tz …] [--every N] [--channel ~name | --no-channel] [--members …] [--facilitators …] [--sources …] [--purpose …]',
  list: '/guild list',
  next: '/guild next <name>',
  agenda: '/guild agenda <name>',
  queue: '/guild queue <name> <item>',
  unqueue: '/guild unqueue <name> <item id>',
  notes: '/guild notes <name> [decision|action] <text>',
  unnote: '/guild unnote <name> <note id>',
  close: '/guild close <name> [--done Q1,INC-042…|all] [--carry Q2…] [--early]',
  delete: '/guild delete <name> --confirm',
  adopt: '/guild adopt <name>',
  skip: '/guild skip <name> <YYYY-MM-DD>',
  unskip: '/guild unskip <name> <YYYY-MM-DD>',
  holidaysAdd: '/guild holidays add <YYYY-MM-DD> [name]',
  holidaysRemove: '/guild holidays remove <YYYY-MM-DD>',
  swap: '/guild swap <name> @user1 @user2 | /guild swap <name> facilitator|scribe @user',
  rota: '/guild rota <name>',
} as const;

const plural = (n: number, noun: string, many = `${noun}s`): string => `${n} ${n === 1 ? noun : many}`;
const relayed = (text: string): string => withoutChannelMentions(text);
const one = (text: string, max = 600): string => {
  const flat = text.includes('\n') ? text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ') : text;
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
};

/** "every Monday 10:00 UTC", "every 2 weeks on Wednesday 10:00 Europe/Berlin" */
export function cadenceOf(g: Pick<Guild, 'day' | 'everyWeeks' | 'time' | 'timeZone'>): string {
  const day = WEEKDAY_LABELS[WEEKDAYS[g.day]!];
  return `${g.everyWeeks === 1 ? 'every' : `every ${g.everyWeeks} weeks on`} ${day} ${g.time} ${g.timeZone}`;
}

/** How refusals name each role of policy.ts ("Only its author, the guild's creator, … can remove Q2."). */
export const GUILD_ROLE_WORDS = { creator: "the guild's creator", facilitator: 'its facilitators', author: 'its author' } as const;

export const GUILD_TEXT = {
  help: 'Guilds: schedules, agendas built from live incidents, RFCs and ideas, meeting notes',
  noTeam: 'No such team.',
  noGuild: 'No such guild.',
  tooManyGuilds: `A team can have at most ${LIMITS.guildsPerTeam} guilds; delete one first (\`/guild delete <name>\`).`,
  tooManySelectors: (flag: string): string => `At most ${LIMITS.selectors} items in --${flag}.`,
  noSuchGuild: (text: string): string => `No guild "${one(text, 60)}" here. \`/guild list\` shows the ones you can see.`,
  ambiguous: (text: string, slugs: readonly string[]): string => `"${one(text, 60)}" matches ${slugs.join(', ')}; be more specific.`,
  sayWhich: 'Say which guild.',
  nameIt: 'Name the guild.',
  nameNeedsLetters: 'The guild name needs letters or digits.',
  required: (flag: string): string => `${flag} is required.`,
  sayWhatToChange: 'Say what to change.',
  onlyMembersCreate: (what: string): string => `Only members of the team can ${what} (guests can't).`,
  channelOrNoChannel: 'Use either --channel or --no-channel, not both.',
  notAWeekday: (text: string): string => `"${one(text, 30)}" is not a weekday (monday … sunday, or mon, tue…).`,
  notATime: (text: string): string => `"${one(text, 30)}" is not a time; use HH:MM (24-hour).`,
  everyRange: `--every is 1 to ${LIMITS.everyWeeks} weeks.`,
  notWeeks: (text: string): string => `"--every ${one(text, 30)}" is not a number of weeks.`,
  unknownSources: (bad: readonly string[], known: readonly string[]): string =>
    `Unknown source${bad.length > 1 ? 's' : ''} ${bad.map((b) => one(b, 30)).join(', ')}; use ${known.join(', ')} or none.`,
  /** The same answer whether the channel is missing, private to others, archived or read-only (M11). */
  noPostableChannel: (name: string): string => `There is no channel ${name} in this team that you can post in.`,
  cannotPostIn: (name: string): string => `You can't post in the channel ${name}, so Infra Ops won't post the guild's agendas there for you.`,
  channelOfOtherTeam: "The guild's channel must be a channel of this team.",
  memberNotOnTeam: (who: string): string => `${who} is not on this team.`,
  channelWideMember: (label: string): string => `${label} can't be a guild member: it would notify everyone in the channel. Name people or groups.`,
  unknownFacilitators: 'Facilitators must be people on this team (@username).',
  exists: (slug: string): string => `A guild "${slug}" already exists in this team; pick another name.`,
  nameTaken: (name: string, slug: string): string => `Another guild here is already called "${one(name, 100)}" (\`${slug}\`); pick another name.`,
  sayWhatToQueue: 'Say what to put on the agenda.',
  sayWhatToNote: 'Write the note.',
  sayWhichItem: 'Say which item to remove (its id, e.g. Q3).',
  notAnItemId: (text: string): string => `"${one(text, 20)}" is not an item id (Q3).`,
  noSuchItem: (ref: string, guild: Pick<Guild, 'name'>): string => `There is no item ${ref} on the ${guild.name} agenda.`,
  sayWhichNote: 'Say which note to remove (its id, e.g. N2, as `/guild agenda` shows).',
  notANoteId: (text: string): string => `"${one(text, 20)}" is not a note id (N2).`,
  noSuchNote: (ref: string, guild: Pick<Guild, 'name'>): string => `There is no note ${ref} in the current ${guild.name} meeting.`,
  queueFull: (guild: Pick<Guild, 'name'>): string =>
    `${guild.name} already has ${LIMITS.queue} queued items (the limit); close a meeting or remove one with \`/guild unqueue\` first.`,
  notesFull: (guild: Pick<Guild, 'name'>): string => `${guild.name} already has ${LIMITS.notes} notes for this meeting (the limit); close the meeting first.`,
  notOnAgenda: (refs: readonly string[]): string =>
    `Not on this agenda: ${refs.map((r) => one(r, LIMITS.selector)).join(', ')}. Use the item ids shown by \`/guild agenda\` (Q1, INC-042…).`,
  doneAndCarried: (refs: readonly string[]): string => `${refs.join(', ')} can't be both done and carried over.`,
  alreadyClosed: (guild: GuildCopy): string => `That ${guild.name} meeting is already closed.`,
  meetingClosed: (guild: GuildCopy, at: number, next: number, now: number): string =>
    `The ${guild.name} meeting of ${describeMeeting(at, guild.timeZone)} is already closed. The next one is ${describeMeeting(next, guild.timeZone)} — ${relative(next, now)}; ${CLOSE_IT}`,
  notStarted: (guild: GuildCopy, next: number, now: number): string =>
    `No ${guild.name} meeting has taken place yet: the first is ${describeMeeting(next, guild.timeZone)} — ${relative(next, now)}; ${CLOSE_IT}`,
  closedEarly: (guild: GuildCopy, at: number, next: number, now: number): string =>
    `The ${guild.name} meeting of ${describeMeeting(at, guild.timeZone)} was already closed early. The next one is ${describeMeeting(next, guild.timeZone)} — ${relative(next, now)}; close it once it has started.`,
  notADate: (text: string): string => `"${one(text, 40)}" is not a date; write it as YYYY-MM-DD (e.g. 2027-12-24).`,
  notAMeetingDay: (guild: GuildCopy, date: string, nearest: string): string =>
    `${guild.name} does not meet on ${date}; its nearest meeting from then is ${nearest}.`,
  skipInPast: (date: string): string => `${date} has passed; only a meeting still to come can be called off.`,
  alreadySkipped: (guild: GuildCopy, date: string): string => `The ${guild.name} meeting of ${date} is already called off.`,
  notSkipped: (guild: GuildCopy, date: string): string => `The ${guild.name} meeting of ${date} is not called off.`,
  tooManySkips: `A guild can have at most ${LIMITS.skips} called-off meetings to come; hold one first (\`/guild unskip\`).`,
  skipped: (guild: GuildCopy, date: string, next: string): string => `Called off the ${guild.name} meeting of ${date}; nothing is posted for it. Next meeting: ${next}.`,
  unskipped: (guild: GuildCopy, date: string, next: string): string => `The ${guild.name} meeting of ${date} is on again. Next meeting: ${next}.`,
  holidayExists: (date: string): string => `${date} is already a team holiday.`,
  noHoliday: (date: string): string => `${date} is not a team holiday.`,
  tooManyHolidays: `A team can list at most ${LIMITS.holidays} holidays; remove one first.`,
  holidayAdded: (date: string, name: string, guilds: number): string =>
    `Added ${date}${name ? ` (${relayed(one(name, LIMITS.holidayName))})` : ''} as a team holiday; ${plural(guilds, 'guild')} skip${guilds === 1 ? 's' : ''} ${guilds === 1 ? 'its' : 'their'} meeting on it.`,
  holidayRemoved: (date: string): string => `Removed the team holiday ${date}; guilds meet on it again.`,
  holidaysHeading: '#### Team holidays (no guild meets on these days)',
  holidaysEmpty: '_No team holidays. A team admin adds one with `/guild holidays add YYYY-MM-DD [name]`._',
  holidayLine: (date: string, name: string): string => `- ${date}${name ? ` — ${relayed(one(name, LIMITS.holidayName))}` : ''}`,
  notInRota: (name: string): string => `Both people must be user members of ${name} (\`/guild edit <name> --members …\`).`,
  swapWithSelf: 'Name two different members.',
  noRota: (guild: GuildCopy): string => `${guild.name} has no user members, so there is no rota (\`/guild edit ${guild.slug} --members @user …\`).`,
  sayWhoToSwap: 'Name two members (`@alice @bob`), or a role and a member (`facilitator @alice`).',
  swapped: (guild: GuildCopy, rota: string): string => `Swapped. ${guild.name} rota:\n${rota}`,
  rotaLines: (turns: ReadonlyArray<{ at: string; facilitator: string; scribe: string | null }>): string =>
    turns.map((t) => `- ${t.at}: facilitator ${t.facilitator}${t.scribe ? `, scribe ${t.scribe}` : ''}`).join('\n'),
  confirmDelete: (guild: GuildCopy): string =>
    `This deletes **${guild.name}** (\`${guild.slug}\`) with its ${plural(guild.queue.length, 'queued item')}, ${plural(guild.notes.length, 'note')} and meeting history, and stops its reminders. There is no undo. To go ahead: \`/guild delete ${guild.slug} --confirm\``,
  deleted: (guild: GuildCopy): string => `Deleted **${guild.name}** (\`${guild.slug}\`).`,
  created: (guild: GuildCopy, next: string, warnings: readonly string[]): string =>
    [
      `Created **${guild.name}** (\`${guild.slug}\`). Next meeting: ${next}.`,
      ...(guild.channelId ? [] : [`It is inactive until it has a channel: \`/guild edit ${guild.slug} --channel ~name\`.`]),
      ...warnings,
    ].join('\n'),
  updated: (guild: GuildCopy, next: string, channelName: string | null, renamedFrom: string | null, warnings: readonly string[]): string =>
    [
      `Updated **${guild.name}**. Next meeting: ${next}${channelName ? ` in ~${channelName}.` : `. It is inactive until it has a channel: \`/guild edit ${guild.slug} --channel ~name\`.`}`,
      ...(renamedFrom ? [`Renamed from ${renamedFrom}; its id stays \`${guild.slug}\`, and the id, the new name and the old name all find it.`] : []),
      ...warnings,
    ].join('\n'),
  labelNotUser: (word: string): string => `Note: ${one(word, 70)} is not a user here, so it is kept as a label (written, not looked up). Check the spelling if you meant a person.`,
  queued: (guild: GuildCopy, item: QueueItem, next: string): string => `Queued Q${item.id} for ${guild.name} (${next}): ${relayed(one(item.text, 300))}`,
  unqueued: (guild: GuildCopy, item: QueueItem): string => `Removed Q${item.id} from the ${guild.name} agenda: ${relayed(one(item.text, 300))}`,
  noted: (guild: GuildCopy, note: GuildNote, id: number): string =>
    `Recorded ${note.kind === 'action' ? 'an action item' : `a ${note.kind}`} N${id} for ${guild.name}: ${relayed(one(note.text, 300))}`,
  unnoted: (guild: GuildCopy, note: GuildNote, id: number): string => `Removed ${note.kind === 'action' ? 'action item' : note.kind} N${id} from the ${guild.name} meeting: ${relayed(one(note.text, 300))}`,
  closed: (guild: GuildCopy, m: Meeting, notReviewed: readonly string[], selectionGiven: boolean, early: boolean): string =>
    [
      `Closed the ${guild.name} meeting of ${describeMeeting(m.scheduledFor ?? m.closedAt, guild.timeZone)}${early ? ' early, before its start (it gets no start post)' : ''}: ${plural(m.done.length, 'item')} done, ${plural(m.reviewedIncidents.length, 'incident')} reviewed, ${m.carried.length} carried over, ${plural(m.notes.length, 'note')} recorded.`,
      ...(notReviewed.length ? [`Not marked reviewed (you may not mark these): ${notReviewed.join(', ')}; they stay on the agenda.`] : []),
      ...(selectionGiven || m.carried.length === 0 ? [] : ['Nothing was marked done; next time use `--done Q1,INC-042…`, `--done all` or `--carry Q2…`.']),
    ].join('\n'),
  listHeading: '**Guilds**',
  listEmpty: 'None yet: `/guild create`.',
  listLine: (g: GuildCopy, channelName: string | null, next: string): string =>
    `- **${g.name}** (\`${g.slug}\`) — ${g.purpose ? relayed(one(g.purpose, 300)) : 'no purpose set'} · ${cadenceOf(g)} · ${channelName ? `~${channelName}` : 'inactive (no channel)'} · next ${next}`,
  legacyLine: (g: { name: string; slug: string }): string =>
    `- **${g.name}** (\`${g.slug}\`) was made before guilds belonged to a team: \`/guild adopt ${g.slug}\` moves it into this team.`,
  legacyHeading: '_Your guilds from before guilds belonged to a team (only you see these):_',
  adopted: (g: GuildCopy): string => `Moved **${g.name}** into this team as \`${g.slug}\`.`,
  noLegacy: (text: string): string => `You have no guild "${one(text, 60)}" from before guilds belonged to a team.`,
  next: (g: GuildCopy, at: number, now: number, following: number): string =>
    at <= now
      ? `**${g.name}** is meeting now: it started ${humanDuration(now - at)} ago (${describeMeeting(at, g.timeZone)}). The one after is ${describeMeeting(following, g.timeZone)} — ${relative(following, now)} (${cadenceOf(g)}).`
      : `**${g.name}** meets next ${describeMeeting(at, g.timeZone)} — ${relative(at, now)} (${cadenceOf(g)}).`,
  owed: (g: GuildCopy, q: QueueItem): string => `Your agenda item Q${q.id} for ${g.name}: ${one(q.text, 200)}${q.carried ? ` (carried ${q.carried}×)` : ''}`,
  subcommandHelp: {
    create: 'Create a guild with its meeting schedule (in this team)',
    edit: 'Change a guild (its creator, facilitators or an admin)',
    list: "The team's guilds you can see, and when each meets next",
    next: 'When the guild meets next',
    agenda: 'The next meeting’s agenda: carried and queued items plus live incidents, RFCs and ideas',
    queue: 'Put an item on the next agenda',
    unqueue: 'Take an item off the agenda (its author, facilitators, the creator or an admin)',
    notes: 'Record a note, decision or action item for the current meeting',
    unnote: 'Remove a note of the current meeting (its author, facilitators, the creator or an admin)',
    close:
      'Close the meeting in progress or just finished: --done items are finished, --carry items carry over (the others are done); neither: everything carries over; --early closes the next meeting before it starts',
    delete: 'Delete a guild (its creator or an admin)',
    adopt: 'Move a guild you made before guilds belonged to a team into this team',
    skip: 'Call off one meeting of a guild (its creator, facilitators or an admin); nothing is posted for it',
    unskip: 'Hold a called-off meeting after all',
    holidays: "The team's holidays: no guild of the team meets on them (team admins add and remove)",
    holidaysAdd: 'Add a team holiday (team admins)',
    holidaysList: "The team's holidays",
    holidaysRemove: 'Remove a team holiday (team admins)',
    swap: 'Exchange two members’ places in the facilitator/scribe rota, or hand the next meeting’s role to someone',
    rota: 'Who facilitates and takes notes at the next meetings',
  },
} as const;

/** How to close a meeting that has not started: said wherever a close is refused for that. */
const CLOSE_IT = 'close it once it has started, or before that with `--early` (it then gets no start post).';

/** "in 3 days", "5 minutes ago", "now" */
export function relative(at: number, now: number): string {
  if (Math.abs(at - now) < 30_000) return 'now';
  return at > now ? `in ${humanDuration(at - now)}` : `${humanDuration(now - at)} ago`;
}

// ---- agendas ----

/** An agenda as the renderers need it (the service's Agenda satisfies it). */
export interface AgendaText {
  readonly slug: string;
  readonly name: string;
  readonly sources: readonly GuildSource[];
  readonly scheduledFor: number;
  readonly timeZone: string;
  readonly since: number | null;
  readonly carried: readonly QueueItem[];
  readonly queued: readonly QueueItem[];
  readonly incidents: readonly IncidentReviewItem[];
  readonly rfcs: readonly RfcReviewItem[];
  readonly ideas: readonly IdeaAgendaItem[];
  readonly notes: readonly GuildNote[];
  readonly hidden: { readonly incidents: number; readonly rfcs: number; readonly ideas: number };
  /** Who reads it: a person (hidden items are "ones you can't see") or a channel post ("private"). */
  readonly forChannel: boolean;
}

/** `/guild agenda`: heading, sections and how to close, within one post. */
export async function renderAgenda(a: AgendaText, names: Names, now: number): Promise<string> {
  return fitPost(
    [`#### ${relayed(a.name)} — agenda for ${describeMeeting(a.scheduledFor, a.timeZone)}`],
    await agendaSections(a, names, now),
    [`Close with \`${closeUsage(a.slug)}\`.`],
  );
}

const closeUsage = (slug: string): string => `/guild close ${slug} [--done Q1,INC-042…|all] [--carry Q2…]`;

/** The agenda's sections, without heading or footer. */
export async function agendaSections(a: AgendaText, names: Names, now: number): Promise<string[]> {
  const byWhom = async (id: string): Promise<string> => `@${await names.username(id)}`;
  const lines = [
    ...section('Carried over', await Promise.all(a.carried.map(async (q) => `\`Q${q.id}\` ${relayed(one(q.text))} (${await byWhom(q.by)}, carried ${q.carried}×)`))),
    ...section('Queued', await Promise.all(a.queued.map(async (q) => `\`Q${q.id}\` ${relayed(one(q.text))} (${await byWhom(q.by)})`))),
  ];
  if (lines.length === 0) lines.push(`Nothing queued yet: \`/guild queue ${a.slug} <item>\`.`);
  lines.push(
    ...liveSection(a, 'incidents', 'Incidents to review', a.incidents.map((i) => incidentLine(i, a.since)), hiddenLine(a.hidden.incidents, 'incident', a.forChannel)),
    ...liveSection(a, 'rfcs', 'RFCs in review', await Promise.all(a.rfcs.map((r) => rfcLine(r, names, now))), hiddenLine(a.hidden.rfcs, 'RFC', a.forChannel)),
    ...liveSection(a, 'pick', 'Challenge ideas (new or disputed)', a.ideas.map(ideaLine), hiddenLine(a.hidden.ideas, 'idea', a.forChannel)),
  );
  if (a.notes.length) {
    lines.push('**Notes so far**');
    for (const [k, n] of a.notes.entries()) lines.push(`- \`N${noteId(n, k)}\` ${n.kind === 'note' ? '' : `${n.kind}: `}${relayed(one(n.text))} (${await byWhom(n.by)})`);
  }
  return lines;
}

const section = (title: string, items: readonly string[]): string[] => (items.length ? [`**${title}**`, ...items.map((i) => `- ${i}`)] : []);

function hiddenLine(n: number, noun: string, forChannel: boolean): string | null {
  if (n === 0) return null;
  return forChannel ? `_+${plural(n, `private ${noun}`)}_` : `_+${plural(n, noun)} you can't see_`;
}

/** A source the guild reads says so even when empty: "nothing to review" is news too. */
function liveSection(a: AgendaText, source: GuildSource, title: string, items: readonly string[], hidden: string | null): string[] {
  if (!a.sources.includes(source) && items.length === 0) return [];
  if (items.length === 0) return [`**${title}:** none${hidden ? ` you can see (${hidden.replace(/_/g, '')})` : ''}`];
  return [...section(title, items), ...(hidden ? [`- ${hidden}`] : [])];
}

function incidentLine(i: IncidentReviewItem, since: number | null): string {
  const carried = since !== null && i.resolvedAt <= since ? ' (still unreviewed from before)' : '';
  const mttr = i.mttrMinutes === null ? 'unknown' : clockDuration(i.mttrMinutes);
  return `\`${i.reference}\` ${relayed(one(i.title, 200))} — SEV${i.severity}, resolved ${utcStamp(i.resolvedAt)}${carried}, MTTR ${mttr}, ${plural(i.openFollowups, 'open follow-up')}`;
}

async function rfcLine(r: RfcReviewItem, names: Names, now: number): Promise<string> {
  const left =
    r.commentPeriodEndsAt === null ? 'no comment period' : r.commentPeriodEndsAt > now ? `${humanDuration(r.commentPeriodEndsAt - now)} left` : 'comment period over';
  const missing = r.missingSignoffs.length ? `missing sign-off: ${await names.mentions(r.missingSignoffs.slice(0, 20))}` : 'all signed off';
  return `\`${r.reference}\` ${relayed(one(r.title, 200))} — ${left}; ${missing}${r.openConcerns ? `; ${plural(r.openConcerns, 'open concern')}` : ''}`;
}

const ideaLine = (i: IdeaAgendaItem): string =>
  `\`${i.reference}\` ${relayed(one(i.title, 200))}${i.disputed ? ' — ⚠ disputed: discuss the spread' : ' — Challenge: open an RFC?'}`;

// ---- bot posts ----

/** Head, then as much of the body as fits, then the foot: never over the post limit, cuts said. */
export function fitPost(head: readonly string[], body: readonly string[], foot: readonly string[]): string {
  const fixed = [...head, ...foot].reduce((n, line) => n + [...line].length + 1, 0);
  return [...head, ...fitLines(body, Math.max(1_000, POST_RUNES_MAX - fixed - 16)), ...foot].join('\n');
}

export interface CadenceEventText {
  readonly kind: 'reminder' | 'start';
  readonly meetingAt: number;
}

/** The reminder or start post: a headline, who is expected, the agenda, what to do. */
export async function cadenceMessage(guild: GuildCopy, event: CadenceEventText, agenda: AgendaText, names: Names, now: number): Promise<string> {
  const when = describeMeeting(event.meetingAt, guild.timeZone);
  const head = [
    event.kind === 'reminder' ? `#### ⏰ ${relayed(guild.name)} meets in ${humanDuration(event.meetingAt - now)} — ${when}` : `#### 📣 ${relayed(guild.name)} starts now — ${when}`,
  ];
  const who = await expected(guild, names);
  if (who) head.push(`${who}${guild.purpose ? ` · ${relayed(one(guild.purpose, 300))}` : ''}`);
  const turn = rotaTurn(guild);
  if (turn) head.push(`Facilitator: @${await names.username(turn.facilitator)}${turn.scribe ? ` · Scribe: @${await names.username(turn.scribe)}` : ''}`);
  head.push('');
  const foot = [
    '',
    event.kind === 'reminder'
      ? `_Add to the agenda with \`/guild queue ${guild.slug} <item>\`._`
      : `_Record with \`/guild notes ${guild.slug} [decision|action] <text>\`; close with \`${closeUsage(guild.slug)}\`._`,
  ];
  return fitPost(head, await agendaSections(agenda, names, now), foot);
}

/** Users as @mentions; `@group` labels as written, so Mattermost notifies the group; other labels as words. */
async function expected(guild: GuildCopy, names: Names): Promise<string> {
  const users = guild.members.flatMap((m) => (m.kind === 'user' ? [m.userId] : []));
  const labels = guild.members.flatMap((m) => (m.kind === 'label' ? [relayed(m.text)] : []));
  const mentions = [...(users.length ? [await names.mentions(users)] : []), ...labels.filter((l) => l.startsWith('@'))];
  const words = labels.filter((l) => !l.startsWith('@'));
  return [mentions.join(', '), words.join(', ')].filter(Boolean).join(' · ');
}

/** Posted in the guild's channel when a meeting closes. */
export async function meetingSummary(guild: GuildCopy, m: Meeting, names: Names): Promise<string> {
  const body: string[] = [];
  const notes = async (title: string, kind: GuildNote['kind']): Promise<void> => {
    const of = m.notes.filter((n) => n.kind === kind);
    if (!of.length) return;
    body.push(`**${title}**`);
    for (const n of of) body.push(`- ${relayed(one(n.text, LIMITS.note))} (@${await names.username(n.by)})`);
  };
  await notes('Decisions', 'decision');
  await notes('Action items', 'action');
  await notes('Notes', 'note');
  if (m.done.length) body.push(`**Done:** ${relayed(m.done.join('; '))}`);
  if (m.reviewedIncidents.length) body.push(`**Incidents reviewed:** ${m.reviewedIncidents.join(', ')}`);
  if (m.carried.length) body.push(`**Carried to the next meeting:** ${relayed(m.carried.join('; '))}`);
  if (!body.length) body.push('_Nothing was recorded._');
  return fitPost([`#### ${relayed(guild.name)} — meeting closed`, `_${describeMeeting(m.scheduledFor ?? m.closedAt, guild.timeZone)}, closed by @${await names.username(m.closedBy)}_`], body, []);
}
