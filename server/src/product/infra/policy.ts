import { FeaturePolicy, type RuleTable } from '../shared/access/policy';

/** `/infra`: what you owe is yours to read in any team you belong to; the doctor is for system admins. */
export type InfraAction = 'owe' | 'doctor';

const RULES: RuleTable<InfraAction, never> = {
  owe: { who: ['team_member'] },
  doctor: { who: ['system_admin'] },
};

export const infraPolicy = new FeaturePolicy(RULES, { notFound: 'No such team.', roles: {} });
