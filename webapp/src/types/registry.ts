// The part of the host's PluginRegistry this plugin uses. @mattermost/types does not export the
// registry (mattermost/mattermost#15692), so it is declared here, positional form only, with the
// drift the research found fixed (post menu actions receive a post id; header actions may get no
// member). Newer or optional methods are marked `?` and feature-detected at registration.
import type React from 'react';
import type { Channel, ChannelMembership } from '@mattermost/types/channels';
import type { Post } from '@mattermost/types/posts';
import type { Theme } from 'mattermost-redux/selectors/entities/preferences';
import type { Action, Store } from 'redux';
import type { PopoutListeners } from '../popout';

/** A React element or a component type; the host creates elements from types itself. */
export type ReactResolvable = React.ReactNode | React.JSXElementConstructor<never>;

export interface WebSocketMessage<T = unknown> {
  event: string;
  data: T;
  broadcast?: { channel_id?: string; team_id?: string; user_id?: string };
  seq?: number;
}

/** A thunk: the host's store runs it through its thunk middleware. */
export type HostThunk = (dispatch: (action: Action | HostThunk) => unknown, getState: () => unknown, extra?: unknown) => unknown;

/** What the host returns for the RHS: show is a plain action, hide and toggle are thunks (actions/views/rhs.ts). */
export interface RhsRegistration {
  id: string;
  showRHSPlugin: Action | HostThunk;
  hideRHSPlugin: Action | HostThunk;
  toggleRHSPlugin: Action | HostThunk;
}

export interface SlashCommandArgs {
  channel_id: string;
  team_id: string;
  root_id?: string;
}

export type SlashCommandHookResult = { message: string; args: SlashCommandArgs } | { error: { message: string } } | Record<string, never>;

export interface PostTypeProps {
  post: Post;
  compactDisplay?: boolean;
  isRHS?: boolean;
  theme?: Theme;
}

export interface PluginRegistry {
  registerRightHandSidebarComponent(component: React.ElementType, title: ReactResolvable): RhsRegistration;
  registerAppBarComponent?(
    iconUrl: string,
    action: ((channel: Channel, member?: ChannelMembership) => void) | null,
    tooltipText: ReactResolvable,
  ): string;
  registerChannelHeaderButtonAction(
    icon: ReactResolvable,
    action: (channel: Channel, member?: ChannelMembership) => void,
    dropdownText: ReactResolvable,
    tooltipText: ReactResolvable,
  ): string;
  registerSlashCommandWillBePostedHook(
    hook: (message: string, args: SlashCommandArgs) => SlashCommandHookResult | Promise<SlashCommandHookResult>,
  ): string;
  registerPostDropdownMenuAction(text: ReactResolvable, action: (postId: string) => void, filter?: (postId: string) => boolean): string;
  registerPostTypeComponent(type: string, component: React.ElementType<PostTypeProps>): string;
  /** 11.x: called when the user pops our sidebar out into its own window. */
  registerRHSPluginPopoutListener?(pluginId: string, onPopoutOpened: (teamName: string, channelName: string | undefined, listeners: PopoutListeners) => void): void;
  registerWebSocketEventHandler(event: string, handler: (msg: WebSocketMessage) => void): void;
  unregisterWebSocketEventHandler?(event: string): void;
  registerReconnectHandler(handler: () => void): void;
  unregisterReconnectHandler?(): void;
  registerReducer(reducer: (state: unknown, action: Action) => unknown): void;
  unregisterComponent?(id: string): void;
  unregisterPostTypeComponent?(id: string): void;
}

/** The host's store as the plugin sees it: dispatch actions (and the host's thunks), read the global state. */
export type HostStore = Pick<Store, 'dispatch' | 'getState' | 'subscribe'>;
