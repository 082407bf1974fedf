/**
 * Finding a guild by what a person typed, among the guilds they may see: its slug, its name (also
 * after a rename: the new name's slug finds it too), a name it had before (aliases), or a unique
 * prefix of its slug or name.
 */
import { UserError } from '../shared/errors';
import { slugify } from '../shared/text/slug';
import { GUILD_TEXT } from './messages';
import { type GuildCopy, SLUG_MAX } from './records';

/** A name's slug; an apostrophe inside a word goes (Bob's → bobs), as in incident channel names. */
export const guildSlugOf = (name: string): string => slugify(name.replace(/(\p{L})['’](?=\p{L})/gu, '$1'), SLUG_MAX);

/**
 * The guild `text` names exactly (slug, name or the name's slug; then a former name), or null.
 * `aliases: false` for "is this name taken?": a former name never blocks a new guild's name.
 */
export function exactGuild<G extends GuildCopy>(guilds: readonly G[], text: string, options: { aliases?: boolean } = {}): G | null {
  const wanted = guildSlugOf(text);
  if (!wanted) return null;
  const lower = text.trim().toLowerCase();
  const named = (name: string): boolean => name.toLowerCase() === lower || guildSlugOf(name) === wanted;
  return (
    guilds.find((g) => g.slug === wanted) ??
    guilds.find((g) => named(g.name)) ??
    (options.aliases === false ? null : (guilds.find((g) => (g.aliases ?? []).some(named)) ?? null))
  );
}

/** Exact match first, then a unique prefix; otherwise a clear error (the same for a guild the reader can't see). */
export function matchGuild<G extends GuildCopy>(guilds: readonly G[], text: string): G {
  const wanted = guildSlugOf(text);
  if (!wanted) throw UserError.badRequest(GUILD_TEXT.sayWhich, '/guild <subcommand> <name>');
  const exact = exactGuild(guilds, text);
  if (exact) return exact;
  const prefixed = guilds.filter((g) => g.slug.startsWith(wanted) || guildSlugOf(g.name).startsWith(wanted));
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length > 1) throw UserError.badRequest(GUILD_TEXT.ambiguous(text, prefixed.map((g) => g.slug)));
  throw UserError.notFound(GUILD_TEXT.noSuchGuild(text));
}

/**
 * For `/guild queue <name> <item>` without quotes: the longest run of leading words that names a
 * guild exactly ("Infrastructure Guild Review the bill" → Infrastructure Guild + "Review the bill"),
 * else the first word (a slug or prefix). `words` are the tokens with their offsets in `raw`.
 */
export function leadingGuild<G extends GuildCopy>(guilds: readonly G[], words: ReadonlyArray<{ text: string; start: number }>, raw: string): { guild: G; rest: string } {
  if (words.length === 0) throw UserError.badRequest(GUILD_TEXT.sayWhich);
  const upTo = Math.min(words.length - 1, 12);
  for (let n = upTo; n >= 2; n--) {
    const name = words.slice(0, n).map((w) => w.text).join(' ');
    const exact = exactGuild(guilds, name);
    if (exact) return { guild: exact, rest: raw.slice(words[n]!.start).trim() };
  }
  return { guild: matchGuild(guilds, words[0]!.text), rest: words.length > 1 ? raw.slice(words[1]!.start).trim() : '' };
}
