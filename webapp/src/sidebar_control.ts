// Opening the plugin's sidebar from outside it (App Bar, slash commands, post menu, the incident
// card). The host returns the show/toggle actions when the sidebar is registered; they are kept
// here until uninitialize. Hide and toggle are thunks in the host: its store has thunk middleware.
import type { Action, Dispatch } from 'redux';
import { openDeclareForm, openIncident, selectRhsTab, type DeclareDraft, type OpenIncident, type RhsTab } from './actions';
import type { HostThunk, RhsRegistration } from './types/registry';

/** The host's dispatch takes its own thunks as well as plain actions. */
const hostDispatch = (dispatch: Dispatch<Action>, action: Action | HostThunk): void => {
  (dispatch as unknown as (a: Action | HostThunk) => unknown)(action);
};

let registration: RhsRegistration | undefined;

export function setSidebarRegistration(reg: RhsRegistration | undefined): void {
  registration = reg;
}

export function showSidebar(dispatch: Dispatch<Action>, tab: RhsTab): void {
  dispatch(selectRhsTab(tab));
  if (registration) hostDispatch(dispatch, registration.showRHSPlugin);
}

export function toggleSidebar(dispatch: Dispatch<Action>): void {
  if (registration) hostDispatch(dispatch, registration.toggleRHSPlugin);
}

export function showDeclareForm(dispatch: Dispatch<Action>, draft: DeclareDraft): void {
  dispatch(openDeclareForm(draft));
  if (registration) hostDispatch(dispatch, registration.showRHSPlugin);
}

export function showIncident(dispatch: Dispatch<Action>, incident: OpenIncident): void {
  dispatch(openIncident(incident));
  if (registration) hostDispatch(dispatch, registration.showRHSPlugin);
}
