import type { Router } from 'express';
import { z } from 'zod';
import { RUN_CARD_ACTION_PATH, RUN_CARD_ACTIONS, runRoutes as routes } from '../contract/runs';
import { UserError } from '../shared/errors';
import { integrationBody, parseInput, serveRoute, userIdOf } from '../shared/http';
import { ERR, EXEC, reply } from './messages';
import type { RunService } from './service';
import { retroView } from './views';
import { statusHttpRoutes } from './status_http';

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
  serveRoute(router, routes.execItem, async ({ userId, params }) => {
    const r = await runs.execItem(userId, { teamId: params.teamId, number: params.number }, params.ref);
    return { run: r.run, ok: r.outcome.ok, text: r.outcome.ok ? r.outcome.text : r.outcome.error };
  });
  serveRoute(router, routes.report, async ({ userId, params }) => {
    const { filename, markdown, html } = await runs.runReport(userId, { teamId: params.teamId, number: params.number });
    return { filename, markdown, html };
  });
  serveRoute(router, routes.templates, async ({ userId, params }) => ({ items: await runs.templates(userId, params.teamId) }));
  serveRoute(router, routes.exportTemplate, async ({ userId, params }) => runs.exportTemplate(userId, params.teamId, params.slug));
  serveRoute(router, routes.importTemplate, async ({ userId, params, body }) => runs.importTemplate(userId, params.teamId, body.source, body.document));
  statusHttpRoutes(router, runs);

  // The sidebar's run actions: the service calls `/run …` makes, so the same policy, answers and refusals.
  const at = (p: { teamId: string; number: number }) => ({ teamId: p.teamId, number: p.number });
  const people = async (names: readonly string[]): Promise<string[]> => {
    const ids = await runs.people().resolveUsernames(names);
    if (ids.length === 0) throw UserError.badRequest(ERR.noPeople);
    return ids;
  };
  serveRoute(router, routes.answerGate, async ({ userId, params, body }) => ({ run: (await runs.answer(userId, at(params), params.ref, body.answer, body.note ?? null)).run }));
  serveRoute(router, routes.raiseConcern, async ({ userId, params, body }) => {
    const r = await runs.raiseConcern(userId, at(params), params.ref, body.text);
    return { run: r.run, concernId: r.id };
  });
  serveRoute(router, routes.resolveConcern, async ({ userId, params, body }) => ({
    run: (await runs.resolveConcern(userId, at(params), params.ref, params.concernId, body.note?.trim() || null)).run,
  }));
  serveRoute(router, routes.delegateGate, async ({ userId, params, body }) => ({
    run: (await runs.delegate(userId, at(params), params.ref, body.to === null ? null : (await people([body.to]))[0]!)).run,
  }));
  serveRoute(router, routes.overrideGate, async ({ userId, params, body }) => ({ run: (await runs.overrideGate(userId, at(params), params.ref, body.reason)).run }));
  serveRoute(router, routes.nameApprovers, async ({ userId, params, body }) => ({
    run: (await runs.addApprovers(userId, at(params), params.ref, await people(body.usernames), body.quorum ?? null)).run,
  }));
  serveRoute(router, routes.assignItem, async ({ userId, params, body }) => ({ run: (await runs.assign(userId, at(params), params.ref, await people(body.usernames))).run }));
  serveRoute(router, routes.dueItem, async ({ userId, params, body }) => ({ run: (await runs.setDue(userId, at(params), params.ref, body.due)).run }));
  serveRoute(router, routes.addItem, async ({ userId, params, body }) => runs.addItem(userId, at(params), String(body.checklist), body.title));
  serveRoute(router, routes.removeItem, async ({ userId, params }) => ({ run: (await runs.removeItem(userId, at(params), params.ref)).run }));
  serveRoute(router, routes.finish, async ({ userId, params, body }) => ({ run: await runs.finish(userId, at(params), body.override ?? null) }));
  serveRoute(router, routes.retro, async ({ userId, params }) => ({ retro: retroView(await runs.retro(userId, at(params))) }));
  serveRoute(router, routes.writeRetro, async ({ userId, params, body }) => ({ retro: retroView((await runs.writeRetroSection(userId, at(params), body.section - 1, body.text)).run) }));
  serveRoute(router, routes.publishRetro, async ({ userId, params }) => ({ retro: retroView(await runs.publishRetro(userId, at(params))) }));
  serveRoute(router, routes.stats, async ({ userId, params }) => ({ items: await runs.stats(userId, params.teamId) }));

  // A click on the card's buttons: the same use cases, and the same policy, as `/run check` and `/run approve`.
  router.post(RUN_CARD_ACTION_PATH, async (req, res) => {
    const click = parseInput(cardClickSchema, await integrationBody(req, CLICK_WORDS), 'body');
    const where = { teamId: click.context.team_id, number: click.context.number };
    try {
      if (click.context.action === 'exec') {
        const r = await runs.execItem(userIdOf(req), where, click.context.ref);
        res.json({ ephemeral_text: EXEC.reply(r.ref, r.command, r.outcome) });
        return;
      }
      const r =
        click.context.action === 'check'
          ? await runs.setItemState(userIdOf(req), where, click.context.ref, 'done')
          : await runs.answer(userIdOf(req), where, click.context.ref, 'approve', null);
      res.json({ ephemeral_text: r.changed ? reply.itemChanged(r.ref, click.context.action === 'check' ? 'checked' : 'you approved') : reply.nothingChanged(r.ref) });
    } catch (err) {
      // A refusal is the clicker's to read; Mattermost shows ephemeral_text to them alone.
      if (err instanceof UserError) res.json({ ephemeral_text: err.message });
      else throw err;
    }
  });
}

/** A button click as Mattermost posts it; only the context we set on the button is read. */
const cardClickSchema = z.object({
  context: z.object({
    team_id: z.string().max(64),
    number: z.string().regex(/^\d{1,9}$/).transform(Number),
    ref: z.string().regex(/^\d{1,2}\.\d{1,3}$/),
    action: z.enum(RUN_CARD_ACTIONS),
  }),
});

const CLICK_WORDS = { tooLarge: 'The button click is too large.', notJson: 'The button click is not valid JSON.' };
