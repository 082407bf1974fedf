/**
 * The team calendar's public feed URL. It is outside API_BASE and outside the JSON convention
 * (contract/api.ts): calendar apps fetch it without a Mattermost session, so the secret token in
 * the path is the only credential, and it answers `text/calendar`, or 404 for any token that is
 * unknown, revoked or whose owner may no longer read the team.
 */
import { PLUGIN_ID } from './api';

/** Mounted on the plugin's root router: `/plugins/infra-ops/calendar/<token>.ics`. */
export const CALENDAR_ROUTE = '/calendar/:file';

/** 32 random bytes, base64url. */
export const CALENDAR_TOKEN_PATTERN = /^[\w-]{43}$/;

export const FEED_KINDS = ['team', 'me'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export const calendarFeedPath = (token: string): string => `/plugins/${PLUGIN_ID}/calendar/${token}.ics`;
