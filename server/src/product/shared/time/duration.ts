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

const MIN_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Units of a typed duration: 15m, 2 hours, 1 day… */
const UNIT_MS: Readonly<Record<string, number>> = {
  m: MIN_MS,
  min: MIN_MS,
  mins: MIN_MS,
  minute: MIN_MS,
  minutes: MIN_MS,
  h: HOUR_MS,
  hr: HOUR_MS,
  hrs: HOUR_MS,
  hour: HOUR_MS,
  hours: HOUR_MS,
  d: DAY_MS,
  day: DAY_MS,
  days: DAY_MS,
};
/** One part of a duration ("1h", "30 min"), read from where the last one ended. */
const DURATION_PART = /\s*(\d{1,6})\s*([a-z]{1,7})/iy;

/** The one duration grammar people type: "1h30m", "2 hours", "90 min" (at most four parts); null when it is not one. */
export function durationMs(text: string): number | null {
  let total = 0;
  let parts = 0;
  let position = 0;
  const typed = text.trim();
  while (position < typed.length) {
    DURATION_PART.lastIndex = position;
    const m = DURATION_PART.exec(typed);
    const unit = m ? UNIT_MS[m[2]!.toLowerCase()] : undefined;
    if (!m || unit === undefined || ++parts > 4) return null;
    total += Number(m[1]) * unit;
    position = DURATION_PART.lastIndex;
  }
  return parts > 0 ? total : null;
}
