import { MILESTONES, type Milestone, ROLES, type RoleName, SEVERITIES, type Severity } from '../contract/incidents';
import { UserError } from '../shared/errors';
import { leadingReference as leadingSharedReference, parseReference as parseSharedReference, type ReferenceAt } from '../shared/references';
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
  throw UserError.badRequest(input.notRole(text.slice(0, 64), suggestion(role, ROLES)), usage);
}

export function parseMilestone(text: string, usage?: string): Milestone {
  const name = text.trim().toLowerCase();
  if ((MILESTONES as readonly string[]).includes(name)) return name as Milestone;
  throw UserError.badRequest(input.notMilestone(text.slice(0, 64), suggestion(name, MILESTONES)), usage);
}

/** The one word of `words` that `typed` is a typo of, if exactly one is that close. */
export function suggestion(typed: string, words: readonly string[]): string | null {
  const close = words.filter((w) => nearly(typed, w));
  return close.length === 1 ? close[0]! : null;
}

/** A typo of `word` (one or two letters off, e.g. "ad" or "addd" for "add"): worth a "did you mean". */
export function nearly(typed: string, word: string): boolean {
  const a = typed.toLowerCase();
  if (a.length < 2 || Math.abs(a.length - word.length) > 2 || a.length > 32) return false;
  let row = Array.from({ length: word.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= word.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === word[j - 1] ? 0 : 1));
    row = next;
  }
  return row[word.length]! <= 2;
}


export function parseType(text: string, settings: IncidentSettings): string {
  const typed = text.trim();
  if (!typed) return '';
  const known = settings.types.find((t) => t.toLowerCase() === typed.toLowerCase());
  if (!known) throw UserError.badRequest(input.notType(typed.slice(0, 64), settings.types));
  return known;
}

/** An incident reference in every form people type (INC-16, INC-016, inc 16, #16, 16): the one shared parser. */
export function parseReference(text: string, usage?: string): number {
  const n = parseSharedReference('INC', text);
  if (n === null) throw UserError.badRequest(input.notReference(text.slice(0, 64)), usage);
  return n;
}

/** Whether the text is an incident reference (any form). */
export const isReference = (text: string): boolean => parseSharedReference('INC', text) !== null;

/**
 * A reference at the start of the words: "INC-16 …", "16 …", and "inc 16 …" over two words.
 * `explicitOnly` takes only the forms that name an incident by its prefix (INC-16, inc 16), for
 * free text that may well start with a number ("3 pods restarted", "#2 is down").
 */
export function leadingReference(words: readonly string[], explicitOnly = false): ReferenceAt | null {
  return leadingSharedReference('INC', words, { explicitOnly });
}
