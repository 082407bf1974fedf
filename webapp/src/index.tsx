// Registers the plugin's parts with the host web app and undoes everything on uninitialize.
// Behaviour lives in the modules imported here; this file only wires them together.
import React from 'react';
import type { Action, Dispatch } from 'redux';
import type { GlobalState } from '@mattermost/types/store';
import { reconnected } from './actions';
import { APP_BAR_ICON_URL } from './app_bar_icon';
import * as client from './client';
import { IncidentCard } from './components/incident_card';
import { Sidebar, SidebarTitle } from './components/sidebar';
import { INCIDENT_POST_TYPE, PLUGIN_ID, wsEventName, type EventName } from './contract';
import { addIdeaFromPost } from './pick/add_from_post';
import { postMenuActions } from './post_actions';
import { reducer } from './reducer';
import { ProfileLoader, setProfileLoader } from './people/profiles';
import { answerPopout, followOpener } from './popout';
import { getCurrentTeamId, getOpenIncident, getPost, getRhsTab, getSiteURL } from './selectors';
import { setSidebarRegistration, showDeclareForm, showSidebar, toggleSidebar } from './sidebar_control';
import { slashCommandHook } from './slash_commands';
import { injectStyles } from './styles';
import type { HostStore, PluginRegistry } from './types/registry';
import { websocketHandlers } from './websocket_events';

const warn = (message: string, detail?: unknown): void => console.warn(`[${PLUGIN_ID}] ${message}`, detail ?? '');

export default class Plugin {
  private cleanups: Array<() => void> = [];

  initialize(registry: PluginRegistry, store: HostStore): void {
    const dispatch = store.dispatch as Dispatch<Action>;
    const state = () => store.getState() as GlobalState;
    const sitePath = () => client.sitePath(getSiteURL(state()));
    client.setSiteURL(getSiteURL(state()));
    this.cleanups.push(injectStyles());

    registry.registerReducer(reducer as (state: unknown, action: Action) => unknown);

    const rhs = registry.registerRightHandSidebarComponent(Sidebar, SidebarTitle);
    setSidebarRegistration(rhs);
    this.cleanups.push(() => setSidebarRegistration(undefined));
    this.track(registry, rhs.id);

    // Both launchers, always. The host draws the App Bar icon while the App Bar is on and then
    // hides our channel-header button (getChannelHeaderPluginComponents); with the App Bar off, or
    // below 768 px where the App Bar is hidden, the header button and its mobile-header twin
    // (registered by the same call) are the way in. The host re-decides whenever DisableAppBar
    // changes, so nothing is frozen at start-up.
    const toggle = () => toggleSidebar(dispatch);
    if (typeof registry.registerAppBarComponent === 'function') {
      this.track(registry, registry.registerAppBarComponent(APP_BAR_ICON_URL, toggle, 'Infra Ops'));
    }
    const icon = <img src={APP_BAR_ICON_URL} alt='' width={18} height={18} />;
    this.track(registry, registry.registerChannelHeaderButtonAction(icon, toggle, 'Infra Ops', 'Open Infra Ops'));

    // Names of people the host has not loaded, fetched on demand into the host's store.
    setProfileLoader(new ProfileLoader({ dispatch, known: (id) => Boolean(state().entities.users.profiles[id]), siteURL: () => getSiteURL(state()), warn }));
    this.cleanups.push(() => setProfileLoader(undefined));

    // A popped-out sidebar opens on the tab (and incident) the user had open here.
    registry.registerRHSPluginPopoutListener?.(PLUGIN_ID, (_team, _channel, listeners) =>
      answerPopout(listeners, () => ({ tab: getRhsTab(state()), incident: getOpenIncident(state()) })),
    );
    followOpener(window.WebappUtils?.popouts, dispatch);

    this.track(
      registry,
      registry.registerSlashCommandWillBePostedHook(
        slashCommandHook({
          openPickBoard: () => showSidebar(dispatch, 'pick'),
          openDeclareForm: () => showDeclareForm(dispatch, { title: '', summary: '' }),
        }),
      ),
    );

    const menu = postMenuActions({
      getPost: (postId) => getPost(state(), postId),
      permalink: (postId) => `${window.location.origin}${sitePath()}/_redirect/pl/${postId}`,
      openDeclareForm: (draft) => showDeclareForm(dispatch, draft),
      addIdea: (channelId, title) => addIdeaFromPost(dispatch, getCurrentTeamId(state()), channelId, title),
      warn,
    });
    for (const item of menu) this.track(registry, registry.registerPostDropdownMenuAction(item.text, item.action, item.filter));

    const postType = registry.registerPostTypeComponent(INCIDENT_POST_TYPE, IncidentCard);
    this.cleanups.push(() => registry.unregisterPostTypeComponent?.(postType));

    const handlers = websocketHandlers({
      dispatch,
      fetchIncident: client.getIncident,
      fetchIdea: (ref) => client.getIdea(ref.teamId, ref.number),
      fetchRfc: (ref) => client.getRfc(ref.teamId, ref.number),
      fetchGuild: (ref) => client.getGuild(ref.teamId, ref.slug),
      fetchRun: (ref) => client.getRun(ref.teamId, ref.number),
      // Only the team being looked at: the event goes to the user on every tab and team.
      openPickBoard: (teamId) => teamId === getCurrentTeamId(state()) && showSidebar(dispatch, 'pick'),
      warn,
    });
    for (const [event, handler] of Object.entries(handlers) as Array<[EventName, (typeof handlers)[EventName]]>) {
      if (!handler) continue;
      registry.registerWebSocketEventHandler(wsEventName(event), handler);
      this.cleanups.push(() => registry.unregisterWebSocketEventHandler?.(wsEventName(event)));
    }
    registry.registerReconnectHandler(() => dispatch(reconnected()));
    this.cleanups.push(() => registry.unregisterReconnectHandler?.());
  }

  uninitialize(): void {
    // Undo newest first: components, socket handlers, module state, the style sheet. The host also
    // drops registrations on removal, but an upgrade re-registers into the same page.
    for (const cleanup of this.cleanups.reverse()) {
      try {
        cleanup();
      } catch (err) {
        warn('cleanup failed', err);
      }
    }
    this.cleanups = [];
  }

  private track(registry: PluginRegistry, id: string): void {
    this.cleanups.push(() => registry.unregisterComponent?.(id));
  }
}

declare global {
  interface Window {
    registerPlugin(id: string, plugin: Plugin): void;
  }
}

window.registerPlugin(PLUGIN_ID, new Plugin());
