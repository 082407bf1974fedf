import { z } from 'zod';
import { QUADRANTS } from './stats';

/** Versioned records of the PICK feature (see store.ts for where each lives). */

export const scoreValue = z.number().int().min(1).max(10);

const axis = z.object({ median: z.number(), q1: z.number(), q3: z.number(), iqr: z.number() });

export const roundResultSchema = z.object({
  round: z.number().int().positive(),
  payoff: axis,
  cost: axis,
  count: z.number().int().nonnegative(),
  quadrant: z.enum(QUADRANTS),
  disputed: z.boolean(),
  threshold: z.number(),
  revealedAt: z.number(),
  /** null when revealed automatically because everyone asked had scored. */
  revealedBy: z.string().nullable(),
});
export type RoundResult = z.output<typeof roundResultSchema>;

export const ideaSchema = z.object({
  v: z.literal(1),
  teamId: z.string(),
  number: z.number().int().positive(),
  channelId: z.string(),
  title: z.string().min(1).max(300),
  ownerId: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Where the idea sits in the channel's and the team's list indexes. */
  channelOrdinal: z.number().int().nonnegative(),
  teamOrdinal: z.number().int().nonnegative(),
  round: z.number().int().positive(),
  /** Who is asked to score this round (channel members when added); all scored → auto reveal. */
  asked: z.array(z.string()),
  /** Private per person until revealed; only the aggregate is ever shown to others. */
  scores: z.record(z.string(), z.object({ payoff: scoreValue, cost: scoreValue, at: z.number() })),
  revealed: roundResultSchema.nullable(),
  /** Results of earlier rounds, oldest first. */
  history: z.array(roundResultSchema),
  rfcNumber: z.number().int().positive().nullable(),
  archived: z.object({ reason: z.string(), by: z.string(), at: z.number() }).nullable(),
});
export type Idea = z.output<typeof ideaSchema>;

/** One entry of a team's derived sets (ideas awaiting scores; live Challenge ideas). */
export const ideaRefSchema = z.object({
  number: z.number().int().positive(),
  channelId: z.string(),
  title: z.string(),
  asked: z.array(z.string()).optional(),
  revealedAt: z.number().optional(),
  disputed: z.boolean().optional(),
});
export type IdeaRef = z.output<typeof ideaRefSchema>;
export const ideaSetSchema = z.object({ v: z.literal(1), ideas: z.array(ideaRefSchema) });

export const pickSettingsSchema = z.object({
  pickquadrantthreshold: z.coerce.number().min(1).max(10).catch(5.5).default(5.5),
  pickdisagreementiqr: z.coerce.number().min(0.5).max(9).catch(3).default(3),
});

export function pickSettings(raw: Readonly<Record<string, unknown>>): { threshold: number; disagreementIqr: number } {
  const s = pickSettingsSchema.parse({
    pickquadrantthreshold: blankToUndefined(raw.pickquadrantthreshold),
    pickdisagreementiqr: blankToUndefined(raw.pickdisagreementiqr),
  });
  return { threshold: s.pickquadrantthreshold, disagreementIqr: s.pickdisagreementiqr };
}

const blankToUndefined = (v: unknown): unknown => (v === '' || v === null ? undefined : v);

export { ideaReference } from '../shared/references';
