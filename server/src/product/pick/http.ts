/**
 * PICK's HTTP API, as contract/pick.ts declares it (`pickRoutes`) under the convention of
 * contract/api.ts: the team is in the path, a channel's list takes its team from the channel (which
 * must be the path's), and a number resolves only in the path's team.
 *
 * | method | path                                   | body / query                               | answer                        |
 * |--------|----------------------------------------|--------------------------------------------|-------------------------------|
 * | GET    | /teams/:teamId/ideas                   | ?channel_id&filter&cursor&per_page(≤100)   | {items, nextCursor, threshold} |
 * | POST   | /teams/:teamId/ideas                   | {channel_id, title}                        | 201 {idea}                    |
 * | GET    | /teams/:teamId/ideas/:number           |                                            | {idea} (viewer = the caller)  |
 * | POST   | /teams/:teamId/ideas/:number/score     | {payoff: 1-10, cost: 1-10}                 | {idea, autoRevealed}          |
 * | POST   | /teams/:teamId/ideas/:number/reveal    | {}                                         | {idea}                        |
 * | POST   | /teams/:teamId/ideas/:number/rescore   | {}                                         | {idea}                        |
 * | POST   | /teams/:teamId/ideas/:number/archive   | {reason}                                   | {idea}                        |
 * | POST   | /teams/:teamId/ideas/:number/link      | {rfc: number}                              | {idea}                        |
 *
 * Without channel_id the list is team-wide, limited to ideas the caller can see now.
 * Websocket events (contract/events.ts): `pick_idea_changed {idea}` to the idea's channel on every
 * change (viewer null, no scores); `pick_board_opened {teamId, channelId}` to the caller of `/pick board`.
 */
import type { Router } from 'express';
import { PAGE_SIZE_DEFAULT } from '../contract/api';
import { pickRoutes } from '../contract/pick';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { serveRoute } from '../shared/http';
import type { Idea } from './records';
import type { PickService } from './service';
import { parseSettings } from './settings';
import { ideaView } from './views';

export function pickHttp(router: Router, ctx: ProductContext, pick: PickService): void {
  const R = pickRoutes;

  serveRoute(router, R.list, async ({ userId: user, params: { teamId }, query }) => {
    const access = ctx.access();
    const page = { filter: query.filter ?? 'all', before: cursorOf(query.cursor), limit: query.per_page ?? PAGE_SIZE_DEFAULT, viewer: true } as const;
    const { ideas, next } = query.channel_id
      ? await pick.channelPage(access, user, query.channel_id, teamId, page)
      : await pick.teamPage(access, user, teamId, page);
    return { items: ideas, nextCursor: next === null ? null : String(next), threshold: parseSettings(ctx.settings()).threshold };
  });

  serveRoute(router, R.add, async ({ userId: user, params: { teamId }, body }) => view(await pick.add(ctx.access(), user, body.channel_id, body.title, teamId), user));

  serveRoute(router, R.get, async ({ userId: user, params: { teamId, number } }) => view(await pick.get(ctx.access(), user, teamId, number), user));

  serveRoute(router, R.score, async ({ userId: user, params: { teamId, number }, body }) => {
    const { idea, autoRevealed } = await pick.score(ctx.access(), user, teamId, number, body.payoff, body.cost);
    return { idea: ideaView(idea, user), autoRevealed };
  });

  serveRoute(router, R.reveal, async ({ userId: user, params: { teamId, number } }) => view(await pick.reveal(ctx.access(), user, teamId, number), user));
  serveRoute(router, R.rescore, async ({ userId: user, params: { teamId, number } }) => view(await pick.rescore(ctx.access(), user, teamId, number), user));
  serveRoute(router, R.archive, async ({ userId: user, params: { teamId, number }, body }) => view(await pick.archive(ctx.access(), user, teamId, number, body.reason), user));
  serveRoute(router, R.link, async ({ userId: user, params: { teamId, number }, body }) => view((await pick.link(ctx.access(), user, teamId, number, body.rfc)).idea, user));
}

const view = (idea: Idea, user: string) => ({ idea: ideaView(idea, user) });

/** The opaque cursor is an index ordinal as text. */
function cursorOf(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  if (!/^\d{1,15}$/.test(cursor) || Number(cursor) < 1) throw UserError.badRequest('Invalid request: cursor: not a cursor from a previous page');
  return Number(cursor);
}
