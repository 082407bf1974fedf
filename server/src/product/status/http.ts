/**
 * The status page: `GET /plugins/infra-ops/status/<team-name>`, HTML for a logged-in member of
 * the team. A browser's plain GET carries the MMAUTHTOKEN cookie; Mattermost authenticates it and
 * passes the user in `Mattermost-User-Id` (no CSRF token is needed for a GET). Without a user: 401;
 * not a member, or no such team: 404 — the same page, so team names are not probed.
 * `GET /plugins/infra-ops/status/public/<secret>`: the public page (customer-facing incidents and
 * their public text only), for anyone with the link; 404 once revoked.
 */
import type { Request, Response, Router } from 'express';
import { STATUS_PAGE_BASE } from '../contract/status';
import { UserError } from '../shared/errors';
import { USER_ID_HEADER } from '../shared/http';
import type { Logger } from '../shared/logger';
import { renderMessagePage, renderPublicPage, renderStatusPage, STATUS_PAGE_CSP } from './page';
import type { StatusService } from './service';

function send(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': STATUS_PAGE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    })
    .send(html);
}

export function mountStatusPages(service: StatusService, log: Logger): (router: Router) => void {
  return (router) => {
    // The public page: no session needed, the secret link is the key (revocable).
    router.get(`${STATUS_PAGE_BASE}/public/:token`, async (req: Request, res: Response) => {
      try {
        send(res, 200, renderPublicPage(await service.publicPage(String(req.params['token'] ?? ''))));
      } catch (err) {
        if (err instanceof UserError && err.status === 404) return send(res, 404, renderMessagePage('Not found', 'No such status page.'));
        log.error('public status page failed', { error: err instanceof Error ? err.message : String(err) });
        send(res, 500, renderMessagePage('Something went wrong', 'The status page could not be shown; it has been logged.'));
      }
    });
    router.get(`${STATUS_PAGE_BASE}/:teamName`, async (req: Request, res: Response) => {
      const userId = req.get(USER_ID_HEADER);
      if (!userId) return send(res, 401, renderMessagePage('Log in to Mattermost', 'Log in to Mattermost in this browser, then open this page again.'));
      try {
        send(res, 200, renderStatusPage(await service.page(userId, String(req.params['teamName'] ?? ''))));
      } catch (err) {
        if (err instanceof UserError && (err.status === 404 || err.status === 403)) return send(res, 404, renderMessagePage('Not found', 'No such status page.'));
        log.error('status page failed', { error: err instanceof Error ? err.message : String(err) });
        send(res, 500, renderMessagePage('Something went wrong', 'The status page could not be shown; it has been logged.'));
      }
    });
  };
}
