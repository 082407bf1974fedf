import type { Post, Props } from '../../plugin/model/types';
import { CARD_PROPS, INCIDENT_POST_TYPE, type IncidentChange, type IncidentView, incidentReference } from '../contract/incidents';
import type { IncidentActivityKind, IncidentActivitySink, IncidentRunbookPort } from '../shared/ports';
import type { Access } from '../shared/access/policy';
import type { ProductContext } from '../shared/context';
import { People } from '../shared/people';
import { RELAYED_TEXT_PROPS, withoutChannelMentions } from '../shared/text/mentions';
import { cardMessage } from './messages';
import type { Incident } from './records';
import type { IncidentSettings } from './settings';
import type { IncidentStore } from './store';
import { cardData, incidentView } from './views';

/** Outbox entries that trigger a copy to the timeline chunks (readers merge the outbox meanwhile). */
export const OUTBOX_FLUSH = 10;

export interface AfterWrite {
  /** Short line posted in the incident channel by the bot (may carry the actor's text). */
  notice?: string | null;
  /** Re-render the pinned card (roles, severity, status, phase changed). */
  card?: boolean;
  /** What changed, for the websocket event. */
  change: Exclude<IncidentChange, 'declared'>;
  /** The record before the change (a severity change tells outgoing webhooks what it was). */
  before?: Incident;
}

/** The changes outgoing webhooks hear of (shared/ports.ts IncidentActivitySink). */
const ACTIVITY: Partial<Record<IncidentChange, IncidentActivityKind>> = {
  declared: 'declared',
  // An incident opened from alerts is heard of once someone accepts it (triage noise never leaves).
  accepted: 'declared',
  status: 'status',
  severity: 'severity',
  resolved: 'resolved',
  reviewed: 'reviewed',
};

type EffectsContext = Pick<ProductContext, 'api' | 'botUserId' | 'events' | 'log'>;

/**
 * What happens around an incident once its record is written: the bot's posts and direct
 * messages, the pinned card, the websocket event, and the derived data (timeline chunks, index).
 * Each is best effort once the record is written: a failure is logged and healed by the next
 * write, and never turns the change into an error.
 */
export class IncidentEffects {
  constructor(
    private readonly ctx: EffectsContext,
    private readonly store: IncidentStore,
    private readonly settings: () => IncidentSettings,
    private readonly activitySink: IncidentActivitySink | null = null,
    private readonly runbook: IncidentRunbookPort | null = null,
  ) {}

  /** The incident's runbook: started when it is declared, owned by its commander, finished when it is resolved (runs). */
  async runbookStep(incident: Incident, change: IncidentChange, actorId: string): Promise<void> {
    if (!this.runbook || !incident.channelId) return;
    const seen = { teamId: incident.teamId, channelId: incident.channelId, reference: incidentReference(incident.number), title: incident.title, type: incident.type, severity: incident.severity, commanderId: incident.roles.commander };
    if (change === 'declared') await this.runbook.declared(seen);
    else if (change === 'resolved') await this.runbook.resolved(seen, actorId);
    else if (change === 'role') await this.runbook.commanderChanged?.(seen);
  }

  /** The steps after a write, concurrently: each is a round trip and none depends on another. */
  async afterWrite(incident: Incident, access: Access, actorId: string, what: AfterWrite): Promise<void> {
    await Promise.all([
      // Timeline entries wait in the record's outbox and move to their chunk in batches.
      incident.outbox.length >= OUTBOX_FLUSH ? this.step('timeline flush', incident, () => this.store.flushTimeline(incident)) : null,
      this.step('index sync', incident, () => this.store.sync(incident)),
      what.notice ? this.step('notice', incident, () => this.relay(access, actorId, incident.channelId, what.notice!)) : null,
      what.card ? this.step('card', incident, () => this.refreshCard(incident, access)) : null,
      this.step('event', incident, () => this.publish(incident, access, what.change)),
      this.step('activity', incident, () => this.reportActivity(incident, access, what.change, what.before)),
      this.step('runbook', incident, () => this.runbookStep(incident, what.change, actorId)),
    ]);
  }

  /** A post by the bot with the plugin's own text. */
  post(channelId: string, message: string, props?: Props): Promise<Post> {
    return this.ctx.api.createPost({ ChannelId: channelId, UserId: this.ctx.botUserId, Message: message, ...(props ? { Props: props } : {}) });
  }

  /**
   * A post by the bot carrying a person's text: channel-wide mentions fire only if that person
   * could fire them in this channel themselves (`actorId` null — a timed job — never).
   */
  async relay(access: Access, actorId: string | null, channelId: string, message: string, props: Props = {}): Promise<Post> {
    const mayMention = actorId !== null && (await access.canMentionChannel(actorId, channelId));
    return this.post(channelId, mayMention ? message : withoutChannelMentions(message), { ...props, ...RELAYED_TEXT_PROPS });
  }

  /**
   * A direct message from the bot, so it reaches the user wherever they are (an ephemeral post
   * is lost unless they are looking at that channel). When the DM cannot be sent and a
   * `fallbackChannelId` is given, the user gets an ephemeral post there instead.
   */
  async directMessage(userId: string, message: string, fallbackChannelId?: string): Promise<'dm' | 'ephemeral'> {
    const { api, botUserId } = this.ctx;
    const text = withoutChannelMentions(message);
    try {
      const dm = await api.getDirectChannel(botUserId, userId);
      await this.post(dm.Id, text);
      return 'dm';
    } catch (err) {
      if (!fallbackChannelId) throw err;
      this.ctx.log.warn('direct message failed; sending an ephemeral post', { userId, error: err instanceof Error ? err.message : String(err) });
      await api.sendEphemeralPost(userId, { ChannelId: fallbackChannelId, UserId: botUserId, Message: text });
      return 'ephemeral';
    }
  }

  /** The view as a client sees it now: privacy is the channel's live type. */
  async view(incident: Incident, access: Access): Promise<IncidentView> {
    return incidentView(incident, this.settings(), await access.isPrivate(incident.channelId));
  }

  /**
   * The incident's event goes to its channel only: Mattermost delivers it to whoever may read the
   * channel now, so a conversion to private narrows the audience at once.
   */
  async publish(incident: Incident, access: Access, change: IncidentChange): Promise<void> {
    const view = await this.view(incident, access);
    const audience = { channelId: incident.channelId };
    if (change === 'declared') await this.ctx.events.publish('incident_declared', { change, incident: view }, audience);
    else await this.ctx.events.publish('incident_updated', { change, incident: view }, audience);
  }

  /** Tells the activity sink (outgoing webhooks) of a change it listens for; privacy is the channel's now. */
  async reportActivity(incident: Incident, access: Access, change: IncidentChange, before?: Incident): Promise<void> {
    const kind = ACTIVITY[change];
    if (!this.activitySink || !kind || incident.phase === 'pending' || incident.phase === 'triage' || incident.phase === 'dismissed') return;
    const settings = this.settings();
    await this.activitySink.incidentChanged({
      kind,
      teamId: incident.teamId,
      incidentId: incident.id,
      reference: incidentReference(incident.number),
      number: incident.number,
      title: incident.title,
      severity: incident.severity,
      previousSeverity: kind === 'severity' && before ? before.severity : null,
      severityLabel: settings.severityLabels[incident.severity],
      phase: incident.phase === 'resolved' ? 'resolved' : 'active',
      private: await access.isPrivate(incident.channelId),
      status: incident.lastUpdate?.text ?? null,
      summary: incident.resolution?.summary ?? null,
      components: incident.components,
      declaredAt: incident.declaredAt,
      resolvedAt: incident.resolution?.at ?? null,
      channelId: incident.channelId,
      channelName: incident.channelName,
      type: incident.type,
      at: incident.updatedAt,
      rev: incident.rev,
    });
  }

  async cardPost(incident: Incident, access: Access, people: People): Promise<Post> {
    const settings = this.settings();
    // Posted during setup, read once the incident is active: show it as it will be.
    const shown: Incident = incident.phase === 'pending' ? { ...incident, phase: incident.setup.startPhase } : incident;
    const card = await cardData(shown, settings, await access.isPrivate(incident.channelId), (id) => people.username(id));
    return {
      ChannelId: incident.channelId,
      UserId: this.ctx.botUserId,
      Type: INCIDENT_POST_TYPE,
      Message: withoutChannelMentions(cardMessage(card, settings, incident.resolution?.summary ?? '')),
      IsPinned: true,
      Props: { [CARD_PROPS.card]: JSON.stringify(card), [CARD_PROPS.incidentId]: incident.id, ...RELAYED_TEXT_PROPS },
    };
  }

  async refreshCard(incident: Incident, access: Access): Promise<void> {
    if (!incident.cardPostId) return;
    const [fresh, post] = await Promise.all([this.cardPost(incident, access, new People(this.ctx.api)), this.ctx.api.getPost(incident.cardPostId)]);
    await this.ctx.api.updatePost({ ...post, Message: fresh.Message, IsPinned: true, Props: { ...(post.Props ?? {}), ...fresh.Props } });
  }

  async step(name: string, incident: Pick<Incident, 'id'>, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.ctx.log.warn(`incident ${name} failed`, { incidentId: incident.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
