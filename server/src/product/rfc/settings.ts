import { z } from 'zod';
import { RFC_LIMITS } from '../contract/rfc';

/**
 * The RFC settings from plugin.json's settings_schema, through one typed schema. Mattermost hands
 * keys to the plugin lower-cased and console values as strings or numbers; a bad value falls back
 * to its default rather than breaking every command.
 */
export interface RfcSettings {
  /**
   * Usernames (lower-case, without @) named in RfcApprovers. They are pinned to user ids when the
   * setting is first seen (approvers.ts), so a username freed by a rename gives nobody the role.
   */
  approvers: string[];
  commentPeriodDays: number;
}

/** How many approvers the setting may name (more are ignored, and logged by approvers.ts). */
export const APPROVERS_MAX = 50;

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const schema = z.object({
  rfcapprovers: z
    .string()
    .catch('')
    .transform((raw) => [...new Set(raw.split(/[\s,;]+/).map((name) => name.replace(/^@/, '').toLowerCase()))].filter((name) => USERNAME.test(name))),
  rfccommentperioddays: z.coerce.number().int().min(1).max(RFC_LIMITS.commentPeriodDays).catch(7),
});

export function parseSettings(raw: Readonly<Record<string, unknown>>): RfcSettings {
  const s = schema.parse({
    rfcapprovers: raw['rfcapprovers'] ?? '',
    rfccommentperioddays: raw['rfccommentperioddays'] === '' || raw['rfccommentperioddays'] === undefined ? 7 : raw['rfccommentperioddays'],
  });
  return { approvers: s.rfcapprovers, commentPeriodDays: s.rfccommentperioddays };
}

/** The System Console entries; settings.test.ts checks plugin.json carries each with this type and default. */
export const SETTINGS_SCHEMA = [
  {
    key: 'RfcApprovers',
    display_name: 'RFC approvers',
    type: 'text',
    help_text: 'Usernames (comma or space separated) who may accept, reject, postpone or supersede any RFC, besides its owner.',
    default: '',
  },
  {
    key: 'RfcCommentPeriodDays',
    display_name: 'RFC comment period (days)',
    type: 'number',
    help_text: "Default length of an RFC's comment period when /rfc review does not give --days (1–90).",
    default: 7,
  },
] as const;
