import type { Props } from '../../plugin/model/types';
import type { ProductContext } from './context';

export interface BotPost {
  channelId: string;
  message: string;
  /** Thread root, or null for a new thread. */
  rootId?: string | null;
  props?: Props;
}

/**
 * Posts as the plugin's bot; returns the post id, or null when it could not be posted. Best
 * effort on purpose: a notice about a change (an RFC decided, an idea revealed) is logged when
 * the channel refuses it, and must not turn the change it reports into an error.
 */
export async function postAsBot(ctx: Pick<ProductContext, 'api' | 'botUserId' | 'log'>, post: BotPost, what: string): Promise<string | null> {
  try {
    const created = await ctx.api.createPost({ ChannelId: post.channelId, RootId: post.rootId ?? '', UserId: ctx.botUserId, Message: post.message, Props: post.props });
    return created.Id ?? null;
  } catch (err) {
    ctx.log.warn(`${what} not posted`, { channelId: post.channelId, error: err instanceof Error ? err.message : String(err) });
    return null;
  }
}
