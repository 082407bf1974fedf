/**
 * The HTTP convention every feature follows, and the typed route descriptors both sides use.
 *
 * Base: `/plugins/infra-ops/api/v1` (API_BASE). Every route except `GET /health` needs the
 * `Mattermost-User-Id` header, which Mattermost sets after authenticating the session.
 *
 * URLs
 * - Everything belongs to one team, and the team is in the path, never in a query or body:
 *   `/teams/:teamId/<collection>` and `/teams/:teamId/<collection>/:key`, where the key is the
 *   record's per-team human key (`:number` for incidents, ideas, RFCs; `:slug` for guilds). A
 *   number or slug therefore never resolves in another team.
 * - A record found through a channel takes its team from the channel: `/channels/:channelId/incident`.
 * - Collections: `incidents`, `ideas`, `rfcs`, `guilds`. Actions on a record are
 *   `POST <record>/<verb>` (e.g. `/teams/:teamId/rfcs/:number/approve`); an undo is `DELETE` of
 *   the same path (`DELETE …/follow`); partial edits are `PATCH <record>`.
 * - Exempt: `POST /incidents/dialog` (Mattermost posts interactive-dialog submissions there, in
 *   its own protocol) and the public `GET /health`.
 *
 * Requests
 * - Query parameters and JSON body fields are snake_case (Mattermost's style): `per_page`,
 *   `channel_id`. Bodies and queries are strict objects: an unknown field is a 400, so a
 *   misspelt field never silently means "not given". An action without input takes `{}`.
 * - Optional fields have a documented server-side default; the schemas here carry none.
 *
 * Answers (camelCase fields, times in epoch ms, absent values are `null`, never missing)
 * - One record: `{<noun>: View, …named extras}`, e.g. `{incident}`, `{incident, warnings}`,
 *   `{idea, autoRevealed}`, `{rfc, concernId}`. Status 200, or 201 when the call created it.
 * - A list: `{items: View[], nextCursor: string | null, …named extras}`; ask for the next page
 *   with `?cursor=<nextCursor>&per_page=1-100` (default 20). The cursor is opaque; null = last page.
 * - An error: `{error: string}` with 400 (bad input; names each problem), 401 (no user),
 *   403 (may see but not do), 404 (no such record, or one the caller may not see — the two are
 *   never told apart), 409 (the record's state refuses, e.g. an open concern), 413 (too large),
 *   500 (logged; the text says so).
 *
 * Views are produced on the server by mappers typed against these schemas (storage records never
 * leave the server) and decoded in the webapp by the same schemas, strictly: a renamed or missing
 * field fails the decode (and webapp/src/contract.test.ts) instead of reading as a default.
 */
import * as z from 'zod/mini';

/** plugin.json's id; a unit test keeps the two equal (the contract may import only zod). */
export const PLUGIN_ID = 'infra-ops';
export const API_BASE = `/plugins/${PLUGIN_ID}/api/v1`;

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;

/**
 * How every numbered record is named, in every message and view: its kind's prefix and its
 * per-team number zero-padded to REFERENCE_DIGITS digits (more as numbers grow) — INC-042,
 * RFC-007, IDEA-012. One style for all three kinds; the server reads every form people type
 * (server/src/product/shared/references.ts).
 */
export const REFERENCE_DIGITS = 3;
export type ReferencePrefix = 'INC' | 'RFC' | 'IDEA' | 'RUN';
export const numberedReference = (prefix: ReferencePrefix, n: number): string => `${prefix}-${String(n).padStart(REFERENCE_DIGITS, '0')}`;

/** Any schema, mini or classic zod: the server may parse with either. */
export type Schema = z.core.$ZodType;

/** A Mattermost id: 26 lower-case letters and digits. */
export const mmId = z.string().check(z.regex(/^[a-z0-9]{26}$/, 'must be a 26-character id'));

/** A whole number from a query string or path segment (which arrive as text). */
export const wholeParam = (min: number, max: number) =>
  z.coerce.number().check(z.int(`must be a whole number from ${min} to ${max}`), z.minimum(min), z.maximum(max));

/** `?cursor=&per_page=`, spread into every list query. */
export const pageQueryShape = {
  cursor: z.optional(z.string().check(z.maxLength(64))),
  per_page: z.optional(wholeParam(1, PAGE_SIZE_MAX)),
};

/** A list answer: `{items, nextCursor}`. */
export const pageOf = <T extends Schema>(item: T) => z.strictObject({ items: z.array(item), nextCursor: z.nullable(z.string()) });
export type Page<T> = { items: T[]; nextCursor: string | null };

export const apiErrorSchema = z.strictObject({ error: z.string() });
export type ApiError = z.output<typeof apiErrorSchema>;

/** `{}`: the body of an action that takes no input. */
export const emptyBody = z.strictObject({});

/** The schema of every path parameter a route may name, so servers parse them alike. */
export const PATH_PARAMS = {
  teamId: mmId,
  channelId: mmId,
  number: wholeParam(1, Number.MAX_SAFE_INTEGER),
  slug: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'must be a guild slug')),
  /** A follow-up's number within its incident. */
  n: wholeParam(1, 10_000),
  concernId: wholeParam(1, 10_000),
  /** A run's checklist item: "2.3" is checklist 2, item 3. */
  ref: z.string().check(z.regex(/^\d{1,2}\.\d{1,3}$/, 'must be an item such as 2.3')),
  /** An outgoing webhook of the team (contract/webhooks.ts). */
  webhookId: z.string().check(z.regex(/^wh[a-z0-9]{16}$/, 'must be a webhook id')),
} as const;
export type PathParamName = keyof typeof PATH_PARAMS;

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** The `:name` segments of a path template, e.g. "teamId" | "number". */
export type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
export type PathParams<P extends string> = { readonly [K in ParamNames<P>]: string | number };

export interface Route<
  M extends Method = Method,
  P extends string = string,
  Q extends Schema | null = Schema | null,
  B extends Schema | null = Schema | null,
  A extends Schema = Schema,
> {
  readonly method: M;
  /** express syntax; ParamNames must all be keys of PATH_PARAMS. */
  readonly path: P;
  readonly query: Q;
  readonly body: B;
  readonly answer: A;
  /** 201 for a call that creates the record, else 200. */
  readonly status: 200 | 201;
}

/** Keeps the literal method and path types; contract.test.ts checks every `:param` is in PATH_PARAMS. */
export function route<const M extends Method, const P extends string, Q extends Schema | null, B extends Schema | null, A extends Schema>(
  spec: Route<M, P, Q, B, A>,
): Route<M, P, Q, B, A> {
  return spec;
}

export type QueryOf<R extends Route> = R['query'] extends Schema ? z.output<R['query']> : never;
export type BodyOf<R extends Route> = R['body'] extends Schema ? z.input<R['body']> : never;
export type AnswerOf<R extends Route> = z.output<R['answer']>;

/** `/teams/:teamId/rfcs/:number` + {teamId, number} → `/teams/abc/rfcs/7`, each segment encoded. */
export function fillPath<P extends string>(path: P, params: PathParams<P>): string {
  const values = params as Readonly<Record<string, string | number>>;
  return path.replace(/:([a-z]+)/gi, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`fillPath: no value for :${name} in ${path}`);
    return encodeURIComponent(String(value));
  });
}

/** The path parameters a route names, as one strict schema (for the server's `req.params`). */
export function pathParamsSchema<P extends string>(path: P) {
  const shape: Partial<Record<PathParamName, (typeof PATH_PARAMS)[PathParamName]>> = {};
  for (const [, name] of path.matchAll(/:([a-z]+)/gi)) {
    if (!name || !(name in PATH_PARAMS)) throw new Error(`${path}: unknown path parameter :${name}`);
    shape[name as PathParamName] = PATH_PARAMS[name as PathParamName];
  }
  return z.strictObject(shape) as z.ZodMiniType<{ [K in ParamNames<P> & PathParamName]: z.output<(typeof PATH_PARAMS)[K]> }>;
}
