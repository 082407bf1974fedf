import { epochDayOf, formatClock, isRealDate, localToUtc, wallTime } from '../shared/time/zone';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})$/;
const ABSOLUTE = /^\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** A maintenance time: local wall time in `zone` (DST handled by shared/time/zone.ts), or an absolute ISO time. Null if neither. */
export function parseMaintenanceTime(text: string, zone: string): number | null {
  const local = LOCAL.exec(text.trim());
  if (local) {
    const [y, mo, d, h, mi] = local.slice(1).map(Number) as [number, number, number, number, number];
    if (!isRealDate(y, mo, d) || h > 23 || mi > 59) return null;
    return localToUtc(zone, epochDayOf(`${local[1]}-${local[2]}-${local[3]}`), h, mi);
  }
  if (!ABSOLUTE.test(text.trim())) return null;
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? ms : null;
}

/** "2027-01-04 22:00 Europe/Berlin": how the page and replies show a time, in the reader's zone. */
export function formatInZone(ms: number, zone: string): string {
  const w = wallTime(zone, ms);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')} ${formatClock(w.hour, w.minute)} ${zone}`;
}
