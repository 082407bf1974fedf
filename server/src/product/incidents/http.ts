/**
 * Incidents HTTP API, under `/plugins/infra-ops/api/v1`, following the product's one convention
 * (contract/api.ts: URLs, envelopes, paging, errors); every route and its body, query and answer
 * schema is in contract/incidents.ts (`incidentRoutes`).
 *
 * | method | path                                              | body / query                        | answer |
 * |--------|---------------------------------------------------|-------------------------------------|--------|
 * | POST   | /teams/:teamId/incidents                          | declareIncidentBody                 | 201 {incident, warnings} |
 * | GET    | /teams/:teamId/incidents                          | ?state&severity&commander_id&cursor&per_page | {items, nextCursor} |
 * | GET    | /teams/:teamId/incidents/metrics                  | ?days (90)                          | {metrics} |
 * | GET    | /teams/:teamId/incidents/:number                  |                                     | {incident} |
 * | GET    | /channels/:channelId/incident                     |                                     | {incident} |
 * | GET    | /teams/:teamId/incidents/:number/timeline         | ?cursor&per_page (oldest first)     | {items, nextCursor} |
 * | POST   | …/:number/status · severity · roles · timeline · milestones · follow · resolve · reopen · accept · dismiss · reviewed | see contract | {incident} |
 * | DELETE | …/:number/follow                                  |                                     | {incident} |
 * | POST   | …/:number/followups                               | followupBody                        | 201 {incident, followup} |
 * | POST   | …/:number/followups/:n/done                       | {}                                  | {incident, followup} |
 * | POST   | /incidents/dialog                                 | Mattermost's dialog submission      | {} · {errors} · {error} |
 * | POST   | /incidents/triage-action                          | Mattermost's button click {context: {incident_id, action}} | {ephemeral_text} |
 *
 * Who may call what is the incidents policy (policy.ts): an incident the caller may not see now
 * answers 404 exactly like one that does not exist. A number never resolves in another team.
 *
 * Websocket events (contract/events.ts), always to the incident's channel — Mattermost delivers
 * them to whoever may read it now: `incident_declared`, `incident_updated` {change, incident};
 * `incident_status_posted` goes to each follower who may see the incident (user audience).
 */
import type { Request, Router } from 'express';
import { z } from 'zod';
import { type AnswerOf, PAGE_SIZE_DEFAULT, type Route } from '../contract/api';
import { INCIDENT_DIALOG_PATH, incidentRoutes, TRIAGE_ACTION_PATH, TRIAGE_ACTIONS } from '../contract/incidents';
import { UserError } from '../shared/errors';
import { integrationBody, parseInput, type RouteInput, serveRoute, userIdOf } from '../shared/http';
import { People } from '../shared/people';
import type { ProductContext } from '../shared/context';
import type { Declarer } from './declare';
import { DECLARE_CALLBACK, DialogFieldErrors, parseSubmission, submissionSchema } from './dialog';
import type { IncidentEffects } from './effects';
import { CHANNEL_HAS_NONE, dialogWords, replies, severityWithLabel, triageWords } from './messages';
import { parseType } from './parse';
import type { Caller } from './policy';
import type { IncidentQueries, SeverityCursor } from './queries';
import type { Incident } from './records';
import type { IncidentService } from './service';
import type { IncidentSettings } from './settings';
import { checkDueNotPast, parseDueInput } from './time_input';
import { followupView, timelineEntryView } from './views';

type HttpContext = Pick<ProductContext, 'api' | 'access' | 'now' | 'botUserId'>;

export interface IncidentHttpDeps {
  ctx: HttpContext;
  declarer: Declarer;
  service: IncidentService;
  queries: IncidentQueries;
  effects: IncidentEffects;
  settings: () => IncidentSettings;
}

const TIMELINE_PAGE_DEFAULT = 50;
const DAY_MS = 86_400_000;

/** A route's parsed input (shared/http.ts serveRoute), with the caller as the incidents policy takes it. */
type Call<R extends Route> = Omit<RouteInput<R>, 'userId'> & { readonly caller: Caller };

/** A cursor this API handed out: the digits of a position. Anything else is a 400, not "from the start". */
const cursorOf = (text: string | undefined): number | null => {
  if (text === undefined) return null;
  if (!/^\d{1,15}$/.test(text)) throw UserError.badRequest('Invalid request: cursor: not a cursor from this list');
  return Number(text);
};

/** A most-severe-first page's cursor: `<severity>.<INC number>` of the last incident it showed (9: severity unknown). */
const severityCursorOf = (text: string | undefined): SeverityCursor | null => {
  if (text === undefined) return null;
  const m = /^([1-49])\.(\d{1,15})$/.exec(text);
  if (!m) throw UserError.badRequest('Invalid request: cursor: not a cursor from this list');
  return { severity: Number(m[1]), number: Number(m[2]) };
};

export function mountIncidentRoutes(deps: IncidentHttpDeps): (router: Router) => void {
  const { ctx, declarer, service, queries, effects, settings } = deps;

  return (router) => {
    /** Serves one contract route (serveRoute), handing the handler the caller with its access. */
    const on = <R extends Route>(route: R, handle: (call: Call<R>) => Promise<AnswerOf<R>>): void =>
      serveRoute(router, route, ({ userId, ...input }) => handle({ ...input, caller: { userId, access: ctx.access() } }));

    const incidentAt = (caller: Caller, params: { teamId: string; number: number }): Promise<Incident> =>
      queries.byNumber(caller, params.teamId, params.number);
    const answer = async (caller: Caller, incident: Incident) => ({ incident: await effects.view(incident, caller.access) });

    on(incidentRoutes.declare, async ({ caller, params, body }) => {
      const s = settings();
      const { incident, warnings } = await declarer.declare(caller, {
        teamId: params.teamId,
        title: body.title,
        severity: body.severity ?? 3,
        type: parseType(body.type ?? '', s),
        summary: body.summary ?? '',
        private: body.private ?? s.privateByDefault,
        commanderId: body.commander_id ?? null,
        inviteeIds: body.invite_ids ?? [],
      });
      return { ...(await answer(caller, incident)), warnings };
    });

    on(incidentRoutes.list, async ({ caller, params, query }) => {
      if (query.sort === 'severity') {
        if (query.state !== 'active') throw UserError.badRequest('Invalid request: sort: severity lists active incidents only (add state=active)');
        const filter = { teamId: params.teamId, severity: query.severity ?? null, commanderId: query.commander_id ?? null, perPage: query.per_page ?? PAGE_SIZE_DEFAULT };
        const page = await queries.activeBySeverity(caller, filter, severityCursorOf(query.cursor));
        const items = await Promise.all(page.items.map((i) => effects.view(i, caller.access)));
        return { items, nextCursor: page.next === null ? null : `${page.next.severity}.${page.next.number}` };
      }
      const page = await queries.list(caller, {
        teamId: params.teamId,
        state: query.state ?? 'all',
        severity: query.severity ?? null,
        commanderId: query.commander_id ?? null,
        before: cursorOf(query.cursor),
        perPage: query.per_page ?? PAGE_SIZE_DEFAULT,
      });
      const items = await Promise.all(page.items.map((i) => effects.view(i, caller.access)));
      return { items, nextCursor: page.next === null ? null : String(page.next) };
    });

    on(incidentRoutes.metrics, async ({ caller, params, query }) => {
      const until = ctx.now();
      return { metrics: await queries.metrics(caller, params.teamId, until - (query.days ?? 90) * DAY_MS, until) };
    });

    on(incidentRoutes.get, async ({ caller, params }) => answer(caller, await incidentAt(caller, params)));

    on(incidentRoutes.ofChannel, async ({ caller, params }) => {
      const incident = await queries.forChannel(caller, params.channelId);
      if (!incident) throw UserError.notFound(CHANNEL_HAS_NONE);
      return answer(caller, incident);
    });

    on(incidentRoutes.timeline, async ({ caller, params, query }) => {
      const incident = await incidentAt(caller, params);
      const page = await queries.timeline(incident, cursorOf(query.cursor) ?? 0, query.per_page ?? TIMELINE_PAGE_DEFAULT);
      return { items: page.items.map(timelineEntryView), nextCursor: page.next === null ? null : String(page.next) };
    });

    /** `found`: the incident as this request read it (visible to the caller), so a write need not read it again. */
    const act = <R extends Route<'POST' | 'DELETE', string>>(route: R, run: (caller: Caller, incidentId: string, call: Call<R>, found: Incident) => Promise<Incident>) =>
      on(route, async (call) => {
        const { teamId, number } = call.params as unknown as { teamId: string; number: number };
        const incident = await incidentAt(call.caller, { teamId, number });
        return (await answer(call.caller, await run(call.caller, incident.id, call, incident))) as AnswerOf<R>;
      });

    act(incidentRoutes.status, async (caller, id, { body }, found) => (await service.status(caller, id, body.text, found)).after);
    act(incidentRoutes.severity, async (caller, id, { body }) => (await service.severity(caller, id, body.severity)).after);
    act(incidentRoutes.role, (caller, id, { body }) => service.role(caller, id, body.role, body.user_id));
    act(incidentRoutes.note, (caller, id, { body }) => service.note(caller, id, body.text));
    act(incidentRoutes.milestone, async (caller, id, { body }) => (await service.milestone(caller, id, body.milestone, body.at ?? ctx.now())).after);
    act(incidentRoutes.follow, (caller, id) => service.follow(caller, id, true));
    act(incidentRoutes.unfollow, (caller, id) => service.follow(caller, id, false));
    act(incidentRoutes.resolve, async (caller, id, { body }) => (await service.resolve(caller, id, body.summary ?? '')).after);
    act(incidentRoutes.reopen, async (caller, id) => (await service.reopen(caller, id)).after);
    act(incidentRoutes.accept, async (caller, id) => (await service.accept(caller, id)).after);
    act(incidentRoutes.dismiss, async (caller, id, { body }) => (await service.dismiss(caller, id, body.reason ?? '')).after);
    act(incidentRoutes.reviewed, (caller, id) => service.markReviewed(caller, id, ctx.now(), 'hand'));

    on(incidentRoutes.addFollowup, async ({ caller, params, body }) => {
      const incident = await incidentAt(caller, params);
      const due = body.due ?? null;
      if (due) {
        parseDueInput(due, ctx.now(), null); // refuses dates that do not exist
        checkDueNotPast(due, ctx.now(), null);
      }
      const added = await service.addFollowup(caller, incident.id, body.text, body.owner_id ?? null, due);
      return { ...(await answer(caller, added.incident)), followup: followupView(added.followup) };
    });

    on(incidentRoutes.completeFollowup, async ({ caller, params }) => {
      const incident = await incidentAt(caller, params);
      const done = await service.completeFollowup(caller, incident.id, params.n);
      return { ...(await answer(caller, done.incident)), followup: followupView(done.followup) };
    });

    router.post(TRIAGE_ACTION_PATH, async (req, res) => {
      const action = parseInput(triageActionSchema, await dialogBody(req), 'body');
      const caller: Caller = { userId: userIdOf(req), access: ctx.access() };
      try {
        const id = action.context.incident_id;
        const { after } =
          action.context.action === 'accept' ? await service.accept(caller, id) : await service.dismiss(caller, id, '');
        // The buttons go once the incident has left triage (only from the bot's own post of this incident).
        await effects.step('triage buttons', after, async () => {
          if (!action.post_id) return;
          const post = await ctx.api.getPost(action.post_id);
          if (post.UserId === ctx.botUserId && post.Props?.['incident_id'] === id) await ctx.api.updatePost({ ...post, Props: { ...post.Props, attachments: [] } });
        });
        res.json({ ephemeral_text: action.context.action === 'accept' ? triageWords.accepted(after) : triageWords.dismissed(after) });
      } catch (err) {
        // A refusal is the clicker's to read; Mattermost shows ephemeral_text to them alone.
        if (err instanceof UserError) res.json({ ephemeral_text: err.message });
        else throw err;
      }
    });

    router.post(INCIDENT_DIALOG_PATH, async (req, res) => {
      const submission = parseInput(submissionSchema, await dialogBody(req), 'body');
      if (submission.callback_id !== DECLARE_CALLBACK) throw UserError.badRequest(dialogWords.unknown(submission.callback_id));
      if (submission.cancelled) {
        res.json({});
        return;
      }
      const caller: Caller = { userId: userIdOf(req), access: ctx.access() };
      try {
        const form = await parseSubmission(caller, submission, settings(), new People(ctx.api));
        const { incident, warnings } = await declarer.declare(caller, form);
        await effects.step('dialog reply', incident, async () => {
          const s = settings();
          const [isPrivate, commander] = await Promise.all([
            caller.access.isPrivate(incident.channelId),
            incident.roles.commander === caller.userId ? null : new People(ctx.api).username(incident.roles.commander).then((u) => `@${u}`),
          ]);
          const message = replies.declared(incident, severityWithLabel(s, incident.severity), isPrivate, warnings, commander);
          await ctx.api.sendEphemeralPost(caller.userId, { ChannelId: form.channelId, UserId: ctx.botUserId, Message: message });
        });
        res.json({});
      } catch (err) {
        // Mattermost shows `errors` beside the fields and `error` above the form.
        if (err instanceof DialogFieldErrors) res.json({ errors: err.errors });
        else if (err instanceof UserError) res.json({ error: err.message });
        else throw err;
      }
    });
  };
}

/** A button click as Mattermost posts it; only the context we set on the button is read. */
const triageActionSchema = z.object({
  post_id: z.string().max(64).optional(),
  context: z.object({ incident_id: z.string().max(64), action: z.enum(TRIAGE_ACTIONS) }),
});

/** A dialog submission's or a button click's JSON, as Mattermost posts it itself (shared/http.ts). */
const dialogBody = (req: Request): Promise<unknown> => integrationBody(req, dialogWords);
