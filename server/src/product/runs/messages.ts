/** Every word runs say to people: replies, errors, the card and the timeline. */
import { runReference } from '../contract/runs';
import { humanDuration, utcStamp } from '../shared/time/duration';
import { localTime } from '../shared/time/zone';
import type { ChecklistRefusalCode } from './checklist';

export const USAGE = {
  start: '<name> [--template <template>]',
  checklist: '',
  check: '<item>',
  uncheck: '<item>',
  skip: '<item>',
  assign: '<item> @user…',
  due: '<item> <in 2h | tomorrow 14:00 | 2027-01-05 14:00 | none>',
  add: '<checklist> <item title>',
  remove: '<item>',
  approve: '[item]',
  abstain: '[item]',
  hold: '[item]',
  concern: '[item] <text>  (item as 2.3)',
  resolve: '[item] <concern-id> [resolution]',
  delegate: '[item] @user | --none',
  approvers: '<item> @user… [--quorum all|majority|N]',
  finish: '[--override <reason>]',
  override: '[item] <reason>',
  timeline: '',
  templates: '',
  template: '<name>',
  templateExport: '<name>',
} as const;

export const HELP = {
  run: 'Runs: the checklist, approvals and timeline of the run in this channel',
  release: 'Releases: start one in its own channel from a release template',
  start: 'Start a release in its own channel (from the team\'s "Product release" template unless --template names another)',
  checklist: "Show this channel's run: checklists, who, when, gates",
  check: 'Mark an item done',
  uncheck: 'Mark an item not done again',
  skip: 'Skip an item (it no longer counts as missing)',
  assign: 'Give an item to one or more people (replaces its assignees)',
  due: 'Set or clear when an item is due; its assignees are reminded once at that time',
  add: 'Add an item to a checklist',
  remove: 'Remove an item',
  approve: 'Approve a gate as one of its approvers (the only gate when no item is named)',
  abstain: 'Abstain on a gate: you no longer count towards its quorum',
  hold: 'Hold a gate: it stays shut until you approve or abstain',
  concern: 'Raise a blocking concern on a gate',
  resolve: 'Resolve a concern on a gate (whoever raised it, or the run owner)',
  delegate: 'Let someone else answer for you on a gate (--none takes it back)',
  approvers: 'Name approvers of a gate (run owner or team admins)',
  override: 'Let an open gate pass, with the reason on the record (team admins)',
  finish: 'Finish the run: refused while a gate is open; a team admin may --override with a reason',
  timeline: "The run's timeline, newest last",
  retro: 'The retrospective: show it, write a section (`/run retro <section> <text>`), or `publish` it (owner)',
  export: "Post the run's report here (summary, checklist with who and when, approvals, timeline)",
  templates: "The team's run templates",
  stats: 'Per template: runs started and finished, median time to finish, time in approval, due items on time',
  template: 'Show a template: its checklists, gates and cadence',
  templateExport: 'The template as JSON, to import elsewhere (team admins)',
} as const;

export const ROLE_WORDS = { owner: 'the run owner' } as const;

/** What each action of policy.ts is called in refusals ("Only … can finish the run."). */
export const ACTION_WORDS = {
  view: 'see it',
  start: 'start a run',
  work: 'work on its checklist',
  answer: 'answer on this gate',
  resolve: 'resolve this concern',
  approvers: 'name approvers',
  finish: 'finish the run',
  publish: 'publish the retrospective',
  cadence: 'change when status updates are due',
  request: 'ask for a status update',
  override: 'override open gates',
  viewTemplates: "see the team's templates",
  manageTemplates: "change the team's templates",
  exec: "run an item's command here",
  exportTemplates: "export the team's templates",
} as const;

export const ownerTitle = (kind: string): string => (kind === 'incident' ? 'commander' : kind === 'release' ? 'release manager' : 'owner');

export const ERR = {
  noSuchRun: 'No such run.',
  noRunHere: 'There is no run in this channel. Start a release with `/release start <name>`.',
  channelHasRun: 'This channel already holds a run.',
  noSuchTemplate: (name: string, known: readonly string[]): string => `There is no template “${name}”. Templates: ${known.join(', ') || 'none'}.`,
  noTemplateOfKind: (kind: string): string => `This team has no ${kind} template; name one with --template.`,
  noName: 'Give the run a name, e.g. `/release start 1.4.0`.',
  noItem: 'Say which item: its number such as 2.3, or words of its title.',
  noText: 'Say what the concern is.',
  noPeople: 'Name at least one person (@user).',
  badDue: 'Say when: `in 2h`, `in 3d`, `tomorrow 14:00`, `2027-01-05 14:00` (your time zone) or `none`.',
  badDueClock: (text: string): string => `"${text.slice(0, 16)}" is not a time of day; use 24-hour time such as 14:00.`,
  overrideNeedsReason: 'Say why: `/run finish --override <reason>`.',
  gateOverrideNeedsReason: 'Say why: `/run override <item> <reason>`.',
  gatePassed: 'That gate has passed already; there is nothing to override.',
  noGates: 'This run has no approval gates.',
  whichGate: (refs: string): string => `This run has several gates (${refs}); say which one, e.g. \`/run approve 2.1\`.`,
  delegateToSelf: 'You already answer for yourself: name someone else, or `--none`.',
  notASeat: (ref: string): string => `You are not an approver of ${ref}.`,
  tooManySeats: (max: number): string => `A gate has at most ${max} approvers.`,
  badQuorum: 'A quorum is all, majority, or at least N (N from 1).',
  noSuchConcern: (ref: string, id: number): string => `${ref} has no concern #${id}.`,
  noConcernInRun: (id: number): string => `No gate of this run has a concern #${id}.`,
  concernResolved: (ref: string, id: number): string => `Concern #${id} on ${ref} is already resolved.`,
  notConcernNumber: 'a concern number such as 2',
  refusal: (code: ChecklistRefusalCode, detail: string): string => CHECKLIST_REFUSALS[code](detail),
  retro: {
    noSuchSection: (d: string): string => `There is no retrospective section “${d}” (say its number or the start of its title; \`/run retro\` lists them).`,
    published: (_d: string): string => 'The retrospective is published; it is the record now and no longer changes.',
    notFinished: (_d: string): string => 'Finish the run first (`/run finish`); then publish its retrospective.',
    empty: (_d: string): string => 'Write at least one section first: `/run retro <section> <text>`.',
  } satisfies Record<string, (detail: string) => string>,
  resolvedOverride: (reference: string): string => `${reference} was resolved`,
  unknownGroup: (id: string): string => `A group of the template (${id}) could not be read; its members were not added.`,
  channelNamesTaken: (name: string): string => `Channels named ${name} and its numbered variants exist already; choose another name.`,
};

const CHECKLIST_REFUSALS: Readonly<Record<ChecklistRefusalCode, (detail: string) => string>> = {
  noSuchItem: (d) => `There is no item ${d ? `“${d}”` : 'like that'} on this run's checklist (see \`/run checklist\`).`,
  noSuchChecklist: (d) => `There is no checklist “${d}” (say its number or the start of its title).`,
  ambiguousItem: (d) => `Several items match (${d}); say its number.`,
  isGate: (d) => `Item ${d} is an approval gate: it is done when its approvers approve (\`/run approve ${d}\`).`,
  notGate: (d) => `Item ${d} is not an approval gate.`,
  tooManyItems: () => 'That checklist is full (at most 50 items a checklist, 200 a run).',
  finished: () => 'This run is finished.',
  gatesOpen: (d) => `Gates still open: ${d}. Get their approvals, or (team admins) \`/run finish --override <reason>\`.`,
  noGates: () => 'This run has no approval gates.',
};

export const reply = {
  started: (ref: string, name: string, channel: string, template: string, version: number): string =>
    `Started ${ref} “${name}” in ~${channel} from the template “${template}” (version ${version}).`,
  itemChanged: (ref: string, what: string): string => `${ref}: ${what}.`,
  nothingChanged: (ref: string): string => `Nothing changed on ${ref}.`,
  finished: (ref: string, override: string | null): string => `${ref} is finished${override ? ` (gates overridden: ${override})` : ''}.`,
};

/** Timeline lines (also what the card's last-changes show). */
export const line = {
  started: (who: string, template: string, version: number): string => `@${who} started the run from “${template}” v${version}`,
  runbook: (reference: string, template: string, version: number): string => `${reference} was declared: its runbook is “${template}” v${version}`,
  commander: (reference: string, owner: string): string => `@${owner} commands ${reference} now and owns its runbook`,
  checked: (who: string, ref: string, title: string): string => `@${who} checked ${ref} ${title}`,
  unchecked: (who: string, ref: string, title: string): string => `@${who} unchecked ${ref} ${title}`,
  skipped: (who: string, ref: string, title: string): string => `@${who} skipped ${ref} ${title}`,
  assigned: (who: string, ref: string, to: string): string => (to ? `@${who} assigned ${ref} to ${to}` : `@${who} cleared the assignees of ${ref}`),
  due: (who: string, ref: string, due: number | null): string => (due === null ? `@${who} cleared the due time of ${ref}` : `@${who} set ${ref} due ${utcStamp(due)}`),
  added: (who: string, ref: string, title: string): string => `@${who} added ${ref} ${title}`,
  removed: (who: string, ref: string, title: string): string => `@${who} removed ${ref} ${title}`,
  answered: (who: string, ref: string, answer: string, note: string | null): string =>
    `@${who} ${answer === 'approve' ? 'approved' : answer === 'hold' ? 'holds' : answer === 'abstain' ? 'abstains on' : 'took back their answer on'} ${ref}${note ? `: ${note}` : ''}`,
  concern: (who: string, ref: string, id: number, text: string): string => `@${who} raised concern #${id} on ${ref}: ${text}`,
  resolved: (who: string, ref: string, id: number, text: string | null): string => `@${who} resolved concern #${id} on ${ref}${text ? `: ${text}` : ''}`,
  delegated: (who: string, ref: string, to: string | null): string => (to ? `@${who} lets @${to} answer for them on ${ref}` : `@${who} answers for themselves on ${ref} again`),
  approvers: (who: string, ref: string, names: string): string => `@${who} named approvers of ${ref}: ${names}`,
  retroWritten: (who: string, section: string): string => `@${who} wrote the retrospective's “${section}”`,
  retroPublished: (who: string): string => `@${who} published the retrospective`,
  gateOverridden: (who: string, ref: string, reason: string): string => `@${who} overrode the gate ${ref}: ${reason}`,
  finished: (who: string, override: string | null): string => `@${who} finished the run${override ? ` overriding open gates: ${override}` : ''}`,
};

export const nag = (mentions: string, ref: string, runRef: string, title: string, late: number): string =>
  `${mentions}: ${runRef} item ${ref} “${title}” is due${late > 60_000 ? ` (${humanDuration(late)} ago)` : ' now'}. \`/run check ${ref}\` when it is done.`;

export const retroReminder = (owner: string, ref: string): string =>
  `@${owner}: the retrospective of ${ref} is not published yet. Write it with \`/run retro <section> <text>\` and publish it with \`/run retro publish\`.`;

export { runReference };

/** Template export and import (template_io.ts, playbooks_import.ts). */
export const IMPORT = {
  refused: (problems: readonly string[]): string => `The template was not imported: ${problems.join('; ')}.`,
  notJson: (reason: string): string => `document: not JSON (${reason.slice(0, 120)})`,
  moreProblems: (n: number): string => `and ${n} more`,
  tooManyItems: (max: number): string => `template.checklists: at most ${max} items in all`,
  unknownUser: (name: string, where: string): string => `@${name}: no such user in this team — left out of ${where}`,
  unknownUserId: (id: string, where: string): string => `user id ${id}: no such user in this team — left out of ${where}`,
  unknownGroup: (name: string, id: string, where: string): string => `group ${name ? `“${name}” ` : ''}(${id}): not found on this server — left out of ${where}`,
  exported: (name: string, version: number): string => `Template “${name}” (version ${version}), as JSON — import it with \`POST …/templates/import\` (source "infra-ops"):`,
  tooLongToShow: (name: string, path: string): string => `“${name}” is too large for a message; download it from \`GET ${path}\`.`,
  imported: (name: string, version: number): string => `Imported “${name}” as version ${version}.`,
};

/** `/run exec` (exec.ts): refusals, the reply and the timeline line. */
export const EXEC = {
  usage: '<item>',
  help: "Run an item's slash command here as you (its answer or error goes on the timeline)",
  noCommand: (ref: string): string => `Item ${ref} has no command to run.`,
  notSlash: (ref: string): string => `The command of ${ref} is not a slash command (it must start with /).`,
  recursive: (ref: string): string => `The command of ${ref} runs \`/run exec\` itself; it is not run, so it cannot loop.`,
  line: (who: string, ref: string, command: string, outcome: { ok: true; text: string } | { ok: false; error: string }): string =>
    outcome.ok ? `@${who} ran ${ref}'s command \`${command}\`${outcome.text ? `: ${outcome.text}` : ''}` : `@${who} ran ${ref}'s command \`${command}\` — it failed: ${outcome.error}`,
  reply: (ref: string, command: string, outcome: { ok: true; text: string } | { ok: false; error: string }): string =>
    outcome.ok ? `${ref}: ran \`${command}\` (on the timeline).` : `${ref}: \`${command}\` failed: ${outcome.error} (recorded on the timeline).`,
};

/** `/infra template import` (template_import_command.ts). */
export const TEMPLATE_FILE = {
  help: 'Run templates: import one from a file (team admins)',
  usage: '[JSON]',
  importHelp: 'Import a template: attach the exported .json (a Mattermost Playbooks export or ours) to a message here first, or paste the JSON after the command',
  noFile: (minutes: number): string =>
    `No template file found. Attach the exported \`.json\` file (a Mattermost Playbooks export, or \`/run template export\`) to a message in this channel, send it, then run \`/infra template import\` here within ${minutes} minutes. You can also paste the JSON after the command, or import from the Infra Ops sidebar.`,
  tooLarge: (name: string, size: number, max: number): string => `${name} is ${Math.ceil(size / 1024)} KiB; a template file is at most ${max / 1024} KiB.`,
  notText: (name: string): string => `${name} is not UTF-8 text; attach the JSON file exactly as it was exported.`,
  empty: (name: string): string => `${name} is empty.`,
  imported: (answer: { template: { name: string; version: number }; carriedOver: readonly string[]; notCarried: readonly string[] }, file: string | null, source: 'infra-ops' | 'playbooks'): string =>
    [
      `${IMPORT.imported(answer.template.name, answer.template.version).replace(/\.$/, '')}${file ? ` from ${file}` : ''} (${source === 'playbooks' ? 'a Mattermost Playbooks export' : 'an Infra Ops template'}).`,
      answer.carriedOver.length ? `Carried over: ${answer.carriedOver.join('; ')}.` : '',
      answer.notCarried.length ? ['Not carried over:', ...answer.notCarried.map((l) => `- ${l}`)].join('\n') : 'Everything was carried over.',
    ]
      .filter(Boolean)
      .join('\n'),
};

/** Status updates of a run (status_updates.ts, status_service.ts). */
export const STATUS = {
  usage: {
    update: '<text>',
    cadence: '<30m | 2h | 1d | never | severity>',
    snooze: '<1h | 4h | tomorrow | off>',
    requestUpdate: '',
  },
  help: {
    update: 'Post a status update: in the channel and on the timeline; the next one is due one cadence later',
    cadence: 'How often status updates are due (owner or team admins): a duration, `never`, or for an incident `severity`',
    snooze: 'Snooze the status-update reminder for 1h, 4h or until your local morning tomorrow (owner or team admins); `off` ends it',
    requestUpdate: 'Ask the owner for a status update (once per hour, however many ask)',
  },
  noText: 'Say what the update is, e.g. `/run update Rolled out to 10% of hosts`.',
  badCadence: 'Say how often: a duration such as `30m`, `2h` or `1d`, or `never` (an incident also takes `severity`).',
  badSnooze: 'Snooze for `1h`, `4h`, `tomorrow` (your local morning), or `off`.',
  incidentUpdate: (incident: string): string => `This run is the runbook of ${incident}: post its status update with \`/incident update <text>\`.`,
  notIncident: 'Only an incident\'s runbook follows the severity setting; give a duration or `never`.',
  finished: 'This run is finished: it needs no more status updates.',
  never: 'Status updates are not expected on this run (`/run cadence never`); there is nothing to snooze.',
  cadenceWords: (minutes: number | null): string => (minutes === null ? 'never' : `every ${clockMinutes(minutes)}`),
  /** The card's line. */
  cardLine: (minutes: number | null, due: number | null, snoozedUntil: number | null, now: number): string =>
    minutes === null || due === null
      ? 'Status updates: not expected'
      : `Status updates ${STATUS.cadenceWords(minutes)} · next due ${utcStamp(due)}${due <= now ? ' **(overdue)**' : ''}${snoozedUntil !== null && snoozedUntil > now ? ` · reminder snoozed until ${utcStamp(snoozedUntil)}` : ''}`,
  posted: (ref: string, name: string, text: string, who: string, due: number | null): string =>
    `#### ${ref} ${name}: status update\n${text}\n\n_@${who}${due === null ? '' : ` · next update due ${utcStamp(due)}`}_`,
  reminder: (owner: string, ref: string, name: string, minutes: number, since: number, due: number): string =>
    `⏰ @${owner}, ${ref} ${name} needs a status update: one is expected ${STATUS.cadenceWords(minutes)}, and the last was ${humanDuration(since)} ago. It was due at ${utcStamp(due)}: post one with \`/run update <text>\`, or snooze this reminder.`,
  snoozeButton: { '1h': 'Snooze 1h', '4h': 'Snooze 4h', tomorrow: 'Until tomorrow' } as const,
  requestDm: (who: string, ref: string, name: string, channel: string): string =>
    `@${who} asks for a status update on ${ref} ${name} in ~${channel}. Post one there with \`/run update <text>\`.`,
  replies: {
    updated: (ref: string, due: number | null): string => `Posted the status update of ${ref}${due === null ? '' : `; the next is due ${utcStamp(due)}`}.`,
    cadence: (ref: string, minutes: number | null, bySeverity: boolean, due: number | null): string =>
      `${ref}: status updates ${bySeverity ? 'follow the severity setting' : ''}${bySeverity && minutes !== null ? ` (${STATUS.cadenceWords(minutes)})` : bySeverity ? ' (none at this severity)' : STATUS.cadenceWords(minutes)}${due === null ? '' : `; next due ${utcStamp(due)}`}.`,
    snoozed: (ref: string, until: number | null): string => (until === null ? `${ref}: the reminder is no longer snoozed.` : `${ref}: the status-update reminder is snoozed until ${utcStamp(until)}.`),
    requested: (ref: string, owner: string): string => `Asked @${owner} for a status update on ${ref}.`,
    alreadyRequested: (ref: string, by: string, at: number): string => `@${by} already asked for a status update on ${ref} at ${utcStamp(at)}; the owner was told once.`,
    ownRequest: (ref: string): string => `You own ${ref}: post the update with \`/run update <text>\`.`,
    nothing: (ref: string): string => `Nothing changed on ${ref}.`,
  },
};

export const statusLine = {
  updated: (who: string, text: string): string => `@${who} posted a status update: ${text}`,
  incidentUpdate: (who: string, text: string): string => `@${who} posted the incident's status update: ${text}`,
  cadence: (who: string, minutes: number | null): string => `@${who} set status updates ${STATUS.cadenceWords(minutes)}`,
  bySeverity: (who: string): string => `@${who} set status updates to follow the incident's severity setting`,
  snoozed: (who: string, until: number | null): string => (until === null ? `@${who} ended the status-update snooze` : `@${who} snoozed the status-update reminder until ${utcStamp(until)}`),
  requested: (who: string): string => `@${who} asked for a status update`,
  reminded: (due: number): string => `the owner was reminded of the status update due ${utcStamp(due)}`,
};

/** 90 → "90 minutes", 120 → "2 hours", 1440 → "1 day". */
function clockMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** `/infra owe` (and the daily digest) lines runs add: read by one person, so times in their zone. */
export const owed = {
  statusUpdate: (ref: string, name: string, due: number, now: number, zone: string): string =>
    `${ref} ${name}: a status update ${due <= now ? `was due ${localTime(due, zone)} (overdue)` : `is due ${localTime(due, zone)}`} — \`/run update <text>\``,
  overdue: (ref: string, name: string, item: string, title: string, channel: string): string =>
    `${ref} ${name}: ${item} “${title}” is overdue — \`/run check ${item}\` in ~${channel}`,
  dueToday: (ref: string, name: string, item: string, title: string, due: number, channel: string, zone: string): string =>
    `${ref} ${name}: ${item} “${title}” is due today at ${localTime(due, zone)} — \`/run check ${item}\` in ~${channel}`,
  approval: (ref: string, name: string, item: string, title: string): string => `${ref} ${name}: your approval of ${item} “${title}” — \`/run approve ${item}\``,
};
