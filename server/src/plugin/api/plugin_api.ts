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

/**
 * Mattermost's plugin API, typed. Every method resolves with its value or rejects with AppError
 * (./app_error.ts). Methods returning `null` mean "not found" only where Mattermost says so
 * (KVGet of a missing key); other lookups of missing things reject with an AppError whose
 * StatusCode is 404.
 */
export interface PluginAPI {
  // Configuration
  loadPluginConfiguration(): Promise<Record<string, unknown>>;
  getConfig(): Promise<Record<string, unknown>>;
  getServerVersion(): Promise<string>;

  // Slash commands
  registerCommand(command: Command): Promise<void>;
  unregisterCommand(teamId: string, trigger: string): Promise<void>;
  /**
   * Runs a slash command as `args.UserId` in `args.ChannelId` (Mattermost checks no permission
   * here: the caller must). Rejects with the command's error (unknown trigger, a failing command).
   */
  executeSlashCommand(args: CommandArgs): Promise<CommandResponse>;

  // KV store (values are raw bytes; see product/shared/kv for the JSON + CAS repository)
  kvGet(key: string): Promise<Uint8Array | null>;
  kvSet(key: string, value: Uint8Array): Promise<void>;
  /** Returns false when Atomic and the current value did not match OldValue. A null value deletes. */
  kvSetWithOptions(key: string, value: Uint8Array | null, options: PluginKVSetOptions): Promise<boolean>;
  kvCompareAndSet(key: string, oldValue: Uint8Array | null, newValue: Uint8Array): Promise<boolean>;
  kvCompareAndDelete(key: string, oldValue: Uint8Array): Promise<boolean>;
  kvDelete(key: string): Promise<void>;
  kvDeleteAll(): Promise<void>;
  /** Keys in ascending order, page by page (page 0 first). */
  kvList(page: number, perPage: number): Promise<string[]>;

  // Bots, users, teams, groups
  ensureBotUser(bot: Bot): Promise<string>;
  getUser(userId: string): Promise<User>;
  getUserByUsername(username: string): Promise<User>;
  getUsersByUsernames(usernames: string[]): Promise<User[]>;
  getTeam(teamId: string): Promise<Team>;
  getTeamByName(name: string): Promise<Team>;
  getTeamMember(teamId: string, userId: string): Promise<TeamMember>;
  getGroup(groupId: string): Promise<Group>;
  getGroupMemberUsers(groupId: string, page: number, perPage: number): Promise<User[]>;

  // Permissions (permission ids as Mattermost names them, e.g. 'manage_system', 'create_post')
  hasPermissionTo(userId: string, permission: string): Promise<boolean>;
  hasPermissionToTeam(userId: string, teamId: string, permission: string): Promise<boolean>;
  hasPermissionToChannel(userId: string, channelId: string, permission: string): Promise<boolean>;

  // Channels
  createChannel(channel: Partial<Channel> & Pick<Channel, 'TeamId' | 'Type' | 'DisplayName' | 'Name'>): Promise<Channel>;
  getChannel(channelId: string): Promise<Channel>;
  getChannelByName(teamId: string, name: string, includeDeleted: boolean): Promise<Channel>;
  /** The direct-message channel between two users, created if it does not exist yet. */
  getDirectChannel(userId1: string, userId2: string): Promise<Channel>;
  updateChannel(channel: Channel): Promise<Channel>;
  addChannelMember(channelId: string, userId: string): Promise<ChannelMember>;
  addUserToChannel(channelId: string, userId: string, asUserId: string): Promise<ChannelMember>;
  getChannelMember(channelId: string, userId: string): Promise<ChannelMember>;
  getChannelMembers(channelId: string, page: number, perPage: number): Promise<ChannelMember[]>;
  /** The channels of the team (and the user's direct and group messages) the user is a member of, archived ones too if asked. */
  getChannelsForTeamForUser(teamId: string, userId: string, includeDeleted: boolean): Promise<Channel[]>;
  updateChannelMemberRoles(channelId: string, userId: string, newRoles: string): Promise<ChannelMember>;

  // Posts
  createPost(post: Post): Promise<Post>;
  updatePost(post: Post): Promise<Post>;
  getPost(postId: string): Promise<Post>;
  deletePost(postId: string): Promise<void>;
  sendEphemeralPost(userId: string, post: Post): Promise<Post>;

  // Files (attachments of posts)
  getFileInfo(fileId: string): Promise<FileInfo>;
  getFileInfos(page: number, perPage: number, options: GetFileInfosOptions): Promise<FileInfo[]>;
  getFile(fileId: string): Promise<Uint8Array>;

  // Events and dialogs
  /** Clients receive `custom_<pluginId>_<event>`. */
  publishWebSocketEvent(event: string, payload: Record<string, unknown>, broadcast: WebsocketBroadcast): Promise<void>;
  publishPluginClusterEvent(event: PluginClusterEvent, options: PluginClusterEventSendOptions): Promise<void>;
  openInteractiveDialog(request: OpenDialogRequest): Promise<void>;

  // Logging into the server log
  logDebug(message: string, fields?: Record<string, unknown>): void;
  logInfo(message: string, fields?: Record<string, unknown>): void;
  logWarn(message: string, fields?: Record<string, unknown>): void;
  logError(message: string, fields?: Record<string, unknown>): void;
}
