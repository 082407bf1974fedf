/**
 * The one reference grammar: how people name an incident, an RFC or an idea, and how the product
 * names them back. Display has one style for all three kinds (the contract's: INC-042, RFC-007,
 * IDEA-012). Input takes every form people type, for each kind the same:
 *
 * | form                    | e.g.                       | explicit |
 * |-------------------------|----------------------------|----------|
 * | prefix-number           | RFC-1, RFC-001, rfc-7, RFC–7 | yes    |
 * | prefix number (glued)   | RFC1, inc016               | yes      |
 * | prefix, number (2 words)| `rfc 1`, `idea #7`, `rfc RFC-1` | yes |
 * | #number                 | #1, #007                   | no       |
 * | number                  | 1, 007                     | no       |
 *
 * The number is 1 or more, at most 9 significant digits (leading zeros are ignored, at most 12
 * digits in all). "Explicit" forms name their kind, so only they are taken where a sentence could
 * start with a number ("3 pods restarted", "#2 is down"): pass `explicitOnly`. A reference of
 * another kind ("INC-3" where an RFC is wanted) is never read as this kind's number:
 * `referenceKindOf` tells the caller what it is, for an answer that says so.
 *
 * Everything here scans each word once, character by character (no regular expressions), so any
 * input — a million zeros, a 3,000-character word — is judged in linear time.
 *
 * Use (every feature the same):
 * - `leadingReference(kind, words, { explicitOnly })` — a reference at the start of the words, and
 *   how many words it used (1 or 2); then `textAfter(inv.text, used)` is the free text after it.
 * - `parseReference(kind, text)` — the whole text (one or two words) is one reference: its number.
 * - `formatReference(kind, n)` or `incidentReference`/`rfcReference`/`ideaReference` to display.
 */
import { ideaReference, incidentReference, rfcReference } from '../contract';
import { tokenize } from './commands';

export { ideaReference, incidentReference, rfcReference };

export type ReferenceKind = 'INC' | 'RFC' | 'IDEA';
export const REFERENCE_KINDS: readonly ReferenceKind[] = ['INC', 'RFC', 'IDEA'];

const FORMAT: Readonly<Record<ReferenceKind, (n: number) => string>> = { INC: incidentReference, RFC: rfcReference, IDEA: ideaReference };

/** INC-042, RFC-007, IDEA-012. */
export const formatReference = (kind: ReferenceKind, n: number): string => FORMAT[kind](n);

/** Digits a number may have with its leading zeros (`INC-000000000042`), and without them. */
const MAX_DIGITS = 12;
const MAX_SIGNIFICANT = 9;
/** No reference word is longer than this: longer words are refused before any scanning. */
const MAX_WORD = 4 + 1 + MAX_DIGITS;

interface Word {
  /** The kind the word names by its prefix; null for `#7` and `7`. */
  readonly kind: ReferenceKind | null;
  /** The number, or null when the word is only a prefix ("rfc", "idea"). */
  readonly number: number | null;
}

/** The kind a word is the bare prefix of ("rfc", "INC", "Idea"), or null. */
function prefixOf(word: string, from = 0, to = word.length): ReferenceKind | null {
  const length = to - from;
  if (length < 3 || length > 4) return null;
  const lower = word.slice(from, to).toLowerCase();
  return lower === 'inc' ? 'INC' : lower === 'rfc' ? 'RFC' : lower === 'idea' ? 'IDEA' : null;
}

/** `digits` from `from` to the end, as a number ≥ 1 within the bounds; else null. */
function digitsFrom(word: string, from: number): number | null {
  const count = word.length - from;
  if (count < 1 || count > MAX_DIGITS) return null;
  let n = 0;
  let significant = 0;
  for (let i = from; i < word.length; i++) {
    const code = word.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return null;
    if (significant > 0 || code > 0) significant++;
    n = n * 10 + code;
  }
  return n >= 1 && significant <= MAX_SIGNIFICANT ? n : null;
}

/** One word read as a reference form: `RFC-7`, `rfc7`, `#7`, `7`, or the bare prefix `rfc`. */
function readWord(word: string): Word | null {
  if (word.length === 0 || word.length > MAX_WORD) return null;
  if (word[0] === '#') {
    const n = digitsFrom(word, 1);
    return n === null ? null : { kind: null, number: n };
  }
  const first = word.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    const n = digitsFrom(word, 0);
    return n === null ? null : { kind: null, number: n };
  }
  // A prefix of letters, then "-" or digits at once.
  let end = 0;
  while (end < word.length && end < 5 && isLetter(word.charCodeAt(end))) end++;
  const kind = prefixOf(word, 0, end);
  if (kind === null) return null;
  if (end === word.length) return { kind, number: null };
  const n = digitsFrom(word, DASHES.includes(word[end]!) ? end + 1 : end);
  return n === null ? null : { kind, number: n };
}

/** A hyphen, or the dashes clients with smart punctuation turn it into (RFC–7). */
const DASHES = ['-', '\u2010', '\u2011', '\u2013', '\u2014'];

const isLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

export interface ReferenceAt {
  readonly number: number;
  /** Words the reference took: 1, or 2 for `rfc 7`. */
  readonly used: 1 | 2;
}

/**
 * A reference of `kind` at the start of `words`: `RFC-7 …`, `7 …`, `#7 …`, or `rfc 7 …` over two
 * words. `explicitOnly`: only the forms that name the kind (RFC-7, rfc 7), for text that may well
 * start with a number. Null when the words don't start with one of this kind.
 */
export function leadingReference(kind: ReferenceKind, words: readonly string[], options: { explicitOnly?: boolean } = {}): ReferenceAt | null {
  const first = words[0] === undefined ? null : readWord(words[0]);
  if (first === null) return null;
  if (first.number === null) {
    // "rfc 7", "rfc #7", "rfc RFC-7": the prefix word, then a number (of this kind, if it says one).
    if (first.kind !== kind || words[1] === undefined) return null;
    const second = readWord(words[1]);
    if (second === null || second.number === null || (second.kind !== null && second.kind !== kind)) return null;
    return { number: second.number, used: 2 };
  }
  if (first.kind === null) return options.explicitOnly ? null : { number: first.number, used: 1 };
  return first.kind === kind ? { number: first.number, used: 1 } : null;
}

/** The number when the whole `text` (one or two words) is one reference of `kind`; else null. */
export function parseReference(kind: ReferenceKind, text: string, options: { explicitOnly?: boolean } = {}): number | null {
  const words = wordsOf(text, 3);
  if (words === null) return null;
  const found = leadingReference(kind, words, options);
  return found !== null && found.used === words.length ? found.number : null;
}

/**
 * The kind a text names by its prefix when it is a reference (`INC-3`, `rfc 7`, `idea7`), or
 * null: for "that is an incident, not an RFC" instead of "not a number".
 */
export function referenceKindOf(text: string): ReferenceKind | null {
  const words = wordsOf(text, 3);
  if (words === null) return null;
  for (const kind of REFERENCE_KINDS) {
    const found = leadingReference(kind, words, { explicitOnly: true });
    if (found !== null && found.used === words.length) return kind;
  }
  return null;
}

/** The text as typed after its first `count` words (the free text after a reference), trimmed. */
export function afterWords(text: string, count: number): string {
  let i = 0;
  for (let word = 0; word < count; word++) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
  }
  return text.slice(i).trim();
}

/**
 * The free text after a reference of `used` words, as typed (apostrophes, quotes, spacing and
 * line breaks kept); when it is one quoted group, without its quotes — as `inv.text` is.
 */
export function textAfter(text: string, used: number): string {
  const rest = afterWords(text, used);
  if (!'"\'“‘'.includes(rest[0] ?? 'x')) return rest;
  const tokens = tokenize(rest);
  return tokens.length === 1 ? tokens[0]!.text : rest;
}

/** Whitespace-separated words, or null when there are more than `max` (or the text is long). */
function wordsOf(text: string, max: number): string[] | null {
  if (text.length > max * (MAX_WORD + 8)) return null;
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    if (i > start) {
      if (words.length === max) return null;
      words.push(text.slice(start, i));
    }
  }
  return words;
}

/** Space, tab, line breaks and the other white space Unicode names (as `\s`). */
function isSpace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
