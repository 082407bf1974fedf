import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incident } from './records';
import { derivedParts, SettledSyncs, unchangedParts } from './settled_syncs';

const base = (rev: number, over: Partial<Incident> = {}): Incident => ({
  v: 1, id: 'inc1', teamId: 't', number: 7, rev, phase: 'active', title: 'db down', summary: '', type: 'outage',
  severity: 2, private: false, channelId: 'ch1', channelName: 'inc-7', cardPostId: 'p1',
  setup: { invitees: [], membersAdded: true, announced: true, startedAt: 1, startPhase: 'active' },
  declaredBy: 'cmdr', declaredAt: 1, updatedAt: 1, roles: { commander: 'cmdr', scribe: null, comms: null },
  milestones: { detected: null, acknowledged: null, mitigated: null, resolved: null }, lastUpdate: null,
  resolution: null, resolutions: [], followers: [], followups: [], review: { needed: false, reviewedAt: null },
  timelineCount: 0, outbox: [], components: [], customerFacing: false, publicStatus: '',
  ...over,
});

test('a mark answers only for the rev right after it, and a late older rev never replaces a newer mark', () => {
  const syncs = new SettledSyncs();
  syncs.settled(base(3), derivedParts(base(3), true));
  assert.notEqual(syncs.before(base(4)), null);
  assert.equal(syncs.before(base(5)), null, 'rev 4 was written (and synced) elsewhere');
  assert.equal(syncs.before(base(3)), null, 'the same rev again (a reader re-syncing it) reads everything');
  syncs.settled(base(2), derivedParts(base(2), true));
  assert.notEqual(syncs.before(base(4)), null);
  syncs.forget('inc1');
  assert.equal(syncs.before(base(4)), null);
});

test('the oldest marks go past the limit', () => {
  const syncs = new SettledSyncs(2);
  for (const id of ['a', 'b', 'c']) syncs.settled(base(1, { id }), derivedParts(base(1, { id }), true));
  assert.deepEqual(['a', 'b', 'c'].map((id) => syncs.before(base(2, { id })) !== null), [false, true, true]);
});

test('parts a member rewrites every rev (a snapshot in the active head, review and follow-ups members) are never skipped', () => {
  const head = derivedParts(base(1), false);
  assert.equal(unchangedParts(head, base(2)).active, false);
  const tail = derivedParts(base(1), true);
  assert.deepEqual(unchangedParts(tail, base(2, { lastUpdate: { at: 5, by: 'cmdr', text: 'working' } })), { active: true, review: true, followups: true, metrics: true });
  const withFollowup = base(2, { followups: [{ n: 1, text: 'fix', ownerId: 'u', due: null, createdAt: 1, createdBy: 'cmdr', doneAt: null, doneBy: null }] });
  const changed = unchangedParts(tail, withFollowup);
  assert.equal(changed.followups, false, 'it joins the follow-ups set');
  assert.equal(changed.active, false, 'the follow-up\'s owner is a new ower');
  assert.equal(changed.metrics, false, 'its open follow-ups are in its row');
  assert.equal(unchangedParts(null, base(2)).metrics, false, 'no mark: everything is read');
  const resolved = base(2, { phase: 'resolved', resolution: { at: 9, by: 'cmdr', summary: 'ok' }, review: { needed: true, reviewedAt: null } });
  assert.deepEqual(unchangedParts(tail, resolved), { active: false, review: false, followups: true, metrics: false });
});
