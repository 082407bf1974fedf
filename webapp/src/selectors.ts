// Reads of the host state and of the plugin slice. Derived lists are memoised on their input map,
// so components re-render only when the records they show changed.
import type { GlobalState } from '@mattermost/types/store';
import type { Post } from '@mattermost/types/posts';
import { getCurrentChannelId, getCurrentUserId } from 'mattermost-redux/selectors/entities/common';
import { guildKey, teamNumberKey, type Guild, type Idea, type Incident, type Rfc, type RunSummaryView, type RunView } from './contract';
import { PLUGIN_STATE_KEY, initialState, type PluginState } from './reducer';
import type { PickScope } from './actions';

export { getCurrentChannelId, getCurrentUserId };

// Read directly rather than through mattermost-redux's general/teams/posts selector modules:
// those pull in most of mattermost-redux's constants (permissions, preferences, post utils) for a
// one-line lookup. The paths are the ones those selectors read.
export const getCurrentTeamId = (state: GlobalState): string => state.entities.teams.currentTeamId;
export const getPost = (state: GlobalState, postId: string): Post | undefined => state.entities.posts.posts[postId];
export const getSiteURL = (state: GlobalState): string => state.entities.general.config.SiteURL ?? '';

export function pluginState(state: GlobalState): PluginState {
  const slice = (state as unknown as Record<string, PluginState | undefined>)[PLUGIN_STATE_KEY];
  return slice ?? initialState;
}

/** Memoises a derivation by the identity of its inputs (last call only), like reselect. */
function memo<A extends unknown[], O>(derive: (...inputs: A) => O): (...inputs: A) => O {
  let last: { inputs: A; output: O } | undefined;
  return (...inputs) => {
    if (!last || inputs.length !== last.inputs.length || inputs.some((v, i) => v !== last?.inputs[i])) {
      last = { inputs, output: derive(...inputs) };
    }
    return last.output;
  };
}

export const getSyncEpoch = (state: GlobalState) => pluginState(state).syncEpoch;
export const getRhsTab = (state: GlobalState) => pluginState(state).rhs.tab;
export const getOpenIncident = (state: GlobalState) => pluginState(state).rhs.incident;
export const getNotice = (state: GlobalState) => pluginState(state).rhs.notice;
export const getDeclareDraft = (state: GlobalState) => pluginState(state).rhs.declareDraft;
export const getIncident = (state: GlobalState, id: string): Incident | undefined => pluginState(state).incidents[id];
export const getPickThreshold = (state: GlobalState) => pluginState(state).pickThreshold;
export const getAgenda = (state: GlobalState, guild: Pick<Guild, 'teamId' | 'slug'>) => pluginState(state).agendas[guildKey(guild)];

/** Active incidents of a team: most severe first (SEV1 before SEV4), then newest by INC number, as the server pages them. */
export const sortIncidents = (incidents: readonly Incident[]): Incident[] => [...incidents].sort((a, b) => a.severity - b.severity || b.number - a.number);

const activeIncidentsOf = memo((byId: Record<string, Incident>, teamId: string) =>
  sortIncidents(Object.values(byId).filter((i) => (i.phase === 'active' || i.phase === 'triage') && i.teamId === teamId)),
);
export const getActiveIncidents = (state: GlobalState, teamId: string): Incident[] => activeIncidentsOf(pluginState(state).incidents, teamId);

const inScope = (idea: Idea, scope: PickScope | null): boolean =>
  scope !== null && idea.teamId === scope.teamId && (scope.channelId === null || idea.channelId === scope.channelId);
const byNewest = (a: Idea, b: Idea) => b.number - a.number;
const chartIdeasOf = memo((byId: Record<string, Idea>, scope: PickScope | null) =>
  Object.values(byId)
    .filter((i) => i.status === 'revealed' && i.revealed !== null && inScope(i, scope))
    .sort(byNewest),
);
const scoringIdeasOf = memo((byId: Record<string, Idea>, scope: PickScope | null) =>
  Object.values(byId)
    .filter((i) => i.status === 'open' && inScope(i, scope))
    .sort(byNewest),
);
/** Revealed ideas in the board's scope have a position on the chart. */
export const getChartIdeas = (state: GlobalState): Idea[] => chartIdeasOf(pluginState(state).ideas, pluginState(state).pickScope);
/** Ideas in scope still being scored (scores hidden until revealed). */
export const getIdeasBeingScored = (state: GlobalState): Idea[] => scoringIdeasOf(pluginState(state).ideas, pluginState(state).pickScope);

const rfcOrder: Record<Rfc['status'], number> = { in_review: 0, draft: 1, accepted: 2, postponed: 3, rejected: 4, withdrawn: 5, superseded: 6 };
const rfcsOf = memo((byKey: Record<string, Rfc>, teamId: string) =>
  Object.values(byKey)
    .filter((r) => r.teamId === teamId)
    .sort((a, b) => rfcOrder[a.status] - rfcOrder[b.status] || b.number - a.number),
);
/** A team's RFCs needing attention first (in review, then drafts), newest number first within a status. */
export const getRfcs = (state: GlobalState, teamId: string): Rfc[] => rfcsOf(pluginState(state).rfcs, teamId);

const guildsOf = memo((byKey: Record<string, Guild>, teamId: string) =>
  Object.values(byKey).filter((g) => g.teamId === teamId).sort((a, b) => {
    const at = (g: Guild) => (g.channelId === null ? Number.MAX_SAFE_INTEGER : (g.nextMeetingAt ?? Number.MAX_SAFE_INTEGER - 1));
    return at(a) - at(b) || a.name.localeCompare(b.name);
  }),
);
/** A team's guilds by their next meeting; inactive guilds (no channel) last. */
export const getGuilds = (state: GlobalState, teamId: string): Guild[] => guildsOf(pluginState(state).guilds, teamId);

const runsOf = memo((byKey: Record<string, RunSummaryView>, teamId: string) =>
  Object.values(byKey)
    .filter((r) => r.teamId === teamId)
    .sort((a, b) => (a.status === b.status ? 0 : a.status === 'active' ? -1 : 1) || b.number - a.number),
);
/** A team's runs: active ones first, newest number first within a status. */
export const getRuns = (state: GlobalState, teamId: string): RunSummaryView[] => runsOf(pluginState(state).runs, teamId);
/** The whole run (checklists included), once its own page has fetched it. */
export const getRun = (state: GlobalState, teamId: string, number: number): RunView | undefined => pluginState(state).runDetails[teamNumberKey({ teamId, number })];

const hasRole = (roles: string | undefined, role: string): boolean => (roles ?? '').split(' ').includes(role);

/** A system admin, or an admin of the team, as the host knows the current user. */
export function isAdminOf(state: GlobalState, teamId: string): boolean {
  const me = getCurrentUserId(state);
  const teams = state.entities.teams as { myMembers?: Record<string, { roles?: string } | undefined> };
  return hasRole(state.entities.users.profiles[me]?.roles, 'system_admin') || hasRole(teams.myMembers?.[teamId]?.roles, 'team_admin');
}

/** As the server's rule for deleting a guild: its creator, team admins and system admins (the server decides; this only hides the button). */
export const canDeleteGuild = (state: GlobalState, guild: Pick<Guild, 'teamId' | 'createdBy'>): boolean =>
  (guild.createdBy !== null && guild.createdBy === getCurrentUserId(state)) || isAdminOf(state, guild.teamId);
