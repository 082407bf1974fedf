/**
 * The one error type of the gob codec. Every failure (bad input bytes, a value that does not match
 * its description, a limit exceeded) surfaces as a GobError whose message says what and where.
 */
export class GobError extends Error {
  override readonly name = 'GobError';
}

/**
 * Thrown while encoding, and re-thrown with one more path segment at every level on the way up,
 * so the final message names the exact field: `field Post.Props["x"]: expected int64, got string`.
 */
export class EncodePathError extends GobError {
  constructor(
    readonly problem: string,
    readonly segments: string[] = [],
  ) {
    super(problem);
  }

  /** Adds the segment of the enclosing level (field name, `[3]`, `["key"]`). */
  within(segment: string): EncodePathError {
    this.segments.push(segment);
    this.message = describePath(this.segments, this.problem);
    return this;
  }
}

function describePath(segmentsInnermostFirst: readonly string[], problem: string): string {
  let path = '';
  for (let i = segmentsInnermostFirst.length - 1; i >= 0; i--) {
    const s = segmentsInnermostFirst[i]!;
    path += s.startsWith('[') || path === '' ? s : `.${s}`;
  }
  return `field ${path}: ${problem}`;
}

/** A short description of a JS value's type for error messages. */
export function describeJs(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'Uint8Array';
  if (value instanceof Map) return 'Map';
  const t = typeof value;
  if (t === 'number') return Number.isInteger(value) ? 'number' : `non-integer number ${value as number}`;
  if (t === 'object') {
    const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
    return ctor && ctor !== 'Object' ? ctor : 'object';
  }
  return t;
}
