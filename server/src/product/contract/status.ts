/**
 * The internal status page: `/plugins/infra-ops/status/<team-name>`, server-rendered HTML for the
 * team's members (not JSON). What its parts mean, for the page and for anything linking to it.
 */

export const STATUS_PAGE_BASE = '/status';
export const statusPagePath = (teamName: string): string => `/plugins/infra-ops${STATUS_PAGE_BASE}/${encodeURIComponent(teamName)}`;
/** The public page behind a team's secret link. */
export const publicStatusPath = (secret: string): string => `/plugins/infra-ops${STATUS_PAGE_BASE}/public/${encodeURIComponent(secret)}`;

/** A component's state, worst first: derived from the active incidents tagged with it, then maintenance. */
export const COMPONENT_STATES = ['major_outage', 'partial_outage', 'degraded', 'maintenance', 'operational'] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];
export const COMPONENT_STATE_LABELS: Record<ComponentState, string> = {
  major_outage: 'Major outage',
  partial_outage: 'Partial outage',
  degraded: 'Degraded performance',
  maintenance: 'Under maintenance',
  operational: 'Operational',
};

export const STATUS_LIMITS = {
  componentsPerTeam: 50,
  componentName: 80,
  componentSlug: 40,
  description: 300,
  maintenanceKept: 100,
  maintenanceText: 500,
  /** Days of resolved incidents in the recent history. */
  historyDays: 14,
} as const;
