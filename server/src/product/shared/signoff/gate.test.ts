import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addSeats, answer, delegate, evaluate, type Gate, GateRefusal, gateSchema, newGate, override, raiseConcern, resolveConcern, SAME, seatsOf, toRemind } from './gate';

const LIMITS = { seats: 5, concerns: 2, text: 100 };
const T = 1_000;

function gateWith(quorum: Gate['quorum'], users: string[], options: Parameters<typeof newGate>[1] = {}): Gate {
  const g = addSeats(newGate(quorum, options), users.map((userId) => ({ userId })), LIMITS);
  assert.notEqual(g, SAME);
  return g as Gate;
}

function say(g: Gate, user: string, what: 'approve' | 'abstain' | 'hold' | null, groups: string[] = []): Gate {
  const next = answer(g, user, seatsOf(g, user, new Set(groups)), what, T);
  return next === SAME ? g : next;
}

const refused = (code: string) => (err: unknown) => err instanceof GateRefusal && err.code === code;

describe('sign-off engine: quorum', () => {
  it('all: every seat that did not abstain must approve', () => {
    let g = gateWith({ kind: 'all', n: null }, ['a', 'b', 'c']);
    assert.equal(evaluate(g, T).state, 'waiting');
    g = say(say(g, 'a', 'approve'), 'b', 'approve');
    assert.deepEqual([evaluate(g, T).state, evaluate(g, T).approvals, evaluate(g, T).needed], ['waiting', 2, 3]);
    g = say(g, 'c', 'abstain');
    assert.deepEqual([evaluate(g, T).state, evaluate(g, T).needed, evaluate(g, T).counted], ['passed', 2, 2]);
  });

  it('majority: more than half of those counted', () => {
    let g = gateWith({ kind: 'majority', n: null }, ['a', 'b', 'c', 'd']);
    g = say(say(g, 'a', 'approve'), 'b', 'approve');
    assert.equal(evaluate(g, T).state, 'waiting', '2 of 4 is not a majority');
    g = say(g, 'd', 'abstain');
    assert.equal(evaluate(g, T).state, 'passed', '2 of 3 is');
  });

  it('at least N of M, and unreachable once too many abstain', () => {
    let g = gateWith({ kind: 'atLeast', n: 2 }, ['a', 'b', 'c']);
    g = say(g, 'a', 'approve');
    assert.equal(evaluate(g, T).state, 'waiting');
    g = say(say(g, 'b', 'abstain'), 'c', 'abstain');
    assert.equal(evaluate(g, T).unreachable, true);
    g = say(g, 'c', 'approve');
    assert.deepEqual([evaluate(g, T).state, evaluate(g, T).unreachable], ['passed', false]);
  });

  it('a gate with no seats, or with every seat abstaining, never passes by approvals', () => {
    assert.equal(evaluate(newGate({ kind: 'all', n: null }), T).state, 'waiting');
    const g = say(gateWith({ kind: 'all', n: null }, ['a']), 'a', 'abstain');
    assert.deepEqual([evaluate(g, T).state, evaluate(g, T).unreachable], ['waiting', true]);
  });

  it('refuses a quorum without its number, or a number without atLeast', () => {
    assert.throws(() => newGate({ kind: 'atLeast', n: null }), refused('badQuorum'));
    assert.throws(() => newGate({ kind: 'all', n: 2 }), refused('badQuorum'));
  });
});

describe('sign-off engine: what blocks', () => {
  it('an open concern blocks a satisfied quorum until it is resolved', () => {
    let g = say(gateWith({ kind: 'all', n: null }, ['a']), 'a', 'approve');
    const raised = raiseConcern(g, 'z', 'rollback plan?', T, LIMITS);
    g = raised.gate;
    assert.equal(raised.concern.id, 1);
    assert.equal(evaluate(g, T).state, 'blocked');
    g = resolveConcern(g, 1, 'z', 'added', T);
    assert.equal(evaluate(g, T).state, 'passed');
    assert.throws(() => resolveConcern(g, 1, 'z', null, T), refused('concernResolved'));
    assert.throws(() => resolveConcern(g, 9, 'z', null, T), refused('noSuchConcern'));
  });

  it('a hold blocks until that seat answers otherwise', () => {
    let g = gateWith({ kind: 'majority', n: null }, ['a', 'b', 'c']);
    g = say(say(say(g, 'a', 'approve'), 'b', 'approve'), 'c', 'hold');
    assert.equal(evaluate(g, T).state, 'blocked');
    assert.deepEqual(evaluate(g, T).holds.map((s) => s.userId), ['c']);
    g = say(g, 'c', 'abstain');
    assert.equal(evaluate(g, T).state, 'passed');
  });

  it('concerns are bounded', () => {
    let g = newGate({ kind: 'all', n: null });
    g = raiseConcern(g, 'a', 'one', T, LIMITS).gate;
    g = raiseConcern(g, 'a', 'two', T, LIMITS).gate;
    assert.throws(() => raiseConcern(g, 'a', 'three', T, LIMITS), refused('tooManyConcerns'));
  });
});

describe('sign-off engine: seats, groups and delegation', () => {
  it('a group seat is answered by any one member; others are not seats', () => {
    let g = addSeats(newGate({ kind: 'all', n: null }), [{ userId: 'rm' }, { groupId: 'qa' }], LIMITS) as Gate;
    assert.throws(() => answer(g, 'x', seatsOf(g, 'x'), 'approve', T), refused('notASeat'));
    g = say(g, 'tess', 'approve', ['qa']);
    assert.equal(g.seats.find((s) => s.groupId === 'qa')!.answeredBy, 'tess');
    g = say(g, 'rm', 'approve');
    assert.equal(evaluate(g, T).state, 'passed');
  });

  it('the same answer twice changes nothing; null takes it back', () => {
    let g = say(gateWith({ kind: 'all', n: null }, ['a']), 'a', 'approve');
    assert.equal(answer(g, 'a', seatsOf(g, 'a'), 'approve', T + 1), SAME);
    g = say(g, 'a', null);
    assert.deepEqual(toRemind(g).map((s) => s.userId), ['a']);
  });

  it('a delegate answers for the seat; the holder still may; not to the holder', () => {
    let g = gateWith({ kind: 'all', n: null }, ['a', 'b']);
    g = delegate(g, seatsOf(g, 'a'), 'd') as Gate;
    assert.deepEqual(seatsOf(g, 'd').map((s) => s.key), ['u:a']);
    g = say(g, 'd', 'approve');
    assert.equal(g.seats[0]!.answeredBy, 'd');
    assert.throws(() => delegate(g, seatsOf(g, 'b'), 'b'), refused('delegateIsHolder'));
    assert.equal(delegate(g, seatsOf(g, 'a'), 'd'), SAME);
  });

  it('adding seats skips ones already there and keeps the bound', () => {
    const g = gateWith({ kind: 'all', n: null }, ['a', 'b']);
    assert.equal(addSeats(g, [{ userId: 'a' }], LIMITS), SAME);
    assert.throws(() => addSeats(g, ['c', 'd', 'e', 'f'].map((userId) => ({ userId })), LIMITS), refused('tooManySeats'));
  });
});

describe('sign-off engine: deadline and override', () => {
  it('lazy consensus: silence by the deadline passes, a hold or concern still blocks', () => {
    let g = gateWith({ kind: 'all', n: null }, ['a', 'b'], { deadline: T + 10, lazyConsensus: true });
    g = say(g, 'a', 'approve');
    assert.equal(evaluate(g, T).state, 'waiting');
    assert.deepEqual([evaluate(g, T + 10).state, evaluate(g, T + 10).lapsed], ['passed', true]);
    g = say(g, 'b', 'hold');
    assert.equal(evaluate(g, T + 10).state, 'blocked');
  });

  it('without lazy consensus the deadline only reminds', () => {
    const g = gateWith({ kind: 'all', n: null }, ['a'], { deadline: T });
    assert.equal(evaluate(g, T + 1).state, 'waiting');
  });

  it('an override passes a blocked gate on the record, and is refused when nothing blocks', () => {
    let g = raiseConcern(gateWith({ kind: 'all', n: null }, ['a']), 'a', 'no', T, LIMITS).gate;
    g = override(g, 'admin', 'hotfix for an outage', T);
    assert.deepEqual([evaluate(g, T).state, evaluate(g, T).overridden], ['passed', true]);
    const clear = say(gateWith({ kind: 'all', n: null }, ['a']), 'a', 'approve');
    assert.throws(() => override(clear, 'admin', 'why', T), refused('notBlocked'));
  });
});

describe('sign-off engine: stored form', () => {
  it('round-trips through its schema and refuses what exceeds the limits', () => {
    const schema = gateSchema(LIMITS);
    const g = raiseConcern(say(gateWith({ kind: 'atLeast', n: 1 }, ['a']), 'a', 'hold'), 'a', 'x', T, LIMITS).gate;
    assert.deepEqual(schema.parse(JSON.parse(JSON.stringify(g))), g);
    assert.equal(schema.safeParse({ ...g, seats: Array.from({ length: 6 }, () => g.seats[0]) }).success, false);
  });
});
