import type { PluginAPI } from '../../../plugin/api/plugin_api';
import type { Channel } from '../../../plugin/model/types';
import { CallGate } from '../call_gate';
import { UserError } from '../errors';

/**
 * The product's one scope-and-access policy. Every command, route, websocket audience, bot post,
 * agenda, digest and `/infra owe` line asks it; features state *who* may do *what* as data
 * (a RuleTable, like rfc/lifecycle.ts states transitions) and this module enforces it.
 *
 * Scope: every record belongs to exactly one team. A record tied to a channel takes its team from
 * the channel itself (read live here), never from a caller's parameter or the stored record.
 *
 * Visibility follows Mattermost, live, per request (memoised for the life of one Access only):
 * - a channel's data: whoever Mattermost lets read the channel now — its members (`read_channel`,
 *   which also covers system admins) and, for an open channel, whoever may read the team's public
 *   channels (`read_public_channel`: team users yes, guests no). Converting a channel public↔private
 *   changes the answer at once.
 * - a team's data that has no channel: full members of the team (`read_public_channel` on the team,
 *   so guests are out) and system admins.
 * Answers never tell "a private thing you can't see" from "no such thing": both are not-found.
 *
 * Writes: the bot writes only where the acting user may write (`create_post` on the channel).
 */

export type AccessApi = Pick<
  PluginAPI,
  'getChannel' | 'getChannelMember' | 'getChannelsForTeamForUser' | 'getTeamMember' | 'hasPermissionTo' | 'hasPermissionToTeam' | 'hasPermissionToChannel'
>;

/**
 * A request that needs more than this many membership questions about channels of one team for
 * one user (metrics, `/infra owe`, a long page of private channels) first asks Mattermost once for
 * every channel of the team the user is a member of: members may read their channels, so each of
 * those answers needs no round trip of its own (two otherwise, asked concurrently: the channel and
 * the membership). The list grows with the user's channels, not the page: at issue 12's full size
 * (a reader in ~2,300 channels) it cost ~25 ms, so a page of 10–60 channels is cheaper asked per
 * channel (measured with the list from the 9th channel: RFC and runs lists 20–31 → 56 ms p50;
 * `/infra owe` 404 → 55 ms). Channels already answered (an open one, below) do not count.
 */
export const CHANNELS_BEFORE_MEMBERSHIP_LIST = 64;

/**
 * A list of up to this many channels asks for each channel first: Mattermost answers a channel
 * from its cache, and an open channel of the team is then readable by whoever may read the team's
 * public channels, with no membership question; only the rest count towards the membership list.
 * Longer lists (metrics over thousands of incidents) read the list first, so each of the reader's
 * channels costs no round trip at all. The bound covers `/infra owe`, whose ledger keeps at most
 * 60 facts for each of 5 features (shared/owed.ts): its page costs at most ~10 turns of lookups
 * however many channels the reader is in, where the list grows with them (a reader in ~2,300
 * channels: 131 channels asked one by one answer in about half the list's time, README "Measured").
 * The price: a reader in few channels with a long owe page pays lookups the list would have
 * spared.
 */
export const CHANNELS_ASKED_FIRST = 320;

/**
 * Access questions other than channel lookups (below) in flight at once from this process, over
 * all requests. Each is a query on Mattermost's database; Mattermost keeps 20 idle connections by
 * default (SqlSettings.MaxIdleConns) and opens and closes one for every query past them, and
 * PostgreSQL starts a process for each.
 * Asked all at once, the ~130 questions of `/infra owe` took 300–430 ms (1,000 ideas, 200 incidents).
 */
export const ACCESS_CALLS_IN_FLIGHT = 8;
const accessGate = new CallGate(ACCESS_CALLS_IN_FLIGHT);

/**
 * Channel lookups (`GetChannel`) in flight at once from this process, over all requests, apart
 * from the questions above: Mattermost answers them from its channel cache (the store's local
 * cache layer keeps channels by id and drops one when it changes, on every node), so they put no
 * query on the database once the channel has been read. A page of open channels (the sidebar's
 * first load asks about 100, the guild list 50) then waits for 4 turns of lookups, not 13. A cold
 * cache (just after Mattermost starts) costs at most this many queries at once, 40 with the gate
 * above: past Mattermost's 20 idle connections only while its cache fills.
 */
export const CHANNEL_LOOKUPS_IN_FLIGHT = 32;
const channelGate = new CallGate(CHANNEL_LOOKUPS_IN_FLIGHT);

/** Where a record lives: its team, and its channel when it is tied to one. */
export interface Scope {
  readonly teamId: string;
  readonly channelId: string | null;
}

/** Roles Mattermost answers for; features add their own record roles (owner, commander, …). */
export const MATTERMOST_ROLES = ['system_admin', 'team_admin', 'channel_admin', 'channel_member', 'team_member', 'anyone'] as const;
export type MattermostRole = (typeof MATTERMOST_ROLES)[number];

/**
 * One action's rule: who may do it (any listed role suffices) and whether it makes the bot write
 * into the record's channel (then the actor also needs `create_post` there). Every action first
 * requires seeing the record; `anyone` means "anyone who can see it".
 */
export interface Rule<R extends string> {
  readonly who: readonly (MattermostRole | R)[];
  readonly writesToChannel?: boolean;
}
export type RuleTable<A extends string, R extends string> = Readonly<Record<A, Rule<R>>>;

/** Who holds each record role: user ids (one or several), read from the record being acted on. */
export type Holders<R extends string> = Partial<Record<R, string | readonly string[] | null | undefined>>;

export interface Subject<R extends string> {
  readonly scope: Scope;
  readonly holders?: Holders<R>;
}

/** How a feature names its records and roles in refusals ("No such RFC.", "the RFC's owner"). */
export interface PolicyWording<R extends string> {
  readonly notFound: string;
  readonly roles: Readonly<Record<R, string>>;
}

const CANNOT_POST = "You can't post in that channel, so Infra Ops won't post there for you.";

const BUILTIN_WORDS: Readonly<Record<MattermostRole, string>> = {
  system_admin: 'system admins',
  team_admin: 'team admins',
  channel_admin: 'channel admins',
  channel_member: 'members of the channel',
  team_member: 'members of the team',
  anyone: 'anyone who can see it',
};

/** A feature's rules bound to its wording: `policy.require(access, user, 'close', subject)`. */
export class FeaturePolicy<A extends string, R extends string> {
  constructor(
    readonly rules: RuleTable<A, R>,
    readonly wording: PolicyWording<R>,
  ) {}

  /** Throws not-found when the user can't see the record, forbidden when the rule refuses. */
  async require(access: Access, userId: string, action: A, subject: Subject<R>, what: string = action.replace(/_/g, ' ')): Promise<void> {
    const rule = this.rules[action];
    if (!(await access.canSee(userId, subject.scope))) throw UserError.notFound(this.wording.notFound);
    if (!(await this.matches(access, userId, rule, subject))) {
      throw UserError.forbidden(`Only ${this.describe(rule)} can ${what}.`);
    }
    if (rule.writesToChannel && subject.scope.channelId && !(await access.canPost(userId, subject.scope.channelId))) {
      throw UserError.forbidden(CANNOT_POST);
    }
  }

  /** The same decision as require(), as a boolean (for lists, buttons and audiences). */
  async allows(access: Access, userId: string, action: A, subject: Subject<R>): Promise<boolean> {
    const rule = this.rules[action];
    if (!(await access.canSee(userId, subject.scope))) return false;
    if (!(await this.matches(access, userId, rule, subject))) return false;
    return !(rule.writesToChannel && subject.scope.channelId && !(await access.canPost(userId, subject.scope.channelId)));
  }

  describe(rule: Rule<R>): string {
    const words = rule.who.map((role) => (role in BUILTIN_WORDS ? BUILTIN_WORDS[role as MattermostRole] : this.wording.roles[role as R]));
    return words.length <= 1 ? (words[0] ?? 'nobody') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
  }

  private async matches(access: Access, userId: string, rule: Rule<R>, subject: Subject<R>): Promise<boolean> {
    // Record roles first: they need no round trip.
    for (const role of rule.who) {
      if (isBuiltin(role)) continue;
      const held = subject.holders?.[role];
      if (held === userId || (Array.isArray(held) && held.includes(userId))) return true;
    }
    for (const role of rule.who) {
      if (isBuiltin(role) && (await access.hasRole(userId, role, subject.scope))) return true;
    }
    return false;
  }
}

const isBuiltin = (role: string): role is MattermostRole => (MATTERMOST_ROLES as readonly string[]).includes(role);

/**
 * Mattermost's answers for one request or command, memoised for its lifetime only (so a
 * conversion or a removal is seen by the next request). Build one with `ctx.access()`; never keep one.
 */
export class Access {
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Each channel asked about, by id: Mattermost's answer, or the one a membership list brought. */
  private readonly channels = new Map<string, Promise<Channel | null>>();
  /** Per user and team: the distinct channels canSee was asked about, and the membership list once asked. */
  private readonly asked = new Map<string, { channels: Set<string>; list: Promise<void> | null }>();
  /**
   * What membership lists brought: every channel by id, and per user the ids of their channels.
   * Kept as they came and looked up when asked (not turned into an answer per channel up front):
   * a list of ~2,300 channels made ~4,600 memo entries per request, for a page that asks about 100.
   */
  private readonly listed = new Map<string, Channel>();
  private readonly listedMemberOf = new Map<string, Set<string>>();

  /** Mattermost, each question let through the process-wide gate. */
  private readonly api: AccessApi;

  constructor(api: AccessApi) {
    this.api = gate(api, { lookups: channelGate, questions: accessGate });
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let found = this.memo.get(key) as Promise<T> | undefined;
    if (!found) {
      found = load();
      this.memo.set(key, found);
    }
    return found;
  }

  /** The channel as Mattermost has it now, or null when it does not exist. */
  channel(channelId: string): Promise<Channel | null> {
    if (!channelId) return NO_CHANNEL;
    let found = this.channels.get(channelId);
    if (!found) {
      const listed = this.listed.get(channelId);
      found = listed ? Promise.resolve(listed) : this.api.getChannel(channelId).catch(() => null);
      this.channels.set(channelId, found);
    }
    return found;
  }

  /** The channel, when a membership list read for this request says the user is in it. */
  private listedFor(userId: string, channelId: string): Channel | undefined {
    return this.listedMemberOf.get(userId)?.has(channelId) ? this.listed.get(channelId) : undefined;
  }

  /** Whether the channel is private (or a DM/GM) now; unknown channels count as private. */
  async isPrivate(channelId: string): Promise<boolean> {
    return (await this.channel(channelId))?.Type !== 'O';
  }

  isSystemAdmin(userId: string): Promise<boolean> {
    return this.once(`sys:${userId}`, () => this.api.hasPermissionTo(userId, 'manage_system').catch(() => false));
  }

  isTeamMember(userId: string, teamId: string): Promise<boolean> {
    if (!teamId) return Promise.resolve(false);
    return this.once(`tm:${teamId}:${userId}`, () =>
      this.api.getTeamMember(teamId, userId).then(
        (m) => !m.DeleteAt,
        () => false,
      ),
    );
  }

  isTeamAdmin(userId: string, teamId: string): Promise<boolean> {
    if (!teamId) return Promise.resolve(false);
    return this.once(`ta:${teamId}:${userId}`, () => this.api.hasPermissionToTeam(userId, teamId, 'manage_team').catch(() => false));
  }

  /** A full member of the team (guests are not) or a system admin: may see the team's own records. */
  canSeeTeam(userId: string, teamId: string): Promise<boolean> {
    if (!teamId) return Promise.resolve(false);
    return this.once(`st:${teamId}:${userId}`, async () => {
      if (await this.isTeamMember(userId, teamId)) return this.canReadPublicChannels(userId, teamId);
      return this.isSystemAdmin(userId);
    });
  }

  /** In the channel, and whether as its admin. */
  membership(userId: string, channelId: string): Promise<{ member: boolean; admin: boolean }> {
    if (!channelId) return Promise.resolve({ member: false, admin: false });
    return this.once(`cm:${channelId}:${userId}`, () =>
      this.api.getChannelMember(channelId, userId).then(
        (m) => ({ member: true, admin: m.SchemeAdmin === true || m.Roles.split(/\s+/).includes('channel_admin') }),
        () => ({ member: false, admin: false }),
      ),
    );
  }

  /** Mattermost's answer to "may this user read this channel now". */
  canRead(userId: string, channelId: string): Promise<boolean> {
    // Members may read their channels.
    if (this.listedFor(userId, channelId)) return READABLE;
    return this.once(`read:${channelId}:${userId}`, async () => {
      // Both asked at once (one round trip, not two): most readers are members. A list asks
      // otherwise (openChannelsFirst).
      const [channel, membership] = await Promise.all([this.channel(channelId), this.membership(userId, channelId)]);
      if (!channel) return false;
      if (membership.member) return true;
      if (channel.Type === 'O') return (await this.canReadPublicChannels(userId, channel.TeamId)) || (!(await this.isTeamMember(userId, channel.TeamId)) && this.isSystemAdmin(userId));
      return this.api.hasPermissionToChannel(userId, channelId, 'read_channel').catch(() => false);
    });
  }

  /**
   * A full member of the team who may read its public channels (Mattermost's `read_public_channel`;
   * guests may not): both asked at once, once per request.
   */
  private canReadPublicChannels(userId: string, teamId: string): Promise<boolean> {
    return this.once(`rpc:${teamId}:${userId}`, async () => {
      const [member, allowed] = await Promise.all([this.isTeamMember(userId, teamId), this.api.hasPermissionToTeam(userId, teamId, 'read_public_channel').catch(() => false)]);
      return member && allowed;
    });
  }

  /** Mattermost's answer to "may this user post in this channel now" (moderation and archive included). */
  canPost(userId: string, channelId: string): Promise<boolean> {
    return this.once(`post:${channelId}:${userId}`, async () => {
      // Both asked at once; the permission alone would not tell an archived channel.
      const [channel, allowed] = await Promise.all([
        this.channel(channelId),
        this.api.hasPermissionToChannel(userId, channelId, 'create_post').catch(() => false),
      ]);
      return channel !== null && !channel.DeleteAt && allowed;
    });
  }

  /** Whether the user may fire @channel/@all/@here in the channel. */
  canMentionChannel(userId: string, channelId: string): Promise<boolean> {
    return this.once(`mention:${channelId}:${userId}`, () => this.api.hasPermissionToChannel(userId, channelId, 'use_channel_mentions').catch(() => false));
  }

  /** May the user see a record of this scope? A channel's record also must match the channel's team. */
  async canSee(userId: string, scope: Scope): Promise<boolean> {
    if (!scope.channelId) return this.canSeeTeam(userId, scope.teamId);
    await this.manyChannels(userId, scope.teamId, scope.channelId);
    const listed = this.listedFor(userId, scope.channelId);
    if (listed) return listed.TeamId === scope.teamId;
    const [channel, readable] = await Promise.all([this.channel(scope.channelId), this.canRead(userId, scope.channelId)]);
    return channel !== null && channel.TeamId === scope.teamId && readable;
  }

  /**
   * Says up front which channels of the team this request will ask about for the user, so that a
   * list needing many membership questions reads the memberships once before the first of them
   * rather than past the threshold (also for callers that look at the channel itself before asking
   * canSee). Up to CHANNELS_ASKED_FIRST channels, the channels are asked first and only those an
   * open channel does not answer count; past it, the list comes first.
   */
  async willAskAbout(userId: string, teamId: string, channelIds: Iterable<string>): Promise<void> {
    const distinct = [...new Set(channelIds)].filter(Boolean);
    const channelsFirst = distinct.length <= CHANNELS_ASKED_FIRST;
    if (!channelsFirst) await this.countTowardsList(userId, teamId, distinct);
    if (distinct.length > 1) await this.openChannelsFirst(userId, teamId, distinct);
    if (channelsFirst) await this.countTowardsList(userId, teamId, distinct);
  }

  private async countTowardsList(userId: string, teamId: string, channelIds: readonly string[]): Promise<void> {
    await Promise.all(channelIds.map((channelId) => this.manyChannels(userId, teamId, channelId)));
  }

  /** Whether "may this user read the channel" is answered for this request without another question. */
  private answered(userId: string, channelId: string): boolean {
    return this.listedFor(userId, channelId) !== undefined || this.memo.has(`read:${channelId}:${userId}`);
  }

  /**
   * For a list: the channels first (those the membership list brought need no question), with the
   * team's public-channel right beside them; an open channel of the team is then readable without
   * asking for the membership, so a list of open channels costs one question each, not two. A
   * single record's request asks the channel and the membership at once instead (canRead): one
   * round trip in sequence rather than two.
   */
  private async openChannelsFirst(userId: string, teamId: string, channelIds: readonly string[]): Promise<void> {
    const unanswered = channelIds.filter((id) => !this.answered(userId, id));
    if (!unanswered.length) return;
    const [readsPublic, channels] = await Promise.all([this.canReadPublicChannels(userId, teamId), Promise.all(unanswered.map((id) => this.channel(id)))]);
    if (!readsPublic) return;
    for (const channel of channels) {
      const key = channel && `read:${channel.Id}:${userId}`;
      if (key && channel.Type === 'O' && channel.TeamId === teamId && !this.memo.has(key)) this.memo.set(key, Promise.resolve(true));
    }
  }

  /**
   * Past CHANNELS_BEFORE_MEMBERSHIP_LIST distinct channels, waits for the user's memberships in the
   * team, read once, and records each as the channel and a yes to "may read" — what the per-channel
   * questions would have answered. Channels not in it (not a member, another team, the list failed)
   * are still asked one by one.
   */
  private async manyChannels(userId: string, teamId: string, channelId: string): Promise<void> {
    if (this.answered(userId, channelId)) return;
    const key = `${teamId}:${userId}`;
    let state = this.asked.get(key);
    if (!state) this.asked.set(key, (state = { channels: new Set(), list: null }));
    if (state.list === null) {
      if (state.channels.has(channelId)) return;
      state.channels.add(channelId);
      if (state.channels.size <= CHANNELS_BEFORE_MEMBERSHIP_LIST) return;
      state.list = this.readMemberships(userId, teamId);
    }
    await state.list;
  }

  private async readMemberships(userId: string, teamId: string): Promise<void> {
    let channels: Channel[];
    try {
      channels = await this.api.getChannelsForTeamForUser(teamId, userId, true);
    } catch {
      return; // Mattermost answers an error for a user with no channels: ask per channel.
    }
    let mine = this.listedMemberOf.get(userId);
    if (!mine) this.listedMemberOf.set(userId, (mine = new Set()));
    for (const channel of channels) {
      mine.add(channel.Id);
      if (!this.listed.has(channel.Id)) this.listed.set(channel.Id, channel);
    }
  }

  async hasRole(userId: string, role: MattermostRole, scope: Scope): Promise<boolean> {
    switch (role) {
      case 'anyone':
        return true;
      case 'system_admin':
        return this.isSystemAdmin(userId);
      case 'team_admin':
        return (await this.isTeamAdmin(userId, scope.teamId)) || this.isSystemAdmin(userId);
      case 'team_member':
        return this.canSeeTeam(userId, scope.teamId);
      case 'channel_member':
        return scope.channelId !== null && (await this.membership(userId, scope.channelId)).member;
      case 'channel_admin':
        return scope.channelId !== null && (await this.membership(userId, scope.channelId)).admin;
    }
  }

  /**
   * The scope of a new record made in (or bound to) a channel: its team comes from the channel.
   * Refuses channels the user can't read (as not-found) and direct/group messages (no team).
   */
  async scopeOfChannel(userId: string, channelId: string, what = 'channel'): Promise<Scope> {
    // The channel and the membership asked at once (canRead): one round trip, not two.
    const [channel, readable] = await Promise.all([this.channel(channelId), this.canRead(userId, channelId)]);
    if (!channel || !readable) throw UserError.notFound(`No such ${what}.`);
    if (!channel.TeamId || (channel.Type !== 'O' && channel.Type !== 'P')) {
      throw UserError.badRequest('Infra Ops works in team channels, not in direct or group messages.');
    }
    return { teamId: channel.TeamId, channelId };
  }

  /** A team the user may see (guests and outsiders get not-found). */
  async requireTeam(userId: string, teamId: string): Promise<Scope> {
    if (!(await this.canSeeTeam(userId, teamId))) throw UserError.notFound('No such team.');
    return { teamId, channelId: null };
  }

  /** The ones the user may see, in order; one lookup per distinct channel. */
  async filterVisible<T>(userId: string, items: readonly T[], scopeOf: (item: T) => Scope): Promise<T[]> {
    const scopes = items.map(scopeOf);
    const channelsByTeam = new Map<string, string[]>();
    for (const { teamId, channelId } of scopes) {
      if (!channelId) continue;
      const channels = channelsByTeam.get(teamId);
      if (channels) channels.push(channelId);
      else channelsByTeam.set(teamId, [channelId]);
    }
    await Promise.all([...channelsByTeam].map(([teamId, channelIds]) => this.willAskAbout(userId, teamId, channelIds)));
    const seen = await Promise.all(scopes.map((scope) => this.canSee(userId, scope)));
    return items.filter((_, i) => seen[i]);
  }

  /** Binding a record to a channel (a guild's meetings, a feed): the binder must be able to post there. */
  async requirePostable(userId: string, channelId: string): Promise<Scope> {
    const scope = await this.scopeOfChannel(userId, channelId);
    if (!(await this.canPost(userId, channelId))) throw UserError.forbidden(CANNOT_POST);
    return scope;
  }
}

const NO_CHANNEL: Promise<Channel | null> = Promise.resolve(null);
const READABLE: Promise<boolean> = Promise.resolve(true);

/** The same questions, each let through its gate in turn: channel lookups through their own. */
function gate(api: AccessApi, gates: { lookups: CallGate; questions: CallGate }): AccessApi {
  const through = gates.questions;
  return {
    getChannel: (channelId) => gates.lookups.run(() => api.getChannel(channelId)),
    getChannelMember: (channelId, userId) => through.run(() => api.getChannelMember(channelId, userId)),
    getChannelsForTeamForUser: (teamId, userId, includeDeleted) => through.run(() => api.getChannelsForTeamForUser(teamId, userId, includeDeleted)),
    getTeamMember: (teamId, userId) => through.run(() => api.getTeamMember(teamId, userId)),
    hasPermissionTo: (userId, permission) => through.run(() => api.hasPermissionTo(userId, permission)),
    hasPermissionToTeam: (userId, teamId, permission) => through.run(() => api.hasPermissionToTeam(userId, teamId, permission)),
    hasPermissionToChannel: (userId, channelId, permission) => through.run(() => api.hasPermissionToChannel(userId, channelId, permission)),
  };
}
