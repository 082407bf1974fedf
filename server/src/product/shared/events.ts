import type { PluginAPI } from '../../plugin/api/plugin_api';
import type { Logger } from './context';

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

  async publish(event: string, payload: Record<string, unknown>, audience: Audience): Promise<void> {
    const broadcast = 'channelId' in audience ? { ChannelId: audience.channelId } : { UserId: audience.userId };
    try {
      // Nested values travel as JSON text: gob carries them, but a string keeps the client simple.
      await this.api.publishWebSocketEvent(event, { data: JSON.stringify(payload) }, broadcast);
    } catch (err) {
      this.log.warn('websocket event not published', { event, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
