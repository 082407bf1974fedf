/**
 * PluginAPI over Mattermost's API RPC stream (net/rpc service `Plugin`, client side).
 *
 * Each method sends `Z_<Method>Args{A, B, …}` described in ../model/gob_types.ts and reads
 * `Z_<Method>Returns{A, B, …}` generically. Shapes were checked against server/public v0.1.16
 * and v0.4.4 (identical for every method here).
 */
import {
  bool,
  bytes,
  iface,
  int,
  interfaceValue,
  mapOf,
  ptr,
  sliceOf,
  string,
  type GoType,
} from '../../runtime/gob/types';
import type { RpcCaller } from '../../runtime/rpc/types';
import * as M from '../model/gob_types';
import { zStruct } from '../model/gob_types';
import type {
  AutocompleteArg,
  AutocompleteData,
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
import { AppError } from './app_error';
import { appErrorFrom, errorFrom, rpcFailure } from './errors';
import type { PluginAPI } from './plugin_api';

type Reply = Record<string, unknown>;
type LogLevel = 'Debug' | 'Info' | 'Warn' | 'Error';

const NO_ARGS = zStruct('Z_Args', []);
const LOG_ARGS = zStruct('Z_LogArgs', [string, sliceOf(iface)]);

/** Arg structs by method, built once. Names are cosmetic on the wire; field names and kinds matter. */
const ARGS = {
  LoadPluginConfiguration: zStruct('Z_LoadPluginConfigurationArgsArgs', []),
  GetConfig: NO_ARGS,
  GetServerVersion: NO_ARGS,
  RegisterCommand: zStruct('Z_RegisterCommandArgs', [ptr(M.Command)]),
  UnregisterCommand: zStruct('Z_UnregisterCommandArgs', [string, string]),
  ExecuteSlashCommand: zStruct('Z_ExecuteSlashCommandArgs', [ptr(M.CommandArgs)]),
  GetFileInfos: zStruct('Z_GetFileInfosArgs', [int, int, ptr(M.GetFileInfosOptions)]),
  KVGet: zStruct('Z_KVGetArgs', [string]),
  KVSet: zStruct('Z_KVSetArgs', [string, bytes]),
  KVSetWithOptions: zStruct('Z_KVSetWithOptionsArgs', [string, bytes, M.PluginKVSetOptions]),
  KVCompareAndSet: zStruct('Z_KVCompareAndSetArgs', [string, bytes, bytes]),
  KVCompareAndDelete: zStruct('Z_KVCompareAndDeleteArgs', [string, bytes]),
  KVDelete: zStruct('Z_KVDeleteArgs', [string]),
  KVDeleteAll: NO_ARGS,
  KVList: zStruct('Z_KVListArgs', [int, int]),
  EnsureBotUser: zStruct('Z_EnsureBotUserArgs', [ptr(M.Bot)]),
  OneString: zStruct('Z_StringArgs', [string]),
  TwoStrings: zStruct('Z_TwoStringArgs', [string, string]),
  ThreeStrings: zStruct('Z_ThreeStringArgs', [string, string, string]),
  GetUsersByUsernames: zStruct('Z_GetUsersByUsernamesArgs', [sliceOf(string)]),
  StringPage: zStruct('Z_StringPageArgs', [string, int, int]),
  HasPermissionTo: zStruct('Z_HasPermissionToArgs', [string, ptr(M.Permission)]),
  HasPermissionToScope: zStruct('Z_HasPermissionToScopeArgs', [string, string, ptr(M.Permission)]),
  Channel: zStruct('Z_ChannelArgs', [ptr(M.Channel)]),
  GetChannelByName: zStruct('Z_GetChannelByNameArgs', [string, string, bool]),
  GetChannelsForTeamForUser: zStruct('Z_GetChannelsForTeamForUserArgs', [string, string, bool]),
  Post: zStruct('Z_PostArgs', [ptr(M.Post)]),
  SendEphemeralPost: zStruct('Z_SendEphemeralPostArgs', [string, ptr(M.Post)]),
  PublishWebSocketEvent: zStruct('Z_PublishWebSocketEventArgs', [string, mapOf(string, iface), ptr(M.WebsocketBroadcast)]),
  PublishPluginClusterEvent: zStruct('Z_PublishPluginClusterEventArgs', [M.PluginClusterEvent, M.PluginClusterEventSendOptions]),
  OpenInteractiveDialog: zStruct('Z_OpenInteractiveDialogArgs', [M.OpenDialogRequest]),
} satisfies Record<string, GoType>;

const asRecord = (v: unknown): Reply => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Reply) : {});
const asBytes = (v: unknown): Uint8Array | null => (v instanceof Uint8Array && v.length > 0 ? v : null);
const asArray = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export interface RpcPluginAPIOptions {
  /** Where fire-and-forget failures (logging calls) are reported; stderr lines reach the server log. */
  readonly reportError?: (message: string) => void;
}

export class RpcPluginAPI implements PluginAPI {
  private readonly reportError: (message: string) => void;

  constructor(
    private readonly rpc: RpcCaller,
    options: RpcPluginAPIOptions = {},
  ) {
    this.reportError = options.reportError ?? ((m) => process.stderr.write(`[ERROR] ${m}\n`));
  }

  /** One RPC: rejects with AppError when the call fails or the reply carries an error in `errorField`. */
  private async call(method: string, argType: GoType, args: Reply, errorField?: 'A' | 'B', errorIsInterface = false): Promise<Reply> {
    let reply: Reply;
    try {
      reply = asRecord(await this.rpc.call(`Plugin.${method}`, argType, args));
    } catch (err) {
      throw rpcFailure(method, err);
    }
    if (errorField) {
      const raw = reply[errorField];
      const err = errorIsInterface ? errorFrom(raw) : appErrorFrom(raw);
      if (err) throw err;
    }
    return reply;
  }

  /** A method whose reply is {A value; B *AppError} where a nil A without error is still an error. */
  private async fetch<T>(method: string, argType: GoType, args: Reply): Promise<T> {
    const reply = await this.call(method, argType, args, 'B');
    if (reply['A'] === undefined || reply['A'] === null) {
      throw new AppError('plugin.api.empty_reply', `${method} returned nothing`, '', 404, method);
    }
    return reply['A'] as T;
  }

  async loadPluginConfiguration(): Promise<Record<string, unknown>> {
    const reply = await this.call('LoadPluginConfiguration', ARGS.LoadPluginConfiguration, {});
    const raw = asBytes(reply['A']);
    if (!raw) return {};
    const parsed: unknown = JSON.parse(new TextDecoder().decode(raw));
    return asRecord(parsed);
  }

  async getConfig(): Promise<Record<string, unknown>> {
    return asRecord((await this.call('GetConfig', ARGS.GetConfig, {}))['A']);
  }

  async getServerVersion(): Promise<string> {
    const v = (await this.call('GetServerVersion', ARGS.GetServerVersion, {}))['A'];
    return typeof v === 'string' ? v : '';
  }

  async registerCommand(command: Command): Promise<void> {
    const wire = {
      ...command,
      AutocompleteData: command.AutocompleteData ? autocompleteToWire(command.AutocompleteData) : undefined,
    };
    await this.call('RegisterCommand', ARGS.RegisterCommand, { A: wire }, 'A', true);
  }

  async unregisterCommand(teamId: string, trigger: string): Promise<void> {
    await this.call('UnregisterCommand', ARGS.UnregisterCommand, { A: teamId, B: trigger }, 'A', true);
  }

  // Z_ExecuteSlashCommandReturns{A *model.CommandResponse; B error}: B is an interface (AppError or ErrorString).
  async executeSlashCommand(args: CommandArgs): Promise<CommandResponse> {
    const reply = await this.call('ExecuteSlashCommand', ARGS.ExecuteSlashCommand, { A: args }, 'B', true);
    return (reply['A'] as CommandResponse | undefined | null) ?? {};
  }

  async kvGet(key: string): Promise<Uint8Array | null> {
    return asBytes((await this.call('KVGet', ARGS.KVGet, { A: key }, 'B'))['A']);
  }

  async kvSet(key: string, value: Uint8Array): Promise<void> {
    await this.call('KVSet', ARGS.KVSet, { A: key, B: value }, 'A');
  }

  async kvSetWithOptions(key: string, value: Uint8Array | null, options: PluginKVSetOptions): Promise<boolean> {
    const opts = { Atomic: options.Atomic ?? false, OldValue: options.OldValue ?? undefined, ExpireInSeconds: options.ExpireInSeconds ?? 0 };
    const reply = await this.call('KVSetWithOptions', ARGS.KVSetWithOptions, { A: key, B: value ?? undefined, C: opts }, 'B');
    return reply['A'] === true;
  }

  async kvCompareAndSet(key: string, oldValue: Uint8Array | null, newValue: Uint8Array): Promise<boolean> {
    const reply = await this.call('KVCompareAndSet', ARGS.KVCompareAndSet, { A: key, B: oldValue ?? undefined, C: newValue }, 'B');
    return reply['A'] === true;
  }

  async kvCompareAndDelete(key: string, oldValue: Uint8Array): Promise<boolean> {
    const reply = await this.call('KVCompareAndDelete', ARGS.KVCompareAndDelete, { A: key, B: oldValue }, 'B');
    return reply['A'] === true;
  }

  async kvDelete(key: string): Promise<void> {
    await this.call('KVDelete', ARGS.KVDelete, { A: key }, 'A');
  }

  async kvDeleteAll(): Promise<void> {
    await this.call('KVDeleteAll', ARGS.KVDeleteAll, {}, 'A');
  }

  async kvList(page: number, perPage: number): Promise<string[]> {
    return asArray<string>((await this.call('KVList', ARGS.KVList, { A: page, B: perPage }, 'B'))['A']);
  }

  async ensureBotUser(bot: Bot): Promise<string> {
    const reply = await this.call('EnsureBotUser', ARGS.EnsureBotUser, { A: bot }, 'B', true);
    const id = reply['A'];
    if (typeof id !== 'string' || id === '') {
      throw new AppError('plugin.api.ensure_bot_user', 'EnsureBotUser returned no user id', '', 500, 'EnsureBotUser');
    }
    return id;
  }

  getUser(userId: string): Promise<User> {
    return this.fetch('GetUser', ARGS.OneString, { A: userId });
  }

  getUserByUsername(username: string): Promise<User> {
    return this.fetch('GetUserByUsername', ARGS.OneString, { A: username });
  }

  async getUsersByUsernames(usernames: string[]): Promise<User[]> {
    return asArray<User>((await this.call('GetUsersByUsernames', ARGS.GetUsersByUsernames, { A: usernames }, 'B'))['A']);
  }

  getTeam(teamId: string): Promise<Team> {
    return this.fetch('GetTeam', ARGS.OneString, { A: teamId });
  }

  getTeamByName(name: string): Promise<Team> {
    return this.fetch('GetTeamByName', ARGS.OneString, { A: name });
  }

  getTeamMember(teamId: string, userId: string): Promise<TeamMember> {
    return this.fetch('GetTeamMember', ARGS.TwoStrings, { A: teamId, B: userId });
  }

  getGroup(groupId: string): Promise<Group> {
    return this.fetch('GetGroup', ARGS.OneString, { A: groupId });
  }

  async getGroupMemberUsers(groupId: string, page: number, perPage: number): Promise<User[]> {
    return asArray<User>((await this.call('GetGroupMemberUsers', ARGS.StringPage, { A: groupId, B: page, C: perPage }, 'B'))['A']);
  }

  // The server looks permissions up by Id (model.Permission); the other fields are not used.
  async hasPermissionTo(userId: string, permission: string): Promise<boolean> {
    return (await this.call('HasPermissionTo', ARGS.HasPermissionTo, { A: userId, B: { Id: permission } }))['A'] === true;
  }

  async hasPermissionToTeam(userId: string, teamId: string, permission: string): Promise<boolean> {
    const args = { A: userId, B: teamId, C: { Id: permission } };
    return (await this.call('HasPermissionToTeam', ARGS.HasPermissionToScope, args))['A'] === true;
  }

  async hasPermissionToChannel(userId: string, channelId: string, permission: string): Promise<boolean> {
    const args = { A: userId, B: channelId, C: { Id: permission } };
    return (await this.call('HasPermissionToChannel', ARGS.HasPermissionToScope, args))['A'] === true;
  }

  createChannel(channel: Partial<Channel> & Pick<Channel, 'TeamId' | 'Type' | 'DisplayName' | 'Name'>): Promise<Channel> {
    return this.fetch('CreateChannel', ARGS.Channel, { A: channel });
  }

  getChannel(channelId: string): Promise<Channel> {
    return this.fetch('GetChannel', ARGS.OneString, { A: channelId });
  }

  getChannelByName(teamId: string, name: string, includeDeleted: boolean): Promise<Channel> {
    return this.fetch('GetChannelByName', ARGS.GetChannelByName, { A: teamId, B: name, C: includeDeleted });
  }

  getDirectChannel(userId1: string, userId2: string): Promise<Channel> {
    return this.fetch('GetDirectChannel', ARGS.TwoStrings, { A: userId1, B: userId2 });
  }

  updateChannel(channel: Channel): Promise<Channel> {
    return this.fetch('UpdateChannel', ARGS.Channel, { A: channel });
  }

  addChannelMember(channelId: string, userId: string): Promise<ChannelMember> {
    return this.fetch('AddChannelMember', ARGS.TwoStrings, { A: channelId, B: userId });
  }

  addUserToChannel(channelId: string, userId: string, asUserId: string): Promise<ChannelMember> {
    return this.fetch('AddUserToChannel', ARGS.ThreeStrings, { A: channelId, B: userId, C: asUserId });
  }

  getChannelMember(channelId: string, userId: string): Promise<ChannelMember> {
    return this.fetch('GetChannelMember', ARGS.TwoStrings, { A: channelId, B: userId });
  }

  async getChannelMembers(channelId: string, page: number, perPage: number): Promise<ChannelMember[]> {
    const reply = await this.call('GetChannelMembers', ARGS.StringPage, { A: channelId, B: page, C: perPage }, 'B');
    return asArray<ChannelMember>(reply['A']);
  }

  async getChannelsForTeamForUser(teamId: string, userId: string, includeDeleted: boolean): Promise<Channel[]> {
    const reply = await this.call('GetChannelsForTeamForUser', ARGS.GetChannelsForTeamForUser, { A: teamId, B: userId, C: includeDeleted }, 'B');
    return asArray<Channel>(reply['A']);
  }

  updateChannelMemberRoles(channelId: string, userId: string, newRoles: string): Promise<ChannelMember> {
    return this.fetch('UpdateChannelMemberRoles', ARGS.ThreeStrings, { A: channelId, B: userId, C: newRoles });
  }

  createPost(post: Post): Promise<Post> {
    return this.fetch('CreatePost', ARGS.Post, { A: post });
  }

  updatePost(post: Post): Promise<Post> {
    return this.fetch('UpdatePost', ARGS.Post, { A: post });
  }

  getPost(postId: string): Promise<Post> {
    return this.fetch('GetPost', ARGS.OneString, { A: postId });
  }

  async deletePost(postId: string): Promise<void> {
    await this.call('DeletePost', ARGS.OneString, { A: postId }, 'A');
  }

  // SendEphemeralPost returns the post only (no error in its Go signature).
  async sendEphemeralPost(userId: string, post: Post): Promise<Post> {
    const reply = await this.call('SendEphemeralPost', ARGS.SendEphemeralPost, { A: userId, B: post });
    return (reply['A'] as Post | undefined) ?? post;
  }

  getFileInfo(fileId: string): Promise<FileInfo> {
    return this.fetch('GetFileInfo', ARGS.OneString, { A: fileId });
  }

  async getFileInfos(page: number, perPage: number, options: GetFileInfosOptions): Promise<FileInfo[]> {
    return asArray<FileInfo>((await this.call('GetFileInfos', ARGS.GetFileInfos, { A: page, B: perPage, C: options }, 'B'))['A']);
  }

  /** An empty file arrives as a nil []byte: an empty array, not an error. */
  async getFile(fileId: string): Promise<Uint8Array> {
    const raw = (await this.call('GetFile', ARGS.OneString, { A: fileId }, 'B'))['A'];
    return raw instanceof Uint8Array ? raw : new Uint8Array();
  }

  async publishWebSocketEvent(event: string, payload: Record<string, unknown>, broadcast: WebsocketBroadcast): Promise<void> {
    await this.call('PublishWebSocketEvent', ARGS.PublishWebSocketEvent, { A: event, B: payload, C: broadcast });
  }

  async publishPluginClusterEvent(event: PluginClusterEvent, options: PluginClusterEventSendOptions): Promise<void> {
    await this.call('PublishPluginClusterEvent', ARGS.PublishPluginClusterEvent, { A: event, B: options }, 'A', true);
  }

  async openInteractiveDialog(request: OpenDialogRequest): Promise<void> {
    await this.call('OpenInteractiveDialog', ARGS.OpenInteractiveDialog, { A: request }, 'A');
  }

  logDebug(message: string, fields?: Record<string, unknown>): void {
    this.log('Debug', message, fields);
  }

  logInfo(message: string, fields?: Record<string, unknown>): void {
    this.log('Info', message, fields);
  }

  logWarn(message: string, fields?: Record<string, unknown>): void {
    this.log('Warn', message, fields);
  }

  logError(message: string, fields?: Record<string, unknown>): void {
    this.log('Error', message, fields);
  }

  /**
   * `{A string; B []interface{}}` with alternating key/value strings, as Go's client sends them
   * after stringifying. Fire-and-forget: a log call must never fail the code that logs.
   */
  private log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    const pairs: string[] = [];
    for (const [key, value] of Object.entries(fields)) pairs.push(key, stringifyLogValue(value));
    this.rpc.call(`Plugin.Log${level}`, LOG_ARGS, { A: message, B: pairs }).catch((err: unknown) => {
      this.reportError(`Log${level} failed: ${err instanceof Error ? err.message : String(err)} (message: ${message})`);
    });
  }
}

function stringifyLogValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined) return '';
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // A cycle or a BigInt inside: fall back to naming the kind of value.
  }
  return Object.prototype.toString.call(value);
}

/** AutocompleteArg.Data is a Go interface: each argument kind travels under its registered name. */
function autocompleteToWire(data: AutocompleteData): Reply {
  return {
    ...data,
    Arguments: data.Arguments?.map(argumentToWire),
    SubCommands: data.SubCommands?.map(autocompleteToWire),
  };
}

function argumentToWire(arg: AutocompleteArg): Reply {
  const wire = (name: string, type: GoType) => ({ ...arg, Data: interfaceValue(name, type, arg.Data) });
  switch (arg.Type) {
    case 'TextInput':
      return wire(M.GobName.autocompleteTextArg, M.AutocompleteTextArg);
    case 'StaticList':
      return wire(M.GobName.autocompleteStaticListArg, M.AutocompleteStaticListArg);
    case 'DynamicList':
      return wire(M.GobName.autocompleteDynamicListArg, M.AutocompleteDynamicListArg);
  }
}
