import { randomBytes } from 'node:crypto';
import { AppError } from '../../plugin/api/app_error';
import type { Channel } from '../../plugin/model/types';
import { UserError } from '../shared/errors';
import type { JobPayload } from '../shared/scheduler';
import { announcement, cardPost, permalink } from './card';
import { candidateNames, channelNameFor, displayNameFor } from './naming';
import type { Reminders } from './reminders';
import { EVENTS, type IncidentRuntime, setupKey } from './runtime';
import { type Incident, reference, type Severity } from './schema';
import { withTimeline } from './store';
import { ROLE_BRIEFS } from './service';
import type { Access } from './access';
import { UNCHANGED } from '../shared/kv';
import { severityName } from './settings';

export const SETUP_JOB = 'incidents.finishSetup';
/** How long a declaration may stay half set up before the setup job finishes (or removes) it. */
export const SETUP_RETRY_MS = 2 * 60_000;
const GROUP_PAGE = 200;

export interface DeclareInput {
  teamId: string;
  declarerId: string;
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

/** Mattermost ids: 26 lower-case base32 characters. */
export const newId = (): string => {
  const alphabet = 'abcdefghijkmnopqrstuwxyz13456789';
  return [...randomBytes(26)].map((b) => alphabet[b % 32]).join('');
};

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
    private readonly rt: IncidentRuntime,
    private readonly reminders: Reminders,
  ) {}

  register(): void {
    this.rt.ctx.scheduler.register(SETUP_JOB, (payload) => this.resume(payload));
  }

  async declare(input: DeclareInput): Promise<Declared> {
    const { ctx, store } = this.rt;
    const access = this.rt.access();
    await access.requireTeamMember(input.declarerId, input.teamId);
    const commanderId = input.commanderId ?? input.declarerId;
    const others = [...new Set([commanderId, ...input.inviteeIds])].filter((u) => u !== input.declarerId);
    const outsiders = (await Promise.all(others.map(async (u) => ((await access.people.isTeamMember(u, input.teamId)) ? null : u)))).filter(
      (u): u is string => u !== null,
    );
    if (outsiders.length) throw UserError.badRequest(`${await access.people.mentions(outsiders)} ${outsiders.length > 1 ? 'are' : 'is'} not on this team.`);

    const now = ctx.now();
    const id = newId();
    const number = await store.reserveNumber(input.teamId);
    const settings = this.rt.settings();
    const pending: Incident = {
      v: 1,
      id,
      teamId: input.teamId,
      number,
      rev: 0,
      phase: 'pending',
      title: input.title,
      summary: input.summary,
      type: input.type,
      severity: input.severity,
      private: input.private,
      channelId: '',
      // The first name to try, recorded before the channel exists: an interrupted setup finds it by this name.
      channelName: channelNameFor(settings.channelNameTemplate, { number, title: input.title, severity: input.severity, type: input.type }),
      cardPostId: '',
      setup: {
        invitees: [...new Set([input.declarerId, commanderId, ...input.inviteeIds])],
        membersAdded: false,
        announced: false,
        startedAt: now,
      },
      declaredBy: input.declarerId,
      declaredAt: now,
      updatedAt: now,
      roles: { commander: commanderId, scribe: null, comms: null },
      milestones: { detected: null, acknowledged: null, mitigated: null, resolved: null },
      lastUpdate: null,
      resolution: null,
      followers: [],
      followups: [],
      review: { needed: false, reviewedAt: null },
      timelineCount: 0,
      outbox: [],
    };
    await store.insert(pending);
    // The safety net is written alongside the setup rather than before it; finish() cancels it
    // only once it is written, or a late write would leave it pending.
    const safetyNet = ctx.scheduler.schedule(setupKey(id), SETUP_JOB, now + SETUP_RETRY_MS, { incidentId: id });
    try {
      return await this.finish(pending, access, safetyNet);
    } catch (err) {
      await safetyNet.catch(() => undefined);
      return this.failed(id, err);
    }
  }

  /**
   * Runs every setup step not yet done, from the record's own notes; idempotent. Independent
   * steps run concurrently (each is a server round trip). The two posts (card, feed) are recorded
   * the moment each succeeds, not with the final write, so a resume repeats a post only if its
   * node died within that one KV write: the plugin API offers no way to find a post by its props.
   */
  async finish(known: Incident, access: Access = this.rt.access(), safetyNet: Promise<void> = Promise.resolve()): Promise<Declared> {
    if (known.phase !== 'pending') return { incident: known, warnings: [] };
    const channel = known.channelId ? { Id: known.channelId, Name: known.channelName } : await this.createChannel(known);
    const withChannel: Incident = { ...known, channelId: channel.Id, channelName: channel.Name };
    const outcome = await this.runSteps(withChannel, access);
    const { incident: active, activated } = await this.recordOutcome(withChannel, outcome, await access.people.username(known.declaredBy));
    if (outcome.failure) throw outcome.failure.reason;
    await Promise.all([
      activated ? this.briefNamedCommander(active, access) : null,
      this.rt.step('setup job cancel', active, () => safetyNet.then(() => this.rt.ctx.scheduler.cancel(setupKey(active.id)))),
      this.reminders.reset(active),
      this.rt.step('index sync', active, () => this.rt.store.sync(active, { justDeclared: true })),
      this.rt.step('event', active, () => this.rt.publish(EVENTS.declared, active, 'declared')),
    ]);
    return { incident: active, warnings: outcome.warnings };
  }

  /** The setup steps not yet done, concurrently; each reports done or failed, none stops the others. */
  private async runSteps(incident: Incident, access: Access): Promise<SetupOutcome> {
    const [linked, added, card, announced] = await Promise.allSettled([
      this.rt.store.linkChannel(incident.channelId, incident.id),
      incident.setup.membersAdded ? Promise.resolve([]) : this.addPeople(incident, this.peopleFor(incident), access),
      incident.cardPostId
        ? Promise.resolve(incident.cardPostId)
        : this.postCard(incident, access).then(async (postId) => {
            await this.recordStep(incident, (i) => ({ ...i, cardPostId: i.cardPostId || postId }));
            return postId;
          }),
      incident.setup.announced
        ? Promise.resolve({ warnings: [], done: true })
        : this.announce(incident, access).then(async (result) => {
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
    const { before, after } = await this.rt.store.update(incident.id, (i) => {
      if (i.phase !== 'pending') return UNCHANGED;
      const progressed: Incident = {
        ...i,
        channelId: incident.channelId,
        channelName: incident.channelName,
        cardPostId: i.cardPostId || outcome.cardPostId,
        setup: {
          ...i.setup,
          membersAdded: i.setup.membersAdded || outcome.membersAdded,
          announced: i.setup.announced || outcome.announced,
        },
      };
      if (outcome.failure) return progressed;
      return withTimeline(
        { ...progressed, phase: 'active' },
        i.declaredAt,
        i.declaredBy,
        'declared',
        `@${declarer} declared ${reference(i.number)} (${severityName(this.rt.settings(), i.severity)}): ${i.title}`,
      );
    });
    return { incident: after, activated: before.phase === 'pending' && after.phase === 'active' };
  }

  /** A commander named by someone else learns it (and what the role asks) by DM, as on a handoff. */
  private async briefNamedCommander(incident: Incident, access: Access): Promise<void> {
    const commander = incident.roles.commander;
    if (commander === incident.declaredBy) return;
    const declarer = await access.people.username(incident.declaredBy);
    await this.rt.step('commander brief', incident, () =>
      this.rt.directMessage(
        commander,
        `@${declarer} declared ${reference(incident.number)} (~${incident.channelName}) and made you commander. ${ROLE_BRIEFS.commander}`,
        incident.channelId,
      ),
    );
  }

  /**
   * Notes one finished setup step on the pending record right away (with the channel it was done
   * in). Best effort: the final write of finish() records the step again.
   */
  private async recordStep(incident: Incident, step: (i: Incident) => Incident): Promise<void> {
    await this.rt.step('setup progress', incident, () =>
      this.rt.store.update(incident.id, (i) =>
        i.phase === 'pending' ? step({ ...i, channelId: incident.channelId, channelName: incident.channelName }) : UNCHANGED,
      ),
    );
  }

  /** The setup job: an interrupted declaration is finished, or removed if it never got a channel. */
  private async resume(payload: JobPayload): Promise<void> {
    const id = typeof payload['incidentId'] === 'string' ? payload['incidentId'] : '';
    const incident = await this.rt.store.get(id);
    if (!incident || incident.phase !== 'pending') return;
    try {
      await this.finish(incident);
    } catch (err) {
      await this.failed(id, err);
    }
  }

  /** Without a channel the record goes; with one it stays pending for the setup job to retry. */
  private async failed(id: string, err: unknown): Promise<never> {
    const incident = await this.rt.store.get(id);
    const reason = err instanceof UserError || err instanceof AppError ? err.message : 'an internal error (logged)';
    this.rt.ctx.log.error('incident setup failed', { incidentId: id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    if (incident && !incident.channelId && !(await this.findOwnChannel(incident)) && (await this.rt.store.removeUnsetUp(id))) {
      await this.rt.ctx.scheduler.cancel(setupKey(id));
      throw new UserError(`The incident could not be declared: creating its channel failed (${reason}). Nothing was kept; please try again.`, 409);
    }
    const ref = incident ? reference(incident.number) : 'The incident';
    throw new UserError(
      `${ref} was created but its setup did not finish (${reason}). It will be completed automatically within a few minutes.`,
      409,
    );
  }

  private async createChannel(incident: Incident): Promise<{ Id: string; Name: string }> {
    const { ctx, store } = this.rt;
    const adopted = await this.findOwnChannel(incident);
    if (adopted) return adopted;
    for (const name of candidateNames(incident.channelName, incident.id)) {
      // Record a new name before trying it: if this node dies right after creating the channel,
      // the setup job finds the channel by this name (and our id in its purpose).
      if (name !== incident.channelName) await store.update(incident.id, (i) => ({ ...i, channelName: name }));
      try {
        return await ctx.api.createChannel({
          TeamId: incident.teamId,
          Type: incident.private ? 'P' : 'O',
          Name: name,
          DisplayName: displayNameFor(reference(incident.number), incident.title),
          Purpose: `${reference(incident.number)}: ${incident.title.slice(0, 150)} (Infra Ops incident ${incident.id})`,
          CreatorId: ctx.botUserId,
        });
      } catch (err) {
        if (!isNameTaken(err)) throw err;
      }
    }
    throw UserError.conflict(`Every channel name tried for ${reference(incident.number)} is taken.`);
  }

  private async findOwnChannel(incident: Incident): Promise<Channel | null> {
    const latest = (await this.rt.store.get(incident.id)) ?? incident;
    if (!latest.channelName) return null;
    const channel = await this.rt.ctx.api.getChannelByName(incident.teamId, latest.channelName, false).catch(() => null);
    return channel && (channel.Purpose ?? '').includes(incident.id) ? channel : null;
  }

  /** Declarer, commander, invitees and the severity's responders (users and groups). */
  private peopleFor(incident: Incident): { userIds: string[]; usernames: string[]; groupIds: string[] } {
    const responders = this.rt.settings().responders[incident.severity as Severity];
    return { userIds: incident.setup.invitees, usernames: responders.usernames, groupIds: responders.groupIds };
  }

  /**
   * Adds people to the incident channel, all at once; returns warnings for those who could not
   * be added (Mattermost refuses users who are not on the team or are deactivated).
   */
  async addPeople(
    incident: Incident,
    who: { userIds: string[]; usernames: string[]; groupIds: string[] },
    access: Access = this.rt.access(),
  ): Promise<string[]> {
    const { api } = this.rt.ctx;
    const warnings: string[] = [];
    const ids = new Set(who.userIds);
    const [byName, ...groups] = await Promise.all([
      who.usernames.length ? api.getUsersByUsernames(who.usernames) : Promise.resolve([]),
      ...who.groupIds.map((groupId) => this.groupMembers(groupId).catch((err: unknown) => err)),
    ]);
    for (const u of byName) ids.add(u.Id);
    const found = new Set(byName.map((u) => u.Username.toLowerCase()));
    for (const name of who.usernames) if (!found.has(name)) warnings.push(`responder @${name} does not exist`);
    groups.forEach((members, n) => {
      if (Array.isArray(members)) for (const id of members) ids.add(id);
      else warnings.push(`responder group ${who.groupIds[n]} could not be read (${members instanceof Error ? members.message : String(members)})`);
    });
    const results = await Promise.allSettled([...ids].map((userId) => api.addChannelMember(incident.channelId, userId)));
    for (const [n, result] of results.entries()) {
      if (result.status === 'rejected') {
        const userId = [...ids][n]!;
        warnings.push(`@${await access.people.username(userId)} could not be added (${result.reason instanceof Error ? result.reason.message : String(result.reason)})`);
      }
    }
    return warnings;
  }

  private async groupMembers(groupId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 0; ; page++) {
      const members = await this.rt.ctx.api.getGroupMemberUsers(groupId, page, GROUP_PAGE);
      for (const u of members) if (!u.DeleteAt) ids.push(u.Id);
      if (members.length < GROUP_PAGE) return ids;
    }
  }

  private async postCard(incident: Incident, access: Access): Promise<string> {
    const { ctx } = this.rt;
    const post = await ctx.api.createPost(await cardPost(incident, this.rt.settings(), access.people, ctx.botUserId));
    // Servers that ignore IsPinned on create get it through an update.
    if (!post.IsPinned) await ctx.api.updatePost({ ...post, IsPinned: true });
    return post.Id ?? '';
  }

  private async announce(incident: Incident, access: Access): Promise<{ warnings: string[]; done: boolean }> {
    const settings = this.rt.settings();
    if (!settings.feedChannel) return { warnings: [], done: true };
    try {
      const [declarer, feed, teamName, siteUrl] = await Promise.all([
        access.people.username(incident.declaredBy),
        this.feedChannel(incident.teamId, settings.feedChannel),
        this.rt.teamName(incident.teamId),
        this.rt.siteUrl(),
      ]);
      if (!feed) return { warnings: [`the feed channel "${settings.feedChannel}" was not found in this team`], done: false };
      // A private channel's name carries its title, so its link uses the id (Mattermost accepts both).
      const link = permalink(siteUrl, teamName, incident.private ? incident.channelId : incident.channelName);
      await this.rt.post(feed.Id, announcement(incident, settings, declarer, link), { Props: { incident_id: incident.id } });
      return { warnings: [], done: true };
    } catch (err) {
      return { warnings: [`the feed announcement failed (${err instanceof Error ? err.message : String(err)})`], done: false };
    }
  }

  /** The configured feed channel in this team (by name), or by id when an id was configured. */
  feedChannel(teamId: string, configured: string): Promise<Channel | null> {
    return this.rt.cached(`feed:${teamId}:${configured}`, async () => {
      const { api } = this.rt.ctx;
      const byName = await api.getChannelByName(teamId, configured.toLowerCase(), false).catch(() => null);
      if (byName) return byName;
      if (!/^[a-z0-9]{26}$/.test(configured)) return null;
      const byId = await api.getChannel(configured).catch(() => null);
      return byId && byId.TeamId === teamId ? byId : null;
    });
  }
}

function isNameTaken(err: unknown): boolean {
  return err instanceof AppError && (err.id === 'store.sql_channel.save_channel.exists.app_error' || /already exists/i.test(err.message));
}
