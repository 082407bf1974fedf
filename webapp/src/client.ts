// Every REST call to the plugin's server as one typed function over doGet/doPost. Every answer is
// decoded before it reaches the store.
import { type Decoder, DecodeError, array, boolean, field, isRecord, number, object, string, withDefault } from './decode';
import { PLUGIN_ID } from './manifest';
import { requestOptions } from './request_options';
import {
  decodeAgenda,
  decodeFollowup,
  decodeGuild,
  decodeGuildAnswer,
  decodeQueueItem,
  decodeIdea,
  decodeIdeaPage,
  decodeIncident,
  decodeIncidentMetrics,
  decodeIncidentPage,
  decodeRfc,
  decodeRfcPage,
  decodeTimelineEntry,
  type AddIdeaInput,
  type Agenda,
  type DeclareIncidentInput,
  type Followup,
  type Guild,
  type Idea,
  type IdeaPage,
  type Incident,
  type IncidentMetrics,
  type IncidentPage,
  type Milestone,
  type Quadrant,
  type QueueItem,
  type Rfc,
  type RfcPage,
  type RfcStatus,
  type TimelineEntry,
} from './types/model';

/** A failed call: the server's `{error}` text when it sent one, else the HTTP status. */
export class ClientError extends Error {
  constructor(message: string, readonly status: number, readonly url: string) {
    super(message);
    this.name = 'ClientError';
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

let apiBase = `/plugins/${PLUGIN_ID}/api/v1`;

/**
 * Only the path of the configured SiteURL is kept: requests stay same-origin (cookies, CSRF) even
 * when the browser reached the server by another host name, and subpath deployments still work.
 */
export function sitePath(siteURL: string | undefined): string {
  if (!siteURL) return '';
  let path = siteURL;
  try {
    path = new URL(siteURL).pathname;
  } catch {
    // Not an absolute URL: treat it as a path already.
  }
  return path.replace(/\/+$/, '');
}

export function setSiteURL(siteURL: string | undefined): void {
  apiBase = `${sitePath(siteURL)}/plugins/${PLUGIN_ID}/api/v1`;
}

/** `${base}${path}?query`, with every path segment and query value encoded by the caller's intent. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${apiBase}${path}${qs ? `?${qs}` : ''}`;
}

const seg = encodeURIComponent;

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, decode: Decoder<T>, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, requestOptions(method, body === undefined ? undefined : JSON.stringify(body)));
  } catch (err) {
    throw new ClientError(`Network error: ${err instanceof Error ? err.message : String(err)}`, 0, url);
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const message = isRecord(parsed) && typeof parsed.error === 'string' ? parsed.error : `Request failed with status ${response.status}`;
    throw new ClientError(message, response.status, url);
  }
  try {
    return decode(parsed);
  } catch (err) {
    if (err instanceof DecodeError) throw new ClientError(`Unexpected answer from the server (${err.message})`, response.status, url);
    throw err;
  }
}

export const doGet = <T>(url: string, decode: Decoder<T>): Promise<T> => request('GET', url, decode);
export const doPost = <T>(url: string, body: unknown, decode: Decoder<T>): Promise<T> => request('POST', url, decode, body);
export const doDelete = <T>(url: string, decode: Decoder<T>): Promise<T> => request('DELETE', url, decode);

// ---- incidents (server/src/product/incidents/http.ts) ----

export interface IncidentListOptions {
  state?: 'active' | 'resolved' | 'all';
  severity?: number;
  commanderId?: string;
  /** Paging cursor: the `nextBefore` of the previous page. */
  before?: number | null;
  perPage?: number;
}

export const listIncidents = (teamId: string, opts: IncidentListOptions = {}): Promise<IncidentPage> =>
  doGet(
    apiUrl('/incidents', {
      team_id: teamId,
      state: opts.state,
      severity: opts.severity,
      commander_id: opts.commanderId,
      before: opts.before,
      per_page: opts.perPage,
    }),
    decodeIncidentPage,
  );

const incidentPath = (id: string, action = ''): string => `/incidents/${seg(id)}${action ? `/${action}` : ''}`;

export const getIncident = (id: string): Promise<Incident> => doGet(apiUrl(incidentPath(id)), decodeIncident);

/** The incident of a channel (404 when the channel has none, or the caller may not see it). */
export const getChannelIncident = (channelId: string): Promise<Incident> => doGet(apiUrl(`/incidents/channel/${seg(channelId)}`), decodeIncident);

const decodeDeclared = object({ incident: decodeIncident, warnings: withDefault(array(string), []) });
export const declareIncident = (input: DeclareIncidentInput): Promise<{ incident: Incident; warnings: string[] }> =>
  doPost(apiUrl('/incidents'), input, decodeDeclared);

export const getIncidentMetrics = (teamId: string, days?: number): Promise<IncidentMetrics> =>
  doGet(apiUrl('/incidents/metrics', { team_id: teamId, days }), decodeIncidentMetrics);

const decodeTimelinePage = object({ items: array(decodeTimelineEntry), total: number });
export const getTimeline = (id: string, page = 0, perPage = 50): Promise<{ items: TimelineEntry[]; total: number }> =>
  doGet(apiUrl(incidentPath(id, 'timeline'), { page, per_page: perPage }), decodeTimelinePage);

export const getFollowups = (id: string): Promise<Followup[]> => doGet(apiUrl(incidentPath(id, 'followups')), field('items', array(decodeFollowup)));

export const postStatusUpdate = (id: string, text: string): Promise<Incident> => doPost(apiUrl(incidentPath(id, 'status')), { text }, decodeIncident);
export const setSeverity = (id: string, severity: number): Promise<Incident> => doPost(apiUrl(incidentPath(id, 'severity')), { severity }, decodeIncident);
export const assignRole = (id: string, role: 'commander' | 'scribe' | 'comms', userId: string): Promise<Incident> =>
  doPost(apiUrl(incidentPath(id, 'roles')), { role, user_id: userId }, decodeIncident);
export const addTimelineNote = (id: string, text: string): Promise<Incident> => doPost(apiUrl(incidentPath(id, 'timeline')), { text }, decodeIncident);
export const setMilestone = (id: string, milestone: Milestone, at?: number): Promise<Incident> =>
  doPost(apiUrl(incidentPath(id, 'milestones')), at === undefined ? { milestone } : { milestone, at }, decodeIncident);
export const followIncident = (id: string): Promise<Incident> => doPost(apiUrl(incidentPath(id, 'follow')), {}, decodeIncident);
export const unfollowIncident = (id: string): Promise<Incident> => doDelete(apiUrl(incidentPath(id, 'follow')), decodeIncident);
export const resolveIncident = (id: string, summary?: string): Promise<Incident> =>
  doPost(apiUrl(incidentPath(id, 'resolve')), summary ? { summary } : {}, decodeIncident);
export const reopenIncident = (id: string): Promise<Incident> => doPost(apiUrl(incidentPath(id, 'reopen')), {}, decodeIncident);
export const markReviewed = (id: string): Promise<Incident> => doPost(apiUrl(incidentPath(id, 'reviewed')), {}, decodeIncident);
export const addFollowup = (id: string, input: { text: string; owner_id?: string; due?: string }): Promise<Followup> =>
  doPost(apiUrl(incidentPath(id, 'followups')), input, decodeFollowup);
export const completeFollowup = (id: string, n: number): Promise<Followup> => doPost(apiUrl(incidentPath(id, `followups/${n}/done`)), {}, decodeFollowup);

// ---- PICK (server/src/product/pick/http.ts) ----

export type IdeaFilter = Quadrant | 'open' | 'all' | 'archived';

export interface IdeaListOptions {
  /** Omitted: team-wide, limited by the server to channels the caller can see. */
  channelId?: string;
  filter?: IdeaFilter;
  /** Paging cursor: the `next` of the previous page. */
  before?: number | null;
  perPage?: number;
}

/** One page of ideas, newest first, with the quadrant threshold the chart is split at. */
export const listIdeas = (teamId: string, opts: IdeaListOptions = {}): Promise<IdeaPage> =>
  doGet(
    apiUrl('/pick/ideas', { team_id: teamId, channel_id: opts.channelId, filter: opts.filter, before: opts.before, per_page: opts.perPage }),
    decodeIdeaPage,
  );

export const addIdea = (input: AddIdeaInput): Promise<Idea> => doPost(apiUrl('/pick/ideas'), input, field('idea', decodeIdea));

const ideaPath = (teamId: string, n: number, action = ''): string => `/pick/teams/${seg(teamId)}/ideas/${n}${action ? `/${action}` : ''}`;

export const getIdea = (teamId: string, n: number): Promise<Idea> => doGet(apiUrl(ideaPath(teamId, n)), field('idea', decodeIdea));

const decodeScored = object({ idea: decodeIdea, autoRevealed: withDefault(boolean, false) });
export const scoreIdea = (teamId: string, n: number, payoff: number, cost: number): Promise<{ idea: Idea; autoRevealed: boolean }> =>
  doPost(apiUrl(ideaPath(teamId, n, 'score')), { payoff, cost }, decodeScored);

export const revealIdea = (teamId: string, n: number): Promise<Idea> => doPost(apiUrl(ideaPath(teamId, n, 'reveal')), {}, field('idea', decodeIdea));

export const rescoreIdea = (teamId: string, n: number): Promise<Idea> => doPost(apiUrl(ideaPath(teamId, n, 'rescore')), {}, field('idea', decodeIdea));

export const archiveIdea = (teamId: string, n: number, reason: string): Promise<Idea> =>
  doPost(apiUrl(ideaPath(teamId, n, 'archive')), { reason }, field('idea', decodeIdea));

export const linkIdeaToRfc = (teamId: string, n: number, rfc: number): Promise<Idea> =>
  doPost(apiUrl(ideaPath(teamId, n, 'link')), { rfc }, field('idea', decodeIdea));

// ---- RFCs (server/src/product/rfc/http.ts) ----

export interface RfcListOptions {
  status?: RfcStatus;
  mine?: boolean;
  before?: number | null;
  perPage?: number;
}

const rfcPath = (teamId: string, n?: number, action = ''): string =>
  `/rfc/teams/${seg(teamId)}/rfcs${n === undefined ? '' : `/${n}`}${action ? `/${action}` : ''}`;

export const listRfcs = (teamId: string, opts: RfcListOptions = {}): Promise<RfcPage> =>
  doGet(apiUrl(rfcPath(teamId), { status: opts.status, mine: opts.mine ? 'true' : undefined, before: opts.before, per_page: opts.perPage }), decodeRfcPage);

export const getRfc = (teamId: string, n: number): Promise<Rfc> => doGet(apiUrl(rfcPath(teamId, n)), field('rfc', decodeRfc));

export const createRfc = (teamId: string, input: { title: string; doc_url?: string; channel_id?: string; idea?: number }): Promise<Rfc> =>
  doPost(apiUrl(rfcPath(teamId)), input, field('rfc', decodeRfc));

export const startRfcReview = (teamId: string, n: number, reviewers: string[], days?: number): Promise<Rfc> =>
  doPost(apiUrl(rfcPath(teamId, n, 'review')), days === undefined ? { reviewers } : { reviewers, days }, field('rfc', decodeRfc));

export const approveRfc = (teamId: string, n: number): Promise<Rfc> => doPost(apiUrl(rfcPath(teamId, n, 'approve')), {}, field('rfc', decodeRfc));

export const raiseConcern = (teamId: string, n: number, text: string): Promise<{ rfc: Rfc; concernId: number }> =>
  doPost(apiUrl(rfcPath(teamId, n, 'concerns')), { text }, object({ rfc: decodeRfc, concernId: number }));

export const resolveConcern = (teamId: string, n: number, concernId: number, resolution?: string): Promise<Rfc> =>
  doPost(apiUrl(rfcPath(teamId, n, `concerns/${concernId}/resolve`)), resolution ? { resolution } : {}, field('rfc', decodeRfc));

export const decideRfc = (teamId: string, n: number, action: 'accept' | 'reject' | 'postpone' | 'withdraw', reason?: string): Promise<Rfc> =>
  doPost(apiUrl(rfcPath(teamId, n, 'decision')), reason ? { action, reason } : { action }, field('rfc', decodeRfc));

export const supersedeRfc = (teamId: string, n: number, by: number): Promise<Rfc> => doPost(apiUrl(rfcPath(teamId, n, 'supersede')), { by }, field('rfc', decodeRfc));

export const markRfcReviewed = (teamId: string, n: number): Promise<Rfc> => doPost(apiUrl(rfcPath(teamId, n, 'reviewed')), {}, field('rfc', decodeRfc));

// ---- guilds (server/src/product/guilds/http.ts) ----

const guildPath = (slug: string, action = ''): string => `/guilds/${seg(slug)}${action ? `/${action}` : ''}`;

export const listGuilds = (teamId: string): Promise<Guild[]> => doGet(apiUrl('/guilds', { team_id: teamId }), field('guilds', array(decodeGuild)));

export const getGuild = (teamId: string, slug: string): Promise<Guild> => doGet(apiUrl(guildPath(slug), { team_id: teamId }), decodeGuildAnswer);

export const getAgenda = (teamId: string, slug: string): Promise<Agenda> => doGet(apiUrl(guildPath(slug, 'agenda'), { team_id: teamId }), field('agenda', decodeAgenda));

export const queueGuildItem = (teamId: string, slug: string, text: string): Promise<{ item: QueueItem }> =>
  doPost(apiUrl(guildPath(slug, 'queue')), { team_id: teamId, text }, object({ item: decodeQueueItem }));

export const addGuildNote = (teamId: string, slug: string, kind: 'note' | 'decision' | 'action', text: string): Promise<void> =>
  doPost(apiUrl(guildPath(slug, 'notes')), { team_id: teamId, kind, text }, () => undefined);

