import type { Access } from '../shared/access/policy';
import type { ProductContext } from '../shared/context';
import { postAsBot, postOnce } from '../shared/posts';
import { RELAYED_TEXT_PROPS } from '../shared/text/mentions';
import type { Rfc } from './records';

/**
 * The RFC's discussion thread in its channel: the root post (kept saying the current status) and
 * the bot's notices in it. Posting is best effort: a notice that cannot be posted is logged and
 * never turns the change it reports into an error. Whether the actor may make the bot post here
 * is decided before (policy.ts, `writesToChannel`); this only checks that the channel is still
 * the RFC's team's and open for posts.
 */
export class RfcThread {
  constructor(private readonly ctx: Pick<ProductContext, 'api' | 'kv' | 'botUserId' | 'log' | 'now'>) {}

  /** Posts the root of a new RFC's thread; its id, or null when it could not be posted. */
  open(channelId: string, message: string): Promise<string | null> {
    return postAsBot(this.ctx, { channelId, message, props: { ...RELAYED_TEXT_PROPS } }, 'RFC thread root');
  }

  /** A notice in the RFC's thread; `relayed`: it carries user text (no channel-wide highlights). */
  async notify(access: Access, teamId: string, rfc: Rfc, message: string, relayed: boolean): Promise<void> {
    if (!(await this.usable(access, teamId, rfc))) return;
    await postAsBot(this.ctx, { channelId: rfc.channelId!, rootId: rfc.rootPostId, message, props: relayed ? { ...RELAYED_TEXT_PROPS } : undefined }, 'RFC notice');
  }

  /**
   * A notice from a timed job: posted at most once per `idempotencyKey`, however often the job
   * runs again (a node killed between posting and finishing the job). Always relayed text.
   */
  async notifyOnce(access: Access, teamId: string, rfc: Rfc, message: string, idempotencyKey: string): Promise<void> {
    if (!(await this.usable(access, teamId, rfc))) return;
    await postOnce(this.ctx, { channelId: rfc.channelId!, rootId: rfc.rootPostId, message, props: { ...RELAYED_TEXT_PROPS } }, idempotencyKey);
  }

  /** Rewrites the root post to `message` (the current status) when it says something else. */
  async refreshRoot(access: Access, teamId: string, rfc: Rfc, message: string): Promise<void> {
    if (!(await this.usable(access, teamId, rfc))) return;
    try {
      const post = await this.ctx.api.getPost(rfc.rootPostId!);
      if (post.UserId !== this.ctx.botUserId || post.Message === message) return;
      await this.ctx.api.updatePost({ ...post, Message: message });
    } catch (err) {
      this.ctx.log.warn('RFC thread root not updated', { postId: rfc.rootPostId, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async usable(access: Access, teamId: string, rfc: Rfc): Promise<boolean> {
    if (!rfc.channelId || !rfc.rootPostId) return false;
    const channel = await access.channel(rfc.channelId);
    return channel !== null && !channel.DeleteAt && channel.TeamId === teamId;
  }
}
