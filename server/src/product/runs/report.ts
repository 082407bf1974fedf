/**
 * A run's report, as Markdown and as a self-contained HTML page: what it was, who ran it, how
 * long it took, every item with who did it when, every gate with its answers and concerns, and
 * the whole timeline kept. Pure: the caller resolves names (and decides who may read it).
 */
import { runReference } from '../contract/runs';
import { evaluate } from '../shared/signoff/gate';
import { clockDuration, utcStamp } from '../shared/time/duration';
import { progress, refOf } from './checklist';
import { ownerTitle } from './messages';
import type { Run, RunItem } from './records';

export interface ReportSection {
  readonly title: string;
  /** Markdown lines (no raw HTML: the HTML form escapes them). */
  readonly lines: readonly string[];
}

const STATE_WORD: Readonly<Record<RunItem['state'], string>> = { open: 'open', done: 'done', skipped: 'skipped' };

/** The report's sections, in order; both renderings are made from these. */
export function reportSections(run: Run, names: ReadonlyMap<string, string>, now: number): ReportSection[] {
  const who = (id: string | null): string => (id === null ? '—' : `@${names.get(id) ?? id}`);
  const p = progress(run, now);
  const end = run.finishedAt ?? now;
  const summary: ReportSection = {
    title: 'Summary',
    lines: [
      `- Run: ${runReference(run.number)} ${run.name} (${run.kind})`,
      `- Template: ${run.template.name}, version ${run.template.version}`,
      `- ${capitalise(ownerTitle(run.kind))}: ${who(run.ownerId)}`,
      `- Started: ${utcStamp(run.startedAt)}`,
      `- ${run.finishedAt === null ? 'Still active at' : 'Finished'}: ${utcStamp(end)} (after ${clockDuration((end - run.startedAt) / 60_000)})`,
      `- Items: ${p.done} done, ${p.skipped} skipped, ${p.total - p.done - p.skipped} open of ${p.total}; ${onTime(run)} done on time`,
      ...(run.finishOverride ? [`- Gates overridden by ${who(run.finishOverride.by)}: ${run.finishOverride.reason}`] : []),
    ],
  };
  const checklists: ReportSection[] = run.checklists.map((c, list) => ({
    title: `Checklist ${list + 1}: ${c.title}`,
    lines: c.items.map((it, item) => {
      const when = it.at === null ? '' : ` by ${who(it.by)} at ${utcStamp(it.at)}`;
      const due = it.due === null ? '' : `, due ${utcStamp(it.due)}${it.at !== null && it.at > it.due ? ' (late)' : ''}`;
      const assigned = it.assignees.length ? `, assigned to ${it.assignees.map(who).join(', ')}` : '';
      return `- ${refOf({ list, item })} ${it.title}: ${STATE_WORD[it.state]}${when}${due}${assigned}`;
    }),
  }));
  const gateLines = run.checklists.flatMap((c, list) =>
    c.items.flatMap((it, item) => {
      if (!it.gate) return [];
      const s = evaluate(it.gate, now);
      const quorum = it.gate.quorum.kind === 'atLeast' ? `at least ${it.gate.quorum.n}` : it.gate.quorum.kind;
      return [
        `- ${refOf({ list, item })} ${it.title}: ${s.state} (${s.approvals} of ${s.needed} needed, quorum ${quorum})`,
        ...it.gate.seats.map((seat) => `  - ${seat.userId ? who(seat.userId) : `group ${seat.groupId}`}: ${seat.answer ?? 'no answer'}${seat.answeredAt ? ` at ${utcStamp(seat.answeredAt)}` : ''}${seat.answeredBy && seat.answeredBy !== seat.userId ? ` (by ${who(seat.answeredBy)})` : ''}${seat.note ? ` — ${seat.note}` : ''}`),
        ...it.gate.concerns.map((x) => `  - Concern #${x.id} by ${who(x.raisedBy)}: ${x.text}${x.resolvedAt ? ` — resolved by ${who(x.resolvedBy)}${x.resolution ? `: ${x.resolution}` : ''}` : ' — open'}`),
      ];
    }),
  );
  const older = run.timelineCount - run.timeline.length;
  const timeline: ReportSection = {
    title: 'Timeline',
    lines: [...(older > 0 ? [`- (${older} older entries were not kept)`] : []), ...run.timeline.map((t) => `- ${utcStamp(t.at)} ${t.text}`)],
  };
  return [summary, ...checklists, { title: 'Approvals', lines: gateLines.length ? gateLines : ['- No approval gates.'] }, timeline];
}

export function reportMarkdown(run: Run, names: ReadonlyMap<string, string>, now: number): string {
  const sections = reportSections(run, names, now);
  return [`# ${runReference(run.number)} ${run.name}`, ...sections.flatMap((s) => ['', `## ${s.title}`, '', ...s.lines])].join('\n') + '\n';
}

export function reportHtml(run: Run, names: ReadonlyMap<string, string>, now: number): string {
  const sections = reportSections(run, names, now);
  const title = escapeHtml(`${runReference(run.number)} ${run.name}`);
  const body = sections
    .map((s) => {
      const items = s.lines.map((l) => {
        const nested = l.startsWith('  - ');
        return `<li${nested ? ' class="sub"' : ''}>${escapeHtml(l.replace(/^\s*- /, ''))}</li>`;
      });
      return `<h2>${escapeHtml(s.title)}</h2>\n<ul>\n${items.join('\n')}\n</ul>`;
    })
    .join('\n');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    '<style>body{font-family:"Open Sans",system-ui,sans-serif;max-width:860px;margin:2em auto;padding:0 1em;color:#3f4350;line-height:1.5}h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #ddd;padding-bottom:.2em}li.sub{margin-left:1.5em;list-style:circle}</style>',
    `</head><body>\n<h1>${title}</h1>\n${body}\n</body></html>\n`,
  ].join('\n');
}

/** Share of items with a due time that were done by it ("3 of 4"). */
function onTime(run: Run): string {
  const due = run.checklists.flatMap((c) => c.items).filter((it) => it.due !== null && it.state === 'done');
  const kept = due.filter((it) => it.at !== null && it.at <= it.due!).length;
  return `${kept} of ${due.length} with a due time`;
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
