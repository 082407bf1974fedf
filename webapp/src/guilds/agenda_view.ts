// A guild agenda as the ordered lines the sidebar shows: carried-over items first (they were
// promised last time), then what people queued, then what live data brought in.
import { severityName, type Agenda } from '../contract';
import { daysLeft, duration } from '../format';

export interface AgendaLine {
  key: string;
  source: 'carried' | 'queued' | 'incidents' | 'rfcs' | 'pick' | 'private';
  title: string;
  detail: string;
}

export function agendaLines(agenda: Agenda, now: number): AgendaLine[] {
  const lines: AgendaLine[] = [];
  for (const q of agenda.carried) lines.push({ key: `c${q.id}`, source: 'carried', title: `Q${q.id} ${q.text}`, detail: `carried over ${q.carried}×` });
  for (const q of agenda.queued) lines.push({ key: `q${q.id}`, source: 'queued', title: `Q${q.id} ${q.text}`, detail: '' });
  for (const i of agenda.incidents) {
    const parts = [severityName(i.severity)];
    if (i.mttrMinutes !== null) parts.push(`MTTR ${duration(i.mttrMinutes * 60_000)}`);
    if (i.openFollowups > 0) parts.push(`${i.openFollowups} open follow-up${i.openFollowups === 1 ? '' : 's'}`);
    lines.push({ key: `i${i.incidentId}`, source: 'incidents', title: `${i.reference} ${i.title}`, detail: parts.join(' · ') });
  }
  for (const r of agenda.rfcs) {
    const parts: string[] = [];
    const left = daysLeft(r.commentPeriodEndsAt, now);
    if (left !== null) parts.push(`${left} day${left === 1 ? '' : 's'} left`);
    if (r.missingSignoffs.length > 0) parts.push(`${r.missingSignoffs.length} sign-off${r.missingSignoffs.length === 1 ? '' : 's'} missing`);
    if (r.openConcerns > 0) parts.push(`${r.openConcerns} open concern${r.openConcerns === 1 ? '' : 's'}`);
    lines.push({ key: `r${r.rfcId}`, source: 'rfcs', title: `${r.reference} ${r.title}`, detail: parts.join(' · ') });
  }
  for (const idea of agenda.ideas) {
    lines.push({ key: `p${idea.ideaId}`, source: 'pick', title: `${idea.reference} ${idea.title}`, detail: idea.disputed ? 'disputed: scores disagree' : 'new Challenge idea' });
  }
  // Private work the caller may not see is only counted, never named.
  const hidden = agenda.hidden.incidents + agenda.hidden.rfcs + agenda.hidden.ideas;
  if (hidden > 0) lines.push({ key: 'hidden', source: 'private', title: `${hidden} more item${hidden === 1 ? '' : 's'} from channels you cannot see`, detail: '' });
  return lines;
}
