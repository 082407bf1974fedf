/**
 * Issue 12's writes: how many server round trips each one waits for in sequence before it
 * answers. Every plugin API call answers a little late (as an RPC to a real server does) and is
 * given a depth: one more than the deepest call that had answered when it was made. The deepest
 * call answered before the write's own answer arrived is the length of the chain it waited for
 * (mostly timing-independent; on a machine so loaded that timers fire out of order a chain can
 * read one longer, hence one round trip of slack in each bound).
 * Before issue 12 (measured with this test on main): checking an item waited for 9, a score for
 * 10, a status update over HTTP for 21 (the card, events, posts, reminders and derived sets were
 * in the chain, one after another); then 3, 6 and 7, the side effects following the answer;
 * now 3, 4 and 5 (each compare-and-set starts from the bytes the request read; a score reads the
 * scorer's owed set beside the idea and leaves the index entries' counts until after its answer;
 * an incident's number reads its index head and chunk at once); then 3, 4 and 4 (a number read once
 * is known for good: store.ts idForNumber).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { teamFixture } from './pick/test_fixture';
import { withLatency } from './testing/latency';

test('a check, a score and a status update answer after a short chain of round trips; their effects follow', async () => {
  const f = await teamFixture();
  const latency = withLatency(f.h.api);
  assert.match(await f.cmd(f.alice, '/release start 1.0'), /Started RUN-001/);
  assert.match(await f.cmd(f.alice, '/pick add Cache the artifacts'), /Added IDEA-/);
  const declared = await f.cmd(f.alice, '/incident declare sev2 Payments down');
  const incident = Number(/INC-0*(\d+)/.exec(declared)?.[1]);
  assert.ok(incident > 0, declared);
  const team = `/api/v1/teams/${f.team.Id}`;
  // The first request starts the harness's HTTP server and warms its code: not a round trip.
  for (const path of [`${team}/runs/1`, `${team}/ideas/1`, `${team}/incidents/${incident}`]) assert.equal((await f.h.http('GET', path, f.alice)).status, 200);

  const chain = async (path: string, body: unknown): Promise<number> => {
    latency.answered = 0;
    latency.on = true;
    const answer = await f.h.http('POST', path, f.alice, body, { settle: false });
    const depth = latency.answered;
    latency.on = false;
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    await f.h.settled();
    return depth;
  };
  const check = await chain(`${team}/runs/1/items/1.1`, { action: 'check' });
  const score = await chain(`${team}/ideas/1/score`, { payoff: 8, cost: 3 });
  const status = await chain(`${team}/incidents/${incident}/status`, { text: 'Failover started' });
  // Read, access (channel, membership, permission and name at once), compare-and-set against the bytes read.
  assert.ok(check <= 4, `check waited for ${check} round trips in sequence`);
  // The idea and the scorer's owed set read at once, access, then each compared and set against
  // the bytes read (the index entries' counts follow the answer).
  assert.ok(score <= 5, `score waited for ${score}`);
  // The record (its number's id is known since the GET above), visibility, the post permission
  // and the author's name at once, compare-and-set against the bytes read.
  assert.ok(status <= 5, `status update waited for ${status}`);

  // What followed the answers happened all the same.
  const runChannel = [...f.world.channels.values()].find((c) => c.Name === 'release-1-0')!;
  assert.match(f.world.postsIn(runChannel.Id).find((p) => p.UserId === f.h.ctx.botUserId)!.Message!, /☑ 1\.1/, 'the card follows the check');
  assert.ok(f.events('run_changed').length > 0 && f.events('pick_idea_changed').length > 0, 'clients are told');
  assert.ok([...f.world.posts.values()].some((p) => p.Message?.includes('Failover started')), 'the status update is posted');
});
