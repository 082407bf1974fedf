import type { Router } from 'express';
import { parseInput, userIdOf } from '../shared/http';
import { PLUGIN_ID, pathParamsSchema } from '../contract/api';
import { infraRoutes, type OwedSection } from '../contract/infra';

/**
 * HTTP (under /plugins/infra-ops/api/v1; the convention is in contract/api.ts):
 * | GET | /health             | (no user needed) | {status, plugin, version} |
 * | GET | /teams/:teamId/owe  |                  | {sections: [{feature, items}]} |
 */
export function mountInfraPublicRoutes(router: Router, version: string): void {
  router.get(infraRoutes.health.path, (_req, res) => {
    res.json({ status: 'ok', plugin: PLUGIN_ID, version });
  });
}

export function mountInfraRoutes(router: Router, owed: (userId: string, teamId: string) => Promise<OwedSection[]>): void {
  const oweParams = pathParamsSchema(infraRoutes.owe.path);
  router.get(infraRoutes.owe.path, async (req, res) => {
    const { teamId } = parseInput(oweParams, req.params);
    res.json({ sections: await owed(userIdOf(req), teamId) });
  });
}
