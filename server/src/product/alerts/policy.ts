import { FeaturePolicy, type RuleTable } from '../shared/access/policy';
import { ALERT_TEXT } from './messages';

/**
 * Alert sources belong to one team and are managed by its admins (and system admins): adding a
 * source lets an outside system open incidents in the team, as the bot, and invite people.
 * Nobody else sees them (their URLs lead to a secret-guarded endpoint; the list is for admins).
 *
 * Accepting or dismissing an incident in triage is the incidents feature's (`respond`: the
 * incident channel's members, which includes the source's responders).
 */
export type AlertAction = 'manage';

const RULES: RuleTable<AlertAction, never> = {
  manage: { who: ['team_admin', 'system_admin'] },
};

export const alertPolicy = new FeaturePolicy(RULES, { notFound: ALERT_TEXT.noTeam, roles: {} });
