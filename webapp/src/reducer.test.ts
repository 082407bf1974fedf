import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as a from './actions';
import { initialState, reducer, upsert } from './reducer';
import { fixtureAgenda, fixtureGuild, fixtureIdea as idea, fixtureIncident as incident, fixtureRevealed, fixtureRfc, fixtureRun } from './testing/fixtures';

const byId = (r: { id: string }) => r.id;

describe('upsert', () => {
  it('inserts, replaces with newer, keeps newer over older, and keeps identity when nothing changes', () => {
    const v1 = { id: 'x', updatedAt: 1, n: 1 };
    const v2 = { id: 'x', updatedAt: 2, n: 2 };
    const m1 = upsert({}, [v1], byId);
    assert.deepEqual(m1, { x: v1 });
    const m2 = upsert(m1, [v2], byId);
    assert.equal(m2.x, v2);
    const m3 = upsert(m2, [v1], byId);
    assert.equal(m3, m2, 'an older copy changes nothing');
  });

  it('treats an equal updatedAt as a replacement (the server re-sent the same version)', () => {
    const m = upsert({ x: { id: 'x', updatedAt: 5, n: 1 } }, [{ id: 'x', updatedAt: 5, n: 2 }], byId);
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
    s = reducer(s, a.incidentsReceived('team1', [incident({ updatedAt: 10, title: 'old title' })]));
    assert.equal(s.incidents.inc1!.title, 'new title');
  });

  it("replaces the team's active incidents with a list: one resolved elsewhere or no longer visible goes, resolved ones and other teams stay", () => {
    let s = reducer(initialState, a.incidentReceived(incident({ id: 'gone' })));
    s = reducer(s, a.incidentReceived(incident({ id: 'done', phase: 'resolved' })));
    s = reducer(s, a.incidentReceived(incident({ id: 'elsewhere', teamId: 'team2' })));
    s = reducer(s, a.incidentsReceived('team1', [incident({ id: 'new' })]));
    assert.deepEqual(Object.keys(s.incidents).sort(), ['done', 'elsewhere', 'new']);
  });

  it('adds a further page of incidents ("Show more") to the first, keeping newer copies; the next first page replaces both', () => {
    let s = reducer(initialState, a.incidentsReceived('team1', [incident({ id: 'sev1' })]));
    s = reducer(s, a.incidentReceived(incident({ id: 'sev4', updatedAt: 20, title: 'newer' })));
    s = reducer(s, a.moreIncidentsReceived([incident({ id: 'sev4', updatedAt: 10, title: 'older' }), incident({ id: 'sev4b' })]));
    assert.deepEqual(Object.keys(s.incidents).sort(), ['sev1', 'sev4', 'sev4b']);
    assert.equal(s.incidents.sev4!.title, 'newer');
    s = reducer(s, a.incidentsReceived('team1', [incident({ id: 'sev1' })]));
    assert.deepEqual(Object.keys(s.incidents), ['sev1']);
  });

  it("replaces the team's RFCs with a list (an RFC whose channel turned private goes), keeping newer copies and other teams", () => {
    let s = reducer(initialState, a.rfcReceived(fixtureRfc({ number: 1, updatedAt: 50, title: 'newer' })));
    s = reducer(s, a.rfcReceived(fixtureRfc({ number: 2 })));
    s = reducer(s, a.rfcReceived(fixtureRfc({ number: 2, teamId: 'team2' })));
    s = reducer(s, a.rfcsReceived('team1', [fixtureRfc({ number: 1, updatedAt: 40 }), fixtureRfc({ number: 3 })]));
    assert.deepEqual(Object.keys(s.rfcs).sort(), ['team1:1', 'team1:3', 'team2:2']);
    assert.equal(s.rfcs['team1:1']!.title, 'newer');
  });

  it('replaces the ideas with a board and records its scope and threshold, keeping newer copies', () => {
    let s = reducer(initialState, a.ideaReceived(idea({ number: 1, updatedAt: 50, title: 'newer' })));
    s = reducer(s, a.ideaReceived(idea({ number: 9, channelId: 'other' })));
    const page = { items: [idea({ number: 1, updatedAt: 40 }), idea({ number: 2, revealed: fixtureRevealed(8, 2), status: 'revealed' })], nextCursor: null, threshold: 6 };
    s = reducer(s, a.boardReceived({ teamId: 'team1', channelId: 'ch1' }, page));
    assert.deepEqual(Object.keys(s.ideas).sort(), ['team1:1', 'team1:2']);
    assert.equal(s.ideas['team1:1']!.title, 'newer');
    assert.equal(s.pickThreshold, 6);
    assert.deepEqual(s.pickScope, { teamId: 'team1', channelId: 'ch1' });
  });

  it("keeps the caller's own score when an event (no viewer) updates the idea in the same round", () => {
    const mine = { myScore: { payoff: 8, cost: 2 }, awaitingMyScore: false };
    let s = reducer(initialState, a.ideaReceived(idea({ updatedAt: 10, viewer: mine })));
    s = reducer(s, a.ideaReceived(idea({ updatedAt: 20, scoredCount: 2, viewer: null })));
    assert.deepEqual(s.ideas['team1:1']!.viewer, mine);
    assert.equal(s.ideas['team1:1']!.scoredCount, 2);
    s = reducer(s, a.ideaReceived(idea({ updatedAt: 30, round: 2, viewer: null })));
    assert.equal(s.ideas['team1:1']!.viewer, null, 'a new round drops the old score');
  });

  it('stops waiting for my score once an event says the idea is no longer open', () => {
    let s = reducer(initialState, a.ideaReceived(idea({ updatedAt: 10, viewer: { myScore: null, awaitingMyScore: true } })));
    s = reducer(s, a.ideaReceived(idea({ updatedAt: 20, status: 'archived', viewer: null })));
    assert.deepEqual(s.ideas['team1:1']!.viewer, { myScore: null, awaitingMyScore: false });
  });

  it('keys guilds and agendas by team and slug, so equal slugs of two teams never collide', () => {
    let s = reducer(initialState, a.guildsReceived('t1', [fixtureGuild({ teamId: 't1', name: 'one' })]));
    s = reducer(s, a.guildsReceived('t2', [fixtureGuild({ teamId: 't2', name: 'two' })]));
    assert.deepEqual(Object.keys(s.guilds).sort(), ['t1:infrastructure-guild', 't2:infrastructure-guild']);
    s = reducer(s, a.agendaReceived(fixtureAgenda({ teamId: 't2' })));
    assert.deepEqual(Object.keys(s.agendas), ['t2:infrastructure-guild']);
  });

  it('drops a deleted guild and its agenda when the list is fetched again (a delete sends no event)', () => {
    let s = reducer(initialState, a.guildsReceived('t1', [fixtureGuild({ teamId: 't1', slug: 'keep' }), fixtureGuild({ teamId: 't1', slug: 'infrastructure-guild' })]));
    s = reducer(s, a.agendaReceived(fixtureAgenda({ teamId: 't1' })));
    s = reducer(s, a.guildsReceived('t1', [fixtureGuild({ teamId: 't1', slug: 'keep' })]));
    assert.deepEqual(Object.keys(s.guilds), ['t1:keep']);
    assert.deepEqual(s.agendas, {});
  });

  it("keeps the runs list's summaries apart from whole runs, and drops a whole run the list no longer has", () => {
    const whole = (number: number, teamId = 'team1') => fixtureRun({ number, teamId });
    const summary = (number: number, teamId = 'team1') => {
      const { checklists: _checklists, ...rest } = whole(number, teamId);
      return rest;
    };
    let s = reducer(initialState, a.runsReceived('team1', [summary(1), summary(2)]));
    assert.deepEqual(s.runDetails, {}, 'a summary is not a whole run');
    s = reducer(s, a.runReceived(whole(2)));
    s = reducer(s, a.runReceived(whole(3, 'team2')));
    assert.equal(s.runDetails['team1:2']!.checklists.length, whole(2).checklists.length);
    assert.equal(s.runs['team1:2'], s.runDetails['team1:2'], 'the list shows the newer whole run');
    s = reducer(s, a.runsReceived('team1', [summary(1)]));
    assert.deepEqual(Object.keys(s.runDetails), ['team2:3'], "run 2 left team1's list; team2's run stays");
    assert.deepEqual(Object.keys(s.runs).sort(), ['team1:1', 'team2:3']);
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
