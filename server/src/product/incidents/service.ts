import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { UNCHANGED } from '../shared/kv';
import { People } from '../shared/people';
import { checkText } from '../shared/text/limits';
import { slugify } from '../shared/text/slug';
import { utcStamp } from '../shared/time/duration';
import type { Milestone, RoleName } from '../contract/incidents';
import type { IncidentChannels } from './channels';
import type { AfterWrite, IncidentEffects } from './effects';
import { accumulatedSummary, checkMilestoneOrder, checkMilestoneTime, historyOf, nextUpdateDue, withTimeline } from './lifecycle';
import {
  ACTION_WORDS,
  changes,
  componentWords,
  feed,
  publicWords,
  followerFooter,
  handedOver,
  input,
  milestoneWords,
  noNextUpdate,
  reference,
  renderStatus,
  severityWithLabel,
  state,
  statusAuthor,
  triageWords,
} from './messages';
import { type Caller, canSee, type IncidentAction, incidentPolicy, requireAction } from './policy';
import { type Followup, type Incident, LIMITS, type Severity } from './records';
import type { Reminders } from './reminders';
import type { IncidentSettings } from './settings';
import type { IncidentStore } from './store';

/** Followers told about a status update concurrently. */
const FOLLOWER_BATCH = 16;

interface Change {
  /** Further checks on the current record, before the write. */
  check?: (incident: Incident) => Promise<void>;
  /** The write itself; may throw a UserError when the state does not allow it. */
  mutate: (incident: Incident, now: number) => Incident | typeof UNCHANGED;
  notice?: (after: Incident, before: Incident) => string | null;
  card?: boolean;
  change: AfterWrite['change'];
}

type ServiceContext = Pick<ProductContext, 'api' | 'now' | 'log' | 'events' | 'afterAnswer'>;

/** The record before and after a change (equal revs: nothing changed). */
export interface Changed {
  before: Incident;
  after: Incident;
}

/**
 * What people do with an incident once it is declared: status updates, severity, roles, the
 * timeline, milestones, following, resolving and reopening, follow-ups and review. Each is one
 * compare-and-set of the record, allowed by the policy (policy.ts), followed by its effects.
 */
export class IncidentService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: IncidentStore,
    private readonly channels: IncidentChannels,
    private readonly effects: IncidentEffects,
    private readonly reminders: Reminders,
    private readonly settings: () => IncidentSettings,
    private readonly botUserId: string,
  ) {}

  /**
   * Policy check on the record as read, then the write; a right held as commander is re-checked
   * inside it. `known`: the record as this request already read it (it is not read twice; the
   * write compares and sets against the bytes it was read from; a stale one fails and is read
   * afresh). `thenAfterAnswer`: the effects (and `thenAfterAnswer` itself) run
   * after the answer, queued per incident so its posts keep the order of its writes.
   */
  private async act(
    caller: Caller,
    incidentId: string,
    action: IncidentAction,
    what: string,
    change: Change,
    options: { known?: Incident; thenAfterAnswer?: (result: Changed) => Promise<void> } = {},
  ): Promise<{ before: Incident; after: Incident }> {
    const found = options.known?.id === incidentId ? options.known : await this.store.get(incidentId);
    // The post permission the rule will ask for is looked up alongside the visibility check.
    if (found?.channelId && incidentPolicy.rules[action].writesToChannel) void caller.access.canPost(caller.userId, found.channelId);
    const { incident, byRecordRole } = await requireAction(caller.access, caller.userId, action, found, what);
    await change.check?.(incident);
    const result = await this.store.update(incidentId, (i) => {
      if (byRecordRole && i.roles.commander !== caller.userId) throw UserError.conflict(handedOver(what));
      return change.mutate(i, this.ctx.now());
    }, found ?? undefined);
    if (result.after.rev !== result.before.rev) {
      const effects = () =>
        this.effects.afterWrite(result.after, caller.access, caller.userId, {
          notice: change.notice?.(result.after, result.before) ?? null,
          card: change.card,
          change: change.change,
          before: result.before,
        });
      const then = options.thenAfterAnswer;
      if (then) {
        this.ctx.afterAnswer.inOrder(`incident:${incidentId}`, `${reference(result.after.number)} ${change.change} follow-up`, async () => {
          await effects();
          await then(result);
        });
      } else {
        await effects();
      }
    }
    return result;
  }

  private async name(userId: string): Promise<string> {
    return `@${await new People(this.ctx.api).username(userId)}`;
  }

  /**
   * A status update. The first one also acknowledges an incident nobody acknowledged by hand (and
   * not yet mitigated): someone is evidently responding. The lifecycle implies it, the timeline
   * records it, and the command's reply says so with how to correct it.
   */
  async status(caller: Caller, incidentId: string, text: string, known?: Incident): Promise<Changed> {
    const body = requiredText(text, input.noStatusText, 'the status update');
    // The actor's name (for the timeline) is looked up while the record is read and checked.
    const named = this.name(caller.userId);
    let actor = '';
    return this.act(caller, incidentId, 'respond', ACTION_WORDS.status, {
      check: async () => {
        actor = await named;
      },
      mutate: (i, now) => {
        requireActive(i);
        const updated = { ...i, lastUpdate: { text: body, at: now, by: caller.userId } };
        const posted = withTimeline(updated, now, caller.userId, 'status', changes.statusTimeline(actor, body));
        // Implied only where it fits the order: once mitigated is set, when it was acknowledged is anyone's guess.
        if (i.milestones.acknowledged !== null || i.milestones.mitigated !== null) return posted;
        const acknowledged = { ...posted, milestones: { ...i.milestones, acknowledged: now } };
        return withTimeline(acknowledged, now, caller.userId, 'milestone', changes.acknowledgedByUpdate(actor, now));
      },
      card: true,
      change: 'status',
    }, {
      ...(known ? { known } : {}),
      // The card, the update's post, the feed and followers follow the answer, in order.
      thenAfterAnswer: async ({ after }) => {
        await this.reminders.reset(after);
        await this.broadcastStatus(caller, after, body);
      },
    });
  }

  /** The update itself in the channel, in the feed (while the channel is open) and to followers. */
  private async broadcastStatus(caller: Caller, incident: Incident, text: string): Promise<void> {
    const settings = this.settings();
    const due = nextUpdateDue(incident, settings.updateIntervalMinutes[incident.severity]);
    const rendered = renderStatus(settings.statusTemplate, {
      reference: reference(incident.number),
      title: incident.title,
      severity: severityWithLabel(settings, incident.severity),
      text,
      commander: await this.name(incident.roles.commander),
      next: due === null ? noNextUpdate : utcStamp(due),
    });
    const byOther = caller.userId !== incident.roles.commander;
    const message = byOther ? `${rendered}\n${statusAuthor(await this.name(caller.userId))}` : rendered;
    await this.effects.step('status post', incident, () => this.effects.relay(caller.access, caller.userId, incident.channelId, message));
    await this.toFeed(caller, incident, 'feed status', feed.status(message, incident));
    await this.notifyFollowers(caller, incident, `${message}\n\n${followerFooter(incident)}`, message);
  }

  /** A line for the team's feed, only while the incident channel is open (its type now). */
  private async toFeed(caller: Caller, incident: Incident, step: string, line: string): Promise<void> {
    const configured = this.settings().feedChannel;
    if (!configured || (await caller.access.isPrivate(incident.channelId))) return;
    await this.effects.step(step, incident, async () => {
      const channel = await this.channels.feedChannel(incident.teamId, configured);
      if (channel) await this.effects.relay(caller.access, null, channel.Id, line, { incident_id: incident.id });
    });
  }

  /**
   * Each follower who may still see the incident gets a DM (the bot's DM channel with them) of
   * every status update, severity change, resolve and reopen; a status update also comes as a
   * websocket event (`statusMessage`) for a live client. The actor is not told of their own change.
   */
  private async notifyFollowers(caller: Caller, incident: Incident, dm: string, statusMessage?: string): Promise<void> {
    const ref = reference(incident.number);
    const notify = async (follower: string): Promise<void> => {
      if (follower === caller.userId || !(await canSee(caller.access, follower, incident))) return;
      await Promise.all([
        this.effects.step('follower DM', incident, () => this.effects.directMessage(follower, dm)),
        statusMessage === undefined
          ? null
          : this.ctx.events.publish('incident_status_posted', { incidentId: incident.id, reference: ref, message: statusMessage }, { userId: follower }),
      ]);
    };
    // A few at a time: hundreds of followers must not put hundreds of calls in flight at once.
    for (let i = 0; i < incident.followers.length; i += FOLLOWER_BATCH) {
      await Promise.all(incident.followers.slice(i, i + FOLLOWER_BATCH).map(notify));
    }
  }

  async severity(caller: Caller, incidentId: string, severity: Severity): Promise<Changed> {
    const settings = this.settings();
    const actor = await this.name(caller.userId);
    const { before, after } = await this.act(caller, incidentId, 'steer', ACTION_WORDS.severity, {
      mutate: (i, now) => {
        if (i.severity === severity) throw UserError.badRequest(state.already(i, severityWithLabel(settings, severity)));
        const from = severityWithLabel(settings, i.severity);
        return withTimeline({ ...i, severity }, now, caller.userId, 'severity', changes.severityTimeline(actor, from, severityWithLabel(settings, severity)));
      },
      notice: (a, b) => changes.severityNotice(actor, severityWithLabel(settings, b.severity), severityWithLabel(settings, a.severity)),
      card: true,
      change: 'severity',
    });
    await this.reminders.reset(after);
    const [from, to] = [severityWithLabel(settings, before.severity), severityWithLabel(settings, after.severity)];
    // The feed announced the incident with its severity, so it hears every change (a private one without its title).
    await this.toFeedEvenPrivate(caller, after, 'feed severity', (isPrivate) => feed.severity(after, isPrivate, actor, from, to));
    await this.notifyFollowers(caller, after, changes.forFollowers(after, changes.severityForFollowers(actor, from, to)));
    if (severity < before.severity && after.phase === 'active') {
      // Escalation pulls in the responders of the new severity.
      const warnings = await this.channels.addPeople(after.channelId, { userIds: [], ...settings.responders[severity] }, new People(this.ctx.api));
      for (const w of warnings) this.ctx.log.warn('escalation responder not added', { incidentId, warning: w });
    }
    return { before, after };
  }

  /** The status-page components the incident affects (slugs, deduplicated; [] clears them). */
  async setComponents(caller: Caller, incidentId: string, names: readonly string[]): Promise<Changed> {
    const slugs = [...new Set(names.map((n) => slugify(n, LIMITS.component)).filter(Boolean))];
    if (slugs.length > LIMITS.components) throw UserError.badRequest(componentWords.tooMany(LIMITS.components));
    const actor = await this.name(caller.userId);
    return this.act(caller, incidentId, 'respond', ACTION_WORDS.components, {
      mutate: (i, now) =>
        i.components.join(',') === slugs.join(',')
          ? UNCHANGED
          : withTimeline({ ...i, components: slugs }, now, caller.userId, 'components', componentWords.timeline(actor, slugs)),
      change: 'components',
    });
  }

  /** On the public status page with `text` only, or off it (null). */
  async setPublic(caller: Caller, incidentId: string, text: string | null): Promise<Changed> {
    const body = text?.trim() ?? null;
    if (body !== null && !body) throw UserError.badRequest(publicWords.noText);
    if (body !== null && body.length > LIMITS.publicStatus) throw UserError.badRequest(publicWords.tooLong(LIMITS.publicStatus));
    const actor = await this.name(caller.userId);
    return this.act(caller, incidentId, 'steer', ACTION_WORDS.public, {
      mutate: (i, now) =>
        body === null
          ? i.customerFacing
            ? withTimeline({ ...i, customerFacing: false, publicStatus: '' }, now, caller.userId, 'public', publicWords.timelineOff(actor))
            : UNCHANGED
          : i.customerFacing && i.publicStatus === body
            ? UNCHANGED
            : withTimeline({ ...i, customerFacing: true, publicStatus: body }, now, caller.userId, 'public', publicWords.timelineOn(actor, body)),
      change: 'public',
    });
  }

  async role(caller: Caller, incidentId: string, role: RoleName, userId: string): Promise<Incident> {
    const actor = await this.name(caller.userId);
    const holder = await this.name(userId);
    const { after } = await this.act(caller, incidentId, 'steer', ACTION_WORDS.role, {
      check: async (i) => {
        const user = await this.ctx.api.getUser(userId).catch(() => null);
        if (!user || user.DeleteAt || user.IsBot) throw UserError.badRequest(input.cannotHoldRole(holder));
        if (!(await caller.access.isTeamMember(userId, i.teamId))) throw UserError.badRequest(input.notTeamMember(holder));
      },
      mutate: (i, now) => {
        if (i.roles[role] === userId) throw UserError.badRequest(state.alreadyHolds(holder, role));
        return withTimeline({ ...i, roles: { ...i.roles, [role]: userId } }, now, caller.userId, 'role', changes.roleTimeline(actor, holder, role));
      },
      notice: () => changes.roleNotice(actor, holder, role),
      card: true,
      change: 'role',
    });
    await this.effects.step('role member', after, () => this.ctx.api.addChannelMember(after.channelId, userId));
    await this.effects.step('role brief', after, () => this.effects.directMessage(userId, changes.roleBrief(actor, role, after), after.channelId));
    return after;
  }

  async note(caller: Caller, incidentId: string, text: string): Promise<Incident> {
    const body = requiredText(text, input.noNoteText, 'the timeline entry');
    const actor = await this.name(caller.userId);
    const { after } = await this.act(caller, incidentId, 'respond', ACTION_WORDS.note, {
      mutate: (i, now) => withTimeline(i, now, caller.userId, 'note', changes.noteTimeline(actor, body)),
      notice: () => changes.noteNotice(actor, body),
      change: 'timeline',
    });
    return after;
  }

  /**
   * Sets a milestone (or clears it: `at` null), for corrections at any time, before or after the
   * resolve. The resolved time exists exactly while the incident is resolved: resolving sets it,
   * this corrects it, reopening clears it. Setting the time it already has changes nothing.
   */
  async milestone(caller: Caller, incidentId: string, name: Milestone, at: number | null): Promise<Changed> {
    const actor = await this.name(caller.userId);
    return this.act(caller, incidentId, 'respond', ACTION_WORDS.milestone, {
      check: async (i) => {
        if (at !== null) checkMilestoneTime(name, at, i, this.ctx.now());
      },
      mutate: (i, now) => {
        if (name === 'resolved' && i.phase !== 'resolved') throw UserError.badRequest(milestoneWords.resolveFirst);
        if (name === 'resolved' && at === null) throw UserError.badRequest(milestoneWords.resolvedStays);
        if (i.milestones[name] === at) return UNCHANGED;
        const milestones = { ...i.milestones, [name]: at };
        checkMilestoneOrder(milestones, name);
        return withTimeline({ ...i, milestones }, now, caller.userId, 'milestone', changes.milestoneTimeline(actor, name, at));
      },
      notice: () => changes.milestoneNotice(actor, name, at),
      card: true,
      change: 'milestone',
    });
  }

  /** Following posts nothing in the channel: the follower may not be able to post there. */
  async follow(caller: Caller, incidentId: string, follow: boolean): Promise<Incident> {
    const actor = await this.name(caller.userId);
    const { after } = await this.act(caller, incidentId, 'follow', follow ? 'follow the incident' : 'unfollow the incident', {
      mutate: (i, now) => {
        const has = i.followers.includes(caller.userId);
        if (has === follow) throw UserError.conflict(follow ? state.alreadyFollow : state.notFollowing);
        if (follow && i.followers.length >= LIMITS.followers) throw UserError.conflict(state.tooManyFollowers);
        const followers = follow ? [...i.followers, caller.userId] : i.followers.filter((f) => f !== caller.userId);
        return withTimeline({ ...i, followers }, now, caller.userId, 'follow', changes.followTimeline(actor, follow));
      },
      change: 'followers',
    });
    return after;
  }

  /**
   * Resolving sets the resolved time (and only that: an incident nobody acknowledged keeps no
   * acknowledged time, so its MTTA stays unknown rather than equal to its MTTR). Each resolve's
   * summary joins the ones before it, across reopens; an empty one keeps what was said before.
   */
  async resolve(caller: Caller, incidentId: string, summary: string): Promise<Changed> {
    const text = checkText(summary, LIMITS.summary, 'the summary');
    const actor = await this.name(caller.userId);
    const result = await this.act(caller, incidentId, 'steer', ACTION_WORDS.resolve, {
      mutate: (i, now) => {
        if (i.phase === 'resolved') throw UserError.conflict(state.alreadyResolved(i));
        const resolutions = [...historyOf(i), { at: now, by: caller.userId, summary: text }].slice(-LIMITS.resolutions);
        const resolved: Incident = {
          ...i,
          phase: 'resolved',
          resolutions,
          resolution: { summary: accumulatedSummary(resolutions), at: now, by: caller.userId },
          milestones: { ...i.milestones, resolved: now },
          review: { needed: true, reviewedAt: null },
        };
        return withTimeline(resolved, now, caller.userId, 'resolved', changes.resolveTimeline(actor, text));
      },
      notice: () => changes.resolveNotice(actor, text),
      card: true,
      change: 'resolved',
    });
    const { after } = result;
    await this.reminders.cancel(after.id);
    await this.toFeedEvenPrivate(caller, after, 'feed resolve', (isPrivate) => feed.resolved(after, isPrivate, actor, text));
    await this.notifyFollowers(caller, after, changes.forFollowers(after, changes.resolvedForFollowers(actor, text)));
    return result;
  }

  /** Reopening clears the resolved time; the summaries so far stay (in the history) for the next resolve. */
  async reopen(caller: Caller, incidentId: string): Promise<Changed> {
    const actor = await this.name(caller.userId);
    const result = await this.act(caller, incidentId, 'steer', ACTION_WORDS.reopen, {
      mutate: (i, now) => {
        if (i.phase !== 'resolved') throw UserError.conflict(state.notResolved(i));
        const reopened: Incident = {
          ...i,
          phase: 'active',
          resolutions: historyOf(i),
          resolution: null,
          milestones: { ...i.milestones, resolved: null },
          review: { needed: false, reviewedAt: null },
        };
        return withTimeline(reopened, now, caller.userId, 'reopened', changes.reopenTimeline(actor));
      },
      notice: () => changes.reopenNotice(actor),
      card: true,
      change: 'reopened',
    });
    const { after } = result;
    await this.reminders.reset(after);
    await this.toFeedEvenPrivate(caller, after, 'feed reopen', (isPrivate) => feed.reopened(after, isPrivate, actor));
    await this.notifyFollowers(caller, after, changes.forFollowers(after, changes.reopenedForFollowers(actor)));
    return result;
  }

  /** Accepting an incident opened from alerts makes it active; acknowledged now, unless already set. */
  async accept(caller: Caller, incidentId: string): Promise<Changed> {
    const actor = await this.name(caller.userId);
    const result = await this.act(caller, incidentId, 'respond', ACTION_WORDS.accept, {
      mutate: (i, now) => {
        if (i.phase !== 'triage') throw UserError.conflict(triageWords.notInTriage(i));
        const accepted: Incident = { ...i, phase: 'active', milestones: { ...i.milestones, acknowledged: i.milestones.acknowledged ?? now } };
        return withTimeline(accepted, now, caller.userId, 'accepted', triageWords.acceptTimeline(actor));
      },
      notice: () => triageWords.acceptNotice(actor),
      card: true,
      change: 'accepted',
    });
    await this.reminders.reset(result.after);
    return result;
  }

  /** Dismissing closes an incident opened from alerts as noise: no review, no MTTR, counted apart. */
  async dismiss(caller: Caller, incidentId: string, reason: string): Promise<Changed> {
    const text = checkText(reason, LIMITS.summary, 'the reason');
    const actor = await this.name(caller.userId);
    const result = await this.act(caller, incidentId, 'respond', ACTION_WORDS.dismiss, {
      mutate: (i, now) => {
        if (i.phase !== 'triage') throw UserError.conflict(triageWords.notInTriage(i));
        return withTimeline({ ...i, phase: 'dismissed' }, now, caller.userId, 'dismissed', triageWords.dismissTimeline(actor, text));
      },
      notice: () => triageWords.dismissNotice(actor, text),
      card: true,
      change: 'dismissed',
    });
    await this.reminders.cancel(result.after.id);
    return result;
  }

  /**
   * Resolved by the bot because every alert of its group resolved and its source says to resolve
   * then; an incident no longer open is left as it is.
   */
  async resolveFromAlerts(incidentId: string, summary: string, access: Caller['access']): Promise<Changed | null> {
    const result = await this.store.update(incidentId, (i) => {
      if (i.phase !== 'active' && i.phase !== 'triage') return UNCHANGED;
      const now = this.ctx.now();
      const resolutions = [...historyOf(i), { at: now, by: this.botUserId, summary }].slice(-LIMITS.resolutions);
      const resolved: Incident = {
        ...i,
        phase: 'resolved',
        resolutions,
        resolution: { summary: accumulatedSummary(resolutions), at: now, by: this.botUserId },
        milestones: { ...i.milestones, resolved: now },
        review: { needed: i.phase === 'active', reviewedAt: null },
      };
      return withTimeline(resolved, now, this.botUserId, 'resolved', summary);
    });
    if (result.after.rev === result.before.rev) return null;
    await this.effects.afterWrite(result.after, access, this.botUserId, { notice: `✅ ${summary}`, card: true, change: 'resolved' });
    await this.reminders.cancel(incidentId);
    return result;
  }

  /** Declarations, severity changes, resolves and reopens reach the feed for every incident; a private one (now) without its title. */
  private async toFeedEvenPrivate(caller: Caller, incident: Incident, step: string, line: (isPrivate: boolean) => string): Promise<void> {
    const configured = this.settings().feedChannel;
    if (!configured) return;
    await this.effects.step(step, incident, async () => {
      const [channel, isPrivate] = await Promise.all([this.channels.feedChannel(incident.teamId, configured), caller.access.isPrivate(incident.channelId)]);
      if (channel) await this.effects.relay(caller.access, null, channel.Id, line(isPrivate), { incident_id: incident.id });
    });
  }

  async addFollowup(caller: Caller, incidentId: string, text: string, ownerId: string | null, due: string | null): Promise<{ incident: Incident; followup: Followup }> {
    const body = requiredText(text, input.noFollowupText, 'the follow-up');
    const actor = await this.name(caller.userId);
    const owner = ownerId ? await this.name(ownerId) : null;
    const { after } = await this.act(caller, incidentId, 'respond', ACTION_WORDS.followupAdd, {
      check: async (i) => {
        if (ownerId && !(await caller.access.isTeamMember(ownerId, i.teamId))) throw UserError.badRequest(input.notTeamMember(owner!));
      },
      mutate: (i, now) => {
        if (i.followups.length >= LIMITS.followups) throw UserError.conflict(state.tooManyFollowups(LIMITS.followups));
        const n = Math.max(0, ...i.followups.map((f) => f.n)) + 1;
        const followup: Followup = { n, text: body, ownerId, due, createdAt: now, createdBy: caller.userId, doneAt: null, doneBy: null };
        return withTimeline({ ...i, followups: [...i.followups, followup] }, now, caller.userId, 'followup', changes.followupTimeline(actor, n, body, owner, due));
      },
      notice: (a) => changes.followupNotice(actor, a.followups.at(-1)!.n, body, owner, due),
      card: true,
      change: 'followups',
    });
    if (ownerId) await this.effects.step('owner member', after, () => this.ctx.api.addChannelMember(after.channelId, ownerId));
    return { incident: after, followup: after.followups.at(-1)! };
  }

  async completeFollowup(caller: Caller, incidentId: string, n: number): Promise<{ incident: Incident; followup: Followup }> {
    const actor = await this.name(caller.userId);
    const { after } = await this.act(caller, incidentId, 'respond', ACTION_WORDS.followupDone, {
      mutate: (i, now) => {
        const found = i.followups.find((f) => f.n === n);
        if (!found) throw UserError.notFound(state.noFollowup(n));
        if (found.doneAt !== null) throw UserError.conflict(state.followupDone(n));
        const followups = i.followups.map((f) => (f.n === n ? { ...f, doneAt: now, doneBy: caller.userId } : f));
        return withTimeline({ ...i, followups }, now, caller.userId, 'followup', changes.followupDoneTimeline(actor, n, found.text));
      },
      notice: () => changes.followupDoneNotice(actor, n),
      card: true,
      change: 'followups',
    });
    return { incident: after, followup: after.followups.find((f) => f.n === n)! };
  }

  /**
   * Marks a resolved incident reviewed: by hand (`review`: commander, channel admins, system
   * admins) or by the guild meeting that discussed it (`review_at_meeting`, as its closer).
   */
  async markReviewed(caller: Caller, incidentId: string, reviewedAt: number, via: 'hand' | 'meeting'): Promise<Incident> {
    const actor = await this.name(caller.userId);
    const who = via === 'meeting' ? changes.meeting(actor) : actor;
    const { after } = await this.act(caller, incidentId, via === 'meeting' ? 'review_at_meeting' : 'review', ACTION_WORDS.review, {
      mutate: (i, now) => {
        if (i.phase !== 'resolved') throw UserError.conflict(state.notResolvedYet(i));
        if (i.review.reviewedAt !== null) return UNCHANGED;
        return withTimeline({ ...i, review: { needed: i.review.needed, reviewedAt } }, now, caller.userId, 'reviewed', changes.reviewedTimeline(who));
      },
      notice: () => changes.reviewedNotice(who),
      change: 'reviewed',
    });
    return after;
  }
}

/** Text a change cannot do without, within its limit (named in the error). */
function requiredText(text: string, whenEmpty: string, what: string): string {
  const body = checkText(text, LIMITS.text, what);
  if (!body) throw UserError.badRequest(whenEmpty);
  return body;
}

function requireActive(i: Incident): void {
  if (i.phase !== 'active') throw UserError.conflict(state.resolvedReopenFirst(i));
}
