import { z } from 'zod';
import * as zm from 'zod/mini';
import { type IdeaStatus, PICK_LIMITS, QUADRANTS, SCORE_MAX, SCORE_MIN, ideaView } from '../contract/pick';

/**
 * PICK's stored records (see store.ts for where each lives). Every string and list has a bound,
 * so a record written by an old version or by hand can never grow past it unnoticed.
 */

export const scoreValue = z.number().int().min(SCORE_MIN).max(SCORE_MAX);

const axis = z.object({ median: z.number(), q1: z.number(), q3: z.number(), iqr: z.number() });
const userId = z.string().max(64);

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
  revealedBy: userId.nullable(),
});
export type RoundResult = z.output<typeof roundResultSchema>;

const scoreSchema = z.object({ payoff: scoreValue, cost: scoreValue, at: z.number() });

export const ideaSchema = z.object({
  v: z.literal(1),
  teamId: z.string().max(64),
  number: z.number().int().positive(),
  channelId: z.string().max(64),
  title: z.string().min(1).max(PICK_LIMITS.title),
  ownerId: userId,
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Where the idea sits in the channel's and the team's list indexes. */
  channelOrdinal: z.number().int().nonnegative(),
  teamOrdinal: z.number().int().nonnegative(),
  round: z.number().int().positive(),
  /** Who is asked to score this round (channel members when added); all scored → auto reveal. */
  asked: z.array(userId).max(PICK_LIMITS.asked),
  /** Private per person until revealed; only the aggregate is ever shown to others. */
  scores: z
    .record(userId, scoreSchema)
    .refine((s) => Object.keys(s).length <= PICK_LIMITS.scores, `at most ${PICK_LIMITS.scores} scores per round`),
  revealed: roundResultSchema.nullable(),
  /** Results of earlier rounds, oldest first. */
  history: z.array(roundResultSchema).max(PICK_LIMITS.rounds - 1),
  rfcNumber: z.number().int().positive().nullable(),
  archived: z.object({ reason: z.string().max(PICK_LIMITS.archiveReason), by: userId, at: z.number() }).nullable(),
});
export type Idea = z.output<typeof ideaSchema>;

export const statusOf = (idea: Idea): IdeaStatus => (idea.archived ? 'archived' : idea.revealed ? 'revealed' : 'open');

/** Titles kept in the derived sets are cut to this (the record has the full title). */
export const REF_TITLE_MAX = 120;

/** One entry of a team's agenda set: a live Challenge without an RFC, or a disputed idea. */
export const agendaRefSchema = z.object({
  number: z.number().int().positive(),
  channelId: z.string().max(64),
  title: z.string().max(REF_TITLE_MAX),
  revealedAt: z.number().optional(),
  disputed: z.boolean().optional(),
  /** The revealed quadrant; absent in refs of earlier versions (agendas then read the record once and repair the ref). */
  quadrant: z.enum(QUADRANTS).optional(),
  /** The whole title, when `title` had to be cut (an agenda shows it whole). */
  wholeTitle: z.string().max(PICK_LIMITS.title).optional(),
  // Written by earlier versions (the open set's refs); ignored.
  asked: z.array(z.string()).optional(),
});
export type AgendaRef = z.output<typeof agendaRefSchema>;
export const AGENDA_SET_LIMIT = 500;
export const agendaSetSchema = z.object({ v: z.literal(1), ideas: z.array(agendaRefSchema).max(AGENDA_SET_LIMIT) });

/**
 * One person's open asks in a team: the ideas waiting for their score. `overflow` counts asks that
 * did not fit (reported in /infra owe, never dropped silently).
 */
export const OWED_SET_LIMIT = 200;
export const owedRefSchema = z.object({ number: z.number().int().positive(), channelId: z.string().max(64) });
export type OwedRef = z.output<typeof owedRefSchema>;
/**
 * The person's own newest scores (the round they were given in), so a list page shows "your score"
 * from this one private key instead of opening every idea. Oldest leave first; a list then shows
 * no score for them (the idea itself still does). Absent in sets written before it existed.
 */
export const SCORED_LIMIT = 200;
export const myScoreSchema = z.object({ number: z.number().int().positive(), round: z.number().int().positive(), payoff: scoreValue, cost: scoreValue });
export type MyScore = z.output<typeof myScoreSchema>;
export const owedSetSchema = z.object({
  v: z.literal(1),
  ideas: z.array(owedRefSchema).max(OWED_SET_LIMIT),
  overflow: z.number().int().nonnegative(),
  scored: z.array(myScoreSchema).max(SCORED_LIMIT).optional(),
});
export type OwedSet = z.output<typeof owedSetSchema>;

/**
 * What a list page shows of an idea, kept in the entries of the channel's and the team's index:
 * the public view (aggregates only, as websocket events broadcast it), without the viewer's part.
 * Derived from the record on every write; an entry that does not parse (written before summaries,
 * or by a version with another view) is rebuilt from the record by the reader.
 */
export const ideaSummarySchema = zm.omit(ideaView, { viewer: true });
export type IdeaSummary = zm.output<typeof ideaSummarySchema>;

/** The set earlier versions kept per team (every open idea with its asked list); migrated away. */
export const legacyOpenSetSchema = z.object({
  v: z.literal(1),
  ideas: z.array(z.object({ number: z.number().int().positive(), channelId: z.string(), asked: z.array(z.string()).optional() }).loose()),
});
export const migrationMarkSchema = z.object({ v: z.literal(1), at: z.number() });
