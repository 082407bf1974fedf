/**
 * HTTP (under /plugins/infra-ops/api/v1; the convention is in contract/api.ts; the routes are
 * contract/infra.ts `infraRoutes`):
 * | GET | /health             | (no user needed) | {status, plugin, version} |
 * | GET | /teams/:teamId/owe  |                  | {sections: [{feature, items}]} |
 */
import type { Router } from 'express';
import { servePublicRoute, serveRoute } from '../shared/http';
import { PLUGIN_ID } from '../contract/api';
import { infraRoutes, type OwedSection } from '../contract/infra';

export function mountInfraPublicRoutes(router: Router, version: string): void {
  servePublicRoute(router, infraRoutes.health, () => ({ status: 'ok' as const, plugin: PLUGIN_ID, version }));
}

export function mountInfraRoutes(router: Router, owed: (userId: string, teamId: string) => Promise<OwedSection[]>): void {
  serveRoute(router, infraRoutes.owe, async ({ userId, params: { teamId } }) => ({ sections: await owed(userId, teamId) }));
}
