import assert from 'node:assert/strict';
import { test } from 'node:test';
import { teamFixture } from './test_fixture';

test('add, score privately, reveal automatically once everyone asked has scored', async () => {
  const f = await teamFixture();
  const added = await f.cmd(f.alice, "/pick add Don't page on-call for disk warnings");
  assert.match(added, /Added IDEA-001 “Don't page on-call for disk warnings”\. 3 channel members are asked/, 'the title as typed, apostrophe and all');
  const announced = f.world.postsIn(f.town.Id).at(-1)!;
  assert.equal(announced.UserId, f.h.ctx.botUserId);
  assert.match(announced.Message!, /IDEA-001 “Don't page on-call for disk warnings” — added by @alice[\s\S]*\/pick score 1 payoff=<1-10> cost=<1-10>/);
  assert.equal(announced.Props?.mentionHighlightDisabled, true, 'a post carrying user text');

  assert.match(await f.cmd(f.alice, '/pick score 1 payoff=8 cost=3'), /payoff 8, cost 3\. 1\/3 scored so far; scores stay private/);
  // Others see neither the score nor anything derived from it before the reveal.
  const bobView = await f.cmd(f.bob, '/pick show IDEA-001');
  assert.match(bobView, /Scored: 1 of 3 asked/);
  assert.match(bobView, /You have not scored this round: `\/pick score 1 payoff=<1-10> cost=<1-10>`/);
  assert.doesNotMatch(bobView, /payoff 8/);
  for (const e of f.events('pick_idea_changed')) assert.equal(JSON.stringify(e).includes('"payoff":8'), false);

  assert.match(await f.cmd(f.alice, '/pick score 1 cost=4 payoff=8'), /payoff 8, cost 4 \(changed from payoff 8, cost 3\)/, 'a score may change before the reveal');
  await f.cmd(f.bob, '/pick score #1 7 2');
  const last = await f.cmd(f.carol, '/pick score 1 p=9 c=3');
  assert.match(last, /Everyone asked has scored, so it is revealed now/);

  const post = f.world.postsIn(f.town.Id).at(-1)!;
  assert.equal(post.UserId, f.h.ctx.botUserId);
  assert.match(post.Message!, /IDEA-001 “Don't page on-call for disk warnings” — round 1 revealed automatically/);
  assert.match(post.Message!, /\*\*Implement\*\* \(high payoff, low cost\) — payoff 8 \(IQR 1\), cost 3 \(IQR 1\), 3 scorers/);

  const late = await f.cmd(f.bob, '/pick score 1 payoff=1 cost=1');
  assert.match(late, /Round 1 of IDEA-001 is already revealed; a rescore starts a new round\.\nUsage: `\/pick rescore 1`/);
  assert.match(await f.cmd(f.bob, '/pick show 1'), /Round 1: \*\*Implement\*\*/);
  f.h.close();
});

test('only the owner or an admin reveals, never with fewer than two scores, and once', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Rewrite the deploy tool');
  assert.match(await f.cmd(f.alice, '/pick reveal 1'), /Nobody has scored IDEA-001 yet; a reveal needs at least 2 scores/);
  await f.cmd(f.bob, '/pick score 1 payoff=3 cost=9');
  // L1: the median of one score is that person's private score.
  assert.match(await f.cmd(f.alice, '/pick reveal 1'), /IDEA-001 has 1 score; a reveal needs at least 2, so that no one's private score is exposed/);
  assert.match(await f.cmd(f.admin, '/pick reveal 1'), /needs at least 2/, 'admins too');
  await f.cmd(f.carol, '/pick score 1 payoff=3 cost=9');
  assert.match(await f.cmd(f.bob, '/pick reveal 1'), /Only the idea's owner, team admins and system admins can reveal IDEA-001\./);
  const revealed = await f.cmd(f.alice, '/pick reveal 1');
  assert.match(revealed, /Revealed IDEA-001: \*\*Kill\*\* \(low payoff, high cost\) — payoff 3 \(IQR 0\), cost 9 \(IQR 0\), 2 scorers/);
  assert.match(revealed, /archive it with `\/pick archive 1 <reason>`/);
  assert.match(await f.cmd(f.alice, '/pick reveal 1'), /already revealed/);

  assert.match(await f.cmd(f.alice, '/pick archive 1'), /Give a reason for archiving/);
  assert.match(await f.cmd(f.carol, '/pick archive 1 nope'), /Only the idea's owner, team admins and system admins can archive IDEA-001/);
  assert.match(await f.cmd(f.admin, "/pick archive 1 We're not paying for this"), /Archived IDEA-001/);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /IDEA-001 “Rewrite the deploy tool” — archived\nWe're not paying for this/);
  assert.match(await f.cmd(f.alice, '/pick archive 1 again'), /already archived/);
  assert.match(await f.cmd(f.alice, '/pick list archived'), /IDEA-001 Rewrite the deploy tool — archived: We're not paying for this/);
  assert.match(await f.cmd(f.alice, '/pick list'), /None\./);
  assert.match(await f.cmd(f.alice, '/pick score 1 payoff=3 cost=3'), /IDEA-001 is archived/);
  f.h.close();
});

test('a team admin may reveal, rescore and link ideas that are not theirs', async () => {
  const f = await teamFixture();
  f.world.addTeamMember(f.team.Id, f.dave.Id, 'team_user team_admin');
  await f.cmd(f.alice, '/pick add Shared build cache');
  // Not asked (he joined later), and his actions post in the channel, so he must be able to post there.
  assert.match(await f.cmd(f.dave, '/pick add Not from outside the channel'), /You can't post in that channel/);
  f.world.addChannelMember(f.town.Id, f.dave.Id);
  for (const u of [f.alice, f.bob]) await f.cmd(u, '/pick score 1 payoff=7 cost=3');
  assert.match(await f.cmd(f.dave, '/pick reveal 1'), /Revealed IDEA-001/);
  assert.match(await f.cmd(f.dave, '/pick rescore 1'), /Round 2 of IDEA-001 is open/);
  f.h.close();
});

test('a Challenge offers an RFC; links take `RFC-001` or `rfc 1`; rescoring keeps the history', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Move CI to our own runners');
  await f.cmd(f.alice, '/pick score 1 payoff=9 cost=8');
  await f.cmd(f.bob, '/pick score 1 payoff=7 cost=7');
  const revealed = await f.cmd(f.carol, '/pick score 1 payoff=8 cost=9');
  assert.match(revealed, /revealed now/);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /This is a Challenge: open an RFC with `\/rfc new --idea 1 Move CI to our own runners`/);

  assert.match(await f.cmd(f.alice, '/rfc new --idea 1'), /Opened RFC-001 “Move CI to our own runners”[\s\S]*\nLinked to IDEA-001\./);
  assert.match(await f.cmd(f.bob, '/pick show 1'), /Linked to RFC-001 “Move CI to our own runners”/);
  assert.match(await f.cmd(f.alice, '/pick link 1 rfc 9'), /There is no RFC-009 you can see in this team/);
  const posts = f.world.postsIn(f.town.Id).length;
  assert.match(await f.cmd(f.alice, '/pick link 1 RFC-001'), /IDEA-001 is already linked to RFC-001 “Move CI to our own runners”\./, 'linking the same pair again says so');
  assert.equal(f.world.postsIn(f.town.Id).length, posts, 'and posts nothing');
  await f.cmd(f.alice, '/rfc new Runners second attempt');
  assert.match(await f.cmd(f.alice, '/pick link IDEA-001 rfc 2'), /Linked IDEA-001 to RFC-002 “Runners second attempt”, replacing its link to RFC-001\./);
  assert.match(await f.cmd(f.alice, '/pick link 1 rfc RFC-001'), /Linked IDEA-001 to RFC-001/);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /IDEA-001 “Move CI to our own runners” — taken forward in RFC-001$/);
  // L2: someone else's idea is not theirs to re-link.
  assert.match(await f.cmd(f.bob, '/pick link 1 rfc 2'), /Only the idea's owner, team admins and system admins can link IDEA-001/);

  assert.match(await f.cmd(f.bob, '/pick rescore 1'), /Only the idea's owner/);
  assert.match(await f.cmd(f.alice, '/pick rescore 1'), /Round 2 of IDEA-001 is open/);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /IDEA-001 “Move CI to our own runners” — round 2 is open\nScore it again privately/);
  assert.match(await f.cmd(f.alice, '/pick rescore 1'), /still being scored; reveal it first/);
  await f.cmd(f.bob, '/pick score 1 payoff=4 cost=8');
  await f.cmd(f.carol, '/pick score 1 payoff=4 cost=8');
  await f.cmd(f.alice, '/pick reveal 1');
  const show = await f.cmd(f.alice, '/pick show 1');
  assert.match(show, /round 2/);
  assert.match(show, /Round 2: \*\*Kill\*\*/);
  assert.match(show, /Round 1 \(earlier\): \*\*Challenge\*\* \(high payoff, high cost\) — payoff 8/);
  f.h.close();
});

test('a wide spread is flagged as a disagreement; the threshold is a setting', async () => {
  const f = await teamFixture({ PickQuadrantThreshold: '7', PickDisagreementIqr: 2 });
  await f.cmd(f.alice, '/pick add Adopt a service mesh');
  await f.cmd(f.alice, '/pick score 1 payoff=1 cost=6');
  await f.cmd(f.bob, '/pick score 1 payoff=10 cost=6');
  await f.cmd(f.carol, '/pick score 1 payoff=6 cost=6');
  const show = await f.cmd(f.carol, '/pick show 1');
  // payoff median 6 < threshold 7: low payoff; cost 6 < 7: low cost → Possible; IQR 4.5 ≥ 2 → disputed.
  assert.match(show, /\*\*Possible\*\* .* payoff 6 \(IQR 4\.5\).*wide spread: discuss before deciding/);
  assert.match(await f.cmd(f.alice, '/pick list possible'), /⚠ disputed/);
  f.h.close();
});

test('private channel ideas are visible only to its members; team-wide lists filter them', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Public idea');
  await f.cmd(f.alice, '/pick add Secret idea', f.secret);
  const missing = await f.cmd(f.carol, '/pick show 99');
  assert.match(missing, /There is no IDEA-099 you can see in this team/);
  assert.equal(await f.cmd(f.carol, '/pick show 2'), missing.replace('099', '002'), 'a private idea reads exactly like a missing one');
  assert.match(await f.cmd(f.carol, '/pick score 2 payoff=5 cost=5'), /There is no IDEA-002 you can see/);
  assert.match(await f.cmd(f.outsider, '/pick show 1'), /There is no IDEA-001 you can see/);
  const carolTeam = await f.cmd(f.carol, '/pick list --team');
  assert.match(carolTeam, /IDEA-001 Public idea/);
  assert.doesNotMatch(carolTeam, /Secret/);
  const bobTeam = await f.cmd(f.bob, '/pick list --team');
  assert.match(bobTeam, /IDEA-002 Secret idea/);
  assert.match(bobTeam, /IDEA-001 Public idea/);
  assert.doesNotMatch(await f.cmd(f.bob, '/pick list'), /Secret/, 'a channel list shows only that channel');
  assert.match(await f.cmd(f.carol, '/pick list', f.secret), /No such channel\./);
  assert.match(await f.cmd(f.dave, '/pick show 1'), /IDEA-001 Public idea/, 'team members see open channels they are not in');
  // Websocket events about each idea go to its channel only.
  const changed = f.world.events.filter((e) => e.event === 'pick_idea_changed');
  assert.ok(changed.some((e) => e.broadcast.ChannelId === f.secret.Id));
  assert.ok(changed.every((e) => e.broadcast.ChannelId && !e.broadcast.TeamId && !e.broadcast.UserId));
  for (const e of changed) {
    const { idea } = JSON.parse(String(e.payload.data)) as { idea: { channelId: string; viewer: unknown } };
    assert.equal(idea.channelId, e.broadcast.ChannelId);
    assert.equal(idea.viewer, null);
  }
  f.h.close();
});

test('board draws the chart, lists quadrants and ideas being scored, and opens the sidebar', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Quick win');
  await f.cmd(f.alice, '/pick add Big bet');
  await f.cmd(f.alice, '/pick add Still open');
  for (const u of [f.alice, f.bob, f.carol]) await f.cmd(u, '/pick score 1 payoff=9 cost=2');
  for (const u of [f.alice, f.bob, f.carol]) await f.cmd(u, '/pick score 2 payoff=9 cost=9');
  await f.cmd(f.bob, '/pick score 3 payoff=2 cost=2');
  const board = await f.cmd(f.bob, '/pick board');
  assert.match(board, /PICK board — ~town-square · threshold 5\.5 · 2 revealed, 1 being scored/);
  assert.match(board, /```/);
  assert.match(board, /\*\*Implement\*\* \(high payoff, low cost\)\n- `A` IDEA-001 Quick win — payoff 9 \(IQR 0\)/, 'letters follow the idea numbers; the quadrant is not repeated');
  assert.match(board, /\*\*Challenge\*\*[\s\S]*`B` IDEA-002 Big bet/);
  assert.match(board, /\*\*Being scored\*\*\n- IDEA-003 Still open — 1\/3 scored/);
  const rows = board.split('\n').filter((l) => /^\s+9 \|/.test(l));
  assert.equal(rows.length, 1);
  assert.match(rows[0]!, /^\s+9 \|\s+·\s+A/, 'the low-cost idea sits at cost 2 on the payoff-9 row');
  // Each letter stands right under its cost label, on both sides of the threshold's '|'.
  const labels = board.split('\n').find((l) => l.endsWith(' cost'))!;
  assert.equal(rows[0]!.indexOf('A'), labels.indexOf(' 2 ') + 1, 'A under cost 2');
  assert.equal(rows[0]!.indexOf('B'), labels.indexOf(' 9 ') + 1, 'B under cost 9, right of the threshold');
  assert.deepEqual(f.events('pick_board_opened').at(-1), { teamId: f.team.Id, channelId: f.town.Id });
  assert.equal(f.world.events.filter((e) => e.event === 'pick_board_opened').at(-1)!.broadcast.UserId, f.bob.Id);
  assert.match(await f.cmd(f.bob, '/pick list implement'), /IDEA-001 Quick win — Implement · payoff 9 · cost 2 · n=3/);
  assert.match(await f.cmd(f.bob, '/pick list open'), /IDEA-003 Still open — being scored \(1\/3\)/);
  assert.match(await f.cmd(f.bob, '/pick board extra'), /takes no arguments; "extra" is not expected/);
  f.h.close();
});

test('bad input on every subcommand gets a clear error and usage', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add An idea');
  const cases: Array<[string, RegExp]> = [
    ['/pick add', /Say what the idea is/],
    ['/pick add ' + 'x'.repeat(301), /The title can be at most 300 characters \(this one has 301\)/],
    ['/pick score', /Say which idea[\s\S]*Usage: `\/pick score <id> payoff=<1-10> cost=<1-10>`/],
    ['/pick score abc payoff=1 cost=1', /"abc" is not an idea\. Name one as IDEA-7, IDEA-007, idea 7, #7 or 7\./],
    ['/pick score 1', /Give both payoff and cost/],
    ['/pick score 1 payoff=11 cost=3', /payoff must be a whole number from 1 to 10, not "11"/],
    ['/pick score 1 payoff=0 cost=3', /payoff must be a whole number from 1 to 10/],
    ['/pick score 1 payoff=5 cost=x', /cost must be a whole number/],
    ['/pick score 1 payoff=5 cost=5 extra', /Did not understand "extra"/],
    ['/pick score 99 payoff=5 cost=5', /There is no IDEA-099/],
    ['/pick reveal', /Say which idea/],
    ['/pick reveal 1 now', /Did not understand "now"/],
    ['/pick list bogus', /Unknown filter "bogus"/],
    ['/pick list --before x', /"x" is not a cursor/],
    ['/pick list --mine', /Unknown option --mine; this command knows --before, --team/],
    ['/pick link 1', /Say which RFC/],
    ['/pick link 1 rfc abc', /"rfc abc" is not an RFC\. Name one as RFC-7/],
    ['/pick link 1 rfc 1 2', /Did not understand "2"/],
    ['/pick archive', /Say which idea/],
    ['/pick archive 1 ' + 'y'.repeat(501), /The reason can be at most 500 characters \(this one has 501\)/],
    ['/pick rescore 0', /"0" is not an idea\./],
    ['/pick show "unclosed', /""unclosed" is not an idea\./],
    ['/pick nope', /Unknown subcommand "nope"/],
  ];
  for (const [text, expected] of cases) assert.match(await f.cmd(f.alice, text), expected, text);
  assert.match(await f.cmd(f.alice, '/pick help'), /\/pick score <id> payoff=<1-10> cost=<1-10>/);
  assert.match(await f.cmd(f.alice, '/pick score help'), /cost means cost\/risk/);
  f.h.close();
});

test('free text is kept as typed: apostrophes, dashes and words that look like flags', async () => {
  const f = await teamFixture();
  assert.match(await f.cmd(f.alice, '/pick add Ban --no-verify pushes'), /Added IDEA-001 “Ban --no-verify pushes”/);
  assert.match(await f.cmd(f.alice, "/pick add We're 'mostly' fine with Bob's plan"), /Added IDEA-002 “We're 'mostly' fine with Bob's plan”/);
  assert.match(await f.cmd(f.alice, '/pick add "Quoted whole title"'), /Added IDEA-003 “Quoted whole title”/);
  f.h.close();
});

test('list pages walk back through the index with a cursor', async () => {
  const f = await teamFixture();
  for (let i = 1; i <= 45; i++) await f.cmd(f.alice, `/pick add Idea number ${i}`);
  const first = await f.cmd(f.alice, '/pick list');
  assert.match(first, /IDEA-045 Idea number 45/);
  assert.doesNotMatch(first, /IDEA-025 /);
  const cursor = /--before (\d+)/.exec(first)![1]!;
  const second = await f.cmd(f.alice, `/pick list --before ${cursor}`);
  assert.match(second, /IDEA-025 Idea number 25/);
  assert.doesNotMatch(second, /IDEA-026 /);
  const third = await f.cmd(f.alice, `/pick list --before ${/--before (\d+)/.exec(second)![1]}`);
  assert.match(third, /IDEA-001 Idea number 1\b/);
  assert.doesNotMatch(third, /More:/);
  const team = await f.cmd(f.alice, '/pick list all --team');
  assert.match(team, /More: `\/pick list all --team --before \d+`/);
  f.h.close();
});

test('board and list pages cost O(page) KV calls whatever the number of ideas stored', async () => {
  // The digest enrols a user at their first command (KV writes once per user): not this test's subject.
  const f = await teamFixture({ DailyDigest: false });
  const { PickStore } = await import('./store');
  const store = new PickStore(f.h.ctx.kv);
  const addIdeas = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      await store.create({ teamId: f.team.Id, channelId: f.town.Id, title: `Idea ${i}`, ownerId: f.alice.Id, createdAt: 0, updatedAt: 0, round: 1, asked: [], scores: {}, revealed: null, history: [], rfcNumber: null, archived: null });
    }
  };
  const callsFor = async (text: string): Promise<number> => {
    const before = f.h.api.kvCalls;
    await f.cmd(f.bob, text);
    return f.h.api.kvCalls - before;
  };
  await addIdeas(60);
  const small = { board: await callsFor('/pick board'), list: await callsFor('/pick list'), team: await callsFor('/pick list --team') };
  await addIdeas(600);
  const large = { board: await callsFor('/pick board'), list: await callsFor('/pick list'), team: await callsFor('/pick list --team') };
  assert.deepEqual(large, small, 'ten times the ideas, the same KV calls');
  assert.ok(large.board <= 40 + 4, `board: ${large.board} calls for 40 ideas`);
  assert.ok(large.list <= 20 + 4, `list: ${large.list} calls for a page of 20`);
  f.h.close();
});

test('an unreadable idea record is reported, lists show its last summary, and it is never overwritten', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Fine idea');
  await f.cmd(f.alice, '/pick add Broken idea');
  const key = `pick:i:${f.team.Id}:2`;
  f.world.kv.set(key, new TextEncoder().encode('{"v":1,"oops":true}'));
  // Lists read the summaries in the index, not the records: the broken one shows as last written.
  const list = await f.cmd(f.alice, '/pick list');
  assert.match(list, /IDEA-001 Fine idea/);
  assert.match(list, /IDEA-002 Broken idea/);
  assert.match(await f.cmd(f.alice, '/pick show 2'), /Something went wrong on our side; it has been logged/);
  assert.ok(f.world.logs.some((l) => l.level === 'error' && JSON.stringify(l).includes(key)));
  assert.match(await f.cmd(f.alice, '/pick score 2 payoff=5 cost=5'), /Something went wrong on our side; it has been logged/);
  assert.equal(new TextDecoder().decode(f.world.kv.get(key)), '{"v":1,"oops":true}');
  f.h.close();
});

test('someone asked who leaves the channel no longer holds up the automatic reveal', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Nightly chaos tests');
  await f.cmd(f.alice, '/pick score 1 payoff=6 cost=2');
  await f.cmd(f.bob, '/pick score 1 payoff=8 cost=4');
  assert.match(await f.cmd(f.carol, '/infra owe'), /Score IDEA-001/);
  const member = f.world.channelMembers.get(`${f.town.Id}:${f.carol.Id}`)!;
  f.world.channelMembers.delete(`${f.town.Id}:${f.carol.Id}`);
  await f.h.product.userHasLeftChannel!({}, member, null);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /IDEA-001 “Nightly chaos tests” — round 1 revealed automatically[\s\S]*payoff 7 .*cost 3 .*2 scorers/);
  assert.doesNotMatch(await f.cmd(f.carol, '/infra owe'), /IDEA-001/);
  // Leaving again (or a channel without open ideas) changes nothing.
  await f.h.product.userHasLeftChannel!({}, member, null);
  assert.equal(f.world.postsIn(f.town.Id).filter((p) => /revealed automatically/.test(p.Message ?? '')).length, 1);
  f.h.close();
});
