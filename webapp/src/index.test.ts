// initialize() against a recording registry: what is registered, the App Bar fallback, and that
// uninitialize undoes it all (the GitLab plugin's precedent for testing registration).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { PluginRegistry, RhsRegistration } from './types/registry';

interface Recorded {
  calls: Array<[string, unknown[]]>;
  /** Component ids handed out by register* calls. */
  ids: string[];
  unregistered: string[];
  dispatched: unknown[];
}

function fakeDocument() {
  const elements = new Map<string, { id: string; textContent: string; remove(): void }>();
  return {
    elements,
    getElementById: (id: string) => elements.get(id) ?? null,
    createElement: () => {
      const el = { id: '', textContent: '', remove: () => elements.delete(el.id) };
      return el;
    },
    head: { appendChild: (el: { id: string; textContent: string; remove(): void }) => elements.set(el.id, el) },
    cookie: '',
  };
}

function recordingRegistry(withAppBar: boolean): { registry: PluginRegistry; rec: Recorded } {
  const rec: Recorded = { calls: [], ids: [], unregistered: [], dispatched: [] };
  let n = 0;
  const record =
    (name: string, result: () => unknown = () => `id-${++n}`) =>
    (...args: unknown[]) => {
      rec.calls.push([name, args]);
      const value = result();
      if (typeof value === 'string') rec.ids.push(value);
      return value;
    };
  const rhs: RhsRegistration = { id: 'rhs-1', showRHSPlugin: { type: 'SHOW' }, hideRHSPlugin: { type: 'HIDE' }, toggleRHSPlugin: { type: 'TOGGLE' } };
  const registry = {
    registerRightHandSidebarComponent: record('registerRightHandSidebarComponent', () => rhs),
    registerChannelHeaderButtonAction: record('registerChannelHeaderButtonAction'),
    registerSlashCommandWillBePostedHook: record('registerSlashCommandWillBePostedHook'),
    registerPostDropdownMenuAction: record('registerPostDropdownMenuAction'),
    registerPostTypeComponent: record('registerPostTypeComponent'),
    registerWebSocketEventHandler: record('registerWebSocketEventHandler', () => undefined),
    unregisterWebSocketEventHandler: (e: string) => rec.unregistered.push(`ws:${e}`),
    registerReconnectHandler: record('registerReconnectHandler', () => undefined),
    unregisterReconnectHandler: () => rec.unregistered.push('reconnect'),
    registerReducer: record('registerReducer', () => undefined),
    unregisterComponent: (id: string) => rec.unregistered.push(id),
    unregisterPostTypeComponent: (id: string) => rec.unregistered.push(`post:${id}`),
    ...(withAppBar ? { registerAppBarComponent: record('registerAppBarComponent') } : {}),
  } as PluginRegistry;
  return { registry, rec };
}

type PluginLike = { initialize(r: PluginRegistry, s: unknown): void; uninitialize(): void };
let plugin: PluginLike | undefined;
const doc = fakeDocument();

before(async () => {
  const g = globalThis as Record<string, unknown>;
  g.document = doc;
  g.window = {
    location: { origin: 'http://localhost' },
    registerPlugin: (id: string, p: PluginLike) => {
      assert.equal(id, 'infra-ops');
      plugin = p;
    },
  };
  await import('./index');
});

function init(withAppBar: boolean, disableAppBar = 'false') {
  const { registry, rec } = recordingRegistry(withAppBar);
  const store = {
    getState: () => ({ entities: { general: { config: { SiteURL: 'http://localhost/mm', DisableAppBar: disableAppBar } }, teams: { currentTeamId: 't' }, posts: { posts: {} } } }),
    dispatch: (a: unknown) => {
      rec.dispatched.push(a);
      return a;
    },
    subscribe: () => () => undefined,
  };
  plugin!.initialize(registry, store);
  return rec;
}

const names = (rec: Recorded) => rec.calls.map(([n]) => n);

describe('Plugin', () => {
  it('registers with window.registerPlugin under the manifest id', () => {
    assert.ok(plugin);
  });

  it('registers the sidebar, App Bar icon, hooks, post menu, card, socket events and reducer', () => {
    const rec = init(true);
    const called = names(rec);
    for (const n of ['registerReducer', 'registerRightHandSidebarComponent', 'registerAppBarComponent', 'registerSlashCommandWillBePostedHook', 'registerPostTypeComponent', 'registerReconnectHandler']) {
      assert.ok(called.includes(n), n);
    }
    // Both launchers: the host hides the header button where our App Bar icon shows, and only the
    // header button also gives the mobile-web header (and windows below 768 px) a way in.
    assert.ok(called.includes('registerChannelHeaderButtonAction'), 'a header button as well as the App Bar icon');
    const menu = rec.calls.filter(([n]) => n === 'registerPostDropdownMenuAction').map(([, a]) => a[0]);
    assert.deepEqual(menu, ['Declare incident from message', 'Add as PICK idea']);
    const postType = rec.calls.find(([n]) => n === 'registerPostTypeComponent')!;
    assert.equal(postType[1][0], 'custom_infra_incident');
    const events = rec.calls.filter(([n]) => n === 'registerWebSocketEventHandler').map(([, a]) => a[0]);
    assert.deepEqual(events.sort(), [
      'custom_infra-ops_guild_changed',
      'custom_infra-ops_incident_declared',
      'custom_infra-ops_incident_updated',
      'custom_infra-ops_pick_board_opened',
      'custom_infra-ops_pick_idea_changed',
      'custom_infra-ops_rfc_changed',
      'custom_infra-ops_run_changed',
    ]);
    assert.ok(doc.elements.has('infra-ops-styles'), 'styles injected');

    // The App Bar icon toggles the sidebar through the action the host returned.
    const appBar = rec.calls.find(([n]) => n === 'registerAppBarComponent')!;
    assert.match(String(appBar[1][0]), /^data:image\/svg\+xml/);
    (appBar[1][1] as () => void)();
    assert.deepEqual(rec.dispatched.at(-1), { type: 'TOGGLE' });

    plugin!.uninitialize();
    assert.ok(!doc.elements.has('infra-ops-styles'), 'styles removed');
    assert.ok(rec.unregistered.includes('rhs-1'));
    assert.ok(rec.unregistered.includes('reconnect'));
    assert.equal(rec.unregistered.filter((u) => u.startsWith('ws:')).length, 7);
    assert.equal(rec.unregistered.filter((u) => u.startsWith('post:')).length, 1);
    // Every component id handed out was given back.
    for (const id of rec.ids) assert.ok(rec.unregistered.includes(id) || rec.unregistered.includes(`post:${id}`), id);
  });

  it('registers the same launchers whatever the App Bar setting is (the host picks which to draw, live)', () => {
    for (const disabled of ['false', 'true']) {
      const rec = init(true, disabled);
      assert.ok(names(rec).includes('registerChannelHeaderButtonAction'), disabled);
      assert.ok(names(rec).includes('registerAppBarComponent'), disabled);
      const header = rec.calls.find(([n]) => n === 'registerChannelHeaderButtonAction')!;
      (header[1][1] as () => void)();
      assert.deepEqual(rec.dispatched.at(-1), { type: 'TOGGLE' });
      plugin!.uninitialize();
    }
  });

  it('registers only the header button on a host without the App Bar API', () => {
    const rec = init(false);
    assert.ok(names(rec).includes('registerChannelHeaderButtonAction'));
    assert.ok(!names(rec).includes('registerAppBarComponent'));
    plugin!.uninitialize();
  });

  it('opens the declare form for /incident declare and swallows the command', async () => {
    const rec = init(true);
    const hook = rec.calls.find(([n]) => n === 'registerSlashCommandWillBePostedHook')![1][0] as (m: string, a: unknown) => unknown;
    assert.deepEqual(await hook('/incident declare', { channel_id: 'c', team_id: 't' }), {});
    assert.deepEqual(rec.dispatched.slice(-2), [{ type: 'infra-ops/declare-form-opened', draft: { title: '', summary: '' } }, { type: 'SHOW' }]);
    plugin!.uninitialize();
  });
});
