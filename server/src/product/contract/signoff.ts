/**
 * The sign-off engine's words, shared by every gate the server keeps (an RFC's review, a run's
 * approvals) and the webapp that shows them.
 */
export const SIGNOFF_ANSWERS = ['approve', 'abstain', 'hold'] as const;
export type SignoffAnswer = (typeof SIGNOFF_ANSWERS)[number];

/** all: every seat that did not abstain · majority: more than half of them · atLeast: N of them. */
export const QUORUM_KINDS = ['all', 'majority', 'atLeast'] as const;
export type QuorumKind = (typeof QUORUM_KINDS)[number];
