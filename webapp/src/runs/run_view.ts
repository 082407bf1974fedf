// What the Runs tab says about a run, an item and a gate, as pure functions (unit-tested).
import type { GateView, RunItemView, RunView } from '../contract';

const QUORUM_TEXT = { all: 'all approvers', majority: 'a majority' } as const;

/** "2 of 5 done · 1 skipped · 1 overdue · 1 open gate". */
export function progressLine(run: RunView): string {
  const p = run.progress;
  const parts = [`${p.done} of ${p.total} done`];
  if (p.skipped > 0) parts.push(`${p.skipped} skipped`);
  if (p.overdue > 0) parts.push(`${p.overdue} overdue`);
  if (p.openGates > 0) parts.push(`${p.openGates} open gate${p.openGates === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** "Gate waiting: 1/2 approvals (at least 2) · 1 hold · 1 open concern". */
export function gateLine(gate: GateView): string {
  const quorum = gate.quorum.kind === 'atLeast' ? `at least ${gate.quorum.n ?? 1}` : QUORUM_TEXT[gate.quorum.kind];
  const holds = gate.seats.filter((s) => s.answer === 'hold').length;
  const concerns = gate.concerns.filter((c) => c.resolvedAt === null).length;
  const parts = [`Gate ${gate.state}: ${gate.approvals}/${gate.needed} approvals (${quorum})`];
  if (holds > 0) parts.push(`${holds} hold${holds === 1 ? '' : 's'}`);
  if (concerns > 0) parts.push(`${concerns} open concern${concerns === 1 ? '' : 's'}`);
  if (gate.override) parts.push(`overridden: ${gate.override.reason}`);
  return parts.join(' · ');
}

/** The slash commands that answer a gate (they are typed in the run's channel). */
export const gateCommands = (item: Pick<RunItemView, 'ref'>): string => `/run approve ${item.ref} · /run hold ${item.ref} · /run concern ${item.ref} <text>`;

/**
 * What the item's buttons do: an open item can be checked or skipped, a done or skipped one
 * reopened; an approval item has none (the server: it is done by its gate, never by hand).
 */
export function itemActions(item: Pick<RunItemView, 'state' | 'gate'>): Array<'check' | 'uncheck' | 'skip'> {
  if (item.gate !== null) return [];
  return item.state === 'open' ? ['check', 'skip'] : ['uncheck'];
}

export const ITEM_ACTION_TEXT = { check: 'Check', uncheck: 'Reopen', skip: 'Skip' } as const;
export const ITEM_STATE_MARK = { open: '☐', done: '☑', skipped: '⤼' } as const;
