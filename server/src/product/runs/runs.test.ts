import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as z from 'zod/mini';
import type { Channel, User } from '../../plugin/model/types';
import { runRoutes } from '../contract/runs';
import { teamFixture, type TeamFixture } from '../pick/test_fixture';
import { parseDue } from './commands';

const H = 3_600_000;

function channelNamed(f: TeamFixture, name: string): Channel {
  const found = [...f.world.channels.values()].find((c) => c.Name === name);
  assert.ok(found, `channel ${name} exists`);
  return found;
}

test('a release starts in its own channel from the Product release template; the checklist is worked by command and HTTP, on the card and the timeline', async () => {
  const f = await teamFixture();
  const started = await f.cmd(f.alice, '/release start 1.4.0');
  assert.match(started, /Started RUN-001 “1\.4\.0” in ~release-1-4-0 from the template “Product release” \(version 1\)/);
  const ch = channelNamed(f, 'release-1-4-0');
  assert.equal(ch.Type, 'O');
  const card = f.world.postsIn(ch.Id).find((p) => p.UserId === f.h.ctx.botUserId)!;
  assert.match(card.Message!, /#### RUN-001 1\.4\.0\n\*\*Active\*\* · release manager @alice · 0\/9 done · 3 gates open/);
  assert.match(card.Message!, /☐ 1\.1 Cut the release branch — @alice · due /);
  assert.match(card.Message!, /☐ 2\.1 QA approves the release candidate · gate 0\/1 ⏳ · no approvers yet/);

  assert.match(await f.cmd(f.bob, '/run check 1.1', ch), /cannot post|post in/i, 'bob reads the open channel but is not in it');
  f.world.addChannelMember(ch.Id, f.bob.Id);
  assert.match(await f.cmd(f.bob, '/run check 1.1', ch), /1\.1: checked/);
  assert.match(await f.cmd(f.carol, '/run check 1.1', f.town), /There is no run in this channel/);
  assert.match(await f.cmd(f.bob, '/run check cut the release', ch), /Nothing changed on 1\.1/, 'two people checking the same item: one state');
  assert.match(await f.cmd(f.bob, '/run check changelog', ch), /1\.2: checked/, 'an item by words of its title');
  assert.match(await f.cmd(f.bob, '/run check approves', ch), /Several items match \(2\.1, 2\.2, 2\.3\)/);
  assert.match(await f.cmd(f.bob, '/run skip 1.3', ch), /1\.3: skipped/);
  assert.match(await f.cmd(f.bob, '/run check 9.9', ch), /There is no item “9\.9”/);
  assert.match(await f.cmd(f.bob, '/run check 2.1', ch), /Item 2\.1 is an approval gate/);
  assert.match(await f.cmd(f.bob, '/run add ship Post in #releases', ch), /3\.4: added/);
  assert.match(await f.cmd(f.bob, '/run assign 3.4 @alice @bob', ch), /3\.4: assigned to @alice, @bob/);
  assert.match(await f.cmd(f.bob, '/run assign 3.4 @mallory', ch), /@mallory cannot read this run's channel/);
  assert.match(await f.cmd(f.bob, '/run due 3.4 in 2h', ch), /3\.4: due /);
  f.world.users.get(f.bob.Id)!.Timezone = { useAutomaticTimezone: 'false', manualTimezone: 'Asia/Tokyo', automaticTimezone: '' };
  const dueReply = await f.cmd(f.bob, '/run due 3.4 2030-06-01 09:00', ch);
  assert.match(dueReply, /3\.4: due 2030-06-01 09:00 Asia\/Tokyo \(00:00 UTC\)/, 'typed and answered in the caller\'s zone');
  const dueView = z.parse(runRoutes.get.answer, (await f.h.http('GET', `/api/v1/teams/${f.team.Id}/runs/1`, f.bob)).body);
  assert.equal(dueView.run.checklists[2]!.items[3]!.due, Date.UTC(2030, 5, 1, 0), 'stored as the instant it names');
  assert.match(await f.cmd(f.bob, '/run remove 3.4', ch), /3\.4: removed/);

  const base = `/api/v1/teams/${f.team.Id}/runs`;
  const checked = await f.h.http('POST', `${base}/1/items/3.1`, f.alice, { action: 'check' });
  assert.equal(checked.status, 200);
  const view = z.parse(runRoutes.item.answer, checked.body).run;
  assert.deepEqual(view.progress, { done: 3, skipped: 1, total: 9, overdue: 0, openGates: 3 });
  assert.equal((await f.h.http('POST', `${base}/1/items/3.1`, f.carol, { action: 'check' })).status, 403, 'carol reads the open channel but cannot post in it');
  assert.equal((await f.h.http('POST', `${base}/1/items/3.1`, f.outsider, { action: 'check' })).status, 404, 'someone outside the team does not see it');
  assert.equal((await f.h.http('POST', `${base}/1/items/x`, f.alice, { action: 'check' })).status, 400);

  const timeline = await f.cmd(f.alice, '/run timeline', ch);
  assert.match(timeline, /@alice started the run from “Product release” v1/);
  assert.match(timeline, /@bob checked 1\.1 Cut the release branch/);
  assert.match(timeline, /@bob removed 3\.4 Post in #releases/);
  assert.match(f.world.posts.get(card.Id!)!.Message!, /☑ 1\.1 Cut the release branch/, 'the card follows');
  assert.ok(f.events('run_changed').length >= 8);
  f.h.close();
});

test('release gates on the sign-off engine: quorum 2 of 3, a blocking concern stops finishing, hold, resolve, override on the record', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/release start 2.0');
  const ch = channelNamed(f, 'release-2-0');
  for (const u of [f.bob, f.carol, f.dave]) f.world.addChannelMember(ch.Id, u.Id);

  assert.match(await f.cmd(f.alice, '/run approve', ch), /several gates \(2\.1, 2\.2, 2\.3\)/);
  assert.match(await f.cmd(f.bob, '/run approvers 2.1 @bob @carol', ch), /Only the run owner and team admins can name approvers/);
  assert.match(await f.cmd(f.alice, '/run approvers 2.1 @bob @carol @dave --quorum 2', ch), /2\.1: approvers: @bob, @carol, @dave; quorum 2/);
  assert.match(await f.cmd(f.alice, '/run approvers 2.1 @bob --quorum some', ch), /A quorum is all, majority, or at least N/);
  assert.match(await f.cmd(f.alice, '/run approve 2.1', ch), /Only the gate's approvers can answer on this gate/);
  assert.match(await f.cmd(f.bob, '/run approve 2.1 tests green', ch), /2\.1: you approved/);
  assert.match(await f.cmd(f.carol, '/run concern 2.1 The migration is not rehearsed', ch), /concern #1 raised/);
  assert.match(await f.cmd(f.carol, '/run hold 2.1', ch), /you held/);
  assert.match(await f.cmd(f.alice, '/run finish', ch), /Gates still open: 2\.1, 2\.2, 2\.3/);
  assert.match(await f.cmd(f.dave, '/run resolve 1', ch), /Only whoever raised the concern, the run owner and team admins can resolve this concern/, 'a bare number finds the gate where it is open');
  assert.match(await f.cmd(f.carol, '/run concern 2.2 No security sign-off yet', ch), /2\.2: concern #1 raised/);
  assert.match(await f.cmd(f.carol, '/run resolve 1', ch), /several gates \(2\.1, 2\.2\)/, 'open on two gates: the caller picks');
  assert.match(await f.cmd(f.carol, '/run resolve 2.1', ch), /Say which concern/);
  assert.match(await f.cmd(f.carol, '/run resolve 2.1 1 rehearsed on staging', ch), /2\.1: concern #1 resolved/);
  assert.match(await f.cmd(f.carol, '/run resolve #1 signed off in the review', ch), /2\.2: concern #1 resolved/, 'now open on one gate only');
  assert.match(await f.cmd(f.carol, '/run resolve 7', ch), /No gate of this run has a concern #7\./);
  assert.match(await f.cmd(f.carol, '/run approve 2.1', ch), /you approved/);
  const text = await f.cmd(f.alice, '/run checklist', ch);
  assert.match(text, /☑ 2\.1 QA approves the release candidate · gate 2\/2 ✅/, '2 of 3 approvals pass the gate');

  assert.match(await f.cmd(f.alice, '/run approve 2.3', ch), /2\.3: you approved/, 'the release manager gate seats the owner');
  assert.match(await f.cmd(f.alice, '/run finish --override', ch), /--override needs a value/);
  assert.match(await f.cmd(f.alice, '/run finish --override security signed off by mail', ch), /Only team admins and system admins can override open gates/);
  assert.match(await f.cmd(f.admin, '/run finish --override security signed off by mail', ch), /RUN-001 is finished \(gates overridden: security signed off by mail\)/);
  assert.match(await f.cmd(f.bob, '/run check 3.1', ch), /This run is finished/);

  assert.match(await f.cmd(f.bob, '/run retro', ch), /#### Retrospective of RUN-001 2\.0 \(draft — publish it with `\/run retro publish`\)\n\n\*\*1\. What shipped\*\*/);
  assert.match(await f.cmd(f.alice, '/run retro publish', ch), /Write at least one section first/);
  assert.match(await f.cmd(f.bob, "/run retro what went well The rehearsal on staging caught the migration's lock", ch), /Wrote “What went well” of the retrospective/);
  assert.match(await f.cmd(f.bob, '/run retro 9 x', ch), /There is no retrospective section “9”/);
  assert.match(await f.cmd(f.bob, '/run retro publish', ch), /Only the run owner and team admins can publish the retrospective/);
  f.h.clock += 26 * H;
  await f.h.ctx.scheduler.runDue();
  assert.match(f.world.postsIn(ch.Id).at(-1)!.Message!, /@alice: the retrospective of RUN-001 is not published yet/, 'reminded a day after the finish');
  assert.match(await f.cmd(f.alice, '/run retro publish', ch), /Published the retrospective of RUN-001/);
  assert.match(f.world.postsIn(ch.Id).at(-1)!.Message!, /#### Retrospective: RUN-001 2\.0\n\n\*\*What went well\*\*\nThe rehearsal on staging caught the migration's lock/);
  assert.match(await f.cmd(f.bob, '/run retro 1 more', ch), /The retrospective is published/);
  f.h.clock += 2 * 24 * H;
  await f.h.ctx.scheduler.runDue();
  assert.doesNotMatch(f.world.postsIn(ch.Id).at(-1)!.Message!, /not published yet/, 'no reminder once published');

  const stats = await f.cmd(f.carol, '/run stats');
  assert.match(stats, /- Product release \(release\): 1 started, 1 finished · median \d+m to finish · gates pass in \d+m \(median\)/);
  assert.match(await f.cmd(f.outsider, '/run stats'), /Only|No such|team/);
  assert.equal(await f.cmd(f.carol, '/infra stats'), stats, '/infra stats is the same command');
  assert.match(await f.cmd(f.bob, '/run export', ch), /Posted the report of RUN-001 in this channel\./);
  const report = f.world.postsIn(ch.Id).at(-1)!.Message!;
  assert.match(report, /^# RUN-001 2\.0\n\n## Summary/);
  assert.match(report, /- Gates overridden by @root: security signed off by mail/);
  assert.match(report, /- 2\.1 QA approves the release candidate: passed \(2 of 2 needed, quorum at least 2\)\n {2}- @bob: approve at .* — tests green\n {2}- @carol: approve/);
  assert.match(report, / {2}- Concern #1 by @carol: The migration is not rehearsed — resolved by @carol: rehearsed on staging/);
  assert.match(report, /## Timeline\n\n- .* @alice started the run from “Product release” v1/);
  const http = await f.h.http('GET', `/api/v1/teams/${f.team.Id}/runs/1/report`, f.dave);
  const got = z.parse(runRoutes.report.answer, http.body);
  assert.equal(got.filename, 'run-001-2-0');
  assert.match(got.html, /<h2>Approvals<\/h2>/);
  assert.doesNotMatch(got.html, /<script/i);
  assert.equal((await f.h.http('GET', `/api/v1/teams/${f.team.Id}/runs/1/report`, f.outsider)).status, 404);
  f.h.close();
});

test('an overdue item nags its assignees once in the run channel and shows in /infra owe', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/release start 3.1');
  const ch = channelNamed(f, 'release-3-1');
  f.h.clock += 2 * H;
  await f.h.ctx.scheduler.runDue();
  await f.h.ctx.scheduler.runDue();
  const nags = f.world.postsIn(ch.Id).filter((p) => /is due/.test(p.Message ?? ''));
  assert.equal(nags.length, 1, 'the 1-hour item nags once');
  assert.match(nags[0]!.Message!, /@alice: RUN-001 item 1\.1 “Cut the release branch” is due \(1 hour ago\)|@alice: RUN-001 item 1\.1 “Cut the release branch” is due/);
  assert.match(await f.cmd(f.alice, '/infra owe'), /RUN-001 3\.1: 1\.1 “Cut the release branch” is overdue/);
  f.h.close();
});

test('due times as people type them: spans from now, days and clock times in the caller\'s zone', () => {
  const now = Date.UTC(2027, 0, 4, 9); // Monday 2027-01-04 09:00 UTC = 10:00 in Berlin
  assert.equal(parseDue('in 2h', now, null), now + 2 * H);
  assert.equal(parseDue('+90m', now, 'Europe/Berlin'), now + 90 * 60_000);
  assert.equal(parseDue('1d 2h', now, null), now + 26 * H);
  assert.equal(parseDue('none', now, 'Europe/Berlin'), null);
  // Wall-clock forms: UTC when the zone is unknown, else the caller's own.
  assert.equal(parseDue('2027-01-05 14:00', now, null), Date.UTC(2027, 0, 5, 14));
  assert.equal(parseDue('2027-01-05 14:00', now, 'Europe/Berlin'), Date.UTC(2027, 0, 5, 13));
  assert.equal(parseDue('2027-01-05', now, 'America/New_York'), Date.UTC(2027, 0, 5, 14), 'a date alone: 09:00 there');
  assert.equal(parseDue('tomorrow', now, 'Europe/Berlin'), Date.UTC(2027, 0, 5, 8));
  assert.equal(parseDue('Tomorrow 9.30', now, 'Europe/Berlin'), Date.UTC(2027, 0, 5, 8, 30));
  assert.equal(parseDue('today 17:00', now, 'Europe/Berlin'), Date.UTC(2027, 0, 4, 16));
  assert.equal(parseDue('17:00', now, 'Europe/Berlin'), Date.UTC(2027, 0, 4, 16), 'later today');
  assert.equal(parseDue('08:00', now, 'Europe/Berlin'), Date.UTC(2027, 0, 5, 7), 'past today: tomorrow');
  // Summer time in Berlin: the same wall time is an hour earlier in UTC.
  assert.equal(parseDue('2027-07-01 14:00', now, 'Europe/Berlin'), Date.UTC(2027, 6, 1, 12));
  assert.throws(() => parseDue('2027-02-30', now, null), /Say when/);
  assert.throws(() => parseDue('soonish', now, null), /Say when/);
  assert.throws(() => parseDue('tomorrow 25:00', now, null), /not a time of day/);
});

test("the card's buttons: the next items to check and the gates waiting; a click acts under the same policy as the command, and the buttons follow the run", async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/release start 5.0');
  const ch = channelNamed(f, 'release-5-0');
  f.world.addChannelMember(ch.Id, f.bob.Id);
  const card = () => f.world.postsIn(ch.Id).find((p) => p.UserId === f.h.ctx.botUserId && /#### RUN-001/.test(p.Message ?? ''))!;
  type Button = { id: string; name: string; integration: { url: string; context: Record<string, unknown> } };
  const buttons = (): Button[] => ((card().Props?.['attachments'] as Array<{ actions: Button[] }> | undefined) ?? []).flatMap((a) => a.actions);
  assert.deepEqual(buttons().map((b) => b.name), ['☑ 1.1', '☑ 1.2', '☑ 1.3', 'Approve 2.1', 'Approve 2.2']);
  const click = async (user: User, name: string): Promise<string> => {
    const button = buttons().find((b) => b.name === name)!;
    const res = await f.h.http('POST', button.integration.url.replace('/plugins/infra-ops', ''), user, { post_id: card().Id, context: button.integration.context });
    return String((res.body as { ephemeral_text: string }).ephemeral_text);
  };
  assert.match(await click(f.carol, '☑ 1.1'), /cannot post|post in/i, 'carol may read the channel but not post in it');
  assert.match(await click(f.bob, '☑ 1.1'), /1\.1: checked/);
  assert.deepEqual(buttons().map((b) => b.name), ['☑ 1.2', '☑ 1.3', 'Approve 2.1', 'Approve 2.2', 'Approve 2.3'], 'the buttons follow the run');
  assert.match(await click(f.bob, 'Approve 2.3'), /Only the gate's approvers can answer on this gate/);
  assert.match(await click(f.alice, 'Approve 2.3'), /2\.3: you approved/);
  const bad = await f.h.http('POST', '/api/v1/runs/card-action', f.bob, { context: { team_id: f.team.Id, number: '1', ref: 'x', action: 'check' } });
  assert.equal(bad.status, 400);
  f.h.close();
});
