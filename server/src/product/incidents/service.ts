import { UserError } from '../shared/errors';
import { UNCHANGED } from '../shared/kv';
import { utcStamp } from '../shared/people';
import type { Access } from './access';
import { renderStatus } from './card';
import type { Declarer } from './declare';
import type { Reminders } from './reminders';
import { EVENTS, type IncidentRuntime } from './runtime';
import {
  type Followup,
  type Incident,
  LIMITS,
  MILESTONES,
  type MilestoneName,
  reference,
  type RoleName,
  type Severity,
} from './schema';
import { severityName } from './settings';
import { withTimeline } from './store';

/** Followers told about a status update concurrently. */
const FOLLOWER_BATCH = 16;

/** What the new holder of a role is told, privately. */
export const ROLE_BRIEFS: Record<RoleName, string> = {
  commander:
    'You are the **incident commander**: you own the response. Keep the severity right, hand out roles, post a status update on schedule (`/incident status`), and resolve when the impact is over (`/incident resolve`).',
  scribe:
    'You are the **scribe**: keep the timeline complete. Add decisions and findings with `/incident timeline add <text>` and set milestones (`/incident milestone detected|acknowledged|mitigated`).',
  comms:
    'You are **communications**: keep stakeholders informed. Draft status updates for the commander and answer questions outside the incident channel.',
};

interface Change {
  /**
   * Set for changes only the commander, channel admins and system admins may make (what the
   * error says they tried to do); re-checked against the record the write is based on.
   */
  steer?: string;
  /** Further checks on the current record, before the write. */
  check?: (access: Access, incident: Incident) => Promise<void>;
  /** The write itself; may throw a UserError when the state does not allow it. */
  mutate: (incident: Incident, now: number) => Incident | typeof UNCHANGED;
  notice?: (after: Incident, before: Incident) => string | null;
  card?: boolean;
  change: string;
}

/** The incident's use cases after declaration; each is one compare-and-set plus its effects. */
export class IncidentService {
  constructor(
    private readonly rt: IncidentRuntime,
    private readonly reminders: Reminders,
    private readonly declarer: Declarer,
  ) {}

  private async apply(actorId: string, incidentId: string, change: Change): Promise<{ before: Incident; after: Incident }> {
    const access = this.rt.access();
    const stored = await this.rt.store.get(incidentId);
    // The plugin itself (the guild closing a meeting) acts on any incident it was handed.
    const current = actorId === this.rt.ctx.botUserId && stored ? stored : await access.requireVisible(actorId, stored);
    const basis = change.steer ? await access.requireSteer(actorId, current, change.steer) : null;
    await change.check?.(access, current);
    const result = await this.rt.store.update(incidentId, (i) => {
      // Allowed as commander on the record read above: a handoff that landed since revokes that.
      if (basis === 'commander' && i.roles.commander !== actorId) {
        throw UserError.conflict(`You handed over the commander role meanwhile, so you can no longer ${change.steer}.`);
      }
      return change.mutate(i, this.rt.ctx.now());
    });
    if (result.after.rev !== result.before.rev) {
      await this.rt.afterWrite(result.after, {
        notice: change.notice?.(result.after, result.before) ?? null,
        card: change.card,
        change: change.change,
      });
    }
    return result;
  }

  private async name(userId: string): Promise<string> {
    return `@${await this.rt.access().people.username(userId)}`;
  }

  async status(actorId: string, incidentId: string, text: string): Promise<Incident> {
    const body = requireText(text, 'The status update needs some text.', '/incident status <text>');
    const actor = await this.name(actorId);
    const { after } = await this.apply(actorId, incidentId, {
      check: (a, i) => a.requireResponder(actorId, i),
      mutate: (i, now) => {
        requireActive(i);
        const acknowledged = i.milestones.acknowledged ?? now;
        return withTimeline(
          { ...i, lastUpdate: { text: body, at: now, by: actorId }, milestones: { ...i.milestones, acknowledged } },
          now,
          actorId,
          'status',
          `${actor} posted a status update: ${body}`,
        );
      },
      card: true,
      change: 'status',
    });
    await this.reminders.reset(after);
    await this.broadcastStatus(after, actorId, body);
    return after;
  }

  /** The update itself in the channel, in the feed (public incidents) and to followers. */
  private async broadcastStatus(incident: Incident, authorId: string, text: string): Promise<void> {
    const settings = this.rt.settings();
    const due = this.rt.view(incident).nextUpdateDueAt;
    const message = renderStatus(settings.statusTemplate, {
      reference: reference(incident.number),
      title: incident.title,
      severity: severityName(settings, incident.severity),
      text,
      commander: await this.name(incident.roles.commander),
      next: due === null ? 'when needed' : utcStamp(due),
    });
    await this.rt.step('status post', incident, () => this.rt.post(incident.channelId, message));
    if (!incident.private && settings.feedChannel) {
      await this.rt.step('feed status', incident, async () => {
        const feed = await this.declarer.feedChannel(incident.teamId, settings.feedChannel);
        if (feed) await this.rt.post(feed.Id, `${message}\n\n~${incident.channelName}`, { Props: { incident_id: incident.id } });
      });
    }
    await this.notifyFollowers(incident, authorId, message);
  }

  /**
   * Each follower who may still see the incident gets the update as a DM (the bot's DM channel
   * with them) and as a websocket event for a live client; the author is not told their own update.
   */
  private async notifyFollowers(incident: Incident, authorId: string, message: string): Promise<void> {
    const access = this.rt.access();
    const ref = reference(incident.number);
    const notify = async (follower: string): Promise<void> => {
      if (follower === authorId || !(await access.canSee(follower, incident))) return;
      await Promise.all([
        this.rt.step('follower DM', incident, () => this.rt.directMessage(follower, `${message}\n\n_You follow ${ref}: ~${incident.channelName}_`)),
        this.rt.ctx.events.publish(EVENTS.statusPosted, { incidentId: incident.id, reference: ref, message }, { userId: follower }),
      ]);
    };
    // A few at a time: hundreds of followers must not put hundreds of calls in flight at once.
    for (let i = 0; i < incident.followers.length; i += FOLLOWER_BATCH) {
      await Promise.all(incident.followers.slice(i, i + FOLLOWER_BATCH).map(notify));
    }
  }

  async severity(actorId: string, incidentId: string, severity: Severity): Promise<Incident> {
    const settings = this.rt.settings();
    const actor = await this.name(actorId);
    const { before, after } = await this.apply(actorId, incidentId, {
      steer: 'change the severity',
      mutate: (i, now) => {
        if (i.severity === severity) throw UserError.badRequest(`${reference(i.number)} is already ${severityName(settings, severity)}.`);
        return withTimeline(
          { ...i, severity },
          now,
          actorId,
          'severity',
          `${actor} changed severity ${severityName(settings, i.severity)} → ${severityName(settings, severity)}`,
        );
      },
      notice: (a, b) => `${actor} changed severity from ${severityName(settings, b.severity)} to **${severityName(settings, a.severity)}**.`,
      card: true,
      change: 'severity',
    });
    await this.reminders.reset(after);
    if (severity < before.severity && after.phase === 'active') {
      // Escalation pulls in the responders of the new severity.
      const responders = settings.responders[severity];
      const warnings = await this.declarer.addPeople(after, { userIds: [], ...responders });
      for (const w of warnings) this.rt.ctx.log.warn('escalation responder not added', { incidentId, warning: w });
    }
    return after;
  }

  async role(actorId: string, incidentId: string, role: RoleName, userId: string): Promise<Incident> {
    const actor = await this.name(actorId);
    const holder = await this.name(userId);
    const { after } = await this.apply(actorId, incidentId, {
      steer: 'hand out roles',
      check: async (a, i) => {
        const user = await this.rt.ctx.api.getUser(userId).catch(() => null);
        if (!user || user.DeleteAt || user.IsBot) throw UserError.badRequest(`${holder} cannot hold a role.`);
        if (!(await a.people.isTeamMember(userId, i.teamId))) throw UserError.badRequest(`${holder} is not a member of this team.`);
      },
      mutate: (i, now) => {
        if (i.roles[role] === userId) throw UserError.badRequest(`${holder} already is the ${role}.`);
        return withTimeline({ ...i, roles: { ...i.roles, [role]: userId } }, now, actorId, 'role', `${actor} made ${holder} ${role}`);
      },
      notice: () => `${actor} made ${holder} the **${role}**.`,
      card: true,
      change: 'role',
    });
    await this.rt.step('role member', after, () => this.rt.ctx.api.addChannelMember(after.channelId, userId));
    await this.rt.step('role brief', after, () =>
      this.rt.directMessage(userId, `${actor} made you ${role} of ${reference(after.number)} (~${after.channelName}). ${ROLE_BRIEFS[role]}`, after.channelId),
    );
    return after;
  }

  async note(actorId: string, incidentId: string, text: string): Promise<Incident> {
    const body = requireText(text, 'The timeline entry needs some text.', '/incident timeline add <text>');
    const actor = await this.name(actorId);
    return (
      await this.apply(actorId, incidentId, {
        check: (a, i) => a.requireResponder(actorId, i),
        mutate: (i, now) => withTimeline(i, now, actorId, 'note', `${actor}: ${body}`),
        notice: () => `📝 ${actor} added to the timeline: ${body}`,
        change: 'timeline',
      })
    ).after;
  }

  async milestone(actorId: string, incidentId: string, name: MilestoneName, at: number): Promise<Incident> {
    const actor = await this.name(actorId);
    if (at > this.rt.ctx.now() + 60_000) throw UserError.badRequest('A milestone cannot be in the future.');
    return (
      await this.apply(actorId, incidentId, {
        check: (a, i) => a.requireResponder(actorId, i),
        mutate: (i, now) => {
          if (name === 'resolved' && i.phase !== 'resolved') {
            throw UserError.badRequest('Resolve the incident with `/incident resolve`; `milestone resolved` corrects the time afterwards.');
          }
          const milestones = { ...i.milestones, [name]: at };
          checkOrder(milestones);
          return withTimeline({ ...i, milestones }, now, actorId, 'milestone', `${actor} set ${name} at ${utcStamp(at)}`);
        },
        notice: () => `⏱️ ${actor} set **${name}** at ${utcStamp(at)}.`,
        card: true,
        change: 'milestone',
      })
    ).after;
  }

  async follow(actorId: string, incidentId: string, follow: boolean): Promise<Incident> {
    const actor = await this.name(actorId);
    return (
      await this.apply(actorId, incidentId, {
        mutate: (i, now) => {
          const has = i.followers.includes(actorId);
          if (has === follow) throw UserError.badRequest(follow ? 'You already follow this incident.' : 'You do not follow this incident.');
          if (follow && i.followers.length >= LIMITS.followers) throw UserError.conflict('This incident has too many followers.');
          const followers = follow ? [...i.followers, actorId] : i.followers.filter((f) => f !== actorId);
          return withTimeline({ ...i, followers }, now, actorId, 'follow', `${actor} ${follow ? 'follows' : 'stopped following'} the incident`);
        },
        notice: () => `${actor} ${follow ? 'now follows' : 'stopped following'} this incident.`,
        change: 'followers',
      })
    ).after;
  }

  async resolve(actorId: string, incidentId: string, summary: string): Promise<Incident> {
    const text = summary.trim();
    if (text.length > LIMITS.summary) {
      throw UserError.badRequest(`The summary is too long (${text.length} characters; at most ${LIMITS.summary}).`, '/incident resolve [summary]');
    }
    const actor = await this.name(actorId);
    const { after } = await this.apply(actorId, incidentId, {
      steer: 'resolve the incident',
      mutate: (i, now) => {
        if (i.phase === 'resolved') throw UserError.conflict(`${reference(i.number)} is already resolved.`);
        return withTimeline(
          {
            ...i,
            phase: 'resolved',
            resolution: { summary: text, at: now, by: actorId },
            milestones: { ...i.milestones, resolved: now, acknowledged: i.milestones.acknowledged ?? now },
            review: { needed: true, reviewedAt: null },
          },
          now,
          actorId,
          'resolved',
          `${actor} resolved the incident${text ? `: ${text}` : ''}`,
        );
      },
      notice: () => `✅ ${actor} resolved this incident${text ? `: ${text}` : ''}. It is queued for review at the next Reliability Engineering Guild meeting.`,
      card: true,
      change: 'resolved',
    });
    await this.reminders.cancel(after.id);
    const settings = this.rt.settings();
    if (settings.feedChannel) {
      await this.rt.step('feed resolve', after, async () => {
        const feed = await this.declarer.feedChannel(after.teamId, settings.feedChannel);
        const line = after.private
          ? `✅ **${reference(after.number)}** (private) was resolved.`
          : `✅ **${reference(after.number)}: ${after.title}** was resolved by ${actor}${text ? `: ${text}` : ''}.`;
        if (feed) await this.rt.post(feed.Id, line, { Props: { incident_id: after.id } });
      });
    }
    return after;
  }

  async reopen(actorId: string, incidentId: string): Promise<Incident> {
    const actor = await this.name(actorId);
    const { after } = await this.apply(actorId, incidentId, {
      steer: 'reopen the incident',
      mutate: (i, now) => {
        if (i.phase !== 'resolved') throw UserError.conflict(`${reference(i.number)} is not resolved.`);
        return withTimeline(
          { ...i, phase: 'active', resolution: null, milestones: { ...i.milestones, resolved: null }, review: { needed: false, reviewedAt: null } },
          now,
          actorId,
          'reopened',
          `${actor} reopened the incident`,
        );
      },
      notice: () => `🔁 ${actor} reopened this incident.`,
      card: true,
      change: 'reopened',
    });
    await this.reminders.reset(after);
    return after;
  }

  async addFollowup(actorId: string, incidentId: string, text: string, ownerId: string | null, due: string | null): Promise<Followup> {
    const body = requireText(text, 'The follow-up needs a description.', '/incident followup add <text> [@owner] [due]');
    const actor = await this.name(actorId);
    const owner = ownerId ? await this.name(ownerId) : null;
    const { after } = await this.apply(actorId, incidentId, {
      check: async (a, i) => {
        await a.requireResponder(actorId, i);
        if (ownerId && !(await a.people.isTeamMember(ownerId, i.teamId))) throw UserError.badRequest(`${owner} is not a member of this team.`);
      },
      mutate: (i, now) => {
        if (i.followups.length >= LIMITS.followups) throw UserError.conflict('This incident has too many follow-ups.');
        const n = Math.max(0, ...i.followups.map((f) => f.n)) + 1;
        const followup: Followup = { n, text: body, ownerId, due, createdAt: now, createdBy: actorId, doneAt: null, doneBy: null };
        return withTimeline({ ...i, followups: [...i.followups, followup] }, now, actorId, 'followup', `${actor} added follow-up #${n}: ${body}${owner ? ` (owner ${owner})` : ''}${due ? ` due ${due}` : ''}`);
      },
      notice: (a) => `📌 ${actor} added follow-up #${a.followups.at(-1)!.n}: ${body}${owner ? ` — owner ${owner}` : ''}${due ? `, due ${due}` : ''}.`,
      card: true,
      change: 'followups',
    });
    if (ownerId) await this.rt.step('owner member', after, () => this.rt.ctx.api.addChannelMember(after.channelId, ownerId));
    return after.followups.at(-1)!;
  }

  async completeFollowup(actorId: string, incidentId: string, n: number): Promise<Followup> {
    const actor = await this.name(actorId);
    const { after } = await this.apply(actorId, incidentId, {
      check: (a, i) => a.requireResponder(actorId, i),
      mutate: (i, now) => {
        const found = i.followups.find((f) => f.n === n);
        if (!found) throw UserError.notFound(`There is no follow-up #${n}. See \`/incident followup list\`.`);
        if (found.doneAt !== null) throw UserError.conflict(`Follow-up #${n} is already done.`);
        const followups = i.followups.map((f) => (f.n === n ? { ...f, doneAt: now, doneBy: actorId } : f));
        return withTimeline({ ...i, followups }, now, actorId, 'followup', `${actor} completed follow-up #${n}: ${found.text}`);
      },
      notice: () => `☑️ ${actor} completed follow-up #${n}.`,
      card: true,
      change: 'followups',
    });
    return after.followups.find((f) => f.n === n)!;
  }

  /** Marks resolved incidents reviewed (by a guild meeting, or by hand). */
  async markReviewed(actorId: string, incidentId: string, reviewedAt: number, viaGuild: boolean): Promise<Incident> {
    const actor = viaGuild ? 'The Reliability Engineering Guild' : await this.name(actorId);
    return (
      await this.apply(actorId, incidentId, {
        steer: viaGuild ? undefined : 'mark the incident reviewed',
        mutate: (i, now) => {
          if (i.phase !== 'resolved') throw UserError.conflict(`${reference(i.number)} is not resolved yet.`);
          if (i.review.reviewedAt !== null) return UNCHANGED;
          return withTimeline({ ...i, review: { needed: i.review.needed, reviewedAt: reviewedAt } }, now, actorId, 'reviewed', `${actor} reviewed the incident`);
        },
        notice: () => `🔎 ${actor} reviewed this incident.`,
        change: 'reviewed',
      })
    ).after;
  }
}

function requireText(text: string, message: string, usage: string): string {
  const body = text.trim();
  if (!body) throw UserError.badRequest(message, usage);
  if (body.length > LIMITS.text) throw UserError.badRequest(`That text is too long (${body.length} characters; at most ${LIMITS.text}).`, usage);
  return body;
}

function requireActive(i: Incident): void {
  if (i.phase !== 'active') throw UserError.conflict(`${reference(i.number)} is resolved; reopen it first (\`/incident reopen\`).`);
}

/** detected ≤ acknowledged ≤ mitigated ≤ resolved, for the ones that are set. */
function checkOrder(m: Incident['milestones']): void {
  let previous: { name: MilestoneName; at: number } | null = null;
  for (const name of MILESTONES) {
    const at = m[name];
    if (at === null) continue;
    if (previous && at < previous.at) {
      throw UserError.badRequest(`${name} (${utcStamp(at)}) cannot be before ${previous.name} (${utcStamp(previous.at)}).`);
    }
    previous = { name, at };
  }
}
