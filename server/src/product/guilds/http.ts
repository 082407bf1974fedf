/**
 * Guilds HTTP API, under /plugins/infra-ops/api/v1 (the convention is in contract/api.ts; the
 * routes, bodies and answers are contract/guilds.ts `guildRoutes`). A guild is found by its slug,
 * its name or a unique prefix, among the team's guilds the caller may see; the same 404 answers a
 * guild that does not exist and one the caller may not see.
 *
 * | method | path                                       | body                                  | answer            |
 * |--------|--------------------------------------------|---------------------------------------|-------------------|
 * | GET    | /teams/:teamId/guilds                      |                                       | {items, nextCursor: null} |
 * | POST   | /teams/:teamId/guilds                      | createGuildBody                       | 201 {guild}       |
 * | GET    | /teams/:teamId/guilds/:slug                |                                       | {guild}           |
 * | PATCH  | /teams/:teamId/guilds/:slug                | editGuildBody (channel_id null: none) | {guild}           |
 * | DELETE | /teams/:teamId/guilds/:slug                |                                       | {guild} (as it was) |
 * | GET    | /teams/:teamId/guilds/:slug/agenda         |                                       | {agenda}          |
 * | POST   | /teams/:teamId/guilds/:slug/queue          | {text}                                | 201 {guild, item} |
 * | DELETE | /teams/:teamId/guilds/:slug/queue/:n       |                                       | {guild, item}     |
 * | POST   | /teams/:teamId/guilds/:slug/notes          | {kind?, text}                         | 201 {guild}       |
 * | DELETE | /teams/:teamId/guilds/:slug/notes/:n       |                                       | {guild, note}     |
 * | POST   | /teams/:teamId/guilds/:slug/close          | {done?, carry?, early?}               | {guild, meeting}  |
 *
 * Websocket event: guild_changed {guild} to the guild's channel, or to the caller while it has none.
 * Cadence posts (by the bot, in the guild's channel; cadence.ts) carry the CADENCE_PROPS props.
 */
import type { Router } from 'express';
import { guildRoutes } from '../contract/guilds';
import { serveRoute } from '../shared/http';
import type { GuildInput, GuildService } from './service';
import { agendaView, guildView, meetingView, noteView, queueItemView } from './views';

interface SettingsBody {
  name?: string;
  purpose?: string;
  day?: number;
  time?: string;
  time_zone?: string;
  every_weeks?: number;
  channel_id?: string | null;
  members?: GuildInput['members'];
  facilitators?: readonly string[];
  sources?: GuildInput['sources'];
}

function toInput(body: SettingsBody): GuildInput {
  const input: GuildInput = {};
  if (body.name !== undefined) input.name = body.name;
  if (body.purpose !== undefined) input.purpose = body.purpose;
  if (body.day !== undefined) input.day = body.day;
  if (body.time !== undefined) input.time = body.time;
  if (body.time_zone !== undefined) input.timeZone = body.time_zone;
  if (body.every_weeks !== undefined) input.everyWeeks = body.every_weeks;
  if (body.channel_id !== undefined) input.channel = body.channel_id === null ? null : { id: body.channel_id };
  if (body.members !== undefined) input.members = body.members;
  if (body.facilitators !== undefined) input.facilitators = body.facilitators;
  if (body.sources !== undefined) input.sources = body.sources;
  return input;
}

export function guildHttpRoutes(router: Router, guilds: GuildService): void {
  const R = guildRoutes;
  const view = (g: Parameters<typeof guildView>[0]) => guildView(g, guilds.nextMeetingAt(g));

  serveRoute(router, R.list, async ({ userId, params: { teamId } }) => ({ items: (await guilds.list(userId, teamId)).map(view), nextCursor: null }));

  serveRoute(router, R.create, async ({ userId, params: { teamId }, body }) => ({ guild: view((await guilds.create(userId, teamId, toInput(body))).guild) }));

  serveRoute(router, R.get, async ({ userId, params: { teamId, slug } }) => ({ guild: view(await guilds.get(userId, teamId, slug)) }));

  serveRoute(router, R.edit, async ({ userId, params: { teamId, slug }, body }) => ({ guild: view((await guilds.edit(userId, teamId, slug, toInput(body))).guild) }));

  serveRoute(router, R.delete, async ({ userId, params: { teamId, slug } }) => ({ guild: guildView(await guilds.delete(userId, teamId, slug), null) }));

  serveRoute(router, R.agenda, async ({ userId, params: { teamId, slug } }) => ({ agenda: agendaView(await guilds.agenda(userId, teamId, slug)) }));

  serveRoute(router, R.queue, async ({ userId, params: { teamId, slug }, body }) => {
    const { guild, item } = await guilds.queue(userId, teamId, slug, body.text);
    return { guild: view(guild), item: queueItemView(item) };
  });

  serveRoute(router, R.unqueue, async ({ userId, params: { teamId, slug, n } }) => {
    const { guild, item } = await guilds.unqueue(userId, teamId, slug, `Q${n}`);
    return { guild: view(guild), item: queueItemView(item) };
  });

  serveRoute(router, R.note, async ({ userId, params: { teamId, slug }, body }) => ({
    guild: view((await guilds.note(userId, teamId, slug, body.kind ?? 'note', body.text)).guild),
  }));

  serveRoute(router, R.unnote, async ({ userId, params: { teamId, slug, n } }) => {
    const { guild, note, id } = await guilds.unnote(userId, teamId, slug, `N${n}`);
    return { guild: view(guild), note: noteView({ ...note, id }, id - 1) };
  });

  serveRoute(router, R.close, async ({ userId, params: { teamId, slug }, body }) => {
    const { guild, meeting } = await guilds.close(userId, teamId, slug, { done: body.done, carry: body.carry, early: body.early ?? false });
    return { guild: view(guild), meeting: meetingView(meeting) };
  });
}
