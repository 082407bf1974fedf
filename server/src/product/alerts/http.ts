/**
 * Alert sources over HTTP, under /plugins/infra-ops/api/v1 (contract/alerts.ts `alertRoutes`;
 * team admins only, like the commands):
 * | GET    | /teams/:teamId/alert-sources              |                  | {items, nextCursor: null} |
 * | POST   | /teams/:teamId/alert-sources              | createSourceBody | 201 {source, secret} (the only time the secret is shown) |
 * | PATCH  | /teams/:teamId/alert-sources/:slug        | editSourceBody   | {source} |
 * | POST   | /teams/:teamId/alert-sources/:slug/rotate | {}               | {source, secret} |
 * | DELETE | /teams/:teamId/alert-sources/:slug        |                  | {source} (as it was) |
 *
 * Intake, under /plugins/infra-ops/hooks (public: no Mattermost user; the source's secret decides):
 * | POST     | /alertmanager/:sourceId | Alertmanager webhook v4 | 202 {status, alerts, new} |
 * | POST,PUT | /grafana/:sourceId      | Grafana webhook v1      | 202 {status, alerts, new} |
 * 401 `{error: "Unauthorized."}` for an unknown source, a wrong type, or a missing or wrong
 * secret, all alike; 400 names what is wrong with the body; 413 past MAX_BODY_BYTES.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { type AlertSourceType, TOKEN_HEADER, alertRoutes } from '../contract/alerts';
import { UserError } from '../shared/errors';
import { serveRoute } from '../shared/http';
import type { AlertIntake } from './intake';
import { PayloadError, parseNotification } from './payload';
import type { AlertSource, SourceSettings } from './records';
import { MAX_BODY_BYTES } from './settings';
import { signatureMatches, tokenMatches } from './signature';
import type { AlertSources } from './sources';
import type { AlertStore } from './store';
import { sourceView } from './views';

interface SettingsBody {
  severity_label?: string | undefined;
  severity_map?: Record<string, number> | undefined;
  default_severity?: number | undefined;
  type_label?: string | null | undefined;
  responder_ids?: string[] | undefined;
  signature_header?: string | null | undefined;
  timestamp_header?: string | null | undefined;
  dedupe_window_hours?: number | undefined;
  auto_resolve?: boolean | undefined;
  private?: boolean | undefined;
}

const asSeverity = (n: number): 1 | 2 | 3 | 4 => n as 1 | 2 | 3 | 4;

function settingsOf(body: SettingsBody): Partial<SourceSettings> {
  const s: Partial<SourceSettings> = {};
  if (body.severity_label !== undefined) s.severityLabel = body.severity_label;
  if (body.severity_map !== undefined) s.severityMap = Object.fromEntries(Object.entries(body.severity_map).map(([k, v]) => [k.toLowerCase(), asSeverity(v)]));
  if (body.default_severity !== undefined) s.defaultSeverity = asSeverity(body.default_severity);
  if (body.type_label !== undefined) s.typeLabel = body.type_label;
  if (body.responder_ids !== undefined) s.responderIds = [...new Set(body.responder_ids)];
  if (body.signature_header !== undefined) s.signatureHeader = body.signature_header;
  if (body.timestamp_header !== undefined) s.timestampHeader = body.timestamp_header;
  if (body.dedupe_window_hours !== undefined) s.dedupeWindowHours = body.dedupe_window_hours;
  if (body.auto_resolve !== undefined) s.autoResolve = body.auto_resolve;
  if (body.private !== undefined) s.private = body.private;
  return s;
}

export function mountAlertRoutes(router: Router, sources: AlertSources): void {
  const view = async (s: AlertSource) => sourceView(s, await sources.siteUrl());
  serveRoute(router, alertRoutes.list, async ({ userId, params }) => ({
    items: await Promise.all((await sources.list(userId, params.teamId)).map(view)),
    nextCursor: null,
  }));
  serveRoute(router, alertRoutes.create, async ({ userId, params, body }) => {
    const { source, secret } = await sources.add(userId, params.teamId, { name: body.name, type: body.type, settings: settingsOf(body) });
    return { source: await view(source), secret };
  });
  serveRoute(router, alertRoutes.edit, async ({ userId, params, body }) => ({ source: await view(await sources.edit(userId, params.teamId, params.slug, settingsOf(body))) }));
  serveRoute(router, alertRoutes.rotate, async ({ userId, params }) => {
    const { source, secret } = await sources.rotate(userId, params.teamId, params.slug);
    return { source: await view(source), secret };
  });
  serveRoute(router, alertRoutes.remove, async ({ userId, params }) => ({ source: await view(await sources.remove(userId, params.teamId, params.slug)) }));
}

const unauthorized = (res: Response): void => {
  res.status(401).json({ error: 'Unauthorized.' });
};

/** The token a sender presents: TOKEN_HEADER, else `?token=` (Mattermost strips `Authorization`). */
function presentedToken(req: Request): string | null {
  const header = req.get(TOKEN_HEADER);
  if (header !== undefined) return header.trim();
  const query = req.query['token'];
  return typeof query === 'string' ? query : null;
}

function readBody(raw: RequestHandler, req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    raw(req, res, (err?: unknown) => (err ? reject(err instanceof Error ? err : new Error('could not read the body')) : resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))));
  });
}

export function mountIntakeRoutes(router: Router, store: AlertStore, intake: AlertIntake, now: () => number): void {
  const raw = express.raw({ type: () => true, limit: MAX_BODY_BYTES });
  const hook =
    (type: AlertSourceType): RequestHandler =>
    (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        const source = await store.source(String(req.params['sourceId'] ?? ''));
        if (!source || source.type !== type) return unauthorized(res);
        const token = presentedToken(req);
        if (token !== null && !tokenMatches(token, source.tokenHash)) return unauthorized(res);
        const body = await readBody(raw, req, res);
        if (token === null && !signed(source, req, body, now())) return unauthorized(res);
        let notification;
        try {
          notification = parseNotification(type, body);
        } catch (err) {
          if (err instanceof PayloadError) throw UserError.badRequest(err.message);
          throw err;
        }
        res.status(202).json(await intake.receive(source, notification));
      })().catch(next);
    };
  router.post('/hooks/alertmanager/:sourceId', hook('alertmanager'));
  router.post('/hooks/grafana/:sourceId', hook('grafana'));
  router.put('/hooks/grafana/:sourceId', hook('grafana'));
}

/** Grafana's HMAC signature, when the source expects one. */
function signed(source: AlertSource, req: Request, body: Buffer, nowMs: number): boolean {
  const { signatureHeader, timestampHeader } = source.settings;
  if (source.type !== 'grafana' || !source.hmacKey || !signatureHeader) return false;
  const signature = req.get(signatureHeader);
  if (signature === undefined) return false;
  const timestamp = timestampHeader ? (req.get(timestampHeader) ?? '') : null;
  return signatureMatches(source.hmacKey, body, signature.trim(), timestamp, nowMs);
}
