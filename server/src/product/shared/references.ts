/**
 * How the product names its numbered things in every message, so PICK can say "RFC-007" without
 * depending on the RFC feature (and the other way round).
 */
export const rfcReference = (n: number): string => `RFC-${String(n).padStart(3, '0')}`;
export const ideaReference = (n: number): string => `IDEA-${n}`;

/**
 * Accepts 7, 007, #7, RFC-7, rfc-007, RFC7. Linear on any input: one optional prefix, then a
 * single run of digits to the end (no nested or adjacent quantifiers over the same characters, so
 * a hostile "000…0x" fails in one pass); leading zeros are captured and Number() drops them.
 */
export const RFC_NUMBER_PATTERN = /^(?:rfc-?|#)?(\d+)$/i;
/** Accepts 12, #12, IDEA-12. */
export const IDEA_NUMBER_PATTERN = /^(?:#|idea-)?(\d+)$/i;
