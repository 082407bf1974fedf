// Plain redux actions for the plugin's own slice. No thunks: components and websocket handlers
// call the client and dispatch these, so the slice works under any host middleware.
import type { Agenda, Guild, Idea, Incident, Page, Rfc, RunSummaryView, RunView } from './contract';

/** `admin` (alert sources, webhooks, status page) is shown to team and system admins only. */
export const RHS_TABS = ['incidents', 'pick', 'rfcs', 'guilds', 'runs', 'admin'] as const;
export type RhsTab = (typeof RHS_TABS)[number];

/** Which ideas the chart shows: one channel's, or the whole team's (channelId null). */
export interface PickScope {
  teamId: string;
  channelId: string | null;
}

/** The incident shown in the sidebar: its store key and its REST address. */
export type OpenIncident = Pick<Incident, 'id' | 'teamId' | 'number'>;

/** A page of ideas with the quadrant threshold the chart is split at. */
export type IdeaPage = Page<Idea> & { threshold: number };

export interface DeclareDraft {
  title: string;
  summary: string;
}

/** A one-line message at the top of the sidebar, e.g. the outcome of a post menu action. */
export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export type PluginAction =
  | { type: 'infra-ops/rhs-tab-selected'; tab: RhsTab }
  | { type: 'infra-ops/declare-form-opened'; draft: DeclareDraft }
  | { type: 'infra-ops/declare-form-closed' }
  | { type: 'infra-ops/notice'; notice: Notice | null }
  /** Show one incident in the sidebar (null: back to the list). */
  | { type: 'infra-ops/incident-opened'; incident: OpenIncident | null }
  /**
   * A list answer replaces what it covers: the team's records (for incidents, its active ones)
   * missing from it were deleted, resolved elsewhere, or are no longer visible to this user.
   * Events reach only a record's channel, so lists are how changes elsewhere arrive.
   */
  | { type: 'infra-ops/incidents-received'; teamId: string; incidents: Incident[] }
  | { type: 'infra-ops/incident-received'; incident: Incident }
  | { type: 'infra-ops/more-incidents-received'; incidents: Incident[] }
  | { type: 'infra-ops/board-received'; scope: PickScope; page: IdeaPage }
  | { type: 'infra-ops/idea-received'; idea: Idea }
  | { type: 'infra-ops/rfcs-received'; teamId: string; rfcs: Rfc[] }
  | { type: 'infra-ops/rfc-received'; rfc: Rfc }
  | { type: 'infra-ops/guilds-received'; teamId: string; guilds: Guild[] }
  | { type: 'infra-ops/guild-received'; guild: Guild }
  | { type: 'infra-ops/agenda-received'; agenda: Agenda }
  | { type: 'infra-ops/runs-received'; teamId: string; runs: RunSummaryView[] }
  | { type: 'infra-ops/run-received'; run: RunView }
  /** The websocket reconnected: events may have been missed, so mounted views reload. */
  | { type: 'infra-ops/reconnected' };

export const selectRhsTab = (tab: RhsTab): PluginAction => ({ type: 'infra-ops/rhs-tab-selected', tab });
export const openDeclareForm = (draft: DeclareDraft): PluginAction => ({ type: 'infra-ops/declare-form-opened', draft });
export const closeDeclareForm = (): PluginAction => ({ type: 'infra-ops/declare-form-closed' });
/** The team's active incidents, as listed: the sidebar's first page replaces what was shown. */
export const incidentsReceived = (teamId: string, incidents: Incident[]): PluginAction => ({ type: 'infra-ops/incidents-received', teamId, incidents });
export const incidentReceived = (incident: Incident): PluginAction => ({ type: 'infra-ops/incident-received', incident });
/** A further page of the list ("Show more"): added to what is shown. */
export const moreIncidentsReceived = (incidents: Incident[]): PluginAction => ({ type: 'infra-ops/more-incidents-received', incidents });
export const boardReceived = (scope: PickScope, page: IdeaPage): PluginAction => ({ type: 'infra-ops/board-received', scope, page });
export const ideaReceived = (idea: Idea): PluginAction => ({ type: 'infra-ops/idea-received', idea });
/** The team's RFCs, as listed. */
export const rfcsReceived = (teamId: string, rfcs: Rfc[]): PluginAction => ({ type: 'infra-ops/rfcs-received', teamId, rfcs });
export const rfcReceived = (rfc: Rfc): PluginAction => ({ type: 'infra-ops/rfc-received', rfc });
/** The team's guilds, as listed (a deleted guild sends no event: the list is fetched again). */
export const guildsReceived = (teamId: string, guilds: Guild[]): PluginAction => ({ type: 'infra-ops/guilds-received', teamId, guilds });
export const guildReceived = (guild: Guild): PluginAction => ({ type: 'infra-ops/guild-received', guild });
export const agendaReceived = (agenda: Agenda): PluginAction => ({ type: 'infra-ops/agenda-received', agenda });
/** The team's runs, as listed. */
export const runsReceived = (teamId: string, runs: RunSummaryView[]): PluginAction => ({ type: 'infra-ops/runs-received', teamId, runs });
export const runReceived = (run: RunView): PluginAction => ({ type: 'infra-ops/run-received', run });
export const reconnected = (): PluginAction => ({ type: 'infra-ops/reconnected' });
export const showNotice = (notice: Notice | null): PluginAction => ({ type: 'infra-ops/notice', notice });
export const openIncident = (incident: OpenIncident | null): PluginAction => ({
  type: 'infra-ops/incident-opened',
  incident: incident && { id: incident.id, teamId: incident.teamId, number: incident.number },
});
