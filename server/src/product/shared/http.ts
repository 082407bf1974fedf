import express, { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import * as z from 'zod/mini';
import { type AnswerOf, pathParamsSchema, type Route, type Schema } from '../contract/api';
import { CorruptRecordError, UserError } from './errors';

// The contract's zod/mini schemas carry no messages of their own: answer every 400 in English
// (the setting is zod's, global: it holds for classic schemas too).
z.config(z.locales.en());

export const USER_ID_HEADER = 'mattermost-user-id';

/** The caller's Mattermost user id; set by the server after it authenticated the session. */
export function userIdOf(req: Request): string {
  const id = req.get(USER_ID_HEADER);
  if (!id) throw new UserError('Not logged in.', 401);
  return id;
}

/** Rejects requests without a Mattermost user; public routes live on a separate router. */
export const requireUser: RequestHandler = (req, _res, next) => {
  if (req.get(USER_ID_HEADER)) return next();
  next(new UserError('Not logged in.', 401));
};

// ---- the one route server: a contract route (contract/api.ts) → an express handler ----

type Output<S> = S extends Schema ? z.output<S> : null;

/** What a route's handler gets: the caller, and the path, query and body parsed with the route's schemas (null where the route has none). */
export interface RouteInput<R extends Route> {
  readonly userId: string;
  readonly params: z.output<ReturnType<typeof pathParamsSchema<R['path']>>>;
  readonly query: Output<R['query']>;
  readonly body: Output<R['body']>;
}

type Run<R extends Route, I> = (input: I) => AnswerOf<R> | Promise<AnswerOf<R>>;

/**
 * Serves one contract route: parses the path parameters (pathParamsSchema), the query and the body
 * (a missing body is `{}`) with the route's schemas — a 400 naming each problem — takes the caller
 * from the Mattermost-User-Id header, and answers `run`'s result as JSON with the route's status.
 */
export function serveRoute<R extends Route>(router: Router, route: R, run: Run<R, RouteInput<R>>): void {
  mount(router, route, (req) => userIdOf(req), run);
}

/** serveRoute for the routes that need no user (`GET /health`), mounted on the public router. */
export function servePublicRoute<R extends Route>(router: Router, route: R, run: Run<R, Omit<RouteInput<R>, 'userId'>>): void {
  mount(router, route, () => undefined, run);
}

function mount<R extends Route, I>(router: Router, route: R, callerOf: (req: Request) => string | undefined, run: Run<R, I>): void {
  const paramsSchema = pathParamsSchema(route.path);
  const handler = async (req: Request, res: Response): Promise<void> => {
    const userId = callerOf(req);
    const input = {
      ...(userId === undefined ? {} : { userId }),
      params: parseInput(paramsSchema, req.params, 'path'),
      query: route.query ? parseInput(route.query, req.query, 'query') : null,
      body: route.body ? parseInput(route.body, req.body ?? {}, 'body') : null,
    } as I;
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

/**
 * Parses a path, query or body with zod (mini or classic); a failure is a 400 naming each problem,
 * located by its field, or by `where` when the whole input is wrong. serveRoute parses with it; so
 * does the one route outside the contract (Mattermost's dialog submissions).
 */
export function parseInput<S extends Schema>(schema: S, input: unknown, where: 'path' | 'query' | 'body'): z.output<S> {
  const parsed = z.safeParse(schema, input);
  if (parsed.success) return parsed.data;
  throw UserError.badRequest(`Invalid request: ${parsed.error.issues.map((issue) => describe(issue, where)).join('; ')}`);
}

/** The English locale's message where it says something; otherwise the problem is described from the issue itself. */
function describe(issue: z.core.$ZodIssue, where: string): string {
  const at = issue.path.length ? issue.path.map(String).join('.') : where;
  // The locale's wording, with each key cut short: a key is the caller's text and may be huge.
  if (issue.code === 'unrecognized_keys') return `${at}: Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`;
  if (issue.message && issue.message !== 'Invalid input') return `${at}: ${issue.message}`;
  switch (issue.code) {
    case 'invalid_type':
      return `${at}: expected ${issue.expected}`;
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

/** JSON `{error}` bodies with the right status; internals are logged, never sent. */
export function errorHandler(logError: (message: string, fields: Record<string, unknown>) => void): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof UserError) {
      res.status(err.status).json({ error: err.message });
      return;
    }
    const status = typeof (err as { status?: unknown })?.status === 'number' ? (err as { status: number }).status : 500;
    if (status >= 400 && status < 500 && err instanceof Error && (err as { expose?: boolean }).expose) {
      // body-parser's own errors (malformed JSON, too large) are safe to show.
      res.status(status).json({ error: err.message });
      return;
    }
    logError('HTTP handler failed', {
      path: req.path,
      method: req.method,
      error: err instanceof Error ? err.message : String(err),
      corruptKey: err instanceof CorruptRecordError ? err.key : undefined,
    });
    res.status(500).json({ error: 'Internal error; it has been logged.' });
  };
}

export const jsonBody = (): RequestHandler => express.json({ limit: '1mb', strict: true, type: () => true });

/** How large a body Mattermost may post for a dialog submission or a message button click. */
export const INTEGRATION_BODY_MAX = 1024 * 1024;

/**
 * The JSON Mattermost posts itself to a plugin URL (a dialog submission, a message button click):
 * it sends no Content-Length and the plugin bridge no Transfer-Encoding, so express.json sees "no
 * body" and leaves the stream unread — it is read here when that happened. `words` name the thing
 * in the errors ("The dialog submission is too large.").
 */
export async function integrationBody(req: Request, words: { tooLarge: string; notJson: string }): Promise<unknown> {
  if (req.body !== undefined) return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > INTEGRATION_BODY_MAX) throw UserError.badRequest(words.tooLarge);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw UserError.badRequest(words.notJson);
  }
}
