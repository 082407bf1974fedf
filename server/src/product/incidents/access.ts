import { UserError } from '../shared/errors';
import { People } from '../shared/people';
import type { Incident } from './schema';

type AccessApi = ConstructorParameters<typeof People>[0];

export const NOT_FOUND = 'No such incident.';

/**
 * Who may do what with an incident (the rules, in one place):
 * - see: members of the incident channel; for a public incident also the team's members.
 *   Anyone else gets "not found", so a private incident's existence is not revealed.
 * - respond (status, timeline, milestones, follow-ups): members of the incident channel.
 * - follow: anyone who may see it.
 * - steer (severity, roles, resolve, reopen): the commander, the channel's admins, system admins.
 * - declare: members of the team.
 * One Access per request or command: lookups are memoised for its lifetime.
 */
export class Access {
  readonly people: People;

  constructor(private readonly api: AccessApi) {
    this.people = new People(api);
  }

  async canSee(userId: string, incident: Incident): Promise<boolean> {
    if (!incident.channelId || incident.phase === 'pending') return false;
    if (await this.isChannelMember(userId, incident.channelId)) return true;
    return !incident.private && (await this.people.isTeamMember(userId, incident.teamId));
  }

  async requireVisible(userId: string, incident: Incident | null): Promise<Incident> {
    if (!incident || !(await this.canSee(userId, incident))) throw UserError.notFound(NOT_FOUND);
    return incident;
  }

  async requireResponder(userId: string, incident: Incident): Promise<void> {
    await this.requireVisible(userId, incident);
    if (!(await this.isChannelMember(userId, incident.channelId))) {
      throw UserError.forbidden(`Only members of the incident channel can do that. Join ~${incident.channelName} first.`);
    }
  }

  /**
   * Says on what grounds the user may steer: 'commander' holds only while they keep the role, so
   * the caller re-checks it against the record it writes; 'admin' (channel or system) does not
   * depend on the record.
   */
  async requireSteer(userId: string, incident: Incident, what: string): Promise<'commander' | 'admin'> {
    await this.requireVisible(userId, incident);
    // Channel membership is already known from the visibility check; the system-admin check is a round trip.
    if (await this.isChannelAdmin(userId, incident.channelId)) return 'admin';
    if (userId === incident.roles.commander) return 'commander';
    if (await this.api.hasPermissionTo(userId, 'manage_system')) return 'admin';
    throw UserError.forbidden(`Only the commander, channel admins and system admins can ${what}.`);
  }

  async requireTeamMember(userId: string, teamId: string): Promise<void> {
    if (!teamId || !(await this.people.isTeamMember(userId, teamId))) {
      throw UserError.forbidden('Only members of the team can declare or list its incidents.');
    }
  }

  async isChannelMember(userId: string, channelId: string): Promise<boolean> {
    return channelId !== '' && (await this.people.membership(userId, channelId)).member;
  }

  async isChannelAdmin(userId: string, channelId: string): Promise<boolean> {
    return channelId !== '' && (await this.people.membership(userId, channelId)).admin;
  }
}
