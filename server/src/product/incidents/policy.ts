import { type Access, FeaturePolicy, type RuleTable, type Scope, type Subject } from '../shared/access/policy';
import { UserError } from '../shared/errors';
import { NOT_FOUND, POLICY_ROLES } from './messages';
import type { Incident } from './records';

/**
 * Who may do what with an incident, as data; shared/access/policy.ts enforces it. Every action
 * first requires *seeing* the incident, which is Mattermost's live answer for its channel: its
 * members (guests included), and while the channel is open the team's full members; system admins
 * read every channel. Converting the channel public↔private changes that at once, everywhere
 * (lists, metrics, agendas, events, the feed) — nothing is decided by a flag stored at declaration.
 *
 * | action            | who                                                   | bot posts in the channel |
 * |-------------------|-------------------------------------------------------|--------------------------|
 * | see               | anyone who can read the incident channel now          |                          |
 * | follow            | anyone who can see it (updates then come by DM)       |                          |
 * | respond           | members of the channel, system admins (status, timeline, milestones, follow-ups) | yes |
 * | steer             | the commander, channel admins, system admins (severity, roles, resolve, reopen) | yes |
 * | review            | the commander, channel admins, system admins (mark reviewed by hand) | yes       |
 * | review_at_meeting | a guild meeting's closer who is in the channel, team admins, system admins | yes |
 *
 * Team-wide actions (no incident yet):
 * | declare           | full members of the team (not guests), system admins  |
 * | list / metrics    | anyone in the team, guests included — each incident is then shown only if `see` allows it |
 */
export type IncidentAction = 'see' | 'follow' | 'respond' | 'steer' | 'review' | 'review_at_meeting';
export type IncidentRole = 'commander';

const RULES: RuleTable<IncidentAction, IncidentRole> = {
  see: { who: ['anyone'] },
  follow: { who: ['anyone'] },
  // System admins read every channel and may steer without joining it; responding is no different.
  respond: { who: ['channel_member', 'system_admin'], writesToChannel: true },
  steer: { who: ['commander', 'channel_admin', 'system_admin'], writesToChannel: true },
  review: { who: ['commander', 'channel_admin', 'system_admin'], writesToChannel: true },
  review_at_meeting: { who: ['channel_member', 'team_admin', 'system_admin'], writesToChannel: true },
};

export const incidentPolicy = new FeaturePolicy(RULES, { notFound: NOT_FOUND, roles: POLICY_ROLES });

export type TeamAction = 'declare';
const TEAM_RULES: RuleTable<TeamAction, never> = {
  declare: { who: ['team_member'] },
};
export const teamPolicy = new FeaturePolicy(TEAM_RULES, { notFound: 'No such team.', roles: {} });

/** The incident's scope: its team and its channel (the channel's live state decides the rest). */
export const scopeOf = (i: Pick<Incident, 'teamId' | 'channelId'>): Scope => ({ teamId: i.teamId, channelId: i.channelId || null });

export const subjectOf = (i: Incident): Subject<IncidentRole> => ({ scope: scopeOf(i), holders: { commander: i.roles.commander } });

/** Whether the user may see the incident now (a pending declaration is nobody's yet). */
export async function canSee(access: Access, userId: string, i: Incident): Promise<boolean> {
  return i.phase !== 'pending' && i.channelId !== '' && access.canSee(userId, scopeOf(i));
}

/** The incident if the user may see it; otherwise not-found, exactly as for one that does not exist. */
export async function requireVisible(access: Access, userId: string, i: Incident | null): Promise<Incident> {
  if (!i || !(await canSee(access, userId, i))) throw UserError.notFound(NOT_FOUND);
  return i;
}

/**
 * Refuses unless the rule allows the action. Resolves with whether the permission hangs on a
 * role held in *this* record (the commander): the caller then re-checks the role inside the
 * compare-and-set, so a handoff that lands meanwhile revokes it.
 */
export async function requireAction(
  access: Access,
  userId: string,
  action: IncidentAction,
  found: Incident | null,
  what?: string,
): Promise<{ incident: Incident; byRecordRole: boolean }> {
  const incident = await requireVisible(access, userId, found);
  await incidentPolicy.require(access, userId, action, subjectOf(incident), what);
  const withoutRecordRoles = await incidentPolicy.allows(access, userId, action, { scope: scopeOf(incident) });
  return { incident, byRecordRole: !withoutRecordRoles };
}

/** Lists and metrics: anyone in the team (guests too) or a system admin; each item is then filtered by `see`. */
export async function requireTeamReader(access: Access, userId: string, teamId: string): Promise<Scope> {
  if ((await access.isTeamMember(userId, teamId)) || (await access.isSystemAdmin(userId))) return { teamId, channelId: null };
  throw UserError.notFound('No such team.');
}

/** Who acts, with the one Access of their request, command or job (memoised for it alone). */
export interface Caller {
  readonly userId: string;
  readonly access: Access;
}
