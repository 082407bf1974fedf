import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../shared/signoff/gate';
import { rfcSchema } from './records';
import { missingSignoffs, openConcerns, reviewers } from './views';

/** An RFC as version 1 stored it: reviewers and concerns apart, before reviews moved onto the sign-off engine. */
const V1 = {
  v: 1,
  teamId: 't1',
  number: 7,
  title: 'Move to Postgres 17',
  docUrl: null,
  ownerId: 'owner',
  status: 'in_review',
  createdAt: 1,
  updatedAt: 2,
  ordinal: 0,
  channelId: 'c1',
  rootPostId: null,
  reviewers: [
    { userId: 'alice', signedOffAt: 5 },
    { userId: 'bob', signedOffAt: null },
  ],
  commentPeriod: { startedAt: 3, endsAt: 100 },
  concerns: [{ id: 1, text: 'backup window?', raisedBy: 'carol', raisedAt: 4, resolvedBy: null, resolvedAt: null, resolution: null }],
  outcome: null,
  supersededBy: null,
  supersedes: [],
  lastReviewedAt: null,
  ideaNumber: null,
  history: [{ at: 1, by: 'owner', action: 'new', note: null }],
};

describe('RFC records: version 1 read onto the review gate', () => {
  it('keeps every reviewer, sign-off and concern, with the comment period as the deadline', () => {
    const rfc = rfcSchema.parse(V1);
    assert.equal(rfc.v, 2);
    assert.deepEqual(reviewers(rfc), [
      { userId: 'alice', signedOffAt: 5, answer: 'approve', delegate: null },
      { userId: 'bob', signedOffAt: null, answer: null, delegate: null },
    ]);
    assert.deepEqual(missingSignoffs(rfc), ['bob']);
    assert.deepEqual(openConcerns(rfc).map((c) => c.text), ['backup window?']);
    assert.deepEqual([rfc.review.quorum.kind, rfc.review.lazyConsensus, rfc.review.deadline], ['all', true, 100]);
  });

  it('judges acceptance as before: blocked by the concern; without it, waiting until the period ends', () => {
    const rfc = rfcSchema.parse(V1);
    assert.equal(evaluate(rfc.review, 50).state, 'blocked');
    const resolved = { ...rfc.review, concerns: rfc.review.concerns.map((c) => ({ ...c, resolvedAt: 60, resolvedBy: 'carol' })) };
    assert.equal(evaluate(resolved, 60).state, 'waiting');
    assert.equal(evaluate(resolved, 100).state, 'passed');
  });

  it('writes version 2, which reads back unchanged', () => {
    const rfc = rfcSchema.parse(V1);
    assert.deepEqual(rfcSchema.parse(JSON.parse(JSON.stringify(rfc))), rfc);
  });

  it('refuses a record of either version that breaks its limits', () => {
    assert.equal(rfcSchema.safeParse({ ...V1, reviewers: Array.from({ length: 51 }, (_, i) => ({ userId: `u${i}`, signedOffAt: null })) }).success, false);
    assert.equal(rfcSchema.safeParse({ ...rfcSchema.parse(V1), review: { ...rfcSchema.parse(V1).review, quorum: { kind: 'some' } } }).success, false);
  });
});
