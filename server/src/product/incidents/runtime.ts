import type { Post } from '../../plugin/model/types';
import type { Audience } from '../shared/events';
import type { ProductContext } from '../shared/context';
import { Access } from './access';
import { cardData, cardMessage, CARD_PROP, toView } from './card';
import type { Incident, IncidentView } from './schema';
import { type IncidentSettings, parseSettings } from './settings';
import type { IncidentStore } from './store';

/** Outbox entries that trigger a copy to the timeline chunks (readers merge the outbox meanwhile). */
export const OUTBOX_FLUSH = 10;

export const reminderKey = (incidentId: string): string => `incident-reminder:${incidentId}`;
export const setupKey = (incidentId: string): string => `incident-setup:${incidentId}`;

/** Websocket events (clients receive `custom_infra-ops_<name>`); documented in http.ts. */
export const EVENTS = {
  declared: 'incident_declared',
  updated: 'incident_updated',
  statusPosted: 'incident_status_posted',
} as const;

export interface AfterWrite {
  /** Short line posted in the incident channel by the bot. */
  notice?: string | null;
  /** Re-render the pinned card (roles, severity, status, phase changed). */
  card?: boolean;
  /** What changed, for the websocket event (e.g. "severity"). */
  change: string;
}

/**
 * What every incident use case shares: the context, the store, settings, and the steps that
 * follow each write (timeline flush, index sync, notice, card, websocket event). Those steps are
 * best effort once the record is written: a failure is logged and healed by the next write.
 */
export class IncidentRuntime {
  private readonly cache = new Map<string, { until: number; value: Promise<unknown> }>();

  constructor(
    readonly ctx: ProductContext,
    readonly store: IncidentStore,
  ) {}

  /**
   * Server facts that rarely change (site URL, team names, the feed channel) kept for a minute,
   * so a declaration does not pay a round trip for each. Never incident state: that lives in KV.
   */
  cached<T>(key: string, load: () => Promise<T>, ttlMs = 60_000): Promise<T> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    const value = load();
    this.cache.set(key, { until: now + ttlMs, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  siteUrl(): Promise<string> {
    return this.cached('siteUrl', async () => {
      const config = await this.ctx.api.getConfig();
      const service = config['ServiceSettings'];
      const url = typeof service === 'object' && service !== null ? (service as Record<string, unknown>)['SiteURL'] : undefined;
      return typeof url === 'string' ? url : '';
    });
  }

  teamName(teamId: string): Promise<string> {
    return this.cached(`team:${teamId}`, async () => (await this.ctx.api.getTeam(teamId)).Name);
  }

  settings(): IncidentSettings {
    return parseSettings(this.ctx.settings());
  }

  /** A fresh permission checker (its lookups are memoised for one request or command). */
  access(): Access {
    return new Access(this.ctx.api);
  }

  view(incident: Incident): IncidentView {
    return toView(incident, this.settings());
  }

  /** The steps after a write, concurrently: each is a round trip and none depends on another. */
  async afterWrite(incident: Incident, what: AfterWrite): Promise<void> {
    await Promise.all([
      // Timeline entries wait in the record's outbox and move to their chunk in batches.
      incident.outbox.length >= OUTBOX_FLUSH ? this.step('timeline flush', incident, () => this.store.flushTimeline(incident)) : null,
      this.step('index sync', incident, () => this.store.sync(incident)),
      what.notice ? this.step('notice', incident, () => this.post(incident.channelId, what.notice!)) : null,
      what.card ? this.step('card', incident, () => this.refreshCard(incident)) : null,
      this.step('event', incident, () => this.publish(EVENTS.updated, incident, what.change)),
    ]);
  }

  async post(channelId: string, message: string, extra: Partial<Post> = {}): Promise<Post> {
    return this.ctx.api.createPost({ ChannelId: channelId, UserId: this.ctx.botUserId, Message: message, ...extra });
  }

  /**
   * A direct message from the bot, so it reaches the user wherever they are (an ephemeral post
   * is lost unless they are looking at that channel). When the DM cannot be sent and a
   * `fallbackChannelId` is given, the user gets an ephemeral post there instead.
   */
  async directMessage(userId: string, message: string, fallbackChannelId?: string): Promise<'dm' | 'ephemeral'> {
    const { api, botUserId } = this.ctx;
    try {
      const dm = await api.getDirectChannel(botUserId, userId);
      await this.post(dm.Id, message);
      return 'dm';
    } catch (err) {
      if (!fallbackChannelId) throw err;
      this.ctx.log.warn('direct message failed; sending an ephemeral post', { userId, error: err instanceof Error ? err.message : String(err) });
      await api.sendEphemeralPost(userId, { ChannelId: fallbackChannelId, UserId: botUserId, Message: message });
      return 'ephemeral';
    }
  }

  /** Private incidents go to the channel's members only; public ones to the whole team. */
  audience(incident: Incident): Audience {
    return incident.private ? { channelId: incident.channelId } : { teamId: incident.teamId };
  }

  async publish(event: string, incident: Incident, change: string): Promise<void> {
    await this.ctx.events.publish(event, { change, incident: this.view(incident) }, this.audience(incident));
  }

  async refreshCard(incident: Incident): Promise<void> {
    if (!incident.cardPostId) return;
    const settings = this.settings();
    const card = await cardData(incident, settings, this.access().people);
    const post = await this.ctx.api.getPost(incident.cardPostId);
    await this.ctx.api.updatePost({
      ...post,
      Message: cardMessage(card, settings),
      IsPinned: true,
      Props: { ...(post.Props ?? {}), [CARD_PROP]: JSON.stringify(card), incident_id: incident.id },
    });
  }

  async step(name: string, incident: Incident, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.ctx.log.warn(`incident ${name} failed`, { incidentId: incident.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
