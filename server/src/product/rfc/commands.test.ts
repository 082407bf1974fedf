import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as z from 'zod/mini';
import { rfcRoutes } from '../contract/rfc';
import { teamFixture } from '../pick/test_fixture';
import { ProductHarness } from '../testing/product_harness';

const DAY = 86_400_000;

test('RFC through review: a concern blocks acceptance until resolved; sign-offs recorded and posted', async () => {
  const f = await teamFixture();
  f.world.addChannelMember(f.town.Id, f.dave.Id);
  const opened = await f.cmd(f.alice, '/rfc new Adopt OpenTofu https://docs.example.com/tofu');
  assert.match(opened, /Opened RFC-001 “Adopt OpenTofu” as Draft, with its discussion thread in this channel/);
  const root = f.world.postsIn(f.town.Id).at(-1)!;
  assert.match(root.Message!, /#### RFC-001 Adopt OpenTofu\nDraft · owner @alice · \[document\]\(https:\/\/docs\.example\.com\/tofu\)/);

  assert.match(await f.cmd(f.alice, '/rfc accept 1'), /You cannot accept the RFC while it is Draft/);
  assert.match(await f.cmd(f.alice, '/rfc review 1'), /name at least one reviewer/);
  assert.match(await f.cmd(f.bob, '/rfc review 1 @carol'), /Only its owner and approvers \(RfcApprovers setting\) can start or change the review/);
  assert.match(await f.cmd(f.alice, '/rfc review 1 @alice'), /@alice owns RFC-001 and cannot review it/);
  const review = await f.cmd(f.alice, '/rfc review 1 @bob @carol --days 5');
  assert.match(review, /RFC-001 is in review until 2027-01-09 09:00 UTC \(comment period: 5 days\); reviewers: @bob, @carol\./);
  const ask = f.world.postsIn(f.town.Id).at(-1)!;
  assert.equal(ask.RootId, root.Id, 'the review request goes to the RFC thread');
  assert.match(ask.Message!, /@bob, @carol: please review RFC-001/);
  assert.match(f.world.posts.get(root.Id!)!.Message!, /^In review · owner @alice/m, 'the thread root follows the status');

  assert.match(await f.cmd(f.dave, '/rfc approve 1'), /Only its reviewers can sign off/);
  assert.match(await f.cmd(f.bob, '/rfc approve 1'), /Signed off on RFC-001\. 1 reviewer still to sign off/);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /@bob signed off on RFC-001\. 1 reviewer still to sign off/);
  assert.match(await f.cmd(f.bob, '/rfc approve 1'), /You had already signed off on RFC-001/);
  assert.match(await f.cmd(f.dave, '/rfc concern 1 State migration plan is missing'), /Raised concern #1 on RFC-001/);
  assert.match(await f.cmd(f.carol, '/rfc approve RFC-001'), /All reviewers have signed off/);

  const blocked = await f.cmd(f.alice, '/rfc accept 1');
  assert.match(blocked, /RFC-001 cannot be accepted yet: 1 open concern blocks acceptance: #1 “State migration plan is missing”\. Resolve with `\/rfc resolve 1 1`/);
  assert.match(await f.cmd(f.alice, '/rfc show 1'), /Concern #1 \(@dave\): State migration plan is missing — \*\*open — blocks acceptance\*\*/);
  assert.match(await f.cmd(f.carol, '/rfc resolve 1 1'), /Only whoever raised the concern, its owner and approvers \(RfcApprovers setting\) can resolve a concern/);
  assert.match(await f.cmd(f.dave, '/rfc resolve 1 7'), /RFC-001 has no concern #7/);
  assert.match(await f.cmd(f.dave, '/rfc resolve 1 #1 Plan added in section 4'), /Resolved concern #1 on RFC-001: Plan added in section 4\nNo open concerns remain/);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /Concern #1 on RFC-001 resolved by @dave: Plan added in section 4/, 'the resolution is in the thread');
  assert.match(await f.cmd(f.dave, '/rfc resolve 1 1'), /already resolved/);

  assert.match(await f.cmd(f.bob, '/rfc accept 1'), /Only its owner and approvers/);
  assert.match(await f.cmd(f.alice, "/rfc accept #1 Agreed in the guild, we're go"), /RFC-001 is now \*\*Accepted\*\*/);
  assert.match(await f.cmd(f.alice, '/rfc accept 1'), /RFC-001 is already Accepted/);
  const show = await f.cmd(f.bob, '/rfc show rfc-001');
  assert.match(show, /\*\*Accepted\*\* · owner @alice/);
  assert.match(show, /Reviewers: @bob ✅ signed off, @carol ✅ signed off/);
  assert.match(show, /resolved by @dave: Plan added in section 4/);
  assert.match(show, /Outcome: Accepted by @alice on 2027-01-04 09:00 UTC — Agreed in the guild, we're go/);
  assert.match(show, /Last reviewed 2027-01-04 09:00 UTC \(just now\)/);
  assert.match(f.world.posts.get(root.Id!)!.Message!, /^Accepted · owner @alice/m);
  assert.ok(f.events('rfc_changed').length >= 6);
  f.h.close();
});

test('re-running review adds reviewers without restarting the period or pinging everyone again', async () => {
  const f = await teamFixture();
  f.world.addChannelMember(f.town.Id, f.dave.Id);
  await f.cmd(f.alice, '/rfc new Shared runners');
  assert.match(await f.cmd(f.alice, '/rfc review 1 @bob --days 3'), /in review until 2027-01-07 09:00 UTC/);
  assert.notEqual(await f.h.ctx.scheduler.dueAt(`rfc-end:${f.team.Id}:1`), null);
  f.h.clock += DAY;
  const added = await f.cmd(f.alice, '/rfc review 1 @bob @carol');
  assert.match(added, /Added @carol as reviewer of RFC-001 \(only they were asked\)\. The comment period still ends 2027-01-07 09:00 UTC/);
  const ask = f.world.postsIn(f.town.Id).at(-1)!.Message!;
  assert.match(ask, /^@carol: please review RFC-001/);
  assert.doesNotMatch(ask, /@bob/);
  assert.equal(await f.h.ctx.scheduler.dueAt(`rfc-end:${f.team.Id}:1`), Date.UTC(2027, 0, 7, 9), 'the period is unchanged');
  const posts = f.world.postsIn(f.town.Id).length;
  assert.match(await f.cmd(f.alice, '/rfc review 1 @carol'), /Nothing changed: everyone named already reviews RFC-001/);
  assert.equal(f.world.postsIn(f.town.Id).length, posts, 'nothing posted when nothing changed');
  assert.match(await f.cmd(f.alice, '/rfc review 1 --days 10'), /The comment period now ends 2027-01-15 09:00 UTC/);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /The comment period of RFC-001 now ends 2027-01-15 09:00 UTC \(@alice\)/);
  assert.equal(await f.h.ctx.scheduler.dueAt(`rfc-end:${f.team.Id}:1`), Date.UTC(2027, 0, 15, 9));
  f.h.close();
});

test('--restart starts a running comment period again: sign-offs kept, whoever has not signed off asked again, said in the reply and the thread', async () => {
  const f = await teamFixture();
  f.world.addChannelMember(f.town.Id, f.dave.Id);
  await f.cmd(f.alice, '/rfc new Shared runners');
  await f.cmd(f.alice, '/rfc review 1 @bob @carol --days 3');
  await f.cmd(f.bob, '/rfc approve 1');
  f.h.clock += DAY;
  assert.equal(
    await f.cmd(f.alice, '/rfc review rfc 1 @dave --restart'),
    'Added @dave as reviewer of RFC-001. The comment period of RFC-001 starts again now and ends 2027-01-12 09:00 UTC (7 days). ' +
      'Sign-offs so far are kept; asked again: @carol, @dave.',
  );
  const [notice, ask] = f.world.postsIn(f.town.Id).slice(-2).map((p) => p.Message!);
  assert.equal(notice, 'The comment period of RFC-001 starts again now and ends 2027-01-12 09:00 UTC (@alice). Sign-offs so far are kept.');
  assert.match(ask!, /^@carol, @dave: please review RFC-001 “Shared runners” by 2027-01-12 09:00 UTC/);
  assert.equal(await f.h.ctx.scheduler.dueAt(`rfc-end:${f.team.Id}:1`), Date.UTC(2027, 0, 12, 9));
  assert.match(await f.cmd(f.alice, '/rfc show 1'), /Reviewers: @bob ✅ signed off, @carol ⏳ pending, @dave ⏳ pending/);
  assert.match(await f.cmd(f.alice, '/rfc review 1 --restart --days 2'), /starts again now and ends 2027-01-07 09:00 UTC \(2 days\)/);
  f.h.close();
});

test('missing sign-offs block acceptance until the comment period ends; reminders fire once via the scheduler', async () => {
  // The digest enrols a user at their first command (KV writes once per user): not this test's subject.
  const f = await teamFixture({ RfcCommentPeriodDays: '3', DailyDigest: false });
  await f.cmd(f.alice, '/rfc new Retire @channel Jenkins');
  await f.cmd(f.alice, '/rfc review 1 @bob');
  assert.match(await f.cmd(f.alice, '/rfc accept 1'), /waiting for sign-off from @bob; without it, acceptance opens when the comment period ends \(2027-01-07 09:00 UTC\)/);
  assert.match(await f.cmd(f.bob, '/infra owe'), /Review RFC-001 “Retire @channel Jenkins” \(comment period ends in 3 days\)/);

  f.h.clock += 2 * DAY + 60_000;
  assert.equal(await f.h.ctx.scheduler.runDue(), 1);
  const reminder = f.world.postsIn(f.town.Id).at(-1)!;
  assert.match(reminder.Message!, /Reminder: the comment period of RFC-001 “Retire @\u2060channel Jenkins” ends in 1 day\. Still waiting for @bob/);
  assert.equal(reminder.Props?.mentionHighlightDisabled, true, 'a timed post never fires @channel');
  assert.equal(await f.h.ctx.scheduler.runDue(), 0, 'the reminder fires once');
  // A node killed after posting but before finishing the job: the job runs again, nothing is posted twice.
  const reminders = () => f.world.postsIn(f.town.Id).filter((p) => /^Reminder:/.test(p.Message ?? '')).length;
  await f.h.ctx.scheduler.schedule(`rfc-remind:${f.team.Id}:1`, 'rfc.comment_period', f.h.clock, { teamId: f.team.Id, number: 1, endsAt: Date.UTC(2027, 0, 7, 9), phase: 'reminder' });
  assert.equal(await f.h.ctx.scheduler.runDue(), 1);
  assert.equal(reminders(), 1);
  assert.equal(reminder.Props?.infra_ops_key, `rfc-period:${f.team.Id}:1:${Date.UTC(2027, 0, 7, 9)}:reminder`);

  f.h.clock += DAY;
  assert.equal(await f.h.ctx.scheduler.runDue(), 1);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /The comment period of RFC-001 “Retire @\u2060channel Jenkins” has ended\. No open concerns; 1 reviewer did not sign off \(@bob\)\. @alice may now accept/);
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
  assert.match(await f.cmd(f.carol, '/rfc withdraw 2'), /Only its owner can withdraw the RFC/);
  assert.match(await f.cmd(f.alice, '/rfc withdraw 2'), /RFC-002 is now \*\*Withdrawn\*\*/);
  assert.match(await f.cmd(f.alice, '/rfc review 2 @bob'), /while it is Withdrawn/);
  assert.match(await f.cmd(f.admin, '/rfc reject 1 Superseded by events'), /RFC-001 is now \*\*Rejected\*\*/);
  f.h.close();
});

test('supersede keeps lineage on both RFCs, refuses cycles down the chain; last reviewed can be refreshed', async () => {
  const f = await teamFixture();
  for (const title of ['Old way', 'New way', 'Newest way']) await f.cmd(f.alice, `/rfc new ${title}`);
  for (const n of [1, 2, 3]) {
    await f.cmd(f.alice, `/rfc review ${n} @bob --days 1`);
    await f.cmd(f.bob, `/rfc approve ${n}`);
    await f.cmd(f.alice, `/rfc accept ${n}`);
  }
  assert.match(await f.cmd(f.alice, '/rfc supersede 1 by 1'), /cannot supersede itself/);
  assert.match(await f.cmd(f.alice, '/rfc supersede 1 by 9'), /There is no RFC-009/);
  assert.match(await f.cmd(f.alice, '/rfc supersede 1 with 2'), /Say which RFC supersedes it/);
  assert.match(await f.cmd(f.bob, '/rfc supersede 1 by 2'), /Only its owner and approvers/);
  assert.match(await f.cmd(f.alice, '/rfc supersede 1 by RFC-002'), /RFC-001 is superseded by RFC-002/);
  assert.match(await f.cmd(f.alice, '/rfc supersede 2 by 1'), /RFC-001 is itself superseded by RFC-002/);
  assert.match(await f.cmd(f.alice, '/rfc supersede 2 by 3'), /RFC-002 is superseded by RFC-003/);
  // 3 → 2 → 1: superseding 3 by 1 would close the loop.
  assert.match(await f.cmd(f.alice, '/rfc supersede 3 by 1'), /RFC-001 is itself superseded by RFC-003 \(directly or through others\)/);
  const old = await f.cmd(f.bob, '/rfc show 1');
  assert.match(old, /\*\*Superseded\*\*/);
  assert.match(old, /Superseded by RFC-002/);
  assert.match(await f.cmd(f.bob, '/rfc show 2'), /Supersedes RFC-001/);
  f.h.clock += 40 * DAY;
  assert.match(await f.cmd(f.bob, '/rfc reviewed 3'), /Only its owner and approvers/);
  assert.match(await f.cmd(f.alice, '/rfc reviewed 3'), /marked as reviewed today/);
  assert.match(await f.cmd(f.alice, '/rfc show 3'), /Last reviewed 2027-02-13 09:00 UTC \(just now\)/);
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
  assert.match(mine, /\(yours: owned or reviewing\)/);
  assert.match(mine, /RFC-001 Alpha/, 'reviewers see RFCs they review as theirs');
  assert.doesNotMatch(mine, /Beta/);
  assert.match(await f.cmd(f.outsider, '/rfc list'), /No such team/);
  assert.match(await f.cmd(f.outsider, '/rfc show 1'), /There is no RFC-001 in this team/);

  const cases: Array<[string, RegExp]> = [
    ['/rfc new', /Give the RFC a title/],
    ['/rfc new Ban --no-verify pushes', /Unknown option --no-verify; this command knows --idea, --no-thread/],
    ['/rfc new T --idea x', /"x" is not an idea\. Name one as IDEA-7/],
    ['/rfc new ' + 'y'.repeat(301), /An RFC title can be at most 300 characters \(this one has 301\)/],
    ['/rfc review', /Say which RFC/],
    ['/rfc review 1 @nobody', /Unknown user: @nobody/],
    ['/rfc review 1 @bob --days 0', /"0" is not a number of days/],
    ['/rfc review 1 @bob --days 400', /comment period is 1 to 90 days/],
    ['/rfc review 1 bob! ', /"bob!" is not a @username/],
    ['/rfc review 1 @mallory', /@mallory cannot see RFC-001/],
    ['/rfc concern 1', /Say what the concern is/],
    ['/rfc concern 1 ' + 'c'.repeat(2001), /A concern can be at most 2000 characters \(this one has 2001\)/],
    ['/rfc resolve 1', /Say which concern/],
    ['/rfc resolve 1 x', /"x" is not a concern number/],
    ['/rfc reject 1 ' + 'r'.repeat(2001), /A reason can be at most 2000 characters/],
    ['/rfc accept abc', /"abc" is not an RFC\. Name one as RFC-7, RFC-007, rfc 7, #7 or 7\./],
    ['/rfc show 77', /There is no RFC-077/],
    ['/rfc show 1 extra', /takes only the RFC number; "extra" is not expected/],
    ['/rfc list weird', /Unknown status "weird"/],
    ['/rfc list --mine --all', /Unknown option --all/],
    ['/rfc supersede 1', /Say which RFC supersedes it/],
    ['/rfc frobnicate', /Unknown subcommand "frobnicate"/],
  ];
  for (const [text, expected] of cases) assert.match(await f.cmd(f.alice, text), expected, text);
  assert.match(await f.cmd(f.alice, '/rfc new "Ban --no-verify pushes"'), /Opened RFC-003 “Ban --no-verify pushes”/, 'quoted, the words are the title');
  f.h.close();
});

test('the list pages over RFCs the reader may not see without losing any it may', async () => {
  const f = await teamFixture();
  for (let i = 1; i <= 25; i++) await f.cmd(f.alice, `/rfc new Secret ${i} --no-thread`, f.secret);
  for (let i = 1; i <= 3; i++) await f.cmd(f.alice, `/rfc new Open ${i} --no-thread`);
  const page = await f.h.http('GET', `/api/v1/teams/${f.team.Id}/rfcs?per_page=2`, f.carol);
  assert.equal(page.status, 200);
  const first = page.body as { items: Array<{ reference: string }>; nextCursor: string | null };
  assert.deepEqual(first.items.map((r) => r.reference), ['RFC-028', 'RFC-027']);
  const rest = (await f.h.http('GET', `/api/v1/teams/${f.team.Id}/rfcs?per_page=2&cursor=${first.nextCursor}`, f.carol)).body as typeof first;
  assert.deepEqual(rest.items.map((r) => r.reference), ['RFC-026'], 'the 25 private ones are skipped, not shown and not counted');
  const bobs = (await f.h.http('GET', `/api/v1/teams/${f.team.Id}/rfcs?per_page=100`, f.bob)).body as typeof first;
  assert.equal(bobs.items.length, 28, 'bob is in the private channel');
  assert.equal((await f.h.http('GET', `/api/v1/teams/${f.team.Id}/rfcs?cursor=x1`, f.bob)).status, 400);
  f.h.close();
});

test('HTTP: the contract routes; create, review, concern, decision (409 while blocked); answers decode with the contract', async () => {
  const f = await teamFixture();
  const base = `/api/v1/teams/${f.team.Id}/rfcs`;
  const decodes = (route: keyof typeof rfcRoutes, body: unknown): void => {
    const parsed = z.safeParse(rfcRoutes[route].answer, body);
    assert.ok(parsed.success, `${route}: ${JSON.stringify(parsed.error?.issues)}`);
  };
  const created = await f.h.http('POST', base, f.alice, { title: 'Via HTTP', channel_id: f.town.Id });
  assert.equal(created.status, 201);
  decodes('create', created.body);
  assert.equal((await f.h.http('POST', base, f.alice, { title: 'x', channel_id: f.town.Id, doc_url: 'ftp://nope' })).status, 400);
  assert.match(((await f.h.http('POST', base, f.alice, { title: 'x' })).body as { error: string }).error, /channel_id/);
  assert.equal((await f.h.http('POST', base, f.alice, { title: 'x', channel_id: f.town.Id, team_id: f.team.Id })).status, 400, 'strict bodies');
  assert.equal((await f.h.http('POST', `${base}/1/review`, f.alice, { reviewers: [f.bob.Id], days: 2 })).status, 200);
  const concern = await f.h.http('POST', `${base}/1/concerns`, f.carol, { text: 'Cost?' });
  assert.equal(concern.status, 201);
  decodes('raiseConcern', concern.body);
  assert.equal((concern.body as { concernId: number }).concernId, 1);
  assert.equal((await f.h.http('POST', `${base}/1/approve`, f.bob, {})).status, 200);
  const blocked = await f.h.http('POST', `${base}/1/decision`, f.alice, { action: 'accept' });
  assert.equal(blocked.status, 409);
  assert.match((blocked.body as { error: string }).error, /open concern/);
  assert.equal((await f.h.http('POST', `${base}/1/concerns/1/resolve`, f.carol, {})).status, 200);
  const accepted = await f.h.http('POST', `${base}/1/decision`, f.alice, { action: 'accept' });
  assert.equal(accepted.status, 200);
  decodes('decide', accepted.body);
  const view = (accepted.body as { rfc: Record<string, unknown> }).rfc;
  assert.equal(view.status, 'accepted');
  for (const internal of ['v', 'ordinal', 'rootPostId', 'history']) assert.ok(!(internal in view), `${internal} stays on the server`);
  assert.equal((await f.h.http('POST', `${base}/1/decision`, f.alice, { action: 'explode' })).status, 400);
  const again = await f.h.http('POST', `${base}/1/decision`, f.alice, { action: 'withdraw' });
  assert.deepEqual([again.status, (again.body as { error: string }).error], [409, 'RFC-001: You cannot withdraw the RFC while it is Accepted; that needs Draft or In review or Postponed.']);
  assert.equal((await f.h.http('POST', `${base}/1/supersede`, f.alice, { by: 1 })).status, 400, 'an RFC cannot supersede itself');
  assert.equal((await f.h.http('POST', `${base}/1/reviewed`, f.bob, {})).status, 403, 'only the owner or an approver confirms it');
  const list = await f.h.http('GET', `${base}?status=accepted`, f.bob);
  decodes('list', list.body);
  assert.deepEqual((list.body as { items: Array<{ number: number }> }).items.map((r) => r.number), [1]);
  assert.equal((await f.h.http('GET', `${base}/1`, f.outsider)).status, 404);
  assert.equal((await f.h.http('GET', `${base}/abc`, f.bob)).status, 400);
  const event = f.events('rfc_changed').at(-1)!;
  assert.deepEqual(Object.keys(event.rfc as object).sort(), ['number', 'reference', 'status', 'teamId', 'updatedAt'], 'events carry a small payload');
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
  assert.equal(outcomes.filter((t) => /You cannot .* while it is (?:Accepted|Withdrawn)/.test(t)).length, 1, outcomes.join(' | '));
  other.close();
  f.h.close();
});

test('reviewers hold, abstain and delegate on the one sign-off engine: a hold blocks acceptance, an abstention leaves the count', async () => {
  const f = await teamFixture();
  f.world.addChannelMember(f.town.Id, f.dave.Id);
  await f.cmd(f.alice, '/rfc new Retire the old bastion hosts');
  await f.cmd(f.alice, '/rfc review 1 @bob @carol --days 5');

  assert.match(await f.cmd(f.dave, '/rfc hold 1'), /Only its reviewers can hold it/);
  assert.match(await f.cmd(f.bob, "/rfc hold 1 Let's wait for the audit"), /You hold RFC-001: it cannot be accepted until you sign off/);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /@bob holds RFC-001: Let's wait for the audit\nIt cannot be accepted until they sign off or abstain/);
  assert.match(await f.cmd(f.bob, '/rfc hold 1'), /You had already held RFC-001/);
  assert.match(await f.cmd(f.carol, '/rfc approve 1'), /1 reviewer still to sign off/);
  assert.match(await f.cmd(f.alice, '/rfc accept 1'), /RFC-001 cannot be accepted yet: held by @bob; acceptance waits until they sign off/);
  f.h.clock += 6 * DAY;
  assert.match(await f.cmd(f.alice, '/rfc accept 1'), /held by @bob/, 'a hold outlasts the comment period (lazy consensus never overrides it)');
  assert.match(await f.cmd(f.alice, '/rfc show 1'), /Reviewers: @bob ✋ holds, @carol ✅ signed off/);

  // bob hands his review to dave, who abstains for him: the hold is replaced, and carol's sign-off is enough.
  assert.match(await f.cmd(f.carol, '/rfc delegate 1 --none'), /Nothing changed on RFC-001/);
  assert.match(await f.cmd(f.bob, '/rfc delegate 1'), /Say who answers for you/);
  assert.match(await f.cmd(f.bob, '/rfc delegate 1 @alice'), /@alice owns RFC-001 and cannot review it/);
  assert.match(await f.cmd(f.bob, '/rfc delegate 1 @dave'), /@dave may now answer for you on RFC-001/);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /@bob lets @dave answer for them on RFC-001/);
  assert.match(await f.cmd(f.dave, '/rfc delegate 1 @carol'), /Only its reviewers can delegate a review/, 'a delegate cannot pass the seat on');
  assert.match(await f.cmd(f.dave, '/rfc abstain 1 out of office'), /You abstain on RFC-001/);
  assert.match(await f.cmd(f.alice, '/rfc show 1'), /@bob ➖ abstains \(for them: @dave\)/);
  assert.match(await f.cmd(f.alice, '/rfc accept 1'), /RFC-001 is now \*\*Accepted\*\*/);
  assert.match(await f.cmd(f.bob, '/rfc hold 1'), /You cannot hold it while it is Accepted/);
  f.h.close();
});

test('RFC hold and delegate over HTTP answer with the reviewer\'s answer and delegate', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/rfc new Use Renovate');
  await f.cmd(f.alice, '/rfc review 1 @bob --days 5');
  const held = await f.h.http('POST', `/api/v1/teams/${f.team.Id}/rfcs/1/answer`, f.bob, { answer: 'hold', note: 'need numbers' });
  assert.equal(held.status, 200);
  const view = z.parse(rfcRoutes.answer.answer, held.body).rfc;
  assert.deepEqual(view.reviewers, [{ userId: f.bob.Id, signedOffAt: null, answer: 'hold', delegate: null }]);
  const bad = await f.h.http('POST', `/api/v1/teams/${f.team.Id}/rfcs/1/answer`, f.bob, { answer: 'approve' });
  assert.equal(bad.status, 400, 'signing off has its own route');
  const delegated = await f.h.http('POST', `/api/v1/teams/${f.team.Id}/rfcs/1/delegate`, f.bob, { to: f.carol.Id });
  assert.equal(z.parse(rfcRoutes.delegate.answer, delegated.body).rfc.reviewers[0]!.delegate, f.carol.Id);
  const refused = await f.h.http('POST', `/api/v1/teams/${f.team.Id}/rfcs/1/delegate`, f.carol, { to: null });
  assert.equal(refused.status, 403);
  f.h.close();
});
