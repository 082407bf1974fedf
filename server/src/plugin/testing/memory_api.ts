import { randomBytes } from 'node:crypto';
import { AppError } from '../api/app_error';
import type { PluginAPI } from '../api/plugin_api';
import type {
  Bot,
  Channel,
  ChannelMember,
  Command,
  CommandArgs,
  CommandResponse,
  FileInfo,
  GetFileInfosOptions,
  Group,
  OpenDialogRequest,
  PluginClusterEvent,
  PluginClusterEventSendOptions,
  PluginKVSetOptions,
  Post,
  Team,
  TeamMember,
  User,
  WebsocketBroadcast,
} from '../model/types';
import { MemoryKv } from './memory_kv';

/** Mattermost-style 26-character ids. */
export const newId = (): string => randomBytes(16).toString('hex').slice(0, 26);

export interface PublishedEvent {
  event: string;
  payload: Record<string, unknown>;
  broadcast: WebsocketBroadcast;
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

/**
 * The state of one fake Mattermost server. Several MemoryApi instances (one per simulated HA
 * node) may share one world, as real nodes share one database.
 */
export class MemoryWorld {
  readonly kv: MemoryKv;
  readonly users = new Map<string, User>();
  readonly teams = new Map<string, Team>();
  readonly teamMembers = new Map<string, TeamMember>();
  readonly channels = new Map<string, Channel>();
  readonly channelMembers = new Map<string, ChannelMember>();
  readonly posts = new Map<string, Post>();
  readonly ephemeralPosts: Array<{ userId: string; post: Post }> = [];
  readonly groups = new Map<string, { group: Group; memberIds: string[] }>();
  readonly commands = new Map<string, Command>();
  /** Slash commands other than the plugin's own, by trigger: what ExecuteSlashCommand runs (a throw is the command failing). */
  readonly slashCommands = new Map<string, (args: CommandArgs) => CommandResponse>();
  /** Every ExecuteSlashCommand call, as the server received it. */
  readonly executedCommands: CommandArgs[] = [];
  /** Uploaded files: the info (PostId once attached) and the bytes. */
  readonly files = new Map<string, { info: FileInfo; data: Uint8Array }>();
  readonly events: PublishedEvent[] = [];
  readonly dialogs: OpenDialogRequest[] = [];
  readonly logs: LogLine[] = [];
  readonly systemAdmins = new Set<string>();
  /** Channels whose moderation takes create_post from ordinary members (read-only channels). */
  readonly readOnlyChannels = new Set<string>();
  pluginConfig: Record<string, unknown> = {};
  serverVersion = '11.1.0';

  constructor(readonly now: () => number = Date.now) {
    this.kv = new MemoryKv(now);
  }

  addUser(username: string, extra: Partial<User> = {}): User {
    const user: User = { Id: newId(), Username: username, Roles: 'system_user', ...extra };
    this.users.set(user.Id, user);
    if (user.Roles?.includes('system_admin')) this.systemAdmins.add(user.Id);
    return user;
  }

  addTeam(name: string): Team {
    const team: Team = { Id: newId(), Name: name, DisplayName: name };
    this.teams.set(team.Id, team);
    return team;
  }

  addTeamMember(teamId: string, userId: string, roles = 'team_user'): void {
    this.teamMembers.set(`${teamId}:${userId}`, { TeamId: teamId, UserId: userId, Roles: roles });
  }

  addChannel(teamId: string, name: string, type: Channel['Type'] = 'O'): Channel {
    const channel: Channel = { Id: newId(), TeamId: teamId, Name: name, DisplayName: name, Type: type, CreateAt: this.now() };
    this.channels.set(channel.Id, channel);
    return channel;
  }

  addChannelMember(channelId: string, userId: string, roles = 'channel_user'): ChannelMember {
    const member: ChannelMember = {
      ChannelId: channelId,
      UserId: userId,
      Roles: roles,
      SchemeUser: true,
      SchemeAdmin: roles.includes('channel_admin'),
    };
    this.channelMembers.set(`${channelId}:${userId}`, member);
    return member;
  }

  addGroup(displayName: string, memberIds: string[]): Group {
    const group: Group = { Id: newId(), Name: displayName.toLowerCase().replace(/\W+/g, '-'), DisplayName: displayName };
    this.groups.set(group.Id, { group, memberIds });
    return group;
  }

  /** A file uploaded by `userId` and attached to a new post of theirs in `channelId`; returns the post. */
  attachFile(channelId: string, userId: string, name: string, data: Uint8Array, message = ''): Post {
    const fileId = newId();
    const post: Post = { Id: newId(), ChannelId: channelId, UserId: userId, Message: message, CreateAt: this.now(), UpdateAt: this.now(), FileIds: [fileId] };
    this.posts.set(post.Id!, post);
    const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
    const info: FileInfo = { Id: fileId, CreatorId: userId, PostId: post.Id!, ChannelId: channelId, CreateAt: this.now(), DeleteAt: 0, Name: name, Extension: extension, Size: data.length, MimeType: 'application/json' };
    this.files.set(fileId, { info, data });
    return post;
  }

  postsIn(channelId: string): Post[] {
    return [...this.posts.values()].filter((p) => p.ChannelId === channelId).sort((a, b) => (a.CreateAt ?? 0) - (b.CreateAt ?? 0));
  }

  membersOf(channelId: string): string[] {
    return [...this.channelMembers.values()].filter((m) => m.ChannelId === channelId).map((m) => m.UserId);
  }
}

/** The default roles' permissions that the product asks about (Mattermost's model/role.go). */
const ROLE_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  system_user: ['create_team', 'create_direct_channel', 'create_group_channel'],
  system_guest: ['create_direct_channel', 'create_group_channel'],
  team_user: ['view_team', 'list_team_channels', 'join_public_channels', 'read_public_channel', 'create_public_channel', 'create_private_channel'],
  team_guest: ['view_team'],
  team_admin: ['manage_team', 'manage_team_roles', 'manage_public_channel_members', 'manage_private_channel_members'],
  channel_user: ['read_channel', 'create_post', 'use_channel_mentions', 'use_group_mentions', 'add_reaction', 'upload_file', 'use_slash_commands'],
  channel_guest: ['read_channel', 'create_post', 'use_channel_mentions', 'add_reaction', 'upload_file', 'use_slash_commands'],
  channel_admin: ['manage_public_channel_members', 'manage_private_channel_members', 'manage_channel_roles'],
};

function rolesGrant(roles: string, permission: string): boolean {
  const names = roles.split(/\s+/);
  if (names.includes('system_admin')) return true;
  return names.some((role) => ROLE_PERMISSIONS[role]?.includes(permission) ?? false);
}

const notFound = (what: string, id: string): AppError =>
  new AppError(`app.${what}.get.app_error`, `Unable to find the ${what}.`, `id=${id}`, 404);

/**
 * An in-memory PluginAPI for unit tests: the KV store has Mattermost's exact semantics
 * (MemoryKv); channels, posts, users and permissions behave like a small Mattermost.
 * `kvCalls` counts KV round trips so tests can assert O(page) access; `kvBytes` the value bytes
 * they carried (read and written), for benches of what a write moves.
 */
export class MemoryApi implements PluginAPI {
  kvCalls = 0;
  kvBytes = 0;

  constructor(readonly world: MemoryWorld = new MemoryWorld()) {}

  // Configuration
  async loadPluginConfiguration(): Promise<Record<string, unknown>> {
    return structuredClone(this.world.pluginConfig);
  }
  async getConfig(): Promise<Record<string, unknown>> {
    return { ServiceSettings: { SiteURL: 'http://localhost:8065' } };
  }
  async getServerVersion(): Promise<string> {
    return this.world.serverVersion;
  }

  // Commands
  async registerCommand(command: Command): Promise<void> {
    this.world.commands.set(command.Trigger, structuredClone(command));
  }
  async unregisterCommand(_teamId: string, trigger: string): Promise<void> {
    this.world.commands.delete(trigger);
  }
  /** As Mattermost: the user must exist, the trigger must be known; no permission is checked. */
  async executeSlashCommand(args: CommandArgs): Promise<CommandResponse> {
    this.world.executedCommands.push(structuredClone(args));
    if (!this.world.users.has(args.UserId)) throw notFound('user', args.UserId);
    const trigger = /^\/(\S+)/.exec(args.Command)?.[1]?.toLowerCase() ?? '';
    const handler = this.world.slashCommands.get(trigger);
    if (!handler) throw new AppError('api.command.execute_command.not_found.app_error', `Command with a trigger of '${trigger}' not found.`, '', 404);
    return structuredClone(handler(structuredClone(args)));
  }

  // KV
  async kvGet(key: string): Promise<Uint8Array | null> {
    this.kvCalls++;
    const value = this.world.kv.get(key);
    this.kvBytes += value?.length ?? 0;
    return value;
  }
  async kvSet(key: string, value: Uint8Array): Promise<void> {
    this.kvCalls++;
    this.world.kv.set(key, value);
  }
  async kvSetWithOptions(key: string, value: Uint8Array | null, options: PluginKVSetOptions): Promise<boolean> {
    this.kvCalls++;
    this.kvBytes += (value?.length ?? 0) + (options.OldValue?.length ?? 0);
    return this.world.kv.setWithOptions(key, value, options);
  }
  async kvCompareAndSet(key: string, oldValue: Uint8Array | null, newValue: Uint8Array): Promise<boolean> {
    this.kvCalls++;
    return this.world.kv.compareAndSet(key, oldValue, newValue);
  }
  async kvCompareAndDelete(key: string, oldValue: Uint8Array): Promise<boolean> {
    this.kvCalls++;
    return this.world.kv.compareAndDelete(key, oldValue);
  }
  async kvDelete(key: string): Promise<void> {
    this.kvCalls++;
    this.world.kv.delete(key);
  }
  async kvDeleteAll(): Promise<void> {
    this.kvCalls++;
    this.world.kv.deleteAll();
  }
  async kvList(page: number, perPage: number): Promise<string[]> {
    this.kvCalls++;
    return this.world.kv.list(page, perPage);
  }

  // Bots, users, teams, groups
  async ensureBotUser(bot: Bot): Promise<string> {
    const existing = [...this.world.users.values()].find((u) => u.Username === bot.Username);
    if (existing) return existing.Id;
    return this.world.addUser(bot.Username, { IsBot: true, Nickname: bot.DisplayName ?? '' }).Id;
  }
  async getUser(userId: string): Promise<User> {
    const user = this.world.users.get(userId);
    if (!user) throw notFound('user', userId);
    return structuredClone(user);
  }
  async getUserByUsername(username: string): Promise<User> {
    const user = [...this.world.users.values()].find((u) => u.Username === username);
    if (!user) throw notFound('user', username);
    return structuredClone(user);
  }
  async getUsersByUsernames(usernames: string[]): Promise<User[]> {
    return [...this.world.users.values()].filter((u) => usernames.includes(u.Username)).map((u) => structuredClone(u));
  }
  async getTeam(teamId: string): Promise<Team> {
    const team = this.world.teams.get(teamId);
    if (!team) throw notFound('team', teamId);
    return structuredClone(team);
  }
  async getTeamByName(name: string): Promise<Team> {
    const team = [...this.world.teams.values()].find((t) => t.Name === name);
    if (!team) throw notFound('team', name);
    return structuredClone(team);
  }
  async getTeamMember(teamId: string, userId: string): Promise<TeamMember> {
    const member = this.world.teamMembers.get(`${teamId}:${userId}`);
    if (!member) throw notFound('team_member', `${teamId}:${userId}`);
    return structuredClone(member);
  }
  async getGroup(groupId: string): Promise<Group> {
    const group = this.world.groups.get(groupId);
    if (!group) throw notFound('group', groupId);
    return structuredClone(group.group);
  }
  async getGroupMemberUsers(groupId: string, page: number, perPage: number): Promise<User[]> {
    const group = this.world.groups.get(groupId);
    if (!group) throw notFound('group', groupId);
    return group.memberIds
      .slice(page * perPage, page * perPage + perPage)
      .map((id) => this.world.users.get(id))
      .filter((u): u is User => u !== undefined)
      .map((u) => structuredClone(u));
  }

  // Permissions as Mattermost resolves them: the channel member's roles, then the team member's,
  // then the system roles (see ROLE_PERMISSIONS); moderated channels withhold create_post from
  // ordinary members.
  async hasPermissionTo(userId: string, permission: string): Promise<boolean> {
    const user = this.world.users.get(userId);
    return rolesGrant(user?.Roles ?? '', permission);
  }
  async hasPermissionToTeam(userId: string, teamId: string, permission: string): Promise<boolean> {
    const member = this.world.teamMembers.get(`${teamId}:${userId}`);
    if (member && !member.DeleteAt && rolesGrant(member.Roles, permission)) return true;
    return this.hasPermissionTo(userId, permission);
  }
  async hasPermissionToChannel(userId: string, channelId: string, permission: string): Promise<boolean> {
    const member = this.world.channelMembers.get(`${channelId}:${userId}`);
    const moderated = permission === 'create_post' && this.world.readOnlyChannels.has(channelId);
    if (member && rolesGrant(member.Roles, permission) && !(moderated && !member.Roles.includes('channel_admin'))) return true;
    const channel = this.world.channels.get(channelId);
    if (channel) return this.hasPermissionToTeam(userId, channel.TeamId, permission);
    return this.hasPermissionTo(userId, permission);
  }

  // Channels
  async createChannel(channel: Partial<Channel> & Pick<Channel, 'TeamId' | 'Type' | 'DisplayName' | 'Name'>): Promise<Channel> {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(channel.Name)) {
      throw new AppError('model.channel.is_valid.name.app_error', 'Invalid channel name.', `name=${channel.Name}`, 400);
    }
    const taken = [...this.world.channels.values()].some((c) => c.TeamId === channel.TeamId && c.Name === channel.Name);
    if (taken) {
      throw new AppError('store.sql_channel.save_channel.exists.app_error', 'A channel with that name already exists on the same team.', '', 400);
    }
    const created: Channel = { ...channel, Id: newId(), CreateAt: this.world.now() };
    this.world.channels.set(created.Id, created);
    if (created.CreatorId) this.world.addChannelMember(created.Id, created.CreatorId, 'channel_user channel_admin');
    return structuredClone(created);
  }
  async getChannel(channelId: string): Promise<Channel> {
    const channel = this.world.channels.get(channelId);
    if (!channel) throw notFound('channel', channelId);
    return structuredClone(channel);
  }
  async getChannelByName(teamId: string, name: string, includeDeleted: boolean): Promise<Channel> {
    const channel = [...this.world.channels.values()].find(
      (c) => c.TeamId === teamId && c.Name === name && (includeDeleted || !c.DeleteAt),
    );
    if (!channel) throw notFound('channel', name);
    return structuredClone(channel);
  }
  async getDirectChannel(userId1: string, userId2: string): Promise<Channel> {
    for (const id of [userId1, userId2]) if (!this.world.users.has(id)) throw notFound('user', id);
    const name = [userId1, userId2].sort().join('__');
    const existing = [...this.world.channels.values()].find((c) => c.Type === 'D' && c.Name === name);
    if (existing) return structuredClone(existing);
    const channel = this.world.addChannel('', name, 'D');
    this.world.addChannelMember(channel.Id, userId1);
    this.world.addChannelMember(channel.Id, userId2);
    return structuredClone(channel);
  }

  async updateChannel(channel: Channel): Promise<Channel> {
    if (!this.world.channels.has(channel.Id)) throw notFound('channel', channel.Id);
    this.world.channels.set(channel.Id, structuredClone(channel));
    return structuredClone(channel);
  }
  async addChannelMember(channelId: string, userId: string): Promise<ChannelMember> {
    return this.addUserToChannel(channelId, userId, '');
  }
  async addUserToChannel(channelId: string, userId: string, _asUserId: string): Promise<ChannelMember> {
    if (!this.world.channels.has(channelId)) throw notFound('channel', channelId);
    if (!this.world.users.has(userId)) throw notFound('user', userId);
    const existing = this.world.channelMembers.get(`${channelId}:${userId}`);
    return structuredClone(existing ?? this.world.addChannelMember(channelId, userId));
  }
  async getChannelMember(channelId: string, userId: string): Promise<ChannelMember> {
    const member = this.world.channelMembers.get(`${channelId}:${userId}`);
    if (!member) throw notFound('channel_member', `${channelId}:${userId}`);
    return structuredClone(member);
  }
  async getChannelMembers(channelId: string, page: number, perPage: number): Promise<ChannelMember[]> {
    return [...this.world.channelMembers.values()]
      .filter((m) => m.ChannelId === channelId)
      .slice(page * perPage, page * perPage + perPage)
      .map((m) => structuredClone(m));
  }
  async getChannelsForTeamForUser(teamId: string, userId: string, includeDeleted: boolean): Promise<Channel[]> {
    // As Mattermost's store: the user's memberships in the team's channels and in team-less DMs/GMs; none is an error.
    const found = [...this.world.channels.values()]
      .filter((c) => (c.TeamId === teamId || c.TeamId === '') && (includeDeleted || !c.DeleteAt) && this.world.channelMembers.has(`${c.Id}:${userId}`))
      .map((c) => structuredClone(c));
    if (found.length === 0) throw notFound('channels of user', userId);
    return found;
  }
  async updateChannelMemberRoles(channelId: string, userId: string, newRoles: string): Promise<ChannelMember> {
    const member = this.world.channelMembers.get(`${channelId}:${userId}`);
    if (!member) throw notFound('channel_member', `${channelId}:${userId}`);
    member.Roles = newRoles;
    member.SchemeAdmin = newRoles.includes('channel_admin');
    return structuredClone(member);
  }

  // Posts
  async createPost(post: Post): Promise<Post> {
    if (!this.world.channels.has(post.ChannelId)) throw notFound('channel', post.ChannelId);
    const created: Post = { ...structuredClone(post), Id: newId(), CreateAt: this.world.now(), UpdateAt: this.world.now() };
    this.world.posts.set(created.Id!, created);
    return structuredClone(created);
  }
  async updatePost(post: Post): Promise<Post> {
    if (!post.Id || !this.world.posts.has(post.Id)) throw notFound('post', post.Id ?? '');
    const updated = { ...structuredClone(post), UpdateAt: this.world.now() };
    this.world.posts.set(post.Id, updated);
    return structuredClone(updated);
  }
  async getPost(postId: string): Promise<Post> {
    const post = this.world.posts.get(postId);
    if (!post || post.DeleteAt) throw notFound('post', postId);
    return structuredClone(post);
  }
  async deletePost(postId: string): Promise<void> {
    const post = this.world.posts.get(postId);
    if (!post) throw notFound('post', postId);
    post.DeleteAt = this.world.now();
  }
  async sendEphemeralPost(userId: string, post: Post): Promise<Post> {
    const sent = { ...structuredClone(post), Id: newId(), CreateAt: this.world.now() };
    this.world.ephemeralPosts.push({ userId, post: sent });
    return structuredClone(sent);
  }

  // Files
  async getFileInfo(fileId: string): Promise<FileInfo> {
    const file = this.world.files.get(fileId);
    if (!file) throw notFound('file_info', fileId);
    return structuredClone(file.info);
  }
  /** Mattermost's filters: creators, channels, since (ms), deleted ones only if asked; by CreateAt. */
  async getFileInfos(page: number, perPage: number, options: GetFileInfosOptions): Promise<FileInfo[]> {
    const matching = [...this.world.files.values()]
      .map((f) => f.info)
      .filter((i) => (!options.UserIds?.length || options.UserIds.includes(i.CreatorId)) && (!options.ChannelIds?.length || options.ChannelIds.includes(i.ChannelId ?? '')))
      .filter((i) => (i.CreateAt ?? 0) >= (options.Since ?? 0) && (options.IncludeDeleted || !i.DeleteAt))
      .sort((a, b) => (options.SortDescending ? -1 : 1) * ((a.CreateAt ?? 0) - (b.CreateAt ?? 0)));
    return structuredClone(matching.slice(page * perPage, (page + 1) * perPage));
  }
  async getFile(fileId: string): Promise<Uint8Array> {
    const file = this.world.files.get(fileId);
    if (!file) throw notFound('file', fileId);
    return file.data.slice();
  }

  // Events, dialogs, logs
  async publishWebSocketEvent(event: string, payload: Record<string, unknown>, broadcast: WebsocketBroadcast): Promise<void> {
    this.world.events.push({ event, payload: structuredClone(payload), broadcast: structuredClone(broadcast) });
  }
  async publishPluginClusterEvent(_event: PluginClusterEvent, _options: PluginClusterEventSendOptions): Promise<void> {
    // A single-node server: Mattermost makes this a silent no-op too.
  }
  async openInteractiveDialog(request: OpenDialogRequest): Promise<void> {
    if (!request.TriggerId) throw new AppError('interactive_message.decode_trigger_id.app_error', 'Invalid trigger id.', '', 400);
    this.world.dialogs.push(structuredClone(request));
  }
  logDebug(message: string, fields?: Record<string, unknown>): void {
    this.world.logs.push({ level: 'debug', message, fields });
  }
  logInfo(message: string, fields?: Record<string, unknown>): void {
    this.world.logs.push({ level: 'info', message, fields });
  }
  logWarn(message: string, fields?: Record<string, unknown>): void {
    this.world.logs.push({ level: 'warn', message, fields });
  }
  logError(message: string, fields?: Record<string, unknown>): void {
    this.world.logs.push({ level: 'error', message, fields });
  }
}
