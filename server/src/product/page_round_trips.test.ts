/**
 * Issue 12's pages: how many server round trips each one waits for in sequence before it answers
 * (testing/latency.ts). With 40 active incidents, each in its own channel, and ideas and guilds in
 * open channels (every tenth incident private). Before this test (measured with it on main): the
 * sidebar's first load waited for 9 round trips, the incident list for 6, metrics for 10, the PICK
 * channel and team pages for 3, the guild list for 3: the team check came before the first read,
 * a channel's access asked the channel and then the membership, and every channel lookup queued
 * behind a gate 8 wide with the membership questions. Now 4, 3, 6, 2, 2 and 2: the first reads go
 * out beside the check (shared/started.ts), the channel and the membership are asked at once,
 * and channel lookups pass a gate of their own, 32 wide. The sidebar then asked for 100 active
 * incidents (all 40 here); its page is now 20, most severe first: 3. One round trip of slack where
 * timers on a loaded machine could make a chain read one longer (as in write_round_trips.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INCIDENTS_SIDEBAR_PAGE } from './contract/incidents';
import { teamFixture } from './pick/test_fixture';
import { withLatency } from './testing/latency';

test('pages answer after a short chain of round trips, however many channels they ask about', async () => {
  const f = await teamFixture();
  // Most in open channels, as at issue 12's scale; every tenth private (a membership question each).
  for (let n = 1; n <= 40; n++) assert.match(await f.cmd(f.alice, `/incident declare sev3 Outage ${n}${n % 10 === 0 ? '' : ' --public'}`), /INC-/);
  assert.match(await f.cmd(f.alice, '/pick add Cache the artifacts'), /Added IDEA-/);
  const team = `/api/v1/teams/${f.team.Id}`;
  const pages = {
    // The incidents tab's first page (webapp/src/components/incidents_tab.tsx).
    sidebar: `${team}/incidents?state=active&sort=severity&per_page=${INCIDENTS_SIDEBAR_PAGE}`,
    incidents: `${team}/incidents`,
    metrics: `${team}/incidents/metrics`,
    channelIdeas: `${team}/ideas?channel_id=${f.town.Id}`,
    teamIdeas: `${team}/ideas`,
    guilds: `${team}/guilds`,
  };
  // The first request of each warms its code (and seeds the team's guilds): not a round trip.
  for (const path of Object.values(pages)) assert.equal((await f.h.http('GET', path, f.alice)).status, 200, path);
  await f.h.settled();

  const latency = withLatency(f.h.api);
  const chain = async (path: string): Promise<number> => {
    latency.answered = 0;
    latency.on = true;
    const answer = await f.h.http('GET', path, f.alice);
    const depth = latency.answered;
    latency.on = false;
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return depth;
  };
  const depths = Object.fromEntries(await Object.entries(pages).reduce<Promise<Array<[string, number]>>>(async (done, [name, path]) => [...(await done), [name, await chain(path)]], Promise.resolve([])));
  // The active set beside the team check; the team's public-channel right beside the page's 20
  // channel lookups (one turn of the lookups' gate); the two private channels' memberships.
  console.log(`# round trips in sequence: ${JSON.stringify(depths)}`);
  assert.ok(depths['sidebar']! <= 4, `the sidebar waited for ${depths['sidebar']}`);
  // The index beside the team check; the page's 20 channels at once; two memberships.
  assert.ok(depths['incidents']! <= 4, `the incident list waited for ${depths['incidents']}`);
  // The team check, then the summary (reading it may first complete it: no outsider sets that
  // off); the 40 channels; the memberships.
  assert.ok(depths['metrics']! <= 7, `metrics waited for ${depths['metrics']}`);
  // The channel's index beside the channel and the membership; the viewer's own set.
  assert.equal(depths['channelIdeas'], 2, 'the PICK channel page');
  // The index and the viewer's set beside the team check; the public-channel right and the channel.
  assert.equal(depths['teamIdeas'], 2, 'the PICK team page');
  // The team's guilds beside the team check, then the public-channel right.
  assert.equal(depths['guilds'], 2, 'the guild list');
});
