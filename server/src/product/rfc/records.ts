import { z } from 'zod';
import { RFC_LIMITS } from '../contract/rfc';
import { concernSchema, gateSchema, type Gate } from '../shared/signoff/gate';
import { boundedList, boundedText } from '../shared/text/limits';
import { APPROVERS_MAX } from './settings';
import { RFC_ACTIONS, RFC_STATUSES } from './lifecycle';

/**
 * Versioned storage records of the RFC feature (store.ts says where each lives). Every string and
 * list has a limit here, so a record can never grow past it, whichever path wrote it; the use
 * cases check the same limits first and answer with an error that names them.
 */
export const LIMITS = {
  ...RFC_LIMITS,
  /** History entries kept (oldest dropped). */
  history: 100,
  /** RFCs one RFC may supersede, and how far `supersede` walks a chain looking for a cycle. */
  lineage: 50,
} as const;

const text = boundedText(LIMITS.text);
const id = z.string().max(64);

/** An RFC's review is a sign-off gate: every reviewer (quorum "all"), the comment period as its deadline, lazy consensus. */
const reviewGateSchema = gateSchema({ seats: LIMITS.reviewers, concerns: LIMITS.concerns, text: LIMITS.text });
export type ReviewGate = Gate;

/** Version 1 kept reviewers and concerns apart; read-only now, moved onto the gate when read (rfcSchema). */
const concernV1 = concernSchema({ text: LIMITS.text });
const reviewerV1 = z.object({ userId: id, signedOffAt: z.number().nullable() });

const rfcFields = {
  /** The team whose numbers it uses (its key); where it is visible comes from its channel, live. */
  teamId: id,
  number: z.number().int().positive(),
  title: boundedText(LIMITS.title).min(1),
  docUrl: boundedText(LIMITS.docUrl).nullable(),
  ownerId: id,
  status: z.enum(RFC_STATUSES),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Position in the team's list index. */
  ordinal: z.number().int().nonnegative(),
  /**
   * The channel it was opened in: it belongs there (who sees it, where its thread and events go).
   * null only for RFCs made before RFCs belonged to channels: those are the team's.
   */
  channelId: id.nullable(),
  /** The discussion thread's root post; null when opened with --no-thread or the post failed. */
  rootPostId: id.nullable(),
  /** The comment period; the review gate's deadline is its end (kept equal by the service). */
  commentPeriod: z.object({ startedAt: z.number(), endsAt: z.number() }).nullable(),
  outcome: z.object({ status: z.enum(RFC_STATUSES), reason: text.nullable(), by: id, at: z.number() }).nullable(),
  supersededBy: z.number().int().positive().nullable(),
  /**
   * Written first by `supersede` (the new link), then the old RFC records its successor; a link
   * the old RFC does not confirm is an unfinished supersede and is never shown (views.ts).
   */
  supersedes: boundedList(z.number().int().positive(), LIMITS.lineage),
  lastReviewedAt: z.number().nullable(),
  ideaNumber: z.number().int().positive().nullable(),
  /** What happened, newest last; capped so the record stays small. */
  history: boundedList(z.object({ at: z.number(), by: id, action: z.enum([...RFC_ACTIONS, 'new']), note: text.nullable() }), LIMITS.history),
};

const rfcV2 = z.object({ v: z.literal(2), ...rfcFields, review: reviewGateSchema });

const rfcV1 = z
  .object({ v: z.literal(1), ...rfcFields, reviewers: boundedList(reviewerV1, LIMITS.reviewers), concerns: boundedList(concernV1, LIMITS.concerns) })
  .transform(({ v: _v, reviewers, concerns, ...rest }): z.output<typeof rfcV2> => ({
    ...rest,
    v: 2,
    review: {
      quorum: { kind: 'all', n: null },
      seats: reviewers.map((r) => ({
        key: `u:${r.userId}`,
        userId: r.userId,
        groupId: null,
        delegate: null,
        answer: r.signedOffAt === null ? null : ('approve' as const),
        answeredBy: r.signedOffAt === null ? null : r.userId,
        answeredAt: r.signedOffAt,
        note: null,
      })),
      concerns,
      deadline: rest.commentPeriod?.endsAt ?? null,
      lazyConsensus: true,
      override: null,
    },
  }));

/** Reads both versions (a version-1 record comes back as version 2); writes version 2. */
export const rfcSchema = z.union([rfcV2, rfcV1]);
export type Rfc = z.output<typeof rfcV2>;

/**
 * RfcApprovers names pinned to the accounts that held them when the setting was first seen
 * (security review L12): a renamed approver keeps the role, and whoever takes the freed name
 * does not get it. `names` is the setting the pins were made for.
 */
export const approverPinsSchema = z.object({
  v: z.literal(1),
  names: boundedList(z.string().max(64), APPROVERS_MAX),
  /** name → user id; null while the name matches no account (pinned the first time it does). */
  pins: z.record(z.string().max(64), id.nullable()),
});
export type ApproverPins = z.output<typeof approverPinsSchema>;
