/**
 * RFC HTTP API for the webapp, under /plugins/infra-ops/api/v1 (caller = Mattermost-User-Id).
 * Errors are {error} with 400/403/404/409 (409 = the lifecycle refuses, e.g. an open concern).
 *
 * | method | path                                         | body / query                                 | answer          |
 * |--------|----------------------------------------------|----------------------------------------------|-----------------|
 * | GET    | /rfc/teams/:teamId/rfcs                      | ?status&mine=true&before&per_page(≤100)      | {rfcs, next}    |
 * | POST   | /rfc/teams/:teamId/rfcs                      | {title, doc_url?, channel_id?, idea?}        | {rfc}           |
 * | GET    | /rfc/teams/:teamId/rfcs/:n                   |                                              | {rfc}           |
 * | POST   | /rfc/teams/:teamId/rfcs/:n/review            | {reviewers: userId[], days?}                 | {rfc}           |
 * | POST   | /rfc/teams/:teamId/rfcs/:n/approve           |                                              | {rfc}           |
 * | POST   | /rfc/teams/:teamId/rfcs/:n/concerns          | {text}                                       | {rfc, concernId}|
 * | POST   | /rfc/teams/:teamId/rfcs/:n/concerns/:id/resolve | {resolution?}                             | {rfc}           |
 * | POST   | /rfc/teams/:teamId/rfcs/:n/decision          | {action: accept|reject|postpone|withdraw, reason?} | {rfc}     |
 * | POST   | /rfc/teams/:teamId/rfcs/:n/supersede         | {by: number}                                 | {rfc}           |
 * | POST   | /rfc/teams/:teamId/rfcs/:n/reviewed          |                                              | {rfc}           |
 * | GET    | /rfc/lifecycle                               |                                              | {statuses, rules} (the state machine as data) |
 *
 * Websocket event (custom_infra-ops_<name>, payload {data: JSON text}):
 * - rfc_changed  {rfc}  to the RFC's team, on every change
 */
import type { Router } from 'express';
import { z } from 'zod';
import { parseInput, userIdOf } from '../shared/http';
import { RFC_RULES, RFC_STATUSES } from './lifecycle';
import type { RfcService } from './service';

const id = z.string().min(1).max(64);
const params = z.object({ teamId: id, n: z.coerce.number().int().positive() });

export function rfcRoutes(router: Router, rfcs: RfcService): void {
  router.get('/rfc/lifecycle', (_req, res) => {
    res.json({ statuses: RFC_STATUSES, rules: RFC_RULES });
  });

  router.get('/rfc/teams/:teamId/rfcs', async (req, res) => {
    const { teamId } = parseInput(z.object({ teamId: id }), req.params);
    const q = parseInput(
      z.object({
        status: z.enum(RFC_STATUSES).optional(),
        mine: z.enum(['true', 'false']).optional(),
        before: z.coerce.number().int().positive().optional(),
        per_page: z.coerce.number().int().min(1).max(100).default(20),
      }),
      req.query,
    );
    res.json(await rfcs.list(userIdOf(req), teamId, { status: q.status ?? null, mine: q.mine === 'true', before: q.before ?? null, limit: q.per_page }));
  });

  router.post('/rfc/teams/:teamId/rfcs', async (req, res) => {
    const { teamId } = parseInput(z.object({ teamId: id }), req.params);
    const body = parseInput(
      z.object({ title: z.string().max(300).default(''), doc_url: z.string().max(2000).optional(), channel_id: id.optional(), idea: z.number().int().positive().optional() }),
      req.body,
    );
    const rfc = await rfcs.create(userIdOf(req), teamId, { title: body.title, docUrl: body.doc_url ?? null, channelId: body.channel_id ?? null, ideaNumber: body.idea ?? null });
    res.status(201).json({ rfc });
  });

  router.get('/rfc/teams/:teamId/rfcs/:n', async (req, res) => {
    const p = parseInput(params, req.params);
    res.json({ rfc: await rfcs.load(userIdOf(req), p.teamId, p.n) });
  });

  router.post('/rfc/teams/:teamId/rfcs/:n/review', async (req, res) => {
    const p = parseInput(params, req.params);
    const body = parseInput(z.object({ reviewers: z.array(id).max(50).default([]), days: z.number().int().min(1).max(90).optional() }), req.body);
    res.json({ rfc: await rfcs.startReview(userIdOf(req), p.teamId, p.n, body.reviewers, body.days ?? null) });
  });

  router.post('/rfc/teams/:teamId/rfcs/:n/approve', async (req, res) => {
    const p = parseInput(params, req.params);
    res.json({ rfc: await rfcs.approve(userIdOf(req), p.teamId, p.n) });
  });

  router.post('/rfc/teams/:teamId/rfcs/:n/concerns', async (req, res) => {
    const p = parseInput(params, req.params);
    const body = parseInput(z.object({ text: z.string().min(1).max(2000) }), req.body);
    res.status(201).json(await rfcs.raiseConcern(userIdOf(req), p.teamId, p.n, body.text));
  });

  router.post('/rfc/teams/:teamId/rfcs/:n/concerns/:id/resolve', async (req, res) => {
    const p = parseInput(params.extend({ id: z.coerce.number().int().positive() }), req.params);
    const body = parseInput(z.object({ resolution: z.string().max(2000).optional() }), req.body ?? {});
    res.json({ rfc: await rfcs.resolveConcern(userIdOf(req), p.teamId, p.n, p.id, body.resolution ?? null) });
  });

  router.post('/rfc/teams/:teamId/rfcs/:n/decision', async (req, res) => {
    const p = parseInput(params, req.params);
    const body = parseInput(z.object({ action: z.enum(['accept', 'reject', 'postpone', 'withdraw']), reason: z.string().max(2000).optional() }), req.body);
    res.json({ rfc: await rfcs.decide(userIdOf(req), p.teamId, p.n, body.action, body.reason ?? null) });
  });

  router.post('/rfc/teams/:teamId/rfcs/:n/supersede', async (req, res) => {
    const p = parseInput(params, req.params);
    const body = parseInput(z.object({ by: z.number().int().positive() }), req.body);
    res.json({ rfc: await rfcs.supersede(userIdOf(req), p.teamId, p.n, body.by) });
  });

  router.post('/rfc/teams/:teamId/rfcs/:n/reviewed', async (req, res) => {
    const p = parseInput(params, req.params);
    res.json({ rfc: await rfcs.markReviewed(userIdOf(req), p.teamId, p.n) });
  });
}
