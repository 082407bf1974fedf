// The sidebar popped out into its own window (Mattermost 11.x's "open in new window" button on a
// plugin's RHS). The new window loads the plugin afresh, so it asks the window it came from which
// tab (and incident) was open, through the host's popout channel: the opener answers from its
// store. Hosts without popouts (10.x) have neither API, and this does nothing there.
import type { Action, Dispatch } from 'redux';
import { RHS_TABS, openIncident, selectRhsTab, type OpenIncident, type RhsTab } from './actions';

export const POPOUT_STATE_REQUEST = 'infra-ops-popout-state-request';
export const POPOUT_STATE = 'infra-ops-popout-state';

export interface PopoutState {
  tab: RhsTab;
  incident: OpenIncident | null;
}

/** What the host hands the opener when a popout of our sidebar opens. */
export interface PopoutListeners {
  sendToPopout?: (channel: string, ...args: unknown[]) => void;
  onMessageFromPopout?: (listener: (channel: string, ...args: unknown[]) => void) => void;
}

/** window.WebappUtils.popouts, present on hosts with popouts. */
export interface HostPopouts {
  isPopoutWindow(): boolean;
  sendToParent(channel: string, ...args: unknown[]): void;
  onMessageFromParent(listener: (channel: string, ...args: unknown[]) => void): void;
}

/** The opener's side: answer the popout's request with the sidebar's state. */
export function answerPopout(listeners: PopoutListeners, current: () => PopoutState): void {
  listeners.onMessageFromPopout?.((channel) => {
    if (channel === POPOUT_STATE_REQUEST) listeners.sendToPopout?.(POPOUT_STATE, current());
  });
}

function readState(value: unknown): PopoutState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { tab, incident } = value as { tab?: unknown; incident?: unknown };
  if (!RHS_TABS.includes(tab as RhsTab)) return null;
  const inc = incident as Partial<OpenIncident> | null | undefined;
  const valid = inc && typeof inc.id === 'string' && typeof inc.teamId === 'string' && typeof inc.number === 'number';
  return { tab: tab as RhsTab, incident: valid ? (inc as OpenIncident) : null };
}

/** The popout's side: ask once, and open what the opener had open. */
export function followOpener(popouts: HostPopouts | undefined, dispatch: Dispatch<Action>): void {
  if (!popouts?.isPopoutWindow()) return;
  popouts.onMessageFromParent((channel, payload) => {
    if (channel !== POPOUT_STATE) return;
    const state = readState(payload);
    if (!state) return;
    dispatch(selectRhsTab(state.tab));
    if (state.incident) dispatch(openIncident(state.incident));
  });
  popouts.sendToParent(POPOUT_STATE_REQUEST);
}
