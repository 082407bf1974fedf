import type { DurationStats, IncidentMetricsView } from '../contract/incidents';
import type { MetricsSummaryRow } from './metrics_rows';

/**
 * Team metrics from the team's metrics summary (store.ts: one row per incident, derived from the
 * index tags; no record reads). The caller keeps only the rows of incidents the reader may see now
 * (their channel, asked live), so the figures never count incidents the reader could not open.
 */

/** One incident as metrics see it (a row of the team's metrics summary). */
export interface MetricsRow {
  phase: string;
  severity: number;
  declaredAt: number;
  mttaMinutes: number | null;
  mttrMinutes: number | null;
  openFollowups: number;
  awaitingReview: boolean;
}

/** A summary row as metrics see it, with the channel whose readers may count it. */
export function rowFromSummary(row: MetricsSummaryRow): { row: MetricsRow; channelId: string } | null {
  const [, phase, severity, channelId, declaredAt, mttaMinutes, mttrMinutes, openFollowups, awaitingReview] = row;
  if (phase !== 'active' && phase !== 'resolved' && phase !== 'dismissed' && phase !== 'triage') return null;
  return { row: { phase, severity, declaredAt, mttaMinutes, mttrMinutes, openFollowups, awaitingReview }, channelId };
}

export function durationStats(values: readonly number[]): DurationStats {
  if (values.length === 0) return { count: 0, meanMinutes: null, medianMinutes: null, p90Minutes: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  const round = (v: number): number => Math.round(v * 10) / 10;
  return { count: sorted.length, meanMinutes: round(mean), medianMinutes: round(median), p90Minutes: round(at(0.9)) };
}

export function computeMetrics(teamId: string, rows: readonly MetricsRow[], since: number, until: number): IncidentMetricsView {
  const declared = rows.filter((r) => r.declaredAt >= since && r.declaredAt <= until);
  // Alert noise dismissed in triage is counted apart and kept out of every other figure.
  const inWindow = declared.filter((r) => r.phase !== 'dismissed');
  const summarise = (set: readonly MetricsRow[]) => ({
    mtta: durationStats(set.flatMap((r) => (r.mttaMinutes === null ? [] : [r.mttaMinutes]))),
    mttr: durationStats(set.flatMap((r) => (r.mttrMinutes === null || r.phase !== 'resolved' ? [] : [r.mttrMinutes]))),
  });
  const bySeverity = {} as IncidentMetricsView['bySeverity'];
  for (const s of [1, 2, 3, 4] as const) {
    const set = inWindow.filter((r) => r.severity === s);
    bySeverity[String(s) as '1'] = { total: set.length, active: set.filter((r) => r.phase === 'active').length, ...summarise(set) };
  }
  return {
    teamId,
    since,
    until,
    total: inWindow.length,
    active: inWindow.filter((r) => r.phase === 'active').length,
    resolved: inWindow.filter((r) => r.phase === 'resolved').length,
    dismissed: declared.length - inWindow.length,
    bySeverity,
    ...summarise(inWindow),
    openFollowups: inWindow.reduce((s, r) => s + r.openFollowups, 0),
    awaitingReview: inWindow.filter((r) => r.awaitingReview).length,
  };
}
