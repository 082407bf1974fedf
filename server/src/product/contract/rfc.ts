/** RFCs as clients see them: the register's view, statuses and their labels, routes. */
import * as z from 'zod/mini';
import { emptyBody, mmId, numberedReference, pageOf, pageQueryShape, route } from './api';
import { SIGNOFF_ANSWERS } from './signoff';

export const RFC_STATUSES = ['draft', 'in_review', 'accepted', 'rejected', 'postponed', 'withdrawn', 'superseded'] as const;
export type RfcStatus = (typeof RFC_STATUSES)[number];
export const RFC_STATUS_LABELS: Record<RfcStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  accepted: 'Accepted',
  rejected: 'Rejected',
  postponed: 'Postponed',
  withdrawn: 'Withdrawn',
  superseded: 'Superseded',
};

/** The decisions `POST …/decision` takes; each leads to the status of the same name. */
export const RFC_DECISIONS = ['accept', 'reject', 'postpone', 'withdraw'] as const;
export type RfcDecision = (typeof RFC_DECISIONS)[number];

/** Every text and list of an RFC is bounded; the server refuses more with an error naming the limit. */
export const RFC_LIMITS = { title: 300, docUrl: 2000, text: 2000, reviewers: 50, concerns: 100, commentPeriodDays: 90 } as const;

/** RFC-007: per-team numbers, three digits at least (the one style, api.ts). */
export const rfcReference = (n: number): string => numberedReference('RFC', n);

// ---- views ----

export const concernView = z.strictObject({
  /** Per RFC, from 1. */
  id: z.number(),
  text: z.string(),
  raisedBy: z.string(),
  raisedAt: z.number(),
  resolvedBy: z.nullable(z.string()),
  resolvedAt: z.nullable(z.number()),
  resolution: z.nullable(z.string()),
});
export type ConcernView = z.output<typeof concernView>;

/** The RFC without storage internals (record version, index ordinal, thread root, audit history). */
export const rfcView = z.strictObject({
  teamId: z.string(),
  number: z.number(),
  /** "RFC-007" */
  reference: z.string(),
  title: z.string(),
  docUrl: z.nullable(z.string()),
  ownerId: z.string(),
  status: z.enum(RFC_STATUSES),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** The channel it belongs to (null only for RFCs made before RFCs belonged to channels). */
  channelId: z.nullable(z.string()),
  /**
   * `answer`: what the reviewer said (approve = signed off; hold blocks acceptance until they answer
   * otherwise; abstain leaves the count). `delegate`: someone answering for them.
   */
  reviewers: z.array(
    z.strictObject({
      userId: z.string(),
      signedOffAt: z.nullable(z.number()),
      answer: z.nullable(z.enum(SIGNOFF_ANSWERS)),
      delegate: z.nullable(z.string()),
    }),
  ),
  commentPeriod: z.nullable(z.strictObject({ startedAt: z.number(), endsAt: z.number() })),
  concerns: z.array(concernView),
  /** Concerns not yet resolved: each one blocks acceptance. */
  openConcerns: z.number(),
  outcome: z.nullable(z.strictObject({ status: z.enum(RFC_STATUSES), reason: z.nullable(z.string()), by: z.string(), at: z.number() })),
  supersededBy: z.nullable(z.number()),
  supersedes: z.array(z.number()),
  /** When someone last confirmed an accepted RFC still describes the current state. */
  lastReviewedAt: z.nullable(z.number()),
  /** The PICK idea it came from. */
  ideaNumber: z.nullable(z.number()),
});
export type RfcView = z.output<typeof rfcView>;

/**
 * What `rfc_changed` carries: enough to name the RFC and update a list row, nothing of its text
 * (the event goes to the RFC's channel; a client fetches the full view with `GET …/rfcs/:number`).
 */
export const rfcChangedView = z.strictObject({
  teamId: z.string(),
  number: z.number(),
  reference: z.string(),
  status: z.enum(RFC_STATUSES),
  updatedAt: z.number(),
});
export type RfcChangedView = z.output<typeof rfcChangedView>;

// ---- requests ----

/** Omitted: every status, everyone's. */
export const rfcListQuery = z.strictObject({
  status: z.optional(z.enum(RFC_STATUSES)),
  mine: z.optional(z.stringbool()),
  ...pageQueryShape,
});
export type RfcListQuery = z.output<typeof rfcListQuery>;

export const createRfcBody = z.strictObject({
  title: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(RFC_LIMITS.title)),
  doc_url: z.optional(z.string().check(z.maxLength(RFC_LIMITS.docUrl))),
  /**
   * The channel the RFC belongs to: a channel of the path's team the caller may post in. Its
   * readers see the RFC (live), and its discussion thread and events go there.
   */
  channel_id: mmId,
  /** The PICK idea number it comes from. */
  idea: z.optional(z.number().check(z.int(), z.positive())),
});
export type CreateRfcBody = z.input<typeof createRfcBody>;

/**
 * Starts the review, or changes a running one: new reviewers are added (only they are asked) and
 * the comment period keeps its end. `days`: the period ends that many days from now (omitted when
 * starting: the RfcCommentPeriodDays setting). `restart`: a running period starts again from now
 * (sign-offs kept; whoever has not signed off is asked again).
 */
export const reviewBody = z.strictObject({
  reviewers: z.array(mmId).check(z.maxLength(RFC_LIMITS.reviewers)),
  days: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(RFC_LIMITS.commentPeriodDays))),
  restart: z.optional(z.boolean()),
});
const reason = z.string().check(z.maxLength(RFC_LIMITS.text));
export const concernBody = z.strictObject({ text: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(RFC_LIMITS.text)) });
export const resolveConcernBody = z.strictObject({ resolution: z.optional(reason) });
export const decisionBody = z.strictObject({ action: z.enum(RFC_DECISIONS), reason: z.optional(reason) });
export const supersedeBody = z.strictObject({ by: z.number().check(z.int(), z.positive()) });
/** A reviewer holds (blocks acceptance until they answer otherwise) or abstains (leaves the count), with an optional note. */
export const reviewAnswerBody = z.strictObject({ answer: z.enum(['hold', 'abstain']), note: z.optional(reason) });
/** A reviewer lets someone else answer for them; null takes it back. */
export const delegateBody = z.strictObject({ to: z.nullable(mmId) });

// ---- answers and routes ----

const rfcAnswer = z.strictObject({ rfc: rfcView });
export type RfcAnswer = z.output<typeof rfcAnswer>;

const action = <const V extends string, B extends z.core.$ZodType>(verb: V, body: B) =>
  route({ method: 'POST', path: `/teams/:teamId/rfcs/:number/${verb}`, query: null, body, answer: rfcAnswer, status: 200 });

export const rfcRoutes = {
  /** Newest first. */
  list: route({ method: 'GET', path: '/teams/:teamId/rfcs', query: rfcListQuery, body: null, answer: pageOf(rfcView), status: 200 }),
  create: route({ method: 'POST', path: '/teams/:teamId/rfcs', query: null, body: createRfcBody, answer: rfcAnswer, status: 201 }),
  get: route({ method: 'GET', path: '/teams/:teamId/rfcs/:number', query: null, body: null, answer: rfcAnswer, status: 200 }),
  review: action('review', reviewBody),
  approve: action('approve', emptyBody),
  raiseConcern: route({
    method: 'POST',
    path: '/teams/:teamId/rfcs/:number/concerns',
    query: null,
    body: concernBody,
    answer: z.strictObject({ rfc: rfcView, concernId: z.number() }),
    status: 201,
  }),
  resolveConcern: route({
    method: 'POST',
    path: '/teams/:teamId/rfcs/:number/concerns/:concernId/resolve',
    query: null,
    body: resolveConcernBody,
    answer: rfcAnswer,
    status: 200,
  }),
  decide: action('decision', decisionBody),
  supersede: action('supersede', supersedeBody),
  reviewed: action('reviewed', emptyBody),
  answer: action('answer', reviewAnswerBody),
  delegate: action('delegate', delegateBody),
} as const;
