/**
 * The public feed route, `GET /plugins/infra-ops/calendar/<token>.ics` (contract/calendar.ts).
 * It is mounted on the plugin's root router, outside /api/v1 and its JSON convention: calendar
 * apps send no Mattermost session, so the token is the credential, and the answer is
 * `text/calendar`. Every refusal (bad shape, unknown or revoked token, owner gone) is the same 404.
 */
import type { Router } from 'express';
import { CALENDAR_ROUTE } from '../contract/calendar';
import type { CalendarService } from './service';

export function calendarRootRoutes(router: Router, calendar: CalendarService): void {
  router.get(CALENDAR_ROUTE, async (req, res) => {
    const file = String(req.params.file ?? '');
    const ics = file.endsWith('.ics') ? await calendar.render(file.slice(0, -4)) : null;
    if (ics === null) {
      res.status(404).type('text/plain').send('Not found.');
      return;
    }
    // Access is evaluated at each fetch: nothing may keep an old answer for someone else.
    res.status(200).set('Cache-Control', 'private, no-cache').type('text/calendar; charset=utf-8').send(ics);
  });
}
