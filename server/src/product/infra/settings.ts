/**
 * The daily digest's settings from plugin.json's settings_schema, through one typed schema
 * (Mattermost hands keys to the plugin lower-cased; checked against plugin.json by settings.test.ts).
 */
import { parseClock } from '../shared/time/zone';

export interface InfraSettings {
  /** The daily digest DM is sent at all (each user can still opt out). */
  readonly dailyDigest: boolean;
  /** Local time of day the digest is sent at, unless the user chose another (`/infra digest time`). */
  readonly digestTime: { readonly hour: number; readonly minute: number };
}

const DEFAULT_TIME = { hour: 9, minute: 0 } as const;

export function parseSettings(values: Readonly<Record<string, unknown>>): InfraSettings {
  const enabled = values['dailydigest'];
  const time = values['dailydigesttime'];
  return {
    dailyDigest: enabled === undefined || enabled === null || enabled === '' ? true : enabled === true || enabled === 'true',
    digestTime: (typeof time === 'string' ? parseClock(time) : null) ?? DEFAULT_TIME,
  };
}

export const SETTINGS_SCHEMA = [
  {
    key: 'DailyDigest',
    display_name: 'Daily digest: send it',
    type: 'bool',
    help_text: 'Each involved user gets one direct message on weekday mornings (their own time zone) listing what they owe: overdue and due-today checklist items, status updates due, reviews and scores. Nothing is sent when nothing is owed; users opt out with /infra digest off.',
    default: true,
  },
  {
    key: 'DailyDigestTime',
    display_name: 'Daily digest: local time',
    type: 'text',
    help_text: 'The time of day (24-hour, HH:MM, in each user\'s Mattermost time zone) the digest is sent at; each user may choose another with /infra digest time.',
    default: '09:00',
  },
] as const;
