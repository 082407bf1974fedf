/**
 * User text that the bot relays (titles, status updates, concerns, notes, agenda items) must not
 * fire mentions the user could not fire themselves. Channel-wide mentions need
 * `use_channel_mentions` in the target channel; timed jobs have no actor, so they never fire one.
 * A word joiner (U+2060) after the `@` keeps the text readable and stops Mattermost matching it.
 */

const WORD_JOINER = '\u2060';
// `@` at a word start followed by one of the channel-wide keywords and then a non-name character.
const CHANNEL_WIDE = /(^|[^\w@])@(channel|all|here)(?![\w.-])/giu;
const ANY_MENTION = /(^|[^\w@])@(?=[\p{L}\p{N}_])/gu;

/** Neutralises @channel, @all and @here. */
export function withoutChannelMentions(text: string): string {
  return text.replace(CHANNEL_WIDE, `$1@${WORD_JOINER}$2`);
}

/** Neutralises every @mention (for text the bot posts where no user stands behind it). */
export function withoutMentions(text: string): string {
  return text.replace(ANY_MENTION, `$1@${WORD_JOINER}`);
}

/** Props for bot posts carrying user text: Mattermost then also skips channel-wide highlights. */
export const RELAYED_TEXT_PROPS = { mentionHighlightDisabled: true } as const;
