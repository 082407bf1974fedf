/**
 * Who may do what with an RFC, as data; shared/access/policy.ts enforces it. Together with
 * lifecycle.ts (from which states, to which state, under which guards) this is the whole RFC rule
 * book: policy.test.ts keeps both tables over the same actions.
 *
 * Every rule first requires seeing the RFC: reading its channel now (Mattermost's answer, live),
 * and, for the few RFCs made before RFCs belonged to channels, being a full member of the team.
 * `writesToChannel`: the action makes the bot post into the RFC's thread, so the actor must be
 * allowed to post in that channel too (`create_post`).
 */
import { FeaturePolicy, type RuleTable } from '../shared/access/policy';
import type { RfcAction } from './lifecycle';
import { ROLE_WORDS, RFC_NOT_FOUND } from './messages';

/**
 * owner: opened it · approver: named in RfcApprovers (pinned to an account, approvers.ts) ·
 * reviewer: asked to sign off on it · raiser: raised the concern in question.
 */
export type RfcRole = keyof typeof ROLE_WORDS;

/** The lifecycle actions, plus opening one and reading it. */
export type RfcPolicyAction = RfcAction | 'open' | 'view';

export const RFC_RULES: RuleTable<RfcPolicyAction, RfcRole> = {
  /** Opening one in a channel posts its thread root there. */
  open: { who: ['anyone'], writesToChannel: true },
  /** Show, list, agenda lines, `/infra owe`, events: whoever can see it. */
  view: { who: ['anyone'] },
  review: { who: ['owner', 'approver'], writesToChannel: true },
  approve: { who: ['reviewer'], writesToChannel: true },
  hold: { who: ['reviewer'], writesToChannel: true },
  abstain: { who: ['reviewer'], writesToChannel: true },
  delegate: { who: ['reviewer'], writesToChannel: true },
  concern: { who: ['anyone'], writesToChannel: true },
  resolve: { who: ['raiser', 'owner', 'approver'], writesToChannel: true },
  accept: { who: ['owner', 'approver'], writesToChannel: true },
  reject: { who: ['owner', 'approver'], writesToChannel: true },
  postpone: { who: ['owner', 'approver'], writesToChannel: true },
  withdraw: { who: ['owner'], writesToChannel: true },
  supersede: { who: ['owner', 'approver'], writesToChannel: true },
  reviewed: { who: ['owner', 'approver'] },
};

export const rfcPolicy = new FeaturePolicy<RfcPolicyAction, RfcRole>(RFC_RULES, { notFound: RFC_NOT_FOUND, roles: ROLE_WORDS });
