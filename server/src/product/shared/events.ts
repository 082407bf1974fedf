import type { PluginAPI } from '../../plugin/api/plugin_api';
import { eventData, type EventName, type EventPayload } from '../contract/events';
import type { Logger } from './logger';

/**
 * Who receives a websocket event: a channel's members or one user — never a whole team, since a
 * team includes guests and people outside the record's channel. Mattermost enforces the audience,
 * so a payload is never seen outside it; a record's event goes to its channel (who can read it
 * now), a record without a channel is announced to the acting user only.
 */
export type Audience = { readonly channelId: string } | { readonly userId: string };

/** Publishes `custom_infra-ops_<event>` websocket events; best effort, since clients also poll. */
export class EventPublisher {
  constructor(
    private readonly api: Pick<PluginAPI, 'publishWebSocketEvent'>,
    private readonly log: Logger,
  ) {}

  /** Payloads are typed by the shared contract, so the webapp decodes exactly what is sent. */
  async publish<E extends EventName>(event: E, payload: EventPayload<E>, audience: Audience): Promise<void> {
    const broadcast = 'channelId' in audience ? { ChannelId: audience.channelId } : { UserId: audience.userId };
    try {
      // Nested values travel as JSON text: gob carries them, but a string keeps the client simple.
      await this.api.publishWebSocketEvent(event, eventData(event, payload), broadcast);
    } catch (err) {
      this.log.warn('websocket event not published', { event, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
