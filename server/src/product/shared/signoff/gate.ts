/**
 * The one sign-off engine: who must approve something (an RFC, a release, a QA step), how many of
 * them are enough, and what blocks it. Pure functions over the stored gate (records.ts); the
 * feature that owns the gate decides *who may* call each one (its policy.ts) and writes the result
 * under compare-and-set. Modelled on rfcbot's sign-off rules, with the gaps Playbooks users ask for
 * filled: groups, quorum, hold, abstain, delegation, a deadline and an audited override.
 *
 * - A seat is a person or a group. A group's seat is answered by any one of its members.
 * - Answers: approve, abstain (the seat leaves the count), hold (blocks until that seat answers
 *   otherwise). Answering again replaces the answer.
 * - Quorum over the seats that did not abstain: all of them, a majority, or at least N.
 * - Any open concern blocks; its raiser or the owner resolves it (the feature's policy).
 * - lazyConsensus: once the deadline has passed, silence counts as consent (not holds or concerns).
 * - An override lets an unsatisfied gate pass, recorded with who, when and why.
 */
import type { Answer, Gate, GateConcern, GateLimits, Quorum, Seat } from './records';

export { ANSWERS, type Answer, concernSchema, type Gate, type GateConcern, type GateLimits, gateSchema, type Quorum, QUORUM_KINDS, type Seat } from './records';

/** Returned by an operation that would change nothing (so callers skip the write and the notice). */
export const SAME = Symbol('gate unchanged');
export type Changed = Gate | typeof SAME;

/** Why an operation is refused; the owning feature words it for its users. */
export type GateRefusalCode = 'notASeat' | 'tooManySeats' | 'tooManyConcerns' | 'noSuchConcern' | 'concernResolved' | 'delegateIsHolder' | 'badQuorum' | 'notBlocked';

export class GateRefusal extends Error {
  override readonly name = 'GateRefusal';
  constructor(readonly code: GateRefusalCode) {
    super(code);
  }
}

export type SeatRef = { readonly userId: string } | { readonly groupId: string };

export const seatKey = (ref: SeatRef): string => ('userId' in ref ? `u:${ref.userId}` : `g:${ref.groupId}`);

export function newGate(quorum: Quorum, options: { deadline?: number | null; lazyConsensus?: boolean } = {}): Gate {
  checkQuorum(quorum);
  return { quorum, seats: [], concerns: [], deadline: options.deadline ?? null, lazyConsensus: options.lazyConsensus ?? false, override: null };
}

export function checkQuorum(quorum: Quorum): void {
  if ((quorum.kind === 'atLeast') !== (quorum.n !== null)) throw new GateRefusal('badQuorum');
}

/** Adds the seats not there yet (in the order given). */
export function addSeats(gate: Gate, refs: readonly SeatRef[], limits: GateLimits): Changed {
  const known = new Set(gate.seats.map((s) => s.key));
  const adding: Seat[] = [];
  for (const ref of refs) {
    const key = seatKey(ref);
    if (known.has(key)) continue;
    known.add(key);
    adding.push({
      key,
      userId: 'userId' in ref ? ref.userId : null,
      groupId: 'groupId' in ref ? ref.groupId : null,
      delegate: null,
      answer: null,
      answeredBy: null,
      answeredAt: null,
      note: null,
    });
  }
  if (adding.length === 0) return SAME;
  if (gate.seats.length + adding.length > limits.seats) throw new GateRefusal('tooManySeats');
  return { ...gate, seats: [...gate.seats, ...adding] };
}

/**
 * The seats `userId` may answer for: their own, those delegated to them, and those of the groups
 * they belong to now (`groupIds`: the caller asks Mattermost, live).
 */
export function seatsOf(gate: Gate, userId: string, groupIds: ReadonlySet<string> = new Set()): Seat[] {
  return gate.seats.filter((s) => s.userId === userId || s.delegate === userId || (s.groupId !== null && groupIds.has(s.groupId)));
}

/**
 * `userId` answers for every seat they hold (see seatsOf). null takes an answer back. The same
 * answer again changes nothing.
 */
export function answer(gate: Gate, userId: string, seats: readonly Seat[], given: Answer | null, now: number, note: string | null = null): Changed {
  if (seats.length === 0) throw new GateRefusal('notASeat');
  const keys = new Set(seats.map((s) => s.key));
  let changed = false;
  const next = gate.seats.map((s) => {
    if (!keys.has(s.key) || s.answer === given) return s;
    changed = true;
    return given === null
      ? { ...s, answer: null, answeredBy: null, answeredAt: null, note: null }
      : { ...s, answer: given, answeredBy: userId, answeredAt: now, note };
  });
  return changed ? { ...gate, seats: next } : SAME;
}

/** Hands `seats` to `to` (null takes the delegation back). A seat cannot be delegated to its own holder. */
export function delegate(gate: Gate, seats: readonly Seat[], to: string | null): Changed {
  if (seats.length === 0) throw new GateRefusal('notASeat');
  const keys = new Set(seats.map((s) => s.key));
  if (to !== null && seats.some((s) => s.userId === to)) throw new GateRefusal('delegateIsHolder');
  let changed = false;
  const next = gate.seats.map((s) => {
    if (!keys.has(s.key) || s.delegate === to) return s;
    changed = true;
    return { ...s, delegate: to };
  });
  return changed ? { ...gate, seats: next } : SAME;
}

export function raiseConcern(gate: Gate, userId: string, text: string, now: number, limits: GateLimits): { gate: Gate; concern: GateConcern } {
  if (gate.concerns.length >= limits.concerns) throw new GateRefusal('tooManyConcerns');
  const id = gate.concerns.reduce((max, c) => Math.max(max, c.id), 0) + 1;
  const concern: GateConcern = { id, text, raisedBy: userId, raisedAt: now, resolvedBy: null, resolvedAt: null, resolution: null };
  return { gate: { ...gate, concerns: [...gate.concerns, concern] }, concern };
}

export function resolveConcern(gate: Gate, concernId: number, userId: string, resolution: string | null, now: number): Gate {
  const found = gate.concerns.find((c) => c.id === concernId);
  if (!found) throw new GateRefusal('noSuchConcern');
  if (found.resolvedAt !== null) throw new GateRefusal('concernResolved');
  return { ...gate, concerns: gate.concerns.map((c) => (c.id === concernId ? { ...c, resolvedBy: userId, resolvedAt: now, resolution } : c)) };
}

/** Lets a gate that is not satisfied pass, on the record. Refused when there is nothing to override. */
export function override(gate: Gate, userId: string, reason: string, now: number): Gate {
  if (evaluate(gate, now).state === 'passed') throw new GateRefusal('notBlocked');
  return { ...gate, override: { by: userId, at: now, reason } };
}

export type GateState = 'passed' | 'blocked' | 'waiting';

export interface GateStatus {
  /** passed: may go ahead · blocked: a concern or a hold stops it · waiting: not enough approvals yet. */
  readonly state: GateState;
  readonly approvals: number;
  /** Approvals the quorum needs, over the seats that did not abstain. */
  readonly needed: number;
  /** Seats that did not abstain (the quorum's base). */
  readonly counted: number;
  /** The quorum can no longer be met (more abstained than it can spare). */
  readonly unreachable: boolean;
  /** Seats that have not answered. */
  readonly waitingOn: readonly Seat[];
  readonly holds: readonly Seat[];
  readonly openConcerns: readonly GateConcern[];
  /** Passed only because the deadline passed in silence (lazy consensus). */
  readonly lapsed: boolean;
  /** Passed only because an admin overrode it. */
  readonly overridden: boolean;
}

export function evaluate(gate: Gate, now: number): GateStatus {
  const counted = gate.seats.filter((s) => s.answer !== 'abstain');
  const approvals = counted.filter((s) => s.answer === 'approve').length;
  const needed = neededFor(gate.quorum, counted.length);
  const waitingOn = gate.seats.filter((s) => s.answer === null);
  const holds = gate.seats.filter((s) => s.answer === 'hold');
  const openConcerns = gate.concerns.filter((c) => c.resolvedAt === null);
  const blocked = holds.length > 0 || openConcerns.length > 0;
  const met = approvals >= needed && approvals > 0;
  const lapsed = !met && gate.lazyConsensus && gate.deadline !== null && now >= gate.deadline && gate.seats.length > 0;
  const satisfied = !blocked && (met || lapsed);
  const overridden = !satisfied && gate.override !== null;
  return {
    state: satisfied || overridden ? 'passed' : blocked ? 'blocked' : 'waiting',
    approvals,
    needed,
    counted: counted.length,
    unreachable: needed > counted.length,
    waitingOn,
    holds,
    openConcerns,
    lapsed: satisfied && !met,
    overridden,
  };
}

function neededFor(quorum: Quorum, counted: number): number {
  switch (quorum.kind) {
    case 'all':
      return Math.max(counted, 1);
    case 'majority':
      return Math.floor(counted / 2) + 1;
    case 'atLeast':
      return quorum.n ?? 1;
  }
}

/** The seats to remind before the deadline: those that have not answered (holds answer with a hold). */
export const toRemind = (gate: Gate): readonly Seat[] => gate.seats.filter((s) => s.answer === null);
