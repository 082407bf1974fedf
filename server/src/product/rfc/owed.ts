/**
 * RFCs' part of `/infra owe` (shared/owed.ts): reviews a person owes, concerns on their own RFCs
 * to answer, their own concerns still open — as facts kept in their owed ledgers, and the lines
 * those facts read as for one reader.
 */
import { z } from 'zod';
import type { OwedFact, OwedFacts, OwedView } from '../shared/owed';
import { OPEN_STATUSES } from './lifecycle';
import { owe } from './messages';
import type { Rfc } from './records';
import { openConcerns, reviewers } from './views';

const factSchema = z.object({
  n: z.number(),
  title: z.string(),
  /** A review owed: when the comment period ends (null: no end set). */
  review: z.object({ endsAt: z.number().nullable() }).nullable(),
  /** Open concerns on the person's own RFC. */
  answer: z.number(),
  /** The person's own open concerns. */
  concerns: z.array(z.number()),
});
type RfcFact = z.output<typeof factSchema>;

/** Every person's fact of this RFC (none once it is closed). */
export function rfcOwedFacts(r: Rfc): OwedFacts {
  const facts = new Map<string, OwedFact>();
  if (!(OPEN_STATUSES as readonly string[]).includes(r.status)) return facts;
  const open = openConcerns(r);
  const people = new Set<string>([r.ownerId, ...reviewers(r).map((x) => x.userId), ...open.map((x) => x.raisedBy)]);
  for (const userId of people) {
    const mine = reviewers(r).find((x) => x.userId === userId);
    const fact: RfcFact = {
      n: r.number,
      title: r.title,
      review: r.status === 'in_review' && mine && mine.signedOffAt === null ? { endsAt: r.commentPeriod?.endsAt ?? null } : null,
      answer: r.ownerId === userId ? open.length : 0,
      concerns: open.filter((x) => x.raisedBy === userId).map((x) => x.id),
    };
    if (fact.review || fact.answer > 0 || fact.concerns.length > 0) facts.set(userId, { k: String(r.number), ch: r.channelId, d: fact });
  }
  return facts;
}

/** Newest RFC first: the review, the concerns to answer, then the reader's own concerns. */
export function rfcOwedLines(facts: readonly OwedFact[], view: OwedView): string[] {
  const rfcs = facts
    .map((f) => factSchema.safeParse(f.d))
    .flatMap((p) => (p.success ? [p.data] : []))
    .sort((a, b) => b.n - a.n);
  return rfcs.flatMap((r) => [
    ...(r.review ? [owe.review(r.n, r.title, r.review.endsAt, view.now)] : []),
    ...(r.answer > 0 ? [owe.answer(r.n, r.title, r.answer)] : []),
    ...r.concerns.map((id) => owe.yourConcern(r.n, r.title, id)),
  ]);
}
