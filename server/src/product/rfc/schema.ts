import { z } from 'zod';
import { RFC_ACTIONS, RFC_STATUSES } from './lifecycle';

/** Versioned records of the RFC feature (see store.ts for where each lives). */

export const concernSchema = z.object({
  id: z.number().int().positive(),
  text: z.string().min(1).max(2000),
  raisedBy: z.string(),
  raisedAt: z.number(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.number().nullable(),
  resolution: z.string().nullable(),
});
export type Concern = z.output<typeof concernSchema>;

export const rfcSchema = z.object({
  v: z.literal(1),
  teamId: z.string(),
  number: z.number().int().positive(),
  title: z.string().min(1).max(300),
  docUrl: z.string().nullable(),
  ownerId: z.string(),
  status: z.enum(RFC_STATUSES),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Position in the team's list index. */
  ordinal: z.number().int().nonnegative(),
  /** Discussion thread, when the RFC was opened from a channel. */
  channelId: z.string().nullable(),
  rootPostId: z.string().nullable(),
  reviewers: z.array(z.object({ userId: z.string(), signedOffAt: z.number().nullable() })),
  commentPeriod: z.object({ startedAt: z.number(), endsAt: z.number() }).nullable(),
  concerns: z.array(concernSchema),
  outcome: z.object({ status: z.enum(RFC_STATUSES), reason: z.string().nullable(), by: z.string(), at: z.number() }).nullable(),
  supersededBy: z.number().int().positive().nullable(),
  supersedes: z.array(z.number().int().positive()),
  lastReviewedAt: z.number().nullable(),
  ideaNumber: z.number().int().positive().nullable(),
  /** What happened, newest last; capped so the record stays small. */
  history: z.array(
    z.object({ at: z.number(), by: z.string(), action: z.enum([...RFC_ACTIONS, 'new']), note: z.string().nullable() }),
  ),
});
export type Rfc = z.output<typeof rfcSchema>;

export { rfcReference } from '../shared/references';

const rfcSettingsSchema = z.object({
  rfcapprovers: z.string().catch('').default(''),
  rfccommentperioddays: z.coerce.number().int().min(1).max(90).catch(7).default(7),
});

export function rfcSettings(raw: Readonly<Record<string, unknown>>): { approvers: string[]; commentPeriodDays: number } {
  const s = rfcSettingsSchema.parse({
    rfcapprovers: raw.rfcapprovers ?? undefined,
    rfccommentperioddays: raw.rfccommentperioddays === '' ? undefined : raw.rfccommentperioddays,
  });
  return {
    approvers: s.rfcapprovers
      .split(/[\s,;]+/)
      .map((a) => a.replace(/^@/, '').toLowerCase())
      .filter(Boolean),
    commentPeriodDays: s.rfccommentperioddays,
  };
}
