import type { ComponentState } from '../contract/status';
import type { StatusIncident } from '../shared/ports';
import type { Component, Maintenance } from './records';

/** SEV1 takes a component down; SEV2 is a partial outage; SEV3 and SEV4 degrade it. */
const BY_SEVERITY: Record<1 | 2 | 3 | 4, ComponentState> = { 1: 'major_outage', 2: 'partial_outage', 3: 'degraded', 4: 'degraded' };

/** What a component's state is derived from: an incident's phase, severity and components. */
type Tagged = Pick<StatusIncident, 'phase' | 'severity' | 'components'>;

export interface ComponentStatus<I extends Tagged = StatusIncident> {
  readonly component: Component;
  readonly state: ComponentState;
  /** The active incidents tagged with it, worst first. */
  readonly incidents: readonly I[];
  /** Its maintenance windows in progress now. */
  readonly maintenance: readonly Maintenance[];
}

/**
 * Each component's state from the active incidents tagged with it (the worst severity wins) and,
 * when none is, from maintenance in progress. Incidents are only those the viewer may see.
 */
export function componentStatuses<I extends Tagged>(components: readonly Component[], active: readonly I[], maintenance: readonly Maintenance[], now: number): ComponentStatus<I>[] {
  return components.map((component) => {
    const incidents = active.filter((i) => i.phase === 'active' && i.components.includes(component.slug)).sort((a, b) => a.severity - b.severity);
    const inProgress = maintenance.filter((m) => m.component === component.slug && m.from <= now && now < m.to);
    const state: ComponentState = incidents[0] ? BY_SEVERITY[incidents[0].severity] : inProgress.length ? 'maintenance' : 'operational';
    return { component, state, incidents, maintenance: inProgress };
  });
}

/** The page's headline: the worst component state. */
export function overallState(statuses: ReadonlyArray<Pick<ComponentStatus<Tagged>, 'state'>>): ComponentState {
  const order: readonly ComponentState[] = ['major_outage', 'partial_outage', 'degraded', 'maintenance', 'operational'];
  return order.find((s) => statuses.some((c) => c.state === s)) ?? 'operational';
}
