import { z } from 'zod';
import type { Severity } from '../contract/incidents';

/**
 * The incidents settings from plugin.json's settings_schema. Mattermost hands keys to the plugin
 * lower-cased; values typed in the System Console arrive as strings or numbers, so everything is
 * coerced here once, with defaults, and a bad value falls back to its default rather than
 * breaking every command.
 */
export interface IncidentSettings {
  /** Channel name (looked up in the incident's team) or channel id; '' = no feed. */
  feedChannel: string;
  channelNameTemplate: string;
  privateByDefault: boolean;
  severityLabels: Record<Severity, string>;
  types: string[];
  /** Per severity: `@username` and `group:<groupId>` entries. */
  responders: Record<Severity, { usernames: string[]; groupIds: string[] }>;
  /** Per severity, minutes between status updates; 0 = no reminder. */
  updateIntervalMinutes: Record<Severity, number>;
  statusTemplate: string;
}

export const DEFAULT_TEMPLATE = 'inc-{number}-{title}';
export const DEFAULT_STATUS_TEMPLATE =
  '#### {reference} status update · {severity}\n{text}\n\n_Commander: {commander} · next update due {next}_';
const DEFAULT_LABELS: Record<Severity, string> = { 1: 'Critical', 2: 'Major', 3: 'Minor', 4: 'Low' };
const DEFAULT_INTERVALS: Record<Severity, number> = { 1: 30, 2: 60, 3: 240, 4: 0 };
const DEFAULT_TYPES = ['Outage', 'Degradation', 'Security', 'Data', 'Other'];

const text = (raw: unknown): string => (typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '');

const boolOr = (raw: unknown, fallback: boolean): boolean => {
  if (typeof raw === 'boolean') return raw;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return fallback;
};

const minutes = z.coerce.number().int().min(0).max(7 * 24 * 60);

function list(raw: unknown): string[] {
  return text(raw)
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function responders(raw: unknown): { usernames: string[]; groupIds: string[] } {
  const entries = list(raw);
  return {
    usernames: entries.filter((e) => !e.toLowerCase().startsWith('group:')).map((e) => e.replace(/^@/, '').toLowerCase()),
    groupIds: entries.filter((e) => e.toLowerCase().startsWith('group:')).map((e) => e.slice('group:'.length)).filter(Boolean),
  };
}

export function parseSettings(raw: Readonly<Record<string, unknown>>): IncidentSettings {
  const labels = text(raw['incidentseveritylabels'])
    .split(',')
    .map((s) => s.trim());
  const bySeverity = <T>(f: (s: Severity) => T): Record<Severity, T> => ({ 1: f(1), 2: f(2), 3: f(3), 4: f(4) });
  const template = text(raw['incidentchannelnametemplate']);
  const types = text(raw['incidenttypes'])
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    feedChannel: text(raw['incidentfeedchannel']).replace(/^~/, ''),
    channelNameTemplate: template.includes('{number}') ? template : DEFAULT_TEMPLATE,
    privateByDefault: boolOr(raw['incidentprivatebydefault'], true),
    severityLabels: bySeverity((s) => labels[s - 1] || DEFAULT_LABELS[s]),
    types: types.length ? types.slice(0, 20) : DEFAULT_TYPES,
    responders: bySeverity((s) => responders(raw[`incidentresponderssev${s}`])),
    updateIntervalMinutes: bySeverity((s) => {
      const parsed = minutes.safeParse(raw[`incidentupdateintervalsev${s}`] ?? DEFAULT_INTERVALS[s]);
      return parsed.success ? parsed.data : DEFAULT_INTERVALS[s];
    }),
    statusTemplate: text(raw['incidentstatustemplate']) || DEFAULT_STATUS_TEMPLATE,
  };
}

/** The System Console entries, merged into plugin.json's settings_schema.settings. */
export const SETTINGS_SCHEMA = [
  {
    key: 'IncidentFeedChannel',
    display_name: 'Incidents: feed channel',
    type: 'text',
    help_text: 'Channel (name such as "incidents", looked up in each team, or a channel id) where declarations and status updates are announced. Empty: no feed.',
    default: '',
  },
  {
    key: 'IncidentChannelNameTemplate',
    display_name: 'Incidents: channel name template',
    type: 'text',
    help_text: 'Placeholders: {number} (042), {title}, {severity} (sev2), {type}. Must contain {number}. Any script is transliterated or dropped.',
    default: DEFAULT_TEMPLATE,
  },
  {
    key: 'IncidentPrivateByDefault',
    display_name: 'Incidents: private channels by default',
    type: 'bool',
    help_text: 'New incident channels are private unless the declarer chooses otherwise.',
    default: true,
  },
  {
    key: 'IncidentSeverityLabels',
    display_name: 'Incidents: severity labels',
    type: 'text',
    help_text: 'Four comma-separated labels for SEV1..SEV4.',
    default: 'Critical, Major, Minor, Low',
  },
  {
    key: 'IncidentTypes',
    display_name: 'Incidents: types',
    type: 'text',
    help_text: 'Comma-separated incident types offered when declaring.',
    default: DEFAULT_TYPES.join(', '),
  },
  ...([1, 2, 3, 4] as const).map((s) => ({
    key: `IncidentRespondersSev${s}`,
    display_name: `Incidents: responders for SEV${s}`,
    type: 'text',
    help_text: `Added to every SEV${s} incident channel: @usernames and user groups as group:<group id>, separated by commas or spaces.`,
    default: '',
  })),
  ...([1, 2, 3, 4] as const).map((s) => ({
    key: `IncidentUpdateIntervalSev${s}`,
    display_name: `Incidents: status update interval for SEV${s} (minutes)`,
    type: 'number',
    help_text: 'The commander is reminded when no status update was posted for this long. 0: no reminder.',
    default: DEFAULT_INTERVALS[s],
  })),
  {
    key: 'IncidentStatusTemplate',
    display_name: 'Incidents: status update template',
    type: 'longtext',
    help_text: 'Placeholders: {reference}, {title}, {severity}, {text}, {commander}, {next}.',
    default: DEFAULT_STATUS_TEMPLATE,
  },
] as const;
