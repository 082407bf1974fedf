import { formatClock, localDateTimeToUtc, wallTime } from '../shared/time/zone';

const ABSOLUTE = /^\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** A maintenance time: local wall time in `zone` (DST handled by shared/time/zone.ts), or an absolute ISO time. Null if neither. */
export function parseMaintenanceTime(text: string, zone: string): number | null {
  const local = localDateTimeToUtc(text, zone);
  if (local !== null) return local;
  // A local shape that is not a real date fails here too: it has no zone designator.
  if (!ABSOLUTE.test(text.trim())) return null;
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? ms : null;
}

/** "2027-01-04 22:00 Europe/Berlin": how the page and replies show a time, in the reader's zone. */
export function formatInZone(ms: number, zone: string): string {
  const w = wallTime(zone, ms);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')} ${formatClock(w.hour, w.minute)} ${zone}`;
}
