/**
 * Incidents' part of `/infra owe` (shared/owed.ts): the roles a person holds in an active incident
 * (with the commander's status update, due or overdue) and their open follow-ups — as facts kept
 * in their owed ledgers, and the lines those facts read as for one reader (times in their zone).
 */
import { z } from 'zod';
import { ROLES } from '../contract/incidents';
import type { OwedFact, OwedFacts, OwedView } from '../shared/owed';
import { nextUpdateDue } from '../shared/time/cadence';
import { isoDateOf, localEpochDay } from '../shared/time/zone';
import { owed, severityWithLabel } from './messages';
import type { Incident } from './records';
import type { IncidentSettings } from './settings';

const factSchema = z.object({
  n: z.number(),
  channelName: z.string(),
  severity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  roles: z.array(z.enum(ROLES)),
  /** For the commander: what the status-update cadence counts from. */
  update: z.object({ lastAt: z.number().nullable(), declaredAt: z.number() }).nullable(),
  followups: z.array(z.object({ n: z.number(), text: z.string(), due: z.string().nullable() })),
});
type IncidentFact = z.output<typeof factSchema>;

/** Every person's fact of this incident (none while it has no channel: nobody can see it). */
export function incidentOwedFacts(i: Incident): OwedFacts {
  const facts = new Map<string, OwedFact>();
  if (i.phase === 'pending' || !i.channelId) return facts;
  const people = new Set<string>();
  if (i.phase === 'active') for (const r of ROLES) if (i.roles[r]) people.add(i.roles[r]);
  for (const f of i.followups) if (f.ownerId && f.doneAt === null) people.add(f.ownerId);
  for (const userId of people) {
    const roles = i.phase === 'active' ? ROLES.filter((r) => i.roles[r] === userId) : [];
    const followups = i.followups.filter((f) => f.ownerId === userId && f.doneAt === null).map((f) => ({ n: f.n, text: f.text, due: f.due }));
    const fact: IncidentFact = {
      n: i.number,
      channelName: i.channelName,
      severity: i.severity,
      roles,
      update: roles.includes('commander') ? { lastAt: i.lastUpdate?.at ?? null, declaredAt: i.declaredAt } : null,
      followups,
    };
    facts.set(userId, { k: i.id, ch: i.channelId, d: fact });
  }
  return facts;
}

/** Role lines first (by INC number), then follow-ups, the overdue ones marked (the reader's local day), then how many more the ledger did not keep. */
export function incidentOwedLines(settings: IncidentSettings, facts: readonly OwedFact[], view: OwedView, overflow = 0): string[] {
  const today = isoDateOf(localEpochDay(view.zone, view.now));
  const incidents = facts
    .map((f) => factSchema.safeParse(f.d))
    .flatMap((p) => (p.success ? [p.data] : []))
    .sort((a, b) => a.n - b.n);
  const roleLines: string[] = [];
  const followupLines: string[] = [];
  for (const i of incidents) {
    if (i.roles.length > 0) {
      const cadence = settings.updateIntervalMinutes[i.severity];
      const due = i.update === null ? null : nextUpdateDue({ lastAt: i.update.lastAt, startedAt: i.update.declaredAt, cadenceMinutes: cadence, snoozedUntil: null });
      const update = due === null ? null : due <= view.now ? owed.updateOverdue(due, view.zone) : owed.updateDue(due, view.zone);
      roleLines.push(owed.roles(i.n, i.channelName, severityWithLabel(settings, i.severity), i.roles, update));
    }
    for (const f of i.followups) {
      const when = f.due === null ? 'none' : f.due < today ? 'overdue' : f.due === today ? 'today' : 'later';
      followupLines.push(owed.followup(i.n, f, when));
    }
  }
  return [...roleLines, ...followupLines, ...(overflow > 0 ? [owed.more(overflow)] : [])];
}
