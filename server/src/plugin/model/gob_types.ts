/**
 * Gob descriptions of the Mattermost model structs the plugin layer sends.
 *
 * Checked field by field (reflect dump) against github.com/mattermost/mattermost/server/public
 * v0.1.16 (server 10.11 ESR) and v0.4.4 (server 11.11). Where the two differ, the newer field set
 * is described: gob matches fields by name and the older receiver skips the ones it lacks.
 * Decoding never needs these (gob is self-describing); they drive what we *encode*, so kinds
 * mirror Go exactly (int vs int64 vs uint32, []byte vs string, interface fields).
 *
 * Structs we send back after fetching them (Channel, Post) are described completely enough that
 * a read-modify-write round trip does not drop stored fields the server would then zero.
 */
import {
  bool,
  bytes,
  iface,
  int,
  int64,
  mapOf,
  ptr,
  sliceOf,
  string,
  struct,
  type GoType,
  type StructType,
} from '../../runtime/gob/types';
import { urlType } from '../../runtime/gob/marshalers';

const stringMap = mapOf(string, string, 'model.StringMap');
const stringInterface = mapOf(string, iface, 'model.StringInterface');
const stringArray = sliceOf(string, 'model.StringArray');

/** plugin.Context: passed with every hook. ConnectionId exists since server/public v0.2. */
export const Context = struct('Context', () => [
  ['SessionId', string],
  ['ConnectionId', string],
  ['RequestId', string],
  ['IPAddress', string],
  ['AcceptLanguage', string],
  ['UserAgent', string],
]);

/** model.AppError: the unexported params/wrapped fields are not on the wire. */
export const AppError = struct('AppError', () => [
  ['Id', string],
  ['Message', string],
  ['DetailedError', string],
  ['RequestId', string],
  ['StatusCode', int],
  ['Where', string],
  ['SkipTranslation', bool],
]);

/** plugin.ErrorString: what Mattermost's glue sends for any error that is not an AppError. */
export const ErrorString = struct('ErrorString', () => [
  ['Code', int],
  ['Err', string],
]);

/** Registered gob names (client_rpc.go init: gob.Register(&T{}) → "*<pkg>.<Type>"). */
export const GobName = {
  appError: '*model.AppError',
  errorString: '*plugin.ErrorString',
  autocompleteTextArg: '*model.AutocompleteTextArg',
  autocompleteStaticListArg: '*model.AutocompleteStaticListArg',
  autocompleteDynamicListArg: '*model.AutocompleteDynamicListArg',
} as const;

export const ChannelBannerInfo = struct('ChannelBannerInfo', () => [
  ['Enabled', ptr(bool)],
  ['Text', ptr(string)],
  ['BackgroundColor', ptr(string)],
]);

export const Channel = struct('Channel', () => [
  ['Id', string],
  ['CreateAt', int64],
  ['UpdateAt', int64],
  ['DeleteAt', int64],
  ['TeamId', string],
  ['Type', string],
  ['DisplayName', string],
  ['Name', string],
  ['Header', string],
  ['Purpose', string],
  ['LastPostAt', int64],
  ['TotalMsgCount', int64],
  ['ExtraUpdateAt', int64],
  ['CreatorId', string],
  ['SchemeId', ptr(string)],
  ['Props', mapOf(string, iface)],
  ['GroupConstrained', ptr(bool)],
  ['AutoTranslation', bool],
  ['Shared', ptr(bool)],
  ['TotalMsgCountRoot', int64],
  ['PolicyID', ptr(string)],
  ['LastRootPostAt', int64],
  ['BannerInfo', ptr(ChannelBannerInfo)],
  ['PolicyEnforced', bool],
  ['PolicyActions', mapOf(string, bool)],
  ['PolicyIsActive', bool],
  ['DefaultCategoryName', string],
  ['ManagedCategoryName', string],
  ['Discoverable', bool],
]);

export const ChannelMember = struct('ChannelMember', () => [
  ['ChannelId', string],
  ['UserId', string],
  ['Roles', string],
  ['LastViewedAt', int64],
  ['MsgCount', int64],
  ['MentionCount', int64],
  ['MentionCountRoot', int64],
  ['UrgentMentionCount', int64],
  ['MsgCountRoot', int64],
  ['NotifyProps', stringMap],
  ['LastUpdateAt', int64],
  ['SchemeGuest', bool],
  ['SchemeUser', bool],
  ['SchemeAdmin', bool],
  ['ExplicitRoles', string],
]);

/** model.User: received only; Password/MfaSecret arrive sanitized. */
export const User: StructType = struct('User', () => [
  ['Id', string],
  ['CreateAt', int64],
  ['UpdateAt', int64],
  ['DeleteAt', int64],
  ['Username', string],
  ['AuthData', ptr(string)],
  ['AuthService', string],
  ['Email', string],
  ['EmailVerified', bool],
  ['Nickname', string],
  ['FirstName', string],
  ['LastName', string],
  ['Position', string],
  ['Roles', string],
  ['AllowMarketing', bool],
  ['Props', stringMap],
  ['NotifyProps', stringMap],
  ['LastPasswordUpdate', int64],
  ['LastPictureUpdate', int64],
  ['FailedAttempts', int],
  ['Locale', string],
  ['Timezone', stringMap],
  ['MfaActive', bool],
  ['RemoteId', ptr(string)],
  ['LastActivityAt', int64],
  ['IsBot', bool],
  ['BotDescription', string],
  ['BotLastIconUpdate', int64],
  ['TermsOfServiceId', string],
  ['TermsOfServiceCreateAt', int64],
  ['DisableWelcomeEmail', bool],
  ['LastLogin', int64],
]);

export const Post: StructType = struct('Post', () => [
  ['Id', string],
  ['CreateAt', int64],
  ['UpdateAt', int64],
  ['EditAt', int64],
  ['DeleteAt', int64],
  ['IsPinned', bool],
  ['UserId', string],
  ['ChannelId', string],
  ['RootId', string],
  ['OriginalId', string],
  ['Message', string],
  ['MessageSource', string],
  ['Type', string],
  ['Props', stringInterface],
  ['Hashtags', string],
  ['Filenames', stringArray],
  ['FileIds', stringArray],
  ['PendingPostId', string],
  ['HasReactions', bool],
  ['RemoteId', ptr(string)],
  ['ReplyCount', int64],
  ['LastReplyAt', int64],
  ['IsFollowing', ptr(bool)],
  // Participants and Metadata are server-computed on every read and ignored on writes.
]);

export const Team = struct('Team', () => [
  ['Id', string],
  ['CreateAt', int64],
  ['UpdateAt', int64],
  ['DeleteAt', int64],
  ['DisplayName', string],
  ['Name', string],
  ['Description', string],
  ['Email', string],
  ['Type', string],
  ['CompanyName', string],
  ['AllowedDomains', string],
  ['InviteId', string],
  ['AllowOpenInvite', bool],
  ['LastTeamIconUpdate', int64],
  ['SchemeId', ptr(string)],
  ['GroupConstrained', ptr(bool)],
]);

export const TeamMember = struct('TeamMember', () => [
  ['TeamId', string],
  ['UserId', string],
  ['Roles', string],
  ['DeleteAt', int64],
  ['SchemeGuest', bool],
  ['SchemeUser', bool],
  ['SchemeAdmin', bool],
  ['ExplicitRoles', string],
  ['CreateAt', int64],
]);

export const Group = struct('Group', () => [
  ['Id', string],
  ['Name', ptr(string)],
  ['DisplayName', string],
  ['Description', string],
  ['Source', string],
  ['RemoteId', ptr(string)],
  ['CreateAt', int64],
  ['UpdateAt', int64],
  ['DeleteAt', int64],
  ['HasSyncables', bool],
  ['MemberCount', ptr(int)],
  ['AllowReference', bool],
]);

export const Bot = struct('Bot', () => [
  ['UserId', string],
  ['Username', string],
  ['DisplayName', string],
  ['Description', string],
  ['OwnerId', string],
  ['LastIconUpdate', int64],
  ['CreateAt', int64],
  ['UpdateAt', int64],
  ['DeleteAt', int64],
]);

export const Permission = struct('Permission', () => [
  ['Id', string],
  ['Name', string],
  ['Description', string],
  ['Scope', string],
]);

// Slash commands and their autocomplete tree (model/command_autocomplete.go).
export const AutocompleteTextArg = struct('AutocompleteTextArg', () => [
  ['Hint', string],
  ['Pattern', string],
]);
export const AutocompleteListItem = struct('AutocompleteListItem', () => [
  ['Item', string],
  ['Hint', string],
  ['HelpText', string],
]);
export const AutocompleteStaticListArg = struct('AutocompleteStaticListArg', () => [
  ['PossibleArguments', sliceOf(AutocompleteListItem)],
]);
export const AutocompleteDynamicListArg = struct('AutocompleteDynamicListArg', () => [['FetchURL', string]]);
/** `Data` is an interface holding one of the three *Autocomplete…Arg values above. */
export const AutocompleteArg = struct('AutocompleteArg', () => [
  ['Name', string],
  ['HelpText', string],
  ['Type', string],
  ['Required', bool],
  ['Data', iface],
]);
export const AutocompleteData: StructType = struct('AutocompleteData', () => [
  ['Trigger', string],
  ['Hint', string],
  ['HelpText', string],
  ['RoleID', string],
  ['Arguments', sliceOf(ptr(AutocompleteArg))],
  ['SubCommands', sliceOf(ptr(AutocompleteData))],
]);

export const Command = struct('Command', () => [
  ['Id', string],
  ['Token', string],
  ['CreateAt', int64],
  ['UpdateAt', int64],
  ['DeleteAt', int64],
  ['CreatorId', string],
  ['TeamId', string],
  ['Trigger', string],
  ['Method', string],
  ['Username', string],
  ['IconURL', string],
  ['AutoComplete', bool],
  ['AutoCompleteDesc', string],
  ['AutoCompleteHint', string],
  ['DisplayName', string],
  ['Description', string],
  ['URL', string],
  ['PluginId', string],
  ['AutocompleteData', ptr(AutocompleteData)],
  ['AutocompleteIconData', string],
]);

export const CommandArgs = struct('CommandArgs', () => [
  ['UserId', string],
  ['ChannelId', string],
  ['TeamId', string],
  ['RootId', string],
  ['ParentId', string],
  ['TriggerId', string],
  ['ConnectionId', string],
  ['Command', string],
  ['SiteURL', string],
  ['UserMentions', mapOf(string, string, 'model.UserMentionMap')],
  ['ChannelMentions', mapOf(string, string, 'model.ChannelMentionMap')],
]);

export const CommandResponse: StructType = struct('CommandResponse', () => [
  ['ResponseType', string],
  ['Text', string],
  ['Username', string],
  ['ChannelId', string],
  ['IconURL', string],
  ['Type', string],
  ['Props', stringInterface],
  ['GotoLocation', string],
  ['TriggerId', string],
  ['SkipSlackParsing', bool],
  ['ExtraResponses', sliceOf(ptr(CommandResponse))],
]);

/** model.GetFileInfosOptions (OnlyEmptyContent since v0.4; an older receiver skips it). */
export const GetFileInfosOptions = struct('GetFileInfosOptions', () => [
  ['UserIds', sliceOf(string)],
  ['ChannelIds', sliceOf(string)],
  ['Since', int64],
  ['IncludeDeleted', bool],
  ['SortBy', string],
  ['SortDescending', bool],
  ['OnlyEmptyContent', bool],
]);

export const PluginKVSetOptions = struct('PluginKVSetOptions', () => [
  ['Atomic', bool],
  ['OldValue', bytes],
  ['ExpireInSeconds', int64],
]);

export const WebsocketBroadcast = struct('WebsocketBroadcast', () => [
  ['OmitUsers', mapOf(string, bool)],
  ['UserId', string],
  ['ChannelId', string],
  ['TeamId', string],
  ['ConnectionId', string],
  ['OmitConnectionId', string],
  ['ContainsSanitizedData', bool],
  ['ContainsSensitiveData', bool],
  ['ReliableClusterSend', bool],
]);

export const PluginClusterEvent = struct('PluginClusterEvent', () => [
  ['Id', string],
  ['Data', bytes],
]);
export const PluginClusterEventSendOptions = struct('PluginClusterEventSendOptions', () => [
  ['SendType', string],
  ['TargetId', string],
]);

export const OnInstallEvent = struct('OnInstallEvent', () => [['UserId', string]]);

export const PostActionOptions = struct('PostActionOptions', () => [
  ['Text', string],
  ['Value', string],
]);
export const DialogElement = struct('DialogElement', () => [
  ['DisplayName', string],
  ['Name', string],
  ['Type', string],
  ['SubType', string],
  ['Default', string],
  ['Placeholder', string],
  ['HelpText', string],
  ['Optional', bool],
  ['MinLength', int],
  ['MaxLength', int],
  ['DataSource', string],
  ['DataSourceURL', string],
  ['Options', sliceOf(ptr(PostActionOptions))],
  ['MultiSelect', bool],
  ['Refresh', bool],
]);
export const Dialog = struct('Dialog', () => [
  ['CallbackId', string],
  ['Title', string],
  ['IntroductionText', string],
  ['IconURL', string],
  ['Elements', sliceOf(DialogElement)],
  ['SubmitLabel', string],
  ['NotifyOnCancel', bool],
  ['State', string],
  ['SourceURL', string],
]);
export const OpenDialogRequest = struct('OpenDialogRequest', () => [
  ['TriggerId', string],
  ['URL', string],
  ['Dialog', Dialog],
]);

// ServeHTTP.

/** http.Header = map[string][]string. */
export const HttpHeader = mapOf(string, sliceOf(string), 'http.Header');

/** *url.URL travels as a BinaryMarshaler whose bytes are URL.String(); JS side: the string. */
export const Url = urlType;

/** plugin.HTTPRequestSubset (servers ≥ 10.7); older servers sent a full http.Request with the same names. */
export const HTTPRequestSubset = struct('HTTPRequestSubset', () => [
  ['Method', string],
  ['URL', ptr(Url)],
  ['Proto', string],
  ['ProtoMajor', int],
  ['ProtoMinor', int],
  ['Header', HttpHeader],
  ['Host', string],
  ['RemoteAddr', string],
  ['RequestURI', string],
  ['Body', iface],
]);

/** The empty struct: args of argument-less calls and the reply of methods returning nothing. */
export const Empty = struct('', () => []);

/**
 * `Z_<Method>Args` / `Z_<Method>Returns` of Mattermost's generated RPC glue: one field per
 * parameter named A, B, C, … (hand-written methods use other names, e.g. ServeHTTP's streams).
 */
export function zStruct(name: string, fields: ReadonlyArray<GoType>): StructType {
  return struct(name, () => fields.map((type, i) => [String.fromCharCode(65 + i), type] as const));
}
