/**
 * Websocket events. The server publishes `<name>` with `{data: "<JSON text of the payload>"}`
 * (nested values travel as one string: the gob bridge carries it unchanged); clients receive it
 * as `custom_infra-ops_<name>`. Every payload carries the whole view, so a client never needs a
 * follow-up request; the audience is chosen by the server (a record's channel, or one user).
 */
import * as z from 'zod/mini';
import { PLUGIN_ID } from './api';
import { guildView } from './guilds';
import { INCIDENT_CHANGES, incidentView } from './incidents';
import { ideaView } from './pick';
import { rfcChangedView } from './rfc';
import { runChangedView } from './runs';

export const EVENT_PAYLOADS = {
  /** To the incident's channel only. */
  incident_declared: z.strictObject({ change: z.literal('declared'), incident: incidentView }),
  incident_updated: z.strictObject({ change: z.enum(INCIDENT_CHANGES), incident: incidentView }),
  /** To each follower who may see the incident; they also get the update as a DM. */
  incident_status_posted: z.strictObject({ incidentId: z.string(), reference: z.string(), message: z.string() }),
  /** To the idea's channel; `viewer` is null (no single viewer). */
  pick_idea_changed: z.strictObject({ idea: ideaView }),
  /** To the caller of `/pick board`: open the chart in the sidebar. */
  pick_board_opened: z.strictObject({ teamId: z.string(), channelId: z.nullable(z.string()) }),
  /** To the RFC's channel: which RFC changed; clients fetch it as their user sees it. */
  rfc_changed: z.strictObject({ rfc: rfcChangedView }),
  /** To the guild's channel, or to the caller while the guild has none. */
  guild_changed: z.strictObject({ guild: guildView }),
  /** To the run's channel: which run changed; clients fetch it as their user sees it. */
  run_changed: z.strictObject({ run: runChangedView }),
} as const;

export type EventName = keyof typeof EVENT_PAYLOADS;
export type EventPayload<E extends EventName> = z.output<(typeof EVENT_PAYLOADS)[E]>;
export const EVENT_NAMES = Object.keys(EVENT_PAYLOADS) as EventName[];

/** `custom_infra-ops_<name>`: what the host's websocket delivers. */
export const wsEventName = (event: EventName): string => `custom_${PLUGIN_ID}_${event}`;

/** The wire form of a payload (what the server hands to PublishWebSocketEvent). */
export const eventData = <E extends EventName>(_event: E, payload: EventPayload<E>): { data: string } => ({ data: JSON.stringify(payload) });
