import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSettings } from './settings';

test('settings are parsed once, with defaults for bad values', () => {
  assert.deepEqual(parseSettings({ rfcapprovers: '@Carol, root;; bob  @Carol', rfccommentperioddays: '3' }), { approvers: ['carol', 'root', 'bob'], commentPeriodDays: 3 });
  assert.deepEqual(parseSettings({ rfcapprovers: 42, rfccommentperioddays: 'soon' }), { approvers: [], commentPeriodDays: 7 });
  assert.equal(parseSettings({ rfccommentperioddays: 91 }).commentPeriodDays, 7);
  assert.deepEqual(parseSettings({ rfcapprovers: 'ok bad!name @' }).approvers, ['ok'], 'only names Mattermost could have');
});
