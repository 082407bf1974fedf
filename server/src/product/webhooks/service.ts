import { WEBHOOK_EVENT_TYPES, WEBHOOK_LIMITS, type WebhookEventType } from '../contract/webhooks';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import type { IncidentActivity, IncidentActivitySink, RunActivity, RunActivitySink, RunTemplatePort } from '../shared/ports';
import type { JobPayload, JobRun } from '../shared/scheduler';
import { attemptDelivery, checkWebhookUrl, retryDelay } from './delivery';
import { eventIdOf, EVENT_TYPE_OF, RUN_EVENT_TYPE_OF, runEventIdOf, webhookEventOf, webhookRunEventOf } from './events';
import { EVENT_WORDS, WEBHOOK_TEXT } from './messages';
import { teamScope, webhookPolicy } from './policy';
import type { Delivery, LogEntry, Webhook } from './records';
import type { WebhookSettings } from './settings';
import { newSecret, newWebhookId } from './signing';
import type { WebhookStore } from './store';

export const DELIVERY_JOB = 'webhook-delivery';
const jobKeyOf = (deliveryId: string): string => `wh:${deliveryId}`;

type ServiceContext = Pick<ProductContext, 'api' | 'access' | 'log' | 'now' | 'scheduler'>;

export interface NewWebhook {
  url: string;
  events: readonly WebhookEventType[] | null;
  includePrivate: boolean;
  /** Template names or slugs: only their runs and incidents are delivered (null or empty: all). */
  templates?: readonly string[] | null;
}

/** `--events declared,status` → the event types; unknown words are a clear error. */
export function parseEventList(text: string): WebhookEventType[] {
  const words = text.split(/[\s,]+/).filter(Boolean);
  const types = words.map((w) => {
    const lower = w.toLowerCase();
    const type = EVENT_WORDS[lower] ?? (WEBHOOK_EVENT_TYPES as readonly string[]).find((t) => t === lower);
    if (!type) throw UserError.badRequest(WEBHOOK_TEXT.badEvent(w));
    return type as WebhookEventType;
  });
  return [...new Set(types)];
}

/**
 * Outgoing webhooks: team admins manage them; every incident change they listen for becomes one
 * delivery per webhook, queued (bounded per team) and sent by a scheduler job. The job's claim
 * makes one node send it; a delivery's state moves pending → delivered|failed|dropped by
 * compare-and-set, so a re-run after success sends nothing. Failures are retried with backoff
 * (delivery.ts RETRY_DELAYS_MS) by rescheduling the same job.
 */
export class WebhookService implements IncidentActivitySink, RunActivitySink {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: WebhookStore,
    private readonly settings: () => WebhookSettings,
    /** Runs' templates (per-template webhooks); null: every webhook gets every run and incident. */
    private readonly runTemplates: RunTemplatePort | null = null,
  ) {}

  register(): void {
    this.ctx.scheduler.register(DELIVERY_JOB, (payload, job) => this.deliver(payload, job));
  }

  private async requireAdmin(userId: string, teamId: string, what: string): Promise<void> {
    await webhookPolicy.require(this.ctx.access(), userId, 'manage', { scope: teamScope(teamId) }, what);
  }

  async list(userId: string, teamId: string): Promise<Webhook[]> {
    await this.requireAdmin(userId, teamId, 'see the outgoing webhooks');
    return this.store.list(teamId);
  }

  async add(userId: string, teamId: string, input: NewWebhook): Promise<{ webhook: Webhook; secret: string }> {
    await this.requireAdmin(userId, teamId, 'add outgoing webhooks');
    const checked = checkWebhookUrl(input.url);
    if (!checked.ok) throw UserError.badRequest(WEBHOOK_TEXT.badUrl(checked.why));
    if (checked.url.length > WEBHOOK_LIMITS.url) throw UserError.badRequest(WEBHOOK_TEXT.badUrl('invalid'));
    const templates = await this.templateSlugs(teamId, input.templates ?? []);
    const webhook: Webhook = {
      id: newWebhookId(),
      url: checked.url,
      secret: newSecret(),
      events: input.events?.length ? [...input.events] : [...WEBHOOK_EVENT_TYPES],
      allEvents: !input.events?.length,
      includePrivate: input.includePrivate,
      templates,
      createdBy: userId,
      createdAt: this.ctx.now(),
    };
    await this.store.change(teamId, (current) => {
      if (current.some((w) => w.url === webhook.url)) throw UserError.conflict(WEBHOOK_TEXT.duplicate);
      if (current.length >= WEBHOOK_LIMITS.webhooksPerTeam) throw UserError.conflict(WEBHOOK_TEXT.tooMany);
      return [...current, webhook];
    });
    return { webhook, secret: webhook.secret };
  }

  async remove(userId: string, teamId: string, webhookId: string): Promise<Webhook> {
    await this.requireAdmin(userId, teamId, 'remove outgoing webhooks');
    let removed: Webhook | undefined;
    await this.store.change(teamId, (current) => {
      removed = current.find((w) => w.id === webhookId);
      if (!removed) throw UserError.notFound(WEBHOOK_TEXT.noSuchWebhook(webhookId));
      return current.filter((w) => w.id !== webhookId);
    });
    return removed!;
  }

  async rotate(userId: string, teamId: string, webhookId: string): Promise<{ webhook: Webhook; secret: string }> {
    await this.requireAdmin(userId, teamId, 'rotate webhook secrets');
    const secret = newSecret();
    const after = await this.store.change(teamId, (current) => {
      if (!current.some((w) => w.id === webhookId)) throw UserError.notFound(WEBHOOK_TEXT.noSuchWebhook(webhookId));
      return current.map((w) => (w.id === webhookId ? { ...w, secret } : w));
    });
    return { webhook: after.find((w) => w.id === webhookId)!, secret };
  }

  async deliveries(userId: string, teamId: string): Promise<{ entries: LogEntry[]; queued: number }> {
    await this.requireAdmin(userId, teamId, 'read the webhook delivery log');
    const [entries, queued] = await Promise.all([this.store.logEntries(teamId), this.store.queued(teamId)]);
    return { entries, queued };
  }

  /** `--template` names → the team's template slugs; an unknown one is refused by name. */
  private async templateSlugs(teamId: string, names: readonly string[]): Promise<string[]> {
    const wanted = names.map((n) => n.trim()).filter(Boolean);
    if (wanted.length > WEBHOOK_LIMITS.templates) throw UserError.badRequest(WEBHOOK_TEXT.tooManyTemplates);
    if (wanted.length === 0) return [];
    if (!this.runTemplates) throw UserError.badRequest(WEBHOOK_TEXT.noSuchTemplate(wanted[0]!));
    const slugs: string[] = [];
    for (const name of wanted) {
      const slug = await this.runTemplates.slugOf(teamId, name);
      if (!slug) throw UserError.badRequest(WEBHOOK_TEXT.noSuchTemplate(name));
      slugs.push(slug);
    }
    return [...new Set(slugs)];
  }

  /** Webhooks that take this event type, for a run or incident of this template (null: none applies). */
  private async listeners(teamId: string, type: WebhookEventType, template: () => Promise<{ slug: string } | null>): Promise<Webhook[]> {
    const byType = (await this.store.list(teamId)).filter((w) => w.events.includes(type));
    if (!byType.some((w) => w.templates.length > 0)) return byType;
    const slug = (await template())?.slug ?? null;
    return byType.filter((w) => w.templates.length === 0 || (slug !== null && w.templates.includes(slug)));
  }

  /** One delivery per listening webhook, queued and scheduled now; the same change twice is queued once. */
  async incidentChanged(activity: IncidentActivity): Promise<void> {
    const type = EVENT_TYPE_OF[activity.kind];
    let template: Promise<{ slug: string; name: string } | null> | undefined;
    const templateOf = (): Promise<{ slug: string; name: string } | null> =>
      (template ??= this.runTemplates?.incidentTemplate({ teamId: activity.teamId, channelId: activity.channelId, type: activity.type ?? null, severity: activity.severity }) ?? Promise.resolve(null));
    const listening = await this.listeners(activity.teamId, type, templateOf);
    if (listening.length === 0) return;
    const [team, siteUrl, runbook] = await Promise.all([this.ctx.api.getTeam(activity.teamId), this.siteUrl(), templateOf()]);
    await this.queue(activity.teamId, eventIdOf(activity), type, listening, (webhook) =>
      JSON.stringify(webhookEventOf(activity, { id: team.Id, name: team.Name }, { includePrivate: webhook.includePrivate, siteUrl, template: runbook })),
    );
  }

  /** A run (not an incident) started or finished: the same delivery engine, filtered by its template. */
  async runChanged(activity: RunActivity): Promise<void> {
    const type = RUN_EVENT_TYPE_OF[activity.kind];
    const listening = await this.listeners(activity.teamId, type, async () => activity.template);
    if (listening.length === 0) return;
    const [team, siteUrl] = await Promise.all([this.ctx.api.getTeam(activity.teamId), this.siteUrl()]);
    await this.queue(activity.teamId, runEventIdOf(activity), type, listening, (webhook) =>
      JSON.stringify(webhookRunEventOf(activity, { id: team.Id, name: team.Name }, { includePrivate: webhook.includePrivate, siteUrl })),
    );
  }

  /** Freezes one body per webhook, joins the team's bounded queue, and schedules each delivery now. */
  private async queue(teamId: string, eventId: string, type: WebhookEventType, listening: readonly Webhook[], bodyOf: (webhook: Webhook) => string): Promise<void> {
    let scheduled = 0;
    for (const webhook of listening) {
      const delivery: Delivery = {
        v: 1,
        id: `${eventId}.${webhook.id}`,
        teamId,
        webhookId: webhook.id,
        eventId,
        type,
        body: bodyOf(webhook),
        state: 'pending',
        attempts: 0,
        createdAt: this.ctx.now(),
      };
      const admitted = (await this.store.enqueue(teamId, delivery.id)) || ((await this.store.pruneQueue(teamId)) > 0 && (await this.store.enqueue(teamId, delivery.id)));
      if (!admitted) {
        await this.logAttempt(delivery, 0, 'dropped', null, WEBHOOK_TEXT.queueFull);
        continue;
      }
      if (!(await this.store.insertDelivery(delivery))) continue;
      await this.ctx.scheduler.schedule(jobKeyOf(delivery.id), DELIVERY_JOB, this.ctx.now(), { deliveryId: delivery.id });
      scheduled++;
    }
    // Sent soon rather than at the next poll; the claim still decides which node sends.
    if (scheduled > 0) void this.ctx.scheduler.runDue().catch((err: unknown) => this.ctx.log.warn('webhook run failed', { error: String(err) }));
  }

  private async siteUrl(): Promise<string | null> {
    const config = await this.ctx.api.getConfig().catch(() => null);
    const service = config?.['ServiceSettings'] as { SiteURL?: unknown } | undefined;
    return typeof service?.SiteURL === 'string' && service.SiteURL ? service.SiteURL : null;
  }

  /** The scheduler job: one attempt; success or the last failure ends it, else the job is rescheduled with backoff. */
  private async deliver(payload: JobPayload, job: JobRun): Promise<void> {
    const deliveryId = typeof payload['deliveryId'] === 'string' ? payload['deliveryId'] : '';
    const delivery = await this.store.getDelivery(deliveryId);
    if (!delivery || delivery.state !== 'pending') return;
    const webhook = (await this.store.list(delivery.teamId)).find((w) => w.id === delivery.webhookId);
    const attempt = delivery.attempts + 1;
    if (!webhook) {
      await this.finish(delivery, { state: 'dropped', attempts: delivery.attempts }, 'dropped', null, WEBHOOK_TEXT.webhookGone);
      return;
    }
    const result = await attemptDelivery({
      url: webhook.url,
      secret: webhook.secret,
      eventId: delivery.eventId,
      type: delivery.type,
      body: delivery.body,
      nowSeconds: Math.floor(this.ctx.now() / 1000),
      timeoutMs: this.settings().timeoutMs,
      signal: job.signal,
    });
    if (result.ok) {
      await this.finish(delivery, { state: 'delivered', attempts: attempt }, 'delivered', result.status, null);
      return;
    }
    const delay = retryDelay(attempt);
    if (delay === null) {
      await this.finish(delivery, { state: 'failed', attempts: attempt }, 'failed', result.status, result.error);
      return;
    }
    if (!(await this.store.advance(delivery.id, { state: 'pending', attempts: attempt }))) return;
    await this.logAttempt(delivery, attempt, 'retrying', result.status, result.error);
    await this.ctx.scheduler.schedule(job.key, DELIVERY_JOB, this.ctx.now() + delay, payload);
  }

  private async finish(delivery: Delivery, next: Pick<Delivery, 'state' | 'attempts'>, outcome: LogEntry['outcome'], status: number | null, error: string | null): Promise<void> {
    if (!(await this.store.advance(delivery.id, next))) return;
    await Promise.all([this.store.dequeue(delivery.teamId, delivery.id), this.logAttempt(delivery, next.attempts, outcome, status, error)]);
  }

  private async logAttempt(delivery: Delivery, attempt: number, outcome: LogEntry['outcome'], httpStatus: number | null, error: string | null): Promise<void> {
    await this.store.log(delivery.teamId, {
      eventId: delivery.eventId,
      webhookId: delivery.webhookId,
      type: delivery.type,
      attempt,
      at: this.ctx.now(),
      outcome,
      httpStatus,
      error: error?.slice(0, 300) ?? null,
    });
  }
}
