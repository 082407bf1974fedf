// Display text for records: durations, dates and severities. Labels and references (RFC status
// labels, RFC-007, SEV1) come from the contract, shared with the server.
import { severityName, type Incident } from './contract';

/** The configured label when the server sends one ("SEV1 · Critical"), else just SEV<n>. */
export const severityText = (incident: Pick<Incident, 'severity' | 'severityLabel'>): string =>
  incident.severityLabel ? `${severityName(incident.severity)} · ${incident.severityLabel}` : severityName(incident.severity);

/** "3m", "5h 10m", "2d 4h": compact, for lists. */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days}d ${hours % 24}h` : `${days}d`;
}

/** A meeting time in the guild's own zone, e.g. "Mon 2 Mar, 10:00 (Europe/Berlin)". */
export function meetingTime(at: number, timeZone: string): string {
  try {
    const text = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
      timeZone,
    }).format(new Date(at));
    return `${text} (${timeZone})`;
  } catch {
    // Unknown zone name from the server: fall back to UTC rather than failing the whole list.
    return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
}

/** Whole days left until a deadline, never negative; null when there is none. */
export const daysLeft = (deadline: number | null, now: number): number | null =>
  deadline === null ? null : Math.max(0, Math.ceil((deadline - now) / 86_400_000));

export const formatScore = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));
