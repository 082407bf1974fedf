/**
 * PICK's part of `/infra owe` (shared/owed.ts): ideas waiting for a person's score, as facts kept
 * in their owed ledgers (written beside their owed set, pick/store.ts), and the lines they read as.
 */
import { z } from 'zod';
import type { OwedFact, OwedFacts } from '../shared/owed';
import { OWED } from './messages';
import type { Idea } from './records';

const factSchema = z.object({ n: z.number(), line: z.string() });
/** Lines shown at most; the rest as one "…and n more" line. */
export const OWED_LINES = 50;

/** Every person's fact of this idea: the ask, while it waits for their score (`waiting`: store.ts waitingOn). */
export function ideaOwedFacts(idea: Idea, waiting: readonly string[]): OwedFacts {
  const fact: OwedFact = { k: String(idea.number), ch: idea.channelId, d: { n: idea.number, line: OWED.score(idea) } };
  return new Map(waiting.map((userId) => [userId, fact]));
}

/** The newest asks, oldest of them first, and how many more there are. */
export function ideaOwedLines(facts: readonly OwedFact[], overflow: number): string[] {
  const asks = facts
    .map((f) => factSchema.safeParse(f.d))
    .flatMap((p) => (p.success ? [p.data] : []))
    .sort((a, b) => a.n - b.n);
  const newest = asks.slice(-OWED_LINES);
  const lines = newest.map((a) => a.line);
  const more = asks.length - newest.length + overflow;
  if (more > 0) lines.push(OWED.more(more));
  return lines;
}
