// The team calendar in process (the whole product on the in-memory Mattermost): links shown once
// and stored only as hashes, the public route with no session, rotation, and access evaluated
// live as the link's owner at every fetch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryWorld } from '../../plugin/testing/memory_api';
import { ProductHarness } from '../testing/product_harness';
import { seedTeam } from '../testing/team_seed';

const tokensOf = (text: string): string[] => [...text.matchAll(/\/plugins\/infra-ops\/calendar\/([\w-]{43})\.ics/g)].map((m) => m[1]!);

async function setup() {
  const world = new MemoryWorld();
  const seeded = seedTeam(world);
  const node = await new ProductHarness(world).activate();
  const { team, alice, bob, town } = seeded;
  for (const u of [alice, bob]) world.addChannelMember(town.Id, u.Id);
  const secret = world.addChannel(team.Id, 'secret', 'P');
  world.addChannelMember(secret.Id, alice.Id);
  world.addChannelMember(secret.Id, bob.Id);
  const say = async (user: typeof alice, text: string, channelId = town.Id): Promise<string> => (await node.command(user, channelId, text)).Text ?? '';
  const ics = (token: string) => node.http('GET', `/calendar/${token}.ics`, null);
  const summaries = async (token: string): Promise<string[]> => {
    const res = await ics(token);
    assert.equal(res.status, 200);
    return [...String(res.body).matchAll(/\r\nSUMMARY:([^\r]*)/g)].map((m) => m[1]!);
  };
  return { world, node, ...seeded, secret, say, ics, summaries };
}

test('/infra calendar shows two links once, stores only their hashes, and serves them without a session', async () => {
  const { node, alice, say, ics } = await setup();
  const first = await say(alice, '/infra calendar');
  const [teamToken, meToken] = tokensOf(first);
  assert.ok(teamToken && meToken && teamToken !== meToken, first);
  assert.match(first, /http:\/\/localhost:8065\/plugins\/infra-ops\/calendar\//);
  assert.deepEqual(tokensOf(await say(alice, '/infra calendar')), [], 'never shown again');
  assert.match(await say(alice, '/infra calendar'), /not shown again/);
  const keys = await node.api.kvList(0, 1000);
  const values = await Promise.all(keys.map(async (k) => Buffer.from((await node.api.kvGet(k)) ?? []).toString('utf8')));
  assert.ok(![...keys, ...values].some((s) => s.includes(teamToken) || s.includes(meToken)), 'no token stored');
  const res = await ics(meToken);
  assert.equal(res.status, 200);
  assert.match(String(res.body), /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
  // /infra keeps its own subcommands next to the calendar's.
  assert.match(await say(alice, '/infra help'), /calendar/);
  assert.match(await say(alice, '/infra version'), /^.*\b\d+\.\d+\.\d+/);
});

test('rotating revokes the old link at once; each person rotates only their own', async () => {
  const { alice, bob, say, ics } = await setup();
  const [aliceTeam, aliceMe] = tokensOf(await say(alice, '/infra calendar'));
  const [bobTeam] = tokensOf(await say(bob, '/infra calendar'));
  const [newTeam] = tokensOf(await say(alice, '/infra calendar rotate team'));
  assert.ok(newTeam && newTeam !== aliceTeam);
  assert.equal((await ics(aliceTeam!)).status, 404);
  assert.equal((await ics(newTeam)).status, 200);
  assert.equal((await ics(aliceMe!)).status, 200);
  assert.equal((await ics(bobTeam!)).status, 200);
  assert.match(await say(alice, '/infra calendar rotate everyone'), /Say which link/);
  assert.match(await say(alice, '/infra calendar rotate team me'), /Say which link/);
  const both = tokensOf(await say(alice, '/infra calendar rotate'));
  assert.equal(both.length, 2);
  assert.equal((await ics(newTeam)).status, 404);
  assert.equal((await ics(aliceMe!)).status, 404);
  for (const token of both) assert.equal((await ics(token)).status, 200);
  assert.equal((await ics('x'.repeat(43))).status, 404);
  assert.equal((await ics('not-a-token')).status, 404);
});

test('a private channel guild is only in the personal feeds of its members, live; a team feed never lists it', async () => {
  const { world, alice, bob, carol, secret, say, summaries } = await setup();
  await say(alice, '/guild create Open Sync --day mon --time 10:00 --tz Europe/Berlin --channel ~town-square');
  await say(alice, '/guild create Hush --day tue --time 11:00 --tz UTC --channel ~secret', secret.Id);
  const [aliceTeam, aliceMe] = tokensOf(await say(alice, '/infra calendar'));
  const [, bobMe] = tokensOf(await say(bob, '/infra calendar'));
  const [, carolMe] = tokensOf(await say(carol, '/infra calendar'));
  assert.deepEqual((await summaries(aliceMe!)).filter((s) => s.includes('guild meeting')).sort(), ['Hush (guild meeting)', 'Open Sync (guild meeting)']);
  assert.deepEqual((await summaries(aliceTeam!)).filter((s) => s.includes('guild meeting')), ['Open Sync (guild meeting)']);
  assert.ok(!(await summaries(carolMe!)).includes('Hush (guild meeting)'));
  assert.ok((await summaries(bobMe!)).includes('Hush (guild meeting)'));
  world.channelMembers.delete(`${secret.Id}:${bob.Id}`);
  assert.ok(!(await summaries(bobMe!)).includes('Hush (guild meeting)'), 'gone once he left the channel');
});

test("a feed stops when its owner leaves the team or is deactivated; guests get no links", async () => {
  const { world, team, alice, bob, say, ics } = await setup();
  const [, aliceMe] = tokensOf(await say(alice, '/infra calendar'));
  const [bobTeam] = tokensOf(await say(bob, '/infra calendar'));
  world.teamMembers.get(`${team.Id}:${alice.Id}`)!.DeleteAt = Date.now();
  assert.equal((await ics(aliceMe!)).status, 404);
  world.users.get(bob.Id)!.DeleteAt = Date.now();
  assert.equal((await ics(bobTeam!)).status, 404);
  const guest = world.addUser('gus', { Roles: 'system_guest' });
  world.addTeamMember(team.Id, guest.Id, 'team_guest');
  assert.deepEqual(tokensOf(await say(guest, '/infra calendar')), []);
});

test('guild rhythm commands: skip needs the guild’s runners, holidays need a team admin, and both move the next meeting', async () => {
  const { node, alice, bob, admin, say } = await setup();
  node.clock = Date.UTC(2027, 2, 20, 12); // Saturday 20 March 2027
  assert.match(await say(alice, `/guild create Weekly --day mon --time 10:00 --tz Europe/Berlin --channel ~town-square --members @alice @bob`), /Created/);
  assert.match(await say(bob, '/guild skip weekly 2027-03-22'), /Only .* can change Weekly/);
  assert.match(await say(alice, '/guild skip weekly 2027-03-23'), /does not meet on 2027-03-23; its nearest meeting from then is Mon 2027-03-29 10:00/);
  assert.match(await say(alice, '/guild skip weekly 2027-03-22'), /Called off the Weekly meeting of 2027-03-22.*Next meeting: Mon 2027-03-29 10:00 Europe\/Berlin \(08:00 UTC\)/);
  assert.match(await say(bob, '/guild holidays add 2027-03-29 Easter Monday'), /Only .* can change the team holidays/);
  assert.match(await say(admin, '/guild holidays add 2027-03-29 Easter Monday'), /Added 2027-03-29 \(Easter Monday\) as a team holiday; 1 guild skips its meeting on it/);
  assert.match(await say(alice, '/guild next weekly'), /2027-04-05 10:00/);
  assert.match(await say(bob, '/guild holidays list'), /2027-03-29 — Easter Monday/);
  assert.match(await say(alice, '/guild rota weekly'), /Mon 2027-04-05 10:00 .*: facilitator @alice, scribe @bob/);
  assert.match(await say(alice, '/guild swap weekly facilitator @bob'), /Swapped[\s\S]*facilitator @bob, scribe @alice/);
  assert.match(await say(alice, '/guild close weekly'), /--early/);
  assert.match(await say(admin, '/guild holidays remove 2027-03-29'), /Removed the team holiday 2027-03-29/);
  assert.match(await say(alice, '/guild unskip weekly 2027-03-22'), /is on again\. Next meeting: Mon 2027-03-22 10:00/);
  assert.match(await say(alice, '/guild skip weekly 2027-13-01'), /not a date/);
});
