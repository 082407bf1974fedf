/**
 * PICK HTTP API for the webapp, under /plugins/infra-ops/api/v1 (caller = Mattermost-User-Id).
 * Bodies and answers are JSON; errors are {error} with 400/403/404/409.
 *
 * | method | path                                        | body / query                                         | answer                          |
 * |--------|---------------------------------------------|------------------------------------------------------|---------------------------------|
 * | GET    | /pick/ideas                                 | ?team_id&channel_id?&filter?&before?&per_page?(≤100) | {ideas: IdeaView[], next, threshold} (the chart: medians, IQR, quadrant per revealed idea) |
 * | POST   | /pick/ideas                                 | {channel_id, title}                                  | {idea}                          |
 * | GET    | /pick/teams/:teamId/ideas/:n                |                                                      | {idea} (myScore = caller's own) |
 * | POST   | /pick/teams/:teamId/ideas/:n/score          | {payoff: 1-10, cost: 1-10}                           | {idea, autoRevealed}            |
 * | POST   | /pick/teams/:teamId/ideas/:n/reveal         |                                                      | {idea}                          |
 * | POST   | /pick/teams/:teamId/ideas/:n/rescore        |                                                      | {idea}                          |
 * | POST   | /pick/teams/:teamId/ideas/:n/archive        | {reason}                                             | {idea}                          |
 * | POST   | /pick/teams/:teamId/ideas/:n/link           | {rfc: number}                                        | {idea}                          |
 *
 * filter: possible|implement|challenge|kill|open|all (default, not archived)|archived. Without
 * channel_id the list is team-wide, limited to channels the caller can see.
 *
 * Websocket events (custom_infra-ops_<name>, payload {data: JSON text}):
 * - pick_idea_changed  {idea: IdeaView without myScore}  to the idea's channel, on every change
 * - pick_board_opened  {teamId, channelId}               to the caller of `/pick board` (open the RHS chart)
 */
import type { Router } from 'express';
import { z } from 'zod';
import { parseInput, userIdOf } from '../shared/http';
import { type Idea, pickSettings } from './schema';
import type { PickService } from './service';
import { QUADRANTS } from './stats';

const id = z.string().min(1).max(64);
const listQuery = z.object({
  team_id: id,
  channel_id: id.optional(),
  filter: z.enum([...QUADRANTS, 'open', 'all', 'archived']).default('all'),
  before: z.coerce.number().int().positive().optional(),
  per_page: z.coerce.number().int().min(1).max(100).default(40),
});
const ideaParams = z.object({ teamId: id, n: z.coerce.number().int().positive() });
const score = z.object({ payoff: z.number().int().min(1).max(10), cost: z.number().int().min(1).max(10) });

export function pickRoutes(router: Router, pick: PickService, settings: () => Readonly<Record<string, unknown>>): void {
  router.get('/pick/ideas', async (req, res) => {
    const user = userIdOf(req);
    const q = parseInput(listQuery, req.query);
    const { ideas, next } = await pick.list(user, { teamId: q.team_id, channelId: q.channel_id ?? null, filter: q.filter, before: q.before ?? null, limit: q.per_page });
    res.json({ ideas: ideas.map((i) => pick.view(i, user)), next, threshold: pickSettings(settings()).threshold });
  });

  router.post('/pick/ideas', async (req, res) => {
    const body = parseInput(z.object({ channel_id: id, title: z.string().min(1).max(300) }), req.body);
    const user = userIdOf(req);
    res.status(201).json({ idea: pick.view(await pick.add(user, body.channel_id, body.title), user) });
  });

  router.get('/pick/teams/:teamId/ideas/:n', async (req, res) => {
    const p = parseInput(ideaParams, req.params);
    const user = userIdOf(req);
    res.json({ idea: pick.view(await pick.load(user, p.teamId, p.n), user) });
  });

  router.post('/pick/teams/:teamId/ideas/:n/score', async (req, res) => {
    const p = parseInput(ideaParams, req.params);
    const body = parseInput(score, req.body);
    const user = userIdOf(req);
    const { idea, autoRevealed } = await pick.score(user, p.teamId, p.n, body.payoff, body.cost);
    res.json({ idea: pick.view(idea, user), autoRevealed });
  });

  // The actions on one idea share their shape: params, a body, the service call, the idea as the caller sees it.
  const ideaAction = <S extends z.ZodType>(action: string, body: S, run: (user: string, teamId: string, n: number, body: z.output<S>) => Promise<Idea>): void => {
    router.post(`/pick/teams/:teamId/ideas/:n/${action}`, async (req, res) => {
      const p = parseInput(ideaParams, req.params);
      const input = parseInput(body, req.body ?? {});
      const user = userIdOf(req);
      res.json({ idea: pick.view(await run(user, p.teamId, p.n, input), user) });
    });
  };
  ideaAction('reveal', z.object({}), (user, teamId, n) => pick.reveal(user, teamId, n));
  ideaAction('rescore', z.object({}), (user, teamId, n) => pick.rescore(user, teamId, n));
  ideaAction('archive', z.object({ reason: z.string().min(1).max(500) }), (user, teamId, n, b) => pick.archive(user, teamId, n, b.reason));
  ideaAction('link', z.object({ rfc: z.number().int().positive() }), async (user, teamId, n, b) => (await pick.link(user, teamId, n, b.rfc)).idea);
}
