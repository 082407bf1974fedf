import type { Notification } from './payload';
import type { SourceSettings } from './records';

type Severity = 1 | 2 | 3 | 4;

/**
 * The incident's severity: the source's severity label, read from the alerts' common labels
 * (else the most severe value among the firing alerts), through the source's mapping
 * (case-insensitive); the source's default when no value maps.
 */
export function severityOf(n: Pick<Notification, 'commonLabels' | 'alerts'>, s: Pick<SourceSettings, 'severityLabel' | 'severityMap' | 'defaultSeverity'>): Severity {
  const mapped = (value: string | undefined): Severity | null => (value === undefined ? null : (s.severityMap[value.trim().toLowerCase()] ?? null));
  const common = mapped(n.commonLabels[s.severityLabel]);
  if (common !== null) return common;
  const each = n.alerts.filter((a) => a.status === 'firing').flatMap((a) => {
    const m = mapped(a.labels[s.severityLabel]);
    return m === null ? [] : [m];
  });
  return each.length ? (Math.min(...each) as Severity) : s.defaultSeverity;
}

/** The incident type: the source's type label's value, when set and present; else empty (the team's default). */
export function typeOf(n: Pick<Notification, 'commonLabels'>, s: Pick<SourceSettings, 'typeLabel'>): string {
  return s.typeLabel ? (n.commonLabels[s.typeLabel] ?? '').slice(0, 64) : '';
}

/** `critical=1, warning=sev3, info=4` → {critical: 1, warning: 3, info: 4}; a clear error for anything else. */
export function parseSeverityMap(text: string): Record<string, Severity> {
  const map: Record<string, Severity> = {};
  for (const part of text.split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim().toLowerCase() : '';
    const value = parseSeverity(eq > 0 ? part.slice(eq + 1) : '');
    if (!key || key.length > 100 || value === null) throw new Error(`"${part.slice(0, 60)}" is not label-value=severity (e.g. critical=1 or warning=SEV3).`);
    map[key] = value;
  }
  return map;
}

/** `1`, `sev1`, `SEV-1` → 1; null for anything else. */
export function parseSeverity(text: string): Severity | null {
  const m = /^\s*(?:sev-?)?([1-4])\s*$/i.exec(text);
  return m ? (Number(m[1]) as Severity) : null;
}

export const DEFAULT_SEVERITY_MAP: Readonly<Record<string, Severity>> = { critical: 1, error: 2, high: 2, warning: 3, warn: 3, info: 4, low: 4 };
