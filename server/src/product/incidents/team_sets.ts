/**
 * The team's incident sets (store.ts `inc:set:<teamId>:<set>`): which incidents are active,
 * awaiting review or with open follow-ups, as one small record per team and set that a page reads
 * in one KV call. Pure functions over the stored members; the store does the compare-and-set.
 *
 * Every member names its incident (`id`, `n`), its channel (`c`), its severity (`s`, for the
 * sidebar's most-severe-first page), the people its owed facts name (`u`, owed.ts) and the rev
 * those were taken at (`r`). A member also carries a snapshot `d` of the incident (without its
 * outbox), so a list shows it without reading the record — every member of the review and
 * follow-ups sets, but only the newest ACTIVE_HEAD of the active set. An outage can hold
 * thousands of incidents active at once, and a snapshot is about 1 KB: with snapshots in every
 * member, each write to any active incident re-read and re-wrote megabytes. The rest of the
 * active set (the tail) is written only when a member joins or leaves or its channel, severity or
 * owers change. A head member without a snapshot (promoted when a newer one left) is read from
 * its record and re-synced by the first reader.
 */
import { z } from 'zod';
import { parseSnapshot } from '../shared/snapshots';
import { incidentOwedFacts } from './owed';
import { severitySchema } from '../contract/incidents';
import { type Incident, incidentSchema, LIMITS } from './records';

export type SetName = 'active' | 'review' | 'followups';

/**
 * Active incidents whose set members carry snapshots: the newest 100, so a list's first pages read
 * one key. The sidebar's page, most severe first, reads the records of the older ones it shows.
 */
export const ACTIVE_HEAD = 100;

const id = z.string().max(64);
const memberSchema = z.object({
  id: z.string(),
  n: z.number().int().positive(),
  d: z.unknown().optional(),
  c: id.optional(),
  s: z.optional(severitySchema),
  u: z.array(id).max(LIMITS.followups + 3).optional(),
  r: z.number().int().nonnegative().optional(),
});
export const setSchema = z.object({ v: z.literal(1), members: z.array(memberSchema) });
export type SetMember = z.output<typeof memberSchema>;

/** What lists keep of a record: all of it but the outbox (timeline entries still to be filed). */
export const snapshotOf = (incident: Incident): Incident => ({ ...incident, outbox: [] });

/** The people the incident's owed facts name (role holders while active, open follow-ups' owners). */
export const owersOf = (incident: Incident): string[] => [...incidentOwedFacts(incident).keys()].sort();

/** The member's snapshot if it holds a readable one. */
export function snapshotIn(member: SetMember): Incident | null {
  const parsed = parseSnapshot(incidentSchema, member.d);
  return parsed?.id === member.id ? parsed : null;
}

/** What a set member says of its incident as last synced: its rev, its owers, its snapshot if it keeps one. */
export interface HeldMember {
  readonly rev: number;
  readonly owers: readonly string[];
  readonly snapshot: Incident | null;
}

/** Null for a member that says nothing usable (older versions' members without a snapshot). */
export function heldOf(member: SetMember): HeldMember | null {
  const snapshot = snapshotIn(member);
  if (snapshot) return { rev: snapshot.rev, owers: owersOf(snapshot), snapshot };
  return member.r === undefined ? null : { rev: member.r, owers: member.u ?? [], snapshot: null };
}

/** The severity of a member, from its own field or (older versions) its snapshot; null: read the record. */
export const severityOfMember = (member: SetMember): number | null => member.s ?? snapshotIn(member)?.severity ?? null;

/** The channel of a member, from its own field or (older versions) its snapshot; null: read the record. */
export const channelOfMember = (member: SetMember): string | null => member.c ?? snapshotIn(member)?.channelId ?? null;

/** The ids of the members that keep a snapshot: all of them, but only the newest ACTIVE_HEAD of the active set. */
export function snapshotHolders(set: SetName, members: readonly SetMember[]): ReadonlySet<string> {
  if (set !== 'active' || members.length <= ACTIVE_HEAD) return new Set(members.map((m) => m.id));
  return new Set([...members].sort((a, b) => b.n - a.n).slice(0, ACTIVE_HEAD).map((m) => m.id));
}

/**
 * The members with `incident` in them as it is now, snapshots kept only where the set keeps them;
 * null when that changes nothing stored. A member past the active head loses its snapshot (its
 * channel and owers taken from it first, for members older versions wrote).
 */
export function withIncident(set: SetName, members: readonly SetMember[], incident: Incident): SetMember[] | null {
  const at = members.findIndex((m) => m.id === incident.id);
  const entry: SetMember = { id: incident.id, n: incident.number, c: incident.channelId, s: incident.severity, u: owersOf(incident), r: incident.rev };
  const all = at < 0 ? [...members, entry] : members.map((m, k) => (k === at ? entry : m));
  const holders = snapshotHolders(set, all);
  let changed = at < 0 || !sameFacts(members[at]!, entry) || (holders.has(incident.id) && snapshotRev(members[at]!) !== incident.rev);
  const next = all.map((m): SetMember => {
    if (m === entry) return holders.has(m.id) ? { ...m, d: snapshotOf(incident) } : m;
    if (holders.has(m.id) || m.d === undefined) return m;
    changed = true;
    return withoutSnapshot(m);
  });
  return changed ? next : null;
}

/** The rev of the member's snapshot, without parsing it (null: none). */
function snapshotRev(member: SetMember): unknown {
  const d = member.d;
  return typeof d === 'object' && d !== null && 'rev' in d ? d.rev : null;
}

/** Whether two members of one incident say the same channel, severity and owers (their rev aside). */
const sameFacts = (a: SetMember, b: SetMember): boolean =>
  a.c === b.c && a.s === b.s && a.u !== undefined && b.u !== undefined && a.u.length === b.u.length && a.u.every((u, k) => u === b.u![k]);

function withoutSnapshot(member: SetMember): SetMember {
  const { d: _dropped, ...rest } = member;
  if (member.c !== undefined && member.s !== undefined && member.r !== undefined) return rest;
  const snapshot = snapshotIn(member);
  return snapshot ? { ...rest, c: snapshot.channelId, s: snapshot.severity, u: owersOf(snapshot), r: snapshot.rev } : rest;
}
