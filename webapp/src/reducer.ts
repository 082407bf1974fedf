// The plugin's slice of the host store (mounted at state['plugins-infra-ops']). Records are kept
// by id; an older copy never replaces a newer one, because a list fetch can return after a
// websocket event that already carried the newer state.
import type { Action } from 'redux';
import type { DeclareDraft, Notice, PickScope, PluginAction, RhsTab } from './actions';
import type { Agenda, Guild, Idea, Incident, Rfc } from './types/model';

export const DEFAULT_PICK_THRESHOLD = 5.5;

export interface PluginState {
  rhs: { tab: RhsTab; declareDraft: DeclareDraft | null; notice: Notice | null; incidentId: string | null };
  incidents: Record<string, Incident>;
  ideas: Record<string, Idea>;
  pickThreshold: number;
  /** The scope of the last board load; ideas outside it (from websocket events) stay off the chart. */
  pickScope: PickScope | null;
  rfcs: Record<string, Rfc>;
  guilds: Record<string, Guild>;
  /** Agendas by guild slug. */
  agendas: Record<string, Agenda>;
  /** Bumped on websocket reconnect; views include it in their load keys so they refetch. */
  syncEpoch: number;
}

export const initialState: PluginState = {
  rhs: { tab: 'incidents', declareDraft: null, notice: null, incidentId: null },
  incidents: {},
  ideas: {},
  pickThreshold: DEFAULT_PICK_THRESHOLD,
  pickScope: null,
  rfcs: {},
  guilds: {},
  agendas: {},
  syncEpoch: 0,
};

type Versioned = { id: string; updatedAt: number };

/** Inserts or replaces records unless the stored copy is newer; returns the same map if nothing changed. */
export function upsert<T extends Versioned>(byId: Record<string, T>, records: readonly T[]): Record<string, T> {
  let next: Record<string, T> | undefined;
  for (const record of records) {
    const current = (next ?? byId)[record.id];
    if (current && current.updatedAt > record.updatedAt) continue;
    next ??= { ...byId };
    next[record.id] = record;
  }
  return next ?? byId;
}

function isPluginAction(action: Action): action is PluginAction {
  return typeof action.type === 'string' && action.type.startsWith('infra-ops/');
}

export function reducer(state: PluginState = initialState, action: Action): PluginState {
  if (!isPluginAction(action)) return state;
  switch (action.type) {
    case 'infra-ops/rhs-tab-selected':
      return state.rhs.tab === action.tab ? state : { ...state, rhs: { ...state.rhs, tab: action.tab } };
    case 'infra-ops/declare-form-opened':
      return { ...state, rhs: { ...state.rhs, tab: 'incidents', declareDraft: action.draft, incidentId: null } };
    case 'infra-ops/declare-form-closed':
      return { ...state, rhs: { ...state.rhs, declareDraft: null } };
    case 'infra-ops/incident-opened':
      return { ...state, rhs: { ...state.rhs, tab: 'incidents', declareDraft: null, incidentId: action.incidentId } };
    case 'infra-ops/notice':
      return { ...state, rhs: { ...state.rhs, notice: action.notice } };
    case 'infra-ops/incidents-received':
      return { ...state, incidents: upsert(state.incidents, action.incidents) };
    case 'infra-ops/incident-received':
      return { ...state, incidents: upsert(state.incidents, [action.incident]) };
    case 'infra-ops/board-received': {
      // A board is the set of live ideas in scope: ideas missing from it were archived or fell off
      // the page, so the map is rebuilt, keeping any newer copy a websocket event already brought.
      const fresh: Record<string, Idea> = {};
      for (const idea of action.page.ideas) {
        const current = state.ideas[idea.id];
        fresh[idea.id] = current && current.updatedAt > idea.updatedAt ? current : idea;
      }
      return { ...state, ideas: fresh, pickThreshold: action.page.threshold, pickScope: action.scope };
    }
    case 'infra-ops/idea-received':
      return { ...state, ideas: upsert(state.ideas, [action.idea]) };
    case 'infra-ops/rfcs-received':
      return { ...state, rfcs: upsert(state.rfcs, action.rfcs) };
    case 'infra-ops/rfc-received':
      return { ...state, rfcs: upsert(state.rfcs, [action.rfc]) };
    case 'infra-ops/guilds-received':
      return { ...state, guilds: upsert(state.guilds, action.guilds) };
    case 'infra-ops/guild-received':
      return { ...state, guilds: upsert(state.guilds, [action.guild]) };
    case 'infra-ops/agenda-received':
      return { ...state, agendas: { ...state.agendas, [action.agenda.slug]: action.agenda } };
    case 'infra-ops/reconnected':
      return { ...state, syncEpoch: state.syncEpoch + 1 };
    default:
      return state;
  }
}
