/**
 * Guilds HTTP API for the webapp, under /plugins/infra-ops/api/v1 (caller = Mattermost-User-Id).
 * Guilds are found by slug (or name / unique slug prefix); team_id is the caller's current team.
 *
 * | method | path                    | body / query                                                        | answer                         |
 * |--------|-------------------------|---------------------------------------------------------------------|--------------------------------|
 * | GET    | /guilds                 | ?team_id                                                            | {guilds: (Guild & {nextMeetingAt})[]} |
 * | POST   | /guilds                 | {team_id, name, day 0-6, time "HH:MM", time_zone, every_weeks?, channel_id?, members?, sources?, purpose?} | {guild} |
 * | GET    | /guilds/:slug           | ?team_id                                                            | {guild, nextMeetingAt}         |
 * | PATCH  | /guilds/:slug           | {team_id, …any field of POST; channel_id null = no channel}         | {guild}                        |
 * | GET    | /guilds/:slug/agenda    | ?team_id                                                            | {agenda} (carried, queued, incidents, rfcs, ideas, notes) |
 * | POST   | /guilds/:slug/queue     | {team_id, text}                                                     | {guild, item}                  |
 * | POST   | /guilds/:slug/notes     | {team_id, kind: note|decision|action, text}                         | {guild}                        |
 * | POST   | /guilds/:slug/close     | {team_id, done?: string[], carry?: string[]}                        | {guild, meeting}               |
 *
 * Websocket event (custom_infra-ops_<name>, payload {data: JSON text}):
 * - guild_changed  {guild}  to the guild's channel members (or to the caller while the guild has no channel)
 *
 * Cadence posts (by the bot, in the guild's channel; see cadence.ts) carry props
 * {infra_ops_guild: slug, infra_ops_cadence: "reminder"|"start", infra_ops_meeting_at: ms}.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { parseInput, userIdOf } from '../shared/http';
import { GUILD_SOURCES, memberSchema } from './schema';
import type { GuildInput, GuildService } from './service';

const id = z.string().min(1).max(64);
const teamQuery = z.object({ team_id: id });
const slugParam = z.object({ slug: z.string().min(1).max(100) });
const settings = z.object({
  name: z.string().min(1).max(100).optional(),
  purpose: z.string().max(300).optional(),
  day: z.number().int().min(0).max(6).optional(),
  time: z.string().max(5).optional(),
  time_zone: z.string().max(64).optional(),
  every_weeks: z.number().int().min(1).max(12).optional(),
  channel_id: id.nullable().optional(),
  members: z.array(memberSchema).max(50).optional(),
  sources: z.array(z.enum(GUILD_SOURCES)).optional(),
});

function toInput(body: z.output<typeof settings>): GuildInput {
  const input: GuildInput = {
    name: body.name,
    purpose: body.purpose,
    day: body.day,
    time: body.time,
    timeZone: body.time_zone,
    everyWeeks: body.every_weeks,
    channelId: body.channel_id,
    members: body.members,
    sources: body.sources,
  };
  for (const key of Object.keys(input) as Array<keyof GuildInput>) if (input[key] === undefined) delete input[key];
  return input;
}

export function guildRoutes(router: Router, guilds: GuildService): void {
  router.get('/guilds', async (req, res) => {
    const q = parseInput(teamQuery, req.query);
    const all = await guilds.list(userIdOf(req), q.team_id);
    res.json({ guilds: all.map((g) => ({ ...g, nextMeetingAt: guilds.nextMeetingAt(g) })) });
  });

  router.post('/guilds', async (req, res) => {
    const body = parseInput(settings.extend({ team_id: id }), req.body);
    res.status(201).json({ guild: await guilds.create(userIdOf(req), body.team_id, toInput(body)) });
  });

  router.get('/guilds/:slug', async (req, res) => {
    const { slug } = parseInput(slugParam, req.params);
    const q = parseInput(teamQuery, req.query);
    const guild = await guilds.get(userIdOf(req), q.team_id, slug);
    res.json({ guild, nextMeetingAt: guilds.nextMeetingAt(guild) });
  });

  router.patch('/guilds/:slug', async (req, res) => {
    const { slug } = parseInput(slugParam, req.params);
    const body = parseInput(settings.extend({ team_id: id }), req.body);
    res.json({ guild: await guilds.edit(userIdOf(req), body.team_id, slug, toInput(body)) });
  });

  router.get('/guilds/:slug/agenda', async (req, res) => {
    const { slug } = parseInput(slugParam, req.params);
    const q = parseInput(teamQuery, req.query);
    res.json({ agenda: await guilds.agenda(userIdOf(req), q.team_id, slug) });
  });

  router.post('/guilds/:slug/queue', async (req, res) => {
    const { slug } = parseInput(slugParam, req.params);
    const body = parseInput(z.object({ team_id: id, text: z.string().min(1).max(1000) }), req.body);
    res.status(201).json(await guilds.queue(userIdOf(req), body.team_id, slug, body.text));
  });

  router.post('/guilds/:slug/notes', async (req, res) => {
    const { slug } = parseInput(slugParam, req.params);
    const body = parseInput(z.object({ team_id: id, kind: z.enum(['note', 'decision', 'action']).default('note'), text: z.string().min(1).max(2000) }), req.body);
    res.status(201).json({ guild: await guilds.addNote(userIdOf(req), body.team_id, slug, body.kind, body.text) });
  });

  router.post('/guilds/:slug/close', async (req, res) => {
    const { slug } = parseInput(slugParam, req.params);
    const body = parseInput(z.object({ team_id: id, done: z.array(z.string().max(40)).max(200).optional(), carry: z.array(z.string().max(40)).max(200).optional() }), req.body);
    res.json(await guilds.close(userIdOf(req), body.team_id, slug, { done: body.done, carry: body.carry }));
  });
}
