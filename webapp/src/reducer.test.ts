import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as a from './actions';
import { initialState, reducer, upsert } from './reducer';
import { fixtureIdea, fixtureIncident, fixtureRevealed } from './testing/fixtures';
import { decodeIdea, decodeIncident } from './types/model';

const incident = (over: Record<string, unknown> = {}) => decodeIncident(fixtureIncident(over));
const idea = (over: Record<string, unknown> = {}) => decodeIdea(fixtureIdea(over));

describe('upsert', () => {
  it('inserts, replaces with newer, keeps newer over older, and keeps identity when nothing changes', () => {
    const v1 = { id: 'x', updatedAt: 1, n: 1 };
    const v2 = { id: 'x', updatedAt: 2, n: 2 };
    const m1 = upsert({}, [v1]);
    assert.deepEqual(m1, { x: v1 });
    const m2 = upsert(m1, [v2]);
    assert.equal(m2.x, v2);
    const m3 = upsert(m2, [v1]);
    assert.equal(m3, m2, 'an older copy changes nothing');
  });

  it('treats an equal updatedAt as a replacement (the server re-sent the same version)', () => {
    const m = upsert({ x: { id: 'x', updatedAt: 5, n: 1 } }, [{ id: 'x', updatedAt: 5, n: 2 }]);
    assert.equal(m.x!.n, 2);
  });
});

describe('reducer', () => {
  it('ignores actions of other slices, returning the same state', () => {
    assert.equal(reducer(initialState, { type: 'RECEIVED_POSTS' }), initialState);
    assert.equal(reducer(undefined, { type: '@@INIT' }), initialState);
  });

  it('selects tabs, opens the declare form on the incidents tab and closes it', () => {
    let s = reducer(initialState, a.selectRhsTab('pick'));
    assert.equal(s.rhs.tab, 'pick');
    s = reducer(s, a.openDeclareForm({ title: 'DB down', summary: '' }));
    assert.equal(s.rhs.tab, 'incidents');
    assert.deepEqual(s.rhs.declareDraft, { title: 'DB down', summary: '' });
    s = reducer(s, a.closeDeclareForm());
    assert.equal(s.rhs.declareDraft, null);
  });

  it('does not let a stale list overwrite a newer websocket update', () => {
    let s = reducer(initialState, a.incidentReceived(incident({ updatedAt: 20, title: 'new title' })));
    s = reducer(s, a.incidentsReceived([incident({ updatedAt: 10, title: 'old title' })]));
    assert.equal(s.incidents.inc1!.title, 'new title');
  });

  it('replaces the ideas with a board and records its scope and threshold, keeping newer copies', () => {
    let s = reducer(initialState, a.ideaReceived(idea({ number: 1, updatedAt: 50, title: 'newer' })));
    s = reducer(s, a.ideaReceived(idea({ number: 9, channelId: 'other' })));
    const page = { ideas: [idea({ number: 1, updatedAt: 40 }), idea({ number: 2, revealed: fixtureRevealed(8, 2), status: 'revealed' })], next: null, threshold: 6 };
    s = reducer(s, a.boardReceived({ teamId: 'team1', channelId: 'ch1' }, page));
    assert.deepEqual(Object.keys(s.ideas).sort(), ['team1:1', 'team1:2']);
    assert.equal(s.ideas['team1:1']!.title, 'newer');
    assert.equal(s.pickThreshold, 6);
    assert.deepEqual(s.pickScope, { teamId: 'team1', channelId: 'ch1' });
  });

  it('shows and clears notices, and counts reconnects', () => {
    let s = reducer(initialState, a.showNotice({ kind: 'error', text: 'nope' }));
    assert.deepEqual(s.rhs.notice, { kind: 'error', text: 'nope' });
    s = reducer(s, a.showNotice(null));
    assert.equal(s.rhs.notice, null);
    s = reducer(reducer(s, a.reconnected()), a.reconnected());
    assert.equal(s.syncEpoch, 2);
  });
});
