/**
 * Who may do what with a run, as data; shared/access/policy.ts enforces it. A run belongs to its
 * channel: every action first requires reading that channel now (Mattermost's answer, live).
 * `writesToChannel`: the bot updates the card or posts in the run's channel, so the actor must be
 * able to post there too. Templates belong to the team (scope without a channel).
 *
 * | action          | who                                             | bot writes |
 * |-----------------|-------------------------------------------------|------------|
 * | view            | anyone who can read the run's channel           | –          |
 * | start           | full members of the team (not guests)           | yes        |
 * | work            | anyone who can read and post in the channel     | yes        |
 * | answer          | the gate's approvers (and their delegates)      | yes        |
 * | resolve         | the concern's raiser, the run owner, team admins| yes        |
 * | approvers       | the run owner, team admins                      | yes        |
 * | finish          | the run owner, team admins                      | yes        |
 * | publish         | the run owner, team admins (the retrospective)  | yes        |
 * | cadence         | the run owner, team admins (cadence, snooze)    | yes        |
 * | request         | anyone who can read the channel (asks the owner)| –          |
 * | override        | team admins, system admins                      | yes        |
 * | viewTemplates   | full members of the team                        | –          |
 * | manageTemplates | team admins, system admins                      | –          |
 */
import { FeaturePolicy, type RuleTable } from '../shared/access/policy';
import { ERR, ROLE_WORDS } from './messages';

export type RunAction = 'view' | 'start' | 'work' | 'answer' | 'resolve' | 'approvers' | 'finish' | 'publish' | 'cadence' | 'request' | 'override' | 'viewTemplates' | 'manageTemplates';
export type RunRole = keyof typeof ROLE_WORDS | 'approver' | 'raiser';

export const RUN_RULES: RuleTable<RunAction, RunRole> = {
  view: { who: ['anyone'] },
  start: { who: ['team_member'] },
  work: { who: ['anyone'], writesToChannel: true },
  answer: { who: ['approver'], writesToChannel: true },
  resolve: { who: ['raiser', 'owner', 'team_admin'], writesToChannel: true },
  approvers: { who: ['owner', 'team_admin'], writesToChannel: true },
  finish: { who: ['owner', 'team_admin'], writesToChannel: true },
  publish: { who: ['owner', 'team_admin'], writesToChannel: true },
  cadence: { who: ['owner', 'team_admin'], writesToChannel: true },
  request: { who: ['anyone'] },
  override: { who: ['team_admin', 'system_admin'], writesToChannel: true },
  viewTemplates: { who: ['team_member'] },
  manageTemplates: { who: ['team_admin', 'system_admin'] },
};

export const runPolicy = new FeaturePolicy<RunAction, RunRole>(RUN_RULES, {
  notFound: ERR.noSuchRun,
  roles: { ...ROLE_WORDS, approver: "the gate's approvers", raiser: 'whoever raised the concern' },
});
