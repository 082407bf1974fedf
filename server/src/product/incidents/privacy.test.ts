// Incident privacy is the channel's, live (security review H2, M3): visibility, events, the feed,
// metrics and agendas follow the channel's type and membership *now*, for every role.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IncidentMetricsView, IncidentView } from '../contract/incidents';
import { createIncidentsFeature } from './feature';
import { fixture, messages } from './test_fixture';

type Page = { items: IncidentView[]; nextCursor: string | null };

test('a public incident converted to private: hidden from non-members at once, and the feed hears no more', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const { h, world, alice, dave } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare sev2 Payment API errors --public'));
  const url = f.url('/1');
  assert.equal((await h.http('GET', url, dave)).status, 200, 'public: the team reads it');
  assert.match(await f.cmd(dave, '/incident info INC-1', f.town), /### INC-001: Payment API errors/);
  await f.cmd(alice, '/incident status Investigating', ch);
  assert.match(messages(world, f.feed.Id).at(-1)!, /Investigating/, 'public: the update reaches the feed');

  // A team admin uses "Convert to Private Channel".
  world.channels.get(ch.Id)!.Type = 'P';
  assert.deepEqual(await h.http('GET', url, dave).then(({ status, body }) => ({ status, body })), { status: 404, body: { error: 'No such incident.' } });
  assert.deepEqual(((await h.http('GET', f.url('?state=all'), dave)).body as Page).items, []);
  assert.equal((((await h.http('GET', f.url('/metrics'), dave)).body as { metrics: IncidentMetricsView }).metrics).total, 0);
  assert.match(await f.cmd(dave, '/incident info INC-1', f.town), /^\*\*Error:\*\* No such incident\.$/, 'the same answer as for no incident');
  assert.match(await f.cmd(dave, '/incident follow 1', f.town), /No such incident/);
  const forAlice = (await h.http('GET', url, alice)).body as { incident: IncidentView };
  assert.equal(forAlice.incident.private, true, 'the view says what the channel is now');

  const feedBefore = messages(world, f.feed.Id).length;
  const eventsBefore = world.events.length;
  await f.cmd(alice, '/incident status Root cause: leaked AWS keys in repo X', ch);
  await f.cmd(alice, '/incident severity 1', ch);
  assert.deepEqual(
    messages(world, f.feed.Id).slice(feedBefore),
    ['⚠️ **INC-001** (private) changed from SEV2 (Major) to **SEV1 (Critical)**.'],
    'no status update in the feed; the severity change without the title (usability A5)',
  );
  const later = world.events.slice(eventsBefore);
  assert.ok(later.length > 0);
  for (const e of later) assert.ok(e.broadcast.ChannelId === ch.Id || e.broadcast.UserId, `${e.event} goes to the channel or a follower`);
  assert.ok(!later.some((e) => e.broadcast.TeamId), 'never team-wide');
  await f.cmd(alice, '/incident resolve Keys rotated', ch);
  assert.equal(messages(world, f.feed.Id).at(-1), '✅ **INC-001** (private) was resolved.', 'the feed learns only that it was resolved');

  // Back to public: the team sees it again, and the feed hears the reopen with its title.
  world.channels.get(ch.Id)!.Type = 'O';
  assert.equal((await h.http('GET', url, dave)).status, 200);
  await f.cmd(alice, '/incident reopen', ch);
  assert.match(messages(world, f.feed.Id).at(-1)!, /🔁 \*\*INC-001: Payment API errors\*\* was reopened by @alice/);
  h.close();
});

test('guests see only incidents whose channel they are in; they cannot declare', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const { h, world, alice } = f;
  const guest = world.addUser('gus', { Roles: 'system_guest' });
  world.addTeamMember(f.team.Id, guest.Id, 'team_guest');
  const theirs = f.channelOf(await f.cmd(alice, '/incident declare Guest is here --public'));
  await f.cmd(alice, '/incident declare Guest is not here --public');
  world.addChannelMember(theirs.Id, guest.Id, 'channel_guest');

  const list = (await h.http('GET', f.url(), guest)).body as Page;
  assert.deepEqual(list.items.map((i) => i.reference), ['INC-001']);
  assert.equal((await h.http('GET', f.url('/2'), guest)).status, 404, 'an open channel of the team is not a guest’s');
  assert.equal((await h.http('GET', f.url('/1'), guest)).status, 200);
  assert.equal(((await h.http('GET', f.url('/metrics'), guest)).body as { metrics: IncidentMetricsView }).metrics.total, 1);
  assert.match(await f.cmd(guest, '/incident declare Guest incident', theirs), /No such team/);
  assert.match(await f.cmd(guest, '/incident status Guest update', theirs), /Status update for INC-001 posted/, 'a guest in the channel responds like any member');
  h.close();
});

test('numbers never resolve in another team; users of another team see nothing', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const { h, world, alice } = f;
  await f.cmd(alice, '/incident declare Ops outage');
  const other = world.addTeam('other');
  const stranger = world.addUser('stranger');
  world.addTeamMember(other.Id, stranger.Id);
  world.addTeamMember(other.Id, alice.Id);
  const square = world.addChannel(other.Id, 'square');
  assert.match((await h.command(alice, square.Id, '/incident declare Other outage', other)).Text ?? '', /INC-001/);
  const otherUrl = `/api/v1/teams/${other.Id}/incidents`;
  assert.equal(((await h.http('GET', `${otherUrl}/1`, alice)).body as { incident: IncidentView }).incident.title, 'Other outage');
  assert.equal(((await h.http('GET', f.url('/1'), alice)).body as { incident: IncidentView }).incident.title, 'Ops outage');
  assert.deepEqual(await h.http('GET', f.url('/1'), stranger).then(({ status, body }) => ({ status, body })), { status: 404, body: { error: 'No such incident.' } });
  assert.deepEqual(await h.http('GET', f.url(), stranger).then(({ status, body }) => ({ status, body })), { status: 404, body: { error: 'No such team.' } });
  assert.equal((await h.http('GET', f.url('/metrics'), stranger)).status, 404);
  assert.match((await h.command(stranger, square.Id, '/incident info 1', other)).Text ?? '', /Other outage/, 'INC-1 in their team is theirs');
  h.close();
});

test('agendas: a guild post shows only incidents of open channels; a public→private conversion hides one at once', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const reviews = createIncidentsFeature(f.h.ctx).reviews;
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare Review me'));
  await f.cmd(f.alice, '/incident resolve', ch);
  assert.deepEqual((await reviews.pendingReview(f.team.Id, { channelId: f.town.Id })).items.map((i) => i.reference), ['INC-001']);
  f.world.channels.get(ch.Id)!.Type = 'P';
  assert.deepEqual(await reviews.pendingReview(f.team.Id, { channelId: f.town.Id }), { items: [], hidden: 1 });
  const elsewhere = f.world.addChannel(f.world.addTeam('other').Id, 'square');
  f.world.channels.get(ch.Id)!.Type = 'O';
  assert.deepEqual(await reviews.pendingReview(f.team.Id, { channelId: elsewhere.Id }), { items: [], hidden: 1 }, 'never into another team');
  f.h.close();
});

test('the bot writes only where the actor may: follow posts nothing, a read-only incident channel refuses updates', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const { world, alice, dave } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare Quiet follow'));
  const before = messages(world, ch.Id).length;
  assert.match(await f.cmd(dave, '/incident follow INC-001', f.town), /You follow INC-001/, 'from anywhere in the team');
  assert.equal(messages(world, ch.Id).length, before, 'no notice in a channel dave cannot post in');
  world.addChannelMember(ch.Id, dave.Id);
  world.readOnlyChannels.add(ch.Id);
  assert.match(await f.cmd(dave, '/incident timeline add Read-only?', ch), /can't post in that channel/);
  assert.match(await f.cmd(alice, '/incident status Still fine', ch), /can't post in that channel/, 'moderation binds the commander too');
  f.h.close();
});

test('relayed text never fires channel-wide mentions the author could not, and never in the feed', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const { world, alice } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare @here Mentions'));
  await f.cmd(alice, '/incident status @all we are back', ch);
  const inChannel = messages(world, ch.Id).find((m) => m.includes('we are back'))!;
  assert.match(inChannel, /@all we are back/, 'alice may mention the channel she is in');
  const inFeed = messages(world, f.feed.Id).filter((m) => m.includes('we are back') || m.includes('Mentions'));
  assert.equal(inFeed.length, 2);
  for (const m of inFeed) assert.doesNotMatch(m, /(^|\s)@(all|here)\b/, 'neutralised in the feed');
  const relayed = world.postsIn(f.feed.Id).at(-1)!;
  assert.equal(relayed.Props?.['mentionHighlightDisabled'], true);
  f.h.close();
});
