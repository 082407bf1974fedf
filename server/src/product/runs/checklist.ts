/**
 * A run's checklist, as pure steps over the run record: each returns the changed run (with its
 * timeline line) or SAME, or throws ChecklistRefusal with a code the feature words. The service
 * calls them inside compare-and-set, so two people checking the same item end in one state, and
 * both are on the timeline only if both changed something.
 */
import { addSeats, answer, type Answer, delegate, evaluate, type Gate, newGate, raiseConcern, resolveConcern, SAME, seatsOf, type SeatRef } from '../shared/signoff/gate';
import { GATE_LIMITS, LIMITS, type Run, type RunItem, type Tally, type TemplateItem } from './records';

export { SAME };
export type Step = Run | typeof SAME;

export type ChecklistRefusalCode =
  | 'noSuchItem'
  | 'noSuchChecklist'
  | 'ambiguousItem'
  | 'isGate'
  | 'notGate'
  | 'tooManyItems'
  | 'finished'
  | 'gatesOpen'
  | 'noGates';

export class ChecklistRefusal extends Error {
  override readonly name = 'ChecklistRefusal';
  constructor(
    readonly code: ChecklistRefusalCode,
    readonly detail: string = '',
  ) {
    super(`${code}${detail ? `: ${detail}` : ''}`);
  }
}

/** Where an item is: checklist index and item index, from 0. Shown as "2.3" (from 1). */
export interface ItemAt {
  readonly list: number;
  readonly item: number;
}

export const refOf = (at: ItemAt): string => `${at.list + 1}.${at.item + 1}`;

/**
 * The item a person means: "2.3", or words of its title (a unique case-insensitive match of the
 * start of a title, or of words anywhere in it).
 */
export function findItem(run: Pick<Run, 'checklists'>, typed: string): ItemAt {
  const words = typed.trim();
  const numbered = /^(\d{1,2})\.(\d{1,3})$/.exec(words);
  if (numbered) {
    const at = { list: Number(numbered[1]) - 1, item: Number(numbered[2]) - 1 };
    if (!run.checklists[at.list]?.items[at.item]) throw new ChecklistRefusal('noSuchItem', words);
    return at;
  }
  const wanted = words.toLowerCase();
  if (!wanted) throw new ChecklistRefusal('noSuchItem', words);
  const all = run.checklists.flatMap((c, list) => c.items.map((it, item) => ({ at: { list, item }, title: it.title.toLowerCase() })));
  for (const match of [(t: string) => t === wanted, (t: string) => t.startsWith(wanted), (t: string) => t.includes(wanted)]) {
    const found = all.filter((x) => match(x.title));
    if (found.length === 1) return found[0]!.at;
    if (found.length > 1) throw new ChecklistRefusal('ambiguousItem', found.map((f) => refOf(f.at)).join(', '));
  }
  throw new ChecklistRefusal('noSuchItem', words.slice(0, 80));
}

/** The checklist a person means: its number (from 1) or a unique start of its title. */
export function findChecklist(run: Pick<Run, 'checklists'>, typed: string): number {
  const t = typed.trim().toLowerCase();
  if (/^\d{1,2}$/.test(t)) {
    const n = Number(t) - 1;
    if (run.checklists[n]) return n;
  }
  const found = run.checklists.flatMap((c, i) => (c.title.toLowerCase().startsWith(t) && t ? [i] : []));
  if (found.length === 1) return found[0]!;
  throw new ChecklistRefusal('noSuchChecklist', typed.slice(0, 80));
}

const item = (run: Run, at: ItemAt): RunItem => {
  const found = run.checklists[at.list]?.items[at.item];
  if (!found) throw new ChecklistRefusal('noSuchItem', refOf(at));
  return found;
};

function withItem(run: Run, at: ItemAt, change: (it: RunItem) => RunItem): Run {
  return {
    ...run,
    checklists: run.checklists.map((c, l) => (l !== at.list ? c : { ...c, items: c.items.map((it, i) => (i === at.item ? change(it) : it)) })),
  };
}

/** Adds a timeline line (bounded: the oldest drop off; timelineCount keeps the true count). */
export function note(run: Run, by: string, text: string, now: number): Run {
  return { ...run, updatedAt: now, timeline: [...run.timeline, { at: now, by, text }].slice(-LIMITS.timeline), timelineCount: run.timelineCount + 1 };
}

const open = (run: Run): void => {
  if (run.status !== 'active') throw new ChecklistRefusal('finished');
};

/** check → done, uncheck → open, skip → skipped. An approval item is done by its gate, never by hand. */
export function setState(run: Run, at: ItemAt, state: RunItem['state'], by: string, now: number, line: string): Step {
  open(run);
  const current = item(run, at);
  if (current.gate) throw new ChecklistRefusal('isGate', refOf(at));
  if (current.state === state) return SAME;
  const changed = withItem(run, at, (it) => ({ ...it, state, by: state === 'open' ? null : by, at: state === 'open' ? null : now }));
  return note(changed, by, line, now);
}

export function assign(run: Run, at: ItemAt, userIds: readonly string[], by: string, now: number, line: string): Step {
  open(run);
  const current = item(run, at);
  const next = [...new Set(userIds)].slice(0, LIMITS.assignees);
  if (next.length === current.assignees.length && next.every((u, i) => current.assignees[i] === u)) return SAME;
  return note(
    withItem(run, at, (it) => ({ ...it, assignees: next })),
    by,
    line,
    now,
  );
}

export function setDue(run: Run, at: ItemAt, due: number | null, by: string, now: number, line: string): Step {
  open(run);
  if (item(run, at).due === due) return SAME;
  return note(
    withItem(run, at, (it) => ({ ...it, due, naggedFor: null })),
    by,
    line,
    now,
  );
}

export function addItem(run: Run, list: number, title: string, by: string, now: number, line: string): Run {
  open(run);
  const total = run.checklists.reduce((n, c) => n + c.items.length, 0);
  if (!run.checklists[list]) throw new ChecklistRefusal('noSuchChecklist', String(list + 1));
  if (run.checklists[list].items.length >= LIMITS.itemsPerChecklist || total >= LIMITS.items) throw new ChecklistRefusal('tooManyItems');
  const added: RunItem = { title, description: '', assignees: [], due: null, command: null, state: 'open', by: null, at: null, gate: null, naggedFor: null };
  const changed = { ...run, checklists: run.checklists.map((c, l) => (l === list ? { ...c, items: [...c.items, added] } : c)) };
  return note(changed, by, line, now);
}

export function removeItem(run: Run, at: ItemAt, by: string, now: number, line: string): Run {
  open(run);
  item(run, at);
  const changed = { ...run, checklists: run.checklists.map((c, l) => (l === at.list ? { ...c, items: c.items.filter((_, i) => i !== at.item) } : c)) };
  return note(changed, by, line, now);
}

/** One sign-off engine step on an item's gate; the item is done exactly while its gate passes. */
export function onGate(run: Run, at: ItemAt, by: string, now: number, line: string, step: (gate: Gate) => Gate | typeof SAME): Step {
  open(run);
  const current = item(run, at);
  if (!current.gate) throw new ChecklistRefusal('notGate', refOf(at));
  const gate = step(current.gate);
  if (gate === SAME) return SAME;
  const passed = evaluate(gate, now).state === 'passed';
  const changed = withItem(run, at, (it) => ({
    ...it,
    gate,
    state: passed ? 'done' : 'open',
    by: passed ? (it.state === 'done' ? it.by : by) : null,
    at: passed ? (it.state === 'done' ? it.at : now) : null,
  }));
  return note(changed, by, line, now);
}

export const gateSteps = {
  answer: (userId: string, given: Answer | null, now: number, groupIds: ReadonlySet<string>, note: string | null) => (gate: Gate) =>
    answer(gate, userId, seatsOf(gate, userId, groupIds), given, now, note),
  delegate: (userId: string, to: string | null) => (gate: Gate) => delegate(gate, gate.seats.filter((s) => s.userId === userId), to),
  concern: (userId: string, text: string, now: number) => (gate: Gate) => raiseConcern(gate, userId, text, now, GATE_LIMITS).gate,
  resolve: (concernId: number, userId: string, resolution: string | null, now: number) => (gate: Gate) => resolveConcern(gate, concernId, userId, resolution, now),
};

/** A gate that has not passed (yet, or any more: a deadline can pass). */
const isOpen = (gate: Gate, now: number): boolean => evaluate(gate, now).state !== 'passed';

/** Items whose gate has not passed (skipped items are never gates). */
export function openGates(run: Pick<Run, 'checklists'>, now: number): ItemAt[] {
  return run.checklists.flatMap((c, list) => c.items.flatMap((it, i) => (it.gate && isOpen(it.gate, now) ? [{ list, item: i }] : [])));
}

/** The run's gates, in checklist order (what `/run approve` without an item means when there is one). */
export function gates(run: Pick<Run, 'checklists'>): ItemAt[] {
  return run.checklists.flatMap((c, list) => c.items.flatMap((it, i) => (it.gate ? [{ list, item: i }] : [])));
}

/**
 * Finishes the run. Refused while a gate is open, unless `override` carries an admin's reason
 * (the service checks who may override).
 */
export function finish(run: Run, by: string, now: number, override: string | null, line: string): Run {
  open(run);
  const blocking = openGates(run, now);
  if (blocking.length && override === null) throw new ChecklistRefusal('gatesOpen', blocking.map(refOf).join(', '));
  return note({ ...run, status: 'finished', finishedAt: now, finishOverride: blocking.length && override !== null ? { by, reason: override } : null }, by, line, now);
}

export interface Progress {
  readonly done: number;
  readonly skipped: number;
  readonly total: number;
  readonly overdue: number;
  readonly openGates: number;
}

export function progress(run: Pick<Run, 'checklists'>, now: number): Progress {
  return progressOf(tallyOf(run), now);
}

/** What the progress line counts of the checklists, apart from the time (the runs list's copy keeps this). */
export function tallyOf(run: Pick<Run, 'checklists'>): Tally {
  const items = run.checklists.flatMap((c) => c.items);
  return {
    done: items.filter((i) => i.state === 'done').length,
    skipped: items.filter((i) => i.state === 'skipped').length,
    total: items.length,
    openDue: items.flatMap((i) => (i.state === 'open' && i.due !== null ? [i.due] : [])),
    gates: items.flatMap((i) => (i.gate ? [i.gate] : [])),
  };
}

/** The progress line at `now`: overdue items and open gates are counted then. */
export function progressOf(tally: Tally, now: number): Progress {
  return {
    done: tally.done,
    skipped: tally.skipped,
    total: tally.total,
    overdue: tally.openDue.filter((due) => due <= now).length,
    openGates: tally.gates.filter((gate) => isOpen(gate, now)).length,
  };
}

/**
 * A template item as it starts in a run: roles and people become assignees (groups are expanded
 * by the caller, who asks Mattermost), the due time is counted from the start, and an approval
 * becomes a gate with its seats.
 */
export function itemFromTemplate(t: TemplateItem, ownerId: string, groupMembers: ReadonlyMap<string, readonly string[]>, startedAt: number): RunItem {
  const assignees = t.assignees.flatMap((a) => ('role' in a ? [ownerId] : 'userId' in a ? [a.userId] : [...(groupMembers.get(a.groupId) ?? [])]));
  let gate: Gate | null = null;
  if (t.approval) {
    const refs: SeatRef[] = t.approval.approvers.map((a) => ('role' in a ? { userId: ownerId } : a));
    const seated = addSeats(newGate(t.approval.quorum), refs, GATE_LIMITS);
    gate = seated === SAME ? newGate(t.approval.quorum) : seated;
  }
  return {
    title: t.title,
    description: t.description,
    assignees: [...new Set(assignees)].slice(0, LIMITS.assignees),
    due: t.dueMinutes === null ? null : startedAt + t.dueMinutes * 60_000,
    command: t.command,
    state: 'open',
    by: null,
    at: null,
    gate,
    naggedFor: null,
  };
}
