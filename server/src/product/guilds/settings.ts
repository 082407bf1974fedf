/**
 * The guilds settings from plugin.json's settings_schema, through one typed schema. Mattermost
 * hands keys to the plugin lower-cased; a value that can't be read falls back to its default and
 * says why (logged), rather than silently dropping reminders.
 */
import { z } from 'zod';

/** Longest reminder lead: a week, so one meeting's reminders never pass the previous meeting. */
export const MAX_LEAD_MINUTES = 7 * 24 * 60;
export const DEFAULT_LEAD_MINUTES: readonly number[] = [60];

export interface GuildSettings {
  /** Minutes before each meeting to post the agenda, longest first; [] = no reminders. */
  readonly reminderLeadMinutes: readonly number[];
  /** Why a setting fell back to its default, or null. */
  readonly problem: string | null;
}

const raw = z.object({ guildreminderleadminutes: z.union([z.string(), z.number()]).optional().nullable() });

/**
 * GuildReminderLeadMinutes: minutes before a meeting, several separated by commas ("1440, 60" = a
 * day and an hour before); "0", "none" or "off" turns reminders off.
 */
export function parseLeadMinutes(value: unknown): { leads: number[]; problem: string | null } {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  if (text === '') return { leads: [...DEFAULT_LEAD_MINUTES], problem: null };
  if (/^(?:0|none|off)$/i.test(text)) return { leads: [], problem: null };
  if (text.length > 200) return { leads: [...DEFAULT_LEAD_MINUTES], problem: `GuildReminderLeadMinutes is longer than 200 characters; using ${DEFAULT_LEAD_MINUTES.join(', ')}.` };
  const leads = text.split(/[\s,;]+/).filter(Boolean).map(Number);
  if (leads.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_LEAD_MINUTES)) {
    return { leads: [...DEFAULT_LEAD_MINUTES], problem: `GuildReminderLeadMinutes "${text}" is not a list of whole minutes from 1 to ${MAX_LEAD_MINUTES}; using ${DEFAULT_LEAD_MINUTES.join(', ')}.` };
  }
  return { leads: [...new Set(leads)].sort((a, b) => b - a).slice(0, 10), problem: null };
}

export function parseSettings(values: Readonly<Record<string, unknown>>): GuildSettings {
  const parsed = raw.safeParse(values);
  if (!parsed.success) return { reminderLeadMinutes: DEFAULT_LEAD_MINUTES, problem: 'GuildReminderLeadMinutes is neither text nor a number; using 60.' };
  const { leads, problem } = parseLeadMinutes(parsed.data.guildreminderleadminutes);
  return { reminderLeadMinutes: leads, problem };
}

/** The System Console entries, as plugin.json's settings_schema carries them (checked by settings.test.ts). */
export const SETTINGS_SCHEMA = [
  {
    key: 'GuildReminderLeadMinutes',
    display_name: 'Guilds: reminder before each meeting (minutes)',
    type: 'text',
    default: '60',
  },
] as const;
