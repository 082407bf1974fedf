// One handler per server event (the contract's EVENT_PAYLOADS). The server publishes
// `custom_infra-ops_<event>` with `{data: "<JSON text>"}`; each payload carries the whole view and
// is decoded with the contract's schema. A payload that does not decode is refetched over REST
// when it still names its record, so the UI converges either way. A handler never throws into the
// host's socket loop.
import type { Dispatch } from 'redux';
import { guildReceived, ideaReceived, incidentReceived, rfcReceived, runReceived, type PluginAction } from './actions';
import { EVENT_PAYLOADS, decodeJson, isRecord, type EventName, type Schema, type EventPayload, type Guild, type Idea, type Incident, type Rfc, type RunView } from './contract';
import type { WebSocketMessage } from './types/registry';

export type Warn = (message: string, detail?: unknown) => void;
export type Handler = (msg: WebSocketMessage) => void;

/** The payload of one of our events, decoded; throws DecodeError when it does not match. */
export function payloadOf<E extends EventName>(event: E, msg: WebSocketMessage): EventPayload<E> {
  const outer: unknown = msg.data;
  // TypeScript cannot index the schema map by a generic key; EVENT_PAYLOADS[E] is E's schema.
  const schema: Schema = EVENT_PAYLOADS[event];
  return decodeJson(schema, isRecord(outer) ? outer.data : undefined, event) as EventPayload<E>;
}

/** Ideas, RFCs and incidents are numbered per team. */
export interface RecordRef {
  teamId: string;
  number: number;
}

export interface GuildRef {
  teamId: string;
  slug: string;
}

/** The raw payload's `<field>` as an object, for naming a record whose payload did not decode. */
function rawRecord(msg: WebSocketMessage, field: string): Record<string, unknown> {
  const outer: unknown = msg.data;
  if (!isRecord(outer) || typeof outer.data !== 'string') return {};
  try {
    const inner: unknown = JSON.parse(outer.data);
    return isRecord(inner) && isRecord(inner[field]) ? inner[field] : {};
  } catch {
    return {};
  }
}

const teamNumberRef = (r: Record<string, unknown>): RecordRef | undefined =>
  typeof r.teamId === 'string' && r.teamId !== '' && typeof r.number === 'number' ? { teamId: r.teamId, number: r.number } : undefined;
const guildRef = (r: Record<string, unknown>): GuildRef | undefined =>
  typeof r.teamId === 'string' && r.teamId !== '' && typeof r.slug === 'string' && r.slug !== '' ? { teamId: r.teamId, slug: r.slug } : undefined;

interface RecordEvent<E extends EventName, T, Ref> {
  event: E;
  /** The payload field holding the record, e.g. `idea`. */
  field: string;
  recordOf: (payload: EventPayload<E>) => T;
  refOf: (raw: Record<string, unknown>) => Ref | undefined;
  fetch: (ref: Ref) => Promise<T>;
  received: (record: T) => PluginAction;
}

function recordEventHandler<E extends EventName, T, Ref>(spec: RecordEvent<E, T, Ref>, dispatch: Dispatch<PluginAction>, warn: Warn): Handler {
  return (msg) => {
    try {
      dispatch(spec.received(spec.recordOf(payloadOf(spec.event, msg))));
      return;
    } catch (err) {
      warn(`${msg.event}: payload did not decode; refetching`, err);
    }
    const ref = spec.refOf(rawRecord(msg, spec.field));
    if (ref === undefined) {
      warn(`ignored ${msg.event}: it names no ${spec.field}`);
      return;
    }
    spec.fetch(ref).then(
      (record) => dispatch(spec.received(record)),
      (err: unknown) => warn(`${msg.event}: could not fetch the ${spec.field}`, err),
    );
  };
}

/** `incident_declared` and `incident_updated` {change, incident}. */
export const handleIncidentChanged = (
  event: 'incident_declared' | 'incident_updated',
  dispatch: Dispatch<PluginAction>,
  fetch: (ref: RecordRef) => Promise<Incident>,
  warn: Warn,
): Handler =>
  recordEventHandler<'incident_declared' | 'incident_updated', Incident, RecordRef>({ event, field: 'incident', recordOf: (p) => p.incident, refOf: teamNumberRef, fetch, received: incidentReceived }, dispatch, warn);

/** `pick_idea_changed` {idea}, sent to the idea's channel on every change. */
export const handlePickIdeaChanged = (dispatch: Dispatch<PluginAction>, fetch: (ref: RecordRef) => Promise<Idea>, warn: Warn): Handler =>
  recordEventHandler<'pick_idea_changed', Idea, RecordRef>(
    { event: 'pick_idea_changed', field: 'idea', recordOf: (p) => p.idea, refOf: teamNumberRef, fetch, received: ideaReceived },
    dispatch,
    warn,
  );

/**
 * `rfc_changed` {rfc: {teamId, number, reference, status, updatedAt}}: a small notice (an RFC's
 * view depends on who reads it), so the RFC is always fetched as this user sees it.
 */
export const handleRfcChanged =
  (dispatch: Dispatch<PluginAction>, fetch: (ref: RecordRef) => Promise<Rfc>, warn: Warn): Handler =>
  (msg) => {
    let ref: RecordRef;
    try {
      const { rfc } = payloadOf('rfc_changed', msg);
      ref = { teamId: rfc.teamId, number: rfc.number };
    } catch (err) {
      warn(`ignored ${msg.event}: payload did not decode`, err);
      return;
    }
    fetch(ref).then(
      (rfc) => dispatch(rfcReceived(rfc)),
      (err: unknown) => warn(`${msg.event}: could not fetch the rfc`, err),
    );
  };

/**
 * `run_changed` {run: {teamId, number, reference, status, updatedAt}}: a notice to the run's
 * channel without the checklist, so the run is fetched again (as the RFC notice is).
 */
export const handleRunChanged =
  (dispatch: Dispatch<PluginAction>, fetch: (ref: RecordRef) => Promise<RunView>, warn: Warn): Handler =>
  (msg) => {
    let ref: RecordRef;
    try {
      const { run } = payloadOf('run_changed', msg);
      ref = { teamId: run.teamId, number: run.number };
    } catch (err) {
      warn(`ignored ${msg.event}: payload did not decode`, err);
      return;
    }
    fetch(ref).then(
      (run) => dispatch(runReceived(run)),
      (err: unknown) => warn(`${msg.event}: could not fetch the run`, err),
    );
  };

/** `guild_changed` {guild}, with its next meeting time. */
export const handleGuildChanged = (dispatch: Dispatch<PluginAction>, fetch: (ref: GuildRef) => Promise<Guild>, warn: Warn): Handler =>
  recordEventHandler<'guild_changed', Guild, GuildRef>({ event: 'guild_changed', field: 'guild', recordOf: (p) => p.guild, refOf: guildRef, fetch, received: guildReceived }, dispatch, warn);

/** `pick_board_opened` {teamId, channelId}: the user ran `/pick board`; open the chart. */
export const handlePickBoardOpened =
  (openBoard: (teamId: string, channelId: string | null) => void, warn: Warn): Handler =>
  (msg) => {
    let payload: EventPayload<'pick_board_opened'>;
    try {
      payload = payloadOf('pick_board_opened', msg);
    } catch (err) {
      warn(`ignored ${msg.event}`, err);
      return;
    }
    openBoard(payload.teamId, payload.channelId);
  };

export interface EventDeps {
  dispatch: Dispatch<PluginAction>;
  fetchIncident: (ref: RecordRef) => Promise<Incident>;
  fetchIdea: (ref: RecordRef) => Promise<Idea>;
  fetchRfc: (ref: RecordRef) => Promise<Rfc>;
  fetchGuild: (ref: GuildRef) => Promise<Guild>;
  fetchRun: (ref: RecordRef) => Promise<RunView>;
  openPickBoard: (teamId: string, channelId: string | null) => void;
  warn: Warn;
}

/**
 * Event name → handler, for every event the server publishes except `incident_status_posted`
 * (the follower also gets the update as a DM, which the host shows). Typed by the contract's
 * names, so an event renamed there fails this file's type check.
 */
export function websocketHandlers(deps: EventDeps): Partial<Record<EventName, Handler>> {
  const handlers: Record<Exclude<EventName, 'incident_status_posted'>, Handler> = {
    incident_declared: handleIncidentChanged('incident_declared', deps.dispatch, deps.fetchIncident, deps.warn),
    incident_updated: handleIncidentChanged('incident_updated', deps.dispatch, deps.fetchIncident, deps.warn),
    pick_idea_changed: handlePickIdeaChanged(deps.dispatch, deps.fetchIdea, deps.warn),
    rfc_changed: handleRfcChanged(deps.dispatch, deps.fetchRfc, deps.warn),
    guild_changed: handleGuildChanged(deps.dispatch, deps.fetchGuild, deps.warn),
    run_changed: handleRunChanged(deps.dispatch, deps.fetchRun, deps.warn),
    pick_board_opened: handlePickBoardOpened(deps.openPickBoard, deps.warn),
  };
  return handlers;
}
