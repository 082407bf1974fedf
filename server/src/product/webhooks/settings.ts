/** The outgoing webhooks' settings from plugin.json (keys arrive lower-cased). */
import { z } from 'zod';

export interface WebhookSettings {
  /** Bound on one delivery's HTTP request. */
  readonly timeoutMs: number;
}

const DEFAULT_TIMEOUT_SECONDS = 10;
const raw = z.object({ webhooktimeoutseconds: z.union([z.string(), z.number()]).optional().nullable() });

export function parseSettings(values: Readonly<Record<string, unknown>>): WebhookSettings {
  const parsed = raw.safeParse(values);
  const text = parsed.success ? String(parsed.data.webhooktimeoutseconds ?? '').trim() : '';
  const seconds = text === '' ? DEFAULT_TIMEOUT_SECONDS : Number(text);
  return { timeoutMs: (Number.isInteger(seconds) && seconds >= 1 && seconds <= 60 ? seconds : DEFAULT_TIMEOUT_SECONDS) * 1000 };
}

export const SETTINGS_SCHEMA = [
  {
    key: 'WebhookTimeoutSeconds',
    display_name: 'Outgoing webhooks: request timeout (seconds, 1-60)',
    type: 'text',
    default: '10',
  },
] as const;
