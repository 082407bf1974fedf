/**
 * PICK's part of `/infra owe` (shared/owed.ts): ideas waiting for a person's score, as facts kept
 * in their owed ledgers (written beside their owed set, pick/store.ts), and the lines they read as.
 */
import { z } from 'zod';
import type { OwedFact } from '../shared/owed';
import { OWED } from './messages';

const factSchema = z.object({ n: z.number(), title: z.string() });
/** Lines shown at most; the rest as one "…and n more" line. */
export const OWED_LINES = 50;


/** The newest asks, oldest of them first, and how many more there are. */
export function ideaOwedLines(facts: readonly OwedFact[], overflow: number): string[] {
  const asks = facts
    .map((f) => factSchema.safeParse(f.d))
    .flatMap((p) => (p.success ? [p.data] : []))
    .sort((a, b) => a.n - b.n);
  const newest = asks.slice(-OWED_LINES);
  const lines = newest.map((a) => OWED.score({ number: a.n, title: a.title }));
  const more = asks.length - newest.length + overflow;
  if (more > 0) lines.push(OWED.more(more));
  return lines;
}
