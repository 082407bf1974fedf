// Issue 14, incidents: references in every form people use (INC-16, INC-016, inc 16, #16, 16),
// and commands about one incident from any channel of the team. Free text never loses a leading
// number to a reference, and in an incident channel its text is always text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, messages } from './test_fixture';

const FORMS = ['INC-2', 'INC-002', 'inc-2', 'inc 2', 'INC 002', '#2', '2', 'INC2', 'inc002'];

test('every reference form reaches the incident from any channel: info, timeline, follow, unfollow, followup list', async () => {
  const f = await fixture();
  const { alice } = f;
  await f.cmd(alice, '/incident declare First one');
  await f.cmd(alice, '/incident declare Second one');
  for (const ref of FORMS) {
    assert.match(await f.cmd(alice, `/incident info ${ref}`, f.town), /^### INC-002: Second one\n/, `info ${ref}`);
    assert.match(await f.cmd(alice, `/incident timeline ${ref}`, f.town), /^\*\*INC-002 timeline\*\*, times in UTC\n- 2027-01-04 09:00 — @alice declared INC-002/, `timeline ${ref}`);
    assert.match(await f.cmd(alice, `/incident followup list ${ref}`, f.town), /^\*\*INC-002 follow-ups\*\*/, `followup list ${ref}`);
    assert.match(await f.cmd(alice, `/incident follow ${ref}`, f.town), /^You follow INC-002:/, `follow ${ref}`);
    assert.equal(await f.cmd(alice, `/incident unfollow ${ref}`, f.town), 'You no longer follow INC-002.', `unfollow ${ref}`);
  }
  assert.match(await f.cmd(alice, '/incident info INC-3', f.town), /^\*\*Error:\*\* No such incident\.$/);
  assert.match(await f.cmd(alice, '/incident info', f.town), /This is not an incident channel/);
  f.h.close();
});

test('commands with structured arguments take a leading reference in any form, told apart by the number of words', async () => {
  const f = await fixture();
  const { alice, bob } = f;
  const one = f.channelOf(await f.cmd(alice, '/incident declare sev3 First one'));
  const two = f.channelOf(await f.cmd(alice, '/incident declare sev3 Second one'));
  assert.equal(await f.cmd(alice, '/incident severity inc 2 sev1', f.town), 'INC-002 is now **SEV1 (Critical)**; it was SEV3 (Minor). Next status update due 2027-01-04 09:30 UTC.');
  assert.match(await f.cmd(alice, '/incident severity 2', f.town), /This is not an incident channel/, 'one word is the severity, of the channel’s incident');
  assert.match(await f.cmd(alice, '/incident severity 2', one), /^INC-001 is now \*\*SEV2 \(Major\)\*\*/, 'in a channel, one word is still the severity');
  assert.match(await f.cmd(alice, '/incident severity #2 sev 2', one), /^INC-002 is now \*\*SEV2 \(Major\)\*\*/, 'a reference to another incident from an incident channel');
  assert.equal(await f.cmd(alice, '/incident role INC-002 scribe @bob', f.town), '@bob is now the scribe of INC-002.');
  assert.ok(f.world.membersOf(two.Id).includes(bob.Id));
  assert.match(await f.cmd(alice, '/incident milestone 2 detected 5m ago', f.town), /^INC-002: Detected set to 2027-01-04 08:55 UTC\./);
  assert.match(await f.cmd(alice, '/incident milestone 2 launched', f.town), /"launched" is not a milestone/);
  assert.match(await f.cmd(alice, '/incident followup add Rotate keys @bob', two), /^Follow-up #1 added to INC-002/);
  assert.match(await f.cmd(alice, '/incident followup done 1', one), /There is no follow-up #1/, 'one word: the follow-up of this channel’s incident');
  assert.equal(await f.cmd(alice, '/incident followup done inc 2 #1', one), 'Follow-up #1 of INC-002 done: Rotate keys');
  assert.match(await f.cmd(alice, '/incident resolve', two), /^INC-002 resolved/);
  assert.match(await f.cmd(alice, '/incident reopen INC-2', f.town), /^INC-002 reopened/);
  assert.match(messages(f.world, two.Id).at(-1)!, /🔁 @alice reopened this incident\./, 'the bot still posts in the incident channel');
  f.h.close();
});

test('free-text commands take a leading INC-n outside incident channels only, and never a bare number or #n', async () => {
  const f = await fixture();
  const { alice, world } = f;
  const one = f.channelOf(await f.cmd(alice, '/incident declare First one'));
  const two = f.channelOf(await f.cmd(alice, '/incident declare Second one'));
  assert.match(await f.cmd(alice, "/incident status INC-2 We're rolling back", f.town), /^Status update for INC-002 posted in ~inc-002-second-one\./);
  assert.match(messages(world, two.Id).at(-1)!, /\nWe're rolling back\n/);
  assert.match(await f.cmd(alice, '/incident status inc 2 Still rolling back', f.town), /^Status update for INC-002/);
  assert.match(messages(world, two.Id).at(-1)!, /\nStill rolling back\n/);
  for (const text of ['2 pods restarted', '#2 is down again', 'Rolling back INC-2']) {
    assert.equal(
      await f.cmd(alice, `/incident status ${text}`, f.town),
      '**Error:** This is not an incident channel. Run this command in the channel of the incident, or start with the incident: ' +
        '`/incident status INC-7 <text>`; see `/incident list`.',
      text,
    );
  }
  assert.match(await f.cmd(alice, '/incident status INC-2', f.town), /The status update needs some text/);
  // In an incident channel, the text is the text, even when it names another incident.
  await f.cmd(alice, '/incident status INC-2 looks related', one);
  assert.match(messages(world, one.Id).at(-1)!, /\nINC-2 looks related\n/);
  await f.cmd(alice, '/incident timeline add 3 pods restarted', one);
  assert.match(messages(world, one.Id).at(-1)!, /added to the timeline: 3 pods restarted$/);

  assert.equal(await f.cmd(alice, "/incident timeline add INC-002 Vault's audit log shows it", f.town), "Added to the INC-002 timeline: Vault's audit log shows it");
  assert.equal(
    await f.cmd(alice, '/incident followup add inc 2 Fix the alert @bob tomorrow', f.town),
    'Follow-up #1 added to INC-002: Fix the alert — owner @bob, due 2027-01-05.',
  );
  assert.match(await f.cmd(alice, '/incident resolve INC-002 Fixed upstream', f.town), /^INC-002 resolved at .*\nSummary: Fixed upstream/);
  assert.match(await f.cmd(alice, '/incident resolve INC-1', f.town), /^INC-001 resolved at .*\nNo summary given\./);
  f.h.close();
});

test('acting from elsewhere needs the same rights as in the channel; a hidden incident reads as missing', async () => {
  const f = await fixture();
  const { alice, dave, carol, world } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare Private thing'));
  for (const command of ['/incident info 1', '/incident status INC-1 hi', '/incident severity 1 sev1', '/incident follow inc 1', '/incident resolve INC-1']) {
    assert.equal(await f.cmd(dave, command, f.town), '**Error:** No such incident.', command);
  }
  world.addChannelMember(ch.Id, carol.Id);
  assert.match(await f.cmd(carol, '/incident severity 1 sev1', f.town), /Only the commander, channel admins and system admins can change the severity/);
  assert.match(await f.cmd(carol, '/incident status INC-1 carol here', f.town), /^Status update for INC-001/, 'members respond from anywhere');
  f.h.close();
});

test('help says where each command works', async () => {
  const f = await fixture();
  const help = await f.cmd(f.alice, '/incident help');
  assert.ok(help.includes('- `/incident info [INC-n]` — Show an incident: severity, roles, milestones, latest update. In its channel, or anywhere with INC-n.'));
  assert.ok(help.includes('- `/incident status [INC-n] <text>` — Post a status update (channel, feed, followers); resets the reminder. In its channel; elsewhere start with INC-n.'));
  assert.ok(help.includes('- `/incident metrics [days]` — MTTA and MTTR by severity'));
  f.h.close();
});

test('a system admin responds without joining the channel, as they steer (the access matrix’s RESPOND)', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare Private thing'));
  assert.ok(!f.world.membersOf(ch.Id).includes(f.admin.Id));
  assert.match(await f.cmd(f.admin, '/incident status INC-1 Admin looking', f.town), /^Status update for INC-001 posted/);
  assert.match(await f.cmd(f.admin, '/incident milestone 1 detected 1m ago', f.town), /^INC-001: Detected set to/);
  assert.match(await f.cmd(f.dave, '/incident status INC-1 Not me', f.town), /^\*\*Error:\*\* No such incident\.$/);
  f.h.close();
});
