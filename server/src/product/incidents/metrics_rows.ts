/**
 * The team's metrics summary (store.ts `inc:m:<teamId>`): one short row per incident, so the
 * metrics page reads one key. Pure functions over rows; the store does the compare-and-set.
 */
import { z } from 'zod';
import type { IndexTags } from '../shared/chunked_index';

/** One incident's metrics row: [number, phase, severity, channel, declared at, MTTA, MTTR, open follow-ups, awaiting review]. */
export const metricsRowSchema = z.tuple([
  z.number().int().positive(),
  z.string().max(16),
  z.number(),
  z.string().max(64),
  z.number(),
  z.number().nullable(),
  z.number().nullable(),
  z.number(),
  z.boolean(),
]);
export type MetricsSummaryRow = z.output<typeof metricsRowSchema>;
export const metricsSummarySchema = z.object({ v: z.literal(1), complete: z.boolean(), rows: z.array(metricsRowSchema) });

/** The metrics row of a tagged incident, or null for phases metrics never count (pending, void). */
export function metricsRowOf(number: number, t: IndexTags): MetricsSummaryRow | null {
  const ph = t['ph'];
  if (ph !== 'active' && ph !== 'resolved' && ph !== 'dismissed' && ph !== 'triage') return null;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return [number, ph, num(t['sev']) ?? 0, typeof t['ch'] === 'string' ? t['ch'] : '', num(t['at']) ?? 0, num(t['ack']), num(t['ttr']), num(t['fu']) ?? 0, t['rv'] === true];
}

export const sameRow = (a: MetricsSummaryRow | undefined, b: MetricsSummaryRow | null): boolean =>
  a === undefined ? b === null : b !== null && a.every((v, k) => v === b[k]);

/** Rows with `row` put in its number's place (or that number's row removed when null), by number. */
export function withRow(rows: readonly MetricsSummaryRow[], number: number, row: MetricsSummaryRow | null): MetricsSummaryRow[] {
  const others = rows.filter((r) => r[0] !== number);
  return row ? [...others, row].sort((a, b) => a[0] - b[0]) : others;
}
