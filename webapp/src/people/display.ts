// How the host shows people and times, read from the same state and preferences the web client
// reads: the teammate-name-display setting (the user's preference unless the admin locked it), the
// user's Mattermost timezone and the 12/24-hour clock preference. Written out rather than
// imported: mattermost-redux's preference selectors and user utils pull ~55 KB of constants and
// i18n into the bundle for these few rules. display.test.ts pins them to the host's behaviour.
import type { GlobalState } from '@mattermost/types/store';
import type { UserProfile } from '@mattermost/types/users';

/** The preference categories and names the web client stores these settings under. */
export const DISPLAY_SETTINGS = 'display_settings';
export const NAME_FORMAT = 'name_format';
export const MILITARY_TIME = 'use_military_time';


function preference(state: GlobalState, category: string, name: string): string | undefined {
  return state.entities.preferences?.myPreferences?.[`${category}--${name}`]?.value;
}

/**
 * As the host's getTeammateNameDisplaySetting: the user's choice unless a licensed admin locked it,
 * else the config's. Values: 'username' (the default), 'nickname_full_name', 'full_name'.
 */
export function nameDisplaySetting(state: GlobalState): string {
  const config = state.entities.general.config;
  const license = state.entities.general.license as Record<string, string> | undefined;
  const locked = license?.LockTeammateNameDisplay === 'true' && config.LockTeammateNameDisplay === 'true';
  const mine = preference(state, DISPLAY_SETTINGS, NAME_FORMAT);
  if (mine !== undefined && !locked) return mine;
  return config.TeammateNameDisplay || 'username';
}

const fullName = (u: Pick<UserProfile, 'first_name' | 'last_name'>): string => [u.first_name, u.last_name].filter(Boolean).join(' ');

/**
 * As the host's displayUsername: nickname (else full name), full name, or the username; the
 * username whenever the chosen form is empty. Usernames keep their "@" so they read as mentions.
 */
export function displayName(user: Pick<UserProfile, 'username' | 'nickname' | 'first_name' | 'last_name'>, setting: string): string {
  let name = '';
  if (setting === 'nickname_full_name') name = user.nickname || fullName(user);
  else if (setting === 'full_name') name = fullName(user);
  return name.trim() ? name : `@${user.username}`;
}

/** As the host's getUserCurrentTimezone: the automatic zone or the manual one; UTC when unset. */
export function userTimeZone(state: GlobalState): string {
  const me = state.entities.users.profiles[state.entities.users.currentUserId];
  const tz = me?.timezone as { useAutomaticTimezone?: string | boolean; automaticTimezone?: string; manualTimezone?: string } | undefined;
  if (!tz) return 'UTC';
  const automatic = tz.useAutomaticTimezone === true || tz.useAutomaticTimezone === 'true';
  return (automatic ? tz.automaticTimezone : tz.manualTimezone) || 'UTC';
}

/** The "Clock display" preference: 24-hour when 'true'; the host's default is 12-hour. */
export const uses24HourClock = (state: GlobalState): boolean => preference(state, DISPLAY_SETTINGS, MILITARY_TIME) === 'true';

export interface TimeFormat {
  timeZone: string;
  hour12: boolean;
}

/** A zone the browser does not know (an old tz name) falls back to UTC rather than failing. */
function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** "Mon 2 Mar, 14:05" or "Mon 2 Mar, 2:05 PM" in the user's zone and clock. */
export function dateTime(at: number, format: TimeFormat): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: format.hour12 ? 'numeric' : '2-digit',
    minute: '2-digit',
    hour12: format.hour12,
    timeZone: safeZone(format.timeZone),
  })
    .format(new Date(at))
    .replace(/\b(?:am|pm)\b/, (m) => m.toUpperCase());
}
