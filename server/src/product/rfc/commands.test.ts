import assert from 'node:assert/strict';
import { test } from 'node:test';
import { teamFixture } from '../pick/test_fixture';
import { ProductHarness } from '../testing/product_harness';

const DAY = 86_400_000;

test('RFC through review: a concern blocks acceptance until resolved; sign-offs recorded', async () => {
  const f = await teamFixture();
  const opened = await f.cmd(f.alice, '/rfc new Adopt OpenTofu https://docs.example.com/tofu');
  assert.match(opened, /Opened RFC-001 “Adopt OpenTofu” as Draft/);
  const root = f.world.postsIn(f.town.Id).at(-1)!;
  assert.match(root.Message!, /#### RFC-001 Adopt OpenTofu\nDraft · owner @alice · \[document\]\(https:\/\/docs\.example\.com\/tofu\)/);

  assert.match(await f.cmd(f.alice, '/rfc accept 1'), /You cannot accept the RFC while it is Draft/);
  assert.match(await f.cmd(f.alice, '/rfc review 1'), /name at least one reviewer/);
  assert.match(await f.cmd(f.bob, '/rfc review 1 @carol'), /Only the owner or an approver/);
  const review = await f.cmd(f.alice, '/rfc review 1 @bob @carol --days 5');
  assert.match(review, /RFC-001 is In review until 2027-01-09 09:00 UTC with 2 reviewers/);
  const ask = f.world.postsIn(f.town.Id).at(-1)!;
  assert.equal(ask.RootId, root.Id, 'the review request goes to the RFC thread');
  assert.match(ask.Message!, /@bob, @carol: please review RFC-001/);

  assert.match(await f.cmd(f.dave, '/rfc approve 1'), /Only a reviewer may sign off/);
  assert.match(await f.cmd(f.bob, '/rfc approve 1'), /Signed off on RFC-001\. 1 reviewer still to sign off/);
  assert.match(await f.cmd(f.dave, '/rfc concern 1 State migration plan is missing'), /Raised concern #1 on RFC-001/);
  assert.match(await f.cmd(f.carol, '/rfc approve RFC-001'), /All reviewers have signed off/);

  const blocked = await f.cmd(f.alice, '/rfc accept 1');
  assert.match(blocked, /RFC-001 cannot be accepted yet: 1 open concern blocks acceptance: #1 “State migration plan is missing”\. Resolve with `\/rfc resolve 1 <concern-id>`/);
  assert.match(await f.cmd(f.alice, '/rfc show 1'), /Concern #1 \(@dave\): State migration plan is missing — \*\*open — blocks acceptance\*\*/);
  assert.match(await f.cmd(f.carol, '/rfc resolve 1 1'), /Only whoever raised the concern or the owner or an approver/);
  assert.match(await f.cmd(f.dave, '/rfc resolve 1 7'), /RFC-001 has no concern #7/);
  assert.match(await f.cmd(f.dave, '/rfc resolve 1 1 Plan added in section 4'), /Resolved concern #1 on RFC-001\. No open concerns remain/);
  assert.match(await f.cmd(f.dave, '/rfc resolve 1 1'), /already resolved/);

  assert.match(await f.cmd(f.bob, '/rfc accept 1'), /Only the owner or an approver/);
  assert.match(await f.cmd(f.alice, '/rfc accept 1 Agreed in the guild'), /RFC-001 is now \*\*Accepted\*\*/);
  const show = await f.cmd(f.bob, '/rfc show 1');
  assert.match(show, /\*\*Accepted\*\* · owner @alice/);
  assert.match(show, /Reviewers: @bob ✅ signed off, @carol ✅ signed off/);
  assert.match(show, /resolved by @dave: Plan added in section 4/);
  assert.match(show, /Outcome: Accepted by @alice on 2027-01-04 09:00 UTC — Agreed in the guild/);
  assert.match(show, /Last reviewed 2027-01-04 09:00 UTC/);
  assert.ok(f.events('rfc_changed').length >= 6);
  f.h.close();
});

test('missing sign-offs block acceptance until the comment period ends; reminders fire once via the scheduler', async () => {
  const f = await teamFixture({ RfcCommentPeriodDays: '3' });
  await f.cmd(f.alice, '/rfc new Retire Jenkins');
  await f.cmd(f.alice, '/rfc review 1 @bob');
  assert.match(await f.cmd(f.alice, '/rfc accept 1'), /waiting for sign-off from @bob; without it, acceptance opens when the comment period ends \(2027-01-07 09:00 UTC\)/);
  assert.match(await f.cmd(f.bob, '/infra owe'), /Review RFC-001 “Retire Jenkins” \(comment period ends in 3 days\)/);

  f.h.clock += 2 * DAY + 60_000;
  assert.equal(await f.h.ctx.scheduler.runDue(), 1);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /Reminder: the comment period of RFC-001 “Retire Jenkins” ends in 1 day\. Still waiting for @bob/);
  assert.equal(await f.h.ctx.scheduler.runDue(), 0, 'the reminder fires once');

  f.h.clock += DAY;
  assert.equal(await f.h.ctx.scheduler.runDue(), 1);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /The comment period of RFC-001 “Retire Jenkins” has ended\. No open concerns; 1 reviewer did not sign off \(@bob\)\. @alice may now accept/);
  assert.match(await f.cmd(f.alice, '/rfc accept 1'), /is now \*\*Accepted\*\*/);
  f.h.close();
});

test('approvers from settings decide; withdraw is the owner’s; decisions cancel pending reminders', async () => {
  const f = await teamFixture({ RfcApprovers: '@Carol, root' });
  await f.cmd(f.alice, '/rfc new First');
  await f.cmd(f.alice, '/rfc new Second');
  await f.cmd(f.carol, '/rfc review 1 @bob --days 10');
  assert.notEqual(await f.h.ctx.scheduler.dueAt(`rfc-end:${f.team.Id}:1`), null);
  assert.match(await f.cmd(f.carol, '/rfc postpone 1 Not this quarter'), /RFC-001 is now \*\*Postponed\*\*/);
  assert.equal(await f.h.ctx.scheduler.dueAt(`rfc-end:${f.team.Id}:1`), null);
  assert.match(await f.cmd(f.carol, '/rfc withdraw 2'), /Only the owner may withdraw/);
  assert.match(await f.cmd(f.alice, '/rfc withdraw 2'), /RFC-002 is now \*\*Withdrawn\*\*/);
  assert.match(await f.cmd(f.alice, '/rfc review 2 @bob'), /while it is Withdrawn/);
  assert.match(await f.cmd(f.admin, '/rfc reject 1 Superseded by events'), /RFC-001 is now \*\*Rejected\*\*/);
  f.h.close();
});

test('supersede keeps lineage on both RFCs; last reviewed can be refreshed', async () => {
  const f = await teamFixture();
  for (const title of ['Old way', 'New way']) {
    await f.cmd(f.alice, `/rfc new ${title}`);
  }
  for (const n of [1, 2]) {
    await f.cmd(f.alice, `/rfc review ${n} @bob --days 1`);
    await f.cmd(f.bob, `/rfc approve ${n}`);
    await f.cmd(f.alice, `/rfc accept ${n}`);
  }
  assert.match(await f.cmd(f.alice, '/rfc supersede 1 by 1'), /cannot supersede itself/);
  assert.match(await f.cmd(f.alice, '/rfc supersede 1 by 9'), /There is no RFC-009/);
  assert.match(await f.cmd(f.alice, '/rfc supersede 1 with 2'), /Say which RFC supersedes it/);
  assert.match(await f.cmd(f.alice, '/rfc supersede 1 by RFC-002'), /RFC-001 is superseded by RFC-002/);
  assert.match(await f.cmd(f.alice, '/rfc supersede 2 by 1'), /RFC-001 is itself superseded by RFC-002/);
  const old = await f.cmd(f.bob, '/rfc show 1');
  assert.match(old, /\*\*Superseded\*\*/);
  assert.match(old, /Superseded by RFC-002/);
  assert.match(await f.cmd(f.bob, '/rfc show 2'), /Supersedes RFC-001/);
  f.h.clock += 40 * DAY;
  assert.match(await f.cmd(f.bob, '/rfc reviewed 2'), /Only the owner or an approver/);
  assert.match(await f.cmd(f.alice, '/rfc reviewed 2'), /marked as reviewed today/);
  assert.match(await f.cmd(f.alice, '/rfc show 2'), /Last reviewed 2027-02-13 09:00 UTC \(0 minutes ago\)/);
  f.h.close();
});

test('list by status and --mine; pages; bad input everywhere', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/rfc new Alpha');
  await f.cmd(f.bob, '/rfc new Beta --no-thread');
  await f.cmd(f.alice, '/rfc review 1 @carol');
  assert.equal(f.world.postsIn(f.town.Id).filter((p) => /Beta/.test(p.Message ?? '')).length, 0, '--no-thread posts nothing');
  const all = await f.cmd(f.carol, '/rfc list');
  assert.match(all, /RFC-002 Beta — Draft · @bob\n- RFC-001 Alpha — In review · @alice · 7 days left/);
  assert.match(await f.cmd(f.carol, '/rfc list in review'), /RFC-001 Alpha/);
  assert.doesNotMatch(await f.cmd(f.carol, '/rfc list in_review'), /Beta/);
  const mine = await f.cmd(f.carol, '/rfc list --mine');
  assert.match(mine, /RFC-001 Alpha/, 'reviewers see RFCs they review as theirs');
  assert.doesNotMatch(mine, /Beta/);
  assert.match(await f.cmd(f.outsider, '/rfc list'), /not a member of this one/);
  assert.match(await f.cmd(f.outsider, '/rfc show 1'), /not a member of this one/);

  const cases: Array<[string, RegExp]> = [
    ['/rfc new', /Give the RFC a title/],
    ['/rfc new T --idea x', /"x" is not an idea number/],
    ['/rfc new T --idea 42', /There is no IDEA-42/],
    ['/rfc new ' + 'y'.repeat(301), /under 300 characters/],
    ['/rfc review', /Say which RFC/],
    ['/rfc review 1 @nobody', /Unknown user: @nobody/],
    ['/rfc review 1 @bob --days 0', /"0" is not a number of days/],
    ['/rfc review 1 @bob --days 400', /comment period is 1 to 90 days/],
    ['/rfc review 1 bob! ', /"bob!" is not a @username/],
    ['/rfc review 1 @mallory', /@mallory is not on this team/],
    ['/rfc concern 1', /Say what the concern is/],
    ['/rfc resolve 1', /Say which concern/],
    ['/rfc resolve 1 x', /"x" is not a concern number/],
    ['/rfc accept abc', /"abc" is not an RFC number/],
    ['/rfc show 77', /There is no RFC-077/],
    ['/rfc list weird', /Unknown status "weird"/],
    ['/rfc supersede 1', /Say which RFC supersedes it/],
    ['/rfc frobnicate', /Unknown subcommand "frobnicate"/],
  ];
  for (const [text, expected] of cases) assert.match(await f.cmd(f.alice, text), expected, text);
  f.h.close();
});

test('HTTP: create, review, concern, decision (409 while blocked), lifecycle as data', async () => {
  const f = await teamFixture();
  const base = `/api/v1/rfc/teams/${f.team.Id}/rfcs`;
  const created = await f.h.http('POST', base, f.alice, { title: 'Via HTTP', channel_id: f.town.Id });
  assert.equal(created.status, 201);
  assert.equal((await f.h.http('POST', base, f.alice, { title: 'x', doc_url: 'ftp://nope' })).status, 400);
  assert.equal((await f.h.http('POST', `${base}/1/review`, f.alice, { reviewers: [f.bob.Id], days: 2 })).status, 200);
  const concern = await f.h.http('POST', `${base}/1/concerns`, f.carol, { text: 'Cost?' });
  assert.equal(concern.status, 201);
  assert.equal((concern.body as { concernId: number }).concernId, 1);
  await f.h.http('POST', `${base}/1/approve`, f.bob);
  const blocked = await f.h.http('POST', `${base}/1/decision`, f.alice, { action: 'accept' });
  assert.equal(blocked.status, 409);
  assert.match((blocked.body as { error: string }).error, /open concern/);
  assert.equal((await f.h.http('POST', `${base}/1/concerns/1/resolve`, f.carol, {})).status, 200);
  const accepted = await f.h.http('POST', `${base}/1/decision`, f.alice, { action: 'accept' });
  assert.equal(accepted.status, 200);
  assert.equal((accepted.body as { rfc: { status: string } }).rfc.status, 'accepted');
  assert.equal((await f.h.http('POST', `${base}/1/decision`, f.alice, { action: 'explode' })).status, 400);
  const again = await f.h.http('POST', `${base}/1/decision`, f.alice, { action: 'withdraw' });
  assert.deepEqual([again.status, (again.body as { error: string }).error], [409, 'RFC-001: You cannot withdraw the RFC while it is Accepted; that needs Draft or In review or Postponed.']);
  const notYours = await f.h.http('POST', `${base}/1/supersede`, f.bob, { by: 1 });
  assert.equal(notYours.status, 400, 'an RFC cannot supersede itself');
  assert.equal((await f.h.http('POST', `${base}/1/reviewed`, f.bob)).status, 403, 'only the owner or an approver confirms it');
  const list = await f.h.http('GET', `${base}?status=accepted`, f.bob);
  assert.deepEqual((list.body as { rfcs: Array<{ number: number }> }).rfcs.map((r) => r.number), [1]);
  const lifecycle = await f.h.http('GET', '/api/v1/rfc/lifecycle', f.bob);
  assert.deepEqual((lifecycle.body as { rules: { accept: { to: string } } }).rules.accept.to, 'accepted');
  assert.equal((await f.h.http('GET', `${base}/1`, f.outsider)).status, 403);
  f.h.close();
});

test('two nodes deciding at once: exactly one decision wins, the other is refused', async () => {
  const f = await teamFixture({ RfcApprovers: 'carol' });
  const other = await new ProductHarness(f.world).activate();
  other.clock = f.h.clock;
  await f.cmd(f.alice, '/rfc new Race me');
  await f.cmd(f.alice, '/rfc review 1 @bob --days 1');
  await f.cmd(f.bob, '/rfc approve 1');
  const [accept, withdraw] = await Promise.all([
    other.command(f.carol, f.town.Id, '/rfc accept 1', f.team),
    f.h.command(f.alice, f.town.Id, '/rfc withdraw 1', f.team),
  ]);
  const outcomes = [accept.Text ?? '', withdraw.Text ?? ''];
  assert.equal(outcomes.filter((t) => /is now \*\*/.test(t)).length, 1, outcomes.join(' | '));
  assert.equal(outcomes.filter((t) => /You cannot .* while it is (Accepted|Withdrawn)/.test(t)).length, 1, outcomes.join(' | '));
  other.close();
  f.h.close();
});
