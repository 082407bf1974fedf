/**
 * Alert intake has no System Console settings: every setting belongs to one source (one team),
 * set by its team admins with `/infra alerts add|set` or the sidebar. What a new source starts
 * with is here.
 */
import { DEFAULT_SEVERITY_MAP } from './mapping';
import type { SourceSettings } from './records';

export interface AlertSettings {
  /** Largest notification accepted, in bytes (Alertmanager sends every alert of a group in one body). */
  readonly maxBodyBytes: number;
}

export const SOURCE_DEFAULTS: Readonly<SourceSettings> = {
  severityLabel: 'severity',
  severityMap: { ...DEFAULT_SEVERITY_MAP },
  defaultSeverity: 3,
  typeLabel: null,
  responderIds: [],
  signatureHeader: null,
  timestampHeader: null,
  dedupeWindowHours: 48,
  autoResolve: false,
  private: true,
};

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function parseSettings(_values: Readonly<Record<string, unknown>>): AlertSettings {
  return { maxBodyBytes: MAX_BODY_BYTES };
}

/** The System Console entries (none; checked by settings.test.ts). */
export const SETTINGS_SCHEMA = [] as const;
