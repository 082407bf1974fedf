/**
 * The product's one slugify: channel names, guild slugs, anything that must be [a-z0-9-].
 * Titles arrive in any script, so they are transliterated where a simple table exists (Latin with
 * accents, Cyrillic, Greek) and dropped otherwise; the result may be '' (callers choose a fallback).
 */

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

/** Lower-case a-z0-9 words joined by '-', at most `max` characters, cut at a word boundary when it can be. */
export function slugify(text: string, max = 64): string {
  const lower = text.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '');
  let out = '';
  for (const ch of lower) {
    out += LATIN[ch] ?? CYRILLIC[ch] ?? GREEK[ch] ?? (/[a-z0-9]/.test(ch) ? ch : '-');
    if (out.length > max * 4) break; // enough material; hostile input is not walked to its end
  }
  const slug = trimDashes(out.replace(/-{2,}/g, '-').replace(/^-/, ''));
  return truncateSlug(slug, max);
}

/** Cuts a slug to `max` characters, at the last '-' when that keeps more than half. */
export function truncateSlug(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const lastDash = cut.lastIndexOf('-');
  return trimDashes(lastDash > max / 2 ? cut.slice(0, lastDash) : cut);
}

/** Without trailing dashes; a loop, since `/-+$/` backtracks quadratically on long dash runs. */
function trimDashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '-') end--;
  return text.slice(0, end);
}
