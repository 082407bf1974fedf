import type { Router } from 'express';
import { runRoutes as routes } from '../contract/runs';
import { serveRoute } from '../shared/http';
import type { RunService } from './service';

/** Runs over HTTP: the contract's routes (the sidebar's calls), each one use case. */
export function runHttpRoutes(router: Router, runs: RunService): void {
  serveRoute(router, routes.list, async ({ userId, params }) => runs.list(userId, params.teamId));
  serveRoute(router, routes.start, async ({ userId, params, body }) => ({
    run: (await runs.start(userId, body.channel_id, { kind: body.kind, name: body.name, template: body.template ?? null }, params.teamId)).run,
  }));
  serveRoute(router, routes.get, async ({ userId, params }) => ({ run: await runs.get(userId, { teamId: params.teamId, number: params.number }) }));
  serveRoute(router, routes.item, async ({ userId, params, body }) => {
    const state = body.action === 'check' ? 'done' : body.action === 'skip' ? 'skipped' : 'open';
    return { run: (await runs.setItemState(userId, { teamId: params.teamId, number: params.number }, params.ref, state)).run };
  });
  serveRoute(router, routes.report, async ({ userId, params }) => {
    const { filename, markdown, html } = await runs.runReport(userId, { teamId: params.teamId, number: params.number });
    return { filename, markdown, html };
  });
  serveRoute(router, routes.templates, async ({ userId, params }) => ({ items: await runs.templates(userId, params.teamId) }));
  serveRoute(router, routes.exportTemplate, async ({ userId, params }) => runs.exportTemplate(userId, params.teamId, params.slug));
  serveRoute(router, routes.importTemplate, async ({ userId, params, body }) => runs.importTemplate(userId, params.teamId, body.source, body.document));
}
