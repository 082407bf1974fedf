import { MIN_SCORES_TO_REVEAL } from '../contract/pick';
import { FeaturePolicy, type RuleTable } from '../shared/access/policy';
import { ERRORS, ROLE_WORDS } from './messages';

/**
 * Who may do what with an idea, as data; shared/access/policy.ts enforces it. Every action first
 * requires seeing the idea, which is Mattermost's answer for the idea's channel now (members of a
 * private channel; team users, not guests, for an open one). `writesToChannel`: the action makes
 * the bot post in the idea's channel, so the actor must be able to post there too.
 *
 * | action  | who                                      | bot posts | guard (in the use case)                      |
 * |---------|------------------------------------------|-----------|----------------------------------------------|
 * | view    | anyone who can see the idea              | –         | show, list, board, the chart                 |
 * | add     | anyone who can see and post in the channel | yes     | title 1–300 characters                       |
 * | score   | anyone who can see the idea              | –         | open round; at most 500 scores a round       |
 * | reveal  | its owner, team admins, system admins    | yes       | at least MIN_SCORES_TO_REVEAL (2) scores     |
 * | rescore | its owner, team admins, system admins    | yes       | revealed, not archived; at most 50 rounds    |
 * | archive | its owner, team admins, system admins    | yes       | not archived; a reason of 1–500 characters   |
 * | link    | its owner, team admins, system admins    | yes       | not archived; an RFC the actor can see       |
 *
 * Automatic reveals (the last person asked scores, or leaves) have no actor who chose to post:
 * they are announced only where the idea's owner may still post, with channel-wide mentions
 * neutralised, and they need MIN_SCORES_TO_REVEAL scores like any reveal.
 */
export type PickAction = 'view' | 'add' | 'score' | 'reveal' | 'rescore' | 'archive' | 'link';
export type PickRole = 'owner';

export const PICK_RULES: RuleTable<PickAction, PickRole> = {
  view: { who: ['anyone'] },
  add: { who: ['anyone'], writesToChannel: true },
  score: { who: ['anyone'] },
  reveal: { who: ['owner', 'team_admin', 'system_admin'], writesToChannel: true },
  rescore: { who: ['owner', 'team_admin', 'system_admin'], writesToChannel: true },
  archive: { who: ['owner', 'team_admin', 'system_admin'], writesToChannel: true },
  link: { who: ['owner', 'team_admin', 'system_admin'], writesToChannel: true },
};

export const pickPolicy = new FeaturePolicy(PICK_RULES, { notFound: ERRORS.noIdea, roles: ROLE_WORDS });

export { MIN_SCORES_TO_REVEAL };
