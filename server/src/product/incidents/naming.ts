/**
 * Incident channel names: Mattermost accepts 1–64 characters of [a-z0-9_-] that start and end
 * with a letter or digit. Titles arrive in any script, so they are transliterated where a simple
 * table exists (Latin with accents, Cyrillic, Greek) and dropped otherwise; a name that ends up
 * with no title part falls back to the number alone ("inc-042").
 */

export const CHANNEL_NAME_MAX = 64;

const LATIN: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŋ: 'ng', ĸ: 'k', ſ: 's',
};

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia', і: 'i', ї: 'i', є: 'ie', ґ: 'g', ў: 'u', ј: 'j', љ: 'lj', њ: 'nj',
  ђ: 'dj', ћ: 'c', џ: 'dz',
};

const GREEK: Record<string, string> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x',
  ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};

/** Lower-case a-z0-9 words joined by '-'; '' when nothing transliterable is left. */
export function slugify(text: string): string {
  const lower = text.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '');
  let out = '';
  for (const ch of lower) out += LATIN[ch] ?? CYRILLIC[ch] ?? GREEK[ch] ?? ch;
  return out
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

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
    .replace(/\{type\}/g, slugify(parts.type));
  // The title gets whatever room the rest of the template leaves.
  const room = CHANNEL_NAME_MAX - clean(fixed.replace(/\{title\}/g, '')).length - 1;
  const title = truncateWords(slugify(parts.title), Math.max(0, room));
  const name = clean(fixed.replace(/\{title\}/g, title));
  return name.length >= 2 ? name.slice(0, CHANNEL_NAME_MAX).replace(/-+$/, '') : `inc-${number}`;
}

/** Candidate names in order: the template's, then numbered variants, then one that cannot clash. */
export function candidateNames(base: string, uniqueSuffix: string): string[] {
  const names = [base];
  for (let i = 2; i <= 5; i++) {
    const suffix = `-${i}`;
    names.push(base.slice(0, CHANNEL_NAME_MAX - suffix.length).replace(/-+$/, '') + suffix);
  }
  const tail = `-${uniqueSuffix.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8)}`;
  names.push(base.slice(0, CHANNEL_NAME_MAX - tail.length).replace(/-+$/, '') + tail);
  return names;
}

function clean(name: string): string {
  return name
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}

function truncateWords(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > max / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/, '');
}

/** "INC-042 DB latency", within Mattermost's 64-character display name limit. */
export function displayNameFor(reference: string, title: string): string {
  const full = `${reference} ${title.replace(/\s+/g, ' ').trim()}`;
  return [...full].length <= 64 ? full : [...full].slice(0, 63).join('') + '…';
}
