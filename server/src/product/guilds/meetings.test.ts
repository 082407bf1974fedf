import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IncidentReviewItem } from '../shared/ports';
import { agendaMeeting, canonicalRef, closableMeeting, closedMeeting, planClose } from './meetings';
import type { Guild, QueueItem } from './records';
import { blankGuild } from './seeds';

const utc = (iso: string): number => Date.parse(iso);
const monday10 = (lastMeeting: Guild['lastMeeting'] = null): Guild => ({
  ...blankGuild('t', 'u', 0),
  slug: 'ops',
  name: 'Ops',
  day: 1,
  time: '10:00',
  anchorDate: '2027-01-04',
  lastMeeting,
});

test('the agenda is for the running meeting (started < 3 h ago, not closed), else the next', () => {
  assert.equal(agendaMeeting(monday10(), utc('2027-01-04T09:00:00Z')), utc('2027-01-04T10:00:00Z'));
  assert.equal(agendaMeeting(monday10(), utc('2027-01-04T12:59:00Z')), utc('2027-01-04T10:00:00Z'), 'running');
  assert.equal(agendaMeeting(monday10(), utc('2027-01-04T13:01:00Z')), utc('2027-01-11T10:00:00Z'));
  const closed = monday10({ closedAt: utc('2027-01-04T11:00:00Z'), scheduledFor: utc('2027-01-04T10:00:00Z') });
  assert.equal(agendaMeeting(closed, utc('2027-01-04T11:30:00Z')), utc('2027-01-11T10:00:00Z'), 'closed: the next one');
  const early = monday10({ closedAt: utc('2027-01-04T09:50:00Z'), scheduledFor: utc('2027-01-04T10:00:00Z') });
  assert.equal(agendaMeeting(early, utc('2027-01-04T09:55:00Z')), utc('2027-01-11T10:00:00Z'), 'closed early: its slot is used up');
  assert.equal(agendaMeeting(monday10(), utc('2027-01-01T00:00:00Z')), utc('2027-01-04T10:00:00Z'), 'before the anchor: the first');
});

test('a close closes the latest started meeting not yet closed; before a start only the next one, early, and only once', () => {
  assert.deepEqual(closableMeeting(monday10(), utc('2027-01-04T09:40:00Z')), { kind: 'upcoming', at: utc('2027-01-04T10:00:00Z'), last: null });
  assert.deepEqual(closableMeeting(monday10(), utc('2027-01-04T09:59:00Z')), { kind: 'upcoming', at: utc('2027-01-04T10:00:00Z'), last: null }, 'a minute early is early');
  assert.deepEqual(closableMeeting(monday10(), utc('2027-01-04T10:00:00Z')), { kind: 'open', at: utc('2027-01-04T10:00:00Z') });
  assert.deepEqual(closableMeeting(monday10(), utc('2027-01-07T15:00:00Z')), { kind: 'open', at: utc('2027-01-04T10:00:00Z') }, 'Thursday closes Monday’s');
  const closed = monday10({ closedAt: utc('2027-01-07T15:00:00Z'), scheduledFor: utc('2027-01-04T10:00:00Z') });
  assert.deepEqual(closableMeeting(closed, utc('2027-01-07T16:00:00Z')), { kind: 'upcoming', at: utc('2027-01-11T10:00:00Z'), last: utc('2027-01-04T10:00:00Z') });
  assert.deepEqual(closableMeeting(closed, utc('2027-01-11T10:05:00Z')), { kind: 'open', at: utc('2027-01-11T10:00:00Z') });
  // Closed early (Thursday, for next Monday): nothing more is closable until that Monday has passed.
  const early = monday10({ closedAt: utc('2027-01-07T16:00:00Z'), scheduledFor: utc('2027-01-11T10:00:00Z') });
  assert.deepEqual(closableMeeting(early, utc('2027-01-07T16:01:00Z')), { kind: 'closed_early', at: utc('2027-01-11T10:00:00Z'), next: utc('2027-01-18T10:00:00Z') });
  assert.deepEqual(closableMeeting(early, utc('2027-01-11T10:30:00Z')), { kind: 'upcoming', at: utc('2027-01-18T10:00:00Z'), last: utc('2027-01-11T10:00:00Z') });
  assert.deepEqual(closableMeeting(early, utc('2027-01-18T10:30:00Z')), { kind: 'open', at: utc('2027-01-18T10:00:00Z') });
  // Two weeks without a close: the latest one is closed (the older one is history).
  assert.deepEqual(closableMeeting(monday10(), utc('2027-01-12T00:00:00Z')), { kind: 'open', at: utc('2027-01-11T10:00:00Z') });
});

const item = (id: number): QueueItem => ({ id, text: `item ${id}`, by: 'u', at: 0, carried: 0 });
const incident = (n: number): IncidentReviewItem => ({ incidentId: `i${n}`, reference: `INC-00${n}`, title: '', severity: 2, resolvedAt: 0, mttrMinutes: null, openFollowups: 0, channelId: 'c' });

test('what a close marks done: nothing by default, --done, --done all, --carry, both together', () => {
  const items = [item(1), item(2), item(3)];
  const incidents = [incident(4), incident(5)];
  const plan = (done?: string[], carry?: string[]) => {
    const p = planClose({ done, carry }, items, incidents);
    return { items: [...p.doneItems], incidents: p.reviewed.map((i) => i.reference) };
  };
  assert.deepEqual(plan(), { items: [], incidents: [] }, 'no flags: nothing is done');
  assert.deepEqual(plan(['q1', 'inc-5']), { items: [1], incidents: ['INC-005'] });
  assert.deepEqual(plan(['all']), { items: [1, 2, 3], incidents: ['INC-004', 'INC-005'] });
  assert.deepEqual(plan(undefined, ['Q2']), { items: [1, 3], incidents: [] }, '--carry: the other items are done, incidents are not');
  assert.deepEqual(plan(['INC-004'], ['Q2']), { items: [1, 3], incidents: ['INC-004'] });
  assert.deepEqual(plan(['all'], ['Q2', 'INC-5']), { items: [1, 3], incidents: ['INC-004'] });
  assert.throws(() => plan(['Q1'], ['Q1']), /Q1 can't be both done and carried over/);
  assert.throws(() => plan(['Q9', 'RFC-1']), /Not on this agenda: Q9, RFC-1/);
  assert.equal(canonicalRef('inc16'), 'INC-016');
  assert.equal(canonicalRef('inc 16'), 'INC-016');
  assert.equal(canonicalRef('16'), '16', 'a bare number could be an item or an incident: left for the agenda check to refuse');
  assert.equal(canonicalRef('INC-1234'), 'INC-1234');
  assert.equal(canonicalRef('q007'), 'Q7');
});

test('a closed meeting: done items leave, discussed ones carry, late ones stay, and the same meeting never closes twice', () => {
  const guild = { ...monday10(), queue: [item(1), item(2), item(3)], notes: [{ kind: 'note' as const, text: 'n', by: 'u', at: 0 }] };
  const closing = { actor: 'a', now: utc('2027-01-04T11:00:00Z'), meetingAt: utc('2027-01-04T10:00:00Z'), onAgenda: new Set([1, 2]), doneItems: new Set([1]) };
  const after = closedMeeting(guild, closing);
  assert.deepEqual(after.queue.map((q) => [q.id, q.carried]), [[2, 1], [3, 0]]);
  assert.deepEqual(after.meetings[0]!.done, ['Q1 item 1']);
  assert.deepEqual(after.meetings[0]!.carried, ['Q2 item 2']);
  assert.deepEqual(after.notes, []);
  assert.deepEqual(after.meetings[0]!.notes.length, 1);
  assert.throws(() => closedMeeting(after, closing), /That Ops meeting is already closed/);
  const long = { ...guild, queue: [{ ...item(1), text: 'x'.repeat(1000) }] };
  assert.ok(closedMeeting(long, closing).meetings[0]!.done[0]!.length <= 172, 'a meeting keeps the start of an item');
});
