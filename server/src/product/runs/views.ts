/** Run records → the contract's views, and the card posted in the run's channel. */
import { API_BASE } from '../contract/api';
import { type GateView, type RetroView, RUN_CARD_ACTION_PATH, type RunCardAction, runReference, type RunChangedView, type RunSummaryView, type RunView, type TemplateSummaryView } from '../contract/runs';
import { evaluate, type Gate } from '../shared/signoff/gate';
import { progress, progressOf, refOf, tallyOf } from './checklist';
import { ownerTitle } from './messages';
import type { Run, RunItem, RunListCopy, Template } from './records';
import { cardLine, nextUpdateDueOf, snoozedUntilOf } from './status_updates';

export function gateView(gate: Gate, now: number): GateView {
  const status = evaluate(gate, now);
  return {
    quorum: { kind: gate.quorum.kind, n: gate.quorum.n },
    state: status.state,
    approvals: status.approvals,
    needed: status.needed,
    seats: gate.seats.map((s) => ({ userId: s.userId, groupId: s.groupId, delegate: s.delegate, answer: s.answer, answeredBy: s.answeredBy, answeredAt: s.answeredAt })),
    concerns: gate.concerns.map((c) => ({ id: c.id, text: c.text, raisedBy: c.raisedBy, raisedAt: c.raisedAt, resolvedBy: c.resolvedBy, resolvedAt: c.resolvedAt })),
    deadline: gate.deadline,
    override: gate.override,
  };
}

/** What the runs list keeps of a run in its index entry (records.ts runListCopySchema). */
export function listCopyOf(run: Run): RunListCopy {
  return {
    copy: 1,
    teamId: run.teamId,
    number: run.number,
    kind: run.kind,
    name: run.name,
    channelId: run.channelId,
    ownerId: run.ownerId,
    template: run.template,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    finishOverride: run.finishOverride,
    updates: run.updates,
    tally: tallyOf(run),
  };
}

/** The run as the runs list shows it (no checklists; their progress), from its list copy. */
export function runSummaryView(copy: RunListCopy, now: number): RunSummaryView {
  return {
    teamId: copy.teamId,
    number: copy.number,
    reference: runReference(copy.number),
    kind: copy.kind,
    name: copy.name,
    channelId: copy.channelId,
    ownerId: copy.ownerId,
    template: { ...copy.template },
    status: copy.status,
    startedAt: copy.startedAt,
    finishedAt: copy.finishedAt,
    finishOverride: copy.finishOverride?.reason ?? null,
    progress: progressOf(copy.tally, now),
    nextUpdateDueAt: nextUpdateDueOf(copy),
    updateCadenceMinutes: copy.updates.cadenceMinutes,
    snoozedUntil: snoozedUntilOf(copy, now),
  };
}

export function runView(run: Run, now: number): RunView {
  return {
    ...runSummaryView(listCopyOf(run), now),
    checklists: run.checklists.map((c, list) => ({
      title: c.title,
      items: c.items.map((it, item) => ({
        ref: refOf({ list, item }),
        title: it.title,
        description: it.description,
        assignees: [...it.assignees],
        due: it.due,
        command: it.command,
        state: it.state,
        by: it.by,
        at: it.at,
        gate: it.gate ? gateView(it.gate, now) : null,
      })),
    })),
  };
}

/** The retrospective as the sidebar edits it; `reminded` as the daily reminder job decides (service.onRetroReminder). */
export function retroView(run: Run): RetroView {
  const { sections, publishedAt, publishedBy } = run.retro;
  return {
    teamId: run.teamId,
    number: run.number,
    reference: runReference(run.number),
    status: run.status,
    ownerId: run.ownerId,
    sections: sections.map((s) => ({ title: s.title, text: s.text })),
    publishedAt,
    publishedBy,
    reminded: run.status === 'finished' && publishedAt === null && sections.length > 0,
  };
}

export const runChangedView = (run: Run): RunChangedView => ({ teamId: run.teamId, number: run.number, reference: runReference(run.number), status: run.status, updatedAt: run.updatedAt });

export function templateSummary(t: Template): TemplateSummaryView {
  const items = t.body.checklists.flatMap((c) => c.items);
  return { slug: t.slug, name: t.body.name, kind: t.body.kind, version: t.version, builtIn: t.builtIn, items: items.length, gates: items.filter((i) => i.approval).length };
}

const MARK: Readonly<Record<RunItem['state'], string>> = { open: '☐', done: '☑', skipped: '⤼' };

/** One item's line: state, ref, title, who, when, and a gate's count and blockers. */
export function itemLine(it: RunItem, ref: string, names: ReadonlyMap<string, string>, now: number): string {
  const who = it.assignees.length ? ` — ${it.assignees.map((id) => `@${names.get(id) ?? id}`).join(', ')}` : '';
  const late = it.state === 'open' && it.due !== null && it.due <= now;
  const due = it.due === null || it.state !== 'open' ? '' : ` · due ${new Date(it.due).toISOString().slice(0, 16).replace('T', ' ')} UTC${late ? ' **(overdue)**' : ''}`;
  let gate = '';
  if (it.gate) {
    const s = evaluate(it.gate, now);
    const blocks = [s.holds.length ? `${s.holds.length} hold` : '', s.openConcerns.length ? `${s.openConcerns.length} concern${s.openConcerns.length > 1 ? 's' : ''}` : ''].filter(Boolean);
    const seats = it.gate.seats.length ? '' : ' · no approvers yet (`/run approvers`)';
    gate = ` · gate ${s.approvals}/${s.needed} ${s.state === 'passed' ? '✅' : s.state === 'blocked' ? `⛔ ${blocks.join(', ')}` : '⏳'}${seats}`;
  }
  const title = it.state === 'skipped' ? `~~${it.title}~~` : it.title;
  return `${MARK[it.state]} ${ref} ${title}${who}${due}${gate}`;
}

/** The card and `/run checklist`: the whole run as markdown. */
export function runText(run: Run, names: ReadonlyMap<string, string>, now: number): string {
  const p = progress(run, now);
  const head = [
    `#### ${runReference(run.number)} ${run.name}`,
    `${run.status === 'finished' ? '**Finished**' : '**Active**'} · ${ownerTitle(run.kind)} @${names.get(run.ownerId) ?? run.ownerId} · ${p.done + p.skipped}/${p.total} done${p.overdue ? ` · ${p.overdue} overdue` : ''}${p.openGates ? ` · ${p.openGates} gate${p.openGates > 1 ? 's' : ''} open` : ''} · template “${run.template.name}” v${run.template.version}`,
  ];
  const updates = cardLine(run, now);
  const lists = run.checklists.flatMap((c, list) => [``, `**${list + 1}. ${c.title}**`, ...c.items.map((it, item) => itemLine(it, refOf({ list, item }), names, now))]);
  return [...head, ...(updates ? [updates] : []), ...lists].join('\n');
}

/** Every user id a run's report names: its people, who did what, who answered gates, the timeline's actors. */
export function reportPeople(run: Run): string[] {
  const ids = new Set(peopleOf(run));
  for (const it of run.checklists.flatMap((c) => c.items)) {
    if (it.by) ids.add(it.by);
    for (const s of it.gate?.seats ?? []) for (const id of [s.userId, s.answeredBy, s.delegate]) if (id) ids.add(id);
    for (const x of it.gate?.concerns ?? []) for (const id of [x.raisedBy, x.resolvedBy]) if (id) ids.add(id);
  }
  if (run.finishOverride) ids.add(run.finishOverride.by);
  return [...ids];
}

/** Every user id a run's text names (to look their names up once). */
export function peopleOf(run: Run): string[] {
  const ids = new Set<string>([run.ownerId]);
  for (const it of run.checklists.flatMap((c) => c.items)) {
    for (const a of it.assignees) ids.add(a);
  }
  return [...ids];
}

/** Buttons on a card: the first open items to check and the gates still waiting, at most this many. */
const CARD_BUTTONS = 5;

/**
 * The card's buttons (message attachments): "☑ 1.2" for the next open items and "Approve 2.1" for
 * gates not yet passed; none once the run is finished. Each click is answered under the same
 * policy as the command (RUN_CARD_ACTION_PATH).
 */
export function cardButtons(run: Run, now: number): unknown[] {
  if (run.status !== 'active') return [];
  const url = `${API_BASE}${RUN_CARD_ACTION_PATH}`;
  const button = (action: RunCardAction, ref: string, name: string) => ({
    id: `${action}${ref.replace('.', 'x')}`,
    name,
    type: 'button',
    style: action === 'approve' ? 'primary' : 'default',
    // Strings only: the context travels through the plugin API's interface{} maps as text.
    integration: { url, context: { team_id: run.teamId, number: String(run.number), ref, action } },
  });
  const buttons = run.checklists.flatMap((c, list) =>
    c.items.flatMap((it, item) => {
      const ref = refOf({ list, item });
      if (it.gate) return evaluate(it.gate, now).state === 'passed' ? [] : [button('approve', ref, `Approve ${ref}`)];
      if (it.state !== 'open') return [];
      return it.command ? [button('exec', ref, `▶ Run ${ref}`), button('check', ref, `☑ ${ref}`)] : [button('check', ref, `☑ ${ref}`)];
    }),
  );
  return buttons.length ? [{ text: 'Check the next items, run their commands, or approve a gate you are an approver of:', actions: buttons.slice(0, CARD_BUTTONS) }] : [];
}
