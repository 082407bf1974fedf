import type { PluginAPI } from '../../plugin/api/plugin_api';
import { INCIDENT_STATES, type IncidentState, MILESTONES, ROLES } from '../contract/incidents';
import { type CommandInvocation, type CommandResult, type CommandSpec, ephemeral, tokenize } from '../shared/commands';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { People } from '../shared/people';
import { userTimeZone } from '../shared/time/zone';
import type { Declarer } from './declare';
import { declareDialog, DIALOG_URL } from './dialog';
import { mttaMinutes, mttrMinutes, nextUpdateDue, openFollowups } from './lifecycle';
import { HELP, infoText, input, NOT_HERE, reference, replies, severityWithLabel, SUB_USAGE, USAGE } from './messages';
import { looksLikeSeverity, parseMilestone, parseReference, parseRole, parseSeverity, parseType } from './parse';
import type { Caller } from './policy';
import type { IncidentQueries } from './queries';
import type { Incident } from './records';
import type { IncidentService } from './service';
import type { IncidentSettings } from './settings';
import { checkDueNotPast, looksLikeDate, parseDueInput, parseMomentInput } from './time_input';

type CommandContext = Pick<ProductContext, 'api' | 'access' | 'now'>;

export interface IncidentCommandDeps {
  ctx: CommandContext;
  declarer: Declarer;
  service: IncidentService;
  queries: IncidentQueries;
  settings: () => IncidentSettings;
}

const OWNER = /^@[\w.-]{1,64}$/;
/** 31/12/2026, 12.31, 2026-1-5: clearly meant as a date, though not one we read. */
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}(?:[./-]\d{1,4})?$/;

/**
 * `/incident …`: thin glue from slash-command text to the use cases. Commands about one incident
 * act on the channel's own incident; `info`, `timeline`, `follow` and `unfollow` also take a
 * reference (INC-16, inc-016, 16) to reach one from anywhere in its team.
 *
 * In the web client, `/incident declare` with no words at all never reaches the server: the
 * webapp opens its sidebar form instead. Any other declaration without a title (e.g.
 * `/incident declare sev1`) opens the interactive dialog below.
 */
export function incidentCommand(deps: IncidentCommandDeps): CommandSpec {
  const { ctx, service, queries, settings } = deps;
  const callerOf = (inv: CommandInvocation): Caller => ({ userId: inv.userId, access: ctx.access() });
  const reply = (text: string): CommandResult => ephemeral(text);

  /** The incident of the channel the command was typed in. */
  const here = async (inv: CommandInvocation, caller: Caller): Promise<Incident> => {
    const incident = await queries.forChannel(caller, inv.channelId);
    if (!incident) throw UserError.badRequest(NOT_HERE);
    return incident;
  };
  /** The named incident of the command's team, or the channel's own. */
  const target = async (inv: CommandInvocation, caller: Caller, usage: string): Promise<Incident> => {
    if (inv.positional.length > 1) throw UserError.badRequest(input.oneReference, usage);
    const named = inv.positional[0];
    if (named === undefined) return here(inv, caller);
    return queries.byNumber(caller, await teamOf(inv, caller), parseReference(named, usage));
  };
  const zoneOf = async (userId: string): Promise<string | null> => userTimeZone((await ctx.api.getUser(userId).catch(() => null))?.Timezone);

  return {
    trigger: 'incident',
    description: HELP.command,
    subcommands: [
      {
        name: 'declare',
        usage: SUB_USAGE.declare,
        help: HELP.declare,
        valueFlags: ['type', 'severity'],
        booleanFlags: ['public', 'private'],
        run: (inv) => declareByCommand(deps, inv, callerOf(inv)),
      },
      {
        name: 'status',
        usage: SUB_USAGE.status,
        help: HELP.status,
        run: async (inv) => {
          const caller = callerOf(inv);
          const incident = await here(inv, caller);
          if (!inv.text.trim()) throw UserError.badRequest(input.noStatusText, USAGE.status);
          await service.status(caller, incident.id, inv.text);
          return reply(replies.statusPosted);
        },
      },
      {
        name: 'severity',
        usage: SUB_USAGE.severity,
        help: HELP.severity,
        choices: [1, 2, 3, 4].map((s) => ({ item: `sev${s}`, help: `SEV${s}` })),
        run: async (inv) => {
          const caller = callerOf(inv);
          const incident = await here(inv, caller);
          if (inv.positional.length !== 1) throw UserError.badRequest(input.giveOneSeverity, USAGE.severity);
          const after = await service.severity(caller, incident.id, parseSeverity(inv.positional[0]!, settings(), USAGE.severity));
          return reply(replies.severityNow(severityWithLabel(settings(), after.severity)));
        },
      },
      {
        name: 'role',
        usage: SUB_USAGE.role,
        help: HELP.role,
        choices: ROLES.map((r) => ({ item: r })),
        run: async (inv) => {
          const caller = callerOf(inv);
          const incident = await here(inv, caller);
          if (inv.positional.length !== 2) throw UserError.badRequest(input.roleAndUser, USAGE.role);
          const role = parseRole(inv.positional[0]!, USAGE.role);
          const [userId] = await new People(ctx.api).resolveUsernames([inv.positional[1]!], 1);
          if (!userId) throw UserError.badRequest(input.roleAndUser, USAGE.role);
          await service.role(caller, incident.id, role, userId);
          return reply(replies.roleNow(`@${await new People(ctx.api).username(userId)}`, role));
        },
      },
      {
        name: 'timeline',
        usage: SUB_USAGE.timeline,
        help: HELP.timeline,
        run: async (inv) => {
          const incident = await target(inv, callerOf(inv), USAGE.timeline);
          const entries = await queries.recentTimeline(incident, 20);
          const lines = entries.map((e) => replies.timelineLine(e.at, e.text));
          return reply(replies.timeline(incident, lines, incident.timelineCount - entries.length));
        },
        subcommands: [
          {
            name: 'add',
            usage: SUB_USAGE.timelineAdd,
            help: HELP.timelineAdd,
            run: async (inv) => {
              const caller = callerOf(inv);
              const incident = await here(inv, caller);
              if (!inv.text.trim()) throw UserError.badRequest(input.noNoteText, USAGE.timelineAdd);
              await service.note(caller, incident.id, inv.text);
              return reply(replies.noted);
            },
          },
        ],
      },
      {
        name: 'milestone',
        usage: SUB_USAGE.milestone,
        help: HELP.milestone,
        choices: MILESTONES.map((m) => ({ item: m })),
        run: async (inv) => {
          const caller = callerOf(inv);
          const incident = await here(inv, caller);
          if (inv.positional.length === 0) throw UserError.badRequest(input.nameMilestone, USAGE.milestone);
          const name = parseMilestone(inv.positional[0]!, USAGE.milestone);
          const at = parseMomentInput(inv.positional.slice(1).join(' '), ctx.now(), await zoneOf(inv.userId));
          await service.milestone(caller, incident.id, name, at);
          return reply(replies.milestoneSet(name, at));
        },
      },
      {
        name: 'follow',
        usage: SUB_USAGE.follow,
        help: HELP.follow,
        run: async (inv) => {
          const caller = callerOf(inv);
          const incident = await target(inv, caller, USAGE.follow);
          await service.follow(caller, incident.id, true);
          return reply(replies.following(incident));
        },
      },
      {
        name: 'unfollow',
        usage: SUB_USAGE.unfollow,
        help: HELP.unfollow,
        run: async (inv) => {
          const caller = callerOf(inv);
          const incident = await target(inv, caller, USAGE.unfollow);
          await service.follow(caller, incident.id, false);
          return reply(replies.notFollowing(incident));
        },
      },
      {
        name: 'resolve',
        usage: SUB_USAGE.resolve,
        help: HELP.resolve,
        run: async (inv) => {
          const caller = callerOf(inv);
          const incident = await here(inv, caller);
          return reply(replies.resolved(await service.resolve(caller, incident.id, inv.text)));
        },
      },
      {
        name: 'reopen',
        usage: SUB_USAGE.reopen,
        noArguments: true,
        help: HELP.reopen,
        run: async (inv) => {
          const caller = callerOf(inv);
          const incident = await here(inv, caller);
          return reply(replies.reopened(await service.reopen(caller, incident.id)));
        },
      },
      {
        name: 'followup',
        usage: SUB_USAGE.followup,
        help: HELP.followup,
        subcommands: [
          {
            name: 'add',
            usage: SUB_USAGE.followupAdd,
            help: HELP.followupAdd,
            run: async (inv) => {
              const caller = callerOf(inv);
              const incident = await here(inv, caller);
              const zone = await zoneOf(inv.userId);
              const { text, owner, due } = trailingOwnerAndDue(inv.rest, ctx.now(), zone);
              if (!text) throw UserError.badRequest(input.noFollowupText, USAGE.followupAdd);
              if (due) checkDueNotPast(due, ctx.now(), zone);
              const ownerId = owner ? (await new People(ctx.api).resolveUsernames([owner], 1))[0]! : null;
              const { followup } = await service.addFollowup(caller, incident.id, text, ownerId, due);
              return reply(replies.followupAdded(followup.n, owner ? `@${owner.slice(1)}` : null, due));
            },
          },
          {
            name: 'done',
            usage: SUB_USAGE.followupDone,
            help: HELP.followupDone,
            run: async (inv) => {
              const caller = callerOf(inv);
              const incident = await here(inv, caller);
              const n = Number((inv.positional[0] ?? '').replace(/^#/, ''));
              if (inv.positional.length !== 1 || !Number.isSafeInteger(n) || n < 1) throw UserError.badRequest(input.giveFollowupNumber, USAGE.followupDone);
              await service.completeFollowup(caller, incident.id, n);
              return reply(replies.followupDone(n));
            },
          },
          {
            name: 'list',
            usage: SUB_USAGE.followupList,
            noArguments: true,
            help: HELP.followupList,
            run: async (inv) => {
              const incident = await here(inv, callerOf(inv));
              const people = new People(ctx.api);
              const lines = await Promise.all(
                incident.followups.map(async (f) => replies.followupLine(f, f.ownerId ? `@${await people.username(f.ownerId)}` : null)),
              );
              return reply(replies.followups(incident, lines));
            },
          },
        ],
      },
      {
        name: 'info',
        usage: SUB_USAGE.info,
        help: HELP.info,
        run: async (inv) => {
          const caller = callerOf(inv);
          return reply(await info(ctx.api, caller, settings(), await target(inv, caller, USAGE.info)));
        },
      },
      {
        name: 'list',
        usage: SUB_USAGE.list,
        help: HELP.list,
        choices: INCIDENT_STATES.map((s) => ({ item: s })),
        run: async (inv) => {
          const caller = callerOf(inv);
          const filter = (inv.positional[0] ?? 'active').toLowerCase();
          if (!(INCIDENT_STATES as readonly string[]).includes(filter) || inv.positional.length > 1) {
            throw UserError.badRequest(input.unknownFilter(inv.positional.join(' ').slice(0, 64)), USAGE.list);
          }
          const teamId = await teamOf(inv, caller);
          const page = await queries.list(caller, { teamId, state: filter as IncidentState, severity: null, commanderId: null, before: null, perPage: 20 });
          const lines = page.items.map((i) => replies.listLine(reference(i.number), severityWithLabel(settings(), i.severity), i.phase, i.title, i.channelName));
          return reply(replies.list(filter, lines, page.next !== null));
        },
      },
    ],
  };
}

/**
 * The team a command is about: the live team of the channel it was typed in; in a direct or group
 * message (no team), the team Mattermost says the user is in — either way the policy then checks
 * the user belongs to it.
 */
async function teamOf(inv: CommandInvocation, caller: Caller): Promise<string> {
  const channel = await caller.access.channel(inv.channelId);
  return channel?.TeamId || inv.teamId;
}

/** `/incident declare`: with a title it declares at once; without one it opens the form. */
async function declareByCommand(deps: IncidentCommandDeps, inv: CommandInvocation, caller: Caller): Promise<CommandResult> {
  const settings = deps.settings();
  if (inv.flags.has('public') && inv.flags.has('private')) throw UserError.badRequest(input.publicAndPrivate, USAGE.declare);
  const severityFlag = inv.flags.get('severity');
  const first = inv.positional[0];
  // A leading "sev2" is the severity (unless --severity says it); the title is the rest, as typed.
  const leading = severityFlag === undefined && first !== undefined && looksLikeSeverity(first) && inv.text.toLowerCase().startsWith(first.toLowerCase());
  const severityText = typeof severityFlag === 'string' ? severityFlag : leading ? first : null;
  const severity = severityText ? parseSeverity(severityText, settings, USAGE.declare) : 3;
  const typeFlag = inv.flags.get('type');
  const type = parseType(typeof typeFlag === 'string' ? typeFlag : '', settings);
  const isPrivate = inv.flags.has('public') ? false : inv.flags.has('private') ? true : settings.privateByDefault;
  const title = (leading ? inv.text.slice(first.length) : inv.text).trim();
  const { teamId } = await caller.access.scopeOfChannel(caller.userId, inv.channelId);
  if (!title) {
    if (!inv.triggerId) throw UserError.badRequest(input.noTitle, USAGE.declare);
    await deps.ctx.api.openInteractiveDialog({
      TriggerId: inv.triggerId,
      URL: DIALOG_URL,
      Dialog: declareDialog(settings, { channelId: inv.channelId }, { severity, type, private: isPrivate }),
    });
    return ephemeral('');
  }
  const { incident, warnings } = await deps.declarer.declare(caller, {
    teamId,
    title,
    severity,
    type,
    summary: '',
    private: isPrivate,
    commanderId: null,
    inviteeIds: [],
  });
  return ephemeral(replies.declared(incident, severityWithLabel(settings, incident.severity), warnings));
}

/**
 * `<text…> [@owner] [due]`: owner and due date may come in either order at the end. A date-like
 * last word that is not a date we read is an error, not silently part of the text (and the owner
 * before it would be lost with it).
 */
function trailingOwnerAndDue(rest: string, now: number, zone: string | null): { text: string; owner: string | null; due: string | null } {
  const tokens = tokenize(rest);
  let end = tokens.length;
  let owner: string | null = null;
  let due: string | null = null;
  for (let k = 0; k < 2 && end > 0; k++) {
    const last = tokens[end - 1]!.text;
    const parsed: string | null = due ? null : parseDueInput(last, now, zone);
    if (parsed) due = parsed;
    else if (!owner && OWNER.test(last)) owner = last;
    else {
      const afterOwner = end >= 2 && OWNER.test(tokens[end - 2]!.text);
      if (!due && (DATE_LIKE.test(last) || (afterOwner && looksLikeDate(last)))) throw UserError.badRequest(input.dueNotUnderstood(last.slice(0, 32)), USAGE.followupAdd);
      break;
    }
    end--;
  }
  const text = (end < tokens.length ? rest.slice(0, tokens[end]!.start) : rest).trim();
  return { text, owner, due };
}

async function info(api: PluginAPI, caller: Caller, settings: IncidentSettings, i: Incident): Promise<string> {
  const people = new People(api);
  const who = async (id: string | null): Promise<string> => (id ? `@${await people.username(id)}` : '—');
  const [commander, scribe, comms, lastUpdateBy, isPrivate] = await Promise.all([
    who(i.roles.commander),
    who(i.roles.scribe),
    who(i.roles.comms),
    who(i.lastUpdate?.by ?? null),
    caller.access.isPrivate(i.channelId),
  ]);
  return infoText(i, {
    severity: severityWithLabel(settings, i.severity),
    isPrivate,
    commander,
    scribe,
    comms,
    lastUpdateBy,
    mttaMinutes: mttaMinutes(i),
    mttrMinutes: mttrMinutes(i),
    openFollowups: openFollowups(i),
    nextUpdateDueAt: nextUpdateDue(i, settings.updateIntervalMinutes[i.severity]),
  });
}
