/** PICK prioritisation as clients see it: ideas, score results, quadrants, routes. */
import * as z from 'zod/mini';
import { emptyBody, mmId, numberedReference, pageOf, pageQueryShape, route } from './api';

/**
 * From the medians against the threshold: Possible (low payoff, low cost), Implement (high, low),
 * Challenge (high, high), Kill (low, high).
 */
export const QUADRANTS = ['possible', 'implement', 'challenge', 'kill'] as const;
export type Quadrant = (typeof QUADRANTS)[number];
export const QUADRANT_LABELS: Record<Quadrant, string> = { possible: 'Possible', implement: 'Implement', challenge: 'Challenge', kill: 'Kill' };

export const IDEA_STATUSES = ['open', 'revealed', 'archived'] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

/** The list's `filter`; omitted = `all` (every idea not archived). */
export const IDEA_FILTERS = [...QUADRANTS, 'open', 'all', 'archived'] as const;
export type IdeaFilter = (typeof IDEA_FILTERS)[number];

export const SCORE_MIN = 1;
export const SCORE_MAX = 10;
/**
 * Bounds on what an idea stores; exceeding one is an error naming it. `asked`: a larger channel
 * is not snapshotted (the owner reveals instead); `scores`: scorers per round; `rounds`: rounds
 * an idea keeps (the current one and its history).
 */
export const PICK_LIMITS = { title: 300, archiveReason: 500, asked: 100, scores: 500, rounds: 50 } as const;

/**
 * No round is revealed — by its owner, an admin or automatically — with fewer scores than this:
 * the median of one score is that person's private score.
 */
export const MIN_SCORES_TO_REVEAL = 2;

/** IDEA-012: per-team numbers, three digits at least (the one style, api.ts). */
export const ideaReference = (n: number): string => numberedReference('IDEA', n);

// ---- views ----

const axis = z.strictObject({ median: z.number(), q1: z.number(), q3: z.number(), iqr: z.number() });
export type Spread = z.output<typeof axis>;

/** A revealed round: only aggregates, never a person's score. */
export const roundResultView = z.strictObject({
  round: z.number(),
  payoff: axis,
  cost: axis,
  /** How many people scored. */
  count: z.number(),
  quadrant: z.enum(QUADRANTS),
  /** An IQR at or above the disagreement setting on either axis. */
  disputed: z.boolean(),
  threshold: z.number(),
  revealedAt: z.number(),
  /** null when revealed automatically because everyone asked had scored. */
  revealedBy: z.nullable(z.string()),
});
export type RoundResultView = z.output<typeof roundResultView>;

const score = z.strictObject({ payoff: z.number(), cost: z.number() });

export const ideaView = z.strictObject({
  teamId: z.string(),
  number: z.number(),
  /** "IDEA-012" */
  reference: z.string(),
  channelId: z.string(),
  title: z.string(),
  ownerId: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  status: z.enum(IDEA_STATUSES),
  round: z.number(),
  askedCount: z.number(),
  scoredCount: z.number(),
  revealed: z.nullable(roundResultView),
  /** Earlier rounds, oldest first. */
  history: z.array(roundResultView),
  rfcNumber: z.nullable(z.number()),
  archived: z.nullable(z.strictObject({ reason: z.string(), by: z.string(), at: z.number() })),
  /**
   * The caller's own part: their score this round (private until the reveal) and whether they are
   * asked to score. null where there is no single viewer (websocket events go to a channel).
   */
  viewer: z.nullable(z.strictObject({ myScore: z.nullable(score), awaitingMyScore: z.boolean() })),
});
export type IdeaView = z.output<typeof ideaView>;

// ---- requests ----

/** Omitted channel_id: team-wide, limited to channels the caller can read. */
export const ideaListQuery = z.strictObject({
  channel_id: z.optional(mmId),
  filter: z.optional(z.enum(IDEA_FILTERS)),
  ...pageQueryShape,
});
export type IdeaListQuery = z.output<typeof ideaListQuery>;

/** The idea belongs to the channel's team, which must be the path's team. */
export const addIdeaBody = z.strictObject({
  channel_id: mmId,
  title: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(PICK_LIMITS.title)),
});
export type AddIdeaBody = z.input<typeof addIdeaBody>;

const scoreValue = z.number().check(z.int(), z.minimum(SCORE_MIN), z.maximum(SCORE_MAX));
export const scoreBody = z.strictObject({ payoff: scoreValue, cost: scoreValue });
export const archiveBody = z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(PICK_LIMITS.archiveReason)),
});
export const linkBody = z.strictObject({ rfc: z.number().check(z.int(), z.positive()) });

// ---- answers and routes ----

const ideaAnswer = z.strictObject({ idea: ideaView });
export type IdeaAnswer = z.output<typeof ideaAnswer>;

const action = <const V extends string, B extends z.core.$ZodType>(verb: V, body: B) =>
  route({ method: 'POST', path: `/teams/:teamId/ideas/:number/${verb}`, query: null, body, answer: ideaAnswer, status: 200 });

export const pickRoutes = {
  /** Newest first; `threshold` is where the chart is split. */
  list: route({
    method: 'GET',
    path: '/teams/:teamId/ideas',
    query: ideaListQuery,
    body: null,
    answer: z.extend(pageOf(ideaView), { threshold: z.number() }),
    status: 200,
  }),
  add: route({ method: 'POST', path: '/teams/:teamId/ideas', query: null, body: addIdeaBody, answer: ideaAnswer, status: 201 }),
  get: route({ method: 'GET', path: '/teams/:teamId/ideas/:number', query: null, body: null, answer: ideaAnswer, status: 200 }),
  /** autoRevealed: this score was the last one asked for, so the round was revealed. */
  score: route({
    method: 'POST',
    path: '/teams/:teamId/ideas/:number/score',
    query: null,
    body: scoreBody,
    answer: z.strictObject({ idea: ideaView, autoRevealed: z.boolean() }),
    status: 200,
  }),
  reveal: action('reveal', emptyBody),
  rescore: action('rescore', emptyBody),
  archive: action('archive', archiveBody),
  link: action('link', linkBody),
} as const;
