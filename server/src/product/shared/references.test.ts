// The one reference grammar (issue 14): every form people type for INC, RFC and IDEA, one display
// style for all three, and linear time on hostile input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as contract from '../contract';
import { afterWords, textAfter, formatReference, ideaReference, incidentReference, leadingReference, parseReference, REFERENCE_KINDS, referenceKindOf, rfcReference } from './references';

test('one display style for the three kinds: the prefix and three digits at least', () => {
  assert.deepEqual(
    REFERENCE_KINDS.map((k) => [formatReference(k, 7), formatReference(k, 42), formatReference(k, 1234)]),
    [
      ['INC-007', 'INC-042', 'INC-1234'],
      ['RFC-007', 'RFC-042', 'RFC-1234'],
      ['IDEA-007', 'IDEA-042', 'IDEA-1234'],
    ],
  );
  // The server's names are the contract's (the webapp shows the same).
  for (const n of [1, 7, 99, 1234]) {
    assert.equal(incidentReference(n), contract.incidentReference(n));
    assert.equal(rfcReference(n), contract.rfcReference(n));
    assert.equal(ideaReference(n), contract.ideaReference(n));
  }
});

test('every form of every kind reads as its number', () => {
  for (const [kind, word] of [['INC', 'inc'], ['RFC', 'rfc'], ['IDEA', 'idea']] as const) {
    const upper = word.toUpperCase();
    const forms = [`${upper}-1`, `${upper}-001`, `${word}-1`, `${upper}1`, `${word}001`, `${word} 1`, `${upper} 001`, `${word} #1`, `${word} ${upper}-1`, '#1', '#001', '1', '0001', ` ${upper}-1 `];
    for (const form of forms) assert.equal(parseReference(kind, form), 1, `${kind}: ${JSON.stringify(form)}`);
    assert.equal(parseReference(kind, `${upper}-16`), 16);
    assert.equal(parseReference(kind, `${upper}–16`), 16, 'an en dash from smart punctuation');
    assert.equal(parseReference(kind, `${word}\t16`), 16, 'any white space between the two words');
  }
});

test('what is not a reference of the kind', () => {
  const refused = ['', ' ', 'rfc', 'RFC-', 'rfc--1', '#rfc-1', '##1', 'RFC#1', '1a', 'RFC-1a', '0', 'RFC-0', '#0', 'rfc 0', '-1', '1.5', '１', '1234567890', 'RFC-0000000000001', 'rfc 1 2', 'rfc rfc 1', 'rfcs 1', 'ref-1', 'IDEA-1', 'INC-1', 'idea 1', 'rfc IDEA-1'];
  for (const text of refused) assert.equal(parseReference('RFC', text), null, JSON.stringify(text));
  assert.equal(parseReference('RFC', '000000000001'), 1, 'leading zeros do not count as digits of the number');
  assert.equal(parseReference('RFC', '999999999'), 999_999_999);
  assert.equal(parseReference('RFC', '#7', { explicitOnly: true }), null);
  assert.equal(parseReference('RFC', '7', { explicitOnly: true }), null);
  assert.equal(parseReference('RFC', 'rfc 7', { explicitOnly: true }), 7);
});

test('another kind is recognised, for an answer that says what it is', () => {
  assert.equal(referenceKindOf('INC-3'), 'INC');
  assert.equal(referenceKindOf('inc 3'), 'INC');
  assert.equal(referenceKindOf('idea7'), 'IDEA');
  assert.equal(referenceKindOf('RFC-001'), 'RFC');
  assert.equal(referenceKindOf('7'), null, 'a bare number names no kind');
  assert.equal(referenceKindOf('hello'), null);
});

test('a reference at the start of words, and the free text after it as typed', () => {
  assert.deepEqual(leadingReference('RFC', ['RFC-7', 'Needs', 'work']), { number: 7, used: 1 });
  assert.deepEqual(leadingReference('RFC', ['rfc', '7', 'Needs', 'work']), { number: 7, used: 2 });
  assert.deepEqual(leadingReference('RFC', ['7', '8']), { number: 7, used: 1 });
  assert.equal(leadingReference('RFC', ['rfc', 'is', 'great']), null);
  assert.equal(leadingReference('RFC', ['INC-7', 'x']), null);
  assert.equal(leadingReference('INC', ['3', 'pods', 'restarted'], { explicitOnly: true }), null);
  assert.equal(leadingReference('INC', ['#2', 'is', 'down'], { explicitOnly: true }), null);
  assert.deepEqual(leadingReference('INC', ['inc', '2', 'is', 'down'], { explicitOnly: true }), { number: 2, used: 2 });
  assert.equal(leadingReference('IDEA', []), null);

  assert.equal(afterWords("rfc 7   We're   not sure — “really”", 2), "We're   not sure — “really”");
  assert.equal(afterWords('  7\tKeep\nlines', 1), 'Keep\nlines');
  assert.equal(afterWords('7', 1), '');
  assert.equal(afterWords('', 2), '');
  assert.equal(textAfter('rfc 7 "It\'s not ready"', 2), "It's not ready", 'one quoted group loses its quotes');
  assert.equal(textAfter('7 "v2" is out', 1), '"v2" is out');
  assert.equal(textAfter("7 'unclosed", 1), "'unclosed");
});

test('linear on hostile input: a million digits, a million letters, a million words', () => {
  const zeros = '0'.repeat(1_000_000);
  const hostile = [`${zeros}x`, `rfc-${zeros}1`, `#${zeros}`, 'r'.repeat(1_000_000), `rfc ${'1 '.repeat(500_000)}`, `${' '.repeat(1_000_000)}1`];
  const started = performance.now();
  for (const text of hostile) {
    assert.equal(parseReference('RFC', text), null);
    referenceKindOf(text);
    leadingReference('RFC', text.split(' ', 3));
    afterWords(text, 2);
  }
  const took = performance.now() - started;
  assert.ok(took < 200, `took ${took} ms`);
});
