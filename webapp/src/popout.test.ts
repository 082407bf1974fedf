import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Action } from 'redux';
import { openIncident, selectRhsTab } from './actions';
import { POPOUT_STATE, POPOUT_STATE_REQUEST, answerPopout, followOpener, type HostPopouts, type PopoutState } from './popout';

/** Two ends of the host's popout channel, wired to each other. */
function channel(current: PopoutState) {
  let toOpener: ((c: string, ...a: unknown[]) => void) | undefined;
  let toPopout: ((c: string, ...a: unknown[]) => void) | undefined;
  answerPopout({ onMessageFromPopout: (l) => (toOpener = l), sendToPopout: (c, ...a) => toPopout?.(c, ...a) }, () => current);
  const popouts: HostPopouts = { isPopoutWindow: () => true, sendToParent: (c, ...a) => toOpener?.(c, ...a), onMessageFromParent: (l) => (toPopout = l) };
  return popouts;
}

describe('popout', () => {
  it('opens the popped-out sidebar on the tab and incident the opener had open', () => {
    const dispatched: Action[] = [];
    const incident = { id: 'i1', teamId: 't', number: 42 };
    followOpener(channel({ tab: 'incidents', incident }), ((a: Action) => dispatched.push(a)) as never);
    assert.deepEqual(dispatched, [selectRhsTab('incidents'), openIncident(incident)]);
    const more: Action[] = [];
    followOpener(channel({ tab: 'guilds', incident: null }), ((a: Action) => more.push(a)) as never);
    assert.deepEqual(more, [selectRhsTab('guilds')]);
  });

  it('does nothing outside a popout and ignores messages it does not know', () => {
    const dispatched: Action[] = [];
    const dispatch = ((a: Action) => dispatched.push(a)) as never;
    followOpener(undefined, dispatch);
    followOpener({ isPopoutWindow: () => false, sendToParent: () => assert.fail('no request outside a popout'), onMessageFromParent: () => undefined }, dispatch);
    let listener: ((c: string, ...a: unknown[]) => void) | undefined;
    followOpener({ isPopoutWindow: () => true, sendToParent: () => undefined, onMessageFromParent: (l) => (listener = l) }, dispatch);
    listener?.('someone-else', { tab: 'pick' });
    listener?.(POPOUT_STATE, { tab: 'nope' });
    listener?.(POPOUT_STATE, null);
    assert.deepEqual(dispatched, []);
    assert.equal(POPOUT_STATE_REQUEST.startsWith('infra-ops'), true);
  });
});
