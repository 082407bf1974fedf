/**
 * How the product names its numbered things in every message, so PICK can say "RFC-007" without
 * depending on the RFC feature (and the other way round).
 */
export const rfcReference = (n: number): string => `RFC-${String(n).padStart(3, '0')}`;
export const ideaReference = (n: number): string => `IDEA-${n}`;

/** Accepts 7, 007, RFC-7, rfc-007. */
export const RFC_NUMBER_PATTERN = /^(?:rfc-?)?0*(\d+)$/i;
/** Accepts 12, #12, IDEA-12. */
export const IDEA_NUMBER_PATTERN = /^(?:#|idea-)?(\d+)$/i;
