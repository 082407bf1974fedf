import type { IdeaAgendaItem, IncidentReviewItem, RfcReviewItem } from '../shared/agenda_sources';
import { humanDuration, type People, utcStamp } from '../shared/people';
import { describeMeeting } from './schedule';
import type { GuildSource } from './schema';
import type { Agenda } from './service';

/**
 * An agenda as Markdown, shared by `/guild agenda` and the cadence posts so both read the same:
 * one bold heading per non-empty section, one bullet per item, item ids in code so they can be
 * copied into `/guild close --done`.
 */
export async function renderAgenda(a: Agenda, people: People, now: number): Promise<string> {
  return [
    `#### ${a.name} — agenda for ${describeMeeting(a.scheduledFor, a.timeZone)}`,
    ...(await agendaSections(a, people, now)),
    `Close with \`/guild close ${a.slug} [--done Q1,INC-042…|all] [--carry Q2…]\`.`,
  ].join('\n');
}

/** The agenda's sections without heading or footer. */
export async function agendaSections(a: Agenda, people: People, now: number): Promise<string[]> {
  const byWhom = async (id: string): Promise<string> => `@${await people.username(id)}`;
  const lines = [
    ...section('Carried over', await Promise.all(a.carried.map(async (q) => `\`Q${q.id}\` ${q.text} (${await byWhom(q.by)}, carried ${q.carried}×)`))),
    ...section('Queued', await Promise.all(a.queued.map(async (q) => `\`Q${q.id}\` ${q.text} (${await byWhom(q.by)})`))),
  ];
  const live = [
    ...liveSection(a, 'incidents', 'Incidents to review', a.incidents.map((i) => incidentLine(i, a.since))),
    ...liveSection(a, 'rfcs', 'RFCs in review', await Promise.all(a.rfcs.map((r) => rfcLine(r, people, now)))),
    ...liveSection(a, 'pick', 'Challenge ideas (new or disputed)', a.ideas.map(ideaLine)),
  ];
  if (lines.length === 0) lines.push('Nothing queued yet: `/guild queue <name> <item>`.');
  lines.push(...live);
  if (a.notes.length) {
    lines.push('**Notes so far**');
    for (const n of a.notes) lines.push(`- ${n.kind === 'note' ? '' : `${n.kind}: `}${n.text} (${await byWhom(n.by)})`);
  }
  return lines;
}

const section = (title: string, items: readonly string[]): string[] => (items.length ? [`**${title}**`, ...items.map((i) => `- ${i}`)] : []);

/** A source the guild reads says so even when empty: "nothing to review" is news too. */
function liveSection(a: Agenda, source: GuildSource, title: string, items: readonly string[]): string[] {
  if (items.length) return section(title, items);
  return a.sources.includes(source) ? [`**${title}:** none`] : [];
}

function incidentLine(i: IncidentReviewItem, since: number | null): string {
  const carried = since !== null && i.resolvedAt <= since ? ' (still unreviewed from before)' : '';
  const mttr = i.mttrMinutes === null ? 'unknown' : hoursAndMinutes(i.mttrMinutes);
  return `\`${i.reference}\` ${i.title} — SEV${i.severity}, resolved ${utcStamp(i.resolvedAt)}${carried}, MTTR ${mttr}, ${plural(i.openFollowups, 'open follow-up')}`;
}

async function rfcLine(r: RfcReviewItem, people: People, now: number): Promise<string> {
  const left = r.commentPeriodEndsAt === null ? 'no comment period' : r.commentPeriodEndsAt > now ? `${humanDuration(r.commentPeriodEndsAt - now)} left` : 'comment period over';
  const missing = r.missingSignoffs.length ? `missing sign-off: ${await people.mentions(r.missingSignoffs)}` : 'all signed off';
  return `\`${r.reference}\` ${r.title} — ${left}; ${missing}${r.openConcerns ? `; ${plural(r.openConcerns, 'open concern')}` : ''}`;
}

const ideaLine = (i: IdeaAgendaItem): string => `\`${i.reference}\` ${i.title}${i.disputed ? ' — ⚠ disputed: discuss the spread' : ' — new Challenge: open an RFC?'}`;

/** 95 → "1h 35m"; rounds first so 119.6 reads "2h 0m", never "1h 60m". */
export function hoursAndMinutes(total: number): string {
  const m = Math.round(total);
  return m >= 60 ? `${Math.floor(m / 60)}h ${m % 60}m` : `${m}m`;
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
