/** The product's one duration formatter and one timestamp format. */

/** "3 days", "1 day", "5 hours", "12 minutes": coarse durations for replies. */
export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  // Round up into the larger unit near its boundary ("1 day", not "24 hours").
  const [unit, size] = abs >= 22 * 3_600_000 ? ['day', 86_400_000] : abs >= 55 * 60_000 ? ['hour', 3_600_000] : ['minute', 60_000];
  const n = Math.max(0, Math.round(abs / size));
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** 95 → "1h 35m": exact durations for metrics (MTTR, MTTA); rounds first, so never "1h 60m". */
export function clockDuration(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  return m >= 60 ? `${Math.floor(m / 60)}h ${m % 60}m` : `${m}m`;
}

/** 2027-03-28 14:05 UTC */
export function utcStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
