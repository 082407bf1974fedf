/**
 * A read sent out before the check that guards it (a page's first KV read beside the access
 * check), so the two take one round trip instead of two. The promise is returned as it is, to be
 * awaited once the check has passed; if the check throws first, a failure of the read is not
 * reported as unhandled, since nothing will wait for it.
 */
export function started<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}
