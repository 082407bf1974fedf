/**
 * The RFC lifecycle, written down as data (after rust-lang/rfcbot): every action, the states it
 * may start from, the state it leads to, who may trigger it and the guards that must hold. The
 * service only looks actions up here, so the rules are visible in one place and tested alone.
 */

export const RFC_STATUSES = ['draft', 'in_review', 'accepted', 'rejected', 'postponed', 'withdrawn', 'superseded'] as const;
export type RfcStatus = (typeof RFC_STATUSES)[number];

export const STATUS_LABEL: Record<RfcStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  accepted: 'Accepted',
  rejected: 'Rejected',
  postponed: 'Postponed',
  withdrawn: 'Withdrawn',
  superseded: 'Superseded',
};

/**
 * owner: the RFC's owner · approver: named in the RfcApprovers setting · reviewer: asked to sign
 * off on this RFC · raiser: the person who raised the concern in question · member: anyone on
 * the team.
 */
export type RfcRole = 'owner' | 'approver' | 'reviewer' | 'raiser' | 'member';

export type RfcGuard = 'noOpenConcerns' | 'signedOffOrPeriodOver' | 'hasReviewers';

export const RFC_ACTIONS = [
  'review',
  'approve',
  'concern',
  'resolve',
  'accept',
  'reject',
  'postpone',
  'withdraw',
  'supersede',
  'reviewed',
] as const;
export type RfcAction = (typeof RFC_ACTIONS)[number];

export interface RfcRule {
  readonly from: readonly RfcStatus[];
  /** null: the action records something without changing the status. */
  readonly to: RfcStatus | null;
  readonly who: readonly RfcRole[];
  readonly guards: readonly RfcGuard[];
  readonly describe: string;
}

const OPEN: readonly RfcStatus[] = ['draft', 'in_review', 'postponed'];

export const RFC_RULES: Readonly<Record<RfcAction, RfcRule>> = {
  review: { from: ['draft', 'in_review', 'postponed'], to: 'in_review', who: ['owner', 'approver'], guards: ['hasReviewers'], describe: 'start (or extend) the review with a comment period' },
  approve: { from: ['in_review'], to: null, who: ['reviewer'], guards: [], describe: 'sign off as a reviewer' },
  concern: { from: ['draft', 'in_review'], to: null, who: ['member'], guards: [], describe: 'raise a concern that blocks acceptance' },
  resolve: { from: ['draft', 'in_review', 'postponed'], to: null, who: ['raiser', 'owner', 'approver'], guards: [], describe: 'resolve a concern' },
  accept: { from: ['in_review'], to: 'accepted', who: ['owner', 'approver'], guards: ['noOpenConcerns', 'signedOffOrPeriodOver'], describe: 'accept the RFC' },
  reject: { from: OPEN, to: 'rejected', who: ['owner', 'approver'], guards: [], describe: 'reject the RFC' },
  postpone: { from: ['draft', 'in_review'], to: 'postponed', who: ['owner', 'approver'], guards: [], describe: 'postpone the RFC' },
  withdraw: { from: OPEN, to: 'withdrawn', who: ['owner'], guards: [], describe: 'withdraw the RFC' },
  supersede: { from: ['accepted'], to: 'superseded', who: ['owner', 'approver'], guards: [], describe: 'mark it superseded by a newer RFC' },
  reviewed: { from: ['accepted'], to: null, who: ['owner', 'approver'], guards: [], describe: 'confirm it still describes the current state' },
};

/** Why `action` may not happen now, or null if it may (roles and state only; guards separately). */
export function refusal(action: RfcAction, status: RfcStatus, roles: ReadonlySet<RfcRole>): string | null {
  const rule = RFC_RULES[action];
  if (!rule.from.includes(status)) {
    return `You cannot ${rule.describe} while it is ${STATUS_LABEL[status]}; that needs ${rule.from.map((s) => STATUS_LABEL[s]).join(' or ')}.`;
  }
  if (!rule.who.some((r) => roles.has(r))) return `Only ${rule.who.map(roleLabel).join(' or ')} may ${rule.describe}.`;
  return null;
}

function roleLabel(role: RfcRole): string {
  switch (role) {
    case 'owner':
      return 'the owner';
    case 'approver':
      return 'an approver (RfcApprovers setting)';
    case 'reviewer':
      return 'a reviewer';
    case 'raiser':
      return 'whoever raised the concern';
    case 'member':
      return 'a team member';
  }
}
