import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureRun } from '../testing/fixtures';
import { gateCommands, gateLine, itemActions, progressLine } from './run_view';

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
    assert.equal(gateCommands({ ref: '1.2' }), '/run approve 1.2 · /run hold 1.2 · /run concern 1.2 <text>');
  });

  it('offers check and skip on an open item, reopen on a closed one, nothing on an approval item', () => {
    assert.deepEqual(itemActions({ state: 'open', gate: null }), ['check', 'skip']);
    assert.deepEqual(itemActions({ state: 'done', gate: null }), ['uncheck']);
    assert.deepEqual(itemActions({ state: 'skipped', gate: null }), ['uncheck']);
    assert.deepEqual(itemActions({ state: 'open', gate: gateOf() }), []);
    assert.deepEqual(itemActions({ state: 'done', gate: gateOf() }), []);
  });
});
