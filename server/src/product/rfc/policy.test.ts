import assert from 'node:assert/strict';
import { test } from 'node:test';
import { teamFixture } from '../pick/test_fixture';
import { FINAL_STATUSES, RFC_ACTIONS, RFC_STATUSES, RFC_TRANSITIONS } from './lifecycle';
import { RFC_RULES, rfcPolicy } from './policy';

test('one rule book: every lifecycle action has a transition and a rule, and nothing else is in the tables', () => {
  assert.deepEqual(Object.keys(RFC_TRANSITIONS).sort(), [...RFC_ACTIONS].sort());
  assert.deepEqual(Object.keys(RFC_RULES).sort(), [...RFC_ACTIONS, 'open', 'view'].sort());
  for (const action of RFC_ACTIONS) {
    const t = RFC_TRANSITIONS[action];
    assert.ok(t.from.length > 0 && RFC_RULES[action].who.length > 0, action);
    for (const s of t.from) assert.ok(RFC_STATUSES.includes(s), `${action} from ${s}`);
    if (t.to) assert.ok(RFC_STATUSES.includes(t.to), `${action} to ${t.to}`);
  }
  assert.deepEqual(FINAL_STATUSES, ['rejected', 'withdrawn', 'superseded']);
  assert.deepEqual(RFC_TRANSITIONS.accept.guards, ['noOpenConcerns', 'signedOffOrPeriodOver']);
});

test('who may do what, as stated in the issue', () => {
  const who = (a: keyof typeof RFC_RULES) => [...RFC_RULES[a].who];
  assert.deepEqual(who('concern'), ['anyone']);
  assert.deepEqual(who('resolve'), ['raiser', 'owner', 'approver']);
  for (const decision of ['accept', 'reject', 'postpone', 'supersede', 'review', 'reviewed'] as const) assert.deepEqual(who(decision), ['owner', 'approver'], decision);
  assert.deepEqual(who('withdraw'), ['owner']);
  assert.deepEqual(who('approve'), ['reviewer']);
  // Everything that makes the bot post in the RFC's thread needs the actor to be able to post there.
  const silent = Object.entries(RFC_RULES).filter(([, r]) => !r.writesToChannel).map(([a]) => a);
  assert.deepEqual(silent.sort(), ['reviewed', 'view']);
  assert.equal(rfcPolicy.describe(RFC_RULES.resolve), 'whoever raised the concern, its owner and approvers (RfcApprovers setting)');
});

/**
 * The permission matrix of reads and of a write that posts, generated from one table: each role
 * against an RFC of an open channel and of a private one, then after the open one turns private.
 * 200/201 allowed, 403 may see but not do, 404 may not see (never told apart from "no such RFC").
 */
test('permission matrix: roles × channels × read/write, live across a public→private conversion', async () => {
  const f = await teamFixture();
  const teamAdmin = f.world.addUser('lead');
  f.world.addTeamMember(f.team.Id, teamAdmin.Id, 'team_user team_admin');
  const guest = f.world.addUser('gus', { Roles: 'system_guest' });
  f.world.addTeamMember(f.team.Id, guest.Id, 'team_guest');
  const lounge = f.world.addChannel(f.team.Id, 'lounge');
  f.world.addChannelMember(lounge.Id, guest.Id, 'channel_guest');
  await f.cmd(f.alice, '/rfc new In the open');
  await f.cmd(f.alice, '/rfc new In private', f.secret);
  const base = `/api/v1/teams/${f.team.Id}/rfcs`;

  const roles = { sysadmin: f.admin, teamAdmin, member: f.bob, outside: f.dave, guest, otherTeam: f.outsider };
  type Row = [show: number, concern: number];
  type Column = 'open' | 'private' | 'converted';
  const expected: Record<Column, Record<keyof typeof roles, Row>> = {
    open: { sysadmin: [200, 201], teamAdmin: [200, 403], member: [200, 201], outside: [200, 403], guest: [404, 404], otherTeam: [404, 404] },
    private: { sysadmin: [200, 201], teamAdmin: [404, 404], member: [200, 201], outside: [404, 404], guest: [404, 404], otherTeam: [404, 404] },
    converted: { sysadmin: [200, 201], teamAdmin: [404, 404], member: [200, 201], outside: [404, 404], guest: [404, 404], otherTeam: [404, 404] },
  };
  const actual: Record<Column, Partial<Record<keyof typeof roles, Row>>> = { open: {}, private: {}, converted: {} };
  const probe = async (column: Column, n: number): Promise<void> => {
    for (const [name, user] of Object.entries(roles) as Array<[keyof typeof roles, (typeof roles)[keyof typeof roles]]>) {
      const show = (await f.h.http('GET', `${base}/${n}`, user)).status;
      const concern = (await f.h.http('POST', `${base}/${n}/concerns`, user, { text: `from ${name}` })).status;
      actual[column][name] = [show, concern];
    }
  };
  await probe('open', 1);
  await probe('private', 2);
  f.world.channels.get(f.town.Id)!.Type = 'P';
  await probe('converted', 1);
  assert.deepEqual(actual, expected);

  // Lists agree with single reads, and events never leave the RFC's channel.
  const listed = async (user: (typeof roles)[keyof typeof roles]) => {
    const res = await f.h.http('GET', base, user);
    return res.status === 200 ? (res.body as { items: Array<{ number: number }> }).items.map((r) => r.number) : res.status;
  };
  assert.deepEqual(await listed(f.bob), [2, 1]);
  assert.deepEqual(await listed(f.dave), []);
  assert.deepEqual(await listed(guest), []);
  assert.equal(await listed(f.outsider), 404);
  const audiences = new Set(f.world.events.filter((e) => e.event === 'rfc_changed').map((e) => JSON.stringify(e.broadcast)));
  assert.deepEqual([...audiences].sort(), [JSON.stringify({ ChannelId: f.secret.Id }), JSON.stringify({ ChannelId: f.town.Id })].sort());
  f.h.close();
});
