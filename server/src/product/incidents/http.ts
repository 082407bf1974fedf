/**
 * Incidents HTTP API (under the plugin's `/plugins/infra-ops/api/v1`; every route needs the
 * `Mattermost-User-Id` header, which Mattermost sets for logged-in users). Bodies are JSON;
 * errors are `{error}` with 400 (bad input, naming the problem), 403 (not allowed), 404 (no such
 * incident, or one the caller may not see: private incidents are 404 for non-members), 409
 * (state conflict, e.g. already resolved).
 *
 *   POST /incidents                         declare {team_id, title, severity?=3 (1-4), type?, summary?,
 *                                           private?=setting, commander_id?, invite_ids?[]}
 *                                           → 201 {incident: IncidentView, warnings: string[]}
 *   POST /incidents/dialog                  interactive dialog submission (Mattermost posts it)
 *                                           → 200 {} | {errors: {field: msg}} | {error}
 *   GET  /incidents?team_id=&state=active|resolved|all (default all)&severity=1-4&commander_id=
 *                   &before=<next_before>&per_page=1-100 (20)
 *                                           → {items: IncidentView[], next_before: number|null}
 *   GET  /incidents/metrics?team_id=&days=1-3650 (90)  → IncidentMetrics (metrics.ts)
 *   GET  /incidents/channel/:channelId     → IncidentView of the channel's incident (404 if none/hidden)
 *   GET  /incidents/:id                     → IncidentView
 *   GET  /incidents/:id/timeline?page=&per_page=1-200 (50)  → {items: TimelineEntry[], total}, oldest first
 *   GET  /incidents/:id/followups           → {items: Followup[]}
 *   POST /incidents/:id/status      {text}                    → IncidentView
 *   POST /incidents/:id/severity    {severity: 1-4}           → IncidentView
 *   POST /incidents/:id/roles       {role: commander|scribe|comms, user_id}  → IncidentView
 *   POST /incidents/:id/timeline    {text}                    → IncidentView
 *   POST /incidents/:id/milestones  {milestone, at?: epoch ms (default now)} → IncidentView
 *   POST /incidents/:id/follow   |  DELETE /incidents/:id/follow            → IncidentView
 *   POST /incidents/:id/resolve     {summary?}                → IncidentView
 *   POST /incidents/:id/reopen      {}                        → IncidentView
 *   POST /incidents/:id/followups   {text, owner_id?, due?: YYYY-MM-DD}     → 201 Followup
 *   POST /incidents/:id/followups/:n/done                     → Followup
 *   POST /incidents/:id/reviewed    {}                        → IncidentView
 *
 * IncidentView: schema.ts (id, teamId, number, reference "INC-042", phase pending|active|resolved,
 * title, summary, type, severity, severityLabel, private, channelId, channelName, declaredBy,
 * declaredAt, updatedAt, roles {commander, scribe, comms}, milestones {detected, acknowledged,
 * mitigated, resolved}, lastUpdate, resolution, followers, followups, openFollowups, review
 * {needed, reviewedAt}, mttaMinutes, mttrMinutes, nextUpdateDueAt). Times are epoch ms.
 *
 * Websocket events (clients receive `custom_infra-ops_<name>`; payload `{data: "<JSON text>"}`):
 *   incident_declared       {change: "declared", incident: IncidentView}
 *   incident_updated        {change: status|severity|role|timeline|milestone|followers|resolved|
 *                            reopened|followups|reviewed, incident: IncidentView}
 *   incident_status_posted  {incidentId, reference, message}  — to each follower who may see the
 *                           incident (user audience), who also gets the update as a DM from the bot
 * Audience: private incidents → the incident channel's members only; public → the team.
 *
 * The pinned card post: type `custom_infra_incident`, props `infra_incident` (JSON text of
 * CardData in card.ts) and `incident_id`; its Message is a plain-text fallback.
 */
import type { Request, Router } from 'express';
import { z } from 'zod';
import { UserError } from '../shared/errors';
import { parseInput, userIdOf } from '../shared/http';
import type { Declarer } from './declare';
import { DialogFieldErrors, parseSubmission, submissionSchema, DECLARE_CALLBACK } from './dialog';
import type { IncidentQueries } from './queries';
import type { IncidentRuntime } from './runtime';
import { LIMITS, MILESTONES, ROLES, reference, type Severity } from './schema';
import type { IncidentService } from './service';
import { parseType } from './parse';
import { parseDueInput } from './time_input';

const id = z.string().regex(/^[a-z0-9]{26}$/, 'must be a 26-character id');
/** A whole number from a query string or JSON, with one message naming the range (not "received NaN"). */
const whole = (min: number, max: number) =>
  z.coerce.number({ error: `must be a whole number from ${min} to ${max}` }).int().min(min).max(max);
const severity = whole(1, 4);
const text = z.string().trim().min(1, 'must not be empty').max(4000);

const declareBody = z.object({
  team_id: id,
  title: z.string().trim().min(1, 'must not be empty').max(200),
  severity: severity.default(3),
  type: z.string().max(64).default(''),
  summary: z.string().max(4000).default(''),
  private: z.boolean().optional(),
  commander_id: id.optional(),
  invite_ids: z.array(id).max(100).default([]),
});

const listQuery = z.object({
  team_id: id,
  state: z.enum(['active', 'resolved', 'all']).default('all'),
  severity: severity.optional(),
  commander_id: id.optional(),
  before: whole(0, Number.MAX_SAFE_INTEGER).optional(),
  per_page: whole(1, 100).default(20),
});

const metricsQuery = z.object({ team_id: id, days: whole(1, 3650).default(90) });
const timelineQuery = z.object({
  page: whole(0, 1_000_000).default(0),
  per_page: whole(1, 200).default(50),
});

const bodies = {
  status: z.object({ text }),
  severity: z.object({ severity }),
  role: z.object({ role: z.enum(ROLES), user_id: id }),
  note: z.object({ text }),
  milestone: z.object({ milestone: z.enum(MILESTONES), at: z.number().int().positive().optional() }),
  resolve: z.object({ summary: z.string().max(4000).default('') }),
  empty: z.object({}).strict(),
  followup: z.object({
    text,
    owner_id: id.nullable().optional(),
    due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').nullable().optional(),
  }),
};

/** An empty body arrives as {} from express.json; anything else must be an object. */
const body = (req: Request): unknown => req.body ?? {};

const MAX_DIALOG_BYTES = 1024 * 1024;

/**
 * The dialog submission's JSON. Mattermost makes this request itself (app doPluginRequest) with no
 * Content-Length header, and the plugin bridge passes no Transfer-Encoding either, so express.json
 * sees "no body" and leaves the stream unread: read it here when that happened.
 */
async function dialogBody(req: Request): Promise<unknown> {
  if (req.body !== undefined) return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_DIALOG_BYTES) throw UserError.badRequest('The dialog submission is too large.');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw UserError.badRequest('The dialog submission is not valid JSON.');
  }
}
const param = (req: Request, name: string): string => parseInput(id, req.params[name]);

export function incidentRoutes(
  rt: IncidentRuntime,
  declarer: Declarer,
  service: IncidentService,
  queries: IncidentQueries,
): (router: Router) => void {
  const view = (incident: Parameters<IncidentRuntime['view']>[0]) => rt.view(incident);

  return (router) => {
    router.post('/incidents', async (req, res) => {
      const input = parseInput(declareBody, body(req));
      const settings = rt.settings();
      const { incident, warnings } = await declarer.declare({
        teamId: input.team_id,
        declarerId: userIdOf(req),
        title: input.title.replace(/\s+/g, ' '),
        severity: input.severity as Severity,
        type: parseType(input.type, settings),
        summary: input.summary.trim(),
        private: input.private ?? settings.privateByDefault,
        commanderId: input.commander_id ?? null,
        inviteeIds: input.invite_ids,
      });
      res.status(201).json({ incident: await view(incident), warnings });
    });

    router.post('/incidents/dialog', async (req, res) => {
      const submission = parseInput(submissionSchema, await dialogBody(req));
      if (submission.callback_id !== DECLARE_CALLBACK) throw UserError.badRequest(`Unknown dialog "${submission.callback_id}".`);
      if (submission.cancelled) {
        res.json({});
        return;
      }
      const userId = userIdOf(req);
      const access = rt.access();
      try {
        const form = await parseSubmission(submission, rt.settings(), access.people);
        const { incident, warnings } = await declarer.declare({ ...form, declarerId: userId });
        if (form.channelId) {
          const notes = warnings.length ? ` Note: ${warnings.join('; ')}.` : '';
          await rt.step('dialog reply', incident, () =>
            rt.ctx.api.sendEphemeralPost(userId, {
              ChannelId: form.channelId,
              UserId: rt.ctx.botUserId,
              Message: `Declared **${reference(incident.number)}**: ~${incident.channelName}.${notes}`,
            }),
          );
        }
        res.json({});
      } catch (err) {
        // Mattermost shows `errors` beside the fields and `error` above the form.
        if (err instanceof DialogFieldErrors) res.json({ errors: err.errors });
        else if (err instanceof UserError) res.json({ error: err.message });
        else throw err;
      }
    });

    router.get('/incidents', async (req, res) => {
      const q = parseInput(listQuery, req.query);
      res.json(
        await queries.list(userIdOf(req), {
          teamId: q.team_id,
          state: q.state,
          severity: q.severity ?? null,
          commanderId: q.commander_id ?? null,
          before: q.before ?? null,
          perPage: q.per_page,
        }),
      );
    });

    router.get('/incidents/metrics', async (req, res) => {
      const q = parseInput(metricsQuery, req.query);
      const until = rt.ctx.now();
      res.json(await queries.metrics(userIdOf(req), q.team_id, until - q.days * 86_400_000, until));
    });

    router.get('/incidents/channel/:channelId', async (req, res) => {
      const incident = await queries.forChannel(userIdOf(req), param(req, 'channelId'));
      if (!incident) throw UserError.notFound('This channel has no incident.');
      res.json(await view(incident));
    });

    router.get('/incidents/:id', async (req, res) => {
      res.json(await view(await queries.get(userIdOf(req), param(req, 'id'))));
    });

    router.get('/incidents/:id/timeline', async (req, res) => {
      const q = parseInput(timelineQuery, req.query);
      res.json(await queries.timeline(userIdOf(req), param(req, 'id'), q.page, q.per_page));
    });

    router.get('/incidents/:id/followups', async (req, res) => {
      res.json({ items: (await queries.get(userIdOf(req), param(req, 'id'))).followups });
    });

    const action = (path: string, run: (userId: string, incidentId: string, req: Request) => Promise<Parameters<IncidentRuntime['view']>[0]>) =>
      router.post(`/incidents/:id/${path}`, async (req, res) => {
        const incidentId = param(req, 'id');
        res.json(await view(await run(userIdOf(req), incidentId, req)));
      });

    action('status', (u, i, req) => service.status(u, i, parseInput(bodies.status, body(req)).text));
    action('severity', (u, i, req) => service.severity(u, i, parseInput(bodies.severity, body(req)).severity as Severity));
    action('roles', (u, i, req) => {
      const b = parseInput(bodies.role, body(req));
      return service.role(u, i, b.role, b.user_id);
    });
    action('timeline', (u, i, req) => service.note(u, i, parseInput(bodies.note, body(req)).text));
    action('milestones', (u, i, req) => {
      const b = parseInput(bodies.milestone, body(req));
      return service.milestone(u, i, b.milestone, b.at ?? rt.ctx.now());
    });
    action('follow', (u, i) => service.follow(u, i, true));
    action('resolve', (u, i, req) => service.resolve(u, i, parseInput(bodies.resolve, body(req)).summary));
    action('reopen', (u, i, req) => (parseInput(bodies.empty, body(req)), service.reopen(u, i)));
    action('reviewed', (u, i, req) => (parseInput(bodies.empty, body(req)), service.markReviewed(u, i, rt.ctx.now(), false)));

    router.delete('/incidents/:id/follow', async (req, res) => {
      res.json(await view(await service.follow(userIdOf(req), param(req, 'id'), false)));
    });

    router.post('/incidents/:id/followups', async (req, res) => {
      const b = parseInput(bodies.followup, body(req));
      if (b.due) parseDueInput(b.due, rt.ctx.now(), null); // rejects dates that do not exist
      const followup = await service.addFollowup(userIdOf(req), param(req, 'id'), b.text, b.owner_id ?? null, b.due ?? null);
      res.status(201).json(followup);
    });

    router.post('/incidents/:id/followups/:n/done', async (req, res) => {
      const { n } = parseInput(z.object({ n: whole(1, LIMITS.followups) }), { n: req.params['n'] });
      res.json(await service.completeFollowup(userIdOf(req), param(req, 'id'), n));
    });
  };
}
