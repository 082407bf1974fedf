import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as z from 'zod/mini';
import { guildRoutes } from '../contract/guilds';
import { guildFixture } from './test_fixture';

const decode = <S extends z.ZodMiniType>(schema: S, body: unknown): z.output<S> => z.parse(schema, body);

test('HTTP follows the contract: team in the path, views not records, strict bodies, one 404 for missing and invisible', async () => {
  const f = await guildFixture({}, Date.parse('2027-01-03T12:00:00Z'));
  const t = `/teams/${f.team.Id}/guilds`;
  const created = await f.http('POST', t, f.alice, { name: 'Web Guild', day: 2, time: '10:00', time_zone: 'Europe/Berlin', channel_id: f.town.Id, sources: ['rfcs'], facilitators: [f.bob.Id] });
  assert.equal(created.status, 201);
  const guild = decode(guildRoutes.create.answer, created.body).guild;
  assert.deepEqual([guild.slug, guild.teamId, guild.facilitators, guild.nextMeetingAt], ['web-guild', f.team.Id, [f.bob.Id], Date.parse('2027-01-05T09:00:00Z')]);

  const bad: Array<[unknown, RegExp]> = [
    [{ name: 'Bad', day: 9, time: '10:00', time_zone: 'UTC' }, /day/],
    [{ name: 'Bad', day: 1, time: '10:00', time_zone: 'Nowhere/City' }, /not an IANA time zone/],
    [{ name: 'Bad', day: 1, time: '10:00', time_zone: 'EST' }, /not an IANA time zone/],
    [{ name: 'Bad', day: 1, time: '10:00', time_zone: 'UTC', colour: 'red' }, /colour/],
    [{ name: 'Ghosts', day: 1, time: '10:00', time_zone: 'UTC', members: [{ kind: 'user', userId: f.olga.Id }] }, new RegExp(`Member ${f.olga.Id} is not on this team`)],
    [{ name: 'Spam', day: 1, time: '10:00', time_zone: 'UTC', members: [{ kind: 'label', text: '@channel' }] }, /@channel can't be a guild member/],
    [{ name: 'Far', day: 1, time: '10:00', time_zone: 'UTC', channel_id: f.elsewhere.Id }, /There is no channel with that id in this team that you can post in/],
  ];
  for (const [body, expected] of bad) {
    const answer = await f.http('POST', t, f.alice, body);
    assert.match(`${answer.status} ${(answer.body as { error: string }).error}`, new RegExp(`^(400|404) .*${expected.source}`), JSON.stringify(body));
  }
  // bob may post in the other team's channel: it is still not this team's.
  const far = await f.http('POST', t, f.bob, { name: 'Far', day: 1, time: '10:00', time_zone: 'UTC', channel_id: f.elsewhere.Id });
  assert.deepEqual([far.status, (far.body as { error: string }).error], [400, "The guild's channel must be a channel of this team."]);

  const list = decode(guildRoutes.list.answer, (await f.http('GET', t, f.carol)).body);
  assert.deepEqual(list.items.map((g) => g.slug).sort(), ['infrastructure-guild', 'reliability-engineering-guild', 'web-guild']);
  assert.equal(list.nextCursor, null);

  const queued = await f.http('POST', `${t}/web-guild/queue`, f.carol, { text: 'Bundle size' });
  assert.equal(queued.status, 201);
  assert.equal(decode(guildRoutes.queue.answer, queued.body).item.id, 1);
  assert.equal((await f.http('POST', `${t}/web-guild/queue`, f.carol, {})).status, 400);
  assert.equal((await f.http('POST', `${t}/web-guild/notes`, f.carol, { kind: 'decision', text: 'Ship it' })).status, 201);
  const agenda = decode(guildRoutes.agenda.answer, (await f.http('GET', `${t}/web-guild/agenda`, f.carol)).body).agenda;
  assert.deepEqual([agenda.queued[0]!.text, agenda.notes[0]!.text], ['Bundle size', 'Ship it']);

  assert.equal((await f.http('PATCH', `${t}/web-guild`, f.carol, { time: '11:00' })).status, 403);
  assert.equal((await f.http('PATCH', `${t}/web-guild`, f.bob, { every_weeks: 3 })).status, 200, 'a facilitator may edit');
  assert.equal((await f.http('DELETE', `${t}/web-guild/queue/1`, f.dave)).status, 403);
  f.clock.now = Date.parse('2027-01-05T09:30:00Z');
  const closed = await f.http('POST', `${t}/web-guild/close`, f.bob, { carry: ['Q1'] });
  assert.equal(closed.status, 200);
  assert.deepEqual(decode(guildRoutes.close.answer, closed.body).meeting.carried, ['Q1 Bundle size']);
  const removed = await f.http('DELETE', `${t}/web-guild/queue/1`, f.carol);
  assert.equal(decode(guildRoutes.unqueue.answer, removed.body).item.text, 'Bundle size');

  assert.equal((await f.http('GET', `${t}/nope/agenda`, f.bob)).status, 404);
  assert.equal((await f.http('GET', t, f.olga)).status, 404, 'not in the team');
  assert.equal((await f.http('GET', t, null)).status, 401);
  assert.equal((await f.http('GET', `/teams/not-an-id/guilds`, f.bob)).status, 400);
  assert.equal((await f.http('DELETE', `${t}/web-guild`, f.bob)).status, 403, 'a facilitator may not delete');
  assert.equal((await f.http('DELETE', `${t}/web-guild`, f.tina)).status, 200);
  assert.equal((await f.http('GET', `${t}/web-guild`, f.alice)).status, 404);
  f.close();
});

test('hostile input: a megabyte field and regex-bomb shaped names are refused quickly', async () => {
  const f = await guildFixture();
  const t = `/teams/${f.team.Id}/guilds`;
  const started = Date.now();
  const huge = 'a'.repeat(1_000_000);
  assert.equal((await f.http('POST', `${t}/infrastructure-guild/queue`, f.bob, { text: huge })).status, 400);
  assert.match(await f.cmd(f.bob, `/guild create ${'@;'.repeat(2000)}x --day mon --time 10:00 --tz UTC --members ${'@;'.repeat(2000)}x`), /Error/);
  assert.match(await f.cmd(f.bob, `/guild queue ${' '.repeat(5000)}x`), /Error/);
  assert.match(await f.cmd(f.bob, `/guild create X --day mon --time 10:00 --tz ${'Europe/'.repeat(500)}`), /not an IANA time zone/);
  assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
  f.close();
});
