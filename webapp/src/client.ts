// REST calls to the plugin's server. `call` takes a route of the contract (method, path, query,
// body and answer schemas) so a URL, a body field or an answer shape cannot drift from the server:
// the types come from the contract and every answer is decoded with the route's own schema.
// The named functions below are the calls the webapp makes, unwrapping the `{<noun>}` envelope.
import {
  API_BASE,
  type AnswerOf,
  type BodyOf,
  DecodeError,
  type PathParams,
  type QueryOf,
  type Route,
  decode,
  fillPath,
  guildRoutes,
  incidentRoutes,
  isRecord,
  pickRoutes,
  rfcRoutes,
  runRoutes,
  alertRoutes,
  webhookRoutes,
  type AddIdeaBody,
  type AlertSourceView,
  type RunSummaryView,
  type RunView,
  type RetroView,
  type RunStatsView,
  type TemplateSummaryView,
  type TemplateDocument,
  type ImportTemplateAnswer,
  type WebhookView,
  type Agenda,
  type CreateRfcBody,
  type DeclareIncidentBody,
  type FollowupBody,
  type Followup,
  type Guild,
  type Idea,
  type IdeaListQuery,
  type Incident,
  type IncidentListQuery,
  type IncidentMetrics,
  type Milestone,
  type Page,
  type QueueItem,
  type Rfc,
  type RfcListQuery,
  type TimelineEntry,
} from './contract';
import { requestOptions } from './request_options';

/** A failed call: the server's `{error}` text when it sent one, else the HTTP status. */
export class ClientError extends Error {
  constructor(message: string, readonly status: number, readonly url: string) {
    super(message);
    this.name = 'ClientError';
  }
}

type QueryValue = string | number | boolean | undefined | null;

let apiBase = API_BASE;

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
  // A loop, not /\/+$/: that regex is quadratic on a long run of slashes followed by other text.
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}

export function setSiteURL(siteURL: string | undefined): void {
  apiBase = `${sitePath(siteURL)}${API_BASE}`;
}

/** `${base}${path}?query`; empty values are left out. */
export function apiUrl(path: string, query: Readonly<Record<string, QueryValue>> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${apiBase}${path}${qs ? `?${qs}` : ''}`;
}

/** What a route needs besides its path parameters; `query`/`body` exist only where the route has one. */
type Input<R extends Route> = (R['query'] extends null ? unknown : { query?: QueryOf<R> }) & (R['body'] extends null ? unknown : { body: BodyOf<R> });

export async function call<R extends Route>(route: R, params: PathParams<R['path']>, input: Input<R>): Promise<AnswerOf<R>> {
  const given = input as { query?: Readonly<Record<string, QueryValue>>; body?: unknown };
  const url = apiUrl(fillPath(route.path, params), given.query);
  let response: Response;
  try {
    response = await fetch(url, requestOptions(route.method, route.body === null ? undefined : JSON.stringify(given.body ?? {})));
  } catch (err) {
    throw new ClientError(`Network error: ${err instanceof Error ? err.message : String(err)}`, 0, url);
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const message = isRecord(parsed) && typeof parsed.error === 'string' ? parsed.error : `Request failed with status ${response.status}`;
    throw new ClientError(message, response.status, url);
  }
  try {
    return decode<R['answer']>(route.answer, parsed);
  } catch (err) {
    if (err instanceof DecodeError) throw new ClientError(`Unexpected answer from the server (${err.message})`, response.status, url);
    throw err;
  }
}

// ---- incidents ----

/** An incident is addressed by its team and per-team number; an IncidentView is one. */
export interface IncidentRef {
  teamId: string;
  number: number;
}
const ref = (r: IncidentRef) => ({ teamId: r.teamId, number: r.number });

export const listIncidents = (teamId: string, query: IncidentListQuery = {}): Promise<Page<Incident>> => call(incidentRoutes.list, { teamId }, { query });

export const getIncident = async (r: IncidentRef): Promise<Incident> => (await call(incidentRoutes.get, ref(r), {})).incident;

/** The incident of a channel (404 when the channel has none, or the caller may not see it). */
export const getChannelIncident = async (channelId: string): Promise<Incident> => (await call(incidentRoutes.ofChannel, { channelId }, {})).incident;

export const declareIncident = (teamId: string, body: DeclareIncidentBody): Promise<{ incident: Incident; warnings: string[] }> =>
  call(incidentRoutes.declare, { teamId }, { body });

export const getIncidentMetrics = async (teamId: string, days?: number): Promise<IncidentMetrics> =>
  (await call(incidentRoutes.metrics, { teamId }, { query: { days } })).metrics;

export const getTimeline = (r: IncidentRef, cursor?: string): Promise<Page<TimelineEntry>> =>
  call(incidentRoutes.timeline, ref(r), { query: { cursor, per_page: 100 } });

const incidentOf = async (answer: Promise<{ incident: Incident }>): Promise<Incident> => (await answer).incident;

export const postStatusUpdate = (r: IncidentRef, text: string): Promise<Incident> => incidentOf(call(incidentRoutes.status, ref(r), { body: { text } }));
export const setMilestone = (r: IncidentRef, milestone: Milestone, at?: number): Promise<Incident> =>
  incidentOf(call(incidentRoutes.milestone, ref(r), { body: at === undefined ? { milestone } : { milestone, at } }));
export const followIncident = (r: IncidentRef): Promise<Incident> => incidentOf(call(incidentRoutes.follow, ref(r), { body: {} }));
export const unfollowIncident = (r: IncidentRef): Promise<Incident> => incidentOf(call(incidentRoutes.unfollow, ref(r), {}));
export const resolveIncident = (r: IncidentRef, summary?: string): Promise<Incident> =>
  incidentOf(call(incidentRoutes.resolve, ref(r), { body: summary ? { summary } : {} }));
export const reopenIncident = (r: IncidentRef): Promise<Incident> => incidentOf(call(incidentRoutes.reopen, ref(r), { body: {} }));
/** An incident opened from alerts, in triage: accept makes it active; dismiss closes it as noise. */
export const acceptIncident = (r: IncidentRef): Promise<Incident> => incidentOf(call(incidentRoutes.accept, ref(r), { body: {} }));
export const dismissIncident = (r: IncidentRef, reason?: string): Promise<Incident> =>
  incidentOf(call(incidentRoutes.dismiss, ref(r), { body: reason ? { reason } : {} }));
export const addFollowup = (r: IncidentRef, body: FollowupBody): Promise<{ incident: Incident; followup: Followup }> =>
  call(incidentRoutes.addFollowup, ref(r), { body });
export const completeFollowup = (r: IncidentRef, n: number): Promise<{ incident: Incident; followup: Followup }> =>
  call(incidentRoutes.completeFollowup, { ...ref(r), n }, { body: {} });

// ---- PICK ----

/** One page of ideas, newest first, with the quadrant threshold the chart is split at. */
export const listIdeas = (teamId: string, query: IdeaListQuery = {}): Promise<Page<Idea> & { threshold: number }> =>
  call(pickRoutes.list, { teamId }, { query });

export const addIdea = async (teamId: string, body: AddIdeaBody): Promise<Idea> => (await call(pickRoutes.add, { teamId }, { body })).idea;

export const getIdea = async (teamId: string, number: number): Promise<Idea> => (await call(pickRoutes.get, { teamId, number }, {})).idea;

export const scoreIdea = (teamId: string, number: number, payoff: number, cost: number): Promise<{ idea: Idea; autoRevealed: boolean }> =>
  call(pickRoutes.score, { teamId, number }, { body: { payoff, cost } });

export const revealIdea = async (teamId: string, number: number): Promise<Idea> => (await call(pickRoutes.reveal, { teamId, number }, { body: {} })).idea;

// ---- RFCs ----

export const listRfcs = (teamId: string, query: RfcListQuery = {}): Promise<Page<Rfc>> => call(rfcRoutes.list, { teamId }, { query });

export const getRfc = async (teamId: string, number: number): Promise<Rfc> => (await call(rfcRoutes.get, { teamId, number }, {})).rfc;

export const createRfc = async (teamId: string, body: CreateRfcBody): Promise<Rfc> => (await call(rfcRoutes.create, { teamId }, { body })).rfc;

// ---- guilds ----

export const listGuilds = async (teamId: string): Promise<Guild[]> => (await call(guildRoutes.list, { teamId }, {})).items;

export const getGuild = async (teamId: string, slug: string): Promise<Guild> => (await call(guildRoutes.get, { teamId, slug }, {})).guild;

export const getAgenda = async (teamId: string, slug: string): Promise<Agenda> => (await call(guildRoutes.agenda, { teamId, slug }, {})).agenda;

export const queueGuildItem = (teamId: string, slug: string, text: string): Promise<{ guild: Guild; item: QueueItem }> =>
  call(guildRoutes.queue, { teamId, slug }, { body: { text } });

/** Deletes the guild (its creator or an admin); answers it as it was. No event follows: refetch the list. */
export const deleteGuild = async (teamId: string, slug: string): Promise<Guild> => (await call(guildRoutes.delete, { teamId, slug }, {})).guild;

// ---- runs ----

export const listRuns = async (teamId: string): Promise<RunSummaryView[]> => (await call(runRoutes.list, { teamId }, {})).items;

export const getRun = async (teamId: string, number: number): Promise<RunView> => (await call(runRoutes.get, { teamId, number }, {})).run;

/** Starts a run from a channel (its team is the run's team); the run gets a channel of its own. */
export const startRun = async (teamId: string, body: BodyOf<typeof runRoutes.start>): Promise<RunView> => (await call(runRoutes.start, { teamId }, { body })).run;

/** Checks, unchecks or skips one checklist item ("2.3"); answers the run as it now is. */
export const actOnRunItem = async (teamId: string, number: number, ref: string, action: 'check' | 'uncheck' | 'skip'): Promise<RunView> =>
  (await call(runRoutes.item, { teamId, number, ref }, { body: { action } })).run;

export const getRunReport = (teamId: string, number: number): Promise<{ filename: string; markdown: string; html: string }> => call(runRoutes.report, { teamId, number }, {});

type ItemAt = { teamId: string; number: number; ref: string };
const runOf = async (answer: Promise<{ run: RunView }>): Promise<RunView> => (await answer).run;

/** The sidebar's gate answers: approve / hold / abstain, or null to take one's answer back. */
export const answerGate = (at: ItemAt, answer: BodyOf<typeof runRoutes.answerGate>['answer'], note?: string): Promise<RunView> =>
  runOf(call(runRoutes.answerGate, at, { body: note ? { answer, note } : { answer } }));
export const raiseGateConcern = (at: ItemAt, text: string): Promise<{ run: RunView; concernId: number }> => call(runRoutes.raiseConcern, at, { body: { text } });
export const resolveGateConcern = (at: ItemAt, concernId: number, note?: string): Promise<RunView> =>
  runOf(call(runRoutes.resolveConcern, { ...at, concernId }, { body: note ? { note } : {} }));
/** `to`: a username ("@bob"), or null to answer for oneself again. */
export const delegateGate = (at: ItemAt, to: string | null): Promise<RunView> => runOf(call(runRoutes.delegateGate, at, { body: { to } }));
export const overrideGate = (at: ItemAt, reason: string): Promise<RunView> => runOf(call(runRoutes.overrideGate, at, { body: { reason } }));
export const nameGateApprovers = (at: ItemAt, usernames: string[]): Promise<RunView> => runOf(call(runRoutes.nameApprovers, at, { body: { usernames } }));
export const assignRunItem = (at: ItemAt, usernames: string[]): Promise<RunView> => runOf(call(runRoutes.assignItem, at, { body: { usernames } }));
export const setRunItemDue = (at: ItemAt, due: number | null): Promise<RunView> => runOf(call(runRoutes.dueItem, at, { body: { due } }));
export const addRunItem = (teamId: string, number: number, checklist: number, title: string): Promise<{ run: RunView; ref: string }> =>
  call(runRoutes.addItem, { teamId, number }, { body: { checklist, title } });
export const removeRunItem = (at: ItemAt): Promise<RunView> => runOf(call(runRoutes.removeItem, at, {}));
/** Refused (409, the open gates named) while a gate is open, unless a team admin gives `override`. */
export const finishRun = (teamId: string, number: number, override?: string): Promise<RunView> =>
  runOf(call(runRoutes.finish, { teamId, number }, { body: override === undefined ? {} : { override } }));

export const getRetro = async (teamId: string, number: number): Promise<RetroView> => (await call(runRoutes.retro, { teamId, number }, {})).retro;
/** `section` from 1. */
export const writeRetroSection = async (teamId: string, number: number, section: number, text: string): Promise<RetroView> =>
  (await call(runRoutes.writeRetro, { teamId, number }, { body: { section, text } })).retro;
export const publishRetro = async (teamId: string, number: number): Promise<RetroView> => (await call(runRoutes.publishRetro, { teamId, number }, { body: {} })).retro;
export const getRunStats = async (teamId: string): Promise<RunStatsView[]> => (await call(runRoutes.stats, { teamId }, {})).items;

export const listTemplates = async (teamId: string): Promise<TemplateSummaryView[]> => (await call(runRoutes.templates, { teamId }, {})).items;
/** A template as our JSON document (team admins): to view, or to save as a file. */
export const exportTemplate = (teamId: string, slug: string): Promise<TemplateDocument> => call(runRoutes.exportTemplate, { teamId, slug }, {});
/** A file's text: our JSON or a Playbooks export; the answer lists what could not be carried over. */
export const importTemplate = (teamId: string, body: BodyOf<typeof runRoutes.importTemplate>): Promise<ImportTemplateAnswer> => call(runRoutes.importTemplate, { teamId }, { body });

// ---- team admin: alert sources and outgoing webhooks (the secret is in create/rotate answers only) ----

export const listAlertSources = async (teamId: string): Promise<AlertSourceView[]> => (await call(alertRoutes.list, { teamId }, {})).items;
export const createAlertSource = (teamId: string, body: BodyOf<typeof alertRoutes.create>): Promise<{ source: AlertSourceView; secret: string }> =>
  call(alertRoutes.create, { teamId }, { body });
export const rotateAlertSource = (teamId: string, slug: string): Promise<{ source: AlertSourceView; secret: string }> => call(alertRoutes.rotate, { teamId, slug }, { body: {} });
export const removeAlertSource = async (teamId: string, slug: string): Promise<AlertSourceView> => (await call(alertRoutes.remove, { teamId, slug }, {})).source;

export const listWebhooks = async (teamId: string): Promise<WebhookView[]> => (await call(webhookRoutes.list, { teamId }, {})).items;
export const addWebhook = (teamId: string, body: BodyOf<typeof webhookRoutes.add>): Promise<{ webhook: WebhookView; secret: string }> => call(webhookRoutes.add, { teamId }, { body });
export const rotateWebhook = (teamId: string, webhookId: string): Promise<{ webhook: WebhookView; secret: string }> => call(webhookRoutes.rotate, { teamId, webhookId }, {});
export const removeWebhook = async (teamId: string, webhookId: string): Promise<WebhookView> => (await call(webhookRoutes.remove, { teamId, webhookId }, {})).webhook;
