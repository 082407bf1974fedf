import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, messages } from './test_fixture';

test('declare by command: channel, members, pinned card, feed post, bot acts', async () => {
  const group = { ids: [] as string[] };
  const f0 = await fixture();
  const { world, alice, bob, carol } = f0;
  const g = world.addGroup('DB oncall', [carol.Id]);
  group.ids.push(g.Id);
  world.pluginConfig = { IncidentFeedChannel: 'incidents', IncidentRespondersSev2: `@bob, group:${g.Id}` };
  await f0.h.product.onConfigurationChange!();

  const reply = await f0.cmd(alice, '/incident declare sev2 DB latency in eu-west --type Outage');
  assert.equal(reply, 'Declared **INC-001** — SEV2 (Major), private, type Outage: ~inc-001-db-latency-in-eu-west. You are the commander.');
  const channel = f0.channelOf(reply);
  assert.equal(channel.Type, 'P', 'private by default');
  assert.equal(channel.DisplayName, 'INC-001 DB latency in eu-west');
  assert.equal(channel.CreatorId, f0.h.ctx.botUserId);
  const members = new Set(world.membersOf(channel.Id));
  for (const u of [alice, bob, carol]) assert.ok(members.has(u.Id), `${u.Username} added`);
  assert.ok(!members.has(f0.dave.Id));

  const card = f0.card(channel.Id);
  assert.equal(card.IsPinned, true);
  assert.equal(card.UserId, f0.h.ctx.botUserId);
  assert.match(card.Message ?? '', /INC-001: DB latency in eu-west/);
  assert.match(card.Message ?? '', /\*\*Commander\*\* @alice/);
  const data = f0.cardData(channel.Id);
  assert.equal(data.reference, 'INC-001');
  assert.equal(data.severity, 2);
  assert.equal(data.roles.commander?.username, 'alice');

  const feedPosts = world.postsIn(f0.feed.Id);
  assert.equal(feedPosts.length, 1);
  assert.equal(feedPosts[0]!.UserId, f0.h.ctx.botUserId);
  // Private: the feed learns the number and severity, not the title.
  assert.match(feedPosts[0]!.Message ?? '', /INC-001\*\* — SEV2 \(Major\), private — declared by @alice/);
  assert.doesNotMatch(feedPosts[0]!.Message ?? '', /latency/);
  assert.ok((feedPosts[0]!.Message ?? '').includes(`http://localhost:8065/ops/channels/${channel.Id}`), 'linked by id: the name carries the title');

  const declared = world.events.find((e) => e.event === 'incident_declared');
  assert.deepEqual(declared?.broadcast, { ChannelId: channel.Id });
  f0.h.close();
});

test('public declaration announces the title; numbers are sequential per team; names never clash', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const first = await f.cmd(f.alice, '/incident declare Payments down');
  assert.match(first, /INC-001.*~inc-001-payments-down/);
  assert.equal(f.channelOf(first).Type, 'O');
  assert.match(f.world.postsIn(f.feed.Id)[0]!.Message ?? '', /INC-001: Payments down\*\* — SEV3 \(Minor\), declared by @alice\. Join: ~inc-001-payments-down/);
  // Someone already made the channel the template would give INC-002.
  f.world.addChannel(f.team.Id, 'inc-002-payments-down');
  const second = await f.cmd(f.bob, '/incident declare Payments down --private');
  assert.match(second, /INC-002.*~inc-002-payments-down-2/);
  assert.equal(f.channelOf(second).Type, 'P');
  const cyrillic = await f.cmd(f.bob, '/incident declare Сбой базы данных');
  assert.match(cyrillic, /~inc-003-sboi-bazy-dannykh/);
  const cjk = await f.cmd(f.bob, '/incident declare 数据库故障');
  assert.match(cjk, /INC-004.*~inc-004\./);
  const other = f.world.addTeam('other');
  f.world.addTeamMember(other.Id, f.alice.Id);
  const town2 = f.world.addChannel(other.Id, 'town-square');
  const otherTeam = await f.h.command(f.alice, town2.Id, '/incident declare Other team thing', other);
  assert.match(otherTeam.Text ?? '', /INC-001/);
  f.h.close();
});

test('no title opens the declare dialog; malformed declarations get clear errors', async () => {
  const f = await fixture();
  assert.equal(await f.cmd(f.alice, '/incident declare'), '');
  const dialog = f.world.dialogs.at(-1)!;
  assert.equal(dialog.URL, '/plugins/infra-ops/api/v1/incidents/dialog');
  assert.deepEqual(
    dialog.Dialog.Elements.map((e) => e.Name),
    ['title', 'severity', 'type', 'summary', 'private', 'commander', 'invite'],
  );
  assert.deepEqual(JSON.parse(dialog.Dialog.State!), { channelId: f.town.Id }, 'the team comes from the channel when the form comes back');

  assert.match(await f.cmd(f.alice, '/incident declare sev9 x'), /\*\*Error:\*\* "sev9" is not a severity/);
  assert.match(await f.cmd(f.alice, '/incident declare Title --severity 7'), /\*\*Error:\*\* "7" is not a severity[\s\S]*Usage: `\/incident declare/);
  assert.match(await f.cmd(f.alice, '/incident declare Title --type Meteor'), /"Meteor" is not an incident type\. Types: Outage/);
  assert.match(await f.cmd(f.alice, '/incident declare Title --public --private'), /Choose --public or --private/);
  assert.match(await f.cmd(f.alice, '/incident declare Title --bogus'), /Unknown option --bogus/);
  assert.match(await f.cmd(f.alice, `/incident declare ${'x'.repeat(201)}`), /The title can be at most 200 characters \(this one has 201\)/);
  assert.match(await f.cmd(f.alice, '/incident declare Title --type'), /--type needs a value/);
  assert.match(await f.cmd(f.outsider, '/incident declare Sneaky'), /^\*\*Error:\*\* No such channel\.$/, 'outside the team: nothing to see');
  assert.equal([...f.world.channels.values()].filter((c) => c.Name.startsWith('inc-')).length, 0);
  f.h.close();
});

test('respond: status, severity, roles, timeline, milestones, follow, follow-ups, info, resolve, reopen', async () => {
  // The incident's own reminders alone: its runbook's due-item nags are proven in runs/incident_runbook.test.ts.
  const f = await fixture({ IncidentRunbooks: false });
  const { world, alice, bob, carol, dave } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare sev3 Queue backlog'));
  f.h.clock += 5 * 60_000;

  assert.equal(
    await f.cmd(alice, '/incident status Consumers restarted, watching lag', ch),
    'Status update for INC-001 posted in ~inc-001-queue-backlog. Next status update due 2027-01-04 13:05 UTC.\n' +
      'As its first status update, it also set **acknowledged** to 2027-01-04 09:05 UTC; correct that with `/incident milestone acknowledged <time>`.',
  );
  const statusPost = messages(world, ch.Id).find((m) => m.includes('status update'))!;
  assert.match(statusPost, /#### INC-001 status update · SEV3 \(Minor\)\nConsumers restarted, watching lag/);
  assert.match(f.card(ch.Id).Message ?? '', /Latest update.*Consumers restarted/);

  assert.equal(await f.cmd(alice, '/incident role scribe @bob', ch), '@bob is now the scribe of INC-001.');
  const brief = f.dms(bob).find((m) => /^@alice made you scribe of INC-001 \(~inc-001-queue-backlog\)\. You are the \*\*scribe\*\*/.test(m));
  assert.ok(brief, 'the new holder gets the brief privately, by direct message');
  assert.match(f.card(ch.Id).Message ?? '', /\*\*Scribe\*\* @bob/);

  // carol is not a member: roles need the commander; status needs channel membership.
  assert.match(await f.cmd(carol, '/incident severity 1', ch), /not an incident channel/);
  world.addChannelMember(ch.Id, carol.Id);
  assert.match(await f.cmd(carol, '/incident severity 1', ch), /Only the commander, channel admins and system admins can change the severity/);
  assert.match(await f.cmd(bob, '/incident resolve', ch), /Only the commander/);
  // As in Mattermost, a system admin reads (and may steer) every channel without joining it.
  assert.equal(await f.cmd(f.admin, '/incident severity sev2', ch), 'INC-001 is now **SEV2 (Major)**; it was SEV3 (Minor). Next status update due 2027-01-04 10:05 UTC.');
  assert.match(await f.cmd(alice, '/incident severity major', ch), /already SEV2/);
  assert.match(await f.cmd(alice, '/incident severity', ch), /Give one severity[\s\S]*Usage/);

  assert.match(await f.cmd(alice, '/incident role commander @carol', ch), /@carol is now the commander/);
  assert.match(await f.cmd(alice, '/incident role scribe @alice', ch), /Only the commander/, 'alice handed over command');
  assert.match(await f.cmd(carol, '/incident role pilot @alice', ch), /"pilot" is not a role/);
  assert.match(await f.cmd(carol, '/incident role scribe @nobody', ch), /Unknown user: @nobody/);
  assert.match(await f.cmd(carol, '/incident role scribe', ch), /Name a role and one user/);

  assert.equal(await f.cmd(bob, '/incident timeline add Found the poison message', ch), 'Added to the INC-001 timeline: Found the poison message');
  assert.match(await f.cmd(bob, '/incident timeline add', ch), /needs some text/);
  assert.equal(await f.cmd(bob, '/incident milestone detected 20m ago', ch), 'INC-001: Detected set to 2027-01-04 08:45 UTC. MTTA 20m.');
  assert.match(
    await f.cmd(bob, '/incident milestone mitigated 30m ago', ch),
    /Mitigated at 2027-01-04 08:35 UTC cannot be before acknowledged, which is set to 2027-01-04 09:05 UTC; milestones go detected → acknowledged → mitigated → resolved\. Use a later time, or correct acknowledged first: `\/incident milestone acknowledged <time>` \(or `clear`\)\./,
  );
  assert.match(await f.cmd(bob, '/incident milestone resolved', ch), /Resolve the incident with `\/incident resolve`/);
  assert.match(await f.cmd(bob, '/incident milestone launched', ch), /"launched" is not a milestone/);
  assert.match(await f.cmd(bob, '/incident milestone mitigated yesterday-ish', ch), /not a time I understand/);
  assert.match(await f.cmd(bob, '/incident milestone mitigated 25:00', ch), /not a valid time of day/);

  assert.match(await f.cmd(dave, '/incident follow', ch), /not an incident channel/, 'private: non-members see nothing');
  assert.match(await f.cmd(bob, '/incident follow', ch), /^You follow INC-001: its status updates, severity changes, resolves and reopens come to you by direct message\.$/);
  assert.match(await f.cmd(bob, '/incident follow', ch), /already follow/);

  assert.equal(await f.cmd(bob, '/incident followup add Add lag alert @carol 2027-01-20', ch), 'Follow-up #1 added to INC-001: Add lag alert — owner @carol, due 2027-01-20.');
  assert.equal(await f.cmd(bob, '/incident followup add Write runbook +3d', ch), 'Follow-up #2 added to INC-001: Write runbook — no owner, due 2027-01-07.');
  assert.match(await f.cmd(bob, '/incident followup add @carol', ch), /needs a description/);
  assert.match(await f.cmd(bob, '/incident followup add Thing 2027-02-30', ch), /not a real date/);
  const list = await f.cmd(bob, '/incident followup list', ch);
  assert.match(list, /⬜ #1 Add lag alert — @carol, due 2027-01-20/);
  assert.match(list, /⬜ #2 Write runbook — no owner, due 2027-01-07/);
  assert.equal(await f.cmd(carol, '/incident followup done 1', ch), 'Follow-up #1 of INC-001 done: Add lag alert');
  assert.match(await f.cmd(carol, '/incident followup done 1', ch), /already done/);
  assert.match(await f.cmd(carol, '/incident followup done 9', ch), /no follow-up #9/);
  assert.match(await f.cmd(carol, '/incident followup done x', ch), /Give the follow-up number/);

  const info = await f.cmd(bob, '/incident info', ch);
  assert.match(info, /### INC-001: Queue backlog/);
  assert.match(info, /\*\*Commander\*\* @carol · \*\*Scribe\*\* @bob/);
  assert.match(info, /\*\*MTTA\*\* 20m/, 'acknowledged at the first status update, measured from detection');

  const timeline = await f.cmd(bob, '/incident timeline', ch);
  for (const text of ['declared INC-001', 'posted a status update', 'made @bob scribe', 'changed severity', 'Found the poison message', 'set detected', 'follows the incident', 'added follow-up #1', 'completed follow-up #1']) {
    assert.ok(timeline.includes(text), `timeline has "${text}"`);
  }

  f.h.clock += 30 * 60_000;
  assert.equal(await f.cmd(carol, '/incident resolve Lag back to zero', ch), 'INC-001 resolved at 2027-01-04 09:35 UTC, MTTR 50m.\nSummary: Lag back to zero');
  assert.match(await f.cmd(carol, '/incident resolve', ch), /already resolved/);
  assert.match(await f.cmd(carol, '/incident status still fine', ch), /resolved; reopen it first/);
  assert.match(await f.cmd(bob, '/incident info', ch), /\*\*MTTR\*\* 50m/);
  assert.match(messages(world, ch.Id).join('\n'), /resolved this incident: Lag back to zero/);
  assert.match(messages(world, f.feed.Id).at(-1)!, /INC-001\*\* \(private\) was resolved/);
  assert.equal(
    await f.cmd(carol, '/incident reopen', ch),
    'INC-001 reopened: its resolved time is cleared and its resolution summary is kept for the next resolve. Next status update due 2027-01-04 10:05 UTC.',
  );
  assert.match(await f.cmd(carol, '/incident reopen', ch), /is not resolved/);
  assert.match(f.card(ch.Id).Message ?? '', /Active/);

  assert.match(await f.cmd(alice, '/incident list', f.town), /\*\*INC-001\*\* SEV2 \(Major\) · 🔴 Active · Queue backlog/);
  assert.match(await f.cmd(dave, '/incident list all', f.town), /_none_/, 'private incidents are not listed to non-members');
  assert.match(await f.cmd(alice, '/incident list closed', f.town), /Unknown filter "closed"/);
  assert.match(await f.cmd(alice, '/incident status hi', f.town), /This is not an incident channel/);
  assert.match(await f.cmd(alice, '/incident nope', ch), /Unknown subcommand "nope"/);
  assert.match(await f.cmd(alice, '/incident', ch), /\/incident followup add/);
  f.h.close();
});

test('every change posts a notice, updates the card and emits a channel-scoped event for private incidents', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare Cache stampede'));
  const before = f.world.events.length;
  await f.cmd(f.alice, '/incident severity 2', ch);
  const events = f.world.events.slice(before);
  assert.ok(events.length >= 1);
  for (const e of events) assert.deepEqual(e.broadcast, { ChannelId: ch.Id }, 'never team-wide for a private incident');
  const payload = JSON.parse(String(events[0]!.payload['data'])) as { change: string; incident: { severity: number } };
  assert.equal(payload.change, 'severity');
  assert.equal(payload.incident.severity, 2);
  assert.match(messages(f.world, ch.Id).at(-1)!, /@alice changed severity from SEV3 \(Minor\) to \*\*SEV2 \(Major\)\*\*/);
  assert.ok(f.world.commands.get('incident')?.AutocompleteData?.SubCommands?.some((s) => s.Trigger === 'followup'));
  f.h.close();
});

test('escalating pulls in the responders of the new severity', async () => {
  const f = await fixture({ IncidentRespondersSev1: '@dave @ghost' });
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev3 Slow search'));
  assert.ok(!f.world.membersOf(ch.Id).includes(f.dave.Id));
  await f.cmd(f.alice, '/incident severity 1', ch);
  assert.ok(f.world.membersOf(ch.Id).includes(f.dave.Id));
  assert.ok(f.world.logs.some((l) => l.level === 'warn' && String(l.fields?.['warning']).includes('@ghost does not exist')));
  f.h.close();
});

test('free text is kept as typed: apostrophes in titles, updates, notes and summaries; multi-word --type', async () => {
  const f = await fixture({ IncidentTypes: 'Outage, Data center, Other' });
  const { world, alice } = f;
  const reply = await f.cmd(alice, "/incident declare sev3 Can't reach internal DNS --type Data center --public");
  assert.match(reply, /^Declared \*\*INC-001\*\* — SEV3 \(Minor\), public, type Data center: ~inc-001-cant-reach-internal-dns\./);
  const ch = f.channelOf(reply);
  assert.equal(ch.Type, 'O');
  assert.equal(f.cardData(ch.Id).title, "Can't reach internal DNS");
  assert.equal(f.cardData(ch.Id).type, 'Data center');
  assert.match(await f.cmd(alice, "/incident status We're rolling back the vault change", ch), /^Status update for INC-001 posted in ~inc-001-cant-reach-internal-dns\./);
  assert.match(messages(world, ch.Id).join('\n'), /We're rolling back the vault change/);
  await f.cmd(alice, "/incident timeline add Vault's audit log shows the error", ch);
  assert.match(messages(world, ch.Id).at(-1)!, /Vault's audit log shows the error/);
  await f.cmd(alice, '/incident timeline add kubectl --force delete broke prod', ch);
  assert.match(messages(world, ch.Id).at(-1)!, /kubectl --force delete broke prod/, 'a command without flags takes --words as text');
  assert.equal(await f.cmd(alice, "/incident followup add Fix Bob's box @bob tomorrow", ch), "Follow-up #1 added to INC-001: Fix Bob's box — owner @bob, due 2027-01-05.");
  assert.match(await f.cmd(alice, "/incident resolve It's fixed", ch), /INC-001 resolved/);
  assert.match(await f.cmd(alice, '/incident info', ch), /\*\*Resolution\*\*: It's fixed/);
  assert.match(await f.cmd(alice, "/incident declare 'Quoted title' --private"), /~inc-002-quoted-title/);
  assert.match(await f.cmd(alice, '/incident declare Title --force'), /Unknown option --force; this command knows --type, --severity, --public, --private/);
  f.h.close();
});

test('incidents are named INC-16, inc-016 or 16 wherever a command takes one', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const { alice, dave } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare First one'));
  for (const ref of ['INC-1', 'inc-001', '1', '#1', 'INC1']) assert.match(await f.cmd(dave, `/incident info ${ref}`, f.town), /### INC-001: First one/, ref);
  assert.match(await f.cmd(dave, '/incident timeline INC-001', f.town), /\*\*INC-001 timeline\*\*/);
  assert.match(await f.cmd(dave, '/incident follow inc-1', f.town), /You follow INC-001/);
  assert.match(await f.cmd(dave, '/incident unfollow 1', f.town), /You no longer follow INC-001/);
  assert.match(await f.cmd(dave, '/incident info', f.town), /This is not an incident channel/);
  assert.match(await f.cmd(dave, '/incident info', ch), /### INC-001/);
  f.h.close();
});

test('the feed hears severity changes and reopens of public incidents (usability A5)', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev1 Checkout down'));
  await f.cmd(f.alice, '/incident severity 4', ch);
  assert.equal(messages(f.world, f.feed.Id).at(-1), '⚠️ @alice changed **INC-001: Checkout down** from SEV1 (Critical) to **SEV4 (Low)**. ~inc-001-checkout-down');
  await f.cmd(f.alice, '/incident resolve', ch);
  await f.cmd(f.alice, '/incident reopen', ch);
  assert.match(messages(f.world, f.feed.Id).at(-1)!, /🔁 \*\*INC-001: Checkout down\*\* was reopened by @alice/);
  f.h.close();
});
