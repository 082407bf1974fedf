/**
 * Per-template figures over a team's runs: how many started and finished, how long a run takes,
 * how long its gates take from the first answer to passing, and the share of items done by their
 * due time. Pure: the caller passes only runs the reader may see.
 */
import { clockDuration } from '../shared/time/duration';
import type { Run } from './records';

export interface TemplateStats {
  readonly template: string;
  readonly kind: string;
  readonly started: number;
  readonly finished: number;
  /** Minutes, median over finished runs; null with none. */
  readonly medianDuration: number | null;
  /** Minutes from the start to the first item checked or skipped (an incident runbook's MTTA), median; null with none. */
  readonly medianFirstAction: number | null;
  /** Minutes from a gate's first answer to its passing, median over passed gates; null with none. */
  readonly medianApproval: number | null;
  /** Items with a due time done by it, of those done. */
  readonly onTime: { readonly kept: number; readonly of: number };
}

export function templateStats(runs: readonly Run[]): TemplateStats[] {
  const byTemplate = new Map<string, Run[]>();
  for (const r of runs) byTemplate.set(r.template.slug, [...(byTemplate.get(r.template.slug) ?? []), r]);
  return [...byTemplate.values()]
    .map((group) => {
      const finished = group.filter((r) => r.finishedAt !== null);
      const items = group.flatMap((r) => r.checklists.flatMap((c) => c.items));
      const approvals = items.flatMap((it) => {
        if (!it.gate || it.state !== 'done' || it.at === null) return [];
        const first = Math.min(...it.gate.seats.flatMap((s) => (s.answeredAt === null ? [] : [s.answeredAt])));
        return Number.isFinite(first) ? [(it.at - first) / 60_000] : [];
      });
      const due = items.filter((it) => it.due !== null && it.state === 'done' && it.at !== null);
      const firstActions = group.flatMap((r) => {
        const first = Math.min(...r.checklists.flatMap((c) => c.items.flatMap((it) => (it.at === null ? [] : [it.at]))));
        return Number.isFinite(first) ? [(first - r.startedAt) / 60_000] : [];
      });
      const latest = group.reduce((a, b) => (b.startedAt > a.startedAt ? b : a));
      return {
        template: latest.template.name,
        kind: latest.kind,
        started: group.length,
        finished: finished.length,
        medianDuration: median(finished.map((r) => (r.finishedAt! - r.startedAt) / 60_000)),
        medianFirstAction: median(firstActions),
        medianApproval: median(approvals),
        onTime: { kept: due.filter((it) => it.at! <= it.due!).length, of: due.length },
      };
    })
    .sort((a, b) => b.started - a.started || a.template.localeCompare(b.template));
}

export function statsLine(s: TemplateStats): string {
  const duration = s.medianDuration === null ? '' : ` · median ${clockDuration(s.medianDuration)} to finish`;
  const approval = s.medianApproval === null ? '' : ` · gates pass in ${clockDuration(s.medianApproval)} (median)`;
  const onTime = s.onTime.of ? ` · ${Math.round((100 * s.onTime.kept) / s.onTime.of)}% of due items on time (${s.onTime.kept}/${s.onTime.of})` : '';
  return `- ${s.template} (${s.kind}): ${s.started} started, ${s.finished} finished${duration}${approval}${onTime}`;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
