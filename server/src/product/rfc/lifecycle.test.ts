import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RFC_ACTIONS, RFC_RULES, RFC_STATUSES, type RfcRole, refusal } from './lifecycle';

const as = (...roles: RfcRole[]): Set<RfcRole> => new Set(roles);

test('the lifecycle table is closed: every action names known states and someone who may act', () => {
  for (const action of RFC_ACTIONS) {
    const rule = RFC_RULES[action];
    assert.ok(rule.from.length > 0 && rule.who.length > 0, action);
    for (const s of rule.from) assert.ok(RFC_STATUSES.includes(s), `${action} from ${s}`);
    if (rule.to) assert.ok(RFC_STATUSES.includes(rule.to), `${action} to ${rule.to}`);
  }
  // Terminal states: nothing leads out of them except supersede/reviewed from accepted.
  for (const terminal of ['rejected', 'withdrawn', 'superseded'] as const) {
    assert.deepEqual(RFC_ACTIONS.filter((a) => RFC_RULES[a].from.includes(terminal)), [], terminal);
  }
  assert.deepEqual(RFC_RULES.accept.guards, ['noOpenConcerns', 'signedOffOrPeriodOver']);
});

test('refusals name what is missing: state or role', () => {
  assert.equal(refusal('accept', 'in_review', as('member', 'owner')), null);
  assert.match(refusal('accept', 'draft', as('owner'))!, /while it is Draft; that needs In review/);
  assert.match(refusal('accept', 'in_review', as('member', 'reviewer'))!, /Only the owner or an approver/);
  assert.match(refusal('withdraw', 'draft', as('member', 'approver'))!, /Only the owner may withdraw/);
  assert.equal(refusal('approve', 'in_review', as('member', 'reviewer')), null);
  assert.match(refusal('approve', 'in_review', as('member', 'owner'))!, /Only a reviewer may sign off/);
  assert.equal(refusal('concern', 'draft', as('member')), null);
  assert.match(refusal('concern', 'accepted', as('member'))!, /while it is Accepted/);
  assert.equal(refusal('resolve', 'in_review', as('member', 'raiser')), null);
  assert.equal(refusal('supersede', 'accepted', as('approver')), null);
  assert.match(refusal('supersede', 'draft', as('owner'))!, /needs Accepted/);
});
