// The plugin's slice of the host store (mounted at state['plugins-infra-ops']). Records are the
// contract's views, kept by key (incidents by id; ideas and RFCs by team and number; guilds by team
// and slug); an older copy never replaces a newer one, because a list fetch can return after a
// websocket event that already carried the newer state.
import type { Action } from 'redux';
import type { DeclareDraft, Notice, OpenIncident, PickScope, PluginAction, RhsTab } from './actions';
import { PLUGIN_ID, guildKey, teamNumberKey, type Agenda, type Guild, type Idea, type Incident, type Rfc, type RunSummaryView, type RunView } from './contract';

/** Where the host mounts this plugin's reducer. */
export const PLUGIN_STATE_KEY = `plugins-${PLUGIN_ID}`;

export const DEFAULT_PICK_THRESHOLD = 5.5;

export interface PluginState {
  rhs: { tab: RhsTab; declareDraft: DeclareDraft | null; notice: Notice | null; incident: OpenIncident | null };
  incidents: Record<string, Incident>;
  ideas: Record<string, Idea>;
  pickThreshold: number;
  /** The scope of the last board load; ideas outside it (from websocket events) stay off the chart. */
  pickScope: PickScope | null;
  rfcs: Record<string, Rfc>;
  guilds: Record<string, Guild>;
  /** Agendas by guildKey. */
  agendas: Record<string, Agenda>;
  /**
   * The runs list by teamNumberKey: each run as the list shows it (no checklists), or the whole
   * run when one arrived since. A run's view has no `updatedAt` (its checklist changes are not
   * versioned in the view), so the last answer wins; `run_changed` always fetches the run.
   */
  runs: Record<string, RunSummaryView>;
  /** Whole runs (checklists included) by teamNumberKey, as the run's own page shows them. */
  runDetails: Record<string, RunView>;
  /** Bumped on websocket reconnect; views include it in their load keys so they refetch. */
  syncEpoch: number;
}

export const initialState: PluginState = {
  rhs: { tab: 'incidents', declareDraft: null, notice: null, incident: null },
  incidents: {},
  ideas: {},
  pickThreshold: DEFAULT_PICK_THRESHOLD,
  pickScope: null,
  rfcs: {},
  guilds: {},
  agendas: {},
  runs: {},
  runDetails: {},
  syncEpoch: 0,
};

type Versioned = { updatedAt: number };

const incidentKey = (i: Incident): string => i.id;

/** Inserts or replaces records unless the stored copy is newer; returns the same map if nothing changed. */
export function upsert<T extends Versioned>(byKey: Record<string, T>, records: readonly T[], keyOf: (record: T) => string): Record<string, T> {
  let next: Record<string, T> | undefined;
  for (const record of records) {
    const key = keyOf(record);
    const current = (next ?? byKey)[key];
    if (current && current.updatedAt > record.updatedAt) continue;
    next ??= { ...byKey };
    next[key] = record;
  }
  return next ?? byKey;
}

/**
 * An idea from a websocket event has no viewer part (it went to a whole channel): the caller's own
 * score and "waiting for you" are kept from the copy we have while the round is the same.
 */
export function withViewer(incoming: Idea, current: Idea | undefined): Idea {
  if (incoming.viewer !== null || !current?.viewer || current.round !== incoming.round) return incoming;
  const { myScore, awaitingMyScore } = current.viewer;
  return { ...incoming, viewer: { myScore, awaitingMyScore: awaitingMyScore && incoming.status === 'open' } };
}

/**
 * A list answer as the team's current set: records of `teamId` that `covers` (default: all of the
 * team's) and that are missing from the list are dropped; listed records replace stored ones
 * unless the stored copy is newer (an event may have overtaken the list); other teams' records
 * and records the list does not cover stay as they are.
 */
export function replaceTeam<T extends Versioned & { teamId: string }>(
  byKey: Record<string, T>,
  teamId: string,
  records: readonly T[],
  keyOf: (record: T) => string,
  covers: (record: T) => boolean = () => true,
): Record<string, T> {
  const next: Record<string, T> = {};
  for (const [key, record] of Object.entries(byKey)) if (record.teamId !== teamId || !covers(record)) next[key] = record;
  for (const record of records) {
    const key = keyOf(record);
    const current = byKey[key];
    next[key] = current && current.updatedAt > record.updatedAt ? current : record;
  }
  return next;
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
      return { ...state, rhs: { ...state.rhs, tab: 'incidents', declareDraft: action.draft, incident: null } };
    case 'infra-ops/declare-form-closed':
      return { ...state, rhs: { ...state.rhs, declareDraft: null } };
    case 'infra-ops/incident-opened':
      return { ...state, rhs: { ...state.rhs, tab: 'incidents', declareDraft: null, incident: action.incident } };
    case 'infra-ops/notice':
      return { ...state, rhs: { ...state.rhs, notice: action.notice } };
    case 'infra-ops/incidents-received':
      // The list is of active incidents: resolved ones (an open card or detail may show them) stay.
      return { ...state, incidents: replaceTeam(state.incidents, action.teamId, action.incidents, incidentKey, (i) => i.phase === 'active' || i.phase === 'triage') };
    case 'infra-ops/incident-received':
      return { ...state, incidents: upsert(state.incidents, [action.incident], incidentKey) };
    case 'infra-ops/more-incidents-received':
      return { ...state, incidents: upsert(state.incidents, action.incidents, incidentKey) };
    case 'infra-ops/board-received': {
      // A board is the set of live ideas in scope: ideas missing from it were archived or fell off
      // the page, so the map is rebuilt, keeping any newer copy a websocket event already brought.
      const fresh: Record<string, Idea> = {};
      for (const idea of action.page.items) {
        const key = teamNumberKey(idea);
        const current = state.ideas[key];
        fresh[key] = current && current.updatedAt > idea.updatedAt ? current : withViewer(idea, current);
      }
      return { ...state, ideas: fresh, pickThreshold: action.page.threshold, pickScope: action.scope };
    }
    case 'infra-ops/idea-received':
      return { ...state, ideas: upsert(state.ideas, [withViewer(action.idea, state.ideas[teamNumberKey(action.idea)])], teamNumberKey) };
    case 'infra-ops/rfcs-received':
      return { ...state, rfcs: replaceTeam(state.rfcs, action.teamId, action.rfcs, teamNumberKey) };
    case 'infra-ops/rfc-received':
      return { ...state, rfcs: upsert(state.rfcs, [action.rfc], teamNumberKey) };
    case 'infra-ops/guilds-received': {
      const guilds = replaceTeam(state.guilds, action.teamId, action.guilds, guildKey);
      // A deleted guild's agenda goes with it.
      const agendas = Object.fromEntries(Object.entries(state.agendas).filter(([key, agenda]) => agenda.teamId !== action.teamId || key in guilds));
      return { ...state, guilds, agendas };
    }
    case 'infra-ops/guild-received':
      return { ...state, guilds: upsert(state.guilds, [action.guild], guildKey) };
    case 'infra-ops/agenda-received':
      return { ...state, agendas: { ...state.agendas, [guildKey(action.agenda)]: action.agenda } };
    case 'infra-ops/runs-received': {
      const runs: Record<string, RunSummaryView> = {};
      for (const [key, run] of Object.entries(state.runs)) if (run.teamId !== action.teamId) runs[key] = run;
      for (const run of action.runs) runs[teamNumberKey(run)] = run;
      // A whole run the list no longer has (its channel turned private, it left the team) goes too.
      const runDetails: Record<string, RunView> = {};
      for (const [key, run] of Object.entries(state.runDetails)) if (key in runs) runDetails[key] = run;
      return { ...state, runs, runDetails };
    }
    case 'infra-ops/run-received': {
      const key = teamNumberKey(action.run);
      return { ...state, runs: { ...state.runs, [key]: action.run }, runDetails: { ...state.runDetails, [key]: action.run } };
    }
    case 'infra-ops/reconnected':
      return { ...state, syncEpoch: state.syncEpoch + 1 };
    default:
      return state;
  }
}
