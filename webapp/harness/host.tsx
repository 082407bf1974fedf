// A stand-in for the Mattermost web app, just enough to load the real webapp/dist/main.js: the
// window globals the host shares (React, ReactDOM, Redux, ReactRedux), a redux store with the
// `entities` the plugin reads, and a registry that renders what the plugin registers into fixed
// slots (App Bar, center channel posts with their "..." menus, right-hand sidebar). Tests drive it
// through window.harness. Bundled by the browser test with esbuild; never part of the plugin.
import React, { useState, useSyncExternalStore } from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as Redux from 'redux';
import * as ReactRedux from 'react-redux';
import type { PluginRegistry, RhsRegistration, SlashCommandArgs, WebSocketMessage } from '../src/types/registry';
import type { Channel } from '@mattermost/types/channels';
import { hostState, type HostEntities, type HostPost } from './fixtures';

type AnyAction = Redux.UnknownAction;
type Component = React.ElementType;

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

// ---- store: host entities + the RHS slot + plugin reducers mounted as `plugins-<id>` ----

const params = new URLSearchParams(window.location.search);

// ?appbar=off: a host without the App Bar API; ?appbar=disabled: the API, switched off in config.
function entities(
  state: HostEntities = hostState(`${window.location.origin}/mm`, params.get('appbar') === 'disabled' ? 'true' : 'false'),
  action: AnyAction,
): HostEntities {
  if (action.type === 'HARNESS_SWITCH_CHANNEL') {
    return { ...state, channels: { ...state.channels, currentChannelId: action.channelId as string } };
  }
  if (action.type === 'HARNESS_ADD_POST') {
    const post = action.post as HostPost;
    return { ...state, posts: { posts: { ...state.posts.posts, [post.id]: post }, order: [...state.posts.order, post.id] } };
  }
  return state;
}

function rhs(state: string | null = null, action: AnyAction): string | null {
  switch (action.type) {
    case 'HARNESS_SHOW_RHS':
      return action.id as string;
    case 'HARNESS_HIDE_RHS':
      return null;
    case 'HARNESS_TOGGLE_RHS':
      return state === action.id ? null : (action.id as string);
    default:
      return state;
  }
}

const pluginReducers: Record<string, Redux.Reducer> = {};
const rootReducer = () => Redux.combineReducers({ entities, rhs, ...pluginReducers });
const store = Redux.createStore(rootReducer());

// ---- registry ----

interface Registered {
  rhs: Array<{ id: string; component: Component; title: Component }>;
  appBar: Array<{ id: string; iconUrl: string; action: (channel: Channel) => void; tooltip: string }>;
  headerButtons: Array<{ id: string; action: (channel: Channel) => void; text: string }>;
  slashHooks: Array<{ id: string; hook: (m: string, a: SlashCommandArgs) => unknown }>;
  postMenu: Array<{ id: string; text: string; action: (postId: string) => void; filter?: (postId: string) => boolean }>;
  postTypes: Array<{ id: string; type: string; component: Component }>;
  socket: Record<string, (msg: WebSocketMessage) => void>;
  reconnect: Array<() => void>;
  calls: string[];
}

const registered: Registered = { rhs: [], appBar: [], headerButtons: [], slashHooks: [], postMenu: [], postTypes: [], socket: {}, reconnect: [], calls: [] };
const listeners = new Set<() => void>();
let version = 0;
const changed = () => {
  version++;
  listeners.forEach((l) => l());
};
let nextId = 0;
const newId = () => `c${++nextId}`;

function makeRegistry(pluginId: string, appBar: boolean): PluginRegistry {
  const note = (name: string) => registered.calls.push(name);
  const registry: PluginRegistry = {
    registerRightHandSidebarComponent(component, title) {
      note('registerRightHandSidebarComponent');
      const id = newId();
      registered.rhs.push({ id, component, title: title as Component });
      changed();
      const reg: RhsRegistration = {
        id,
        showRHSPlugin: { type: 'HARNESS_SHOW_RHS', id } as Redux.Action,
        hideRHSPlugin: { type: 'HARNESS_HIDE_RHS', id } as Redux.Action,
        toggleRHSPlugin: { type: 'HARNESS_TOGGLE_RHS', id } as Redux.Action,
      };
      return reg;
    },
    registerChannelHeaderButtonAction(_icon, action, text) {
      note('registerChannelHeaderButtonAction');
      const id = newId();
      registered.headerButtons.push({ id, action, text: typeof text === 'string' ? text : '' });
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
      registered.appBar.push({ id, iconUrl, action: action ?? (() => undefined), tooltip: typeof tooltip === 'string' ? tooltip : '' });
      changed();
      return id;
    };
  }
  return registry;
}

// ---- the page ----

// useSyncExternalStore, so a registration made between the first render and the subscription
// (the plugin script runs right after this one) is not missed.
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};
function useRegistered(): Registered {
  useSyncExternalStore(subscribe, () => version);
  return registered;
}

function PostView({ post }: { post: HostPost }) {
  const reg = useRegistered();
  const [menuOpen, setMenuOpen] = useState(false);
  const custom = [...reg.postTypes].reverse().find((t) => t.type === post.type);
  const Body = custom?.component;
  const items = reg.postMenu.filter((m) => !m.filter || m.filter(post.id));
  return (
    <div className='post' data-post-id={post.id}>
      <div className='post-head'>
        <b>@{post.username}</b>
        <button className='post-menu-button' aria-label={`Message actions for ${post.id}`} onClick={() => setMenuOpen(!menuOpen)}>
          ...
        </button>
      </div>
      {menuOpen && (
        <ul className='post-menu' role='menu'>
          {items.map((m) => (
            <li key={m.id}>
              <button
                role='menuitem'
                onClick={() => {
                  setMenuOpen(false);
                  m.action(post.id);
                }}
              >
                {m.text}
              </button>
            </li>
          ))}
        </ul>
      )}
      {Body ? <Body post={post} theme={{}} /> : <div className='post-message'>{post.message}</div>}
    </div>
  );
}

function App() {
  const reg = useRegistered();
  const openRhs = ReactRedux.useSelector((s: { rhs: string | null }) => s.rhs);
  const posts = ReactRedux.useSelector((s: { entities: HostEntities }) => s.entities.posts);
  const channel = ReactRedux.useSelector((s: { entities: HostEntities }) => s.entities.channels.channels[s.entities.channels.currentChannelId]);
  const rhsEntry = reg.rhs.find((r) => r.id === openRhs);
  const Title = rhsEntry?.title;
  const Rhs = rhsEntry?.component;
  return (
    <div className='layout'>
      <main className='center'>
        <header className='channel-header'>
          <span>~{channel?.name}</span>
          {reg.headerButtons.map((b) => (
            <button key={b.id} className='header-button' onClick={() => b.action(channel as unknown as Channel)}>
              {b.text}
            </button>
          ))}
        </header>
        <div className='posts'>
          {posts.order.map((id) => (
            <PostView key={id} post={posts.posts[id]!} />
          ))}
        </div>
      </main>
      <aside className='rhs' data-testid='rhs-slot'>
        {Rhs && Title && (
          <>
            <div className='rhs-title'>
              <Title />
            </div>
            <div className='rhs-body'>
              <Rhs theme={{}} />
            </div>
          </>
        )}
      </aside>
      <nav className='app-bar' aria-label='App Bar'>
        {reg.appBar.map((a) => (
          <button key={a.id} className='app-bar-icon' title={a.tooltip} aria-label={a.tooltip} onClick={() => a.action(channel as unknown as Channel)}>
            <img src={a.iconUrl} alt='' width={24} height={24} />
          </button>
        ))}
      </nav>
    </div>
  );
}

// ---- test API ----

interface Harness {
  ready: boolean;
  calls: () => string[];
  socketEvents: () => string[];
  fireWebSocket: (event: string, payload: unknown) => void;
  reconnect: () => void;
  slash: (message: string) => Promise<unknown>;
  addPost: (post: HostPost) => void;
  /** The user moves to another channel of the team, as the host's channel switcher does. */
  switchChannel: (channelId: string) => void;
  pluginState: () => unknown;
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
  calls: () => [...registered.calls],
  socketEvents: () => Object.keys(registered.socket).sort(),
  fireWebSocket: (event, payload) => {
    const handler = registered.socket[event];
    if (!handler) throw new Error(`no handler for ${event}`);
    handler({ event, data: { data: JSON.stringify(payload) }, broadcast: {}, seq: 1 });
  },
  reconnect: () => registered.reconnect.forEach((h) => h()),
  slash: async (message) => {
    // Plugin reducers are added at run time, so the store's state type is loose; entities are ours.
    const { entities: host } = store.getState() as { entities: HostEntities };
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
  pluginState: () => (store.getState() as Record<string, unknown>)['plugins-infra-ops'],
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

createRoot(document.getElementById('root')!).render(
  <ReactRedux.Provider store={store}>
    <App />
  </ReactRedux.Provider>,
);
