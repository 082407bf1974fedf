import type { PluginAPI } from '../../plugin/api/plugin_api';
import type { Channel } from '../../plugin/model/types';
import { UserError } from './errors';
import { userTimeZone } from './time/zone';

type PeopleApi = Pick<
  PluginAPI,
  'getUser' | 'getUsersByUsernames' | 'getChannel' | 'getChannelMember' | 'getTeamMember' | 'hasPermissionTo' | 'hasPermissionToTeam'
>;

/**
 * Who is who and who may see what, for the product's features: channel visibility (a private
 * channel's data only for its members), admin checks and `@username` resolution. Lookups are
 * memoised for the life of one instance, so build one per request or command, never keep one.
 */
export class People {
  private readonly names = new Map<string, Promise<string>>();
  private readonly channels = new Map<string, Promise<Channel | null>>();
  private readonly visible = new Map<string, Promise<boolean>>();
  private readonly memberships = new Map<string, Promise<{ member: boolean; admin: boolean }>>();

  constructor(private readonly api: PeopleApi) {}

  /** The channel, or null if it does not exist. */
  channel(channelId: string): Promise<Channel | null> {
    let found = this.channels.get(channelId);
    if (!found) {
      found = this.api.getChannel(channelId).catch(() => null);
      this.channels.set(channelId, found);
    }
    return found;
  }

  /** Members see their channel; team members also see the team's open channels. */
  canSeeChannel(userId: string, channelId: string): Promise<boolean> {
    const key = `${userId}:${channelId}`;
    let answer = this.visible.get(key);
    if (!answer) {
      answer = this.computeVisibility(userId, channelId);
      this.visible.set(key, answer);
    }
    return answer;
  }

  private async computeVisibility(userId: string, channelId: string): Promise<boolean> {
    const channel = await this.channel(channelId);
    if (!channel || channel.DeleteAt) return false;
    if ((await this.membership(userId, channelId)).member) return true;
    if (channel.Type !== 'O') return false;
    return this.isTeamMember(userId, channel.TeamId);
  }

  /** Whether the user is in the channel and whether as a channel admin (one lookup, memoised). */
  membership(userId: string, channelId: string): Promise<{ member: boolean; admin: boolean }> {
    const key = `${userId}:${channelId}`;
    let found = this.memberships.get(key);
    if (!found) {
      found = this.api.getChannelMember(channelId, userId).then(
        (m) => ({ member: true, admin: m.SchemeAdmin === true || /\bchannel_admin\b/.test(m.Roles) }),
        () => ({ member: false, admin: false }),
      );
      this.memberships.set(key, found);
    }
    return found;
  }

  async isTeamMember(userId: string, teamId: string): Promise<boolean> {
    const member = await this.api.getTeamMember(teamId, userId).catch(() => null);
    return member !== null && !member.DeleteAt;
  }

  /** System admins and the team's admins. */
  async isAdmin(userId: string, teamId: string | null): Promise<boolean> {
    if (await this.api.hasPermissionTo(userId, 'manage_system')) return true;
    return teamId ? this.api.hasPermissionToTeam(userId, teamId, 'manage_team') : false;
  }

  /** `@name` for display; falls back to the id for users that are gone. */
  username(userId: string): Promise<string> {
    let name = this.names.get(userId);
    if (!name) {
      name = this.api.getUser(userId).then(
        (u) => u.Username,
        () => userId,
      );
      this.names.set(userId, name);
    }
    return name;
  }

  async mentions(userIds: readonly string[]): Promise<string> {
    const names = await Promise.all(userIds.map((id) => this.username(id)));
    return names.map((n) => `@${n}`).join(', ');
  }

  /**
   * Resolves `@alice`, `alice` to user ids; unknown names are a clear error naming them. Names are
   * cut linearly (no regular expression on the raw token) and bounded by Mattermost's own limits.
   */
  async resolveUsernames(tokens: readonly string[], max = MAX_PEOPLE): Promise<string[]> {
    const wanted = [...new Set(tokens.map(usernameOf).filter(Boolean))];
    if (wanted.length === 0) return [];
    if (wanted.length > max) throw UserError.badRequest(`At most ${max} people at once (${wanted.length} given).`);
    const tooLong = wanted.find((w) => w.length > USERNAME_MAX);
    if (tooLong !== undefined) throw UserError.badRequest(`"@${tooLong.slice(0, 20)}…" is not a username (at most ${USERNAME_MAX} characters).`);
    const users = await this.api.getUsersByUsernames(wanted);
    const byName = new Map(users.map((u) => [u.Username.toLowerCase(), u]));
    const unknown = wanted.filter((w) => !byName.has(w));
    if (unknown.length) throw UserError.badRequest(`Unknown user${unknown.length > 1 ? 's' : ''}: ${unknown.map((u) => `@${u}`).join(', ')}.`);
    for (const u of users) this.names.set(u.Id, Promise.resolve(u.Username));
    return wanted.map((w) => byName.get(w)!.Id);
  }
}

/** Mattermost usernames are at most 64 characters (model.USER_NAME_MAX_LENGTH is 22; 64 leaves room). */
const USERNAME_MAX = 64;
/** How many people one command or form may name. */
export const MAX_PEOPLE = 100;

/** "@alice," → "alice": strips one leading @ and trailing separators, without backtracking. */
export function usernameOf(token: string): string {
  let start = token.startsWith('@') ? 1 : 0;
  let end = token.length;
  while (end > start && (token[end - 1] === ',' || token[end - 1] === ';')) end--;
  while (start < end && (token[start] === ',' || token[start] === ';')) start++;
  return token.slice(start, end).toLowerCase();
}

export { humanDuration, utcStamp } from './time/duration';

/**
 * The zone one reader's times are read and written in: their Mattermost time zone now, or null
 * when Mattermost does not know it (or the user cannot be read); callers fall back to UTC.
 */
export async function readerZone(api: Pick<PluginAPI, 'getUser'>, userId: string): Promise<string | null> {
  return userTimeZone((await api.getUser(userId).catch(() => null))?.Timezone);
}
