import express, { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { CorruptRecordError, UserError } from './errors';

// The contract's zod/mini schemas carry no messages of their own: answer every 400 in English.
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

/** Validates a body, query or path with zod (classic or mini); failures become a 400 naming each problem. */
export function parseInput<S extends z.core.$ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = z.safeParse(schema, input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw UserError.badRequest(`Invalid request: ${problems.join('; ')}`);
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
