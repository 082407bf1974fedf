/**
 * Writes what is derived from a record (index entries, sets, owed facts) and reads the record back,
 * writing again from each newer record until the one read back is the one last written from.
 *
 * Derived copies carry nothing that orders them, so on several nodes the copy of an older record
 * can land after the copy of a newer one. A sync ends after reading, behind its last write, the
 * record it wrote from: whichever sync writes a copy last then re-reads, and writes again if the
 * record has moved on. So the copies end matching the latest record; a crash part way, or five
 * rounds of a record changing under it, leaves them to the record's next write. `write` gets the
 * record written from before this round (`before` first), for copies kept as a change from one
 * record to the next (owed facts).
 */
export async function settleDerived<T>(
  record: T,
  before: T | null,
  steps: {
    write: (record: T, previous: T | null) => Promise<unknown>;
    reread: () => Promise<T | null>;
    /** Whether two records give the same copies. */
    same: (a: T, b: T) => boolean;
  },
  rounds = 5,
): Promise<T> {
  let [current, previous] = [record, before];
  for (let round = 0; round < rounds; round++) {
    await steps.write(current, previous);
    const latest = await steps.reread();
    if (!latest || steps.same(latest, current)) return latest ?? current;
    [previous, current] = [current, latest];
  }
  return current;
}

/** Whether two records are the same, field for field: what `same` is for a record whose every field is copied. */
export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
