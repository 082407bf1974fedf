import { FeaturePolicy, type RuleTable } from '../shared/access/policy';

/**
 * `/infra doctor` is for system admins. (What you owe is yours to read in any team you belong to,
 * guests included — each line is filtered by what you may see — so `owe` needs only membership.)
 */
export type InfraAction = 'doctor';

const RULES: RuleTable<InfraAction, never> = {
  doctor: { who: ['system_admin'] },
};

export const infraPolicy = new FeaturePolicy(RULES, { notFound: 'No such team.', roles: {} });
