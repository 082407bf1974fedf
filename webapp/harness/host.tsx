// A stand-in for the Mattermost web app, just enough to load the real webapp/dist/main.js, and as
// strict as the host where the plugin could tell the difference:
// - the window globals the host shares (React, ReactDOM, Redux, ReactRedux), from either host
//   stack: React 18.2 / react-redux 9.2 / redux 5 (11.x) or, built with the 10.x aliases,
//   React 17.0.2 / react-redux 7.2 / redux 4.2 (see hostBundle in webapp.browser.test.ts);
// - a redux store with thunk middleware (extra argument `{loaders}`, as the host's), the host's
//   `entities` with only the current user loaded (RECEIVED_PROFILES_LIST adds more), preferences,
//   a current channel that may be '' (Threads), and the RHS state the host's actions change;
// - a registry that returns the host's RHS actions (show plain, hide and toggle thunks) and draws
//   what the plugin registers where the host does: the App Bar (only while enabled, and hidden
//   below 768 px), channel-header buttons (without those of plugins that have an App Bar item while
//   the App Bar shows) and their mobile-header twins below 768 px; posts through the host's
//   PostMessageView rules (formatting off: plain text; type from props.type; `{post, isRHS,
//   compactDisplay, theme}` with a real theme object), also in the RHS (pinned, search, thread);
//   message actions only on non-system posts with an item whose filter passes; the RHS popout.
// Tests drive it through window.harness. Bundled by the browser test with esbuild; never part of
// the plugin.
import React, { useEffect, useReducer, useState } from 'react';
import * as ReactDOM from 'react-dom';
import * as Redux from 'redux';
import * as ReactRedux from 'react-redux';
import Preferences from 'mattermost-redux/constants/preferences';
import type { PluginRegistry, RhsRegistration, SlashCommandArgs, WebSocketMessage } from '../src/types/registry';
import type { PopoutListeners } from '../src/popout';
import type { Channel, ChannelMembership } from '@mattermost/types/channels';
import { hostState, type HostEntities, type HostPost, type HostUser } from './fixtures';
import { mount } from './mount';

type AnyAction = Redux.Action & Record<string, unknown>;
type Component = React.ElementType;
type Theme = Record<string, string>;

declare global {
  interface Window {
    React: typeof React;
    ReactDOM: typeof ReactDOM;
    Redux: typeof Redux;
    ReactRedux: typeof ReactRedux;
    registerPlugin(id: string, plugin: { initialize(r: PluginRegistry, s: unknown): void; uninitialize?(): void }): void;
    harness: Harness;
  }
}

window.React = React;
window.ReactDOM = ReactDOM;
window.Redux = Redux;
window.ReactRedux = ReactRedux;

const params = new URLSearchParams(window.location.search);
const popoutWindow = params.get('popout') === '1';

// ---- theme: the host's theme object, applied as CSS variables the way its applyTheme does ----

const theme: Theme = (params.get('theme') === 'dark' ? Preferences.THEMES.onyx : Preferences.THEMES.denim) as unknown as Theme;
function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}`;
}
function applyTheme(t: Theme): void {
  const vars: Record<string, string> = {
    'center-channel-bg': t.centerChannelBg!,
    'center-channel-color': t.centerChannelColor!,
    'button-bg': t.buttonBg!,
    'button-color': t.buttonColor!,
    'link-color': t.linkColor!,
    'error-text': t.errorTextColor!,
    'online-indicator': t.onlineIndicator!,
    'away-indicator': t.awayIndicator!,
    'dnd-indicator': t.dndIndicator!,
    'sidebar-bg': t.sidebarBg!,
  };
  for (const [name, value] of Object.entries(vars)) {
    document.documentElement.style.setProperty(`--${name}`, value);
    document.documentElement.style.setProperty(`--${name}-rgb`, rgb(value));
  }
}
applyTheme(theme);

// ---- store: host entities + the RHS state + plugin reducers mounted as `plugins-<id>` ----

function entities(
  state: HostEntities = hostState({
    siteURL: `${window.location.origin}/mm`,
    disableAppBar: params.get('appbar') === 'disabled' ? 'true' : 'false',
    nameFormat: params.get('names') ?? undefined,
    clock24: params.get('clock') === '24',
    formattingOff: params.get('formatting') === 'off',
    timeZone: params.get('tz') ?? undefined,
    noChannel: params.get('channel') === 'none',
    teamAdmin: params.get('role') === 'team_admin',
  }),
  action: AnyAction,
): HostEntities {
  switch (action.type) {
    case 'HARNESS_SWITCH_CHANNEL':
      return { ...state, channels: { ...state.channels, currentChannelId: action.channelId as string } };
    case 'HARNESS_ADD_POST': {
      const post = action.post as HostPost;
      return { ...state, posts: { posts: { ...state.posts.posts, [post.id]: post }, order: [...state.posts.order, post.id] } };
    }
    case 'HARNESS_SET_CONFIG':
      return { ...state, general: { ...state.general, config: { ...state.general.config, ...(action.config as object) } } };
    // mattermost-redux's UserTypes.RECEIVED_PROFILES_LIST, as its users reducer merges it.
    case 'RECEIVED_PROFILES_LIST': {
      const profiles = { ...state.users.profiles };
      for (const user of action.data as HostUser[]) profiles[user.id] = user;
      return { ...state, users: { ...state.users, profiles } };
    }
    default:
      return state;
  }
}

/** The host's views.rhs: which RHS is open (a plugin's pluggable id, or one of the host's views). */
interface RhsState {
  state: 'plugin' | 'pin' | 'search' | 'thread' | null;
  pluggableId: string;
}
function rhs(state: RhsState = { state: popoutWindow ? 'plugin' : null, pluggableId: '' }, action: AnyAction): RhsState {
  if (action.type === 'UPDATE_RHS_STATE') return { state: action.state as RhsState['state'], pluggableId: (action.pluggableId as string | undefined) ?? '' };
  return state;
}

// The host's thunk middleware (redux-thunk with the `{loaders}` extra argument).
const loaders = {};
const thunk: Redux.Middleware = (api) => (next) => (action) =>
  typeof action === 'function' ? (action as (d: unknown, g: unknown, e: unknown) => unknown)(api.dispatch, () => api.getState() as unknown, { loaders }) : next(action);

const pluginReducers: Record<string, Redux.Reducer> = {};
const rootReducer = () => Redux.combineReducers({ entities, rhs, ...pluginReducers });
const store = Redux.createStore(rootReducer(), Redux.applyMiddleware(thunk));
type HostGlobal = { entities: HostEntities; rhs: RhsState };
const hostState_ = () => store.getState();

// The host's RHS actions (actions/views/rhs.ts): show is plain, hide and toggle are thunks.
const showRHSPlugin = (id: string) => ({ type: 'UPDATE_RHS_STATE', state: 'plugin', pluggableId: id });
const hideRHSPlugin = (id: string) => (dispatch: Redux.Dispatch, getState: () => HostGlobal) => {
  if (getState().rhs.state === 'plugin' && getState().rhs.pluggableId === id) dispatch({ type: 'UPDATE_RHS_STATE', state: null });
};
const toggleRHSPlugin = (id: string) => (dispatch: Redux.Dispatch, getState: () => HostGlobal) => {
  const open = getState().rhs.state === 'plugin' && getState().rhs.pluggableId === id;
  dispatch(open ? { type: 'UPDATE_RHS_STATE', state: null } : showRHSPlugin(id));
};

// ---- registry ----

interface Registered {
  rhs: Array<{ id: string; pluginId: string; component: Component; title: Component }>;
  appBar: Array<{ id: string; pluginId: string; iconUrl: string; action: (channel: Channel, member?: ChannelMembership) => void; tooltip: string }>;
  headerButtons: Array<{ id: string; pluginId: string; action: (channel: Channel, member?: ChannelMembership) => void; text: string }>;
  slashHooks: Array<{ id: string; hook: (m: string, a: SlashCommandArgs) => unknown }>;
  postMenu: Array<{ id: string; text: string; action: (postId: string) => void; filter?: (postId: string) => boolean }>;
  postTypes: Array<{ id: string; type: string; component: Component }>;
  popoutListeners: Record<string, (teamName: string, channelName: string | undefined, listeners: PopoutListeners) => void>;
  socket: Record<string, (msg: WebSocketMessage) => void>;
  reconnect: Array<() => void>;
  calls: string[];
}

const registered: Registered = { rhs: [], appBar: [], headerButtons: [], slashHooks: [], postMenu: [], postTypes: [], popoutListeners: {}, socket: {}, reconnect: [], calls: [] };
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((l) => l());
let nextId = 0;
const newId = () => `c${++nextId}`;

function makeRegistry(pluginId: string, appBar: boolean): PluginRegistry {
  const note = (name: string) => registered.calls.push(name);
  const registry: PluginRegistry = {
    registerRightHandSidebarComponent(component, title) {
      note('registerRightHandSidebarComponent');
      const id = newId();
      registered.rhs.push({ id, pluginId, component, title: title as Component });
      changed();
      const reg: RhsRegistration = { id, showRHSPlugin: showRHSPlugin(id), hideRHSPlugin: hideRHSPlugin(id) as never, toggleRHSPlugin: toggleRHSPlugin(id) as never };
      return reg;
    },
    registerChannelHeaderButtonAction(_icon, action, text) {
      note('registerChannelHeaderButtonAction');
      const id = newId();
      registered.headerButtons.push({ id, pluginId, action, text: typeof text === 'string' ? text : '' });
      changed();
      return id;
    },
    registerSlashCommandWillBePostedHook(hook) {
      note('registerSlashCommandWillBePostedHook');
      const id = newId();
      registered.slashHooks.push({ id, hook });
      return id;
    },
    registerPostDropdownMenuAction(text, action, filter) {
      note('registerPostDropdownMenuAction');
      const id = newId();
      registered.postMenu.push({ id, text: typeof text === 'string' ? text : '', action, filter });
      changed();
      return id;
    },
    registerPostTypeComponent(type, component) {
      note('registerPostTypeComponent');
      const id = newId();
      registered.postTypes.push({ id, type, component });
      changed();
      return id;
    },
    registerRHSPluginPopoutListener(id, onPopoutOpened) {
      note('registerRHSPluginPopoutListener');
      registered.popoutListeners[id] = onPopoutOpened;
    },
    registerWebSocketEventHandler(event, handler) {
      note('registerWebSocketEventHandler');
      registered.socket[event] = handler;
    },
    unregisterWebSocketEventHandler(event) {
      delete registered.socket[event];
    },
    registerReconnectHandler(handler) {
      note('registerReconnectHandler');
      registered.reconnect.push(handler);
    },
    unregisterReconnectHandler() {
      registered.reconnect = [];
    },
    registerReducer(reducer) {
      note('registerReducer');
      pluginReducers[`plugins-${pluginId}`] = reducer as Redux.Reducer;
      store.replaceReducer(rootReducer());
    },
    unregisterComponent(id) {
      for (const key of ['rhs', 'appBar', 'headerButtons', 'slashHooks', 'postMenu'] as const) {
        (registered[key] as Array<{ id: string }>) = (registered[key] as Array<{ id: string }>).filter((c) => c.id !== id);
      }
      changed();
    },
    unregisterPostTypeComponent(id) {
      registered.postTypes = registered.postTypes.filter((c) => c.id !== id);
      changed();
    },
  };
  if (appBar) {
    registry.registerAppBarComponent = (iconUrl, action, tooltip) => {
      note('registerAppBarComponent');
      const id = newId();
      registered.appBar.push({ id, pluginId, iconUrl, action: action ?? (() => undefined), tooltip: typeof tooltip === 'string' ? tooltip : '' });
      changed();
      return id;
    };
  }
  return registry;
}

// ---- the page ----

/** Re-renders on every registry change (React 17 has no useSyncExternalStore). */
function useRegistered(): Registered {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    listeners.add(bump);
    // A registration between the first render and this subscription is not missed.
    bump();
    return () => void listeners.delete(bump);
  }, []);
  return registered;
}

const useHost = <T,>(select: (s: HostGlobal) => T): T => ReactRedux.useSelector((s: unknown) => select(s as HostGlobal));
const appBarEnabled = (s: HostGlobal) => s.entities.general.config.DisableAppBar === 'false';
const preference = (s: HostGlobal, key: string) => s.entities.preferences.myPreferences[key]?.value;
/** The host's post utils: system messages are the `system_` types. */
const isSystemMessage = (post: HostPost) => post.type.startsWith('system_');

function PostMenu({ post }: { post: HostPost }) {
  const reg = useRegistered();
  const [open, setOpen] = useState(false);
  // The host's ActionsMenu: nothing on system messages, nothing when every item is filtered out.
  const items = isSystemMessage(post) ? [] : reg.postMenu.filter((m) => !m.filter || m.filter(post.id));
  if (items.length === 0) return null;
  return (
    <>
      <button className='post-menu-button' aria-label={`Message actions for ${post.id}`} onClick={() => setOpen(!open)}>
        ⋯
      </button>
      {open && (
        <ul className='post-menu' role='menu'>
          {items.map((m) => (
            <li key={m.id}>
              <button
                role='menuitem'
                onClick={() => {
                  setOpen(false);
                  m.action(post.id);
                }}
              >
                {m.text}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** As the host's PostMessageView: plain text with formatting off, else the plugin's post type. */
function PostBody({ post, isRHS }: { post: HostPost; isRHS: boolean }) {
  const reg = useRegistered();
  const formatting = useHost((s) => preference(s, 'advanced_settings--formatting') !== 'false');
  if (!formatting) return <span className='post-message'>{post.message}</span>;
  const propsType: unknown = post.props?.type;
  const type = typeof propsType === 'string' ? propsType : post.type;
  const Body = [...reg.postTypes].reverse().find((t) => t.type === type)?.component;
  return Body ? <Body post={post} theme={theme} isRHS={isRHS} compactDisplay={false} /> : <div className='post-message'>{post.message}</div>;
}

function PostView({ post, isRHS = false }: { post: HostPost; isRHS?: boolean }) {
  return (
    <div className='post' data-post-id={post.id} data-system={isSystemMessage(post) ? 'true' : undefined}>
      <div className='post-head'>
        <b>@{post.username}</b>
        {!isRHS && <PostMenu post={post} />}
      </div>
      <PostBody post={post} isRHS={isRHS} />
    </div>
  );
}

function openPopout(pluginId: string, teamName: string, channelName: string | undefined): void {
  const url = new URL(window.location.href);
  url.searchParams.set('popout', '1');
  const popup = window.open(url.toString(), 'infra-ops-popout', 'width=420,height=800');
  if (!popup) return;
  const popoutListeners: PopoutListeners = {
    sendToPopout: (channel, ...args) => popup.postMessage({ harnessPopout: 'to-popout', channel, args }, window.location.origin),
    onMessageFromPopout: (listener) =>
      window.addEventListener('message', (e: MessageEvent<{ harnessPopout?: string; channel: string; args: unknown[] }>) => {
        if (e.source === popup && e.data?.harnessPopout === 'to-parent') listener(e.data.channel, ...e.data.args);
      }),
  };
  registered.popoutListeners[pluginId]?.(teamName, channelName, popoutListeners);
}

function RhsSlot() {
  const reg = useRegistered();
  const view = useHost((s) => s.rhs);
  const posts = useHost((s) => s.entities.posts);
  const teamName = useHost((s) => s.entities.teams.teams[s.entities.teams.currentTeamId]?.name ?? '');
  const channelName = useHost((s) => s.entities.channels.channels[s.entities.channels.currentChannelId]?.name);
  if (view.state === 'pin' || view.state === 'search' || view.state === 'thread') {
    // The host's own RHS views draw posts (our card among them) with isRHS and the theme.
    const shown = posts.order.map((id) => posts.posts[id]!).filter((p) => view.state !== 'pin' || p.type === 'custom_infra_incident');
    return (
      <aside className='rhs' data-testid='rhs-slot' data-view={view.state}>
        <div className='rhs-title'>{{ pin: 'Pinned messages', search: 'Search results', thread: 'Thread' }[view.state]}</div>
        <div className='rhs-body'>
          {shown.map((p) => (
            <PostView key={p.id} post={p} isRHS />
          ))}
        </div>
      </aside>
    );
  }
  const entry = view.state === 'plugin' ? (reg.rhs.find((r) => r.id === view.pluggableId) ?? (popoutWindow ? reg.rhs[0] : undefined)) : undefined;
  const Title = entry?.title;
  const Rhs = entry?.component;
  return (
    <aside className='rhs' data-testid='rhs-slot'>
      {Rhs && Title && entry && (
        <>
          <div className='rhs-title'>
            <Title />
            {!popoutWindow && React.version.startsWith('18') && (
              // 11.x's "open in new window" button on a plugin RHS (rhs_plugin.tsx); 10.x has none.
              <button className='rhs-popout' aria-label='Open in new window' onClick={() => openPopout(entry.pluginId, teamName, channelName)}>
                ⧉
              </button>
            )}
          </div>
          <div className='rhs-body'>
            <Rhs theme={theme} />
          </div>
        </>
      )}
    </aside>
  );
}

function App() {
  const reg = useRegistered();
  const posts = useHost((s) => s.entities.posts);
  const channel = useHost((s) => s.entities.channels.channels[s.entities.channels.currentChannelId]);
  const enabled = useHost(appBarEnabled);
  if (popoutWindow) return <RhsSlot />;
  // getChannelHeaderPluginComponents: while the App Bar is on, no header button for a plugin that has an App Bar item.
  const appBarPlugins = enabled ? reg.appBar.map((a) => a.pluginId) : [];
  const headerButtons = reg.headerButtons.filter((b) => !appBarPlugins.includes(b.pluginId));
  const showAppBar = enabled && (reg.appBar.length > 0 || headerButtons.length > 0);
  // The host fires header actions with (channel, member); the App Bar (11.7.2) only with both set.
  const fire = (action: (c: Channel, m?: ChannelMembership) => void, needsChannel: boolean) => {
    if (needsChannel && !channel) return;
    action(channel as unknown as Channel, channel ? ({ channel_id: channel.id } as ChannelMembership) : undefined);
  };
  return (
    <div className={`layout${showAppBar ? ' with-app-bar' : ''}`}>
      <main className='center'>
        <header className='channel-header'>
          <span>{channel ? `~${channel.name}` : 'Threads'}</span>
          {headerButtons.map((b) => (
            <button key={b.id} className='header-button' onClick={() => fire(b.action, false)}>
              {b.text}
            </button>
          ))}
        </header>
        {/* Below 768 px the host swaps in its mobile header with every MobileChannelHeaderButton. */}
        <header className='mobile-header' aria-label='Mobile channel header'>
          <span>{channel ? `~${channel.name}` : 'Threads'}</span>
          {reg.headerButtons.map((b) => (
            <button key={b.id} className='mobile-header-button' onClick={() => fire(b.action, false)}>
              {b.text}
            </button>
          ))}
        </header>
        <div className='posts'>
          {channel && posts.order.map((id) => <PostView key={id} post={posts.posts[id]!} />)}
        </div>
      </main>
      <RhsSlot />
      {showAppBar && (
        <nav className='app-bar' aria-label='App Bar'>
          {reg.appBar.map((a) => (
            <button key={a.id} className='app-bar-icon' title={a.tooltip} aria-label={a.tooltip} onClick={() => fire(a.action, true)}>
              <img src={a.iconUrl} alt='' width={24} height={24} />
            </button>
          ))}
        </nav>
      )}
    </div>
  );
}

// ---- the popout window's side of the host's popout channel (window.WebappUtils.popouts) ----

if (popoutWindow) {
  window.WebappUtils = {
    popouts: {
      isPopoutWindow: () => true,
      sendToParent: (channel, ...args) => (window.opener as Window | null)?.postMessage({ harnessPopout: 'to-parent', channel, args }, window.location.origin),
      onMessageFromParent: (listener) =>
        window.addEventListener('message', (e: MessageEvent<{ harnessPopout?: string; channel: string; args: unknown[] }>) => {
          if (e.source === window.opener && e.data?.harnessPopout === 'to-popout') listener(e.data.channel, ...e.data.args);
        }),
    },
  };
}

// ---- test API ----

interface Harness {
  ready: boolean;
  reactVersion: string;
  calls: () => string[];
  socketEvents: () => string[];
  fireWebSocket: (event: string, payload: unknown) => void;
  reconnect: () => void;
  slash: (message: string) => Promise<unknown>;
  addPost: (post: HostPost) => void;
  /** The user moves to another channel of the team ('' for none, as the Threads view), as the host's channel switcher does. */
  switchChannel: (channelId: string) => void;
  /** An admin changes a client config value (e.g. DisableAppBar) while the page is open. */
  setConfig: (config: Record<string, string>) => void;
  /** The host opens one of its own RHS views. */
  showRhsView: (view: 'pin' | 'search' | 'thread') => void;
  pluginState: () => unknown;
  profiles: () => string[];
  uninitialize: () => void;
  registeredCounts: () => Record<string, number>;
}

let plugin: { initialize(r: PluginRegistry, s: unknown): void; uninitialize?(): void } | undefined;

window.registerPlugin = (id, p) => {
  plugin = p;
  p.initialize(makeRegistry(id, params.get('appbar') !== 'off'), store);
  window.harness.ready = true;
};

window.harness = {
  ready: false,
  reactVersion: React.version,
  calls: () => [...registered.calls],
  socketEvents: () => Object.keys(registered.socket).sort(),
  fireWebSocket: (event, payload) => {
    const handler = registered.socket[event];
    if (!handler) throw new Error(`no handler for ${event}`);
    handler({ event, data: { data: JSON.stringify(payload) }, broadcast: {}, seq: 1 });
  },
  reconnect: () => registered.reconnect.forEach((h) => h()),
  slash: async (message) => {
    const { entities: host } = hostState_();
    const args: SlashCommandArgs = { channel_id: host.channels.currentChannelId, team_id: host.teams.currentTeamId };
    let result: unknown = { message, args };
    for (const { hook } of registered.slashHooks) {
      result = await hook(message, args);
      if (!result || typeof result !== 'object' || !('message' in result)) break;
    }
    return result;
  },
  addPost: (post) => store.dispatch({ type: 'HARNESS_ADD_POST', post }),
  switchChannel: (channelId) => store.dispatch({ type: 'HARNESS_SWITCH_CHANNEL', channelId }),
  setConfig: (config) => store.dispatch({ type: 'HARNESS_SET_CONFIG', config }),
  showRhsView: (view) => store.dispatch({ type: 'UPDATE_RHS_STATE', state: view }),
  pluginState: () => (store.getState() as Record<string, unknown>)['plugins-infra-ops'],
  profiles: () => Object.keys(hostState_().entities.users.profiles).sort(),
  uninitialize: () => plugin?.uninitialize?.(),
  registeredCounts: () => ({
    rhs: registered.rhs.length,
    appBar: registered.appBar.length,
    headerButtons: registered.headerButtons.length,
    slashHooks: registered.slashHooks.length,
    postMenu: registered.postMenu.length,
    postTypes: registered.postTypes.length,
    socket: Object.keys(registered.socket).length,
    reconnect: registered.reconnect.length,
  }),
};

mount(
  <ReactRedux.Provider store={store}>
    <App />
  </ReactRedux.Provider>,
  document.getElementById('root')!,
);
