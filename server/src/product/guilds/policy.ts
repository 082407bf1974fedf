/**
 * Who may do what with a guild, as data; shared/access/policy.ts enforces it. Every action first
 * requires seeing the guild:
 * - a guild with a channel: whoever may read that channel now (its members; for an open channel
 *   also the team's full members, not guests);
 * - a guild without a channel: the team's full members (not guests) and system admins.
 * Nobody outside the team sees anything, and "no such guild" and "a guild you can't see" read the same.
 *
 * Writing on a guild with a channel (queueing, notes, closing) needs `create_post` there too: that
 * text is relayed by the bot into the channel (agendas, the meeting summary), so someone who may
 * only read a moderated channel cannot post into it through the bot. Without a channel nothing is
 * posted, so seeing the guild is enough.
 */
import { FeaturePolicy, type Holders, type RuleTable, type Scope } from '../shared/access/policy';
import { GUILD_ROLE_WORDS, GUILD_TEXT } from './messages';
import type { Guild, GuildCopy } from './records';

/** creator: made the guild · facilitator: listed in its facilitators · author: queued the item or wrote the note in question. */
export type GuildRole = 'creator' | 'facilitator' | 'author';

export type GuildAction = 'view' | 'create' | 'edit' | 'delete' | 'queue' | 'note' | 'unqueue' | 'unnote' | 'close' | 'holidays';

export const GUILD_RULES: RuleTable<GuildAction, GuildRole> = {
  view: { who: ['anyone'] },
  /** A new guild is the team's; guests (who only see their own channels) may not add one. */
  create: { who: ['team_member'] },
  edit: { who: ['creator', 'facilitator', 'team_admin', 'system_admin'] },
  delete: { who: ['creator', 'team_admin', 'system_admin'] },
  queue: { who: ['anyone'], writesToChannel: true },
  note: { who: ['anyone'], writesToChannel: true },
  /** The creator may close meetings, which removes items anyway, so removing one is theirs too. */
  unqueue: { who: ['author', 'creator', 'facilitator', 'team_admin', 'system_admin'] },
  /** A note of the current meeting: whoever wrote it, or whoever runs the meetings (before the close posts it). */
  unnote: { who: ['author', 'creator', 'facilitator', 'team_admin', 'system_admin'] },
  close: { who: ['creator', 'facilitator', 'team_admin', 'system_admin'], writesToChannel: true },
  /** The team's holiday list (every guild of the team skips those days): team-wide, so its admins. */
  holidays: { who: ['team_admin', 'system_admin'] },
};

export const guildPolicy = new FeaturePolicy(GUILD_RULES, { notFound: GUILD_TEXT.noGuild, roles: GUILD_ROLE_WORDS });

/** The guild's scope: its team, and its channel when it has one (visibility is then the channel's, live). */
export const scopeOf = (guild: Pick<Guild, 'teamId' | 'channelId'>): Scope => ({ teamId: guild.teamId, channelId: guild.channelId });

/** `item`: the queued item or note acted on (its author). */
export function holdersOf(guild: GuildCopy, item?: { readonly by: string }): Holders<GuildRole> {
  return { creator: guild.createdBy, facilitator: guild.facilitators, author: item?.by ?? null };
}
