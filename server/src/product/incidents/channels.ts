import { AppError } from '../../plugin/api/app_error';
import type { PluginAPI } from '../../plugin/api/plugin_api';
import type { Channel } from '../../plugin/model/types';
import { UserError } from '../shared/errors';
import type { People } from '../shared/people';
import type { ServerFacts } from './facts';
import { declareWords, purposePrefix, reference } from './messages';
import { candidateNames, displayNameFor } from './naming';
import type { Incident } from './records';

type ChannelApi = Pick<PluginAPI, 'createChannel' | 'getChannel' | 'getChannelByName' | 'addChannelMember' | 'getUsersByUsernames' | 'getGroupMemberUsers'>;

const GROUP_PAGE = 200;

/** People to add to an incident channel: user ids, responders by username, responder groups. */
export interface PeopleToAdd {
  userIds: readonly string[];
  usernames: readonly string[];
  groupIds: readonly string[];
}

/**
 * The channel operations incidents need: creating (or finding again) an incident's channel,
 * adding people to it, and finding the team's feed channel. Used by declaration and by later
 * changes alike (escalation adds responders, a new role holder joins).
 */
export class IncidentChannels {
  constructor(
    private readonly api: ChannelApi,
    private readonly facts: ServerFacts,
    private readonly botUserId: string,
  ) {}

  /**
   * The configured feed channel of this team (by name, or by id when an id was configured), or
   * null. Configured by a system admin, so the bot posts there for whoever acts; the text it relays
   * is stripped of channel-wide mentions.
   */
  feedChannel(teamId: string, configured: string): Promise<Channel | null> {
    if (!configured) return Promise.resolve(null);
    return this.facts.cached(`feed:${teamId}:${configured}`, async () => {
      const byName = await this.api.getChannelByName(teamId, configured.toLowerCase(), false).catch(() => null);
      if (byName) return byName;
      if (!/^[a-z0-9]{26}$/.test(configured)) return null;
      const byId = await this.api.getChannel(configured).catch(() => null);
      return byId && byId.TeamId === teamId ? byId : null;
    });
  }

  /**
   * Creates the incident's channel under the first free candidate name. `recordName` runs before
   * each new name is tried, so a node that dies right after creating the channel leaves the name
   * behind for the setup job to find (see findOwn).
   */
  async create(incident: Incident, recordName: (name: string) => Promise<void>): Promise<{ Id: string; Name: string }> {
    const adopted = await this.findOwn(incident, incident.channelName);
    if (adopted) return adopted;
    for (const name of candidateNames(incident.channelName, incident.id)) {
      if (name !== incident.channelName) await recordName(name);
      try {
        return await this.api.createChannel({
          TeamId: incident.teamId,
          Type: incident.private ? 'P' : 'O',
          Name: name,
          DisplayName: displayNameFor(reference(incident.number), incident.title),
          Purpose: declareWords.purpose(incident),
          CreatorId: this.botUserId,
        });
      } catch (err) {
        if (!isNameTaken(err)) throw err;
      }
    }
    throw UserError.conflict(declareWords.namesTaken(reference(incident.number)));
  }

  /**
   * The channel this incident's setup created under `name`: the name was recorded by this incident
   * before it was tried, and the channel was made by the bot with a purpose that starts with the
   * incident's reference (its number is the team's, so no other incident gives that start). No
   * internal id is shown to people in the purpose for this.
   */
  async findOwn(incident: Pick<Incident, 'number' | 'teamId'>, name: string): Promise<Channel | null> {
    if (!name) return null;
    const channel = await this.api.getChannelByName(incident.teamId, name, false).catch(() => null);
    const ours = channel && channel.CreatorId === this.botUserId && (channel.Purpose ?? '').startsWith(purposePrefix(incident.number));
    return ours ? channel : null;
  }

  /**
   * Adds people to the incident channel, all at once; returns warnings for those who could not be
   * added (Mattermost refuses users who are not on the team or are deactivated).
   */
  async addPeople(channelId: string, who: PeopleToAdd, people: People): Promise<string[]> {
    const warnings: string[] = [];
    const ids = new Set(who.userIds);
    const [byName, ...groups] = await Promise.all([
      who.usernames.length ? this.api.getUsersByUsernames([...who.usernames]) : Promise.resolve([]),
      ...who.groupIds.map((groupId) => this.groupMembers(groupId).catch((err: unknown) => err)),
    ]);
    for (const u of byName) ids.add(u.Id);
    const found = new Set(byName.map((u) => u.Username.toLowerCase()));
    for (const name of who.usernames) if (!found.has(name)) warnings.push(declareWords.responderMissing(name));
    groups.forEach((members: unknown, n) => {
      if (Array.isArray(members)) for (const id of members as string[]) ids.add(id);
      else warnings.push(declareWords.groupUnreadable(who.groupIds[n]!, members instanceof Error ? members.message : String(members)));
    });
    const list = [...ids];
    const results = await Promise.allSettled(list.map((userId) => this.api.addChannelMember(channelId, userId)));
    for (const [n, result] of results.entries()) {
      if (result.status === 'rejected') {
        warnings.push(declareWords.notAdded(await people.username(list[n]!), result.reason instanceof Error ? result.reason.message : String(result.reason)));
      }
    }
    return warnings;
  }

  private async groupMembers(groupId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 0; ; page++) {
      const members = await this.api.getGroupMemberUsers(groupId, page, GROUP_PAGE);
      for (const u of members) if (!u.DeleteAt) ids.push(u.Id);
      if (members.length < GROUP_PAGE) return ids;
    }
  }
}

function isNameTaken(err: unknown): boolean {
  return err instanceof AppError && (err.id === 'store.sql_channel.save_channel.exists.app_error' || /already exists/i.test(err.message));
}
