import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incident } from './records';
import { ACTIVE_HEAD, channelOfMember, heldOf, type SetMember, snapshotOf, withIncident } from './team_sets';

const base: Incident = {
  v: 1,
  id: 'i0',
  teamId: 't',
  number: 1,
  rev: 1,
  phase: 'active',
  title: 'Disk full',
  summary: '',
  type: '',
  severity: 2,
  private: false,
  channelId: 'ch0',
  channelName: 'inc-001-disk-full',
  cardPostId: '',
  setup: { invitees: [], membersAdded: true, announced: true, startedAt: 0, startPhase: 'active' },
  declaredBy: 'alice',
  declaredAt: 0,
  updatedAt: 0,
  roles: { commander: 'alice', scribe: 'bob', comms: null },
  milestones: { detected: null, acknowledged: null, mitigated: null, resolved: null },
  lastUpdate: null,
  resolution: null,
  resolutions: [],
  followers: [],
  followups: [],
  review: { needed: true, reviewedAt: null },
  timelineCount: 0,
  outbox: [],
  components: [],
  customerFacing: false,
  publicStatus: '',
};
const incident = (n: number, change: Partial<Incident> = {}): Incident => ({ ...base, id: `i${n}`, number: n, channelId: `ch${n}`, ...change });

/** The active set as a run of syncs builds it: incidents 1..count, each joining in turn. */
function built(count: number): SetMember[] {
  let members: SetMember[] = [];
  for (let n = 1; n <= count; n++) members = withIncident('active', members, incident(n)) ?? members;
  return members;
}

test('the active set keeps snapshots for its newest ACTIVE_HEAD members only; every member names its channel, severity, owers and rev', () => {
  const members = built(ACTIVE_HEAD + 20);
  const withSnapshot = members.filter((m) => m.d !== undefined).map((m) => m.n);
  assert.deepEqual(withSnapshot.sort((a, b) => a - b), Array.from({ length: ACTIVE_HEAD }, (_, k) => k + 21));
  for (const m of members) {
    assert.equal(m.c, `ch${m.n}`);
    assert.equal(m.s, incident(m.n).severity);
    assert.deepEqual(m.u, ['alice', 'bob']);
    assert.equal(m.r, 1);
  }
  // The review and follow-ups sets keep every snapshot.
  let review: SetMember[] = [];
  for (let n = 1; n <= ACTIVE_HEAD + 5; n++) review = withIncident('review', review, incident(n))!;
  assert.ok(review.every((m) => m.d !== undefined));
});

test('a write to a tail member changes the set only when its channel, severity or owers change', () => {
  const members = built(ACTIVE_HEAD + 5);
  assert.equal(withIncident('active', members, incident(3, { rev: 9, lastUpdate: { at: 5, by: 'alice', text: 'still down' } })), null, 'a status update: nothing to write');
  const moved = withIncident('active', members, incident(3, { rev: 10, roles: { commander: 'carol', scribe: 'bob', comms: null } }))!;
  assert.deepEqual(moved.find((m) => m.n === 3), { id: 'i3', n: 3, c: 'ch3', s: 2, u: ['bob', 'carol'], r: 10 });
  // The sidebar orders the set by severity: a change of it is written.
  const raised = withIncident('active', moved, incident(3, { rev: 11, severity: 1, roles: { commander: 'carol', scribe: 'bob', comms: null } }))!;
  assert.deepEqual(raised.find((m) => m.n === 3), { id: 'i3', n: 3, c: 'ch3', s: 1, u: ['bob', 'carol'], r: 11 });
  // A head member's snapshot follows every rev.
  const head = withIncident('active', members, incident(ACTIVE_HEAD + 5, { rev: 2, title: 'Renamed' }))!;
  assert.equal((head.find((m) => m.n === ACTIVE_HEAD + 5)!.d as Incident).title, 'Renamed');
});

test('a member pushed out of the head drops its snapshot, keeping (or, from older versions, deriving) its channel, severity, owers and rev', () => {
  // As an older version wrote them: a snapshot and nothing else.
  const old: SetMember[] = Array.from({ length: ACTIVE_HEAD }, (_, k) => ({ id: `i${k + 1}`, n: k + 1, d: snapshotOf(incident(k + 1)) }));
  const next = withIncident('active', old, incident(ACTIVE_HEAD + 1))!;
  assert.deepEqual(next.find((m) => m.n === 1), { id: 'i1', n: 1, c: 'ch1', s: 2, u: ['alice', 'bob'], r: 1 });
  assert.equal(next.filter((m) => m.d !== undefined).length, ACTIVE_HEAD);
  assert.equal(channelOfMember(old[0]!), 'ch1', 'an old member names its channel through its snapshot');
});

test('heldOf says what a member held: its snapshot’s rev and owers, or its own fields; nothing for an old member without a snapshot', () => {
  const members = built(ACTIVE_HEAD + 1);
  const head = heldOf(members.find((m) => m.n === ACTIVE_HEAD + 1)!)!;
  assert.equal(head.snapshot?.id, `i${ACTIVE_HEAD + 1}`);
  assert.deepEqual([head.rev, head.owers], [1, ['alice', 'bob']]);
  const tail = heldOf(members.find((m) => m.n === 1)!)!;
  assert.deepEqual(tail, { rev: 1, owers: ['alice', 'bob'], snapshot: null });
  assert.equal(heldOf({ id: 'x', n: 7 }), null);
  assert.equal(heldOf({ id: 'x', n: 7, d: { not: 'an incident' } }), null, 'an unreadable snapshot says nothing');
});
