/**
 * Calendar feeds KV layout. Every write is a compare-and-set through KvRepository.
 *
 * | key                                   | record            | purpose                                        |
 * |---------------------------------------|-------------------|------------------------------------------------|
 * | cal:feed:<sha256 of token>            | feedSchema        | a live link: owner, team and kind              |
 * | cal:t:<team>:u:<user>:<team or me>    | feedPointerSchema | the owner's current link of that kind          |
 *
 * Rotating writes the new feed, then moves the pointer (compare-and-set), then deletes the old
 * feed; a crash in between leaves at most an unreferenced new feed, which no one holds a token for.
 */
import type { FeedKind } from '../contract/calendar';
import { DELETE, type KvRepository, UNCHANGED } from '../shared/kv';
import { type Feed, type FeedPointer, feedPointerSchema, feedSchema } from './records';

export const calendarKeys = {
  feed: (hash: string): string => `cal:feed:${hash}`,
  pointer: (teamId: string, userId: string, kind: FeedKind): string => `cal:t:${teamId}:u:${userId}:${kind}`,
} as const;

export class CalendarStore {
  constructor(private readonly kv: KvRepository) {}

  feed(hash: string): Promise<Feed | null> {
    return this.kv.get(calendarKeys.feed(hash), feedSchema);
  }

  pointer(teamId: string, userId: string, kind: FeedKind): Promise<FeedPointer | null> {
    return this.kv.get(calendarKeys.pointer(teamId, userId, kind), feedPointerSchema);
  }

  /**
   * Makes `hash` the owner's link of this kind. With `replace` false it keeps an existing link
   * (and answers false); with true the old link's feed is deleted, which revokes it.
   */
  async install(feed: Feed, hash: string, replace: boolean): Promise<boolean> {
    await this.kv.insert(calendarKeys.feed(hash), feedSchema, feed);
    // Set inside the compare-and-set (its last attempt wins), read after it.
    let old = null as string | null;
    let installed = false;
    await this.kv.update(calendarKeys.pointer(feed.teamId, feed.userId, feed.kind), feedPointerSchema, (current) => {
      old = current?.hash ?? null;
      installed = replace || current === null;
      return installed ? { v: 1 as const, hash, createdAt: feed.createdAt } : UNCHANGED;
    });
    if (!installed) await this.deleteFeed(hash);
    else if (old !== null && old !== hash) await this.deleteFeed(old);
    return installed;
  }

  private async deleteFeed(hash: string): Promise<void> {
    await this.kv.update(calendarKeys.feed(hash), feedSchema, (current) => (current ? DELETE : UNCHANGED));
  }
}
