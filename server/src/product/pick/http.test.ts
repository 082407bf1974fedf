import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as z from 'zod/mini';
import { pickRoutes } from '../contract/pick';
import { teamFixture } from './test_fixture';

const api = (path: string): string => `/api/v1${path}`;

test('HTTP follows the contract: team in the path, strict bodies, the caller’s own score only, answers decode', async () => {
  const f = await teamFixture();
  const ideas = api(`/teams/${f.team.Id}/ideas`);
  const created = await f.h.http('POST', ideas, f.alice, { channel_id: f.town.Id, title: 'From the webapp' });
  assert.equal(created.status, 201);
  z.parse(pickRoutes.add.answer, created.body);
  assert.equal((await f.h.http('POST', ideas, f.alice, { channel_id: f.town.Id, title: 'x', team_id: f.team.Id })).status, 400, 'unknown fields are refused');
  assert.equal((await f.h.http('POST', ideas, f.alice, { channel_id: f.town.Id, title: '   ' })).status, 400);

  const base = `${ideas}/1`;
  assert.equal((await f.h.http('POST', `${base}/score`, f.alice, { payoff: 11, cost: 2 })).status, 400);
  assert.equal((await f.h.http('POST', `${base}/score`, f.alice, '{not json')).status, 400);
  const mine = await f.h.http('POST', `${base}/score`, f.alice, { payoff: 8, cost: 2 });
  assert.equal(mine.status, 200);
  const scored = z.parse(pickRoutes.score.answer, mine.body);
  assert.deepEqual(scored.idea.viewer, { myScore: { payoff: 8, cost: 2 }, awaitingMyScore: false });
  const bobSees = z.parse(pickRoutes.get.answer, (await f.h.http('GET', base, f.bob)).body);
  assert.deepEqual(bobSees.idea.viewer, { myScore: null, awaitingMyScore: true });
  assert.equal(bobSees.idea.scoredCount, 1);
  assert.equal(JSON.stringify(bobSees).includes('"payoff":8'), false);
  assert.equal((await f.h.http('POST', `${base}/reveal`, f.alice, {})).status, 409, 'one score is not revealed');
  await f.h.http('POST', `${base}/score`, f.bob, { payoff: 6, cost: 4 });
  assert.equal((await f.h.http('POST', `${base}/reveal`, f.bob, {})).status, 403);
  assert.equal((await f.h.http('POST', `${base}/reveal`, f.alice, { now: true })).status, 400);
  assert.equal((await f.h.http('POST', `${base}/reveal`, f.alice, {})).status, 200);
  assert.equal((await f.h.http('POST', `${base}/reveal`, f.alice, {})).status, 409);

  const chart = await f.h.http('GET', `${ideas}?channel_id=${f.town.Id}`, f.carol);
  assert.equal(chart.status, 200);
  const body = z.parse(pickRoutes.list.answer, chart.body);
  assert.equal(body.threshold, 5.5);
  assert.equal(body.nextCursor, null);
  const [first] = body.items;
  assert.equal(first!.reference, 'IDEA-001');
  assert.equal(first!.revealed!.quadrant, 'implement');
  assert.equal(first!.revealed!.payoff.median, 7);
  assert.equal(first!.revealed!.cost.median, 3);
  assert.equal(first!.revealed!.count, 2);
  assert.equal((await f.h.http('GET', `${ideas}?filter=nope`, f.carol)).status, 400);
  assert.equal((await f.h.http('GET', `${ideas}?team_id=${f.team.Id}`, f.carol)).status, 400, 'the team is in the path, not the query');
  assert.equal((await f.h.http('GET', `${ideas}?channel_id=${f.secret.Id}`, f.carol)).status, 404);
  assert.equal((await f.h.http('GET', `${ideas}/abc`, f.carol)).status, 400);
  assert.equal((await f.h.http('GET', `${ideas}?cursor=abc`, f.carol)).status, 400);
  f.h.close();
});

test('HTTP pages: nextCursor walks back through a channel', async () => {
  const f = await teamFixture();
  for (let i = 1; i <= 5; i++) await f.h.http('POST', api(`/teams/${f.team.Id}/ideas`), f.alice, { channel_id: f.town.Id, title: `Idea ${i}` });
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?channel_id=${f.town.Id}&per_page=2${cursor ? `&cursor=${cursor}` : ''}`;
    const page = z.parse(pickRoutes.list.answer, (await f.h.http('GET', api(`/teams/${f.team.Id}/ideas${query}`), f.bob)).body);
    seen.push(...page.items.map((i) => i.reference));
    cursor = page.nextCursor;
  } while (cursor !== null);
  assert.deepEqual(seen, ['IDEA-005', 'IDEA-004', 'IDEA-003', 'IDEA-002', 'IDEA-001']);
  f.h.close();
});

test('a hostile 1 MB title or reason is refused quickly, naming the limit', async () => {
  const f = await teamFixture();
  const huge = 'a'.repeat(900_000);
  const t0 = performance.now();
  const refused = await f.h.http('POST', api(`/teams/${f.team.Id}/ideas`), f.alice, { channel_id: f.town.Id, title: huge });
  const took = performance.now() - t0;
  assert.equal(refused.status, 400);
  assert.match((refused.body as { error: string }).error, /300/);
  assert.ok(took < 250, `refused in ${took.toFixed(1)} ms`);
  assert.equal((await f.h.http('POST', api(`/teams/${f.team.Id}/ideas`), f.alice, { channel_id: f.town.Id, title: 'a'.repeat(1_100_000) })).status, 413);
  assert.match(await f.cmd(f.alice, `/pick add ${'x '.repeat(100_000)}`), /The title can be at most 300 characters/);
  f.h.close();
});
