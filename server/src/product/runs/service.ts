/**
 * The run use cases: templates seeded and versioned per team; a run started in its own channel
 * from a template; its checklist worked by whoever can post there; its gates answered by their
 * approvers on the one sign-off engine; finished only when every gate has passed (or a team admin
 * overrides, on the record). Every change is a compare-and-set on the run, lands on its timeline,
 * refreshes its card and tells the channel's clients.
 */
import { AppError } from '../../plugin/api/app_error';
import { PAGE_SIZE_DEFAULT } from '../contract/api';
import type { IncidentReminderPort, IncidentRunbookPort, RunActivitySink, RunbookIncident, RunTemplatePort } from '../shared/ports';
import type { ImportTemplateAnswer, RunSummaryView, RunView, TemplateDocument, TEMPLATE_SOURCES, TemplateSummaryView } from '../contract/runs';
import type { Holders, Scope } from '../shared/access/policy';
import type { ProductContext } from '../shared/context';
import { corruptRecordsFor } from '../shared/corrupt_records';
import { CorruptRecordError, nullIfCorrupt, UserError } from '../shared/errors';
import { UNCHANGED } from '../shared/kv';
import { People } from '../shared/people';
import { postAsBot, postOnce } from '../shared/posts';
import { addSeats, type Answer, checkQuorum, type Gate, GateRefusal, override as overrideGate, type Quorum, SAME as GATE_SAME, type SeatRef } from '../shared/signoff/gate';
import { checkText, fitLines, POST_RUNES_MAX } from '../shared/text/limits';
import { withoutChannelMentions } from '../shared/text/mentions';
import { slugify } from '../shared/text/slug';
import { BUILT_IN_TEMPLATES } from './builtins';
import {
  addItem,
  assign,
  ChecklistRefusal,
  finish,
  findChecklist,
  findItem,
  gates,
  gateSteps,
  type ItemAt,
  itemFromTemplate,
  note,
  onGate,
  openGates,
  refOf,
  removeItem,
  SAME,
  setDue,
  setState,
  type Step,
} from './checklist';
import { ACTION_WORDS, ERR, EXEC, line, nag, retroReminder, runReference } from './messages';
import { RUN_RULES, type RunAction, type RunRole, runPolicy } from './policy';
import { GATE_LIMITS, LIMITS, type Run, type Template, type TemplateBody } from './records';
import { parseSettings } from './settings';
import { type NewRun, type RunCall as Call, RunStore, type RunWhere, type TemplateList } from './store';
import { reportHtml, reportMarkdown } from './report';
import { type TemplateStats, templateStats } from './stats';
import { publish, RetroRefusal, retroText, sectionAndText, writeSection } from './retro';
import { fromPlaybook } from './playbooks_import';
import { carriedOverOf, idsIn, parseDocument, resolveDraft, toDocument } from './template_io';
import { checkItemCommand, executeAs, type ExecOutcome } from './exec';
import { cardButtons, peopleOf, reportPeople, runChangedView, runSummaryView, runText, runView, templateSummary } from './views';
import { type RunCore, RunStatusService } from './status_service';
import type { OwedFact } from '../shared/owed';
import { runOwedFacts } from './owed';

type TemplateSource = (typeof TEMPLATE_SOURCES)[number];

export const DUE_JOB = 'run.item_due';
export const RETRO_JOB = 'run.retro_reminder';
const DAY = 86_400_000;
const GROUP_PAGE = 200;
const CHANNEL_NAME_TRIES = 5;

export type { RunWhere } from './store';

export class RunService implements RunCore {
  readonly store: RunStore;
  readonly report: (err: CorruptRecordError) => void;
  /** Status updates: cadence, snooze, requests and the reminder (status_service.ts). */
  readonly status: RunStatusService;

  constructor(
    private readonly ctx: ProductContext,
    /** Where runs that are not incidents report starting and finishing (outgoing webhooks). */
    private readonly activity: RunActivitySink | null = null,
    /** Late-bound: incidents are built after runs. */
    incidentReminders: () => IncidentReminderPort | null = () => null,
    /** People a run names (owner, assignees, approvers) are enrolled in the daily digest. */
    private readonly involved: (userIds: readonly string[], teamId: string) => Promise<void> = async () => {},
  ) {
    const corrupt = corruptRecordsFor(ctx.kv, ctx.log, ctx.now);
    this.report = (err) => void corrupt.reportError(err);
    this.store = new RunStore(ctx.kv, this.report, (key, what, work) => ctx.afterAnswer.inOrder(key, what, work));
    this.status = new RunStatusService(ctx, this, incidentReminders);
  }

  registerJobs(): void {
    this.status.register();
    this.ctx.scheduler.register(DUE_JOB, (payload) => this.onDue(payload));
    // Daily until the retrospective is published (or the run is gone); the handler stops the chain.
    this.ctx.scheduler.register(RETRO_JOB, (payload) => this.onRetroReminder(payload), { next: (_p, job) => ({ dueAt: job.dueAt + DAY }) });
  }

  people(): People {
    return new People(this.ctx.api);
  }

  // ---- templates ----

  /** The team's templates (built-ins seeded the first time), as summaries. */
  async templates(actor: string, teamId: string): Promise<TemplateSummaryView[]> {
    const c = this.call(actor);
    await runPolicy.require(c.access, actor, 'viewTemplates', { scope: { teamId, channelId: null } });
    return (await this.allTemplates(teamId)).map(templateSummary);
  }

  async template(actor: string, teamId: string, name: string): Promise<Template> {
    const c = this.call(actor);
    await runPolicy.require(c.access, actor, 'viewTemplates', { scope: { teamId, channelId: null } });
    return this.findTemplate(teamId, name);
  }

  /** Saves a template under its name's slug: a new one at version 1, an existing one as its next version. */
  async saveTemplate(actor: string, teamId: string, body: TemplateBody): Promise<Template> {
    const c = this.call(actor);
    await runPolicy.require(c.access, actor, 'manageTemplates', { scope: { teamId, channelId: null } }, 'change the team\'s templates');
    await this.allTemplates(teamId);
    const slug = slugify(body.name, 60);
    if (!slug) throw UserError.badRequest('A template needs a name with letters or digits.');
    const now = this.ctx.now();
    await this.store.updateTemplateList(teamId, (list) => {
      const slugs = list?.slugs ?? [];
      if (slugs.includes(slug)) return UNCHANGED;
      if (slugs.length >= LIMITS.templatesPerTeam) throw UserError.conflict(`A team has at most ${LIMITS.templatesPerTeam} templates.`);
      return { v: 1, slugs: [...slugs, slug], seeded: list?.seeded ?? true };
    });
    const saved = await this.store.updateTemplate(teamId, slug, (current) => ({
      v: 1 as const,
      teamId,
      slug,
      version: (current?.version ?? 0) + 1,
      builtIn: false,
      updatedAt: now,
      updatedBy: actor,
      body,
    }));
    return saved!;
  }

  private async allTemplates(teamId: string): Promise<Template[]> {
    let list = await this.store.templateList(teamId);
    if (!list?.seeded) list = await this.seed(teamId);
    return (await this.store.templates(teamId, list?.slugs ?? [])).filter((t): t is Template => t !== null);
  }

  /** Built-ins go in once per team (two nodes seeding at once write the same records). */
  private async seed(teamId: string): Promise<TemplateList | null> {
    const now = this.ctx.now();
    for (const body of BUILT_IN_TEMPLATES) {
      const slug = slugify(body.name, 60);
      await this.store.updateTemplate(teamId, slug, (current) =>
        current ? UNCHANGED : { v: 1 as const, teamId, slug, version: 1, builtIn: true, updatedAt: now, updatedBy: this.ctx.botUserId, body },
      );
    }
    return this.store.updateTemplateList(teamId, (list) => {
      if (list?.seeded) return UNCHANGED;
      const builtIns = BUILT_IN_TEMPLATES.map((b) => slugify(b.name, 60));
      const slugs = [...new Set([...builtIns, ...(list?.slugs ?? [])])].slice(0, LIMITS.templatesPerTeam);
      return { v: 1, slugs, seeded: true };
    });
  }

  private async findTemplate(teamId: string, name: string): Promise<Template> {
    const all = await this.allTemplates(teamId);
    const slug = slugify(name, 60);
    const found = all.find((t) => t.slug === slug) ?? all.filter((t) => t.body.name.toLowerCase().startsWith(name.trim().toLowerCase()))[0];
    if (!found || !name.trim()) throw UserError.notFound(ERR.noSuchTemplate(name.slice(0, 80), all.map((t) => t.body.name)));
    return found;
  }

  /** A template as our JSON exchange format (team admins): people by username and group name. */
  async exportTemplate(actor: string, teamId: string, slug: string): Promise<TemplateDocument> {
    const c = this.call(actor);
    await runPolicy.require(c.access, actor, 'manageTemplates', { scope: { teamId, channelId: null } }, ACTION_WORDS.exportTemplates);
    const all = await this.allTemplates(teamId);
    const template = all.find((t) => t.slug === slug);
    if (!template) throw UserError.notFound(ERR.noSuchTemplate(slug, all.map((t) => t.body.name)));
    const { userIds, groupIds } = idsIn(template.body);
    const users = new Map<string, string>();
    for (const id of userIds) users.set(id, await c.people.username(id));
    const groups = new Map<string, string>();
    for (const id of groupIds) {
      const group = await this.ctx.api.getGroup(id).catch(nullIfMissing);
      if (group) groups.set(id, group.Name ?? group.DisplayName);
    }
    return toDocument(template.body, { users, groups });
  }

  /**
   * A template from our JSON or from a Playbooks export (team admins), saved like any other (a
   * new version if its name exists). Its people are looked up in this team now; unknown ones are
   * reported with whatever else could not be carried over, and the rest applies.
   */
  async importTemplate(actor: string, teamId: string, source: TemplateSource, document: string): Promise<ImportTemplateAnswer> {
    const c = this.call(actor);
    await runPolicy.require(c.access, actor, 'manageTemplates', { scope: { teamId, channelId: null } }, ACTION_WORDS.manageTemplates);
    const read = source === 'playbooks' ? fromPlaybook(document) : { draft: parseDocument(document), carriedOver: [] as string[], notCarried: [] as string[] };
    const member = async (user: { Id: string; DeleteAt?: number } | null): Promise<string | null> =>
      user && !user.DeleteAt && (await c.access.isTeamMember(user.Id, teamId)) ? user.Id : null;
    const { body, unresolved } = await resolveDraft(read.draft, {
      userByName: async (username) => member(await this.ctx.api.getUserByUsername(username).catch(nullIfMissing)),
      userById: async (userId) => member(await this.ctx.api.getUser(userId).catch(nullIfMissing)),
      group: async (groupId) => {
        const group = await this.ctx.api.getGroup(groupId).catch(nullIfMissing);
        return group && !group['DeleteAt'] ? group.Id : null;
      },
    });
    const saved = await this.saveTemplate(actor, teamId, body);
    const carriedOver = source === 'playbooks' ? read.carriedOver : carriedOverOf(body);
    return { template: templateSummary(saved), carriedOver, notCarried: [...read.notCarried, ...unresolved] };
  }

  // ---- starting and reading ----

  /**
   * Starts a run in a new channel of the team of the channel it is started from: from the template
   * named, or the team's first template of `kind`. The starter owns it and is added to the
   * channel with the template's invitees.
   */
  async start(
    actor: string,
    fromChannelId: string,
    input: { kind: string; name: string; template: string | null },
    expectedTeamId: string | null = null,
  ): Promise<{ run: RunView; channelName: string; warnings: string[] }> {
    const c = this.call(actor);
    const scope = await c.access.scopeOfChannel(actor, fromChannelId);
    const teamId = scope.teamId;
    if (expectedTeamId !== null && expectedTeamId !== teamId) throw UserError.notFound('No such channel.');
    // Judged in the channel it is started from: someone who reads it but is not a full team member is refused, not told it does not exist.
    await runPolicy.require(c.access, actor, 'start', { scope }, 'start a run');
    const name = checkText(input.name.replace(/\s+/g, ' '), LIMITS.name, 'a run name');
    if (!name) throw UserError.badRequest(ERR.noName);
    const template = input.template
      ? await this.findTemplate(teamId, input.template)
      : (await this.allTemplates(teamId)).find((t) => t.body.kind === input.kind);
    if (!template) throw UserError.notFound(ERR.noTemplateOfKind(input.kind));

    const { members, warnings } = await this.templateGroups(template);

    const channel = await this.createChannel(teamId, template, name);
    const now = this.ctx.now();
    const actorName = await c.people.username(actor);
    let run = await this.store.create(
      runFromTemplate(template, { teamId, kind: template.body.kind, name, channelId: channel.Id, ownerId: actor, members, now, by: actor, firstLine: line.started(actorName, template.body.name, template.version), incident: null }),
    );

    const invite = new Set<string>([actor]);
    for (const a of template.body.channel.invite) for (const id of 'userId' in a ? [a.userId] : (members.get(a.groupId) ?? [])) invite.add(id);
    const added = await Promise.allSettled([...invite].map((userId) => this.ctx.api.addChannelMember(channel.Id, userId)));
    for (const [i, result] of added.entries()) {
      if (result.status === 'rejected') warnings.push(`@${await c.people.username([...invite][i]!)} could not be added to ~${channel.Name}.`);
    }
    run = await this.announceNewRun(run, c.people);
    return { run: runView(run, now), channelName: channel.Name, warnings };
  }

  // ---- incidents are runs ----

  /**
   * The team's incident template for this type and severity: one naming the type wins over one for
   * any type, then one naming the severity over one for any severity; null when none applies.
   */
  private async incidentTemplate(teamId: string, type: string, severity: number): Promise<Template | null> {
    const score = (t: Template): number => {
      const { types, severities } = t.body.appliesTo;
      const typeScore = types.length === 0 ? 0 : types.some((x) => x.toLowerCase() === type.toLowerCase()) ? 2 : -Infinity;
      const sevScore = severities.length === 0 ? 0 : severities.includes(severity) ? 1 : -Infinity;
      return typeScore + sevScore;
    };
    const ranked = (await this.allTemplates(teamId))
      .filter((t) => t.body.kind === 'incident')
      .map((t) => ({ t, s: score(t) }))
      .filter((x) => x.s > -Infinity)
      .sort((a, b) => b.s - a.s);
    return ranked[0]?.t ?? null;
  }

  /**
   * A declared incident's runbook: its channel gets the checklist of the matching incident template,
   * owned by the commander (once: a channel holds one run, so a re-run of the declaration finds it).
   * Acts as the bot: the declaration was checked by the incidents policy, and the channel is the
   * incident's own.
   */
  async attachToIncident(incident: RunbookIncident): Promise<Run | null> {
    if (!parseSettings(this.ctx.settings()).incidentRunbooks) return null;
    const existing = await this.store.inChannel(incident.channelId);
    if (existing) return existing;
    const template = await this.incidentTemplate(incident.teamId, incident.type, incident.severity);
    if (!template) return null;
    const now = this.ctx.now();
    const people = this.people();
    // Group assignees become their members now, as for a release (a group that cannot be read is logged and left out).
    const { members, warnings } = await this.templateGroups(template);
    for (const warning of warnings) this.ctx.log.warn('incident runbook', { incident: incident.reference, warning });
    let run: Run;
    try {
      run = await this.store.create(
        runFromTemplate(template, {
          teamId: incident.teamId,
          kind: 'incident',
          name: `${incident.reference} ${incident.title}`.slice(0, LIMITS.name),
          channelId: incident.channelId,
          ownerId: incident.commanderId,
          members,
          now,
          by: this.ctx.botUserId,
          firstLine: line.runbook(incident.reference, template.body.name, template.version),
          incident: incident.reference,
        }),
      );
    } catch (err) {
      // Another node attached it first.
      if (err instanceof UserError && err.status === 409) return this.store.inChannel(incident.channelId);
      throw err;
    }
    const announced = await this.announceNewRun(run, people);
    // The incident's reminder takes the runbook's cadence from now on.
    await this.status.afterTiming(announced);
    return announced;
  }

  /** A resolved incident finishes its runbook; gates still open are recorded as passed over by the resolution. */
  async finishForIncident(incident: RunbookIncident, resolverId: string): Promise<void> {
    const run = await this.store.inChannel(incident.channelId);
    if (!run || run.status !== 'active' || run.kind !== 'incident') return;
    const who = await this.people().username(resolverId);
    const { before, after } = await this.store.update(run.teamId, run.number, (current) => {
      if (current.status !== 'active') return UNCHANGED;
      const blocking = openGates(current, this.ctx.now()).length > 0;
      const reason = blocking ? ERR.resolvedOverride(incident.reference) : null;
      return { ...finish(current, resolverId, this.ctx.now(), reason, line.finished(who, reason)), updatedAt: this.ctx.now() };
    });
    if (after === before) return;
    await this.refreshCard(after, this.people());
    await this.publish(after);
    await this.scheduleRetroReminder(after);
  }

  /**
   * The incident's commander changed: the runbook's owner follows (approvers named "owner", the
   * finish, the retrospective and the cadence are the commander's). Acts as the bot: the handoff
   * was checked by the incidents policy. Another role changing finds nothing to do.
   */
  async followCommander(incident: RunbookIncident): Promise<void> {
    const run = await this.store.inChannel(incident.channelId);
    if (!run || run.kind !== 'incident' || run.status !== 'active' || run.ownerId === incident.commanderId) return;
    const people = this.people();
    const owner = await people.username(incident.commanderId);
    const { before, after } = await this.store.update(run.teamId, run.number, (current) =>
      current.status !== 'active' || current.ownerId === incident.commanderId
        ? UNCHANGED
        : { ...note(current, this.ctx.botUserId, line.commander(incident.reference, owner), this.ctx.now()), ownerId: incident.commanderId },
    );
    if (after === before) return;
    await this.refreshCard(after, people);
    await this.publish(after);
  }

  /** What outgoing webhooks ask of templates (wired in index.ts). */
  get templatePort(): RunTemplatePort {
    return {
      slugOf: async (teamId, name) => (await this.findTemplate(teamId, name).catch(() => null))?.slug ?? null,
      incidentTemplate: async ({ teamId, channelId, type, severity }) => {
        const run = await this.store.inChannel(channelId).catch(nullIfCorrupt(this.report));
        if (run && run.teamId === teamId) return { slug: run.template.slug, name: run.template.name };
        if (!parseSettings(this.ctx.settings()).incidentRunbooks) return null;
        const template = await this.incidentTemplate(teamId, type ?? '', severity);
        return template ? { slug: template.slug, name: template.body.name } : null;
      },
    };
  }

  /** A run that is not an incident started or finished, to the activity sink; best effort. */
  private async reportActivity(run: Run, kind: 'started' | 'finished'): Promise<void> {
    if (!this.activity || run.kind === 'incident') return;
    try {
      const [channel, isPrivate] = await Promise.all([this.ctx.api.getChannel(run.channelId), this.ctx.access().isPrivate(run.channelId)]);
      await this.activity.runChanged({
        kind,
        teamId: run.teamId,
        reference: runReference(run.number),
        number: run.number,
        runKind: run.kind,
        name: run.name,
        template: { ...run.template },
        private: isPrivate,
        channelName: channel.Name,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        at: kind === 'finished' ? (run.finishedAt ?? run.updatedAt) : run.startedAt,
      });
    } catch (err) {
      this.ctx.log.warn('run activity not reported', { run: run.number, error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** The port incidents call (wired in index.ts). */
  get runbook(): IncidentRunbookPort {
    return {
      declared: async (incident) => void (await this.attachToIncident(incident)),
      resolved: (incident, resolverId) => this.finishForIncident(incident, resolverId),
      commanderChanged: (incident) => this.followCommander(incident),
      cadence: (facts) => this.status.cadenceForIncident(facts),
    };
  }

  async get(actor: string, where: RunWhere): Promise<RunView> {
    const c = this.call(actor);
    return runView(await this.find(c, where), this.ctx.now());
  }

  /** `/run checklist`: the run as text, names resolved. */
  async text(actor: string, where: RunWhere): Promise<string> {
    const c = this.call(actor);
    const run = await this.find(c, where);
    return runText(run, await this.names(c.people, peopleOf(run)), this.ctx.now());
  }

  async timeline(actor: string, where: RunWhere): Promise<{ run: Run; lines: Run['timeline'] }> {
    const c = this.call(actor);
    const run = await this.find(c, where);
    return { run, lines: run.timeline };
  }

  /** The team's runs the caller may see (their channels, read live), newest first. */
  async list(actor: string, teamId: string): Promise<{ items: RunSummaryView[]; nextCursor: string | null }> {
    const c = this.call(actor);
    if (!(await c.access.isTeamMember(actor, teamId)) && !(await c.access.isSystemAdmin(actor))) throw UserError.notFound('No such team.');
    // The entries carry each run's list copy (its summary's inputs): the page reads the index alone.
    const page = await this.store.teamIndex(teamId).page({ before: null, limit: PAGE_SIZE_DEFAULT });
    const runs = await this.store.fromEntries(teamId, page.entries);
    const visible = await c.access.filterVisible(actor, runs, (r) => this.scopeOf(r));
    const now = this.ctx.now();
    return { items: visible.map((r) => runSummaryView(r, now)), nextCursor: page.next === null ? null : String(page.next) };
  }

  // ---- the checklist ----

  async setItemState(actor: string, where: RunWhere, typed: string, state: 'open' | 'done' | 'skipped'): Promise<{ run: RunView; ref: string; changed: boolean }> {
    return this.onItem(actor, where, typed, 'work', (run, at, who, now) => {
      const it = run.checklists[at.list]!.items[at.item]!;
      const text = state === 'done' ? line.checked(who, refOf(at), it.title) : state === 'open' ? line.unchecked(who, refOf(at), it.title) : line.skipped(who, refOf(at), it.title);
      return setState(run, at, state, actor, now, text);
    });
  }

  async assign(actor: string, where: RunWhere, typed: string, userIds: readonly string[]): Promise<{ run: RunView; ref: string; changed: boolean }> {
    const c = this.call(actor);
    const run = await this.find(c, where);
    // Only people who can read the run's channel can hold its items.
    for (const id of userIds) if (!(await c.access.canRead(id, run.channelId))) throw UserError.badRequest(`@${await c.people.username(id)} cannot read this run's channel.`);
    const names = (await Promise.all(userIds.map((id) => c.people.username(id)))).map((n) => `@${n}`).join(', ');
    const result = await this.onItem(actor, where, typed, 'work', (r, at, who, now) => assign(r, at, userIds, actor, now, line.assigned(who, refOf(at), names)));
    await this.involved(userIds, run.teamId);
    return result;
  }

  async setDue(actor: string, where: RunWhere, typed: string, due: number | null): Promise<{ run: RunView; ref: string; changed: boolean }> {
    const result = await this.onItem(actor, where, typed, 'work', (r, at, who, now) => setDue(r, at, due, actor, now, line.due(who, refOf(at), due)));
    return result;
  }

  async addItem(actor: string, where: RunWhere, checklist: string, title: string): Promise<{ run: RunView; ref: string }> {
    const c = this.call(actor);
    const clean = checkText(title, LIMITS.itemTitle, 'an item title');
    if (!clean) throw UserError.badRequest('Say what the item is.');
    const loaded = await this.find(c, where);
    let ref = '';
    const after = await this.change(c, loaded, 'work', {}, (run, who, now) => {
      const list = findChecklist(run, checklist);
      ref = refOf({ list, item: run.checklists[list]!.items.length });
      return addItem(run, list, clean, actor, now, line.added(who, ref, clean));
    });
    return { run: runView(after, this.ctx.now()), ref };
  }

  async removeItem(actor: string, where: RunWhere, typed: string): Promise<{ run: RunView; ref: string; changed: boolean }> {
    return this.onItem(actor, where, typed, 'work', (run, at, who, now) => removeItem(run, at, actor, now, line.removed(who, refOf(at), run.checklists[at.list]!.items[at.item]!.title)));
  }

  /**
   * `/run exec` (exec.ts): the item's slash command run as the actor in the run's channel — only
   * once they may post there — and what it answered, or its error, on the timeline.
   */
  async execItem(actor: string, where: RunWhere, typed: string): Promise<{ run: RunView; ref: string; command: string; outcome: ExecOutcome }> {
    const c = this.call(actor);
    const loaded = await this.find(c, where);
    const at = refusals(() => findItem(loaded, typed));
    const ref = refOf(at);
    await runPolicy.require(c.access, actor, 'work', { scope: this.scopeOf(loaded) }, ACTION_WORDS.exec);
    if (loaded.status !== 'active') throw UserError.conflict(ERR.refusal('finished', ''));
    const typedCommand = loaded.checklists[at.list]!.items[at.item]!.command;
    if (!typedCommand) throw UserError.badRequest(EXEC.noCommand(ref));
    const checked = checkItemCommand(typedCommand);
    if (!checked.ok) throw UserError.badRequest(EXEC[checked.why](ref));
    const outcome = await executeAs(this.ctx.api, actor, loaded.channelId, checked.command);
    const after = await this.change(c, loaded, 'work', {}, (run, who, now) => note(run, actor, EXEC.line(who, ref, checked.command, outcome), now));
    return { run: runView(after, this.ctx.now()), ref, command: checked.command, outcome };
  }

  // ---- gates ----

  /** approve / abstain / hold (null takes an answer back) on the item's gate, or on the run's only gate. */
  async answer(actor: string, where: RunWhere, typed: string | null, given: Answer | null, note: string | null): Promise<{ run: RunView; ref: string; changed: boolean }> {
    const c = this.call(actor);
    const said = note === null ? null : checkText(note, LIMITS.text, 'a note') || null;
    const run = await this.find(c, where);
    const at = this.gateAt(run, typed);
    const gate = run.checklists[at.list]!.items[at.item]!.gate!;
    const groups = await this.groupsOf(actor, gate);
    const holders = await this.approverHolders(gate, actor, groups);
    return this.onItem(actor, where, refOf(at), 'answer', (r, a, who, now) => onGate(r, a, actor, now, line.answered(who, refOf(a), given ?? 'none', said), gateSteps.answer(actor, given, now, groups, said)), holders);
  }

  async raiseConcern(actor: string, where: RunWhere, typed: string | null, text: string): Promise<{ run: RunView; ref: string; id: number }> {
    const c = this.call(actor);
    const clean = checkText(text, LIMITS.text, 'a concern');
    if (!clean) throw UserError.badRequest(ERR.noText);
    const run = await this.find(c, where);
    const at = this.gateAt(run, typed);
    let id = 0;
    const result = await this.onItem(actor, where, refOf(at), 'work', (r, a, who, now) => {
      const gate = r.checklists[a.list]!.items[a.item]!.gate;
      id = (gate?.concerns.reduce((max, x) => Math.max(max, x.id), 0) ?? 0) + 1;
      return onGate(r, a, actor, now, line.concern(who, refOf(a), id, withoutChannelMentions(clean)), gateSteps.concern(actor, clean, now));
    });
    return { run: result.run, ref: result.ref, id };
  }

  /** Resolves concern #id on the item's gate, or (no item) on the one gate where #id is still open. */
  async resolveConcern(actor: string, where: RunWhere, typed: string | null, concernId: number, resolution: string | null): Promise<{ run: RunView; ref: string; changed: boolean }> {
    const c = this.call(actor);
    const said = resolution === null ? null : checkText(resolution, LIMITS.text, 'a resolution') || null;
    const run = await this.find(c, where);
    const at = typed === null ? this.gateWithOpenConcern(run, concernId) : this.gateAt(run, typed);
    const concern = run.checklists[at.list]!.items[at.item]!.gate!.concerns.find((x) => x.id === concernId);
    if (!concern) throw UserError.notFound(ERR.noSuchConcern(refOf(at), concernId));
    return this.onItem(actor, where, refOf(at), 'resolve', (r, a, who, now) => onGate(r, a, actor, now, line.resolved(who, refOf(a), concernId, said), gateSteps.resolve(concernId, actor, said, now)), { raiser: concern.raisedBy }, concernId);
  }

  async delegate(actor: string, where: RunWhere, typed: string | null, to: string | null): Promise<{ run: RunView; ref: string; changed: boolean }> {
    const c = this.call(actor);
    const run = await this.find(c, where);
    const at = this.gateAt(run, typed);
    const gate = run.checklists[at.list]!.items[at.item]!.gate!;
    // Only a seat's own holder hands it on; whether they may is said before anything about the delegate.
    const holders: Holders<RunRole> = { approver: gate.seats.flatMap((s) => (s.userId ? [s.userId] : [])) };
    await runPolicy.require(c.access, actor, 'answer', { scope: this.scopeOf(run), holders: { owner: run.ownerId, ...holders } }, ACTION_WORDS.answer);
    if (to !== null && !(await c.access.canPost(to, run.channelId))) throw UserError.badRequest(`@${await c.people.username(to)} cannot post in this run's channel.`);
    const toName = to === null ? null : await c.people.username(to);
    return this.onItem(actor, where, refOf(at), 'answer', (r, a, who, now) => onGate(r, a, actor, now, line.delegated(who, refOf(a), toName), gateSteps.delegate(actor, to)), holders);
  }

  /** Names (more) approvers of a gate, and optionally its quorum (all, majority, at least N). */
  async addApprovers(actor: string, where: RunWhere, typed: string, userIds: readonly string[], quorum: Quorum | null = null): Promise<{ run: RunView; ref: string; changed: boolean }> {
    const c = this.call(actor);
    const run = await this.find(c, where);
    // Whether the actor may name approvers is said before anything about the people named.
    await runPolicy.require(c.access, actor, 'approvers', { scope: this.scopeOf(run), holders: { owner: run.ownerId } }, ACTION_WORDS.approvers);
    for (const id of userIds) if (!(await c.access.canPost(id, run.channelId))) throw UserError.badRequest(`@${await c.people.username(id)} cannot post in this run's channel, so could not approve there.`);
    const names = (await Promise.all(userIds.map((id) => c.people.username(id)))).map((n) => `@${n}`).join(', ');
    const refs: SeatRef[] = userIds.map((userId) => ({ userId }));
    if (quorum) refusals(() => checkQuorum(quorum));
    const said = quorum ? `${names} (quorum: ${quorum.kind === 'atLeast' ? `${quorum.n} of them` : quorum.kind})` : names;
    const result = await this.onItem(actor, where, typed, 'approvers', (r, a, who, now) =>
      onGate(r, a, actor, now, line.approvers(who, refOf(a), said), (gate: Gate) => {
        const seated = addSeats(gate, refs, GATE_LIMITS);
        const next = seated === GATE_SAME ? gate : seated;
        if (quorum && (next.quorum.kind !== quorum.kind || next.quorum.n !== quorum.n)) return { ...next, quorum };
        return seated;
      }),
    );
    await this.involved(userIds, run.teamId);
    return result;
  }

  /** A team admin lets one open gate pass; who, when and why are on the gate and the timeline. */
  async overrideGate(actor: string, where: RunWhere, typed: string | null, reason: string): Promise<{ run: RunView; ref: string; changed: boolean }> {
    const c = this.call(actor);
    const why = checkText(reason, LIMITS.text, 'a reason');
    if (!why) throw UserError.badRequest(ERR.gateOverrideNeedsReason);
    const run = await this.find(c, where);
    const at = this.gateAt(run, typed);
    return this.onItem(actor, where, refOf(at), 'override', (r, a, who, now) => onGate(r, a, actor, now, line.gateOverridden(who, refOf(a), why), (gate) => overrideGate(gate, actor, why, now)));
  }

  /** Finishes the run; with `override`, a team admin lets open gates pass (their reason is recorded). */
  async finish(actor: string, where: RunWhere, override: string | null): Promise<RunView> {
    const c = this.call(actor);
    const reason = override === null ? null : checkText(override, LIMITS.text, 'a reason') || null;
    const loaded = await this.find(c, where);
    if (override !== null && !reason) throw UserError.badRequest(ERR.overrideNeedsReason);
    if (reason !== null) await runPolicy.require(c.access, actor, 'override', { scope: this.scopeOf(loaded) }, 'override open gates');
    const after = await this.change(c, loaded, 'finish', { owner: loaded.ownerId }, (run, who, now) => finish(run, actor, now, reason, line.finished(who, reason)));
    await Promise.all([this.scheduleRetroReminder(after), this.reportActivity(after, 'finished')]);
    return runView(after, this.ctx.now());
  }

  /** The run's report (Markdown and HTML) for whoever can see the run. */
  async runReport(actor: string, where: RunWhere): Promise<{ filename: string; markdown: string; html: string; run: Run }> {
    const c = this.call(actor);
    const run = await this.find(c, where);
    const names = await this.names(c.people, reportPeople(run));
    const now = this.ctx.now();
    return { filename: `${runReference(run.number).toLowerCase()}-${slugify(run.name, 40)}`, markdown: reportMarkdown(run, names, now), html: reportHtml(run, names, now), run };
  }

  /**
   * `/run export`: the report posted in the run's channel (cut to the post limit, with a pointer to
   * the full download in the sidebar). Mattermost's plugin API here has no file upload, so it is a post.
   */
  async postReport(actor: string, where: RunWhere): Promise<{ run: Run; cut: boolean }> {
    const c = this.call(actor);
    const loaded = await this.find(c, where);
    await runPolicy.require(c.access, actor, 'work', { scope: this.scopeOf(loaded) }, 'post the report here');
    const { markdown, run } = await this.runReport(actor, where);
    const all = withoutChannelMentions(markdown).split('\n');
    const lines = fitLines(all, POST_RUNES_MAX, (n) => `…and ${n} more lines: download the whole report from the run in the Infra Ops sidebar.`);
    await postAsBot(this.ctx, { channelId: run.channelId, message: lines.join('\n') }, 'run report');
    return { run, cut: lines.length !== all.length || lines.at(-1) !== all.at(-1) };
  }

  // ---- the retrospective ----

  async retro(actor: string, where: RunWhere): Promise<Run> {
    return this.find(this.call(actor), where);
  }

  /** `typed`: the section (its number or title words) then its text. */
  async writeRetro(actor: string, where: RunWhere, typed: string): Promise<{ run: Run; title: string; changed: boolean }> {
    const c = this.call(actor);
    const loaded = await this.find(c, where);
    const { section, text } = retroRefusals(() => sectionAndText(loaded, typed));
    return this.retroSection(c, loaded, section, text);
  }

  /** One section (from 0) of the retrospective written; what `/run retro <section> <text>` and the sidebar do. */
  async writeRetroSection(actor: string, where: RunWhere, section: number, text: string): Promise<{ run: Run; title: string; changed: boolean }> {
    const c = this.call(actor);
    return this.retroSection(c, await this.find(c, where), section, text);
  }

  private async retroSection(c: Call, loaded: Run, section: number, text: string): Promise<{ run: Run; title: string; changed: boolean }> {
    const clean = checkText(text, LIMITS.description, 'a retrospective section');
    let title = '';
    let changed = false;
    const after = await this.change(c, loaded, 'work', {}, (run, who, now) => {
      title = run.retro.sections[section]?.title ?? '';
      const next = retroRefusals(() => writeSection(run, section, clean, c.actor, now, line.retroWritten(who, title)));
      changed = next !== SAME;
      return next;
    });
    return { run: after, title, changed };
  }

  /** The owner (or a team admin) publishes it: posted in the run's channel, then it is the record. */
  async publishRetro(actor: string, where: RunWhere): Promise<Run> {
    const c = this.call(actor);
    const loaded = await this.find(c, where);
    const after = await this.change(c, loaded, 'publish', { owner: loaded.ownerId }, (run, who, now) => retroRefusals(() => publish(run, actor, now, line.retroPublished(who))));
    const relay = (await c.access.canMentionChannel(actor, after.channelId)) ? (t: string) => t : withoutChannelMentions;
    await postAsBot(this.ctx, { channelId: after.channelId, message: relay(retroText(after, runReference(after.number))) }, 'retrospective');
    await this.ctx.scheduler.cancel(retroJobKey(after));
    return after;
  }

  private async onRetroReminder(payload: Record<string, unknown>): Promise<void> {
    const { teamId, number } = payload;
    if (typeof teamId !== 'string' || typeof number !== 'number') return;
    const run = await this.store.get(teamId, number).catch(nullIfCorrupt(this.report));
    if (!run || run.retro.publishedAt !== null || run.retro.sections.length === 0) {
      if (run) await this.ctx.scheduler.cancel(retroJobKey(run));
      return;
    }
    const day = Math.floor((this.ctx.now() - (run.finishedAt ?? run.startedAt)) / DAY);
    const owner = await this.people().username(run.ownerId);
    await postOnce(this.ctx, { channelId: run.channelId, message: retroReminder(owner, runReference(number)) }, `run-retro:${teamId}:${number}:${day}`);
  }

  /** Per-template figures over the team's runs the caller can see. */
  async stats(actor: string, teamId: string): Promise<TemplateStats[]> {
    const c = this.call(actor);
    await runPolicy.require(c.access, actor, 'viewTemplates', { scope: { teamId, channelId: null } }, "see the team's run figures");
    const entries = await this.store.teamIndex(teamId).all();
    const runs = (await this.store.getMany(teamId, entries.map((e) => Number(e.id)))).filter((r): r is Run => r !== null);
    return templateStats(await c.access.filterVisible(actor, runs, (r) => this.scopeOf(r)));
  }

  // ---- `/infra owe` ----

  /**
   * `/infra owe` from the records (the owed ledger's rebuild): this user's facts of the team's
   * active runs (runs/owed.ts), whatever their channel — the reader filters by access.
   */
  async owedFacts(userId: string, teamId: string): Promise<OwedFact[]> {
    const entries = await this.store.teamIndex(teamId).all((t) => t.s === 'active');
    // The records, not the list's copies: this is the ledger's repair. Oldest first, as the ledger
    // keeps the newest LEDGER_FEATURE_LIMIT of a feature's facts (the index lists newest first).
    const runs = await this.store.getMany(teamId, entries.map((e) => Number(e.id)).sort((a, b) => a - b));
    return runs.flatMap((run) => {
      const fact = run && run.teamId === teamId ? runOwedFacts(run).get(userId) : undefined;
      return fact ? [fact] : [];
    });
  }

  // ---- due times ----

  private async scheduleDues(run: Run, before: Run | null): Promise<void> {
    const known = new Set((before?.checklists ?? []).flatMap((l) => l.items.map((it) => `${it.title}\u0000${it.due}`)));
    for (const it of run.checklists.flatMap((l) => l.items)) {
      if (it.state !== 'open' || it.due === null || known.has(`${it.title}\u0000${it.due}`)) continue;
      await this.ctx.scheduler.schedule(`run-due:${run.teamId}:${run.number}:${it.due}:${slugify(it.title, 40)}`, DUE_JOB, it.due, {
        teamId: run.teamId,
        number: run.number,
        title: it.title,
        due: it.due,
      });
    }
  }

  /** At an item's due time: its assignees are reminded once (per due time), in the run's channel. */
  private async onDue(payload: Record<string, unknown>): Promise<void> {
    const { teamId, number, title, due } = payload;
    if (typeof teamId !== 'string' || typeof number !== 'number' || typeof title !== 'string' || typeof due !== 'number') return;
    const run = await this.store.get(teamId, number).catch(nullIfCorrupt(this.report));
    if (!run || run.status !== 'active') return;
    const at = run.checklists.flatMap((l, list) => l.items.map((it, item) => ({ it, at: { list, item } }))).find((x) => x.it.title === title && x.it.due === due);
    if (!at || at.it.state !== 'open' || at.it.naggedFor === due) return;
    const people = this.people();
    const who = at.it.assignees.length ? await people.mentions(at.it.assignees) : `@${await people.username(run.ownerId)}`;
    await postOnce(this.ctx, { channelId: run.channelId, message: nag(who, refOf(at.at), runReference(number), withoutChannelMentions(title), this.ctx.now() - due) }, `run-due:${teamId}:${number}:${due}:${slugify(title, 40)}`);
    await this.store.update(teamId, number, (r) => {
      const ref = findItemByTitleDue(r, title, due);
      if (!ref) return UNCHANGED;
      return { ...r, checklists: r.checklists.map((l, li) => (li !== ref.list ? l : { ...l, items: l.items.map((it, ii) => (ii === ref.item ? { ...it, naggedFor: due } : it)) })) };
    });
  }

  // ---- the machinery every use case shares ----

  /** For the feature's own modules (status_service.ts), like find and change. */
  call(actor: string): Call {
    return { actor, access: this.ctx.access(), people: this.people() };
  }

  private scopeOf(run: Pick<Run, 'teamId' | 'channelId'>): Scope {
    return { teamId: run.teamId, channelId: run.channelId };
  }

  /**
   * The run if the caller may see it now; otherwise the same not-found as for no run at all.
   * `then`: the action the caller means to take, whose lookups start alongside the view check
   * (memoised in the request's Access, so the policy check that follows costs no round trip).
   */
  async find(c: Call, where: RunWhere, then?: RunAction): Promise<Run> {
    const run = await ('channelId' in where ? this.store.inChannel(where.channelId) : this.store.get(where.teamId, where.number)).catch((err: unknown) => {
      if (err instanceof CorruptRecordError) this.report(err);
      throw err;
    });
    if (!run) throw UserError.notFound('channelId' in where ? ERR.noRunHere : ERR.noSuchRun);
    if (!('channelId' in where) && run.teamId !== where.teamId) throw UserError.notFound(ERR.noSuchRun);
    if (then && RUN_RULES[then].writesToChannel) void c.access.canPost(c.actor, run.channelId);
    if (!(await runPolicy.allows(c.access, c.actor, 'view', { scope: this.scopeOf(run) }))) throw UserError.notFound('channelId' in where ? ERR.noRunHere : ERR.noSuchRun);
    return run;
  }

  /** The gate an answer is about: the item named, or the run's only gate. */
  private gateAt(run: Run, typed: string | null): ItemAt {
    return refusals(() => {
      if (typed !== null && typed.trim()) {
        const at = findItem(run, typed);
        if (!run.checklists[at.list]!.items[at.item]!.gate) throw new ChecklistRefusal('notGate', refOf(at));
        return at;
      }
      const all = gates(run);
      if (all.length === 0) throw UserError.badRequest(ERR.noGates);
      if (all.length > 1) throw UserError.badRequest(ERR.whichGate(all.map(refOf).join(', ')));
      return all[0]!;
    });
  }

  /**
   * Concern numbers count per gate, so `#2` alone names the gate where a #2 is open; if none is
   * open, the one gate that has a #2 at all (whose refusal then says it is resolved).
   */
  private gateWithOpenConcern(run: Run, concernId: number): ItemAt {
    const having = (open: boolean): ItemAt[] =>
      gates(run).filter((at) => run.checklists[at.list]!.items[at.item]!.gate!.concerns.some((x) => x.id === concernId && (!open || x.resolvedAt === null)));
    const open = having(true);
    const candidates = open.length > 0 ? open : having(false);
    if (candidates.length === 0) throw UserError.notFound(ERR.noConcernInRun(concernId));
    if (candidates.length > 1) throw UserError.badRequest(ERR.whichGate(candidates.map(refOf).join(', ')));
    return candidates[0]!;
  }

  /** One change to one item: found by what was typed (again on the record being written). */
  private async onItem(
    actor: string,
    where: RunWhere,
    typed: string,
    action: RunAction,
    step: (run: Run, at: ItemAt, who: string, now: number) => Step,
    holders: Holders<RunRole> = {},
    concernId = 0,
  ): Promise<{ run: RunView; ref: string; changed: boolean }> {
    const c = this.call(actor);
    // The actor's name (for the timeline) is looked up while the run is read and checked.
    void c.people.username(actor);
    const loaded = await this.find(c, where, action);
    const at = refusals(() => findItem(loaded, typed));
    let changed = false;
    const after = await this.change(c, loaded, action, { owner: loaded.ownerId, ...holders }, (run, who, now) => {
      const next = step(run, at, who, now);
      changed = next !== SAME;
      return next;
    }, concernId);
    return { run: runView(after, this.ctx.now()), ref: refOf(at), changed };
  }

  /**
   * Runs one step under compare-and-set after the policy check and answers; then (after the
   * answer, see followUp) the card refreshed, the channel's clients told, new due times scheduled.
   */
  async change(c: Call, loaded: Run, action: RunAction, holders: Holders<RunRole>, step: (run: Run, who: string, now: number) => Step, concernId = 0): Promise<Run> {
    const [, who] = await Promise.all([
      runPolicy.require(c.access, c.actor, action, { scope: this.scopeOf(loaded), holders }, ACTION_WORDS[action]),
      c.people.username(c.actor),
    ]);
    const now = this.ctx.now();
    const { before, after } = await this.store.update(
      loaded.teamId,
      loaded.number,
      (current) => {
        const next = refusals(() => step(current, who, now), concernId);
        return next === SAME ? UNCHANGED : { ...next, updatedAt: now };
      },
      loaded,
    );
    if (after !== before) this.followUp(after, before, c.people);
    return after;
  }

  /** After a write made outside change(): independent round trips, at once — the card, the channel's clients, new due times. */
  async afterWrite(after: Run, before: Run, people: People = this.people()): Promise<void> {
    await Promise.all([this.refreshCard(after, people), this.publish(after), this.scheduleDues(after, before)]);
  }

  /**
   * What a change's answer does not wait for: new due times, and the card and the channel's
   * clients brought to the run as it is now. Queued per run, each reading the run afresh, so a
   * slow refresh never leaves the card (or a client) showing an older state than a later one.
   */
  private followUp(after: Run, before: Run, people: People): void {
    this.ctx.afterAnswer.run(`run ${after.number} due times`, () => this.scheduleDues(after, before));
    this.ctx.afterAnswer.inOrder(`run:${after.teamId}:${after.number}`, `run ${after.number} card and event`, async () => {
      const now = (await this.store.get(after.teamId, after.number)) ?? after;
      await Promise.all([this.refreshCard(now, people), this.publish(now)]);
    });
  }

  private async publish(run: Run): Promise<void> {
    await this.ctx.events.publish('run_changed', { run: runChangedView(run) }, { channelId: run.channelId });
  }

  /** A new run's pinned card (its id recorded), its due-time nags, and the event to its channel. */
  private async announceNewRun(created: Run, people: People): Promise<Run> {
    let run = created;
    const card = await this.postCard(run, people);
    if (card) run = (await this.store.update(run.teamId, run.number, (r) => ({ ...r, cardPostId: card }))).after;
    await this.scheduleDues(run, null);
    await this.status.schedule(run);
    await this.involved([run.ownerId, ...run.checklists.flatMap((l) => l.items.flatMap((it) => it.assignees))], run.teamId);
    await Promise.all([this.publish(run), this.reportActivity(run, 'started')]);
    return run;
  }

  /** A finished run's owner is reminded daily, from a day after the finish, until its retrospective is published. */
  private async scheduleRetroReminder(run: Run): Promise<void> {
    if (run.retro.sections.length === 0) return;
    await this.ctx.scheduler.schedule(retroJobKey(run), RETRO_JOB, (run.finishedAt ?? this.ctx.now()) + DAY, { teamId: run.teamId, number: run.number });
  }

  private async postCard(run: Run, people: People): Promise<string | null> {
    try {
      const message = runText(run, await this.names(people, peopleOf(run)), this.ctx.now());
      const props = { infra_ops_run: `${run.teamId}:${run.number}`, attachments: cardButtons(run, this.ctx.now()) };
      const post = await this.ctx.api.createPost({ ChannelId: run.channelId, UserId: this.ctx.botUserId, Message: message, Props: props });
      // The post handed back is prepared for clients (its buttons' integration URLs stripped): the
      // pin re-sends our own props, or the stored buttons would lose their URLs.
      if (!post.IsPinned) await this.ctx.api.updatePost({ ...post, IsPinned: true, Props: props });
      return post.Id ?? null;
    } catch (err) {
      this.ctx.log.warn('run card not posted', { run: run.number, error: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }

  private async refreshCard(run: Run, people: People): Promise<void> {
    if (!run.cardPostId) return;
    try {
      const [post, names] = await Promise.all([this.ctx.api.getPost(run.cardPostId), this.names(people, peopleOf(run))]);
      const message = runText(run, names, this.ctx.now());
      const attachments = cardButtons(run, this.ctx.now());
      const same = post.Message === message && JSON.stringify(post.Props?.['attachments'] ?? []) === JSON.stringify(attachments);
      if (!same) await this.ctx.api.updatePost({ ...post, Message: message, Props: { ...(post.Props ?? {}), attachments } });
    } catch (err) {
      this.ctx.log.warn('run card not refreshed', { run: run.number, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async names(people: People, ids: readonly string[]): Promise<Map<string, string>> {
    return new Map(await Promise.all(ids.map(async (id) => [id, await people.username(id)] as const)));
  }

  /** The run's channel: `<kind>-<name>`, numbered if taken; private as its template says. */
  private async createChannel(teamId: string, template: Template, name: string): Promise<{ Id: string; Name: string }> {
    const base = slugify(template.body.channel.nameTemplate.replace('{kind}', template.body.kind).replace('{name}', name), 56) || `run-${slugify(name, 50)}`;
    for (let attempt = 1; attempt <= CHANNEL_NAME_TRIES; attempt++) {
      const channelName = attempt === 1 ? base : `${base}-${attempt}`;
      try {
        const made = await this.ctx.api.createChannel({
          TeamId: teamId,
          Type: template.body.channel.private ? 'P' : 'O',
          Name: channelName,
          DisplayName: `${template.body.kind.charAt(0).toUpperCase()}${template.body.kind.slice(1)} ${name}`.slice(0, 64),
          Purpose: `${template.body.name}: ${name}`.slice(0, 250),
          CreatorId: this.ctx.botUserId,
        });
        return { Id: made.Id, Name: made.Name };
      } catch (err) {
        if (!(err instanceof AppError && (err.id === 'store.sql_channel.save_channel.exists.app_error' || /already exists/i.test(err.message)))) throw err;
      }
    }
    throw UserError.conflict(ERR.channelNamesTaken(base));
  }

  /** The members of every group a template names (assignees, invitees), read now; unreadable groups as warnings. */
  private async templateGroups(template: Template): Promise<{ members: Map<string, string[]>; warnings: string[] }> {
    const warnings: string[] = [];
    const groupIds = new Set<string>();
    for (const it of template.body.checklists.flatMap((l) => l.items)) for (const a of it.assignees) if ('groupId' in a) groupIds.add(a.groupId);
    for (const a of template.body.channel.invite) if ('groupId' in a) groupIds.add(a.groupId);
    const members = new Map<string, string[]>();
    for (const groupId of groupIds) {
      try {
        members.set(groupId, await this.groupMembers(groupId));
      } catch {
        warnings.push(ERR.unknownGroup(groupId));
      }
    }
    return { members, warnings };
  }

  private async groupMembers(groupId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 0; ids.length < LIMITS.approvers * 10; page++) {
      const members = await this.ctx.api.getGroupMemberUsers(groupId, page, GROUP_PAGE);
      for (const u of members) if (!u.DeleteAt) ids.push(u.Id);
      if (members.length < GROUP_PAGE) break;
    }
    return ids;
  }

  /** The groups of this gate's seats the user belongs to now. */
  private async groupsOf(userId: string, gate: Gate): Promise<Set<string>> {
    const mine = new Set<string>();
    for (const s of gate.seats) {
      if (s.groupId === null) continue;
      const members = await this.groupMembers(s.groupId).catch((): string[] => []);
      if (members.includes(userId)) mine.add(s.groupId);
    }
    return mine;
  }

  private async approverHolders(gate: Gate, actor: string, groups: ReadonlySet<string>): Promise<Holders<RunRole>> {
    const ids = new Set(gate.seats.flatMap((s) => [s.userId, s.delegate].filter((x): x is string => x !== null)));
    if (gate.seats.some((s) => s.groupId !== null && groups.has(s.groupId))) ids.add(actor);
    return { approver: [...ids] };
  }
}

/**
 * A run as it starts from a template: the template's checklists copied (so the run keeps the version it
 * started from), roles and groups turned into assignees, due times counted from `now`, the
 * retrospective's sections empty, and the first timeline line.
 */
function runFromTemplate(
  template: Template,
  at: { teamId: string; kind: string; name: string; channelId: string; ownerId: string; members: ReadonlyMap<string, readonly string[]>; now: number; by: string; firstLine: string; incident: string | null },
): NewRun {
  return {
    teamId: at.teamId,
    kind: at.kind,
    name: at.name,
    channelId: at.channelId,
    ownerId: at.ownerId,
    template: { slug: template.slug, name: template.body.name, version: template.version },
    status: 'active',
    startedAt: at.now,
    updatedAt: at.now,
    finishedAt: null,
    finishOverride: null,
    checklists: template.body.checklists.map((l) => ({ title: l.title, items: l.items.map((it) => itemFromTemplate(it, at.ownerId, at.members, at.now)) })),
    statusUpdateMinutes: template.body.statusUpdateMinutes,
    timeline: [{ at: at.now, by: at.by, text: at.firstLine }],
    timelineCount: 1,
    cardPostId: null,
    retro: { sections: template.body.retrospective.map((title) => ({ title, text: '' })), publishedAt: null, publishedBy: null },
    updates: { cadenceMinutes: template.body.statusUpdateMinutes, source: at.incident !== null && template.body.statusUpdatesBySeverity ? 'severity' : 'template', lastAt: null, lastBy: null, snoozedUntil: null, remindedFor: null, requestedAt: null, requestedBy: null },
    incident: at.incident,
  };
}

const retroJobKey = (run: Pick<Run, 'teamId' | 'number'>): string => `run-retro:${run.teamId}:${run.number}`;

function retroRefusals<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof RetroRefusal) throw err.code === 'noSuchSection' ? UserError.notFound(ERR.retro[err.code](err.detail)) : UserError.conflict(ERR.retro[err.code](err.detail));
    throw err;
  }
}

/** Mattermost said there is no such user or group (404, or 400 for a malformed name or id); anything else is a real failure. */
function nullIfMissing(err: unknown): null {
  if (err instanceof AppError && (err.isNotFound || err.statusCode === 400)) return null;
  throw err;
}

function findItemByTitleDue(run: Run, title: string, due: number): ItemAt | null {
  for (const [list, l] of run.checklists.entries()) {
    const item = l.items.findIndex((it) => it.title === title && it.due === due);
    if (item >= 0) return { list, item };
  }
  return null;
}

/** The checklist's and the engine's refusals, in this feature's words. */
function refusals<T>(step: () => T, concernId = 0): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof ChecklistRefusal) throw err.code === 'noSuchItem' || err.code === 'noSuchChecklist' ? UserError.notFound(ERR.refusal(err.code, err.detail)) : UserError.conflict(ERR.refusal(err.code, err.detail));
    if (err instanceof GateRefusal) {
      switch (err.code) {
        case 'notASeat':
          throw UserError.forbidden(ERR.notASeat('this gate'));
        case 'tooManySeats':
          throw UserError.badRequest(ERR.tooManySeats(GATE_LIMITS.seats));
        case 'delegateIsHolder':
          throw UserError.badRequest(ERR.delegateToSelf);
        case 'noSuchConcern':
          throw UserError.notFound(ERR.noSuchConcern('this gate', concernId));
        case 'concernResolved':
          throw UserError.conflict(ERR.concernResolved('this gate', concernId));
        case 'notBlocked':
          throw UserError.conflict(ERR.gatePassed);
        case 'tooManyConcerns':
          throw UserError.conflict(`A gate has at most ${GATE_LIMITS.concerns} concerns.`);
        default:
          throw UserError.badRequest(ERR.badQuorum);
      }
    }
    throw err;
  }
}

