import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_LIMITS } from '../contract/webhooks';

/** Outgoing webhooks' stored records (store.ts has the key table). Every string and list is bounded. */

const id = z.string().max(64);

/** Every event type there was before runs had events: a webhook taking all of them then took "everything". */
const BEFORE_RUN_EVENTS = WEBHOOK_EVENT_TYPES.filter((t) => t.startsWith('incident.'));

export const webhookSchema = z
  .object({
    id: z.string().regex(/^wh[a-z0-9]{16}$/),
    url: z.string().min(1).max(WEBHOOK_LIMITS.url),
    /** HMAC key; shown once when added or rotated, never in a view or event. */
    secret: z.string().min(32).max(128),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length),
    /**
     * Added without `--events`: it takes every event type, including ones added later (`events`
     * reads as all of them). Absent in records made before the flag: a webhook that took every
     * type there was then is read as taking everything.
     */
    allEvents: z.boolean().optional(),
    /** Whether a private incident's title, status and summary may leave the server (default: no). */
    includePrivate: z.boolean(),
    /** Only runs and incidents of these templates (slugs); empty: all. Absent in records made before templates. */
    templates: z.array(z.string().max(64)).max(WEBHOOK_LIMITS.templates).default([]),
    createdBy: id,
    createdAt: z.number(),
  })
  .transform((w) => {
    const allEvents = w.allEvents ?? BEFORE_RUN_EVENTS.every((t) => w.events.includes(t));
    return { ...w, allEvents, events: allEvents ? [...WEBHOOK_EVENT_TYPES] : w.events };
  });
export type Webhook = z.output<typeof webhookSchema>;

export const teamWebhooksSchema = z.object({
  v: z.literal(1),
  webhooks: z.array(webhookSchema).max(WEBHOOK_LIMITS.webhooksPerTeam),
});

/** One event for one webhook: the body is frozen when the event happens, so every retry sends the same bytes. */
export const deliverySchema = z.object({
  v: z.literal(1),
  id: z.string().max(120),
  teamId: id,
  webhookId: id,
  eventId: z.string().max(64),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  body: z.string().max(64_000),
  state: z.enum(['pending', 'delivered', 'failed', 'dropped']),
  attempts: z.number().int().nonnegative(),
  createdAt: z.number(),
});
export type Delivery = z.output<typeof deliverySchema>;

/** The team's deliveries not yet finished: bounds what one team can queue. */
export const queueSchema = z.object({ v: z.literal(1), pending: z.array(z.string().max(120)).max(WEBHOOK_LIMITS.queuedPerTeam) });

export const logEntrySchema = z.object({
  eventId: z.string().max(64),
  webhookId: id,
  type: z.enum(WEBHOOK_EVENT_TYPES),
  attempt: z.number().int().nonnegative(),
  at: z.number(),
  outcome: z.enum(['delivered', 'failed', 'retrying', 'dropped']),
  httpStatus: z.number().int().nullable(),
  error: z.string().max(300).nullable(),
});
export type LogEntry = z.output<typeof logEntrySchema>;
export const deliveryLogSchema = z.object({ v: z.literal(1), entries: z.array(logEntrySchema).max(WEBHOOK_LIMITS.logKept) });
