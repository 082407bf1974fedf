import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slashCommandHook, slashIntent } from './slash_commands';

describe('slashIntent', () => {
  for (const [message, kind] of [
    ['/pick board', 'open-pick-board'],
    ['  /PICK   Board  ', 'open-pick-board'],
    ['/pick board extra', 'open-pick-board'],
    ['/incident declare', 'open-declare-form'],
    ['/incident declare   ', 'open-declare-form'],
    ['/incident declare DB is down', 'pass'],
    ['/incident status all good', 'pass'],
    ['/pick add board games', 'pass'],
    ['/rfc list', 'pass'],
    ['', 'pass'],
  ] as const) {
    it(`${JSON.stringify(message)} → ${kind}`, () => assert.equal(slashIntent(message).kind, kind));
  }
});

describe('slashCommandHook', () => {
  const args = { channel_id: 'c', team_id: 't' };
  it('opens the chart and still sends /pick board to the server', () => {
    const opened: string[] = [];
    const hook = slashCommandHook({ openPickBoard: () => opened.push('pick'), openDeclareForm: () => opened.push('declare') });
    assert.deepEqual(hook('/pick board', args), { message: '/pick board', args });
    assert.deepEqual(opened, ['pick']);
  });
  it('opens the form instead of sending /incident declare without a title', () => {
    const opened: string[] = [];
    const hook = slashCommandHook({ openPickBoard: () => opened.push('pick'), openDeclareForm: () => opened.push('declare') });
    assert.deepEqual(hook('/incident declare', args), {});
    assert.deepEqual(opened, ['declare']);
  });
  it('passes every other command through unchanged', () => {
    const hook = slashCommandHook({ openPickBoard: () => assert.fail(), openDeclareForm: () => assert.fail() });
    assert.deepEqual(hook('/incident declare Outage', args), { message: '/incident declare Outage', args });
  });
});
