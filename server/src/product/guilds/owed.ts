/**
 * Guilds' part of `/infra owe` (shared/owed.ts): the agenda items a person queued that are still
 * open, as facts kept in their owed ledgers (the line reads the same for every reader).
 */
import { z } from 'zod';
import type { OwedFact, OwedFacts } from '../shared/owed';
import { GUILD_TEXT } from './messages';
import type { GuildCopy } from './records';

const factSchema = z.object({ lines: z.array(z.string()) });
/** As many lines as `/infra owe` showed before the ledger. */
const MAX_LINES = 50;

/** Every person's fact of this guild (`null`: the guild is gone). */
export function guildOwedFacts(guild: GuildCopy | null): OwedFacts {
  const facts = new Map<string, OwedFact>();
  if (!guild) return facts;
  for (const userId of new Set(guild.queue.map((q) => q.by))) {
    const lines = guild.queue.filter((q) => q.by === userId).map((q) => GUILD_TEXT.owed(guild, q));
    facts.set(userId, { k: guild.slug, ch: guild.channelId, d: { lines } });
  }
  return facts;
}

export function guildOwedLines(facts: readonly OwedFact[]): string[] {
  return facts
    .map((f) => factSchema.safeParse(f.d))
    .flatMap((p) => (p.success ? p.data.lines : []))
    .slice(0, MAX_LINES);
}
