// Who sees and does what with an RFC (security review H3, M3, M4, M6, L4, L10, L12): every read,
// list, event, agenda line, `/infra owe` line and bot post follows the RFC's channel, live.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { teamFixture } from '../pick/test_fixture';
import { listCorruptRecords } from '../shared/corrupt_records';
import { RfcStore } from './store';
import { RfcService } from './service';

const rfcEvents = (f: Awaited<ReturnType<typeof teamFixture>>) => f.world.events.filter((e) => e.event === 'rfc_changed');

test('H3: an RFC of a private channel is invisible outside it, and nobody outside makes the bot post there', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/rfc new Migrate auth to Vault', f.secret);
  const before = f.world.postsIn(f.secret.Id).length;

  // carol is on the team, not in ~secret: the RFC answers exactly like a number never used.
  assert.doesNotMatch(await f.cmd(f.carol, '/rfc list'), /Vault/);
  assert.equal((await f.cmd(f.carol, '/rfc show 1')).replace('001', 'N'), (await f.cmd(f.carol, '/rfc show 99')).replace('099', 'N'));
  assert.match(await f.cmd(f.carol, '/rfc concern 1 @channel Your session expired, re-login at https://evil.example'), /There is no RFC-001 in this team/);
  for (const [method, path, body] of [
    ['GET', '', undefined],
    ['POST', '/concerns', { text: 'phish' }],
    ['POST', '/approve', {}],
    ['POST', '/decision', { action: 'reject' }],
  ] as const) {
    const res = await f.h.http(method, `/api/v1/teams/${f.team.Id}/rfcs/1${path}`, f.carol, body);
    assert.equal(res.status, 404, `${method} ${path}`);
  }
  const list = (await f.h.http('GET', `/api/v1/teams/${f.team.Id}/rfcs`, f.carol)).body as { items: unknown[] };
  assert.deepEqual(list.items, []);
  assert.equal(f.world.postsIn(f.secret.Id).length, before, 'no bot post in the private channel');

  // Events go to the RFC's channel only (never team-wide) and carry no RFC text.
  for (const e of rfcEvents(f)) {
    assert.deepEqual(e.broadcast, { ChannelId: f.secret.Id });
    assert.doesNotMatch(String(e.payload.data), /Vault/);
  }
  // Members of the channel act as before.
  assert.match(await f.cmd(f.bob, '/rfc concern 1 Rotation plan?', f.secret), /Raised concern #1/);
  assert.match(await f.cmd(f.bob, '/rfc show 1'), /Migrate auth to Vault/, 'from any channel of the team');
  f.h.close();
});

test('visibility is live: converting the channel to private hides its RFCs at once; guests see only their channels', async () => {
  const f = await teamFixture();
  f.world.addChannelMember(f.town.Id, f.dave.Id);
  await f.cmd(f.alice, '/rfc new Public plan');
  await f.cmd(f.alice, '/rfc review 1 @bob');
  f.world.channelMembers.delete(`${f.town.Id}:${f.dave.Id}`);
  assert.match(await f.cmd(f.dave, '/rfc show 1', f.secret), /Public plan/, 'an open channel: every team user may read it');
  assert.match(await f.cmd(f.bob, '/infra owe'), /Review RFC-001/);

  f.world.channels.get(f.town.Id)!.Type = 'P';
  assert.match(await f.cmd(f.dave, '/rfc show 1'), /There is no RFC-001/);
  assert.doesNotMatch(await f.cmd(f.dave, '/rfc list'), /Public plan/);
  assert.match(await f.cmd(f.bob, '/rfc show 1'), /Public plan/, 'members still see it');
  f.world.channelMembers.delete(`${f.town.Id}:${f.bob.Id}`);
  assert.doesNotMatch(await f.cmd(f.bob, '/infra owe'), /RFC-001/, 'owed reviews follow the channel too');

  const guest = f.world.addUser('gus', { Roles: 'system_guest' });
  f.world.addTeamMember(f.team.Id, guest.Id, 'team_guest');
  const lounge = f.world.addChannel(f.team.Id, 'lounge');
  f.world.addChannelMember(lounge.Id, guest.Id, 'channel_guest');
  f.world.addChannelMember(lounge.Id, f.alice.Id);
  f.world.channels.get(f.town.Id)!.Type = 'O';
  await f.cmd(f.alice, '/rfc new Lounge plan', lounge);
  const seen = await f.cmd(guest, '/rfc list', lounge);
  assert.match(seen, /Lounge plan/);
  assert.doesNotMatch(seen, /Public plan/, 'guests do not read open channels they are not in');
  assert.match(await f.cmd(guest, '/rfc show 1', lounge), /There is no RFC-001/);
  f.h.close();
});

test('L10: an RFC belongs to a team channel of its own team that the creator may post in', async () => {
  const f = await teamFixture();
  const base = `/api/v1/teams/${f.team.Id}/rfcs`;
  const otherTeam = f.world.addTeam('other');
  f.world.addTeamMember(otherTeam.Id, f.alice.Id);
  const foreign = f.world.addChannel(otherTeam.Id, 'foreign');
  f.world.addChannelMember(foreign.Id, f.alice.Id);
  const dm = await f.h.api.getDirectChannel(f.alice.Id, f.bob.Id);

  assert.equal((await f.h.http('POST', base, f.alice, { title: 'x', channel_id: foreign.Id })).status, 404, "another team's channel");
  assert.equal((await f.h.http('POST', base, f.alice, { title: 'x', channel_id: dm.Id })).status, 400, 'a DM');
  assert.equal((await f.h.http('POST', base, f.carol, { title: 'x', channel_id: f.secret.Id })).status, 404, 'a private channel she is not in');
  assert.match(await f.cmd(f.alice, '/rfc new In a DM', dm), /works in team channels, not in direct or group messages/);
  f.world.readOnlyChannels.add(f.town.Id);
  const readOnly = await f.h.http('POST', base, f.carol, { title: '@all free gift cards', channel_id: f.town.Id });
  assert.equal(readOnly.status, 403, 'a read-only channel');
  assert.match((readOnly.body as { error: string }).error, /can't post in that channel/);
  assert.equal(f.world.postsIn(f.town.Id).length, 0);
  assert.equal(f.world.postsIn(foreign.Id).length + f.world.postsIn(dm.Id).length, 0);
  f.h.close();
});

test('the bot writes only where the actor may: concerns need create_post; relayed text fires no mention the actor could not', async () => {
  const f = await teamFixture();
  f.world.addChannelMember(f.town.Id, f.dave.Id);
  await f.cmd(f.alice, '/rfc new @channel Adopt OpenTofu');
  const root = f.world.postsIn(f.town.Id).at(-1)!;
  assert.equal(root.Props?.mentionHighlightDisabled, true);
  assert.match(root.Message!, /#### RFC-001 @channel Adopt OpenTofu/, 'alice may mention the channel');

  const real = f.h.api.hasPermissionToChannel.bind(f.h.api);
  f.h.api.hasPermissionToChannel = async (userId, channelId, permission) =>
    userId === f.dave.Id && permission === 'use_channel_mentions' ? false : real(userId, channelId, permission);
  assert.match(await f.cmd(f.dave, '/rfc concern 1 @here @all see https://x.example'), /Raised concern #1/);
  const relayed = f.world.postsIn(f.town.Id).at(-1)!;
  assert.match(relayed.Message!, /raised concern #1 on RFC-001: @\u2060here @\u2060all see/);
  assert.equal(relayed.Props?.mentionHighlightDisabled, true);

  f.world.readOnlyChannels.add(f.town.Id);
  const posts = f.world.postsIn(f.town.Id).length;
  assert.match(await f.cmd(f.carol, '/rfc concern 1 spam'), /can't post in that channel/);
  assert.match(await f.cmd(f.alice, '/rfc review 1 @bob'), /can't post in that channel/, 'not even the owner, in a read-only channel');
  f.world.addChannelMember(f.town.Id, f.alice.Id, 'channel_user channel_admin');
  assert.match(await f.cmd(f.alice, '/rfc review 1 @bob'), /@bob cannot post in RFC-001's channel/);
  assert.equal(f.world.postsIn(f.town.Id).length, posts);
  assert.match(await f.cmd(f.carol, '/rfc show 1'), /Adopt OpenTofu/, 'reading is still fine');
  f.h.close();
});

test('reviewers must be able to see the RFC; the owner reviews nobody’s RFC of their own', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/rfc new Secret plan', f.secret);
  assert.match(await f.cmd(f.alice, '/rfc review 1 @carol', f.secret), /@carol cannot see RFC-001 \(they are not in its channel\)/);
  assert.match(await f.cmd(f.alice, '/rfc review 1 @alice', f.secret), /@alice owns RFC-001 and cannot review it/);
  assert.equal((await f.h.http('POST', `/api/v1/teams/${f.team.Id}/rfcs/1/review`, f.alice, { reviewers: [f.outsider.Id] })).status, 400);
  assert.match(await f.cmd(f.alice, '/rfc review 1 @bob', f.secret), /in review/);
  f.h.close();
});

test('ports: agenda lines and titles follow the reader; a channel reader sees open channels of its team and counts the rest', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/rfc new Open review');
  await f.cmd(f.alice, '/rfc review 1 @bob --days 3');
  await f.cmd(f.alice, '/rfc new Private review', f.secret);
  await f.cmd(f.alice, '/rfc review 2 @bob --days 2', f.secret);
  const rfcs = new RfcService(f.h.ctx, { title: async () => '', link: async () => ({ previous: null }) });
  const titles = async (r: Awaited<ReturnType<RfcService['inReview']>>) => r.items.map((i) => i.title);

  assert.deepEqual(await titles(await rfcs.inReview(f.team.Id, { userId: f.bob.Id })), ['Private review', 'Open review'], 'soonest deadline first');
  const carol = await rfcs.inReview(f.team.Id, { userId: f.carol.Id });
  assert.deepEqual([await titles(carol), carol.hidden], [['Open review'], 1]);
  const town = await rfcs.inReview(f.team.Id, { channelId: f.town.Id });
  assert.deepEqual([await titles(town), town.hidden], [['Open review'], 1], 'a post into ~town shows only what all its readers may see');
  const inSecret = await rfcs.inReview(f.team.Id, { channelId: f.secret.Id });
  assert.deepEqual(await titles(inSecret), ['Private review', 'Open review']);
  const otherTeam = f.world.addTeam('other');
  const elsewhere = await rfcs.inReview(f.team.Id, { channelId: f.world.addChannel(otherTeam.Id, 'x').Id });
  assert.deepEqual([elsewhere.items.length, elsewhere.hidden], [0, 2]);

  assert.equal(await rfcs.title(f.bob.Id, f.team.Id, 2), 'Private review');
  assert.equal(await rfcs.title(f.carol.Id, f.team.Id, 2), null);
  assert.equal(await rfcs.title(f.outsider.Id, f.team.Id, 1), null);
  assert.equal(await rfcs.title(f.bob.Id, otherTeam.Id, 1), null, 'a number of one team never resolves in another');
  f.h.close();
});

test('L4: supersede writes the new link first; a half-done one is never shown and completes when run again', async () => {
  const f = await teamFixture();
  for (const [title, channel] of [['Private old', f.secret], ['Public new', f.town], ['Public newest', f.town]] as const) {
    await f.cmd(f.alice, `/rfc new ${title}`, channel);
  }
  for (const n of [1, 2, 3]) {
    await f.cmd(f.alice, `/rfc review ${n} @bob --days 1`);
    await f.cmd(f.bob, `/rfc approve ${n}`);
    await f.cmd(f.alice, `/rfc accept ${n}`);
  }
  // A node died between the two writes of `/rfc supersede 3 by 2`: only the new link exists.
  const store = new RfcStore(f.h.ctx.kv);
  await store.update(f.team.Id, 2, (r) => ({ ...r, supersedes: [3] }));
  assert.doesNotMatch(await f.cmd(f.bob, '/rfc show 2'), /Supersedes/, 'an unconfirmed link is not shown');
  assert.match(await f.cmd(f.bob, '/rfc show 3'), /\*\*Accepted\*\*/);
  assert.match(await f.cmd(f.alice, '/rfc supersede 3 by 2'), /RFC-003 is superseded by RFC-002/);
  assert.match(await f.cmd(f.bob, '/rfc show 2'), /Supersedes RFC-003/);
  assert.deepEqual((await store.get(f.team.Id, 2))!.supersedes, [3], 'completed, not duplicated');

  // Lineage across channels: the private RFC is named only to those who can see it.
  const townPosts = f.world.postsIn(f.town.Id).length;
  assert.match(await f.cmd(f.alice, '/rfc supersede 1 by 2', f.secret), /RFC-001 is superseded by RFC-002/);
  assert.equal(f.world.postsIn(f.town.Id).length, townPosts, 'the public thread is not told about the private RFC');
  assert.match(f.world.postsIn(f.secret.Id).at(-1)!.Message!, /RFC-001 is superseded by RFC-002/);
  assert.match(await f.cmd(f.bob, '/rfc show 2'), /Supersedes RFC-003, RFC-001/);
  const carols = await f.cmd(f.carol, '/rfc show 2');
  assert.match(carols, /Supersedes RFC-003$/m);
  assert.doesNotMatch(carols, /RFC-001/);
  f.h.close();
});

test('L12: approvers are the accounts the names pointed at; a name freed by a rename gives nobody the role', async () => {
  const f = await teamFixture({ RfcApprovers: 'carol' });
  await f.cmd(f.alice, '/rfc new One');
  await f.cmd(f.alice, '/rfc new Two');
  await f.cmd(f.alice, '/rfc new Three');
  assert.match(await f.cmd(f.carol, '/rfc postpone 1'), /is now \*\*Postponed\*\*/);
  f.world.users.get(f.carol.Id)!.Username = 'caroline';
  const impostor = f.world.addUser('carol');
  f.world.addTeamMember(f.team.Id, impostor.Id);
  f.world.addChannelMember(f.town.Id, impostor.Id);
  assert.match(await f.cmd(impostor, '/rfc reject 2'), /Only its owner and approvers/);
  assert.match(await f.cmd(f.carol, '/rfc reject 2'), /is now \*\*Rejected\*\*/, 'the renamed approver keeps the role');

  // Taken out of the setting and put back: the name is resolved afresh.
  f.world.pluginConfig = { RfcApprovers: '' };
  await f.h.product.onConfigurationChange!();
  assert.match(await f.cmd(f.carol, '/rfc postpone 3'), /Only its owner/);
  f.world.pluginConfig = { RfcApprovers: 'carol' };
  await f.h.product.onConfigurationChange!();
  assert.match(await f.cmd(impostor, '/rfc postpone 3'), /is now \*\*Postponed\*\*/);
  f.h.close();
});

test('M6/L8: concerns, reviewers and every text have limits, named in the error', async () => {
  const f = await teamFixture();
  const base = `/api/v1/teams/${f.team.Id}/rfcs`;
  await f.cmd(f.alice, '/rfc new Bounded');
  for (let i = 1; i <= 100; i++) assert.equal((await f.h.http('POST', `${base}/1/concerns`, f.carol, { text: `c${i}` })).status, 201);
  const full = await f.h.http('POST', `${base}/1/concerns`, f.carol, { text: 'one more' });
  assert.equal(full.status, 409);
  assert.match((full.body as { error: string }).error, /At most 100 concerns per RFC/);
  assert.match(await f.cmd(f.carol, '/rfc concern 1 one more'), /At most 100 concerns per RFC/);

  const many = Array.from({ length: 51 }, (_, i) => `@u${i}`).join(' ');
  assert.match(await f.cmd(f.alice, `/rfc review 1 ${many}`), /At most 50 reviewers per RFC/);
  const long = await f.h.http('POST', `${base}/1/concerns`, f.carol, { text: 'x'.repeat(2001) });
  assert.equal(long.status, 400);
  assert.match((long.body as { error: string }).error, /text: .*2000 characters/);
  assert.equal((await f.h.http('POST', base, f.alice, { title: 'x', channel_id: f.town.Id, doc_url: `https://x.example/${'a'.repeat(2000)}` })).status, 400);
  assert.match(await f.cmd(f.alice, `/rfc new Doc https://x.example/${'a'.repeat(2000)}`), /The doc link can be at most 2000 characters/);
  f.h.close();
});

test('a corrupt RFC record: lists, agendas and /infra owe show its last snapshot; opening it is refused and it is listed for /infra doctor', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/rfc new Broken');
  await f.cmd(f.alice, '/rfc new Fine');
  await f.cmd(f.alice, '/rfc review 1 @bob');
  await f.cmd(f.alice, '/rfc review 2 @bob');
  await f.h.api.kvSet(`rfc:r:${f.team.Id}:1`, new TextEncoder().encode('{"v":1,"title":'));
  // Lists, agendas and /infra owe read the snapshots kept beside the index, not the records.
  const listed = await f.cmd(f.bob, '/rfc list');
  assert.match(listed, /RFC-002 Fine/);
  assert.match(listed, /RFC-001 Broken/);
  assert.match(await f.cmd(f.bob, '/infra owe'), /Review RFC-002/);
  const agenda = await new RfcService(f.h.ctx, { title: async () => '', link: async () => ({ previous: null }) }).inReview(f.team.Id, { userId: f.bob.Id });
  assert.deepEqual(agenda.items.map((i) => i.reference).sort(), ['RFC-001', 'RFC-002']);
  assert.match(await f.cmd(f.bob, '/rfc show 1'), /Something went wrong on our side; it has been logged/);
  assert.deepEqual((await listCorruptRecords(f.h.ctx.kv)).map((r) => r.key), [`rfc:r:${f.team.Id}:1`]);
  f.h.close();
});
