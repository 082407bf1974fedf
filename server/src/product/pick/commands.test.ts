import assert from 'node:assert/strict';
import { test } from 'node:test';
import { teamFixture } from './test_fixture';

test('add, score privately, reveal automatically once everyone asked has scored', async () => {
  const f = await teamFixture();
  const added = await f.cmd(f.alice, '/pick add Cache the artifact store');
  assert.match(added, /Added IDEA-1 “Cache the artifact store”\. 3 channel members are asked/);

  assert.match(await f.cmd(f.alice, '/pick score 1 payoff=8 cost=3'), /payoff 8, cost 3\. 1\/3 scored so far; scores stay private/);
  // Others see neither the score nor anything derived from it before the reveal.
  const bobView = await f.cmd(f.bob, '/pick show IDEA-1');
  assert.match(bobView, /Scored: 1 of 3 asked/);
  assert.match(bobView, /You have not scored this round/);
  assert.doesNotMatch(bobView, /payoff 8/);
  for (const e of f.events('pick_idea_changed')) assert.equal(JSON.stringify(e).includes('"payoff":8'), false);

  assert.match(await f.cmd(f.alice, '/pick score 1 cost=4 payoff=8'), /payoff 8, cost 4/, 'a score may change before the reveal');
  await f.cmd(f.bob, '/pick score #1 7 2');
  const last = await f.cmd(f.carol, '/pick score 1 p=9 c=3');
  assert.match(last, /Everyone asked has scored, so it is revealed now/);

  const post = f.world.postsIn(f.town.Id).at(-1)!;
  assert.equal(post.UserId, f.h.ctx.botUserId);
  assert.match(post.Message!, /IDEA-1 “Cache the artifact store” — round 1 revealed automatically/);
  assert.match(post.Message!, /\*\*Implement\*\* \(high payoff, low cost\) — payoff 8 \(IQR 1\), cost 3 \(IQR 1\), 3 scorers/);

  assert.match(await f.cmd(f.bob, '/pick score 1 payoff=1 cost=1'), /already revealed; `\/pick rescore 1` starts a new round/);
  assert.match(await f.cmd(f.bob, '/pick show 1'), /Round 1: \*\*Implement\*\*/);
  f.h.close();
});

test('only the owner (or an admin) reveals; revealing needs scores and happens once', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Rewrite the deploy tool');
  assert.match(await f.cmd(f.alice, '/pick reveal 1'), /Nobody has scored IDEA-1 yet/);
  await f.cmd(f.bob, '/pick score 1 payoff=3 cost=9');
  assert.match(await f.cmd(f.bob, '/pick reveal 1'), /Only the idea's owner \(@alice\) or an admin may reveal IDEA-1/);
  const revealed = await f.cmd(f.alice, '/pick reveal 1');
  assert.match(revealed, /Revealed IDEA-1: \*\*Kill\*\* \(low payoff, high cost\) — payoff 3 \(IQR 0\), cost 9 \(IQR 0\), 1 scorer/);
  assert.match(revealed, /archive it with `\/pick archive 1 <reason>`/);
  assert.match(await f.cmd(f.alice, '/pick reveal 1'), /already revealed/);

  assert.match(await f.cmd(f.alice, '/pick archive 1'), /Give a reason for archiving/);
  assert.match(await f.cmd(f.carol, '/pick archive 1 nope'), /Only the idea's owner/);
  assert.match(await f.cmd(f.admin, '/pick archive 1 Too costly for what it buys'), /Archived IDEA-1/);
  assert.match(await f.cmd(f.alice, '/pick archive 1 again'), /already archived/);
  assert.match(await f.cmd(f.alice, '/pick list archived'), /IDEA-1 Rewrite the deploy tool — archived: Too costly for what it buys/);
  assert.match(await f.cmd(f.alice, '/pick list'), /None\./);
  assert.match(await f.cmd(f.alice, '/pick score 1 payoff=3 cost=3'), /IDEA-1 is archived/);
  f.h.close();
});

test('a Challenge offers an RFC; the RFC links back; rescoring keeps the history', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Move CI to our own runners');
  await f.cmd(f.alice, '/pick score 1 payoff=9 cost=8');
  await f.cmd(f.bob, '/pick score 1 payoff=7 cost=7');
  const revealed = await f.cmd(f.carol, '/pick score 1 payoff=8 cost=9');
  assert.match(revealed, /revealed now/);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /This is a Challenge: open an RFC with `\/rfc new --idea 1 Move CI to our own runners`/);

  assert.match(await f.cmd(f.alice, '/rfc new --idea 1'), /Opened RFC-001 “Move CI to our own runners” as Draft\. Linked to IDEA-1/);
  assert.match(await f.cmd(f.bob, '/pick show 1'), /Linked to RFC-001/);
  assert.match(await f.cmd(f.alice, '/pick link 1 rfc 9'), /There is no RFC-009 in this team/);
  assert.match(await f.cmd(f.alice, '/pick link 1 rfc RFC-001'), /Linked IDEA-1 to RFC-001 “Move CI to our own runners”/);

  assert.match(await f.cmd(f.bob, '/pick rescore 1'), /Only the idea's owner/);
  assert.match(await f.cmd(f.alice, '/pick rescore 1'), /Round 2 of IDEA-1 is open/);
  assert.match(await f.cmd(f.alice, '/pick rescore 1'), /still being scored; reveal it first/);
  await f.cmd(f.bob, '/pick score 1 payoff=4 cost=8');
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
  assert.match(await f.cmd(f.carol, '/pick show 2'), /There is no IDEA-2 you can see/);
  assert.match(await f.cmd(f.carol, '/pick score 2 payoff=5 cost=5'), /There is no IDEA-2 you can see/);
  assert.match(await f.cmd(f.outsider, '/pick show 1'), /There is no IDEA-1 you can see/);
  const carolTeam = await f.cmd(f.carol, '/pick list --team');
  assert.match(carolTeam, /IDEA-1 Public idea/);
  assert.doesNotMatch(carolTeam, /Secret/);
  const bobTeam = await f.cmd(f.bob, '/pick list --team');
  assert.match(bobTeam, /IDEA-2 Secret idea/);
  assert.match(bobTeam, /IDEA-1 Public idea/);
  assert.doesNotMatch(await f.cmd(f.bob, '/pick list'), /Secret/, 'a channel list shows only that channel');
  assert.match(await f.cmd(f.carol, '/pick list', f.secret), /There is no such channel you can see/);
  assert.match(await f.cmd(f.dave, '/pick show 1'), /IDEA-1 Public idea/, 'team members see open channels they are not in');
  // Websocket events about the private idea go to that channel only.
  const secretEvents = f.world.events.filter((e) => e.event === 'custom_infra-ops_pick_idea_changed' || e.event === 'pick_idea_changed');
  assert.ok(secretEvents.some((e) => e.broadcast.ChannelId === f.secret.Id));
  assert.ok(secretEvents.every((e) => !e.broadcast.TeamId));
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
  assert.match(board, /\*\*Implement\*\*[\s\S]*`[AB]` IDEA-1 Quick win/);
  assert.match(board, /\*\*Challenge\*\*[\s\S]*IDEA-2 Big bet/);
  assert.match(board, /\*\*Being scored\*\*\n- IDEA-3 Still open — 1\/3 scored/);
  const rows = board.split('\n').filter((l) => /^\s+9 \|/.test(l));
  assert.equal(rows.length, 1);
  assert.match(rows[0]!, /^\s+9 \|\s+·\s+[AB]/, 'the low-cost idea sits at cost 2 on the payoff-9 row');
  assert.deepEqual(f.events('pick_board_opened').at(-1), { teamId: f.team.Id, channelId: f.town.Id });
  assert.equal(f.world.events.filter((e) => e.event === 'pick_board_opened').at(-1)!.broadcast.UserId, f.bob.Id);
  assert.match(await f.cmd(f.bob, '/pick list implement'), /IDEA-1 Quick win — Implement · payoff 9 · cost 2 · n=3/);
  assert.match(await f.cmd(f.bob, '/pick list open'), /IDEA-3 Still open — being scored \(1\/3\)/);
  f.h.close();
});

test('bad input on every subcommand gets a clear error and usage', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add An idea');
  const cases: Array<[string, RegExp]> = [
    ['/pick add', /Say what the idea is/],
    ['/pick add ' + 'x'.repeat(301), /under 300 characters/],
    ['/pick score', /Say which idea[\s\S]*Usage: `\/pick score <id>`/],
    ['/pick score abc payoff=1 cost=1', /"abc" is not an idea number/],
    ['/pick score 1', /Give both payoff and cost/],
    ['/pick score 1 payoff=11 cost=3', /payoff must be a whole number from 1 to 10, not "11"/],
    ['/pick score 1 payoff=0 cost=3', /payoff must be a whole number from 1 to 10/],
    ['/pick score 1 payoff=5 cost=x', /cost must be a whole number/],
    ['/pick score 1 payoff=5 cost=5 extra', /Did not understand "extra"/],
    ['/pick score 99 payoff=5 cost=5', /There is no IDEA-99/],
    ['/pick reveal', /Say which idea/],
    ['/pick list bogus', /Unknown filter "bogus"/],
    ['/pick list --before x', /"x" is not a cursor/],
    ['/pick link 1', /Say which RFC/],
    ['/pick link 1 rfc abc', /"abc" is not an RFC number/],
    ['/pick archive', /Say which idea/],
    ['/pick rescore 0', /"0" is not an idea number/],
    ['/pick show "unclosed', /A quote is not closed/],
    ['/pick nope', /Unknown subcommand "nope"/],
  ];
  for (const [text, expected] of cases) assert.match(await f.cmd(f.alice, text), expected, text);
  assert.match(await f.cmd(f.alice, '/pick help'), /\/pick score <id> payoff=<1-10> cost=<1-10>/);
  assert.match(await f.cmd(f.alice, '/pick score help'), /cost means cost\/risk/);
  f.h.close();
});

test('HTTP: chart endpoint with medians and quadrants; own score only; bad bodies are 400', async () => {
  const f = await teamFixture();
  const created = await f.h.http('POST', '/api/v1/pick/ideas', f.alice, { channel_id: f.town.Id, title: 'From the webapp' });
  assert.equal(created.status, 201);
  const base = `/api/v1/pick/teams/${f.team.Id}/ideas/1`;
  assert.equal((await f.h.http('POST', `${base}/score`, f.alice, { payoff: 11, cost: 2 })).status, 400);
  assert.equal((await f.h.http('POST', `${base}/score`, f.alice, '{not json')).status, 400);
  const mine = await f.h.http('POST', `${base}/score`, f.alice, { payoff: 8, cost: 2 });
  assert.equal(mine.status, 200);
  assert.deepEqual((mine.body as { idea: { myScore: unknown } }).idea.myScore, { payoff: 8, cost: 2 });
  const bobSees = (await f.h.http('GET', base, f.bob)).body as { idea: { myScore: unknown; scoredCount: number; awaitingMyScore: boolean } };
  assert.equal(bobSees.idea.myScore, null);
  assert.equal(bobSees.idea.scoredCount, 1);
  assert.equal(bobSees.idea.awaitingMyScore, true);
  assert.equal(JSON.stringify(bobSees).includes('"payoff":8'), false);
  await f.h.http('POST', `${base}/score`, f.bob, { payoff: 6, cost: 4 });
  assert.equal((await f.h.http('POST', `${base}/reveal`, f.bob)).status, 403);
  assert.equal((await f.h.http('POST', `${base}/reveal`, f.alice)).status, 200);
  assert.equal((await f.h.http('POST', `${base}/reveal`, f.alice)).status, 409);

  const chart = await f.h.http('GET', `/api/v1/pick/ideas?team_id=${f.team.Id}&channel_id=${f.town.Id}`, f.carol);
  assert.equal(chart.status, 200);
  const body = chart.body as { ideas: Array<{ reference: string; revealed: { quadrant: string; payoff: { median: number }; cost: { median: number }; count: number } }>; threshold: number; next: null };
  assert.equal(body.threshold, 5.5);
  assert.equal(body.ideas[0]!.reference, 'IDEA-1');
  assert.equal(body.ideas[0]!.revealed.quadrant, 'implement');
  assert.equal(body.ideas[0]!.revealed.payoff.median, 7);
  assert.equal(body.ideas[0]!.revealed.cost.median, 3);
  assert.equal(body.ideas[0]!.revealed.count, 2);
  assert.equal((await f.h.http('GET', `/api/v1/pick/ideas?team_id=${f.team.Id}&filter=nope`, f.carol)).status, 400);
  assert.equal((await f.h.http('GET', `/api/v1/pick/ideas?team_id=${f.team.Id}&channel_id=${f.secret.Id}`, f.carol)).status, 404);
  assert.equal((await f.h.http('GET', `/api/v1/pick/teams/${f.team.Id}/ideas/abc`, f.carol)).status, 400);
  f.h.close();
});

test('list pages walk back through the index with a cursor', async () => {
  const f = await teamFixture();
  for (let i = 1; i <= 45; i++) await f.h.product.executeCommand!({}, { UserId: f.alice.Id, ChannelId: f.town.Id, TeamId: f.team.Id, Command: `/pick add Idea number ${i}` });
  const first = await f.cmd(f.alice, '/pick list');
  assert.match(first, /IDEA-45 Idea number 45/);
  assert.doesNotMatch(first, /IDEA-25 /);
  const cursor = /--before (\d+)/.exec(first)![1]!;
  const second = await f.cmd(f.alice, `/pick list --before ${cursor}`);
  assert.match(second, /IDEA-25 Idea number 25/);
  assert.doesNotMatch(second, /IDEA-26 /);
  const third = await f.cmd(f.alice, `/pick list --before ${/--before (\d+)/.exec(second)![1]}`);
  assert.match(third, /IDEA-1 Idea number 1\b/);
  assert.doesNotMatch(third, /More:/);
  f.h.close();
});

test('board and list pages cost O(page) KV calls whatever the number of ideas stored', async () => {
  const f = await teamFixture();
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

test('an unreadable idea record is reported and skipped by lists, and never overwritten', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Fine idea');
  await f.cmd(f.alice, '/pick add Broken idea');
  const key = `pick:i:${f.team.Id}:2`;
  f.world.kv.set(key, new TextEncoder().encode('{"v":1,"oops":true}'));
  const list = await f.cmd(f.alice, '/pick list');
  assert.match(list, /IDEA-1 Fine idea/);
  assert.doesNotMatch(list, /IDEA-2/);
  assert.ok(f.world.logs.some((l) => l.level === 'error' && l.message === 'unreadable record skipped' && l.fields?.key === key));
  assert.match(await f.cmd(f.alice, '/pick score 2 payoff=5 cost=5'), /Something went wrong on our side; it has been logged/);
  assert.equal(new TextDecoder().decode(f.world.kv.get(key)!), '{"v":1,"oops":true}');
  f.h.close();
});

test('someone asked who leaves the channel no longer holds up the automatic reveal', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/pick add Nightly chaos tests');
  await f.cmd(f.alice, '/pick score 1 payoff=6 cost=2');
  await f.cmd(f.bob, '/pick score 1 payoff=8 cost=4');
  assert.match(await f.cmd(f.carol, '/infra owe'), /Score IDEA-1/);
  const member = f.world.channelMembers.get(`${f.town.Id}:${f.carol.Id}`)!;
  f.world.channelMembers.delete(`${f.town.Id}:${f.carol.Id}`);
  await f.h.product.userHasLeftChannel!({}, member, null);
  assert.match(f.world.postsIn(f.town.Id).at(-1)!.Message!, /IDEA-1 “Nightly chaos tests” — round 1 revealed automatically[\s\S]*payoff 7 .*cost 3 .*2 scorers/);
  assert.doesNotMatch(await f.cmd(f.carol, '/infra owe'), /IDEA-1/);
  // Leaving again (or a channel without open ideas) changes nothing.
  await f.h.product.userHasLeftChannel!({}, member, null);
  assert.equal(f.world.postsIn(f.town.Id).filter((p) => /revealed automatically/.test(p.Message ?? '')).length, 1);
  f.h.close();
});
