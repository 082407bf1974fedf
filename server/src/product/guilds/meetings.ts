/**
 * A guild's meetings, pure: which meeting an agenda is for, which meeting a close closes, what a
 * close marks done and what the guild looks like after it.
 *
 * - A meeting that started less than AGENDA_GRACE ago and is not closed is the current one (people
 *   close it at its end); otherwise the agenda is for the next meeting.
 * - A close closes the latest meeting that has started and is not closed yet — the one in
 *   progress or just finished, even when someone closes Monday's meeting on Thursday.
 * - Before a meeting has started, only an early close (`--early`) closes it, and only the very next
 *   one: once it is closed early, no further meeting can be closed until the next has started. So
 *   a close never uses up more than one occurrence, however often it is repeated.
 */
import { UserError } from '../shared/errors';
import type { IncidentReviewItem } from '../shared/ports';
import { incidentReference, parseReference } from '../shared/references';
import { GUILD_TEXT } from './messages';
import { type Guild, LIMITS, type Meeting, type QueueItem } from './records';
import { advancedRota } from './rota';
import { type MeetingSchedule, nextMeeting, previousMeeting, scheduleStart } from './schedule';

/** How long after its start a meeting stays the agenda's meeting (unless closed). */
export const AGENDA_GRACE_MS = 3 * 3_600_000;

/** Meetings up to this instant are closed (or were used up by an early close). */
export function closedUpTo(guild: Pick<Guild, 'lastMeeting'>): number {
  const last = guild.lastMeeting;
  if (!last) return Number.NEGATIVE_INFINITY;
  return last.scheduledFor ?? last.closedAt;
}

/** The meeting the agenda is for: the running one (started < grace ago, not closed) or the next. */
export function agendaMeeting(guild: MeetingSchedule & Pick<Guild, 'lastMeeting'>, now: number): number {
  const closed = closedUpTo(guild);
  const started = previousMeeting(guild, now);
  if (started !== null && started > closed && started > now - AGENDA_GRACE_MS) return started;
  return nextMeeting(guild, Math.max(now, closed, scheduleStart(guild) - 1));
}

export type Closable =
  /** The latest meeting that has started is not closed: a close closes it. */
  | { readonly kind: 'open'; readonly at: number }
  /** Nothing is due: the next meeting (at) may be closed before its start with `--early`. `last`: the latest meeting, closed. */
  | { readonly kind: 'upcoming'; readonly at: number; readonly last: number | null }
  /** The next meeting (at) was already closed early; `next` is the one after, closable once started. */
  | { readonly kind: 'closed_early'; readonly at: number; readonly next: number };

/** Which meeting `/guild close` closes now, or why none without `--early`. */
export function closableMeeting(guild: MeetingSchedule & Pick<Guild, 'lastMeeting'>, now: number): Closable {
  const closed = closedUpTo(guild);
  const latest = previousMeeting(guild, now);
  if (latest !== null && latest > closed) return { kind: 'open', at: latest };
  if (closed > now) return { kind: 'closed_early', at: closed, next: nextMeeting(guild, closed) };
  return { kind: 'upcoming', at: nextMeeting(guild, Math.max(now, closed, scheduleStart(guild) - 1)), last: latest };
}

/** What the closer said: `--done` items (or all), `--carry` items. Neither: nothing is done. */
export interface CloseSelection {
  readonly done?: readonly string[];
  readonly carry?: readonly string[];
}

export interface ClosePlan {
  /** Queue item ids finished at this meeting. */
  readonly doneItems: ReadonlySet<number>;
  /** Incidents (as the closer sees them) the meeting reviewed. */
  readonly reviewed: readonly IncidentReviewItem[];
}

/**
 * The done set, checked against the agenda before anything is written.
 * - `--done Q1,INC-042` marks those; `--done all` marks every item and incident on the agenda.
 * - `--carry Q2` carries those over and marks every other queued item done (not incidents: an
 *   incident is reviewed only when `--done` names it or says all).
 * - The two combine (`--done INC-042 --carry Q2`); an item in both is refused. Neither flag:
 *   nothing is done, every discussed item carries over and no incident is reviewed.
 */
export function planClose(selection: CloseSelection, items: readonly QueueItem[], incidents: readonly IncidentReviewItem[]): ClosePlan {
  const norm = (list: readonly string[] | undefined): string[] | undefined =>
    list?.flatMap((s) => s.split(',')).map((s) => s.trim().toUpperCase()).filter(Boolean);
  const done = norm(selection.done);
  const carry = norm(selection.carry) ?? [];
  const all = done?.length === 1 && done[0] === 'ALL';
  const itemRef = (q: QueueItem): string => `Q${q.id}`;
  const known = new Set([...items.map(itemRef), ...incidents.map((i) => i.reference.toUpperCase())]);
  const named = [...(all ? [] : (done ?? [])), ...carry];
  const unknown = [...new Set(named.map(canonicalRef).filter((s) => !known.has(s)))];
  if (unknown.length) throw UserError.badRequest(GUILD_TEXT.notOnAgenda(unknown));
  const carried = new Set(carry.map(canonicalRef));
  const both = (done ?? []).map(canonicalRef).filter((s) => carried.has(s));
  if (both.length) throw UserError.badRequest(GUILD_TEXT.doneAndCarried(both));
  const doneSet = new Set((done ?? []).map(canonicalRef));
  const itemDone = (q: QueueItem): boolean => !carried.has(itemRef(q)) && (all || carry.length > 0 || doneSet.has(itemRef(q)));
  const incidentDone = (i: IncidentReviewItem): boolean => !carried.has(i.reference.toUpperCase()) && (all || doneSet.has(i.reference.toUpperCase()));
  return {
    doneItems: new Set(items.filter(itemDone).map((q) => q.id)),
    reviewed: incidents.filter(incidentDone).slice(0, LIMITS.selectors),
  };
}

/**
 * "q3" → "Q3"; an incident in any explicit form ("inc-16", "INC016", "inc 16") → "INC-016" (the
 * one reference style). A bare "16" or "#16" stays as typed: it could be an item or an incident.
 */
export function canonicalRef(text: string): string {
  const upper = text.trim().toUpperCase();
  const inc = parseReference('INC', upper, { explicitOnly: true });
  if (inc !== null) return incidentReference(inc);
  const q = /^Q(\d{1,9})$/.exec(upper);
  if (q) return `Q${Number(q[1])}`;
  return upper;
}

export interface Closing {
  readonly actor: string;
  readonly now: number;
  /** The scheduled meeting being closed. */
  readonly meetingAt: number;
  /** Queue item ids on the agenda the meeting saw (items queued later were not discussed). */
  readonly onAgenda: ReadonlySet<number>;
  readonly doneItems: ReadonlySet<number>;
}

/**
 * The guild after its meeting closed: the meeting recorded last in `meetings` (incidents are
 * added once their feature confirms them), done items gone, discussed ones carried, notes cleared.
 * Refuses when that meeting was closed meanwhile (two closes racing close it once).
 */
export function closedMeeting(current: Guild, c: Closing): Guild {
  if (closedUpTo(current) >= c.meetingAt) throw UserError.conflict(GUILD_TEXT.alreadyClosed(current));
  const discussed = current.queue.filter((q) => c.onAgenda.has(q.id));
  const done = discussed.filter((q) => c.doneItems.has(q.id));
  const carried = discussed.filter((q) => !c.doneItems.has(q.id));
  const late = current.queue.filter((q) => !c.onAgenda.has(q.id));
  const label = (q: QueueItem): string => `Q${q.id} ${shorten(q.text, LIMITS.meetingItemText)}`;
  const meeting: Meeting = {
    closedAt: c.now,
    closedBy: c.actor,
    scheduledFor: c.meetingAt,
    notes: current.notes,
    done: done.map(label),
    carried: carried.map(label),
    reviewedIncidents: [],
  };
  return {
    ...current,
    queue: [...carried.map((q) => ({ ...q, carried: q.carried + 1 })), ...late],
    notes: [],
    nextNoteId: 1,
    lastMeeting: { closedAt: c.now, scheduledFor: c.meetingAt },
    meetings: [...current.meetings, meeting].slice(-LIMITS.meetingsKept),
    rota: advancedRota(current),
    updatedAt: c.now,
  };
}

export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
