/** The status page's settings from plugin.json (keys arrive lower-cased). */
import { z } from 'zod';
import { STATUS_LIMITS } from '../contract/status';

export interface StatusSettings {
  /** Days of resolved incidents the page lists. */
  readonly historyDays: number;
}

const raw = z.object({ statuspagehistorydays: z.union([z.string(), z.number()]).optional().nullable() });

export function parseSettings(values: Readonly<Record<string, unknown>>): StatusSettings {
  const parsed = raw.safeParse(values);
  const text = parsed.success ? String(parsed.data.statuspagehistorydays ?? '').trim() : '';
  const days = text === '' ? STATUS_LIMITS.historyDays : Number(text);
  return { historyDays: Number.isInteger(days) && days >= 1 && days <= 90 ? days : STATUS_LIMITS.historyDays };
}

export const SETTINGS_SCHEMA = [
  {
    key: 'StatusPageHistoryDays',
    display_name: 'Status page: days of resolved incidents shown (1-90)',
    type: 'text',
    default: '14',
  },
] as const;
