import type { PluginAPI } from '../../plugin/api/plugin_api';
import type { Logger } from './context';

/**
 * Who receives a websocket event. Private data goes to a channel's members (channelId) or to
 * one user, never team-wide: the server enforces the audience, so the payload is never seen by
 * someone outside it.
 */
export type Audience = { readonly channelId: string } | { readonly userId: string } | { readonly teamId: string };

/** Publishes `custom_infra-ops_<event>` websocket events; best effort, since clients also poll. */
export class EventPublisher {
  constructor(
    private readonly api: Pick<PluginAPI, 'publishWebSocketEvent'>,
    private readonly log: Logger,
  ) {}

  async publish(event: string, payload: Record<string, unknown>, audience: Audience): Promise<void> {
    const broadcast =
      'channelId' in audience ? { ChannelId: audience.channelId } : 'userId' in audience ? { UserId: audience.userId } : { TeamId: audience.teamId };
    try {
      // Nested values travel as JSON text: gob carries them, but a string keeps the client simple.
      await this.api.publishWebSocketEvent(event, { data: JSON.stringify(payload) }, broadcast);
    } catch (err) {
      this.log.warn('websocket event not published', { event, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
