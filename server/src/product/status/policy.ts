import { FeaturePolicy, type RuleTable, type Scope } from '../shared/access/policy';
import { STATUS_TEXT } from './messages';

/**
 * The status page belongs to a team: its full members (and system admins) read it; team admins
 * define components and schedule maintenance. Guests, who see only their own channels, do not
 * read a team-wide page.
 */
export type StatusAction = 'view' | 'manage';

const RULES: RuleTable<StatusAction, never> = {
  view: { who: ['team_member', 'system_admin'] },
  manage: { who: ['team_admin', 'system_admin'] },
};

export const statusPolicy = new FeaturePolicy(RULES, { notFound: STATUS_TEXT.noTeam, roles: {} });

export const teamScope = (teamId: string): Scope => ({ teamId, channelId: null });
