/**
 * The RFC HTTP API: exactly the routes of contract/rfc.ts (`rfcRoutes`), under the convention of
 * contract/api.ts — team in the path, strict snake_case bodies and queries, `{rfc}` answers made by
 * views.ts, lists as `{items, nextCursor}`, errors as `{error}` (404 also for an RFC the caller
 * may not see). The list is newest first.
 *
 * | method | path                                                    | body / query                         | answer               |
 * |--------|---------------------------------------------------------|--------------------------------------|----------------------|
 * | GET    | /teams/:teamId/rfcs                                     | ?status&mine&cursor&per_page(≤100)   | {items, nextCursor}  |
 * | POST   | /teams/:teamId/rfcs                                     | {title, doc_url?, channel_id, idea?} | 201 {rfc}            |
 * | GET    | /teams/:teamId/rfcs/:number                             |                                      | {rfc}                |
 * | POST   | /teams/:teamId/rfcs/:number/review                      | {reviewers, days?, restart?}         | {rfc}                |
 * | POST   | /teams/:teamId/rfcs/:number/approve                     | {}                                   | {rfc}                |
 * | POST   | /teams/:teamId/rfcs/:number/concerns                    | {text}                               | 201 {rfc, concernId} |
 * | POST   | /teams/:teamId/rfcs/:number/concerns/:concernId/resolve | {resolution?}                        | {rfc}                |
 * | POST   | /teams/:teamId/rfcs/:number/decision                    | {action, reason?}                    | {rfc}                |
 * | POST   | /teams/:teamId/rfcs/:number/supersede                   | {by: number}                         | {rfc}                |
 * | POST   | /teams/:teamId/rfcs/:number/reviewed                    | {}                                   | {rfc}                |
 *
 * Websocket: `rfc_changed` {rfc: {teamId, number, reference, status, updatedAt}} to the RFC's
 * channel on every change; clients fetch the full view.
 */
import type { Router } from 'express';
import { PAGE_SIZE_DEFAULT } from '../contract/api';
import { rfcRoutes as routes } from '../contract/rfc';
import { UserError } from '../shared/errors';
import { serveRoute } from '../shared/http';
import type { RfcService } from './service';

export function rfcRoutes(router: Router, rfcs: RfcService): void {
  serveRoute(router, routes.list, async ({ userId, params, query }) =>
    rfcs.list(userId, params.teamId, {
      status: query.status ?? null,
      mine: query.mine ?? false,
      cursor: query.cursor === undefined ? null : cursorOf(query.cursor),
      limit: query.per_page ?? PAGE_SIZE_DEFAULT,
    }),
  );

  serveRoute(router, routes.create, async ({ userId, params, body }) => {
    const { rfc } = await rfcs.open(userId, params.teamId, { title: body.title, docUrl: body.doc_url ?? null, channelId: body.channel_id, thread: true, ideaNumber: body.idea ?? null });
    return { rfc };
  });

  serveRoute(router, routes.get, async ({ userId, params }) => ({ rfc: await rfcs.get(userId, params.teamId, params.number) }));

  serveRoute(router, routes.review, async ({ userId, params, body }) => ({
    rfc: (await rfcs.review(userId, params.teamId, params.number, body.reviewers, body.days ?? null, body.restart ?? false)).rfc,
  }));

  serveRoute(router, routes.approve, async ({ userId, params }) => ({ rfc: (await rfcs.signOff(userId, params.teamId, params.number)).rfc }));

  serveRoute(router, routes.raiseConcern, async ({ userId, params, body }) => rfcs.raiseConcern(userId, params.teamId, params.number, body.text));

  serveRoute(router, routes.resolveConcern, async ({ userId, params, body }) => ({
    rfc: await rfcs.resolveConcern(userId, params.teamId, params.number, params.concernId, body.resolution ?? null),
  }));

  serveRoute(router, routes.decide, async ({ userId, params, body }) => ({ rfc: await rfcs.decide(userId, params.teamId, params.number, body.action, body.reason ?? null) }));

  serveRoute(router, routes.supersede, async ({ userId, params, body }) => ({ rfc: await rfcs.supersede(userId, params.teamId, params.number, body.by) }));

  serveRoute(router, routes.answer, async ({ userId, params, body }) => ({
    rfc: (await rfcs.answerReview(userId, params.teamId, params.number, body.answer, body.note ?? null)).rfc,
  }));

  serveRoute(router, routes.delegate, async ({ userId, params, body }) => ({ rfc: (await rfcs.delegateReview(userId, params.teamId, params.number, body.to)).rfc }));

  serveRoute(router, routes.reviewed, async ({ userId, params }) => ({ rfc: await rfcs.markReviewed(userId, params.teamId, params.number) }));
}

/** The list cursor is an index position (opaque to clients). */
function cursorOf(cursor: string): number {
  const n = /^\d{1,15}$/.test(cursor) ? Number(cursor) : NaN;
  if (!Number.isSafeInteger(n)) throw UserError.badRequest('Invalid request: cursor: not a cursor from a previous page');
  return n;
}
