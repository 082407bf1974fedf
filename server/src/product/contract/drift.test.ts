// Until every feature imports its constants from the contract, the copies still declared elsewhere
// must equal the contract's. When one switches to the contract's constant, delete its line here
// (incidents, PICK's quadrants and the RFC status labels already have).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STATUS_LABEL } from '../rfc/lifecycle';
import { ideaReference, rfcReference } from '../shared/references';
import * as contract from './index';

describe('constants declared outside the contract equal it', () => {
  it('RFC status labels', () => {
    assert.deepEqual(STATUS_LABEL, contract.RFC_STATUS_LABELS);
  });

  it('references', () => {
    for (const n of [1, 7, 1234]) {
      assert.equal(rfcReference(n), contract.rfcReference(n));
      assert.equal(ideaReference(n), contract.ideaReference(n));
    }
  });
});
