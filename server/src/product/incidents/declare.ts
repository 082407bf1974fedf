import { AppError } from '../../plugin/api/app_error';
import type { Access } from '../shared/access/policy';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { UNCHANGED } from '../shared/kv';
import { People } from '../shared/people';
import type { JobPayload } from '../shared/scheduler';
import { checkCount, checkText } from '../shared/text/limits';
import type { IncidentChannels } from './channels';
import type { IncidentEffects } from './effects';
import type { ServerFacts } from './facts';
import { withTimeline } from './lifecycle';
import { ACTION_WORDS, announcement, declareWords, input as inputWords, reference, severityWithLabel } from './messages';
import { channelNameFor } from './naming';
import { type Caller, teamPolicy } from './policy';
import { type Incident, LIMITS, newIncidentId, type Severity } from './records';
import type { Reminders } from './reminders';
import type { IncidentSettings } from './settings';
import type { IncidentStore } from './store';

export const SETUP_JOB = 'incidents.finishSetup';
export const setupKey = (incidentId: string): string => `incident-setup:${incidentId}`;
/** How long a declaration may stay half set up before the setup job finishes (or removes) it. */
export const SETUP_RETRY_MS = 2 * 60_000;

export interface DeclareInput {
  /** The team, as the entry point found it: from a channel's live team or the URL, never a form's say-so. */
  teamId: string;
  title: string;
  severity: Severity;
  type: string;
  summary: string;
  private: boolean;
  /** Defaults to the declarer. */
  commanderId: string | null;
  inviteeIds: readonly string[];
}

interface SetupOutcome {
  warnings: string[];
  /** The first step that failed (the record stays pending for the setup job), or null. */
  failure: { reason: unknown } | null;
  cardPostId: string;
  membersAdded: boolean;
  announced: boolean;
}

export interface Declared {
  incident: Incident;
  /** Things that did not work but did not stop the declaration (e.g. a responder not on the team). */
  warnings: string[];
}

type DeclareContext = Pick<ProductContext, 'api' | 'scheduler' | 'log' | 'now' | 'access'>;

/**
 * Declaration, in steps that can each be resumed: reserve the number and store the record as
 * `pending` → create the channel (name from the template; taken names move to the next
 * candidate) → link it → add people → post and pin the card → mark `active` → announce in the
 * feed. The record notes each step done, and a scheduler job (SETUP_JOB) resumes an interrupted
 * declaration on any node, or removes it if its channel was never created, so no listed incident
 * is ever without its channel.
 */
export class Declarer {
  constructor(
    private readonly ctx: DeclareContext,
    private readonly store: IncidentStore,
    private readonly channels: IncidentChannels,
    private readonly effects: IncidentEffects,
    private readonly facts: ServerFacts,
    private readonly reminders: Reminders,
    private readonly settings: () => IncidentSettings,
    private readonly botUserId: string,
  ) {}

  register(): void {
    this.ctx.scheduler.register(SETUP_JOB, (payload) => this.resume(payload));
  }

  async declare(caller: Caller, input: DeclareInput): Promise<Declared> {
    await teamPolicy.require(caller.access, caller.userId, 'declare', { scope: { teamId: input.teamId, channelId: null } }, ACTION_WORDS.declare);
    return this.open(caller, input, { id: newIncidentId(), startPhase: 'active' });
  }

  /**
   * An incident opened from alerts: declared by the bot (an alert source is set up by a team
   * admin, which is what authorises it), starting in triage, under the id the alert group
   * reserved — so a re-run of the job that opens it finds the incident instead of declaring twice.
   */
  async declareTriage(input: DeclareInput, incidentId: string): Promise<Declared> {
    const existing = await this.store.get(incidentId);
    const caller: Caller = { userId: this.botUserId, access: this.ctx.access() };
    if (existing) return existing.phase === 'pending' ? this.finish(existing, caller.access) : { incident: existing, warnings: [] };
    return this.open(caller, input, { id: incidentId, startPhase: 'triage' });
  }

  private async open(caller: Caller, input: DeclareInput, start: { id: string; startPhase: 'active' | 'triage' }): Promise<Declared> {
    const { access, userId: declarerId } = caller;
    const title = checkText(input.title.replace(/\s+/g, ' '), LIMITS.title, 'the title');
    if (!title) throw UserError.badRequest(inputWords.noTitle);
    const summary = checkText(input.summary, LIMITS.summary, 'the summary');
    checkCount(input.inviteeIds.length, LIMITS.invitees, 'people can be invited');
    const commanderId = input.commanderId ?? declarerId;
    await this.requireTeamMembers(access, input.teamId, [commanderId, ...input.inviteeIds].filter((u) => u !== declarerId));

    const now = this.ctx.now();
    const { id } = start;
    const number = await this.store.reserveNumber(input.teamId);
    const pending: Incident = {
      v: 1,
      id,
      teamId: input.teamId,
      number,
      rev: 0,
      phase: 'pending',
      title,
      summary,
      type: input.type,
      severity: input.severity,
      private: input.private,
      channelId: '',
      // The first name to try, recorded before the channel exists: an interrupted setup finds it by this name.
      channelName: channelNameFor(this.settings().channelNameTemplate, { number, title, severity: input.severity, type: input.type }),
      cardPostId: '',
      setup: { invitees: [...new Set([declarerId, commanderId, ...input.inviteeIds])], membersAdded: false, announced: false, startedAt: now, startPhase: start.startPhase },
      declaredBy: declarerId,
      declaredAt: now,
      updatedAt: now,
      roles: { commander: commanderId, scribe: null, comms: null },
      milestones: { detected: null, acknowledged: null, mitigated: null, resolved: null },
      lastUpdate: null,
      resolution: null,
      resolutions: [],
      followers: [],
      followups: [],
      review: { needed: false, reviewedAt: null },
      timelineCount: 0,
      outbox: [],
      components: [],
      customerFacing: false,
      publicStatus: '',
    };
    await this.store.insert(pending);
    // The safety net is written alongside the setup rather than before it; finish() cancels it
    // only once it is written, or a late write would leave it pending.
    const safetyNet = this.ctx.scheduler.schedule(setupKey(id), SETUP_JOB, now + SETUP_RETRY_MS, { incidentId: id });
    try {
      return await this.finish(pending, access, safetyNet);
    } catch (err) {
      await safetyNet.catch(() => undefined);
      return this.failed(id, err);
    }
  }

  /** Commander and invitees must be on the team (at most LIMITS.invitees + 1 lookups, memoised). */
  private async requireTeamMembers(access: Access, teamId: string, userIds: readonly string[]): Promise<void> {
    const unique = [...new Set(userIds)];
    const members = await Promise.all(unique.map((u) => access.isTeamMember(u, teamId)));
    const outsiders = unique.filter((_, n) => !members[n]);
    if (outsiders.length) throw UserError.badRequest(inputWords.notOnTeam(await new People(this.ctx.api).mentions(outsiders), outsiders.length > 1));
  }

  /**
   * Runs every setup step not yet done, from the record's own notes; idempotent. Independent
   * steps run concurrently (each is a server round trip). The two posts (card, feed) are recorded
   * the moment each succeeds, not with the final write, so a resume repeats a post only if its
   * node died within that one KV write: the plugin API offers no way to find a post by its props.
   */
  async finish(known: Incident, access: Access = this.ctx.access(), safetyNet: Promise<void> = Promise.resolve()): Promise<Declared> {
    if (known.phase !== 'pending') return { incident: known, warnings: [] };
    const people = new People(this.ctx.api);
    const channel = known.channelId
      ? { Id: known.channelId, Name: known.channelName }
      : await this.channels.create(known, (name) => this.store.update(known.id, (i) => ({ ...i, channelName: name })).then(() => undefined));
    const withChannel: Incident = { ...known, channelId: channel.Id, channelName: channel.Name };
    const outcome = await this.runSteps(withChannel, access, people);
    const { incident: active, activated } = await this.recordOutcome(withChannel, outcome, await people.username(known.declaredBy));
    if (outcome.failure) throw outcome.failure.reason;
    await Promise.all([
      activated ? this.briefNamedCommander(active, people) : null,
      this.effects.step('setup job cancel', active, () => safetyNet.then(() => this.ctx.scheduler.cancel(setupKey(active.id)))),
      this.reminders.reset(active),
      this.effects.step('index sync', active, () => this.store.sync(active, { justDeclared: true })),
      this.effects.step('event', active, () => this.effects.publish(active, access, 'declared')),
      this.effects.step('activity', active, () => this.effects.reportActivity(active, access, 'declared')),
      this.effects.step('runbook', active, () => this.effects.runbookStep(active, 'declared', active.declaredBy)),
    ]);
    return { incident: active, warnings: outcome.warnings };
  }

  /** The setup steps not yet done, concurrently; each reports done or failed, none stops the others. */
  private async runSteps(incident: Incident, access: Access, people: People): Promise<SetupOutcome> {
    const responders = this.settings().responders[incident.severity];
    const [linked, added, card, announced] = await Promise.allSettled([
      this.store.linkChannel(incident.channelId, incident.id),
      incident.setup.membersAdded
        ? Promise.resolve([])
        : this.channels.addPeople(incident.channelId, { userIds: incident.setup.invitees, ...responders }, people),
      incident.cardPostId
        ? Promise.resolve(incident.cardPostId)
        : this.postCard(incident, access, people).then(async (postId) => {
            await this.recordStep(incident, (i) => ({ ...i, cardPostId: i.cardPostId || postId }));
            return postId;
          }),
      incident.setup.announced
        ? Promise.resolve({ warnings: [], done: true })
        : this.announce(incident, access, people).then(async (result) => {
            if (result.done) await this.recordStep(incident, (i) => ({ ...i, setup: { ...i.setup, announced: true } }));
            return result;
          }),
    ]);
    const failure = [linked, added, card, announced].find((s): s is PromiseRejectedResult => s.status === 'rejected');
    return {
      warnings: [...(added.status === 'fulfilled' ? added.value : []), ...(announced.status === 'fulfilled' ? announced.value.warnings : [])],
      failure: failure ? { reason: failure.reason } : null,
      cardPostId: card.status === 'fulfilled' ? card.value : '',
      membersAdded: added.status === 'fulfilled',
      announced: announced.status === 'fulfilled' && announced.value.done,
    };
  }

  /** One write records every step done and, when all went well, activates the incident. */
  private async recordOutcome(incident: Incident, outcome: SetupOutcome, declarer: string): Promise<{ incident: Incident; activated: boolean }> {
    const severity = severityWithLabel(this.settings(), incident.severity);
    const { before, after } = await this.store.update(incident.id, (i) => {
      if (i.phase !== 'pending') return UNCHANGED;
      const progressed: Incident = {
        ...i,
        channelId: incident.channelId,
        channelName: incident.channelName,
        cardPostId: i.cardPostId || outcome.cardPostId,
        setup: { ...i.setup, membersAdded: i.setup.membersAdded || outcome.membersAdded, announced: i.setup.announced || outcome.announced },
      };
      if (outcome.failure) return progressed;
      return withTimeline({ ...progressed, phase: i.setup.startPhase }, i.declaredAt, i.declaredBy, 'declared', declareWords.timeline(declarer, i, severity));
    });
    return { incident: after, activated: before.phase === 'pending' && after.phase !== 'pending' };
  }

  /** A commander named by someone else learns it (and what the role asks) by DM, as on a handoff. */
  private async briefNamedCommander(incident: Incident, people: People): Promise<void> {
    const commander = incident.roles.commander;
    if (commander === incident.declaredBy) return;
    const declarer = await people.username(incident.declaredBy);
    await this.effects.step('commander brief', incident, () =>
      this.effects.directMessage(commander, declareWords.commanderBrief(declarer, incident), incident.channelId),
    );
  }

  /**
   * Notes one finished setup step on the pending record right away (with the channel it was done
   * in). Best effort: the final write of finish() records the step again.
   */
  private async recordStep(incident: Incident, step: (i: Incident) => Incident): Promise<void> {
    await this.effects.step('setup progress', incident, () =>
      this.store.update(incident.id, (i) => (i.phase === 'pending' ? step({ ...i, channelId: incident.channelId, channelName: incident.channelName }) : UNCHANGED)),
    );
  }

  /** The setup job: an interrupted declaration is finished, or removed if it never got a channel. */
  private async resume(payload: JobPayload): Promise<void> {
    const id = typeof payload['incidentId'] === 'string' ? payload['incidentId'] : '';
    const incident = await this.store.get(id);
    if (!incident || incident.phase !== 'pending') return;
    try {
      await this.finish(incident);
    } catch (err) {
      await this.failed(id, err);
    }
  }

  /** Without a channel the record goes; with one it stays pending for the setup job to retry. */
  private async failed(id: string, err: unknown): Promise<never> {
    const incident = await this.store.get(id);
    const reason = err instanceof UserError || err instanceof AppError ? err.message : declareWords.internal;
    this.ctx.log.error('incident setup failed', { incidentId: id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    if (incident && !incident.channelId && !(await this.channels.findOwn(incident, incident.channelName)) && (await this.store.removeUnsetUp(id))) {
      await this.ctx.scheduler.cancel(setupKey(id));
      throw new UserError(declareWords.channelFailed(reason), 409);
    }
    throw new UserError(declareWords.setupUnfinished(incident ? reference(incident.number) : 'The incident', reason), 409);
  }

  private async postCard(incident: Incident, access: Access, people: People): Promise<string> {
    const post = await this.ctx.api.createPost(await this.effects.cardPost(incident, access, people));
    // Servers that ignore IsPinned on create get it through an update.
    if (!post.IsPinned) await this.ctx.api.updatePost({ ...post, IsPinned: true });
    return post.Id ?? '';
  }

  /** The feed hears of every declaration; of a private one (the channel's type now) only that it exists. */
  private async announce(incident: Incident, access: Access, people: People): Promise<{ warnings: string[]; done: boolean }> {
    const settings = this.settings();
    if (!settings.feedChannel) return { warnings: [], done: true };
    try {
      const [declarer, feed, teamName, siteUrl, isPrivate] = await Promise.all([
        people.username(incident.declaredBy),
        this.channels.feedChannel(incident.teamId, settings.feedChannel),
        this.facts.teamName(incident.teamId),
        this.facts.siteUrl(),
        access.isPrivate(incident.channelId),
      ]);
      if (!feed) return { warnings: [declareWords.feedMissing(settings.feedChannel)], done: false };
      // A private channel's name carries its title, so its link uses the id (Mattermost accepts both).
      const link = permalink(siteUrl, teamName, isPrivate ? incident.channelId : incident.channelName);
      await this.effects.relay(access, null, feed.Id, announcement(incident, isPrivate, settings, declarer, link, incident.title), { incident_id: incident.id });
      return { warnings: [], done: true };
    } catch (err) {
      return { warnings: [declareWords.feedFailed(err instanceof Error ? err.message : String(err))], done: false };
    }
  }
}

function permalink(siteUrl: string, teamName: string, channelName: string): string {
  let end = siteUrl.length;
  while (end > 0 && siteUrl[end - 1] === '/') end--;
  return `${siteUrl.slice(0, end)}/${teamName}/channels/${channelName}`;
}
