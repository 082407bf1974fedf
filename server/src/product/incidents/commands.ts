import { type CommandInvocation, type CommandResult, type CommandSpec, ephemeral } from '../shared/commands';
import { UserError } from '../shared/errors';
import { utcStamp } from '../shared/people';
import { declareDialog, DIALOG_URL } from './dialog';
import type { Declarer } from './declare';
import { parseMilestone, parseRole, parseSeverity, parseTitle, parseType } from './parse';
import type { IncidentQueries, StateFilter } from './queries';
import type { IncidentRuntime } from './runtime';
import { type Incident, MILESTONES, reference, ROLES } from './schema';
import type { IncidentService } from './service';
import { severityName } from './settings';
import { parseDueInput, parseMomentInput, TIME_HELP, timeZoneOf } from './time_input';

const U = {
  declare: '/incident declare [sev1-4] [title] [--type <type>] [--public|--private]',
  status: '/incident status <text>',
  severity: '/incident severity <1-4|SEV1-SEV4|label>',
  role: '/incident role commander|scribe|comms @user',
  timelineAdd: '/incident timeline add <text>',
  milestone: '/incident milestone detected|acknowledged|mitigated|resolved [time]',
  followupAdd: '/incident followup add <text> [@owner] [due: YYYY-MM-DD, +3d, tomorrow]',
  followupDone: '/incident followup done <n>',
  list: '/incident list [active|resolved|all]',
} as const;

/** `/incident …`: thin glue from slash-command text to the use cases. */
export function incidentCommand(
  rt: IncidentRuntime,
  declarer: Declarer,
  service: IncidentService,
  queries: IncidentQueries,
): CommandSpec {
  /** The incident of the channel the command was typed in. */
  const here = async (inv: CommandInvocation): Promise<Incident> => {
    const incident = await queries.forChannel(inv.userId, inv.channelId);
    if (!incident) throw UserError.badRequest('This is not an incident channel. Run this command in the channel of the incident (see `/incident list`).');
    return incident;
  };
  const done = (text: string): CommandResult => ephemeral(text);
  const timeZone = async (userId: string): Promise<string | null> =>
    timeZoneOf((await rt.ctx.api.getUser(userId).catch(() => null))?.Timezone);

  return {
    trigger: 'incident',
    description: 'Declare and run incidents',
    subcommands: [
      {
        name: 'declare',
        usage: '[sev1-4] [title] [--type <type>] [--public|--private]',
        help: 'Declare an incident (without a title: a form)',
        valueFlags: ['type', 'severity'],
        run: (inv) => declareByCommand(rt, declarer, inv),
      },
      {
        name: 'status',
        usage: '<text>',
        help: 'Post a status update (channel, feed, followers); resets the reminder',
        run: async (inv) => {
          const incident = await here(inv);
          await service.status(inv.userId, incident.id, inv.rest);
          return done('Status update posted.');
        },
      },
      {
        name: 'severity',
        usage: '<1-4|SEV1-SEV4|label>',
        help: 'Change the severity (commander, channel admins)',
        choices: [1, 2, 3, 4].map((s) => ({ item: `sev${s}`, help: `SEV${s}` })),
        run: async (inv) => {
          const incident = await here(inv);
          if (inv.positional.length !== 1) throw UserError.badRequest('Give one severity.', U.severity);
          const after = await service.severity(inv.userId, incident.id, parseSeverity(inv.positional[0]!, rt.settings(), U.severity));
          return done(`Severity is now ${severityName(rt.settings(), after.severity)}.`);
        },
      },
      {
        name: 'role',
        usage: 'commander|scribe|comms @user',
        help: 'Hand a role to someone (commander, channel admins)',
        choices: ROLES.map((r) => ({ item: r })),
        run: async (inv) => {
          const incident = await here(inv);
          if (inv.positional.length !== 2) throw UserError.badRequest('Name a role and one user.', U.role);
          const role = parseRole(inv.positional[0]!, U.role);
          const [userId] = await rt.access().people.resolveUsernames([inv.positional[1]!]);
          await service.role(inv.userId, incident.id, role, userId!);
          return done(`${inv.positional[1]!.replace(/^@?/, '@')} is now the ${role}.`);
        },
      },
      {
        name: 'timeline',
        usage: '',
        noArguments: true,
        help: 'Show the latest timeline entries',
        run: async (inv) => {
          const incident = await here(inv);
          const entries = await queries.recentTimeline(incident, 20);
          const lines = entries.map((e) => `- ${utcStamp(e.at)} — ${e.text}`);
          const older = incident.timelineCount > entries.length ? `\n_${incident.timelineCount - entries.length} older entries in the incident view._` : '';
          return done(`**${reference(incident.number)} timeline**\n${lines.join('\n') || '_empty_'}${older}`);
        },
        subcommands: [
          {
            name: 'add',
            usage: '<text>',
            help: 'Add an entry to the timeline',
            run: async (inv) => {
              const incident = await here(inv);
              await service.note(inv.userId, incident.id, inv.rest);
              return done('Added to the timeline.');
            },
          },
        ],
      },
      {
        name: 'milestone',
        usage: 'detected|acknowledged|mitigated|resolved [time]',
        help: `Set a milestone (MTTA/MTTR are measured from them); time: ${TIME_HELP}`,
        choices: MILESTONES.map((m) => ({ item: m })),
        run: async (inv) => {
          const incident = await here(inv);
          if (inv.positional.length === 0) throw UserError.badRequest('Name the milestone.', U.milestone);
          const name = parseMilestone(inv.positional[0]!, U.milestone);
          const at = parseMomentInput(inv.positional.slice(1).join(' '), rt.ctx.now(), await timeZone(inv.userId));
          await service.milestone(inv.userId, incident.id, name, at);
          return done(`${name} set at ${utcStamp(at)}.`);
        },
      },
      {
        name: 'follow',
        usage: '',
        noArguments: true,
        help: 'Get this incident\'s status updates',
        run: async (inv) => {
          const incident = await here(inv);
          await service.follow(inv.userId, incident.id, true);
          return done(`You follow ${reference(incident.number)}.`);
        },
      },
      {
        name: 'unfollow',
        usage: '',
        noArguments: true,
        help: 'Stop getting this incident\'s status updates',
        run: async (inv) => {
          const incident = await here(inv);
          await service.follow(inv.userId, incident.id, false);
          return done(`You no longer follow ${reference(incident.number)}.`);
        },
      },
      {
        name: 'resolve',
        usage: '[summary]',
        help: 'Resolve the incident (commander, channel admins); queues it for review',
        run: async (inv) => {
          const incident = await here(inv);
          const after = await service.resolve(inv.userId, incident.id, inv.rest);
          return done(`${reference(after.number)} resolved${after.milestones.resolved ? ` at ${utcStamp(after.milestones.resolved)}` : ''}.`);
        },
      },
      {
        name: 'reopen',
        usage: '',
        noArguments: true,
        help: 'Reopen a resolved incident (commander, channel admins)',
        run: async (inv) => {
          const incident = await here(inv);
          await service.reopen(inv.userId, incident.id);
          return done(`${reference(incident.number)} reopened.`);
        },
      },
      {
        name: 'followup',
        usage: '',
        help: 'Follow-up actions with owners',
        subcommands: [
          {
            name: 'add',
            usage: '<text> [@owner] [due]',
            help: 'Add a follow-up (due: YYYY-MM-DD, +3d, tomorrow)',
            run: async (inv) => {
              const incident = await here(inv);
              const { words, ownerId, due } = await trailingOwnerAndDue(rt, inv.positional, await timeZone(inv.userId));
              if (words.length === 0) throw UserError.badRequest('The follow-up needs a description.', U.followupAdd);
              const followup = await service.addFollowup(inv.userId, incident.id, words.join(' '), ownerId, due);
              return done(`Follow-up #${followup.n} added.`);
            },
          },
          {
            name: 'done',
            usage: '<n>',
            help: 'Mark follow-up n done',
            run: async (inv) => {
              const incident = await here(inv);
              const n = Number((inv.positional[0] ?? '').replace(/^#/, ''));
              if (inv.positional.length !== 1 || !Number.isInteger(n) || n < 1) throw UserError.badRequest('Give the follow-up number.', U.followupDone);
              await service.completeFollowup(inv.userId, incident.id, n);
              return done(`Follow-up #${n} done.`);
            },
          },
          {
            name: 'list',
            usage: '',
            noArguments: true,
            help: 'List the follow-ups',
            run: async (inv) => {
              const incident = await here(inv);
              const people = rt.access().people;
              const lines = await Promise.all(
                incident.followups.map(async (f) => {
                  const owner = f.ownerId ? ` — @${await people.username(f.ownerId)}` : ' — no owner';
                  return `- ${f.doneAt ? '☑️' : '⬜'} #${f.n} ${f.text}${owner}${f.due ? `, due ${f.due}` : ''}`;
                }),
              );
              return done(`**${reference(incident.number)} follow-ups**\n${lines.join('\n') || '_none yet: `/incident followup add <text> [@owner] [due]`_'}`);
            },
          },
        ],
      },
      {
        name: 'info',
        usage: '',
        noArguments: true,
        help: 'Show the incident: severity, roles, milestones, latest update',
        run: async (inv) => done(await infoText(rt, await here(inv))),
      },
      {
        name: 'list',
        usage: '[active|resolved|all]',
        help: 'List the team\'s incidents',
        choices: [{ item: 'active' }, { item: 'resolved' }, { item: 'all' }],
        run: async (inv) => {
          const state = (inv.positional[0] ?? 'active').toLowerCase();
          if (!['active', 'resolved', 'all'].includes(state) || inv.positional.length > 1) throw UserError.badRequest(`Unknown filter "${inv.positional.join(' ')}".`, U.list);
          const page = await queries.list(inv.userId, { teamId: inv.teamId, state: state as StateFilter, severity: null, commanderId: null, before: null, perPage: 20 });
          const settings = rt.settings();
          const lines = page.items.map(
            (i) => `- **${i.reference}** ${severityName(settings, i.severity)} · ${i.phase} · ${i.title} · ~${i.channelName}`,
          );
          const more = page.next_before !== null ? '\n_More in the incidents view._' : '';
          return done(`**${state === 'all' ? 'All' : state[0]!.toUpperCase() + state.slice(1)} incidents**\n${lines.join('\n') || '_none_'}${more}`);
        },
      },
    ],
  };
}

/** `/incident declare`: with a title it declares at once; without one it opens the form. */
async function declareByCommand(rt: IncidentRuntime, declarer: Declarer, inv: CommandInvocation): Promise<CommandResult> {
  const settings = rt.settings();
  const words = [...inv.positional];
  const severityFlag = inv.flags.get('severity');
  const typeFlag = inv.flags.get('type');
  // Options are checked before the form opens, so a typo is not silently dropped.
  const unknown = [...inv.flags.keys()].filter((f) => !['type', 'severity', 'public', 'private'].includes(f));
  if (unknown.length) throw UserError.badRequest(`Unknown option --${unknown[0]}.`, U.declare);
  if (inv.flags.has('public') && inv.flags.has('private')) throw UserError.badRequest('Choose --public or --private, not both.', U.declare);
  if (typeFlag === true) throw UserError.badRequest('--type needs a value.', U.declare);
  if (severityFlag === true) throw UserError.badRequest('--severity needs a value.', U.declare);
  const severityText = severityFlag ?? (words[0] && /^sev[- ]?\d+$/i.test(words[0]) ? words.shift()! : null);
  const severity = severityText ? parseSeverity(severityText, settings, U.declare) : 3;
  const type = parseType(typeFlag ?? '', settings);
  const isPrivate = inv.flags.has('public') ? false : inv.flags.has('private') ? true : settings.privateByDefault;
  if (words.length === 0) {
    if (!inv.triggerId) throw UserError.badRequest('Give the incident a title.', U.declare);
    await rt.ctx.api.openInteractiveDialog({
      TriggerId: inv.triggerId,
      URL: DIALOG_URL,
      Dialog: declareDialog(settings, { teamId: inv.teamId, channelId: inv.channelId }, { severity, type, private: isPrivate }),
    });
    return ephemeral('');
  }
  const { incident, warnings } = await declarer.declare({
    teamId: inv.teamId,
    declarerId: inv.userId,
    title: parseTitle(words.join(' '), U.declare),
    severity,
    type,
    summary: '',
    private: isPrivate,
    commanderId: null,
    inviteeIds: [],
  });
  const notes = warnings.length ? `\nNote: ${warnings.join('; ')}.` : '';
  return ephemeral(`Declared **${reference(incident.number)}** (${severityName(settings, incident.severity)}): ~${incident.channelName}. You are the commander.${notes}`);
}

/** `<text…> [@owner] [due]`: owner and due date may come in either order at the end. */
async function trailingOwnerAndDue(
  rt: IncidentRuntime,
  positional: readonly string[],
  zone: string | null,
): Promise<{ words: string[]; ownerId: string | null; due: string | null }> {
  const words = [...positional];
  let due: string | null = null;
  let ownerId: string | null = null;
  for (let i = 0; i < 2 && words.length > 0; i++) {
    const last = words.at(-1)!;
    const parsedDue: string | null = due ? null : parseDueInput(last, rt.ctx.now(), zone);
    if (parsedDue) {
      due = parsedDue;
      words.pop();
    } else if (!ownerId && /^@[\w.-]+$/.test(last)) {
      ownerId = (await rt.access().people.resolveUsernames([last]))[0]!;
      words.pop();
    }
  }
  return { words, ownerId, due };
}

const minutes = (m: number | null): string => (m === null ? '—' : `${m} min`);

async function infoText(rt: IncidentRuntime, i: Incident): Promise<string> {
  const settings = rt.settings();
  const people = rt.access().people;
  const who = async (id: string | null) => (id ? `@${await people.username(id)}` : '—');
  const view = rt.view(i);
  const m = i.milestones;
  const stamp = (at: number | null) => (at === null ? '—' : utcStamp(at));
  return [
    `### ${reference(i.number)}: ${i.title}`,
    `**${severityName(settings, i.severity)}** · ${i.phase}${i.type ? ` · ${i.type}` : ''}${i.private ? ' · private' : ''}`,
    `**Commander** ${await who(i.roles.commander)} · **Scribe** ${await who(i.roles.scribe)} · **Comms** ${await who(i.roles.comms)}`,
    `**Declared** ${utcStamp(i.declaredAt)} · **Detected** ${stamp(m.detected)} · **Acknowledged** ${stamp(m.acknowledged)} · **Mitigated** ${stamp(m.mitigated)} · **Resolved** ${stamp(m.resolved)}`,
    `**MTTA** ${minutes(view.mttaMinutes)} · **MTTR** ${minutes(view.mttrMinutes)} · **Open follow-ups** ${view.openFollowups} · **Followers** ${i.followers.length}`,
    i.lastUpdate ? `**Latest update** (${utcStamp(i.lastUpdate.at)}, ${await who(i.lastUpdate.by)}): ${i.lastUpdate.text}` : '_No status update yet._',
    view.nextUpdateDueAt ? `_Next update due ${utcStamp(view.nextUpdateDueAt)}._` : '',
  ]
    .filter(Boolean)
    .join('\n');
}
