/**
 * Storage record → what clients see (the contract's views). Records never leave the server: these
 * mappers drop the record version, index ordinal, thread root and audit history, and show lineage
 * only as the reader may see it (see `Lineage`).
 */
import { type RfcChangedView, type RfcView, rfcReference } from '../contract/rfc';
import type { RfcReviewItem } from '../shared/ports';
import type { Answer, GateConcern } from '../shared/signoff/gate';
import type { Rfc } from './records';

/**
 * The RFCs on either side of `supersede`, as one reader may see them: links to RFCs the reader
 * cannot see are left out (their numbers say nothing then), and a `supersedes` link that the older
 * RFC does not confirm (a supersede that stopped half-way) is not shown at all.
 */
export interface Lineage {
  readonly supersededBy: number | null;
  readonly supersedes: readonly number[];
}

export function rfcView(rfc: Rfc, teamId: string, lineage: Lineage): RfcView {
  return {
    teamId,
    number: rfc.number,
    reference: rfcReference(rfc.number),
    title: rfc.title,
    docUrl: rfc.docUrl,
    ownerId: rfc.ownerId,
    status: rfc.status,
    createdAt: rfc.createdAt,
    updatedAt: rfc.updatedAt,
    channelId: rfc.channelId,
    reviewers: reviewers(rfc).map((r) => ({ userId: r.userId, signedOffAt: r.signedOffAt, answer: r.answer, delegate: r.delegate })),
    commentPeriod: rfc.commentPeriod ? { startedAt: rfc.commentPeriod.startedAt, endsAt: rfc.commentPeriod.endsAt } : null,
    concerns: rfc.review.concerns.map((c) => ({
      id: c.id,
      text: c.text,
      raisedBy: c.raisedBy,
      raisedAt: c.raisedAt,
      resolvedBy: c.resolvedBy,
      resolvedAt: c.resolvedAt,
      resolution: c.resolution,
    })),
    openConcerns: openConcerns(rfc).length,
    outcome: rfc.outcome ? { status: rfc.outcome.status, reason: rfc.outcome.reason, by: rfc.outcome.by, at: rfc.outcome.at } : null,
    supersededBy: lineage.supersededBy,
    supersedes: [...lineage.supersedes],
    lastReviewedAt: rfc.lastReviewedAt,
    ideaNumber: rfc.ideaNumber,
  };
}

/** What `rfc_changed` carries (security review M6): the RFC's name and state, none of its text. */
export function rfcChangedView(rfc: Rfc, teamId: string): RfcChangedView {
  return { teamId, number: rfc.number, reference: rfcReference(rfc.number), status: rfc.status, updatedAt: rfc.updatedAt };
}

/** A guild agenda's line about an RFC in review. */
export function reviewItem(rfc: Rfc, teamId: string): RfcReviewItem {
  return {
    rfcId: `${teamId}:${rfc.number}`,
    reference: rfcReference(rfc.number),
    title: rfc.title,
    commentPeriodEndsAt: rfc.commentPeriod?.endsAt ?? null,
    missingSignoffs: missingSignoffs(rfc),
    openConcerns: openConcerns(rfc).length,
    channelId: rfc.channelId,
  };
}

/**
 * The review gate read the way RFCs have always shown it: reviewers are people (the gate's user
 * seats), and a reviewer has signed off when their seat approved.
 */
export const reviewers = (rfc: Pick<Rfc, 'review'>): Array<{ userId: string; signedOffAt: number | null; answer: Answer | null; delegate: string | null }> =>
  rfc.review.seats.flatMap((s) =>
    s.userId === null ? [] : [{ userId: s.userId, signedOffAt: s.answer === 'approve' ? s.answeredAt : null, answer: s.answer, delegate: s.delegate }],
  );
/** Who may answer as a reviewer now: the reviewers and those they delegated to. */
export const answererIds = (rfc: Pick<Rfc, 'review'>): string[] => [...new Set(rfc.review.seats.flatMap((s) => [s.userId, s.delegate].filter((id): id is string => id !== null)))];
export const reviewerIds = (rfc: Pick<Rfc, 'review'>): string[] => reviewers(rfc).map((r) => r.userId);
export const openConcerns = (rfc: Pick<Rfc, 'review'>): GateConcern[] => rfc.review.concerns.filter((c) => c.resolvedAt === null);
export const missingSignoffs = (rfc: Pick<Rfc, 'review'>): string[] => reviewers(rfc).filter((r) => r.signedOffAt === null).map((r) => r.userId);

/** Reviewers who have not signed off, as a view shows them (command replies). */
export const pendingReviewers = (rfc: Pick<RfcView, 'reviewers'>): string[] => rfc.reviewers.filter((r) => r.signedOffAt === null).map((r) => r.userId);
