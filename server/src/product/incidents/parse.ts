import { MILESTONES, type Milestone, ROLES, type RoleName, SEVERITIES, type Severity } from '../contract/incidents';
import { UserError } from '../shared/errors';
import { input } from './messages';
import type { IncidentSettings } from './settings';

/** Input shared by commands, the dialog and HTTP: one way to read a severity, a role, a milestone, a reference. */

export function parseSeverity(text: string, settings: IncidentSettings, usage?: string): Severity {
  const lower = text.trim().toLowerCase();
  const numeric = /^(?:sev[- ]?)?([1-4])$/.exec(lower);
  if (numeric) return Number(numeric[1]) as Severity;
  const labelled = SEVERITIES.find((s) => settings.severityLabels[s].toLowerCase() === lower);
  if (labelled) return labelled;
  throw UserError.badRequest(input.notSeverity(text.slice(0, 64), settings), usage);
}

/** "sev2", "SEV-3": a severity word at the start of a declaration (labels only count with --severity). */
export const looksLikeSeverity = (word: string): boolean => /^sev-?\d{1,2}$/i.test(word);

export function parseRole(text: string, usage?: string): RoleName {
  const role = text.trim().toLowerCase();
  if ((ROLES as readonly string[]).includes(role)) return role as RoleName;
  throw UserError.badRequest(input.notRole(text.slice(0, 64)), usage);
}

export function parseMilestone(text: string, usage?: string): Milestone {
  const name = text.trim().toLowerCase();
  if ((MILESTONES as readonly string[]).includes(name)) return name as Milestone;
  throw UserError.badRequest(input.notMilestone(text.slice(0, 64)), usage);
}

export function parseType(text: string, settings: IncidentSettings): string {
  const typed = text.trim();
  if (!typed) return '';
  const known = settings.types.find((t) => t.toLowerCase() === typed.toLowerCase());
  if (!known) throw UserError.badRequest(input.notType(typed.slice(0, 64), settings.types));
  return known;
}

/** Accepts INC-16, inc-016, INC16, #16 and 16 (digits only, at most 9: no backtracking, no huge numbers). */
const REFERENCE = /^(?:inc-?|#)?(\d{1,9})$/i;

export function parseReference(text: string, usage?: string): number {
  const m = REFERENCE.exec(text.trim());
  const n = m ? Number(m[1]) : 0;
  if (n < 1) throw UserError.badRequest(input.notReference(text.slice(0, 64)), usage);
  return n;
}
