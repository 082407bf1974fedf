/**
 * The RFC lifecycle, written down as data (after rust-lang/rfcbot): every action, the states it
 * may start from, the state it leads to and the guards that must hold. *Who* may trigger each
 * action is the other half of the same table, in policy.ts (enforced by shared/access/policy.ts);
 * a test keeps the two tables over the same actions. The use cases only look actions up here.
 */
import { RFC_STATUS_LABELS, RFC_STATUSES, type RfcStatus } from '../contract/rfc';

export { RFC_STATUSES, type RfcStatus };
/** The contract's labels ("In review"), under the name this feature has always used. */
export const STATUS_LABEL = RFC_STATUS_LABELS;

/** noOpenConcerns: no open concern and no reviewer holding it. */
export type RfcGuard = 'noOpenConcerns' | 'signedOffOrPeriodOver' | 'hasReviewers';

export const RFC_ACTIONS = ['review', 'approve', 'hold', 'abstain', 'delegate', 'concern', 'resolve', 'accept', 'reject', 'postpone', 'withdraw', 'supersede', 'reviewed'] as const;
export type RfcAction = (typeof RFC_ACTIONS)[number];

export interface Transition {
  readonly from: readonly RfcStatus[];
  /** null: the action records something without changing the status. */
  readonly to: RfcStatus | null;
  readonly guards: readonly RfcGuard[];
}

const OPEN: readonly RfcStatus[] = ['draft', 'in_review', 'postponed'];

export const RFC_TRANSITIONS: Readonly<Record<RfcAction, Transition>> = {
  /** Starts the review, or adds reviewers / moves the end of a running one. */
  review: { from: OPEN, to: 'in_review', guards: ['hasReviewers'] },
  approve: { from: ['in_review'], to: null, guards: [] },
  /** A reviewer blocks acceptance until they answer otherwise. */
  hold: { from: ['in_review'], to: null, guards: [] },
  /** A reviewer leaves the count of sign-offs needed. */
  abstain: { from: ['in_review'], to: null, guards: [] },
  /** A reviewer lets someone else answer for them (or takes that back). */
  delegate: { from: ['in_review'], to: null, guards: [] },
  concern: { from: ['draft', 'in_review'], to: null, guards: [] },
  resolve: { from: OPEN, to: null, guards: [] },
  accept: { from: ['in_review'], to: 'accepted', guards: ['noOpenConcerns', 'signedOffOrPeriodOver'] },
  reject: { from: OPEN, to: 'rejected', guards: [] },
  postpone: { from: ['draft', 'in_review'], to: 'postponed', guards: [] },
  withdraw: { from: OPEN, to: 'withdrawn', guards: [] },
  supersede: { from: ['accepted'], to: 'superseded', guards: [] },
  reviewed: { from: ['accepted'], to: null, guards: [] },
};

/** Statuses nothing leads out of (an accepted RFC can still be superseded or re-confirmed). */
export const FINAL_STATUSES: readonly RfcStatus[] = RFC_STATUSES.filter((s) => !RFC_ACTIONS.some((a) => RFC_TRANSITIONS[a].from.includes(s)));

/** Statuses in which an RFC may still change course: what `/infra owe` looks at. */
export const OPEN_STATUSES = OPEN;

/** Whether `action` may start from `status` (guards are judged separately, on the changed RFC). */
export const allowedFrom = (action: RfcAction, status: RfcStatus): boolean => RFC_TRANSITIONS[action].from.includes(status);
