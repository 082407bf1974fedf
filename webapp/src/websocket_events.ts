// One handler factory per server event. The server publishes `custom_infra-ops_<event>` with
// `{data: "<JSON text>"}` (server/src/product/shared/events.ts). A payload carries the changed
// record; when it only names the record, or the record does not decode, the handler refetches it
// over REST, so the UI converges either way. A handler never throws into the host's socket loop.
import type { Dispatch } from 'redux';
import { guildReceived, ideaReceived, incidentReceived, rfcReceived, type PluginAction } from './actions';
import { type Decoder, isRecord } from './decode';
import type { WebSocketMessage } from './types/registry';
import { decodeIdea, decodeIncident, decodeRfc, type Guild, type Idea, type Incident, type Rfc } from './types/model';

export type Warn = (message: string, detail?: unknown) => void;
export type Handler = (msg: WebSocketMessage) => void;

/** The JSON object inside `msg.data.data`, or undefined when the message is not one of ours. */
export function payloadOf(msg: WebSocketMessage): Record<string, unknown> | undefined {
  const outer = msg.data;
  if (!isRecord(outer) || typeof outer.data !== 'string') return undefined;
  try {
    const inner: unknown = JSON.parse(outer.data);
    return isRecord(inner) ? inner : undefined;
  } catch {
    return undefined;
  }
}

interface RecordEvent<T, Ref> {
  /** Payload field holding the full record, e.g. `idea`. */
  field: string;
  decode: Decoder<T>;
  /** What to refetch by when the record is missing or damaged; undefined when nothing names it. */
  refOf: (payload: Record<string, unknown>) => Ref | undefined;
  fetch: (ref: Ref) => Promise<T>;
  received: (record: T) => PluginAction;
}

function recordEventHandler<T, Ref>(spec: RecordEvent<T, Ref>, dispatch: Dispatch<PluginAction>, warn: Warn): Handler {
  return (msg) => {
    const payload = payloadOf(msg);
    if (!payload) {
      warn(`ignored ${msg.event}: payload is not a JSON object`);
      return;
    }
    if (payload[spec.field] !== undefined) {
      try {
        dispatch(spec.received(spec.decode(payload[spec.field], spec.field)));
        return;
      } catch (err) {
        warn(`${msg.event}: ${spec.field} did not decode; refetching`, err);
      }
    }
    const ref = spec.refOf(payload);
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

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const sub = (payload: Record<string, unknown>, field: string): Record<string, unknown> =>
  isRecord(payload[field]) ? (payload[field] as Record<string, unknown>) : {};

/**
 * `incident_declared` and `incident_updated` {change, incident: IncidentView}; a payload that only
 * names the incident ({incidentId}) is refetched.
 */
export const handleIncidentChanged = (dispatch: Dispatch<PluginAction>, fetch: (id: string) => Promise<Incident>, warn: Warn): Handler =>
  recordEventHandler(
    {
      field: 'incident',
      decode: decodeIncident,
      refOf: (p) => str(p.incidentId) ?? str(sub(p, 'incident').id),
      fetch,
      received: incidentReceived,
    },
    dispatch,
    warn,
  );

/** Ideas and RFCs are numbered per team. */
export interface RecordRef {
  teamId: string;
  number: number;
}

const teamNumberRef = (record: Record<string, unknown>): RecordRef | undefined => {
  const teamId = str(record.teamId);
  return teamId && typeof record.number === 'number' ? { teamId, number: record.number } : undefined;
};

/** `pick_idea_changed` {idea: IdeaView}, sent to the idea's channel on every change. */
export const handlePickIdeaChanged = (dispatch: Dispatch<PluginAction>, fetch: (ref: RecordRef) => Promise<Idea>, warn: Warn): Handler =>
  recordEventHandler(
    {
      field: 'idea',
      decode: decodeIdea,
      refOf: (p) => teamNumberRef(sub(p, 'idea')),
      fetch,
      received: ideaReceived,
    },
    dispatch,
    warn,
  );

/** `rfc_changed` {rfc}, sent to the RFC's team on every change. */
export const handleRfcChanged = (dispatch: Dispatch<PluginAction>, fetch: (ref: RecordRef) => Promise<Rfc>, warn: Warn): Handler =>
  recordEventHandler({ field: 'rfc', decode: decodeRfc, refOf: (p) => teamNumberRef(sub(p, 'rfc')), fetch, received: rfcReceived }, dispatch, warn);

export interface GuildRef {
  teamId: string;
  slug: string;
}

/**
 * `guild_changed` {guild}: the record carries no next meeting time (the server computes it per
 * request), so the guild is always refetched. A guild without a team (no channel yet) is fetched
 * in the team being looked at, as the server resolves guilds by the caller's current team.
 */
export const handleGuildChanged =
  (dispatch: Dispatch<PluginAction>, fetch: (ref: GuildRef) => Promise<Guild>, currentTeamId: () => string, warn: Warn): Handler =>
  (msg) => {
    const guild = sub(payloadOf(msg) ?? {}, 'guild');
    const slug = str(guild.slug);
    if (!slug) {
      warn(`ignored ${msg.event}: no guild slug`);
      return;
    }
    fetch({ teamId: str(guild.teamId) ?? currentTeamId(), slug }).then(
      (g) => dispatch(guildReceived(g)),
      (err: unknown) => warn(`${msg.event}: could not fetch guild ${slug}`, err),
    );
  };

/** `pick_board_opened` {teamId, channelId}: the user ran `/pick board`; open the chart. */
export const handlePickBoardOpened =
  (openBoard: (teamId: string, channelId: string | null) => void, warn: Warn): Handler =>
  (msg) => {
    const payload = payloadOf(msg);
    const teamId = str(payload?.teamId);
    if (!teamId) {
      warn(`ignored ${msg.event}: no teamId`);
      return;
    }
    openBoard(teamId, str(payload?.channelId) ?? null);
  };

export interface EventDeps {
  dispatch: Dispatch<PluginAction>;
  fetchIncident: (id: string) => Promise<Incident>;
  fetchIdea: (ref: RecordRef) => Promise<Idea>;
  fetchRfc: (ref: RecordRef) => Promise<Rfc>;
  fetchGuild: (ref: GuildRef) => Promise<Guild>;
  currentTeamId: () => string;
  openPickBoard: (teamId: string, channelId: string | null) => void;
  warn: Warn;
}

/** Server event name (without the `custom_infra-ops_` prefix) → handler. */
export function websocketHandlers(deps: EventDeps): Record<string, Handler> {
  return {
    incident_declared: handleIncidentChanged(deps.dispatch, deps.fetchIncident, deps.warn),
    incident_updated: handleIncidentChanged(deps.dispatch, deps.fetchIncident, deps.warn),
    pick_idea_changed: handlePickIdeaChanged(deps.dispatch, deps.fetchIdea, deps.warn),
    rfc_changed: handleRfcChanged(deps.dispatch, deps.fetchRfc, deps.warn),
    guild_changed: handleGuildChanged(deps.dispatch, deps.fetchGuild, deps.currentTeamId, deps.warn),
    pick_board_opened: handlePickBoardOpened(deps.openPickBoard, deps.warn),
  };
}
