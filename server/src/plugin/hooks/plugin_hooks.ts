import type { RequestListener } from 'node:http';
import type { PluginAPI } from '../api/plugin_api';
import type {
  Channel,
  ChannelMember,
  CommandArgs,
  CommandResponse,
  PluginClusterEvent,
  PluginContext,
  Post,
  User,
} from '../model/types';

/**
 * What a product implements. The plugin layer serves Mattermost's `Plugin` hooks service, reports
 * exactly the hooks present here in `Implemented`, and turns throws into the error Mattermost
 * expects for each hook. Hooks may run concurrently.
 */
export interface PluginHooks {
  /** Called once the API is connected; a throw makes activation fail (Mattermost shows the message). */
  onActivate?(api: PluginAPI): Promise<void>;
  onDeactivate?(): Promise<void>;
  onConfigurationChange?(): Promise<void>;
  onInstall?(context: PluginContext, event: { UserId: string }): Promise<void>;
  executeCommand?(context: PluginContext, args: CommandArgs): Promise<CommandResponse>;
  /**
   * ServeHTTP: the bridged request arrives as a normal Node request (URL path with
   * `/plugins/<id>` stripped, `Mattermost-User-Id` header set by the server for logged-in users).
   */
  httpHandler?: RequestListener;
  messageHasBeenPosted?(context: PluginContext, post: Post): Promise<void>;
  userHasJoinedChannel?(context: PluginContext, member: ChannelMember, actor: User | null): Promise<void>;
  userHasLeftChannel?(context: PluginContext, member: ChannelMember, actor: User | null): Promise<void>;
  channelHasBeenCreated?(context: PluginContext, channel: Channel): Promise<void>;
  onPluginClusterEvent?(context: PluginContext, event: PluginClusterEvent): Promise<void>;
}
