import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../plugin/api/app_error';
import type { Props } from '../../plugin/model/types';
import type { ProductContext } from './context';
import { corruptRecordsFor } from './corrupt_records';
import { CorruptRecordError } from './errors';
import { DELETE, UNCHANGED } from './kv';
import { withTimeout } from './server_calls';

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

/** The prop every postOnce post carries: its idempotency key. */
export const IDEMPOTENCY_PROP = 'infra_ops_key';

/** How long postOnce waits for createPost (a healthy one takes milliseconds). */
const POST_TIMEOUT_MS = 15_000;
/**
 * A "posting" mark younger than this may belong to an attempt still waiting for Mattermost;
 * older, that attempt is over. Shorter than the 20 s a takeover of a dead node's job takes at
 * least (a 30 s claim renewed every 10 s), so the takeover settles the post at its first try.
 */
export const POST_IN_FLIGHT_MS = POST_TIMEOUT_MS + 5_000;
/** Marks outlive any retry of the occurrence they guard, then expire on their own. */
const MARK_TTL_SECONDS = 30 * 24 * 3600;

const markSchema = z.object({
  v: z.literal(1),
  state: z.enum(['posting', 'posted']),
  /** The attempt that wrote the mark: only it may confirm or withdraw it. */
  attempt: z.string(),
  at: z.number(),
  channelId: z.string(),
  /** null when posted but unconfirmed (the attempt died after asking Mattermost to post). */
  postId: z.string().nullable(),
});

/** Mattermost limits KV keys to 150 characters; long idempotency keys are hashed. */
export function postMarkKey(idempotencyKey: string): string {
  return idempotencyKey.length <= 100
    ? `post:once:${idempotencyKey}`
    : `post:once:#${createHash('sha256').update(idempotencyKey).digest('hex')}`;
}

/** Another attempt at the same post may still be waiting for Mattermost: try again later. */
export class PostInFlightError extends Error {
  override readonly name = 'PostInFlightError';

  constructor(readonly idempotencyKey: string) {
    super(`another attempt at post ${idempotencyKey} may still be in flight`);
  }
}

export type PostOnceResult =
  | { outcome: 'posted'; postId: string }
  /** An earlier attempt posted it (postId null if that attempt died before confirming). */
  | { outcome: 'already-posted'; postId: string | null }
  /** Mattermost refused it for good (channel gone, bot not allowed); logged, not retried. */
  | { outcome: 'refused'; postId: null };

/**
 * Posts as the bot at most once per `idempotencyKey`, for timed jobs that may run again after a
 * node died mid-job. A KV mark (compare-and-set) is taken before createPost and confirmed after
 * it, and the post carries the key in its props (`infra_ops_key`).
 *
 * A mark left "posting" by an attempt that died cannot tell whether Mattermost received its
 * createPost (a request that reached the server completes there even if the plugin is killed),
 * and the plugin API offers no way to list a channel's posts to find out. It is taken as posted:
 * a duplicate needs only a kill while createPost runs (tens of ms); a loss needs a kill between
 * the mark's write and createPost leaving the process (one KV round trip, ~1 ms).
 *
 * Throws (so the job retries) on transient failures and while another attempt may be in flight;
 * a definite refusal from Mattermost withdraws the mark and is returned as `refused`.
 */
export async function postOnce(
  ctx: Pick<ProductContext, 'api' | 'kv' | 'botUserId' | 'log' | 'now'>,
  post: BotPost,
  idempotencyKey: string,
): Promise<PostOnceResult> {
  const key = postMarkKey(idempotencyKey);
  const attempt = randomUUID();
  const now = ctx.now();
  // Set by the update function (which may run several times); read once the update is stored.
  const seen: { decision: 'post' | 'posted' | 'in-flight' | 'presumed' } = { decision: 'post' };
  let mark: z.output<typeof markSchema> | null;
  try {
    mark = await ctx.kv.update(
      key,
      markSchema,
      (current) => {
        if (!current) {
          seen.decision = 'post';
          return { v: 1 as const, state: 'posting' as const, attempt, at: now, channelId: post.channelId, postId: null };
        }
        if (current.state === 'posted') {
          seen.decision = 'posted';
          return UNCHANGED;
        }
        if (now - current.at < POST_IN_FLIGHT_MS) {
          seen.decision = 'in-flight';
          return UNCHANGED;
        }
        seen.decision = 'presumed';
        return { ...current, state: 'posted' as const };
      },
      { expireInSeconds: MARK_TTL_SECONDS },
    );
  } catch (err) {
    if (!(err instanceof CorruptRecordError)) throw err;
    // An unreadable mark may stand for a post already made: posting again could duplicate it.
    await corruptRecordsFor(ctx.kv, ctx.log, ctx.now).reportError(err);
    return { outcome: 'already-posted', postId: null };
  }
  if (seen.decision === 'posted') return { outcome: 'already-posted', postId: mark?.postId ?? null };
  if (seen.decision === 'in-flight') throw new PostInFlightError(idempotencyKey);
  if (seen.decision === 'presumed') {
    ctx.log.warn('a timed post was interrupted mid-way; taken as posted so it is never posted twice', { key: idempotencyKey, channelId: post.channelId });
    return { outcome: 'already-posted', postId: null };
  }

  let postId: string;
  try {
    const created = await withTimeout(
      ctx.api.createPost({
        ChannelId: post.channelId,
        RootId: post.rootId ?? '',
        UserId: ctx.botUserId,
        Message: post.message,
        Props: { ...post.props, [IDEMPOTENCY_PROP]: idempotencyKey },
      }),
      POST_TIMEOUT_MS,
      `post ${idempotencyKey}`,
    );
    postId = created.Id ?? '';
  } catch (err) {
    // Mattermost answered with an error: nothing was posted, so the mark is withdrawn. A timeout
    // or a broken connection says nothing about the post: the mark stays "posting".
    if (err instanceof AppError) {
      await ctx.kv.update(key, markSchema, (current) => (current?.attempt === attempt && current.state === 'posting' ? DELETE : UNCHANGED));
      if (isPermanent(err)) {
        ctx.log.warn('timed post refused by Mattermost', { key: idempotencyKey, channelId: post.channelId, status: err.statusCode, error: err.message });
        return { outcome: 'refused', postId: null };
      }
    }
    throw err;
  }
  try {
    await ctx.kv.update(key, markSchema, (current) =>
      current?.attempt === attempt ? { ...current, state: 'posted' as const, postId } : UNCHANGED,
    );
  } catch (err) {
    // Posted; the mark stays "posting" and will be taken as posted, so no retry can duplicate it.
    ctx.log.warn('timed post made but not confirmed', { key: idempotencyKey, postId, error: err instanceof Error ? err.message : String(err) });
  }
  return { outcome: 'posted', postId };
}

/** 4xx other than timeouts and rate limits: asking again will get the same answer. */
const isPermanent = (err: AppError): boolean => err.statusCode >= 400 && err.statusCode < 500 && err.statusCode !== 408 && err.statusCode !== 429;
