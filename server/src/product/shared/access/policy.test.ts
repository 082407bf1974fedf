import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryApi, MemoryWorld } from '../../../plugin/testing/memory_api';
import { Access, FeaturePolicy, type RuleTable } from './policy';
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
