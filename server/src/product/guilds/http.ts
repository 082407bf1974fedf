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
import { pathParamsSchema } from '../contract/api';
import { guildRoutes } from '../contract/guilds';
import { parseInput, userIdOf } from '../shared/http';
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

  router.get(R.list.path, async (req, res) => {
    const { teamId } = parseInput(pathParamsSchema(R.list.path), req.params);
    const all = await guilds.list(userIdOf(req), teamId);
    res.json({ items: all.map(view), nextCursor: null });
  });

  router.post(R.create.path, async (req, res) => {
    const { teamId } = parseInput(pathParamsSchema(R.create.path), req.params);
    const body = parseInput(R.create.body, req.body);
    const { guild } = await guilds.create(userIdOf(req), teamId, toInput(body));
    res.status(201).json({ guild: view(guild) });
  });

  router.get(R.get.path, async (req, res) => {
    const { teamId, slug } = parseInput(pathParamsSchema(R.get.path), req.params);
    res.json({ guild: view(await guilds.get(userIdOf(req), teamId, slug)) });
  });

  router.patch(R.edit.path, async (req, res) => {
    const { teamId, slug } = parseInput(pathParamsSchema(R.edit.path), req.params);
    const body = parseInput(R.edit.body, req.body);
    const { guild } = await guilds.edit(userIdOf(req), teamId, slug, toInput(body));
    res.json({ guild: view(guild) });
  });

  router.delete(R.delete.path, async (req, res) => {
    const { teamId, slug } = parseInput(pathParamsSchema(R.delete.path), req.params);
    const guild = await guilds.delete(userIdOf(req), teamId, slug);
    res.json({ guild: guildView(guild, null) });
  });

  router.get(R.agenda.path, async (req, res) => {
    const { teamId, slug } = parseInput(pathParamsSchema(R.agenda.path), req.params);
    res.json({ agenda: agendaView(await guilds.agenda(userIdOf(req), teamId, slug)) });
  });

  router.post(R.queue.path, async (req, res) => {
    const { teamId, slug } = parseInput(pathParamsSchema(R.queue.path), req.params);
    const body = parseInput(R.queue.body, req.body);
    const { guild, item } = await guilds.queue(userIdOf(req), teamId, slug, body.text);
    res.status(201).json({ guild: view(guild), item: queueItemView(item) });
  });

  router.delete(R.unqueue.path, async (req, res) => {
    const { teamId, slug, n } = parseInput(pathParamsSchema(R.unqueue.path), req.params);
    const { guild, item } = await guilds.unqueue(userIdOf(req), teamId, slug, `Q${n}`);
    res.json({ guild: view(guild), item: queueItemView(item) });
  });

  router.post(R.note.path, async (req, res) => {
    const { teamId, slug } = parseInput(pathParamsSchema(R.note.path), req.params);
    const body = parseInput(R.note.body, req.body);
    res.status(201).json({ guild: view((await guilds.note(userIdOf(req), teamId, slug, body.kind ?? 'note', body.text)).guild) });
  });

  router.delete(R.unnote.path, async (req, res) => {
    const { teamId, slug, n } = parseInput(pathParamsSchema(R.unnote.path), req.params);
    const { guild, note, id } = await guilds.unnote(userIdOf(req), teamId, slug, `N${n}`);
    res.json({ guild: view(guild), note: noteView({ ...note, id }, id - 1) });
  });

  router.post(R.close.path, async (req, res) => {
    const { teamId, slug } = parseInput(pathParamsSchema(R.close.path), req.params);
    const body = parseInput(R.close.body, req.body);
    const { guild, meeting } = await guilds.close(userIdOf(req), teamId, slug, { done: body.done, carry: body.carry, early: body.early ?? false });
    res.json({ guild: view(guild), meeting: meetingView(meeting) });
  });
}
