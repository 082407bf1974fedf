// What the Runs tab says about a run, an item and a gate, as pure functions (unit-tested).
import { localDateTimeToUtc, TEMPLATE_FORMAT, wallTime, TEMPLATE_SOURCES, type GateView, type RunItemView, type RunStatsView, type RunSummaryView } from '../contract';
import { duration } from '../format';

const QUORUM_TEXT = { all: 'all approvers', majority: 'a majority' } as const;

/** "2 of 5 done · 1 skipped · 1 overdue · 1 open gate". */
export function progressLine(run: Pick<RunSummaryView, 'progress'>): string {
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

// ---- the gate's card, as the current user sees it (the server decides; these only choose what to show) ----

type Seat = GateView['seats'][number];

export interface GatePart {
  /** A seat of their own, or one they answer for as its delegate. */
  seat: Seat | null;
  /** May answer: a seat of theirs, a delegation to them, or a group seat (membership is the server's to check). */
  mayAnswer: boolean;
  /** Holds a seat themselves, so may hand it on. */
  mayDelegate: boolean;
}

export function gatePart(gate: GateView, me: string): GatePart {
  const own = gate.seats.find((s) => s.userId === me) ?? null;
  const delegated = gate.seats.find((s) => s.delegate === me) ?? null;
  return { seat: own ?? delegated, mayAnswer: own !== null || delegated !== null || gate.seats.some((s) => s.groupId !== null), mayDelegate: own !== null };
}

/** As the server's rule: the concern's raiser, the run owner, team admins. */
export const mayResolve = (concern: GateView['concerns'][number], me: string, ownerId: string, admin: boolean): boolean => concern.raisedBy === me || ownerId === me || admin;

export const ANSWER_TEXT = { approve: 'approved', hold: 'holds', abstain: 'abstains' } as const;

/** "@bob, carol @dave" → ["@bob", "carol", "@dave"]: what the assign form sends (the server resolves them). */
export const splitUsernames = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/**
 * Epoch ms ↔ a datetime-local input's value, in the user's Mattermost time zone (as every time the
 * sidebar shows, and as `/run due` reads what they type), by the contract's time-zone rules.
 */
export function toLocalInput(at: number, timeZone: string): string {
  const w = wallTime(timeZone, at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}
export const fromLocalInput = (value: string, timeZone: string): number | null => localDateTimeToUtc(value, timeZone);

/** Our own JSON says so in its `format`; anything else is taken as a Playbooks export (the server names what is wrong). */
export function templateSourceOf(text: string): (typeof TEMPLATE_SOURCES)[number] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && (parsed as { format?: unknown }).format === TEMPLATE_FORMAT) return 'infra-ops';
  } catch {
    // Not JSON: the server says so, naming the field.
  }
  return 'playbooks';
}

// ---- stats ----

export const minutesText = (minutes: number | null): string => (minutes === null ? '—' : duration(Math.round(minutes) * 60_000));

/** "3 of 4 (75%)" or "—" when no item had a due time. */
export const onTimeText = (s: Pick<RunStatsView, 'onTime'>): string => (s.onTime.of === 0 ? '—' : `${s.onTime.kept} of ${s.onTime.of} (${Math.round((100 * s.onTime.kept) / s.onTime.of)}%)`);

export interface StatsBar {
  label: string;
  value: number;
  /** Fraction of the chart's widest value, 0..1. */
  share: number;
}

/** One row per template: its runs started and finished, as bars on one scale. */
export function countBars(stats: readonly RunStatsView[]): Array<{ template: string; started: StatsBar; finished: StatsBar }> {
  const max = Math.max(1, ...stats.map((s) => s.started));
  return stats.map((s) => ({
    template: s.template,
    started: { label: `${s.started} started`, value: s.started, share: s.started / max },
    finished: { label: `${s.finished} finished`, value: s.finished, share: s.finished / max },
  }));
}

/** One row per template: its medians (to first action, to finish, in approval), as bars on one time scale; absent figures are left out. */
export function timeBars(stats: readonly RunStatsView[]): Array<{ template: string; kind: string; bars: StatsBar[] }> {
  const figures = (s: RunStatsView): Array<[string, number | null]> => [
    [s.kind === 'incident' ? 'MTTA' : 'to first action', s.medianFirstAction],
    [s.kind === 'incident' ? 'MTTR' : 'to finish', s.medianDuration],
    ['in approval', s.medianApproval],
  ];
  const max = Math.max(1, ...stats.flatMap((s) => figures(s).flatMap(([, v]) => (v === null ? [] : [v]))));
  return stats.map((s) => ({
    template: s.template,
    kind: s.kind,
    bars: figures(s).flatMap(([label, v]) => (v === null ? [] : [{ label: `${label} ${minutesText(v)}`, value: v, share: v / max }])),
  }));
}
