import { UserError } from '../shared/errors';
import { MILESTONES, type MilestoneName, ROLES, type RoleName, type Severity } from './schema';
import type { IncidentSettings } from './settings';

/** Input shared by commands, the dialog and HTTP: one way to read a severity, a role, a milestone. */

export function parseSeverity(input: string, settings: IncidentSettings, usage?: string): Severity {
  const text = input.trim().toLowerCase();
  const numeric = /^(?:sev[- ]?)?([1-4])$/.exec(text);
  if (numeric) return Number(numeric[1]) as Severity;
  for (const s of [1, 2, 3, 4] as const) if (settings.severityLabels[s].toLowerCase() === text) return s;
  const labels = ([1, 2, 3, 4] as const).map((s) => `SEV${s} (${settings.severityLabels[s]})`).join(', ');
  throw UserError.badRequest(`"${input}" is not a severity. Use 1–4, SEV1–SEV4 or a label: ${labels}.`, usage);
}

export function parseRole(input: string, usage?: string): RoleName {
  const role = input.trim().toLowerCase();
  if ((ROLES as readonly string[]).includes(role)) return role as RoleName;
  throw UserError.badRequest(`"${input}" is not a role. Roles: ${ROLES.join(', ')}.`, usage);
}

export function parseMilestone(input: string, usage?: string): MilestoneName {
  const name = input.trim().toLowerCase();
  if ((MILESTONES as readonly string[]).includes(name)) return name as MilestoneName;
  throw UserError.badRequest(`"${input}" is not a milestone. Milestones: ${MILESTONES.join(', ')}.`, usage);
}

export function parseTitle(input: string, usage?: string): string {
  const title = input.replace(/\s+/g, ' ').trim();
  if (!title) throw UserError.badRequest('The incident needs a title.', usage);
  if (title.length > 200) throw UserError.badRequest(`The title is too long (${title.length} characters; at most 200).`, usage);
  return title;
}

export function parseType(input: string, settings: IncidentSettings): string {
  const text = input.trim();
  if (!text) return '';
  const known = settings.types.find((t) => t.toLowerCase() === text.toLowerCase());
  if (!known) throw UserError.badRequest(`"${text}" is not an incident type. Types: ${settings.types.join(', ')}.`);
  return known;
}
