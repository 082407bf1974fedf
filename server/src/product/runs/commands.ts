/** `/run …` (in a run's channel) and `/release start`: parsing and replies only; the rules live in the service. */
import { type CommandInvocation, type CommandSpec, ephemeral, parsePositiveInt, type SubcommandSpec } from '../shared/commands';
import { API_BASE, fillPath } from '../contract/api';
import { runRoutes } from '../contract/runs';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { readerZone } from '../shared/people';
import { POST_RUNES_MAX } from '../shared/text/limits';
import { durationMs, utcStamp } from '../shared/time/duration';
import { epochDayOf, isRealDate, localEpochDay, localTime, localToUtc, parseClock } from '../shared/time/zone';
import { ERR, EXEC, HELP, IMPORT, reply, runReference, USAGE } from './messages';
import type { RunService } from './service';
import { statusSubcommands } from './status_commands';
import type { Quorum } from '../shared/signoff/gate';
import { statsLine } from './stats';
import { templateSummary } from './views';

/** "tomorrow 14:00", "today 9:30" (the day word, then an optional clock time). */
const DAY_WORD = /^(today|tomorrow)(?:\s+(\S{1,8}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ t](\S{1,8}))?$/;
const CLOCK_SHAPE = /^\d{1,2}[:.h]\d{2}$/;
/** A due date without a time of day means the start of that working day. */
const DEFAULT_CLOCK = { hour: 9, minute: 0 } as const;

/**
 * An item's due time as people type it, or null to clear it: a span from now ("in 2h", "+3d",
 * "90m"), a day with an optional clock time ("tomorrow", "today 17:00", "2027-01-05 14:00"), or a
 * clock time alone (its next occurrence). Wall-clock forms are read in the caller's time zone
 * (UTC when Mattermost does not know it) by the product's one time-zone module.
 */
export function parseDue(typed: string, now: number, timeZone: string | null): number | null {
  const t = typed.trim().toLowerCase();
  if (t === 'none' || t === 'clear') return null;
  const zone = timeZone ?? 'UTC';
  const clockOf = (text: string | undefined): { hour: number; minute: number } => {
    if (text === undefined) return DEFAULT_CLOCK;
    const clock = parseClock(text);
    if (!clock) throw UserError.badRequest(ERR.badDueClock(text));
    return clock;
  };
  const relative = /^(?:in\s+|\+)?(.{1,40})$/.exec(t);
  const span = relative ? durationMs(relative[1]!) : null;
  if (span !== null && span > 0) return now + span;
  const today = localEpochDay(zone, now);
  const dayWord = DAY_WORD.exec(t);
  if (dayWord) {
    const { hour, minute } = clockOf(dayWord[2]);
    return localToUtc(zone, today + (dayWord[1] === 'tomorrow' ? 1 : 0), hour, minute);
  }
  if (CLOCK_SHAPE.test(t)) {
    const { hour, minute } = clockOf(t);
    const at = localToUtc(zone, today, hour, minute);
    // A due time is ahead: a clock time already past today means tomorrow's.
    return at > now ? at : localToUtc(zone, today + 1, hour, minute);
  }
  const date = DATE.exec(t);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!isRealDate(y, m, d)) throw UserError.badRequest(ERR.badDue);
    const { hour, minute } = clockOf(date[4]);
    return localToUtc(zone, epochDayOf(`${date[1]}-${date[2]}-${date[3]}`), hour, minute);
  }
  throw UserError.badRequest(ERR.badDue);
}

/** `--quorum all|majority|N` */
function quorumOf(flag: string | true | undefined, usage: string): Quorum | null {
  if (flag === undefined) return null;
  const t = flag === true ? '' : flag.trim().toLowerCase();
  if (t === 'all' || t === 'majority') return { kind: t, n: null };
  if (/^\d{1,2}$/.test(t) && Number(t) >= 1) return { kind: 'atLeast', n: Number(t) };
  throw UserError.badRequest(ERR.badQuorum, usage);
}

const here = (inv: CommandInvocation): { channelId: string } => ({ channelId: inv.channelId });
const people = async (runs: RunService, tokens: readonly string[], usage: string): Promise<string[]> => {
  if (tokens.length === 0) throw UserError.badRequest(ERR.noPeople, usage);
  return runs.people().resolveUsernames(tokens);
};
/** "2.3 @a @b": the item is every word before the first @mention. */
const splitAtMentions = (words: readonly string[]): { item: string; mentions: string[] } => {
  const first = words.findIndex((w) => w.startsWith('@'));
  return first < 0 ? { item: words.join(' '), mentions: [] } : { item: words.slice(0, first).join(' '), mentions: words.slice(first) };
};

export function runCommand(runs: RunService, ctx: Pick<ProductContext, 'api' | 'now'>): CommandSpec {
  const itemState = (name: 'check' | 'uncheck' | 'skip', state: 'done' | 'open' | 'skipped'): SubcommandSpec => ({
    name,
    usage: USAGE[name],
    help: HELP[name],
    run: async (inv) => {
      if (!inv.text.trim()) throw UserError.badRequest(ERR.noItem, `${inv.path} ${USAGE[name]}`);
      const r = await runs.setItemState(inv.userId, here(inv), inv.text, state);
      return ephemeral(r.changed ? reply.itemChanged(r.ref, state === 'done' ? 'checked' : state === 'open' ? 'unchecked' : 'skipped') : reply.nothingChanged(r.ref));
    },
  });
  const answer = (name: 'approve' | 'abstain' | 'hold'): SubcommandSpec => ({
    name,
    usage: USAGE[name],
    help: HELP[name],
    run: async (inv) => {
      // "/run approve 2.1 looks good": an item number first, then an optional note.
      const [first, ...rest] = inv.positional;
      const numbered = first !== undefined && /^\d{1,2}\.\d{1,3}$/.test(first);
      const r = await runs.answer(inv.userId, here(inv), numbered ? first : null, name, (numbered ? rest.join(' ') : inv.text).trim() || null);
      const words = { approve: 'approved', abstain: 'abstained', hold: 'held' } as const;
      return ephemeral(r.changed ? reply.itemChanged(r.ref, `you ${words[name]}`) : reply.nothingChanged(r.ref));
    },
  });

  return {
    trigger: 'run',
    description: HELP.run,
    subcommands: [
      {
        name: 'checklist',
        usage: USAGE.checklist,
        help: HELP.checklist,
        noArguments: true,
        run: async (inv) => ephemeral(await runs.text(inv.userId, here(inv))),
      },
      itemState('check', 'done'),
      itemState('uncheck', 'open'),
      itemState('skip', 'skipped'),
      {
        name: 'assign',
        usage: USAGE.assign,
        help: HELP.assign,
        run: async (inv) => {
          const usage = `${inv.path} ${USAGE.assign}`;
          const { item, mentions } = splitAtMentions(inv.positional);
          if (!item) throw UserError.badRequest(ERR.noItem, usage);
          const r = await runs.assign(inv.userId, here(inv), item, await people(runs, mentions, usage));
          return ephemeral(r.changed ? reply.itemChanged(r.ref, `assigned to ${mentions.join(', ')}`) : reply.nothingChanged(r.ref));
        },
      },
      {
        name: 'due',
        usage: USAGE.due,
        help: HELP.due,
        run: async (inv) => {
          const usage = `${inv.path} ${USAGE.due}`;
          const [item, ...when] = inv.positional;
          if (!item || when.length === 0) throw UserError.badRequest(ERR.badDue, usage);
          const zone = await readerZone(ctx.api, inv.userId);
          const due = parseDue(when.join(' '), ctx.now(), zone);
          const r = await runs.setDue(inv.userId, here(inv), item, due);
          return ephemeral(r.changed ? reply.itemChanged(r.ref, due === null ? 'no due time' : `due ${localTime(due, zone)}`) : reply.nothingChanged(r.ref));
        },
      },
      {
        name: 'add',
        usage: USAGE.add,
        help: HELP.add,
        run: async (inv) => {
          const [list, ...title] = inv.positional;
          if (!list || title.length === 0) throw UserError.badRequest('Say which checklist and the item, e.g. `/run add 2 Notify the CAB`.', `${inv.path} ${USAGE.add}`);
          const r = await runs.addItem(inv.userId, here(inv), list, title.join(' '));
          return ephemeral(reply.itemChanged(r.ref, 'added'));
        },
      },
      {
        name: 'remove',
        usage: USAGE.remove,
        help: HELP.remove,
        run: async (inv) => {
          if (!inv.text.trim()) throw UserError.badRequest(ERR.noItem, `${inv.path} ${USAGE.remove}`);
          const r = await runs.removeItem(inv.userId, here(inv), inv.text);
          return ephemeral(reply.itemChanged(r.ref, 'removed'));
        },
      },
      {
        name: 'exec',
        usage: EXEC.usage,
        help: EXEC.help,
        run: async (inv) => {
          if (!inv.text.trim()) throw UserError.badRequest(ERR.noItem, `${inv.path} ${EXEC.usage}`);
          const r = await runs.execItem(inv.userId, here(inv), inv.text);
          return ephemeral(EXEC.reply(r.ref, r.command, r.outcome));
        },
      },
      ...statusSubcommands(runs),
      answer('approve'),
      answer('abstain'),
      answer('hold'),
      {
        name: 'concern',
        usage: USAGE.concern,
        help: HELP.concern,
        run: async (inv) => {
          const [first, ...rest] = inv.positional;
          const numbered = first !== undefined && /^\d{1,2}\.\d{1,3}$/.test(first);
          const r = await runs.raiseConcern(inv.userId, here(inv), numbered ? first : null, numbered ? rest.join(' ') : inv.text);
          return ephemeral(reply.itemChanged(r.ref, `concern #${r.id} raised; it blocks the gate until resolved (\`/run resolve ${r.ref} ${r.id}\`)`));
        },
      },
      {
        name: 'resolve',
        usage: USAGE.resolve,
        help: HELP.resolve,
        run: async (inv) => {
          const usage = `${inv.path} ${USAGE.resolve}`;
          // `resolve 2` (the gate where #2 is open) or `resolve 2.1 2`: a concern is a bare number, an item is not.
          const [first, ...after] = inv.positional;
          const gateNamed = first !== undefined && !/^#?\d{1,5}$/.test(first);
          const [item, concern, ...note] = gateNamed ? [first, ...after] : [null, first, ...after];
          if (!concern) throw UserError.badRequest('Say which concern, e.g. `/run resolve 1` or `/run resolve 2.1 1`.', usage);
          const id = parsePositiveInt(concern.slice(0, 20), /^#?(\d{1,5})$/, ERR.notConcernNumber, usage);
          const r = await runs.resolveConcern(inv.userId, here(inv), item, id, note.join(' ') || null);
          return ephemeral(r.changed ? reply.itemChanged(r.ref, `concern #${id} resolved`) : reply.nothingChanged(r.ref));
        },
      },
      {
        name: 'delegate',
        usage: USAGE.delegate,
        help: HELP.delegate,
        booleanFlags: ['none'],
        run: async (inv) => {
          const usage = `${inv.path} ${USAGE.delegate}`;
          const { item, mentions } = splitAtMentions(inv.positional);
          const none = inv.flags.has('none');
          if (none === (mentions.length === 1) || mentions.length > 1) throw UserError.badRequest('Say who answers for you (@user), or `--none`.', usage);
          const to = none ? null : (await people(runs, mentions, usage))[0]!;
          const r = await runs.delegate(inv.userId, here(inv), item || null, to);
          return ephemeral(r.changed ? reply.itemChanged(r.ref, to === null ? 'you answer for yourself again' : `${mentions[0]} answers for you`) : reply.nothingChanged(r.ref));
        },
      },
      {
        name: 'approvers',
        usage: USAGE.approvers,
        help: HELP.approvers,
        valueFlags: ['quorum'],
        run: async (inv) => {
          const usage = `${inv.path} ${USAGE.approvers}`;
          const { item, mentions } = splitAtMentions(inv.positional);
          if (!item) throw UserError.badRequest(ERR.noItem, usage);
          const quorum = quorumOf(inv.flags.get('quorum'), usage);
          const r = await runs.addApprovers(inv.userId, here(inv), item, await people(runs, mentions, usage), quorum);
          return ephemeral(r.changed ? reply.itemChanged(r.ref, `approvers: ${mentions.join(', ')}${quorum ? `; quorum ${quorum.n ?? quorum.kind}` : ''}`) : reply.nothingChanged(r.ref));
        },
      },
      {
        name: 'override',
        usage: USAGE.override,
        help: HELP.override,
        run: async (inv) => {
          // "/run override 2.1 hotfix for an outage": an item number first (optional with one gate), then the reason.
          const [first, ...rest] = inv.positional;
          const numbered = first !== undefined && /^\d{1,2}\.\d{1,3}$/.test(first);
          const r = await runs.overrideGate(inv.userId, here(inv), numbered ? first : null, numbered ? rest.join(' ') : inv.text);
          return ephemeral(reply.itemChanged(r.ref, 'gate overridden; the reason is on the record'));
        },
      },
      {
        name: 'finish',
        usage: USAGE.finish,
        help: HELP.finish,
        valueFlags: ['override'],
        run: async (inv) => {
          if (inv.positional.length) throw UserError.badRequest('`/run finish` takes no words; a team admin may add `--override <reason>`.', `${inv.path} ${USAGE.finish}`);
          const override = inv.flags.get('override');
          const run = await runs.finish(inv.userId, here(inv), typeof override === 'string' ? override : null);
          return ephemeral(reply.finished(run.reference, run.finishOverride));
        },
      },
      {
        name: 'export',
        usage: '',
        help: HELP.export,
        noArguments: true,
        run: async (inv) => {
          const { run, cut } = await runs.postReport(inv.userId, here(inv));
          return ephemeral(`Posted the report of ${runReference(run.number)} in this channel${cut ? ' (cut to fit a post; the sidebar downloads it whole, as Markdown or HTML)' : ''}.`);
        },
      },
      {
        name: 'retro',
        usage: '[publish | <section> <text>]',
        help: HELP.retro,
        run: async (inv) => {
          const [first, ...rest] = inv.positional;
          if (first === undefined) {
            const run = await runs.retro(inv.userId, here(inv));
            const state = run.retro.publishedAt === null ? (run.status === 'finished' ? 'draft — publish it with `/run retro publish`' : 'draft — finish the run, then publish it') : `published ${utcStamp(run.retro.publishedAt)}`;
            const lines = run.retro.sections.map((s, i) => `**${i + 1}. ${s.title}**\n${s.text || '_(not written yet: `/run retro ' + String(i + 1) + ' <text>`)_'}`);
            return ephemeral([`#### Retrospective of ${runReference(run.number)} ${run.name} (${state})`, ...(lines.length ? lines : ['Its template has no retrospective sections.'])].join('\n\n'));
          }
          if (first.toLowerCase() === 'publish' && rest.length === 0) {
            const run = await runs.publishRetro(inv.userId, here(inv));
            return ephemeral(`Published the retrospective of ${runReference(run.number)} in this channel.`);
          }
          if (rest.length === 0) throw UserError.badRequest('Say the section and its text, e.g. `/run retro 2 The rollback took 40 minutes`.', `${inv.path} [publish | <section> <text>]`);
          const r = await runs.writeRetro(inv.userId, here(inv), inv.text);
          return ephemeral(r.changed ? `Wrote “${r.title}” of the retrospective.` : `“${r.title}” already says that.`);
        },
      },
      {
        name: 'timeline',
        usage: USAGE.timeline,
        help: HELP.timeline,
        noArguments: true,
        run: async (inv) => {
          const { run, lines } = await runs.timeline(inv.userId, here(inv));
          const shown = lines.map((l) => `${utcStamp(l.at)} ${l.text}`);
          const older = run.timelineCount - lines.length;
          return ephemeral([`**${runReference(run.number)} ${run.name}: timeline**`, ...(older > 0 ? [`(${older} older entries not kept)`] : []), ...shown].join('\n'));
        },
      },
      statsSubcommand(runs),
      {
        name: 'templates',
        usage: USAGE.templates,
        help: HELP.templates,
        noArguments: true,
        run: async (inv) => {
          const all = await runs.templates(inv.userId, inv.teamId);
          return ephemeral(['**Run templates**', ...all.map((t) => `- ${t.name} (${t.kind}, v${t.version}${t.builtIn ? ', built in' : ''}): ${t.items} items, ${t.gates} gates`)].join('\n'));
        },
      },
      {
        name: 'template',
        usage: USAGE.template,
        help: HELP.template,
        subcommands: [
          {
            name: 'export',
            usage: USAGE.templateExport,
            help: HELP.templateExport,
            run: async (inv) => {
              if (!inv.text.trim()) throw UserError.badRequest('Say which template, e.g. `/run template export Product release`.', `${inv.path} ${USAGE.templateExport}`);
              const t = await runs.template(inv.userId, inv.teamId, inv.text);
              const doc = await runs.exportTemplate(inv.userId, inv.teamId, t.slug);
              const text = codeBlock(IMPORT.exported(t.body.name, t.version), JSON.stringify(doc, null, 2));
              if ([...text].length > POST_RUNES_MAX) return ephemeral(IMPORT.tooLongToShow(t.body.name, `${API_BASE}${fillPath(runRoutes.exportTemplate.path, { teamId: inv.teamId, slug: t.slug })}`));
              return ephemeral(text);
            },
          },
        ],
        run: async (inv) => {
          const t = await runs.template(inv.userId, inv.teamId, inv.text);
          const s = templateSummary(t);
          const lists = t.body.checklists.flatMap((l, i) => [`**${i + 1}. ${l.title}**`, ...l.items.map((it, j) => `- ${i + 1}.${j + 1} ${it.title}${it.approval ? ` · gate (${it.approval.quorum.kind}${it.approval.quorum.n ? ` ${it.approval.quorum.n}` : ''})` : ''}${it.dueMinutes ? ` · due +${it.dueMinutes}m` : ''}`)]);
          const cadence = t.body.statusUpdatesBySeverity ? "by the incident's severity setting" : t.body.statusUpdateMinutes === null ? 'never' : `every ${t.body.statusUpdateMinutes} minutes`;
          return ephemeral([`#### ${s.name} (${s.kind}, version ${s.version})`, t.body.description, `Status updates: ${cadence}`, ...lists].filter(Boolean).join('\n'));
        },
      },
    ],
  };
}

export function releaseCommand(runs: RunService): CommandSpec {
  return {
    trigger: 'release',
    description: HELP.release,
    subcommands: [
      {
        name: 'start',
        usage: USAGE.start,
        help: HELP.start,
        valueFlags: ['template'],
        run: async (inv) => {
          const template = inv.flags.get('template');
          if (template === true) throw UserError.badRequest('Name the template after --template.', `${inv.path} ${USAGE.start}`);
          const started = await runs.start(inv.userId, inv.channelId, { kind: 'release', name: inv.text, template: template ?? null });
          const r = started.run;
          return ephemeral([reply.started(r.reference, r.name, started.channelName, r.template.name, r.template.version), ...started.warnings].join('\n'));
        },
      },
    ],
  };
}

/** A heading and JSON in a code block, fenced so no backtick run in the JSON can close it early. */
function codeBlock(heading: string, json: string): string {
  const longest = Math.max(2, ...[...json.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${heading}\n${fence}json\n${json}\n${fence}`;
}

/** Runs by template for the team (runs the caller can see): `/run stats` and `/infra stats`, one spec. */
export function statsSubcommand(runs: RunService): SubcommandSpec {
  return {
    name: 'stats',
    usage: '',
    help: HELP.stats,
    noArguments: true,
    run: async (inv) => {
      const all = await runs.stats(inv.userId, inv.teamId);
      return ephemeral(['**Runs by template** (runs you can see)', ...(all.length ? all.map(statsLine) : ['No runs yet.'])].join('\n'));
    },
  };
}
