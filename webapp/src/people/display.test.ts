import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GlobalState } from '@mattermost/types/store';
import { dateTime, displayName, nameDisplaySetting, userTimeZone, uses24HourClock } from './display';

const bob = { username: 'bob', nickname: '', first_name: 'Bob', last_name: 'Builder' };

function state(opts: { prefs?: Record<string, string>; config?: Record<string, string>; license?: Record<string, string>; timezone?: unknown }): GlobalState {
  const myPreferences = Object.fromEntries(Object.entries(opts.prefs ?? {}).map(([k, value]) => [k, { value }]));
  return {
    entities: {
      general: { config: opts.config ?? {}, license: opts.license ?? {} },
      preferences: { myPreferences },
      users: { currentUserId: 'me', profiles: { me: { id: 'me', username: 'me', timezone: opts.timezone } } },
    },
  } as unknown as GlobalState;
}

describe('people display', () => {
  it('names people per the teammate-name-display setting, falling back to the username', () => {
    assert.equal(displayName(bob, 'username'), '@bob');
    assert.equal(displayName(bob, 'full_name'), 'Bob Builder');
    assert.equal(displayName(bob, 'nickname_full_name'), 'Bob Builder', 'no nickname: the full name');
    assert.equal(displayName({ ...bob, nickname: 'Bobby' }, 'nickname_full_name'), 'Bobby');
    assert.equal(displayName({ ...bob, first_name: '', last_name: ' ' }, 'full_name'), '@bob', 'an empty chosen form: the username');
  });

  it('takes the user preference, unless a licensed admin locked the config value', () => {
    assert.equal(nameDisplaySetting(state({})), 'username');
    assert.equal(nameDisplaySetting(state({ config: { TeammateNameDisplay: 'full_name' } })), 'full_name');
    assert.equal(nameDisplaySetting(state({ config: { TeammateNameDisplay: 'full_name' }, prefs: { 'display_settings--name_format': 'nickname_full_name' } })), 'nickname_full_name');
    const locked = { config: { TeammateNameDisplay: 'full_name', LockTeammateNameDisplay: 'true' }, prefs: { 'display_settings--name_format': 'username' } };
    assert.equal(nameDisplaySetting(state({ ...locked, license: { LockTeammateNameDisplay: 'true' } })), 'full_name');
    assert.equal(nameDisplaySetting(state(locked)), 'username', 'the lock needs the licence feature');
  });

  it('reads the user timezone (automatic or manual) and clock preference', () => {
    assert.equal(userTimeZone(state({})), 'UTC');
    assert.equal(userTimeZone(state({ timezone: { useAutomaticTimezone: 'true', automaticTimezone: 'Asia/Tokyo', manualTimezone: 'Europe/Paris' } })), 'Asia/Tokyo');
    assert.equal(userTimeZone(state({ timezone: { useAutomaticTimezone: 'false', automaticTimezone: 'Asia/Tokyo', manualTimezone: 'Europe/Paris' } })), 'Europe/Paris');
    assert.equal(userTimeZone(state({ timezone: { useAutomaticTimezone: 'false', automaticTimezone: 'Asia/Tokyo', manualTimezone: '' } })), 'UTC');
    assert.equal(uses24HourClock(state({})), false, 'the host default is 12-hour');
    assert.equal(uses24HourClock(state({ prefs: { 'display_settings--use_military_time': 'true' } })), true);
  });

  it('formats times in that zone and clock', () => {
    const at = Date.UTC(2027, 2, 29, 13, 5); // Mon 29 Mar 2027 13:05 UTC
    assert.equal(dateTime(at, { timeZone: 'UTC', hour12: false }), 'Mon 29 Mar, 13:05');
    assert.equal(dateTime(at, { timeZone: 'UTC', hour12: true }), 'Mon 29 Mar, 1:05 PM');
    assert.equal(dateTime(at, { timeZone: 'Asia/Tokyo', hour12: false }), 'Mon 29 Mar, 22:05');
    assert.equal(dateTime(at, { timeZone: 'America/New_York', hour12: true }), 'Mon 29 Mar, 9:05 AM');
    assert.equal(dateTime(at, { timeZone: 'Not/AZone', hour12: false }), 'Mon 29 Mar, 13:05', 'an unknown zone: UTC');
  });
});
