import type { ProductContext } from '../shared/context';
import type { IncidentStatusSource, PublicIncident, StatusIncident } from '../shared/ports';
import type { IncidentStore } from './store';
import { ACTIVE_HEAD } from './team_sets';
import { reference } from './messages';
import type { IncidentQueries } from './queries';
import type { Incident } from './records';
import type { IncidentSettings } from './settings';

/** Active incidents shown at most (the active set's head: snapshots, no record reads); the recent history reads at most this many resolved ones. */
const ACTIVE_MAX = ACTIVE_HEAD;
const RECENT_MAX = 30;

/**
 * What the status page reads: the team's active incidents and those resolved since a time, each
 * only if the viewer may see it now (queries filter with the policy: a private incident reaches
 * only its channel's members). A component's state is therefore derived from what the viewer may see.
 */
export class IncidentStatus implements IncidentStatusSource {
  constructor(
    private readonly ctx: Pick<ProductContext, 'access'>,
    private readonly queries: IncidentQueries,
    private readonly settings: () => IncidentSettings,
    private readonly store: IncidentStore,
  ) {}

  async customerFacing(teamId: string, since: number): Promise<{ active: PublicIncident[]; recent: PublicIncident[] }> {
    const [activeIds, resolved] = await Promise.all([
      this.store.setMembers(teamId, 'active'),
      this.store.page(teamId, { before: null, limit: RECENT_MAX, match: (t) => t['ph'] === 'resolved', maxReads: 2 }),
    ]);
    // The set keeps the order incidents became active in: the newest ACTIVE_MAX are the ones shown.
    const newest = [...activeIds].sort((a, b) => b.n - a.n).slice(0, ACTIVE_MAX);
    const records = await this.store.fromSnapshots([...newest, ...resolved.entries]);
    const shown = records.filter((i) => i.teamId === teamId && i.customerFacing && i.publicStatus !== '');
    const item = (i: Incident): PublicIncident => ({
      reference: reference(i.number),
      severity: i.severity,
      phase: i.phase === 'resolved' ? 'resolved' : 'active',
      components: i.components,
      publicStatus: i.publicStatus,
      declaredAt: i.declaredAt,
      resolvedAt: i.resolution?.at ?? null,
    });
    return {
      active: shown.filter((i) => i.phase === 'active').sort((a, b) => b.number - a.number).map(item),
      recent: shown.filter((i) => i.phase === 'resolved' && (i.resolution?.at ?? 0) >= since).sort((a, b) => b.number - a.number).map(item),
    };
  }

  async forStatusPage(teamId: string, viewerUserId: string, since: number): Promise<{ active: StatusIncident[]; recent: StatusIncident[] }> {
    const caller = { userId: viewerUserId, access: this.ctx.access() };
    const page = (state: 'active' | 'resolved', perPage: number) =>
      this.queries.list(caller, { teamId, state, severity: null, commanderId: null, before: null, perPage });
    const [active, resolved] = await Promise.all([page('active', ACTIVE_MAX), page('resolved', RECENT_MAX)]);
    const item = (i: Incident): StatusIncident => ({
      incidentId: i.id,
      reference: reference(i.number),
      title: i.title,
      severity: i.severity,
      severityLabel: this.settings().severityLabels[i.severity],
      phase: i.phase === 'resolved' ? 'resolved' : 'active',
      components: i.components,
      status: i.lastUpdate?.text ?? null,
      declaredAt: i.declaredAt,
      resolvedAt: i.resolution?.at ?? null,
    });
    return {
      active: active.items.map(item),
      recent: resolved.items.filter((i) => (i.resolution?.at ?? 0) >= since).map(item),
    };
  }
}
