import { z } from 'zod';
import { UserError } from '../errors';

/**
 * Every stored string and list has a limit, and exceeding it is an error that names the limit.
 * Commands call `checkText`/`checkCount`; stored schemas use `boundedText`/`boundedList` so a record
 * written by an old version or by hand can never grow past them unnoticed.
 */

/** Mattermost refuses posts longer than this many runes (its default MaxPostSize). */
export const POST_RUNES_MAX = 16_383;

export function checkText(text: string, max: number, what: string): string {
  const trimmed = text.trim();
  if (trimmed.length > max) throw UserError.badRequest(`${capitalise(what)} can be at most ${max} characters (this one has ${trimmed.length}).`);
  return trimmed;
}

export function checkCount(count: number, max: number, what: string): void {
  if (count > max) throw UserError.badRequest(`At most ${max} ${what}.`);
}

export const boundedText = (max: number): z.ZodString => z.string().max(max);
export const boundedList = <T extends z.ZodType>(item: T, max: number): z.ZodArray<T> => z.array(item).max(max);

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Lines for one bot post: as many as fit under the post limit, then "+N more" — never dropped
 * silently, never over the limit.
 */
export function fitLines(lines: readonly string[], maxRunes = POST_RUNES_MAX, more = (n: number) => `…and ${n} more`): string[] {
  const out: string[] = [];
  let used = 0;
  const reserve = 40; // room for the "+N more" line
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const runes = [...line].length + 1;
    if (used + runes > maxRunes - reserve) {
      out.push(more(lines.length - i));
      return out;
    }
    out.push(line);
    used += runes;
  }
  return out;
}
