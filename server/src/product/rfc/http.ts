/**
 * The RFC HTTP API: exactly the routes of contract/rfc.ts (`rfcRoutes`), under the convention of
 * contract/api.ts — team in the path, strict snake_case bodies and queries, `{rfc}` answers made by
 * views.ts, lists as `{items, nextCursor}`, errors as `{error}` (404 also for an RFC the caller
 * may not see). Websocket: `rfc_changed` {rfc: {teamId, number, reference, status, updatedAt}} to
 * the RFC's channel on every change; clients fetch the full view.
 */
import type { Request, Response, Router } from 'express';
import * as z from 'zod/mini';
import { type AnswerOf, pathParamsSchema, PAGE_SIZE_DEFAULT, type Route, type Schema } from '../contract/api';
import { rfcRoutes as routes } from '../contract/rfc';
import { UserError } from '../shared/errors';
import { userIdOf } from '../shared/http';
import type { RfcService } from './service';

export function rfcRoutes(router: Router, rfcs: RfcService): void {
  serve(router, routes.list, async ({ userId, params, query }) =>
    rfcs.list(userId, params.teamId, {
      status: query.status ?? null,
      mine: query.mine ?? false,
      cursor: query.cursor === undefined ? null : cursorOf(query.cursor),
      limit: query.per_page ?? PAGE_SIZE_DEFAULT,
    }),
  );

  serve(router, routes.create, async ({ userId, params, body }) => {
    const { rfc } = await rfcs.open(userId, params.teamId, { title: body.title, docUrl: body.doc_url ?? null, channelId: body.channel_id, thread: true, ideaNumber: body.idea ?? null });
    return { rfc };
  });

  serve(router, routes.get, async ({ userId, params }) => ({ rfc: await rfcs.get(userId, params.teamId, params.number) }));

  serve(router, routes.review, async ({ userId, params, body }) => ({
    rfc: (await rfcs.review(userId, params.teamId, params.number, body.reviewers, body.days ?? null, body.restart ?? false)).rfc,
  }));

  serve(router, routes.approve, async ({ userId, params }) => ({ rfc: (await rfcs.signOff(userId, params.teamId, params.number)).rfc }));

  serve(router, routes.raiseConcern, async ({ userId, params, body }) => rfcs.raiseConcern(userId, params.teamId, params.number, body.text));

  serve(router, routes.resolveConcern, async ({ userId, params, body }) => ({
    rfc: await rfcs.resolveConcern(userId, params.teamId, params.number, params.concernId, body.resolution ?? null),
  }));

  serve(router, routes.decide, async ({ userId, params, body }) => ({ rfc: await rfcs.decide(userId, params.teamId, params.number, body.action, body.reason ?? null) }));

  serve(router, routes.supersede, async ({ userId, params, body }) => ({ rfc: await rfcs.supersede(userId, params.teamId, params.number, body.by) }));

  serve(router, routes.reviewed, async ({ userId, params }) => ({ rfc: await rfcs.markReviewed(userId, params.teamId, params.number) }));
}

/** The list cursor is an index position (opaque to clients). */
function cursorOf(cursor: string): number {
  const n = /^\d{1,15}$/.test(cursor) ? Number(cursor) : NaN;
  if (!Number.isSafeInteger(n)) throw UserError.badRequest('Invalid request: cursor: not a cursor from a previous page');
  return n;
}

// ---- one contract route → one express handler (parsing, the caller, status, JSON answer) ----

type Output<S> = S extends Schema ? z.output<S> : null;

interface Input<R extends Route> {
  readonly userId: string;
  readonly params: z.output<ReturnType<typeof pathParamsSchema<R['path']>>>;
  readonly query: Output<R['query']>;
  readonly body: Output<R['body']>;
}

function serve<R extends Route>(router: Router, route: R, run: (input: Input<R>) => Promise<AnswerOf<R>>): void {
  const paramsSchema = pathParamsSchema(route.path);
  const handler = async (req: Request, res: Response): Promise<void> => {
    const input = {
      userId: userIdOf(req),
      params: decode(paramsSchema, req.params, 'path'),
      query: route.query ? decode(route.query, req.query, 'query') : null,
      body: route.body ? decode(route.body, req.body ?? {}, 'body') : null,
    } as Input<R>;
    res.status(route.status).json(await run(input));
  };
  switch (route.method) {
    case 'GET':
      router.get(route.path, handler);
      break;
    case 'POST':
      router.post(route.path, handler);
      break;
    case 'PATCH':
      router.patch(route.path, handler);
      break;
    case 'DELETE':
      router.delete(route.path, handler);
      break;
  }
}

/** Parses with the contract's schema; a failure is a 400 naming each problem. */
function decode<S extends Schema>(schema: S, input: unknown, where: string): z.output<S> {
  const parsed = z.safeParse(schema, input);
  if (parsed.success) return parsed.data;
  throw UserError.badRequest(`Invalid request: ${parsed.error.issues.map((issue) => describe(issue, where)).join('; ')}`);
}

/** zod/mini carries no message texts: problems are described from the issue itself. */
function describe(issue: z.core.$ZodIssue, where: string): string {
  const at = issue.path.length ? issue.path.map(String).join('.') : where;
  if (issue.message && issue.message !== 'Invalid input') return `${at}: ${issue.message}`;
  switch (issue.code) {
    case 'invalid_type':
      return `${at}: expected ${issue.expected}`;
    case 'unrecognized_keys':
      return `${at}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => k.slice(0, 40)).join(', ')}`;
    case 'too_big':
      return `${at}: at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`;
    case 'too_small':
      return `${at}: at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''}`;
    case 'invalid_value':
      return `${at}: must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return `${at}: invalid (${issue.code})`;
  }
}
