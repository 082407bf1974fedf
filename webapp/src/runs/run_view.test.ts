import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureRun } from '../testing/fixtures';
import { countBars, fromLocalInput, gateLine, gatePart, itemActions, mayResolve, minutesText, onTimeText, progressLine, splitUsernames, templateSourceOf, timeBars, toLocalInput } from './run_view';
import type { RunStatsView } from '../contract';

const gateOf = (run = fixtureRun()) => run.checklists[0]!.items[1]!.gate!;

describe('run view', () => {
  it('sums up progress, naming only what is there', () => {
    assert.equal(progressLine(fixtureRun()), '0 of 2 done · 1 open gate');
    assert.equal(progressLine(fixtureRun({ progress: { done: 1, skipped: 1, total: 5, overdue: 2, openGates: 2 } })), '1 of 5 done · 1 skipped · 2 overdue · 2 open gates');
  });

  it('shows a gate with approvals, needed, state, holds and open concerns', () => {
    assert.equal(gateLine(gateOf()), 'Gate waiting: 1/2 approvals (at least 2)');
    const seat = { userId: 'u2', groupId: null, delegate: null, answeredBy: 'u2', answeredAt: 5 };
    const blocked = {
      ...gateOf(),
      quorum: { kind: 'majority' as const, n: null },
      state: 'blocked' as const,
      seats: [{ ...seat, answer: 'hold' as const }, { ...seat, answer: 'approve' as const }],
      concerns: [
        { id: 1, text: 'no rollback plan', raisedBy: 'u3', raisedAt: 6, resolvedBy: null, resolvedAt: null },
        { id: 2, text: 'fixed', raisedBy: 'u3', raisedAt: 6, resolvedBy: 'u1', resolvedAt: 7 },
      ],
    };
    assert.equal(gateLine(blocked), 'Gate blocked: 1/2 approvals (a majority) · 1 hold · 1 open concern');
  });

  it('offers check and skip on an open item, reopen on a closed one, nothing on an approval item', () => {
    assert.deepEqual(itemActions({ state: 'open', gate: null }), ['check', 'skip']);
    assert.deepEqual(itemActions({ state: 'done', gate: null }), ['uncheck']);
    assert.deepEqual(itemActions({ state: 'skipped', gate: null }), ['uncheck']);
    assert.deepEqual(itemActions({ state: 'open', gate: gateOf() }), []);
    assert.deepEqual(itemActions({ state: 'done', gate: gateOf() }), []);
  });

  it("knows the user's part in a gate: their own seat, a delegated one, a group seat; only a holder delegates", () => {
    const seat = (over: object) => ({ userId: null, groupId: null, delegate: null, answer: null, answeredBy: null, answeredAt: null, ...over });
    const gate = { ...gateOf(), seats: [seat({ userId: 'me', answer: 'hold' }), seat({ userId: 'bob', delegate: 'dan' })] };
    assert.deepEqual(gatePart(gate, 'me'), { seat: gate.seats[0], mayAnswer: true, mayDelegate: true });
    assert.deepEqual(gatePart(gate, 'dan'), { seat: gate.seats[1], mayAnswer: true, mayDelegate: false });
    assert.deepEqual(gatePart(gate, 'eve'), { seat: null, mayAnswer: false, mayDelegate: false });
    assert.equal(gatePart({ ...gate, seats: [seat({ groupId: 'qa' })] }, 'eve').mayAnswer, true, 'group membership is the server\'s to check');
    const concern = { id: 1, text: 't', raisedBy: 'carol', raisedAt: 1, resolvedBy: null, resolvedAt: null };
    assert.equal(mayResolve(concern, 'carol', 'bob', false), true);
    assert.equal(mayResolve(concern, 'bob', 'bob', false), true);
    assert.equal(mayResolve(concern, 'eve', 'bob', true), true);
    assert.equal(mayResolve(concern, 'eve', 'bob', false), false);
  });

  it('reads usernames, due times and the kind of a template file', () => {
    assert.deepEqual(splitUsernames(' @bob, carol  @dave,'), ['@bob', 'carol', '@dave']);
    // In the user's Mattermost zone, whatever the browser's: 14:30 in Tokyo is 05:30 UTC.
    const at = Date.UTC(2027, 0, 5, 5, 30);
    assert.equal(toLocalInput(at, 'Asia/Tokyo'), '2027-01-05T14:30');
    assert.equal(fromLocalInput('2027-01-05T14:30', 'Asia/Tokyo'), at);
    assert.equal(toLocalInput(at, 'UTC'), '2027-01-05T05:30');
    assert.equal(fromLocalInput('2027-07-01T14:00', 'Europe/Berlin'), Date.UTC(2027, 6, 1, 12), 'summer time');
    assert.equal(fromLocalInput('2027-03-28T02:30', 'Europe/Berlin'), Date.UTC(2027, 2, 28, 1, 30), 'a wall time in the spring gap moves forward, as /run due reads it');
    assert.equal(fromLocalInput('', 'UTC'), null);
    assert.equal(fromLocalInput('tomorrow', 'UTC'), null);
    assert.equal(fromLocalInput('2027-02-30T10:00', 'UTC'), null);
    assert.equal(fromLocalInput('2027-13-01T10:00', 'UTC'), null, 'month 13 is not January');
    assert.equal(templateSourceOf(JSON.stringify({ format: 'infra-ops.template', version: 1, template: {} })), 'infra-ops');
    assert.equal(templateSourceOf(JSON.stringify({ title: 'Incident', checklists: [] })), 'playbooks');
    assert.equal(templateSourceOf('not json'), 'playbooks');
  });

  it('lays out the stats chart: counts on one scale, median times on another, absent figures left out', () => {
    const s = (over: Partial<RunStatsView>): RunStatsView => ({ template: 'T', kind: 'release', started: 0, finished: 0, medianDuration: null, medianFirstAction: null, medianApproval: null, onTime: { kept: 0, of: 0 }, ...over });
    const stats = [s({ template: 'Release', started: 4, finished: 2, medianDuration: 120, medianApproval: 30 }), s({ template: 'SEV1', kind: 'incident', started: 1, finished: 1, medianFirstAction: 6, medianDuration: 60, onTime: { kept: 3, of: 4 } })];
    assert.deepEqual(countBars(stats).map((r) => [r.template, r.started.share, r.finished.share, r.finished.label]), [['Release', 1, 0.5, '2 finished'], ['SEV1', 0.25, 0.25, '1 finished']]);
    const times = timeBars(stats);
    assert.deepEqual(times[0]!.bars.map((b) => [b.label, b.share]), [['to finish 2h', 1], ['in approval 30m', 0.25]]);
    assert.deepEqual(times[1]!.bars.map((b) => b.label), ['MTTA 6m', 'MTTR 1h'], 'an incident template says MTTA and MTTR');
    assert.deepEqual(countBars([]), []);
    assert.equal(minutesText(null), '—');
    assert.equal(onTimeText(stats[1]!), '3 of 4 (75%)');
    assert.equal(onTimeText(stats[0]!), '—');
  });
});
