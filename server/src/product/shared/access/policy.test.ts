import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryApi, MemoryWorld } from '../../../plugin/testing/memory_api';
import { Access, ACCESS_CALLS_IN_FLIGHT, CHANNEL_LOOKUPS_IN_FLIGHT, CHANNELS_ASKED_FIRST, CHANNELS_BEFORE_MEMBERSHIP_LIST, FeaturePolicy, type RuleTable } from './policy';
import { UserError } from '../errors';

function world() {
  const w = new MemoryWorld();
  const team = w.addTeam('ops');
  const other = w.addTeam('other');
  const [member, outsider, guest, teamAdmin, stranger] = ['member', 'outsider', 'guest', 'lead', 'stranger'].map((n) => w.addUser(n));
  const sysadmin = w.addUser('root', { Roles: 'system_user system_admin' });
  guest!.Roles = 'system_guest';
  for (const u of [member!, outsider!, teamAdmin!]) w.addTeamMember(team.Id, u.Id);
  w.addTeamMember(team.Id, teamAdmin!.Id, 'team_user team_admin');
  w.addTeamMember(team.Id, guest!.Id, 'team_guest');
  w.addTeamMember(other.Id, stranger!.Id);
  const open = w.addChannel(team.Id, 'open');
  const secret = w.addChannel(team.Id, 'secret', 'P');
  const guestRoom = w.addChannel(team.Id, 'guest-room');
  for (const c of [open, secret]) w.addChannelMember(c.Id, member!.Id);
  w.addChannelMember(guestRoom.Id, guest!.Id, 'channel_guest');
  return { w, team, other, member: member!, outsider: outsider!, guest: guest!, teamAdmin: teamAdmin!, stranger: stranger!, sysadmin, open, secret, guestRoom };
}

test('reading follows Mattermost: members, team users for open channels, never guests or other teams', async () => {
  const t = world();
  const access = () => new Access(new MemoryApi(t.w));
  const scope = (channelId: string) => ({ teamId: t.team.Id, channelId });
  assert.equal(await access().canSee(t.member.Id, scope(t.secret.Id)), true);
  assert.equal(await access().canSee(t.outsider.Id, scope(t.secret.Id)), false);
  assert.equal(await access().canSee(t.outsider.Id, scope(t.open.Id)), true);
  assert.equal(await access().canSee(t.guest.Id, scope(t.open.Id)), false, 'guests see only their own channels');
  assert.equal(await access().canSee(t.guest.Id, scope(t.guestRoom.Id)), true);
  assert.equal(await access().canSee(t.stranger.Id, scope(t.open.Id)), false);
  assert.equal(await access().canSee(t.sysadmin.Id, scope(t.secret.Id)), true);
  assert.equal(await access().canSee(t.member.Id, { teamId: t.other.Id, channelId: t.open.Id }), false, 'a scope whose team is not the channel’s is nobody’s');
  assert.equal(await access().canSee(t.guest.Id, { teamId: t.team.Id, channelId: null }), false, 'team records are not for guests');
  assert.equal(await access().canSee(t.outsider.Id, { teamId: t.team.Id, channelId: null }), true);
  t.w.channels.get(t.open.Id)!.Type = 'P';
  assert.equal(await access().canSee(t.outsider.Id, scope(t.open.Id)), false, 'a conversion to private is seen by the next request');
});

test('posting needs create_post now: read-only channels and non-members are refused', async () => {
  const t = world();
  const access = () => new Access(new MemoryApi(t.w));
  assert.equal(await access().canPost(t.member.Id, t.open.Id), true);
  assert.equal(await access().canPost(t.outsider.Id, t.open.Id), false);
  t.w.readOnlyChannels.add(t.open.Id);
  assert.equal(await access().canPost(t.member.Id, t.open.Id), false);
  await assert.rejects(access().requirePostable(t.member.Id, t.open.Id), (e: UserError) => e.status === 403);
  await assert.rejects(access().scopeOfChannel(t.outsider.Id, t.secret.Id), (e: UserError) => e.status === 404 && e.message === 'No such channel.');
  assert.deepEqual(await access().scopeOfChannel(t.member.Id, t.secret.Id), { teamId: t.team.Id, channelId: t.secret.Id });
});

test('a feature states its rules as data; refusals name who may, and hide what the user cannot see', async () => {
  const t = world();
  const rules: RuleTable<'close' | 'comment', 'owner'> = {
    close: { who: ['owner', 'team_admin'] },
    comment: { who: ['anyone'], writesToChannel: true },
  };
  const policy = new FeaturePolicy(rules, { notFound: 'No such thing.', roles: { owner: 'its owner' } });
  const subject = { scope: { teamId: t.team.Id, channelId: t.open.Id }, holders: { owner: t.member.Id } };
  const access = () => new Access(new MemoryApi(t.w));
  await policy.require(access(), t.member.Id, 'close', subject);
  await policy.require(access(), t.teamAdmin.Id, 'close', subject);
  await assert.rejects(policy.require(access(), t.outsider.Id, 'close', subject), (e: UserError) => e.status === 403 && e.message === 'Only its owner and team admins can close.');
  await assert.rejects(policy.require(access(), t.stranger.Id, 'close', subject), (e: UserError) => e.status === 404 && e.message === 'No such thing.');
  await assert.rejects(policy.require(access(), t.outsider.Id, 'comment', subject), (e: UserError) => e.status === 403, 'no bot post where the user may not post');
  assert.equal(await policy.allows(access(), t.member.Id, 'comment', subject), true);
});

test('many channels in one request: one membership list answers as the per-channel questions would, with fewer round trips', async () => {
  const t = world();
  const { w, team, other } = t;
  const channels = [t.open, t.secret, t.guestRoom];
  for (let i = 0; i < 40; i++) {
    const open = w.addChannel(team.Id, `open-${i}`);
    const secret = w.addChannel(team.Id, `secret-${i}`, 'P');
    if (i % 2 === 0) for (const c of [open, secret]) w.addChannelMember(c.Id, t.member.Id);
    if (i % 3 === 0) w.addChannelMember(secret.Id, t.guest.Id, 'channel_guest');
    channels.push(open, secret);
  }
  const archived = w.addChannel(team.Id, 'archived', 'P');
  w.addChannelMember(archived.Id, t.member.Id);
  w.channels.get(archived.Id)!.DeleteAt = 1;
  const elsewhere = w.addChannel(other.Id, 'elsewhere');
  w.addChannelMember(elsewhere.Id, t.member.Id);
  const scopes = [...channels, archived, elsewhere].map((c) => ({ teamId: team.Id, channelId: c.Id }));
  scopes.push({ teamId: team.Id, channelId: 'no-such-channel' });

  const counted = (api: MemoryApi) => {
    const calls = { n: 0 };
    const proxy = new Proxy(api, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (...args: unknown[]) => (calls.n++, (value as (...a: unknown[]) => unknown).apply(target, args)) : value;
      },
    });
    return { api: proxy, calls };
  };
  const failingList = new MemoryApi(w);
  failingList.getChannelsForTeamForUser = () => Promise.reject(new Error('store.sql_channel.get_channels.not_found'));

  for (const user of [t.member, t.outsider, t.guest, t.stranger, t.sysadmin]) {
    const oneByOne = await Promise.all(scopes.map((s) => new Access(new MemoryApi(w)).canSee(user.Id, s)));
    const { api, calls } = counted(new MemoryApi(w));
    const together = await Promise.all(scopes.map((s) => new Access(api).canSee(user.Id, s)));
    const shared = counted(new MemoryApi(w));
    const access = new Access(shared.api);
    assert.deepEqual(await Promise.all(scopes.map((s) => access.canSee(user.Id, s))), oneByOne, `${user.Username}: the same answers`);
    assert.deepEqual(together, oneByOne);
    assert.ok(shared.calls.n <= calls.n, `${user.Username}: ${shared.calls.n} calls with the list, ${calls.n} without`);
    const fallback = new Access(failingList);
    assert.deepEqual(await Promise.all(scopes.map((s) => fallback.canSee(user.Id, s))), oneByOne, `${user.Username}: a failed list falls back`);
  }

  // A commander of 200 incidents: the calls stop growing with the channels past the threshold.
  const busy = w.addUser('busy');
  w.addTeamMember(team.Id, busy.Id);
  const own = Array.from({ length: CHANNELS_ASKED_FIRST + 80 }, (_, i) => w.addChannel(team.Id, `incident-${i}`, i % 2 ? 'P' : 'O'));
  for (const c of own) w.addChannelMember(c.Id, busy.Id);
  const { api, calls } = counted(new MemoryApi(w));
  const access = new Access(api);
  const seen = await Promise.all(own.map((c) => access.canSee(busy.Id, { teamId: team.Id, channelId: c.Id })));
  assert.ok(seen.every(Boolean));
  assert.equal(calls.n, 2 * CHANNELS_BEFORE_MEMBERSHIP_LIST + 1, 'two per channel up to the threshold, then one list');

  // Said up front (metrics look at each channel before asking canSee): one list, nothing per channel.
  const ahead = counted(new MemoryApi(w));
  const told = new Access(ahead.api);
  await told.willAskAbout(busy.Id, team.Id, own.map((c) => c.Id));
  const looked = await Promise.all(own.map((c) => told.channel(c.Id)));
  assert.deepEqual(looked.map((c) => c?.Id), own.map((c) => c.Id));
  assert.ok((await Promise.all(own.map((c) => told.canSee(busy.Id, { teamId: team.Id, channelId: c.Id })))).every(Boolean));
  assert.equal(ahead.calls.n, 1);

  // A list filtered in one go says its channels up front itself.
  const listed = counted(new MemoryApi(w));
  const filtered = await new Access(listed.api).filterVisible(busy.Id, own, (c) => ({ teamId: team.Id, channelId: c.Id }));
  assert.equal(filtered.length, own.length);
  assert.equal(listed.calls.n, 1, 'a long list: the memberships once, nothing per channel');

  // A page of open channels (the sidebar's active incidents) asks each channel, not for the list:
  // the list grows with the reader's channels, a cached channel does not.
  const openOnes = own.filter((c) => c.Type === 'O');
  const page = counted(new MemoryApi(w));
  const sidebar = await new Access(page.api).filterVisible(busy.Id, openOnes, (c) => ({ teamId: team.Id, channelId: c.Id }));
  assert.equal(sidebar.length, openOnes.length);
  assert.equal(page.calls.n, 2 + openOnes.length, 'the team twice, then one per open channel');
  // The same page of private channels needs a membership question each: past the threshold, the list.
  const privateOnes = own.filter((c) => c.Type === 'P');
  const closed = counted(new MemoryApi(w));
  const shownClosed = await new Access(closed.api).filterVisible(busy.Id, privateOnes, (c) => ({ teamId: team.Id, channelId: c.Id }));
  assert.equal(shownClosed.length, privateOnes.length);
  assert.equal(closed.calls.n, 2 + privateOnes.length + 1, 'the team twice, the channels, then one list');
  // Past CHANNELS_ASKED_FIRST channels the list comes first.
  assert.ok(own.length > CHANNELS_ASKED_FIRST);

  // A short list of open channels the reader is not in: the channel alone answers each.
  const rooms = Array.from({ length: 20 }, (_, i) => w.addChannel(team.Id, `room-${i}`, i % 4 ? 'O' : 'P'));
  for (const user of [t.outsider, t.member, t.guest, t.stranger, t.sysadmin]) {
    const short = counted(new MemoryApi(w));
    const shown = await new Access(short.api).filterVisible(user.Id, rooms, (c) => ({ teamId: team.Id, channelId: c.Id }));
    const oneByOne = await Promise.all(rooms.map((c) => new Access(new MemoryApi(w)).canSee(user.Id, { teamId: team.Id, channelId: c.Id })));
    assert.deepEqual(shown.map((c) => c.Id), rooms.filter((_, i) => oneByOne[i]).map((c) => c.Id), `${user.Username}: the same answers`);
    if (user === t.outsider) assert.equal(short.calls.n, 2 + rooms.length + 2 * 5, 'the team twice, then one per open channel, two per private one');
  }
});

test('access questions in flight are bounded over the whole process, whatever the page asks; channel lookups have their own bound', async () => {
  const t = world();
  const channels = Array.from({ length: 40 }, (_, i) => t.w.addChannel(t.team.Id, `room-${i}`, 'P'));
  for (const c of channels) t.w.addChannelMember(c.Id, t.member.Id);
  const api = new MemoryApi(t.w);
  const inFlight = { lookups: 0, questions: 0 };
  const most = { lookups: 0, questions: 0 };
  const slow = new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const kind = property === 'getChannel' ? 'lookups' : 'questions';
      return async (...args: unknown[]) => {
        most[kind] = Math.max(most[kind], ++inFlight[kind]);
        await new Promise((r) => setTimeout(r, 1));
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          inFlight[kind]--;
        }
      };
    },
  });
  // Two requests at once, each asking about 40 channels one by one (below the list's threshold):
  // 80 channel lookups and 80 membership questions.
  const ask = () => Promise.all(channels.map((c) => new Access(slow).canSee(t.member.Id, { teamId: t.team.Id, channelId: c.Id })));
  const [first, second] = await Promise.all([ask(), ask()]);
  assert.ok(first.every(Boolean) && second.every(Boolean));
  assert.deepEqual(most, { lookups: CHANNEL_LOOKUPS_IN_FLIGHT, questions: ACCESS_CALLS_IN_FLIGHT });
});

test('a channel scope: its team from the channel, not-found for what the user cannot read, a refusal for direct messages', async () => {
  const t = world();
  const access = () => new Access(new MemoryApi(t.w));
  const status = (p: Promise<unknown>) =>
    p.then(
      () => 200,
      (err: unknown) => (err instanceof UserError ? err.status : 500),
    );
  assert.deepEqual(await access().scopeOfChannel(t.member.Id, t.secret.Id), { teamId: t.team.Id, channelId: t.secret.Id });
  assert.deepEqual(await access().scopeOfChannel(t.outsider.Id, t.open.Id), { teamId: t.team.Id, channelId: t.open.Id });
  assert.equal(await status(access().scopeOfChannel(t.outsider.Id, t.secret.Id)), 404, 'a private channel one is not in');
  assert.equal(await status(access().scopeOfChannel(t.member.Id, 'x'.repeat(26))), 404, 'no such channel: the same answer');
  assert.equal(await status(access().scopeOfChannel(t.stranger.Id, t.open.Id)), 404, 'another team');
  const dm = t.w.addChannel('', `${t.member.Id}__${t.outsider.Id}`, 'D');
  t.w.addChannelMember(dm.Id, t.member.Id);
  t.w.addChannelMember(dm.Id, t.outsider.Id);
  assert.equal(await status(access().scopeOfChannel(t.member.Id, dm.Id)), 400, 'a direct message one is in: not a team channel');
  assert.equal(await status(access().scopeOfChannel(t.teamAdmin.Id, dm.Id)), 404, 'one someone else is in: not found');
});
