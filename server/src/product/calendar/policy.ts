/**
 * Who may hold calendar links, as data (shared/access/policy.ts enforces it): a team's full members
 * and system admins, each for themselves — every link is its owner's, so a rotate never breaks
 * anyone else's subscription. Guests get none (a team feed lists team-wide items). The same rule
 * is asked again at every fetch, as the owner: a link of someone who left the team or was
 * deactivated stops answering.
 */
import { FeaturePolicy, type RuleTable } from '../shared/access/policy';
import { CALENDAR_TEXT } from './messages';

export type CalendarAction = 'subscribe';

export const CALENDAR_RULES: RuleTable<CalendarAction, never> = {
  subscribe: { who: ['team_member'] },
};

export const calendarPolicy = new FeaturePolicy(CALENDAR_RULES, { notFound: CALENDAR_TEXT.noTeam, roles: {} });
