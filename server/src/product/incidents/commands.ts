import type { PluginAPI } from '../../plugin/api/plugin_api';
import { INCIDENT_STATES, type IncidentState, MILESTONES, ROLES } from '../contract/incidents';
import { type CommandInvocation, type CommandResult, type CommandSpec, ephemeral, tokenize } from '../shared/commands';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { People, readerZone } from '../shared/people';
import { isoDateOf, localEpochDay } from '../shared/time/zone';
import type { Declarer } from './declare';
import { declareDialog, DIALOG_URL } from './dialog';
import { mttaMinutes, mttrMinutes, nextUpdateDue, openFollowups } from './lifecycle';
import {
  componentWords,
  publicWords,
  HELP,
  infoText,
  input,
  localTime,
  metricsText,
  nextUpdate,
  NOT_HERE,
  notHereText,
  reference,
  replies,
  severityWithLabel,
  SUB_USAGE,
  USAGE,
  triageWords,
} from './messages';
import { leadingReference, looksLikeSeverity, nearly, parseMilestone, parseRole, parseSeverity, parseType, suggestion } from './parse';
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
/** `/incident milestone <name> clear`: removes a milestone set by mistake. */
const CLEAR = /^(?:clear|none|unset)$/i;
/** "30", "30d", "30 days" */
const DAYS = /^(\d{1,4})\s*(?:d|days?)?$/i;
const METRICS_DAYS_DEFAULT = 90;
const METRICS_DAYS_MAX = 3650;
const DAY_MS = 86_400_000;

const isMilestone = (word: string | undefined): boolean => word !== undefined && (MILESTONES as readonly string[]).includes(word.toLowerCase());

/**
 * `/incident …`: thin glue from slash-command text to the use cases. Where each command works
 * (help says it too, messages.ts HELP):
 * - In an incident's channel every command acts on that incident without naming it.
 * - Anywhere in the team, a command names the incident first, in any form (INC-16, INC-016,
 *   inc 16, #16, 16): `info`, `timeline`, `follow`, `unfollow`, `followup list`, and the commands
 *   with structured arguments `severity`, `role`, `milestone`, `reopen`, `followup done` — the
 *   number of words tells a reference from the argument (`severity 2` vs `severity 16 2`).
 * - Commands whose argument is free text (`status`, `timeline add`, `resolve`, `followup add`)
 *   take a reference only outside an incident channel, and only a form that says INC (INC-16,
 *   inc 16): "3 pods restarted" or "#2 is down" are sentences, not references. In an incident
 *   channel their text is always text.
 * Acting from elsewhere needs the same rights as in the channel (policy.ts); the bot still posts
 * in the incident's channel.
 *
 * In the web client, `/incident declare` with no words at all never reaches the server: the
 * webapp opens its sidebar form instead. Any other declaration without a title (e.g.
 * `/incident declare sev1`) opens the interactive dialog below.
 */
export function incidentCommand(deps: IncidentCommandDeps): CommandSpec {
  const { ctx, service, queries, settings } = deps;
  const callerOf = (inv: CommandInvocation): Caller => ({ userId: inv.userId, access: ctx.access() });
  const reply = (text: string): CommandResult => ephemeral(text);
  const zoneOf = (userId: string): Promise<string | null> => readerZone(ctx.api, userId);
  const interval = (i: Incident): number => settings().updateIntervalMinutes[i.severity];
  const nextOf = (i: Incident, zone: string | null): string => nextUpdate(nextUpdateDue(i, interval(i)), ctx.now(), zone);
  const name = async (userId: string): Promise<string> => `@${await new People(ctx.api).username(userId)}`;

  /** The incident of the channel the command was typed in. */
  const here = async (inv: CommandInvocation, caller: Caller): Promise<Incident> => {
    const incident = await queries.forChannel(caller, inv.channelId);
    if (!incident) throw UserError.badRequest(NOT_HERE);
    return incident;
  };
  const numbered = async (inv: CommandInvocation, caller: Caller, n: number): Promise<Incident> => queries.byNumber(caller, await teamOf(inv, caller), n);

  /**
   * Structured arguments, optionally after a reference: the reference is taken when the words
   * after it are what the command expects (`fits`), else all the words go to the channel's own
   * incident; `mismatch` explains what is wrong when neither reading fits.
   */
  const structured = async (
    inv: CommandInvocation,
    caller: Caller,
    fits: (args: readonly string[]) => boolean,
    mismatch: (words: readonly string[], afterReference: readonly string[] | null) => UserError,
  ): Promise<{ incident: Incident; args: readonly string[] }> => {
    const words = inv.positional;
    const ref = leadingReference(words);
    const afterReference = ref ? words.slice(ref.used) : null;
    if (ref && afterReference && fits(afterReference)) return { incident: await numbered(inv, caller, ref.number), args: afterReference };
    if (fits(words)) return { incident: await here(inv, caller), args: words };
    throw mismatch(words, afterReference);
  };
  /** Commands that take nothing but an optional reference. */
  const referenceOnly = (inv: CommandInvocation, caller: Caller, usage: string, child?: { name: string; usage: string }): Promise<{ incident: Incident }> =>
    structured(
      inv,
      caller,
      (args) => args.length === 0,
      (words, after) =>
        after
          ? UserError.badRequest(input.noArguments(after.join(' ').slice(0, 64)), usage)
          : UserError.badRequest(
              child && nearly(words[0]!, child.name)
                ? input.notReferenceOrChild(words.join(' ').slice(0, 64), child.usage)
                : input.notReference(words.join(' ').slice(0, 64)),
              usage,
            ),
    );
  /**
   * Free text: in an incident channel all of it; elsewhere after a leading INC-n (the explicit
   * forms only, so a sentence that starts with a number is never taken for a reference).
   */
  const freeText = async (inv: CommandInvocation, caller: Caller, usage: string): Promise<{ incident: Incident; text: string }> => {
    const own = await queries.forChannel(caller, inv.channelId);
    if (own) return { incident: own, text: inv.text };
    const words = tokenize(inv.text);
    const ref = leadingReference(words.map((w) => w.text), true);
    if (!ref) throw UserError.badRequest(notHereText(usage));
    const next = words[ref.used];
    return { incident: await numbered(inv, caller, ref.number), text: next ? inv.text.slice(next.start) : '' };
  };

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
          const { incident, text } = await freeText(inv, caller, USAGE.status);
          if (!text.trim()) throw UserError.badRequest(input.noStatusText, USAGE.status);
          const [{ before, after }, zone] = await Promise.all([service.status(caller, incident.id, text, incident), zoneOf(inv.userId)]);
          const acknowledgedNow = before.milestones.acknowledged === null && after.milestones.acknowledged !== null;
          return reply(replies.statusPosted(after, nextOf(after, zone), acknowledgedNow ? localTime(after.milestones.acknowledged!, zone) : null));
        },
      },
      {
        name: 'severity',
        usage: SUB_USAGE.severity,
        help: HELP.severity,
        choices: [1, 2, 3, 4].map((s) => ({ item: `sev${s}`, help: `SEV${s}` })),
        run: async (inv) => {
          const caller = callerOf(inv);
          const { incident, args } = await structured(
            inv,
            caller,
            (a) => a.length === 1 || (a.length === 2 && /^sev$/i.test(a[0]!)),
            () => UserError.badRequest(input.giveOneSeverity, USAGE.severity),
          );
          const s = settings();
          const { before, after } = await service.severity(caller, incident.id, parseSeverity(args.join(' '), s, USAGE.severity));
          return reply(replies.severityNow(after, severityWithLabel(s, before.severity), severityWithLabel(s, after.severity), nextOf(after, await zoneOf(inv.userId))));
        },
      },
      {
        name: 'role',
        usage: SUB_USAGE.role,
        help: HELP.role,
        choices: ROLES.map((r) => ({ item: r })),
        run: async (inv) => {
          const caller = callerOf(inv);
          const { incident, args } = await structured(
            inv,
            caller,
            (a) => a.length === 2,
            () => UserError.badRequest(input.roleAndUser, USAGE.role),
          );
          const role = parseRole(args[0]!, USAGE.role);
          const [userId] = await new People(ctx.api).resolveUsernames([args[1]!], 1);
          if (!userId) throw UserError.badRequest(input.roleAndUser, USAGE.role);
          const after = await service.role(caller, incident.id, role, userId);
          return reply(replies.roleNow(after, await name(userId), role));
        },
      },
      {
        name: 'timeline',
        usage: SUB_USAGE.timeline,
        help: HELP.timeline,
        run: async (inv) => {
          const { incident } = await referenceOnly(inv, callerOf(inv), USAGE.timeline, { name: 'add', usage: USAGE.timelineAdd });
          const [entries, zone] = await Promise.all([queries.recentTimeline(incident, 20), zoneOf(inv.userId)]);
          const lines = entries.map((e) => replies.timelineLine(e.at, e.text, zone));
          return reply(replies.timeline(incident, lines, incident.timelineCount - entries.length, zone));
        },
        subcommands: [
          {
            name: 'add',
            usage: SUB_USAGE.timelineAdd,
            help: HELP.timelineAdd,
            run: async (inv) => {
              const caller = callerOf(inv);
              const { incident, text } = await freeText(inv, caller, USAGE.timelineAdd);
              if (!text.trim()) throw UserError.badRequest(input.noNoteText, USAGE.timelineAdd);
              const after = await service.note(caller, incident.id, text);
              return reply(replies.noted(after, text.trim()));
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
          const { incident, args } = await structured(
            inv,
            caller,
            (a) => isMilestone(a[0]),
            (words, after) => {
              const first = after ? after[0] : words[0];
              if (first === undefined) return UserError.badRequest(input.nameMilestone, USAGE.milestone);
              return UserError.badRequest(input.notMilestone(first.slice(0, 64), suggestion(first.toLowerCase(), MILESTONES)), USAGE.milestone);
            },
          );
          const milestone = parseMilestone(args[0]!, USAGE.milestone);
          const zone = await zoneOf(inv.userId);
          const when = args.slice(1).join(' ');
          const at = CLEAR.test(when.trim()) ? null : parseMomentInput(when, ctx.now(), zone);
          const { before, after } = await service.milestone(caller, incident.id, milestone, at);
          const shown = at === null ? null : localTime(at, zone);
          if (after.rev === before.rev) return reply(replies.milestoneUnchanged(after, milestone, shown));
          return reply(replies.milestoneSet(after, milestone, shown, mttaMinutes(after), mttrMinutes(after)));
        },
      },
      {
        name: 'component',
        usage: SUB_USAGE.component,
        help: HELP.component,
        run: async (inv) => {
          const caller = callerOf(inv);
          const { incident, args } = await structured(
            inv,
            caller,
            (a) => a.length >= 1,
            () => UserError.badRequest(HELP.component, USAGE.component),
          );
          const names = args.length === 1 && /^(?:none|clear)$/i.test(args[0]!) ? [] : args.flatMap((a) => a.split(',')).filter(Boolean);
          const { before, after } = await service.setComponents(caller, incident.id, names);
          return reply(after.rev === before.rev ? componentWords.unchanged(after) : componentWords.set(after, after.components));
        },
      },
      {
        name: 'public',
        usage: SUB_USAGE.public,
        help: HELP.public,
        run: async (inv) => {
          const caller = callerOf(inv);
          const { incident, text } = await freeText(inv, caller, USAGE.public);
          const off = /^off$/i.test(text.trim());
          const { after } = await service.setPublic(caller, incident.id, off ? null : text);
          return reply(off ? publicWords.off(after) : publicWords.on(after));
        },
      },
      {
        name: 'follow',
        usage: SUB_USAGE.follow,
        help: HELP.follow,
        run: async (inv) => {
          const caller = callerOf(inv);
          const { incident } = await referenceOnly(inv, caller, USAGE.follow);
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
          const { incident } = await referenceOnly(inv, caller, USAGE.unfollow);
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
          const { incident, text } = await freeText(inv, caller, USAGE.resolve);
          const [{ after }, zone] = await Promise.all([service.resolve(caller, incident.id, text), zoneOf(inv.userId)]);
          const at = after.milestones.resolved ?? ctx.now();
          return reply(
            replies.resolved(after, localTime(at, zone), {
              at,
              mttrMinutes: mttrMinutes(after),
              typed: text.trim(),
              accumulated: after.resolution?.summary ?? '',
              acknowledged: after.milestones.acknowledged !== null,
            }),
          );
        },
      },
      {
        name: 'reopen',
        usage: SUB_USAGE.reopen,
        help: HELP.reopen,
        run: async (inv) => {
          const caller = callerOf(inv);
          const { incident } = await referenceOnly(inv, caller, USAGE.reopen);
          const [{ after }, zone] = await Promise.all([service.reopen(caller, incident.id), zoneOf(inv.userId)]);
          return reply(replies.reopened(after, nextOf(after, zone), after.resolutions.some((r) => r.summary.trim() !== '')));
        },
      },
      {
        name: 'accept',
        usage: SUB_USAGE.accept,
        help: HELP.accept,
        run: async (inv) => {
          const caller = callerOf(inv);
          const { incident } = await referenceOnly(inv, caller, USAGE.accept);
          const { after } = await service.accept(caller, incident.id);
          return reply(triageWords.accepted(after));
        },
      },
      {
        name: 'dismiss',
        usage: SUB_USAGE.dismiss,
        help: HELP.dismiss,
        run: async (inv) => {
          const caller = callerOf(inv);
          const { incident, text } = await freeText(inv, caller, USAGE.dismiss);
          const { after } = await service.dismiss(caller, incident.id, text);
          return reply(triageWords.dismissed(after));
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
              const { incident, text: typed } = await freeText(inv, caller, USAGE.followupAdd);
              const zone = await zoneOf(inv.userId);
              const { text, owner, due } = trailingOwnerAndDue(typed, ctx.now(), zone);
              if (!text) throw UserError.badRequest(input.noFollowupText, USAGE.followupAdd);
              if (due) checkDueNotPast(due, ctx.now(), zone);
              const ownerId = owner ? (await new People(ctx.api).resolveUsernames([owner], 1))[0]! : null;
              const { incident: after, followup } = await service.addFollowup(caller, incident.id, text, ownerId, due);
              return reply(replies.followupAdded(after, followup.n, followup.text, ownerId ? await name(ownerId) : null, due));
            },
          },
          {
            name: 'done',
            usage: SUB_USAGE.followupDone,
            help: HELP.followupDone,
            run: async (inv) => {
              const caller = callerOf(inv);
              const { incident, args } = await structured(
                inv,
                caller,
                (a) => a.length === 1 && followupNumber(a[0]!) !== null,
                () => UserError.badRequest(input.giveFollowupNumber, USAGE.followupDone),
              );
              const n = followupNumber(args[0]!)!;
              const { incident: after, followup } = await service.completeFollowup(caller, incident.id, n);
              return reply(replies.followupDone(after, n, followup.text));
            },
          },
          {
            name: 'list',
            usage: SUB_USAGE.followupList,
            help: HELP.followupList,
            run: async (inv) => {
              const { incident } = await referenceOnly(inv, callerOf(inv), USAGE.followupList);
              const people = new People(ctx.api);
              const today = isoDateOf(localEpochDay((await zoneOf(inv.userId)) ?? 'UTC', ctx.now()));
              const lines = await Promise.all(
                incident.followups.map(async (f) =>
                  replies.followupLine(f, f.ownerId ? `@${await people.username(f.ownerId)}` : null, f.doneAt === null && f.due !== null && f.due < today),
                ),
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
          const { incident } = await referenceOnly(inv, caller, USAGE.info);
          return reply(await info(ctx.api, caller, settings(), incident, ctx.now(), await zoneOf(inv.userId)));
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
            throw UserError.badRequest(input.unknownFilter(inv.positional.join(' ').slice(0, 64), suggestion(filter, INCIDENT_STATES)), USAGE.list);
          }
          const teamId = await teamOf(inv, caller);
          const [page, hidden] = await Promise.all([
            queries.list(caller, { teamId, state: filter as IncidentState, severity: null, commanderId: null, before: null, perPage: 20 }),
            filter === 'active' ? queries.hiddenActive(caller, teamId) : 0,
          ]);
          const lines = page.items.map((i) => replies.listLine(reference(i.number), severityWithLabel(settings(), i.severity), i.phase, i.title, i.channelName));
          return reply(replies.list(filter, lines, page.next !== null, hidden));
        },
      },
      {
        name: 'metrics',
        usage: SUB_USAGE.metrics,
        help: HELP.metrics,
        run: async (inv) => {
          const caller = callerOf(inv);
          const typed = inv.positional.join(' ').trim();
          const m = DAYS.exec(typed);
          const days = typed === '' ? METRICS_DAYS_DEFAULT : m ? Number(m[1]) : NaN;
          if (!Number.isSafeInteger(days) || days < 1 || days > METRICS_DAYS_MAX) throw UserError.badRequest(input.notDays(typed.slice(0, 32)), USAGE.metrics);
          const until = ctx.now();
          const view = await queries.metrics(caller, await teamOf(inv, caller), until - days * DAY_MS, until);
          return reply(metricsText(view, days, settings()));
        },
      },
    ],
  };
}

/** "3", "#3": a follow-up's number, or null. */
function followupNumber(word: string): number | null {
  const m = /^#?(\d{1,6})$/.exec(word);
  const n = m ? Number(m[1]) : 0;
  return n >= 1 ? n : null;
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
  // A leading "sev2" or "sev 2" (unquoted) is the severity, unless --severity says it; the title is the rest, as typed.
  const words = tokenize(inv.text);
  const first = words[0]?.text ?? '';
  const split = /^sev$/i.test(first) && /^\d{1,2}$/.test(words[1]?.text ?? '') ? 2 : 1;
  const severityWords = words.slice(0, split).map((w) => w.text).join('');
  const unquoted = first !== '' && inv.text.slice(0, first.length).toLowerCase() === first.toLowerCase();
  const leading = severityFlag === undefined && unquoted && looksLikeSeverity(severityWords);
  const severityText = typeof severityFlag === 'string' ? severityFlag : leading ? severityWords : null;
  const severity = severityText ? parseSeverity(severityText, settings, USAGE.declare) : 3;
  const typeFlag = inv.flags.get('type');
  const type = parseType(typeof typeFlag === 'string' ? typeFlag : '', settings);
  const isPrivate = inv.flags.has('public') ? false : inv.flags.has('private') ? true : settings.privateByDefault;
  const afterSeverity = words[split];
  const title = (leading ? (afterSeverity ? inv.text.slice(afterSeverity.start) : '') : inv.text).trim();
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
  return ephemeral(replies.declared(incident, severityWithLabel(settings, incident.severity), await caller.access.isPrivate(incident.channelId), warnings));
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

async function info(api: PluginAPI, caller: Caller, settings: IncidentSettings, i: Incident, now: number, zone: string | null): Promise<string> {
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
    now,
    zone,
  });
}
