/**
 * Mattermost model types as the product sees them (the fields we use; Go field names kept so the
 * gob descriptions in ./gob_types.ts map one to one). Fields a server sends that are not listed
 * here are still decoded and kept where a value is sent back (e.g. UpdatePost of a fetched post).
 */

export type StringMap = Record<string, string>;
export type Props = Record<string, unknown>;

export type ChannelType = 'O' | 'P' | 'D' | 'G';

export interface Channel {
  Id: string;
  CreateAt?: number;
  UpdateAt?: number;
  DeleteAt?: number;
  TeamId: string;
  Type: ChannelType;
  DisplayName: string;
  Name: string;
  Header?: string;
  Purpose?: string;
  CreatorId?: string;
  [extra: string]: unknown;
}

export interface ChannelMember {
  ChannelId: string;
  UserId: string;
  Roles: string;
  SchemeUser?: boolean;
  SchemeAdmin?: boolean;
  [extra: string]: unknown;
}

export interface Post {
  Id?: string;
  CreateAt?: number;
  UpdateAt?: number;
  EditAt?: number;
  DeleteAt?: number;
  IsPinned?: boolean;
  UserId?: string;
  ChannelId: string;
  RootId?: string;
  Message?: string;
  Type?: string;
  Props?: Props;
  [extra: string]: unknown;
}

export interface User {
  Id: string;
  Username: string;
  Email?: string;
  Nickname?: string;
  FirstName?: string;
  LastName?: string;
  Position?: string;
  Roles?: string;
  Locale?: string;
  Timezone?: StringMap;
  IsBot?: boolean;
  DeleteAt?: number;
  [extra: string]: unknown;
}

export interface Team {
  Id: string;
  Name: string;
  DisplayName: string;
  [extra: string]: unknown;
}

export interface TeamMember {
  TeamId: string;
  UserId: string;
  Roles: string;
  DeleteAt?: number;
  [extra: string]: unknown;
}

export interface Group {
  Id: string;
  Name?: string;
  DisplayName: string;
  [extra: string]: unknown;
}

export interface Bot {
  UserId?: string;
  Username: string;
  DisplayName?: string;
  Description?: string;
  OwnerId?: string;
}

/** model.AutocompleteData: one node of a slash command's autocomplete tree. */
export interface AutocompleteData {
  Trigger: string;
  Hint?: string;
  HelpText?: string;
  RoleID?: string;
  Arguments?: AutocompleteArg[];
  SubCommands?: AutocompleteData[];
}

export type AutocompleteArg =
  | { Name?: string; HelpText: string; Type: 'TextInput'; Required?: boolean; Data: { Hint: string; Pattern: string } }
  | { Name?: string; HelpText: string; Type: 'StaticList'; Required?: boolean; Data: { PossibleArguments: Array<{ Item: string; Hint?: string; HelpText?: string }> } }
  | { Name?: string; HelpText: string; Type: 'DynamicList'; Required?: boolean; Data: { FetchURL: string } };

export interface Command {
  Trigger: string;
  AutoComplete: boolean;
  AutoCompleteDesc?: string;
  AutoCompleteHint?: string;
  DisplayName?: string;
  Description?: string;
  AutocompleteData?: AutocompleteData;
  AutocompleteIconData?: string;
}

export interface CommandArgs {
  UserId: string;
  ChannelId: string;
  TeamId: string;
  RootId?: string;
  ParentId?: string;
  TriggerId?: string;
  Command: string;
  SiteURL?: string;
  UserMentions?: StringMap;
  ChannelMentions?: StringMap;
}

export interface CommandResponse {
  ResponseType?: 'in_channel' | 'ephemeral';
  Text?: string;
  Username?: string;
  ChannelId?: string;
  IconURL?: string;
  Type?: string;
  Props?: Props;
  GotoLocation?: string;
  TriggerId?: string;
  SkipSlackParsing?: boolean;
}

/** model.FileInfo: received only (the server's storage paths are not for plugins to rely on). */
export interface FileInfo {
  Id: string;
  CreatorId: string;
  PostId?: string;
  ChannelId?: string;
  CreateAt?: number;
  DeleteAt?: number;
  Name: string;
  Extension?: string;
  Size?: number;
  MimeType?: string;
  [extra: string]: unknown;
}

/** model.GetFileInfosOptions: every filter optional; SortBy 'CreateAt' (default) or 'Size'. */
export interface GetFileInfosOptions {
  UserIds?: string[];
  ChannelIds?: string[];
  /** Unix milliseconds: files created at or after. */
  Since?: number;
  IncludeDeleted?: boolean;
  SortBy?: 'CreateAt' | 'Size';
  SortDescending?: boolean;
}

/** plugin.Context, passed with every hook call. */
export interface PluginContext {
  SessionId?: string;
  RequestId?: string;
  IPAddress?: string;
  AcceptLanguage?: string;
  UserAgent?: string;
}

export interface PluginKVSetOptions {
  Atomic?: boolean;
  /** With Atomic: the value the key must currently hold; null/undefined = the key must not exist. */
  OldValue?: Uint8Array | null;
  ExpireInSeconds?: number;
}

export interface WebsocketBroadcast {
  OmitUsers?: Record<string, boolean>;
  UserId?: string;
  ChannelId?: string;
  TeamId?: string;
  ConnectionId?: string;
  OmitConnectionId?: string;
  ReliableClusterSend?: boolean;
}

export interface PluginClusterEvent {
  Id: string;
  Data: Uint8Array;
}

export interface PluginClusterEventSendOptions {
  SendType: 'reliable' | 'best_effort';
  TargetId?: string;
}

export interface DialogElementOption { Text: string; Value: string }

export interface DialogElement {
  DisplayName: string;
  Name: string;
  Type: 'text' | 'textarea' | 'select' | 'bool' | 'radio';
  SubType?: string;
  Default?: string;
  Placeholder?: string;
  HelpText?: string;
  Optional?: boolean;
  MinLength?: number;
  MaxLength?: number;
  DataSource?: 'users' | 'channels' | '';
  Options?: DialogElementOption[];
}

export interface Dialog {
  CallbackId?: string;
  Title: string;
  IntroductionText?: string;
  IconURL?: string;
  Elements: DialogElement[];
  SubmitLabel?: string;
  NotifyOnCancel?: boolean;
  State?: string;
}

export interface OpenDialogRequest {
  TriggerId: string;
  /** Where Mattermost POSTs the submission; for a plugin: `/plugins/<id>/...`. */
  URL: string;
  Dialog: Dialog;
}
