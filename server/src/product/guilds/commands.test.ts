import { owedLines } from '../testing/owed_lines';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guildSchema } from './records';
import { guildKeys } from './store';
import { guildFixture } from './test_fixture';

test('the handbook guilds are seeded per team the first time a member uses /guild, once, even with two nodes racing', async () => {
  const f = await guildFixture();
  const second = await f.node();
  assert.deepEqual(await f.ctx.kv.listKeys('guild:'), [], 'nothing before a team uses guilds');
  const [a, b] = await Promise.all([f.cmd(f.alice, '/guild list'), second.cmd(f.carol, '/guild list')]);
  for (const list of [a, b]) {
    assert.match(list, /\*\*Reliability Engineering Guild\*\* \(`reliability-engineering-guild`\) — Incident Review & Knowledge share · every Monday 10:00 UTC · inactive \(no channel\)/);
    assert.match(list, /\*\*Infrastructure Guild\*\* \(`infrastructure-guild`\) — Cross-org collaboration · every Thursday 10:00 UTC · inactive/);
  }
  assert.deepEqual((await f.ctx.kv.listKeys(`guild:t:${f.team.Id}:g:`)).sort(), [
    guildKeys.guild(f.team.Id, 'infrastructure-guild'),
    guildKeys.guild(f.team.Id, 'reliability-engineering-guild'),
  ]);
  assert.equal((await f.ctx.kv.listKeys(`guild:t:${f.other.Id}:`)).length, 0, 'another team is seeded only when it uses guilds');

  // The other team gets its own copies: nothing is shared across teams.
  assert.match(await f.cmd(f.olga, '/guild list', f.elsewhere), /Reliability Engineering Guild/);
  await f.cmd(f.alice, '/guild queue reliability Layoffs planned for SRE in Q3');
  assert.doesNotMatch(await f.cmd(f.olga, '/guild agenda reliability', f.elsewhere), /Layoffs/);
  assert.match(await f.cmd(f.olga, '/guild close reliability', f.elsewhere), /Only the guild's creator, its facilitators, team admins and system admins can close/);

  // A deleted handbook guild stays deleted.
  assert.match(await f.cmd(f.tina, '/guild delete infrastructure --confirm'), /Deleted \*\*Infrastructure Guild\*\*/);
  assert.doesNotMatch(await second.cmd(f.alice, '/guild list'), /Infrastructure Guild/);
  assert.match(await f.cmd(f.outsider, '/guild list'), /No such team/);
  f.close();
});

test('create with a schedule; the next meeting is DST-correct; bad input is refused clearly, naming limits', async () => {
  const f = await guildFixture();
  const created = await f.cmd(
    f.alice,
    "/guild create Platform Sync --day tue --time 9:30 --tz america/new_york --every 2 weeks --channel ~town-square --members @bob @carol SRE @nobody --sources rfcs,pick --purpose We're deciding platform things",
  );
  assert.match(created, /Created \*\*Platform Sync\*\* \(`platform-sync`\)\. Next meeting: Tue 2027-01-05 09:30 America\/New_York \(14:30 UTC\)/);
  assert.match(created, /@nobody is not a user here/);
  const guild = await f.ctx.kv.get(guildKeys.guild(f.team.Id, 'platform-sync'), guildSchema);
  assert.deepEqual(guild?.members, [{ kind: 'user', userId: f.bob.Id }, { kind: 'user', userId: f.carol.Id }, { kind: 'label', text: 'SRE' }, { kind: 'label', text: '@nobody' }]);
  assert.equal(guild?.purpose, "We're deciding platform things");
  assert.equal(guild?.anchorDate, '2027-01-05');

  f.clock.now = Date.parse('2027-03-03T12:00:00Z');
  // Every 2 weeks from 5 January: … 2 March, 16 March (after the US change on 14 March), 30 March.
  assert.match(await f.cmd(f.bob, '/guild next platform'), /meets next Tue 2027-03-16 09:30 America\/New_York \(13:30 UTC\) — in 13 days/);

  const cases: Array<[string, RegExp]> = [
    ['/guild create', /Name the guild/],
    ['/guild create X --time 10:00 --tz UTC', /--day is required/],
    ['/guild create X --day funday --time 10:00 --tz UTC', /"funday" is not a weekday/],
    ['/guild create X --day mon --time 25:00 --tz UTC', /"25:00" is not a time/],
    ['/guild create X --day mon --time 10:00 --tz Mars/Olympus', /"Mars\/Olympus" is not an IANA time zone/],
    ['/guild create X --day mon --time 10:00 --tz EST', /"EST" is not an IANA time zone\. Use a name such as Europe\/Berlin/],
    ['/guild create X --day mon --time 10:00 --tz UTC --every 0', /--every is 1 to 12 weeks/],
    ['/guild create X --day mon --time 10:00 --tz UTC --every often', /is not a number of weeks/],
    ['/guild create X --day mon --time 10:00 --tz UTC --sources gossip', /Unknown source gossip/],
    ['/guild create X --day mon --time 10:00 --tz UTC --colour red', /Unknown option --colour/],
    ['/guild create X --day --time 10:00 --tz UTC', /--day needs a value/],
    ['/guild create Platform Sync --day mon --time 10:00 --tz UTC', /A guild "platform-sync" already exists/],
    ['/guild create !!! --day mon --time 10:00 --tz UTC', /needs letters or digits/],
    [`/guild create ${'n'.repeat(101)} --day mon --time 10:00 --tz UTC`, /A guild name can be at most 100 characters \(this one has 101\)/],
    [`/guild create X --day mon --time 10:00 --tz UTC --purpose ${'p'.repeat(301)}`, /The purpose can be at most 300 characters/],
    [`/guild create X --day mon --time 10:00 --tz UTC --members ${Array.from({ length: 51 }, (_, i) => `L${i}`).join(' ')}`, /At most 50 members or groups/],
    ['/guild create X --day mon --time 10:00 --tz UTC --members @channel', /@channel can't be a guild member/],
    ['/guild create X --day mon --time 10:00 --tz UTC --members SRE @all', /@all can't be a guild member/],
    ['/guild create X --day mon --time 10:00 --tz UTC --members @here', /@here can't be a guild member/],
    ['/guild create X --day mon --time 10:00 --tz UTC --facilitators @ghost', /Unknown user: @ghost/],
    ['/guild create X --day mon --time 10:00 --tz UTC --facilitators @olga', /Facilitators must be people on this team/],
    ['/guild edit platform-sync', /Say what to change/],
    ['/guild edit platform-sync --channel ~town-square --no-channel', /Use either --channel or --no-channel/],
    ['/guild next', /Say which guild/],
    ['/guild next nosuch', /No guild "nosuch" here/],
    ['/guild queue platform', /Say what to put on the agenda/],
    ['/guild notes', /Say which guild/],
    ['/guild list extra', /takes no arguments/],
  ];
  for (const [text, expected] of cases) assert.match(await f.cmd(f.alice, text), expected, text);
  assert.match(await f.cmd(f.carol, '/guild edit platform-sync --time 11:00'), /Only the guild's creator, its facilitators, team admins and system admins can change Platform Sync/);
  assert.match(await f.cmd(f.gina, '/guild create Guests --day mon --time 10:00 --tz UTC', f.guestroom), /Only members of the team can create a guild \(guests can't\)/);
  f.close();
});

test('slugs are per team: the same name in two teams, and a slug of one team never resolves in another', async () => {
  const f = await guildFixture();
  assert.match(await f.cmd(f.alice, '/guild create Ops Review --day wed --time 16:00 --tz UTC'), /`ops-review`/);
  assert.match(await f.cmd(f.olga, '/guild create Ops Review --day fri --time 09:00 --tz UTC', f.elsewhere), /`ops-review`/);
  await f.cmd(f.alice, '/guild queue ops-review Team A matter');
  assert.doesNotMatch(await f.cmd(f.bob, '/guild agenda ops-review', f.elsewhere), /Team A matter/, "bob in the other team sees that team's guild");
  assert.match(await f.cmd(f.bob, '/guild agenda ops-review', f.town), /Team A matter/);
  const get = await f.http('GET', `/teams/${f.team.Id}/guilds/ops-review`, f.olga);
  assert.equal(get.status, 404, 'olga is not in the team');
  assert.equal((await f.http('GET', `/teams/${f.other.Id}/guilds`, f.carol)).status, 404);
  f.close();
});

test('visibility follows the channel, live: members of a private channel only; guests only their channels; conversion applies at once', async () => {
  const f = await guildFixture();
  assert.match(await f.cmd(f.alice, '/guild create Inner Circle --day fri --time 12:00 --tz UTC --channel ~secret'), /Created/);
  assert.match(await f.cmd(f.bob, '/guild agenda inner'), /Inner Circle — agenda/);
  for (const text of ['/guild agenda inner', '/guild queue inner sneaky', '/guild notes inner sneaky', '/guild close inner']) {
    assert.match(await f.cmd(f.carol, text), /No guild "inner" here/, text);
  }
  assert.doesNotMatch(await f.cmd(f.carol, '/guild list'), /Inner Circle|~secret/);
  assert.deepEqual(((await f.http('GET', `/teams/${f.team.Id}/guilds`, f.carol)).body as { items: Array<{ slug: string }> }).items.map((g) => g.slug).sort(), [
    'infrastructure-guild',
    'reliability-engineering-guild',
  ]);
  assert.equal((await f.http('GET', `/teams/${f.team.Id}/guilds/inner-circle`, f.carol)).status, 404);

  // M11: the same answer for a private channel one is not in and a channel that does not exist.
  const probe = async (name: string): Promise<string> => (await f.cmd(f.carol, `/guild create Spy --day fri --time 12:00 --tz UTC --channel ~${name}`)).replace(name, 'X');
  assert.equal(await probe('secret'), await probe('no-such-channel'));
  assert.match(await probe('secret'), /There is no channel ~X in this team that you can post in/);
  // A read-only channel carol may read but not post in is no secret: she hears why.
  assert.match(await probe('announce'), /You can't post in the channel ~X/);

  // A guest sees the guilds of channels they are in, and nothing else (not the channel-less handbook guilds).
  await f.cmd(f.alice, '/guild create Guest Sync --day mon --time 12:00 --tz UTC --channel ~guestroom');
  const guestList = await f.cmd(f.gina, '/guild list', f.guestroom);
  assert.match(guestList, /Guest Sync/);
  assert.doesNotMatch(guestList, /Reliability|Infrastructure|Inner/);
  assert.match(await f.cmd(f.gina, '/guild queue guest Our topic', f.guestroom), /Queued Q1 for Guest Sync/);

  // A public guild turns private: carol loses it at once.
  await f.cmd(f.alice, '/guild create Town Talk --day mon --time 12:00 --tz UTC --channel ~town-square');
  f.world.channelMembers.delete(`${f.town.Id}:${f.carol.Id}`);
  assert.match(await f.cmd(f.carol, '/guild agenda town'), /Town Talk — agenda/, 'an open channel: the whole team reads it');
  f.world.channels.get(f.town.Id)!.Type = 'P';
  assert.match(await f.cmd(f.carol, '/guild agenda town'), /No guild "town" here/);
  assert.match(await f.cmd(f.bob, '/guild agenda town'), /Town Talk — agenda/);
  f.close();
});

test('who may do what: edit, close, delete, remove items; writing needs create_post in the guild channel', async () => {
  const f = await guildFixture({}, Date.parse('2027-01-03T12:00:00Z'));
  await f.cmd(f.alice, '/guild create Ops --day mon --time 08:00 --tz UTC --channel ~town-square --facilitators @bob');
  f.clock.now = Date.parse('2027-01-04T09:00:00Z'); // Monday's meeting has started
  assert.match(await f.cmd(f.carol, '/guild queue ops Carol item'), /Queued Q1/);
  assert.match(await f.cmd(f.dave, '/guild agenda ops'), /Ops — agenda/, 'an open channel: the team reads it');
  assert.match(await f.cmd(f.dave, '/guild queue ops Dave item'), /can't post in that channel/, 'but only who may post there writes into it');
  f.world.addChannelMember(f.town.Id, f.dave.Id);
  assert.match(await f.cmd(f.dave, '/guild queue ops Dave item'), /Queued Q2/);

  // edit: creator, facilitator, team admin, system admin — not other members.
  assert.match(await f.cmd(f.carol, '/guild edit ops --purpose x'), /Only the guild's creator, its facilitators, team admins and system admins can change Ops/);
  for (const u of [f.alice, f.bob, f.tina, f.admin]) assert.match(await f.cmd(u, `/guild edit ops --purpose by ${u.Username}`), /Updated \*\*Ops\*\*/, u.Username);

  // unqueue: the item's author, facilitators, the creator, admins.
  assert.match(await f.cmd(f.carol, '/guild unqueue ops Q2'), /Only its author, the guild's creator, its facilitators, team admins and system admins can remove Q2/);
  assert.match(await f.cmd(f.dave, '/guild unqueue ops Q2'), /Removed Q2 from the Ops agenda: Dave item/);
  assert.match(await f.cmd(f.bob, '/guild unqueue ops q1'), /Removed Q1/);
  assert.match(await f.cmd(f.bob, '/guild unqueue ops Q9'), /There is no item Q9 on the Ops agenda/);

  // close: not a plain member; the facilitator may.
  assert.match(await f.cmd(f.carol, '/guild close ops'), /Only the guild's creator, its facilitators, team admins and system admins can close Ops meetings/);
  assert.match(await f.cmd(f.bob, '/guild close ops'), /Closed the Ops meeting of Mon 2027-01-04 08:00 UTC/);

  // delete: creator or admins, not facilitators.
  assert.match(await f.cmd(f.bob, '/guild delete ops --confirm'), /Only the guild's creator, team admins and system admins can delete Ops/);
  assert.match(await f.cmd(f.alice, '/guild delete ops'), /This deletes \*\*Ops\*\* .*--confirm/);
  assert.match(await f.cmd(f.alice, '/guild delete ops --confirm'), /Deleted \*\*Ops\*\*/);
  assert.equal(await f.ctx.scheduler.dueAt(`guild-cadence:${f.team.Id}:ops`), null, 'its reminders stop');
  assert.match(await f.cmd(f.alice, '/guild agenda ops'), /No guild "ops" here/);

  // A read-only channel: carol may read it, so she sees the guild, but she can't write through the bot.
  await f.cmd(f.alice, '/guild create Notices --day mon --time 08:00 --tz UTC --channel ~announce');
  assert.match(await f.cmd(f.carol, '/guild agenda notices'), /Notices — agenda/);
  assert.match(await f.cmd(f.carol, '/guild queue notices @all free gift cards'), /can't post in that channel/);
  assert.match(await f.cmd(f.carol, '/guild notes notices hello'), /can't post in that channel/);
  assert.match(await f.cmd(f.alice, '/guild queue notices Our item'), /Queued Q1/, 'its channel admin may');
  f.close();
});

test('edits computed on the fresh record: two concurrent edits of different fields both stick (L3)', async () => {
  const f = await guildFixture();
  const second = await f.node();
  await f.cmd(f.alice, '/guild create Ops --day mon --time 08:00 --tz UTC');
  await Promise.all([f.cmd(f.admin, '/guild edit ops --time 11:00'), second.cmd(f.alice, '/guild edit ops --channel ~town-square'), f.cmd(f.tina, '/guild edit ops --purpose Weekly ops')]);
  const guild = await f.ctx.kv.get(guildKeys.guild(f.team.Id, 'ops'), guildSchema);
  assert.deepEqual([guild?.time, guild?.channelId, guild?.purpose], ['11:00', f.town.Id, 'Weekly ops']);
  f.close();
});

test('renaming keeps the id, and the new name finds the guild; `next` of a running meeting says it started', async () => {
  const f = await guildFixture({}, Date.parse('2027-01-03T12:00:00Z'));
  await f.cmd(f.alice, '/guild create Sync A --day mon --time 08:55 --tz UTC');
  f.clock.now = Date.parse('2027-01-04T09:00:00Z');
  const renamed = await f.cmd(f.alice, '/guild edit sync-a --name Delivery Weekly');
  assert.match(renamed, /Renamed from Sync A; its id stays `sync-a`/);
  assert.match(await f.cmd(f.bob, '/guild next delivery-weekly'), /\*\*Delivery Weekly\*\* is meeting now: it started 5 minutes ago \(Mon 2027-01-04 08:55 UTC\)\. The one after is Mon 2027-01-11 08:55 UTC — in 7 days/);
  assert.match(await f.cmd(f.bob, '/guild next Delivery Weekly'), /Delivery Weekly/);
  assert.match(await f.cmd(f.bob, '/guild next sync-a'), /Delivery Weekly/);
  await f.cmd(f.alice, '/guild create Other --day fri --time 08:00 --tz UTC');
  assert.match(await f.cmd(f.alice, '/guild edit other --name Delivery Weekly'), /Another guild here is already called "Delivery Weekly" \(`sync-a`\)/);
  // A meeting made today after its time is next week's, not "in the past".
  f.clock.now = Date.parse('2027-01-07T08:05:00Z');
  assert.match(await f.cmd(f.alice, '/guild create Past Test --day thu --time 08:03 --tz UTC'), /Next meeting: Thu 2027-01-14 08:03 UTC\./);
  f.close();
});

test('queue and notes take the text as typed; the reply echoes it; multi-word names need no quotes', async () => {
  const f = await guildFixture();
  await f.cmd(f.alice, '/guild list');
  const queued = await f.cmd(f.bob, "/guild queue Infrastructure Guild Don't forget the cloud bill");
  assert.match(queued, /Queued Q1 for Infrastructure Guild \(Thu 2027-01-07 10:00 UTC\): Don't forget the cloud bill/);
  assert.match(await f.cmd(f.bob, '/guild queue "infrastructure guild" Second "quoted" thing'), /Queued Q2 .*: Second "quoted" thing/);
  assert.equal(await f.cmd(f.bob, '/guild notes infra decision: We’re moving to weekly reviews'), 'Recorded a decision N1 for Infrastructure Guild: We’re moving to weekly reviews');
  assert.match(await f.cmd(f.bob, '/guild agenda infra'), /\*\*Notes so far\*\*\n- `N1` decision: We’re moving to weekly reviews \(@bob\)/);
  assert.deepEqual(await owedLines(f.ctx, f.feature, f.bob.Id, f.team.Id), [
    "Your agenda item Q1 for Infrastructure Guild: Don't forget the cloud bill",
    'Your agenda item Q2 for Infrastructure Guild: Second "quoted" thing',
  ]);
  assert.deepEqual(await owedLines(f.ctx, f.feature, f.bob.Id, f.other.Id), [], 'another team owes nothing of this one');
  f.close();
});

test('bounds: queued items, notes and guilds per team stop at their limits with errors that name them', async () => {
  const f = await guildFixture();
  await f.cmd(f.alice, '/guild create Ops --day mon --time 08:00 --tz UTC');
  for (let i = 0; i < 100; i++) await f.service.queue(f.bob.Id, f.team.Id, 'ops', `item ${i}`);
  assert.match(await f.cmd(f.bob, '/guild queue ops one more'), /Ops already has 100 queued items \(the limit\)/);
  assert.match(await f.cmd(f.bob, `/guild queue ops ${'x'.repeat(1001)}`), /An agenda item can be at most 1000 characters/);
  for (let i = 0; i < 40; i++) await f.service.note(f.bob.Id, f.team.Id, 'ops', 'note', `note ${i}`);
  assert.match(await f.cmd(f.bob, '/guild notes ops one more'), /already has 40 notes for this meeting \(the limit\)/);
  assert.match(await f.cmd(f.bob, `/guild notes ops ${'x'.repeat(2001)}`), /A note can be at most 2000 characters/);
  for (let i = 0; i < 47; i++) await f.service.create(f.alice.Id, f.team.Id, { name: `G${i}`, day: 1, time: '10:00', timeZone: 'UTC' });
  assert.match(await f.cmd(f.alice, '/guild create One Too Many --day mon --time 10:00 --tz UTC'), /A team can have at most 50 guilds; delete one first/);
  assert.match(await f.cmd(f.olga, '/guild create Fine Elsewhere --day mon --time 10:00 --tz UTC', f.elsewhere), /Created/);
  f.close();
});

test('guild events go to the guild channel, or to the actor alone without one', async () => {
  const f = await guildFixture();
  await f.cmd(f.alice, '/guild create Inner Circle --day fri --time 12:00 --tz UTC --channel ~secret');
  await f.cmd(f.bob, '/guild queue inner Private matter');
  await f.cmd(f.carol, '/guild create Loose --day fri --time 12:00 --tz UTC');
  const events = f.events('guild_changed');
  assert.deepEqual(events.map((e) => e.broadcast), [{ ChannelId: f.secret.Id }, { ChannelId: f.secret.Id }, { UserId: f.carol.Id }]);
  assert.deepEqual(Object.keys(events[0]!.payload['guild'] as object).includes('facilitators'), true, 'the contract view, not the record');
  assert.equal((events[0]!.payload['guild'] as Record<string, unknown>)['v'], undefined);
  f.close();
});
