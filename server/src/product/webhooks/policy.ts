import { FeaturePolicy, type RuleTable, type Scope } from '../shared/access/policy';
import { WEBHOOK_TEXT } from './messages';

/**
 * Webhooks send a team's incidents out of Mattermost, so only the team's admins (and system
 * admins) may see, add, rotate or remove them, or read their delivery log.
 */
export type WebhookAction = 'manage';

const RULES: RuleTable<WebhookAction, never> = {
  manage: { who: ['team_admin', 'system_admin'] },
};

export const webhookPolicy = new FeaturePolicy(RULES, { notFound: WEBHOOK_TEXT.noTeam, roles: {} });

export const teamScope = (teamId: string): Scope => ({ teamId, channelId: null });
