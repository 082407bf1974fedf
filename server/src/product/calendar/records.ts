/**
 * The calendar feature's stored records. A feed link's token is never stored: only its SHA-256,
 * under which the feed is found when a calendar app fetches it.
 */
import { z } from 'zod';
import { FEED_KINDS } from '../contract/calendar';

const id = z.string().min(1).max(64);

/** One feed link: whose it is, for which team, and whether it shows the team's items or the owner's. */
export const feedSchema = z.object({
  v: z.literal(1),
  kind: z.enum(FEED_KINDS),
  teamId: id,
  /** The link's owner: the feed is evaluated as this user sees things at each fetch. */
  userId: id,
  createdAt: z.number(),
});
export type Feed = z.output<typeof feedSchema>;

/** Which hash is the current link of one owner's feed of one kind (so a rotate revokes the old one). */
export const feedPointerSchema = z.object({ v: z.literal(1), hash: z.string().regex(/^[0-9a-f]{64}$/), createdAt: z.number() });
export type FeedPointer = z.output<typeof feedPointerSchema>;
