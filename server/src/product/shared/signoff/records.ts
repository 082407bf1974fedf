import { z } from 'zod';
import { boundedList, boundedText } from '../text/limits';

/**
 * How a sign-off gate is stored, inside the record of what it guards (an RFC, a run). The engine
 * (gate.ts) works on the parsed form; each feature sets the limits its records keep.
 */
import { QUORUM_KINDS, SIGNOFF_ANSWERS } from '../../contract/signoff';

export { QUORUM_KINDS, type QuorumKind } from '../../contract/signoff';
export const ANSWERS = SIGNOFF_ANSWERS;
export type Answer = (typeof ANSWERS)[number];

export interface GateLimits {
  /** Seats (approvers: a person or a group). */
  readonly seats: number;
  readonly concerns: number;
  /** Concern text, resolutions, answer notes and override reasons. */
  readonly text: number;
}

const id = z.string().max(64);

/** A blocking concern: raised by anyone, resolved by its raiser or the owner (the feature's policy). */
export function concernSchema(limits: Pick<GateLimits, 'text'>) {
  const text = boundedText(limits.text);
  return z.object({
    id: z.number().int().positive(),
    text: text.min(1),
    raisedBy: id,
    raisedAt: z.number(),
    resolvedBy: id.nullable(),
    resolvedAt: z.number().nullable(),
    resolution: text.nullable(),
  });
}

export function gateSchema(limits: GateLimits) {
  const text = boundedText(limits.text);
  const seat = z.object({
    /** `u:<userId>` or `g:<groupId>`: one seat per person or group. */
    key: z.string().max(80),
    userId: id.nullable(),
    groupId: id.nullable(),
    /** Someone else answering for this seat (the holder still may). */
    delegate: id.nullable(),
    answer: z.enum(ANSWERS).nullable(),
    answeredBy: id.nullable(),
    answeredAt: z.number().nullable(),
    note: text.nullable(),
  });
  const concern = concernSchema(limits);
  return z.object({
    quorum: z.object({ kind: z.enum(QUORUM_KINDS), n: z.number().int().positive().nullable() }),
    seats: boundedList(seat, limits.seats),
    concerns: boundedList(concern, limits.concerns),
    /** Answers are due by then: reminders go to the seats that have not answered. */
    deadline: z.number().nullable(),
    /** Silence by the deadline counts as consent (an RFC's comment period); holds and concerns still block. */
    lazyConsensus: z.boolean(),
    /** An admin let it pass while it was not satisfied, with a recorded reason. */
    override: z.object({ by: id, at: z.number(), reason: text.min(1) }).nullable(),
  });
}

export type Gate = z.output<ReturnType<typeof gateSchema>>;
export type Seat = Gate['seats'][number];
export type GateConcern = Gate['concerns'][number];
export type Quorum = Gate['quorum'];
