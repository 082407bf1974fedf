/**
 * Runs' part of `/infra owe` (shared/owed.ts): what one run asks of each person — the owner's
 * status update (unless an incident's runbook: the incident's lines say it), open items with a due
 * time they hold, gates waiting for their answer — as facts kept in their owed ledgers, and the
 * lines those facts read as for one reader (times in their zone, the channel by name).
 */
import { z } from 'zod';
import { evaluate } from '../shared/signoff/gate';
import type { OwedFact, OwedFacts, OwedView } from '../shared/owed';
import { localEpochDay } from '../shared/time/zone';
import { refOf } from './checklist';
import { owed, runReference } from './messages';
import type { Run } from './records';
import { nextUpdateDueOf } from './status_updates';

const factSchema = z.object({
  n: z.number(),
  name: z.string(),
  /** The status update's due time, for the owner. */
  update: z.number().nullable(),
  items: z.array(z.object({ ref: z.string(), title: z.string(), due: z.number() })),
  /** `lapsesAt`: a lazy-consensus gate passes in silence at its deadline. */
  gates: z.array(z.object({ ref: z.string(), title: z.string(), lapsesAt: z.number().nullable() })),
});
type RunFact = z.output<typeof factSchema>;

/** Every person's fact of this run (none when it is not active). */
export function runOwedFacts(run: Run): OwedFacts {
  const facts = new Map<string, OwedFact>();
  if (run.status !== 'active') return facts;
  const people = new Set<string>([run.ownerId]);
  for (const it of run.checklists.flatMap((l) => l.items)) {
    for (const a of it.assignees) people.add(a);
    for (const s of it.gate?.seats ?? []) {
      if (s.userId) people.add(s.userId);
      if (s.delegate) people.add(s.delegate);
    }
  }
  for (const userId of people) {
    const fact = factFor(run, userId);
    if (fact) facts.set(userId, { k: String(run.number), ch: run.channelId, d: fact });
  }
  return facts;
}

function factFor(run: Run, userId: string): RunFact | null {
  const update = run.ownerId === userId && run.incident === null ? nextUpdateDueOf(run) : null;
  const items: RunFact['items'] = [];
  const gates: RunFact['gates'] = [];
  run.checklists.forEach((l, list) =>
    l.items.forEach((it, item) => {
      const ref = refOf({ list, item });
      if (it.state === 'open' && it.due !== null && it.assignees.includes(userId) && !it.gate) items.push({ ref, title: it.title, due: it.due });
      if (!it.gate || !it.gate.seats.some((s) => (s.userId === userId || s.delegate === userId) && s.answer === null)) return;
      // Evaluated before any deadline: passed or blocked now stays so until the next write.
      const status = evaluate(it.gate, -Infinity);
      if (status.state === 'passed') return;
      const lapses = status.state === 'waiting' && it.gate.lazyConsensus && it.gate.deadline !== null && it.gate.seats.length > 0;
      gates.push({ ref, title: it.title, lapsesAt: lapses ? it.gate.deadline : null });
    }),
  );
  return update === null && items.length === 0 && gates.length === 0 ? null : { n: run.number, name: run.name, update, items, gates };
}

/** Overdue and due-today (the reader's local day) items and status updates, then approvals, by run. */
export function runOwedLines(facts: readonly OwedFact[], view: OwedView): string[] {
  const today = localEpochDay(view.zone, view.now);
  const isDue = (at: number): boolean => at <= view.now || localEpochDay(view.zone, at) === today;
  const runs = facts
    .map((f) => ({ ch: f.ch ?? '', fact: factSchema.safeParse(f.d) }))
    .flatMap((x) => (x.fact.success ? [{ ch: x.ch, fact: x.fact.data }] : []))
    .sort((a, b) => a.fact.n - b.fact.n);
  const lines: string[] = [];
  for (const { ch, fact } of runs) {
    const ref = runReference(fact.n);
    const channel = view.channelName(ch);
    if (fact.update !== null && isDue(fact.update)) lines.push(owed.statusUpdate(ref, fact.name, fact.update, view.now, view.zone));
    for (const it of fact.items.filter((x) => isDue(x.due))) {
      lines.push(it.due <= view.now ? owed.overdue(ref, fact.name, it.ref, it.title, channel) : owed.dueToday(ref, fact.name, it.ref, it.title, it.due, channel, view.zone));
    }
    for (const g of fact.gates.filter((x) => x.lapsesAt === null || view.now < x.lapsesAt)) lines.push(owed.approval(ref, fact.name, g.ref, g.title));
  }
  return lines;
}
