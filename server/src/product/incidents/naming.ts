import { slugify, truncateSlug } from '../shared/text/slug';

/**
 * Incident channel names: Mattermost accepts 1–64 characters of [a-z0-9_-] that start and end
 * with a letter or digit. Titles go through the product's one slugify (any script transliterated
 * where it can be, dropped otherwise); a name that ends up with no title part falls back to the
 * number alone ("inc-042").
 */

export const CHANNEL_NAME_MAX = 64;

export interface NameParts {
  number: number;
  title: string;
  severity: number;
  type: string;
}

/** The channel name the template gives; always valid for Mattermost. */
export function channelNameFor(template: string, parts: NameParts): string {
  const number = String(parts.number).padStart(3, '0');
  const fixed = template
    .toLowerCase()
    .replace(/\{number\}/g, number)
    .replace(/\{severity\}/g, `sev${parts.severity}`)
    .replace(/\{type\}/g, slugify(parts.type, CHANNEL_NAME_MAX));
  // The title gets whatever room the rest of the template leaves.
  const room = CHANNEL_NAME_MAX - clean(fixed.replace(/\{title\}/g, '')).length - 1;
  const title = truncateSlug(slugify(withoutApostrophes(parts.title), CHANNEL_NAME_MAX), Math.max(0, room));
  const name = clean(fixed.replace(/\{title\}/g, title));
  return name.length >= 2 ? trimEnds(name.slice(0, CHANNEL_NAME_MAX), '-_') : `inc-${number}`;
}

/** Candidate names in order: the template's, then numbered variants, then one that cannot clash. */
export function candidateNames(base: string, uniqueSuffix: string): string[] {
  const names = [base];
  for (let i = 2; i <= 5; i++) {
    const suffix = `-${i}`;
    names.push(trimEnds(base.slice(0, CHANNEL_NAME_MAX - suffix.length), '-') + suffix);
  }
  const tail = `-${uniqueSuffix.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8)}`;
  names.push(trimEnds(base.slice(0, CHANNEL_NAME_MAX - tail.length), '-') + tail);
  return names;
}

/** "Can't reach Bob's box" → "Cant reach Bobs box": a word keeps its letters together in the name. */
const withoutApostrophes = (title: string): string => title.replace(/(\p{L})['’](?=\p{L})/gu, '$1');

function clean(name: string): string {
  return trimEnds(name.replace(/[^a-z0-9_-]+/g, '-').replace(/-{2,}/g, '-'), '-_');
}

/** Strips `chars` from both ends, linearly (a regex such as /[-_]+$/ backtracks on long runs). */
function trimEnds(text: string, chars: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text[start]!)) start++;
  while (end > start && chars.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** "INC-042 DB latency", within Mattermost's 64-character display name limit. */
export function displayNameFor(reference: string, title: string): string {
  const full = `${reference} ${title.replace(/\s+/g, ' ').trim()}`;
  return [...full].length <= 64 ? full : [...full].slice(0, 63).join('') + '…';
}
