import type { Router } from 'express';
import { z } from 'zod';
import { RUN_SNOOZES, RUN_STATUS_ACTION_PATH, runRoutes as routes } from '../contract/runs';
import { UserError } from '../shared/errors';
import { integrationBody, parseInput, serveRoute, userIdOf } from '../shared/http';
import { STATUS } from './messages';
import type { RunService } from './service';

/** Status updates over HTTP (the contract's routes), and the reminder's snooze buttons: the same use cases as the commands. */
export function statusHttpRoutes(router: Router, runs: RunService): void {
  const where = (params: { teamId: string; number: number }) => ({ teamId: params.teamId, number: params.number });
  serveRoute(router, routes.statusUpdate, async ({ userId, params, body }) => ({ run: (await runs.status.update(userId, where(params), body.text)).run }));
  serveRoute(router, routes.cadence, async ({ userId, params, body }) => ({
    run: (await runs.status.setCadence(userId, where(params), 'by_severity' in body ? 'severity' : { minutes: body.minutes })).run,
  }));
  serveRoute(router, routes.snooze, async ({ userId, params, body }) => ({ run: (await runs.status.snooze(userId, where(params), body.for)).run }));
  serveRoute(router, routes.requestUpdate, async ({ userId, params }) => {
    const r = await runs.status.requestUpdate(userId, where(params));
    return { run: r.run, asked: r.asked };
  });

  router.post(RUN_STATUS_ACTION_PATH, async (req, res) => {
    const click = parseInput(snoozeClickSchema, await integrationBody(req, CLICK_WORDS), 'body');
    try {
      const r = await runs.status.snooze(userIdOf(req), { teamId: click.context.team_id, number: click.context.number }, click.context.snooze);
      res.json({ ephemeral_text: r.changed ? STATUS.replies.snoozed(r.run.reference, r.until) : STATUS.replies.nothing(r.run.reference) });
    } catch (err) {
      // A refusal is the clicker's to read; Mattermost shows ephemeral_text to them alone.
      if (err instanceof UserError) res.json({ ephemeral_text: err.message });
      else throw err;
    }
  });
}

/** A snooze button click as Mattermost posts it; only the context we set on the button is read. */
const snoozeClickSchema = z.object({
  context: z.object({
    team_id: z.string().max(64),
    number: z.string().regex(/^\d{1,9}$/).transform(Number),
    snooze: z.enum(RUN_SNOOZES),
  }),
});

const CLICK_WORDS = { tooLarge: 'The button click is too large.', notJson: 'The button click is not valid JSON.' };
