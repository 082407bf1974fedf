import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../plugin/api/app_error';
import { MemoryWorld } from '../../plugin/testing/memory_api';
import { ProductHarness } from '../testing/product_harness';
import { IncidentStore } from './store';
import { fixture, messages } from './test_fixture';

const idOf = async (h: ProductHarness, channelId: string): Promise<string> => (await new IncidentStore(h.ctx.kv).incidentIdForChannel(channelId))!;

test('followers get each status update by DM and event; the author and followers who lost access do not', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const { world, alice, bob, carol, dave } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare Cache stampede'));
  // dave follows without joining (public incident); bob and carol are members.
  for (const u of [bob, carol]) world.addChannelMember(ch.Id, u.Id);
  for (const u of [alice, bob, carol, dave]) assert.match(await f.cmd(u, '/incident follow', ch), /You follow INC-001/);

  await f.cmd(bob, '/incident status warming the cache', ch);
  for (const u of [alice, carol, dave]) {
    assert.match(f.dms(u).at(-1) ?? '', /#### INC-001 status update · SEV3 \(Minor\)\nwarming the cache[\s\S]*_You follow INC-001: ~inc-001-cache-stampede_/, u.Username);
  }
  assert.deepEqual(f.dms(bob), [], 'the author is not told their own update');
  const events = world.events.filter((e) => e.event === 'incident_status_posted');
  assert.deepEqual(events.map((e) => e.broadcast.UserId).sort(), [alice.Id, carol.Id, dave.Id].sort());

  // A private incident: a follower who left the channel hears nothing more.
  const priv = f.channelOf(await f.cmd(alice, '/incident declare Secret thing --private'));
  world.addChannelMember(priv.Id, carol.Id);
  await f.cmd(carol, '/incident follow', priv);
  world.channelMembers.delete(`${priv.Id}:${carol.Id}`);
  const before = { dms: f.dms(carol).length, events: world.events.length };
  await f.cmd(alice, '/incident status still digging', priv);
  assert.equal(f.dms(carol).length, before.dms);
  assert.ok(!world.events.slice(before.events).some((e) => e.broadcast.UserId === carol.Id), 'no event either');
  f.h.close();
});

test('a role brief that cannot be sent by DM falls back to an ephemeral post in the incident channel', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare DM trouble'));
  f.h.api.getDirectChannel = async () => {
    throw new AppError('api.channel.create_direct_channel.app_error', 'direct messages are disabled', '', 403);
  };
  assert.match(await f.cmd(f.alice, '/incident role comms @bob', ch), /@bob is now the comms/);
  const brief = f.world.ephemeralPosts.find((e) => e.userId === f.bob.Id && e.post.ChannelId === ch.Id);
  assert.match(brief?.post.Message ?? '', /^@alice made you comms of INC-001 .*You are \*\*communications\*\*/);
  f.h.close();
});

test('a commander who handed over command meanwhile cannot still steer on the record they read', async () => {
  const f = await fixture();
  const { world, alice, bob } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare Race'));
  world.addChannelMember(ch.Id, bob.Id);
  const id = await idOf(f.h, ch.Id);
  const store = new IncidentStore(f.h.ctx.kv);
  // The handoff to bob lands (on another node) after alice's resolve read the record and the
  // policy allowed her as its commander: the last thing it asks is whether she may post there.
  const realPermission = f.h.api.hasPermissionToChannel.bind(f.h.api);
  let handedOver = false;
  f.h.api.hasPermissionToChannel = async (userId, channelId, permission) => {
    if (userId === alice.Id && permission === 'create_post' && !handedOver) {
      handedOver = true;
      await store.update(id, (i) => ({ ...i, roles: { ...i.roles, commander: bob.Id } }));
    }
    return realPermission(userId, channelId, permission);
  };
  assert.match(await f.cmd(alice, '/incident resolve done', ch), /You handed over the commander role meanwhile, so you can no longer resolve the incident/);
  assert.equal((await store.get(id))!.phase, 'active');
  // A channel admin's right does not hang on the record, so the same race does not stop them.
  world.addChannelMember(ch.Id, bob.Id, 'channel_user channel_admin');
  assert.match(await f.cmd(bob, '/incident resolve done', ch), /INC-001 resolved/);
  f.h.close();
});

test('reminders: one nudge across three nodes, saying what is due; escalation tightens at once; a stale job does not nudge', async () => {
  const world = new MemoryWorld();
  // The incident's own reminders alone: its runbook's due-item nags are proven in runs/incident_runbook.test.ts.
  const f = await fixture({ IncidentUpdateIntervalSev3: 60, IncidentUpdateIntervalSev1: 10, IncidentRunbooks: false }, world);
  const nodes = [f.h, await new ProductHarness(world).activate(), await new ProductHarness(world).activate()];
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev3 Slow builds'));
  const id = await idOf(f.h, ch.Id);
  const key = `incident-reminder:${id}`;
  const nudges = () => messages(world, ch.Id).filter((m) => m.startsWith('⏰'));

  // 30 minutes in, SEV3 is not due; escalating to SEV1 (every 10 minutes) makes it overdue now.
  const later = f.h.clock + 30 * 60_000;
  for (const n of nodes) n.clock = later;
  await f.cmd(f.alice, '/incident severity 1', ch);
  assert.equal(await f.h.ctx.scheduler.dueAt(key), nodes[0]!.clock, 'overdue under the tighter cadence: due at once');
  const ran = await Promise.all(nodes.map((n) => n.ctx.scheduler.runDue()));
  assert.deepEqual(ran.reduce((a, b) => a + b, 0), 1, 'exactly one node ran it');
  assert.equal(nudges().length, 1);
  assert.equal(
    nudges()[0],
    '⏰ @alice, INC-001 needs a status update: SEV1 (Critical) expects one every 10 minutes, and there has been none since the declaration 30 minutes ago. ' +
      'It was due at 2027-01-04 09:10 UTC: post one with `/incident status <text>`.',
  );

  // A status update written without its reminder reset (its node died between the two): the
  // old job fires, finds nothing due, and follows the record instead of nudging.
  const store = new IncidentStore(f.h.ctx.kv);
  const updatedAt = nodes[0]!.clock + 5 * 60_000;
  await store.update(id, (i) => ({ ...i, lastUpdate: { text: 'fixed runner', at: updatedAt, by: f.alice.Id } }));
  for (const n of nodes) n.clock += 10 * 60_000;
  await Promise.all(nodes.map((n) => n.ctx.scheduler.runDue()));
  assert.equal(nudges().length, 1, 'no nudge: the update is not due yet');
  assert.equal(await f.h.ctx.scheduler.dueAt(key), updatedAt + 10 * 60_000, 'rescheduled to the real due time');
  for (const n of nodes) n.close();
});

test('a node dying after the card and feed posts but before the final setup write: the resume posts neither again', async () => {
  const world = new MemoryWorld();
  const f = await fixture({}, world);
  // Members are being added when the node dies: that step never finishes on this node.
  f.h.api.addChannelMember = () => new Promise(() => {});
  void f.cmd(f.alice, '/incident declare Half done');
  // Wait (bounded) until this node has done all it will do: both posts made and noted.
  const store = new IncidentStore(f.h.ctx.kv);
  const noted = async () => {
    const id = (await f.h.api.kvList(0, 1000)).find((k) => k.startsWith('inc:r:'))?.slice('inc:r:'.length);
    const record = id ? await store.get(id) : null;
    return record !== null && record.cardPostId !== '' && record.setup.announced;
  };
  for (let i = 0; i < 2000 && !(await noted()); i++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(await noted(), 'the card and the feed post are noted on the pending record');
  const ch = [...world.channels.values()].find((c) => c.Name === 'inc-001-half-done')!;
  assert.equal(world.postsIn(ch.Id).filter((p) => p.Type === 'custom_infra_incident').length, 1);
  assert.equal(world.postsIn(f.feed.Id).length, 1);

  const node2 = await new ProductHarness(world).activate();
  node2.clock = f.h.clock + 3 * 60_000;
  assert.equal(await node2.ctx.scheduler.runDue(), 1);
  assert.equal(world.postsIn(ch.Id).filter((p) => p.Type === 'custom_infra_incident').length, 1, 'one card');
  assert.equal(world.postsIn(f.feed.Id).length, 1, 'one feed post');
  assert.ok(world.membersOf(ch.Id).includes(f.alice.Id));
  assert.match(await node2.command(f.alice, ch.Id, '/incident info', f.team).then((r) => r.Text ?? ''), /· 🔴 Active/);
  f.h.close();
  node2.close();
});

test('/infra owe lists overdue updates and open follow-ups, only of incidents the user can still see', async () => {
  // The incident's own lines alone: its runbook's items (due today, overdue) are proven in runs/status_updates.test.ts.
  const f = await fixture({ IncidentUpdateIntervalSev2: 15, IncidentRunbooks: false });
  const { world, alice, bob } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare sev2 Disk full'));
  world.addChannelMember(ch.Id, bob.Id);
  await f.cmd(alice, '/incident followup add Alert on disk @bob 2027-01-20', ch);
  assert.equal(
    await f.cmd(alice, '/infra owe'),
    '#### What you owe now\n**Incidents**\n- INC-001 · SEV2 (Major) · ~inc-001-disk-full: you are the commander. Next status update due 2027-01-04 09:15 UTC.',
    'the role, with the update not yet due; the follow-up is bob\'s',
  );
  f.h.clock += 20 * 60_000;
  const owed = await f.cmd(alice, '/infra owe');
  assert.match(owed, /\*\*Incidents\*\*\n- INC-001 · SEV2 \(Major\) · ~inc-001-disk-full: you are the commander\. A status update is \*\*overdue\*\* since 2027-01-04 09:15 UTC\./);
  assert.match(await f.cmd(bob, '/infra owe'), /- INC-001 follow-up #1: Alert on disk — due 2027-01-20$/);
  world.channelMembers.delete(`${ch.Id}:${bob.Id}`);
  assert.match(await f.cmd(bob, '/infra owe'), /You owe nothing/, 'bob left the private channel: its follow-up text is not shown');
  f.h.close();
});

test('garbage in every command gets a clear error, and nothing is changed', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Garbage in'));
  const id = await idOf(f.h, ch.Id);
  const store = new IncidentStore(f.h.ctx.kv);
  const before = await store.get(id);
  const cases: Array<[string, RegExp]> = [
    ['/incident declare --type', /--type needs a value/],
    ['/incident declare sev9 Title', /"sev9" is not a severity[\s\S]*Usage/],
    ['/incident declare --severity', /--severity needs a value/],
    ['/incident declare T --bogus', /Unknown option --bogus/],
    ['/incident severity 1 2 3', /Give one severity/],
    ['/incident role commander @alice @bob', /Name a role and one user/],
    ['/incident role scribe @mallory', /@mallory is not a member of this team/],
    ['/incident timeline garbage', /"garbage" is not an incident\. Name one as INC-7, INC-007, inc 7, #7 or 7\.[\s\S]*Usage: `\/incident timeline \[INC-n\]`/],
    ['/incident timeline ad x', /"ad x" is not an incident\. Name one as INC-7, or did you mean `\/incident timeline add \[INC-n\] <text>`\?/],
    ['/incident follow x', /"x" is not an incident/],
    ['/incident unfollow INC-1 INC-2', /Name at most one incident/],
    ['/incident reopen now', /"now" is not an incident/],
    ['/incident info INC-0', /"INC-0" is not an incident/],
    ['/incident info 99', /^\*\*Error:\*\* No such incident\.$/],
    ['/incident milestone detected -99999d', /more than 30 days before the declaration/],
    ['/incident milestone detected -9999999999d', /not a time I understand/],
    ['/incident milestone detected 2027-01-05 10:00', /cannot be in the future/],
    ['/incident followup add Check @bob next-week', /"next-week" is not a due date I understand/],
    ['/incident followup add Backfill 31/12/2027', /"31\/12\/2027" is not a due date I understand/],
    ['/incident followup add Old thing 2027-01-01', /The due date 2027-01-01 is in the past \(today is 2027-01-04\)/],
    ['/incident followup list x', /"x" is not an incident/],
    ['/incident milestone detected 2027-13-45 10:00', /2027-13-45 10:00 is not a real date/],
    ['/incident milestone detected 2027-02-30 10:00', /is not a real date/],
    [`/incident resolve ${'y'.repeat(4001)}`, /The summary can be at most 4000 characters \(this one has 4001\)/],
    [`/incident status ${'s'.repeat(4001)}`, /The status update can be at most 4000 characters/],
    ['/incident followup done -1', /Give the follow-up number/],
    ['/incident followup add thing 2027-00-10', /2027-00-10 is not a real date/],
    ['/incident list x y', /Unknown filter "x y"/],
  ];
  for (const [command, expected] of cases) {
    const reply = await f.cmd(f.alice, command, ch);
    assert.match(reply, /^\*\*Error:\*\* /, command);
    assert.match(reply, expected, command);
  }
  const after = await store.get(id);
  assert.equal(after!.rev, before!.rev, 'no write');
  assert.equal(after!.phase, 'active');
  f.h.close();
});

test('the setup safety net is cancelled even when its write lands after the setup finished', async () => {
  const f = await fixture();
  const realSet = f.h.api.kvSetWithOptions.bind(f.h.api);
  f.h.api.kvSetWithOptions = async (key, value, options) => {
    // The safety net's job write is slow (a busy KV): the declaration finishes first.
    if (key.startsWith('sched:job:incident-setup:')) await new Promise((r) => setTimeout(r, 30));
    return realSet(key, value, options);
  };
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare Slow safety net'));
  const id = await idOf(f.h, ch.Id);
  await new Promise((r) => setTimeout(r, 60)); // whatever was still in flight has landed
  assert.equal(await f.h.ctx.scheduler.dueAt(`incident-setup:${id}`), null);
  f.h.close();
});

test('the declare form names a commander who is not on the team beside the field, and declares nothing', async () => {
  const f = await fixture();
  const state = JSON.stringify({ teamId: f.team.Id, channelId: f.town.Id });
  const reply = await f.h.http('POST', '/api/v1/incidents/dialog', f.alice, {
    callback_id: 'incident-declare',
    state,
    submission: { title: 'Form trouble', commander: f.outsider.Id },
  });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { errors: { commander: 'The commander must be a member of this team.' } });
  assert.equal([...f.world.channels.values()].filter((c) => c.Name.startsWith('inc-')).length, 0);
  f.h.close();
});

test('a failed declaration is removed only while it still has no channel (compare-and-set delete)', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare Keep me'));
  const id = await idOf(f.h, ch.Id);
  const store = new IncidentStore(f.h.ctx.kv);
  // Another node recorded a channel for the declaration this node is giving up on.
  await store.update(id, (i) => ({ ...i, phase: 'pending' }));
  assert.equal(await store.removeUnsetUp(id), false);
  assert.equal((await store.get(id))?.channelId, ch.Id, 'kept');
  await store.update(id, (i) => ({ ...i, channelId: '' }));
  assert.equal(await store.removeUnsetUp(id), true);
  assert.equal(await store.get(id), null);
  assert.deepEqual((await store.allTags(f.team.Id)).map((t) => t.tags['ph']), ['void'], 'the number stays used');
  f.h.close();
});

test('declare without a title pre-fills the form from the command, and checks its options first', async () => {
  const f = await fixture();
  assert.equal(await f.cmd(f.alice, '/incident declare sev1 --type Security --public'), '');
  const elements = f.world.dialogs.at(-1)!.Dialog.Elements;
  const defaults = Object.fromEntries(elements.map((e) => [e.Name, e.Default]));
  assert.deepEqual({ severity: defaults['severity'], type: defaults['type'], private: defaults['private'] }, { severity: '1', type: 'Security', private: 'false' });
  const opened = f.world.dialogs.length;
  assert.match(await f.cmd(f.alice, '/incident declare --bogus'), /Unknown option --bogus/);
  assert.match(await f.cmd(f.alice, '/incident declare sev7'), /"sev7" is not a severity/);
  assert.match(await f.cmd(f.alice, '/incident declare --type Nope'), /"Nope" is not an incident type/);
  assert.equal(f.world.dialogs.length, opened, 'no form for a command with mistakes');
  f.h.close();
});

test('a commander named in the declare form gets the commander brief by DM; a self-declared one does not', async () => {
  const f = await fixture();
  const state = JSON.stringify({ teamId: f.team.Id, channelId: f.town.Id });
  const reply = await f.h.http('POST', '/api/v1/incidents/dialog', f.alice, {
    callback_id: 'incident-declare',
    state,
    submission: { title: 'Named commander', severity: '2', commander: f.bob.Id },
  });
  assert.deepEqual(reply.body, {});
  assert.match(f.dms(f.bob).join('\n'), /^@alice declared INC-001 \(~inc-001-named-commander\) and made you commander\. You are the \*\*incident commander\*\*/);
  assert.deepEqual(f.dms(f.alice), []);
  f.h.close();
});

test('settings shape what users see; public status updates reach the feed, private ones stay in the channel; events go to the channel', async () => {
  const f = await fixture({
    IncidentChannelNameTemplate: '{severity}-{number}-{type}-{title}',
    IncidentSeverityLabels: 'Fire, Smoke, Smell, Whiff',
    IncidentStatusTemplate: '[{reference} {severity}] {text} (next {next}, cmd {commander})',
    IncidentPrivateByDefault: false,
  });
  const { world, alice } = f;
  const reply = await f.cmd(alice, '/incident declare sev2 Queue stuck --type Outage');
  assert.match(reply, /^Declared \*\*INC-001\*\* — SEV2 \(Smoke\), public, type Outage: ~sev2-001-outage-queue-stuck\./);
  const ch = f.channelOf(reply);
  f.h.clock += 10 * 60_000;
  await f.cmd(alice, '/incident status draining', ch);
  const expected = '[INC-001 SEV2 (Smoke)] draining (next 2027-01-04 10:10 UTC, cmd @alice)';
  assert.ok(messages(world, ch.Id).includes(expected), 'the configured template in the channel');
  assert.equal(messages(world, f.feed.Id).at(-1), `${expected}\n\nQueue stuck · ~sev2-001-outage-queue-stuck`, 'and in the feed, with the title');
  const updated = world.events.filter((e) => e.event === 'incident_updated');
  assert.ok(updated.length > 0 && updated.every((e) => e.broadcast.ChannelId === ch.Id && !e.broadcast.TeamId), 'never team-wide, not even when public');

  const priv = f.channelOf(await f.cmd(alice, '/incident declare sev1 Quiet one --private'));
  const feedBefore = messages(world, f.feed.Id).length;
  const eventsBefore = world.events.length;
  await f.cmd(alice, '/incident status secret progress', priv);
  assert.equal(messages(world, f.feed.Id).length, feedBefore, 'no status in the feed for a private incident');
  const later = world.events.slice(eventsBefore).filter((e) => e.event === 'incident_updated');
  assert.ok(later.length > 0 && later.every((e) => e.broadcast.ChannelId === priv.Id && !e.broadcast.TeamId), 'private: channel-scoped events');
  assert.ok(!JSON.stringify(world.events.slice(eventsBefore).filter((e) => e.broadcast.TeamId)).includes('secret progress'));
  f.h.close();
});

test('a reminder run again after its node died mid-job (post made, job not finished) nudges once', async () => {
  const f = await fixture({ IncidentUpdateIntervalSev2: 15 });
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Flaky nudge'));
  const nudges = () => messages(f.world, ch.Id).filter((m) => m.startsWith('⏰'));
  // The node posts the nudge, then dies before it can schedule the next one: the job fails and is retried.
  const realSchedule = f.h.ctx.scheduler.schedule.bind(f.h.ctx.scheduler);
  let failOnce = true;
  f.h.ctx.scheduler.schedule = async (key, kind, dueAt, payload) => {
    if (failOnce && payload['nudge'] === 1) {
      failOnce = false;
      throw new Error('node died');
    }
    return realSchedule(key, kind, dueAt, payload);
  };
  f.h.clock += 16 * 60_000;
  await f.h.ctx.scheduler.runDue();
  assert.equal(nudges().length, 1);
  f.h.clock += 60_000;
  await f.h.ctx.scheduler.runDue();
  assert.equal(nudges().length, 1, 'the retry finds the nudge already posted');
  f.h.clock += 15 * 60_000;
  await f.h.ctx.scheduler.runDue();
  assert.equal(nudges().length, 2, 'the next occurrence nudges again');
  f.h.close();
});
