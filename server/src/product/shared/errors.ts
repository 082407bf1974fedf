/**
 * The product's one error type for problems the user can fix (bad input, missing permission,
 * unknown id, conflicting state). Commands show it as an ephemeral reply (with usage where
 * known); HTTP returns `{error}` with its status. Anything else is an internal error: logged,
 * never shown with its stack.
 */
export class UserError extends Error {
  override readonly name = 'UserError';

  constructor(
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 503 = 400,
    /** Shown under the message in command replies, e.g. "/incident severity <1-4>". */
    readonly usage?: string,
  ) {
    super(message);
  }

  static badRequest(message: string, usage?: string): UserError {
    return new UserError(message, 400, usage);
  }
  static forbidden(message: string): UserError {
    return new UserError(message, 403);
  }
  /** Also used for things that exist but the caller may not see, so existence is not leaked. */
  static notFound(message: string): UserError {
    return new UserError(message, 404);
  }
  static conflict(message: string): UserError {
    return new UserError(message, 409);
  }
}

/**
 * For reads that serve a page of many records: an unreadable record becomes null (reported
 * through `report`) instead of failing the whole page; any other error still throws.
 */
export function nullIfCorrupt(report: (err: CorruptRecordError) => void): (err: unknown) => null {
  return (err) => {
    if (!(err instanceof CorruptRecordError)) throw err;
    report(err);
    return null;
  };
}

/** A stored record failed validation: reported clearly and never overwritten. */
export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';

  constructor(readonly key: string, detail: string) {
    super(`stored record ${key} is unreadable: ${detail}`);
  }
}
