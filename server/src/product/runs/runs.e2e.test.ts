// A release as several users run it on a real Mattermost: started in its own channel with a pinned
// card, items checked by command and over HTTP, a gate of three approvers with a quorum of two, a
// blocking concern that stops finishing until resolved, a hold, and the finish.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { connectRig, type Rig, type RigUser } from '../../../../e2e/rig';
import { waitFor } from '../../../../e2e/rig/net';

const rig: Rig = connectRig();
const [alice, bob, carol, dave] = rig.users as [RigUser, RigUser, RigUser, RigUser];
const tag = Date.now().toString(36);
const runs = `/api/v1/teams/${rig.team.id}/runs`;

async function say(user: RigUser, channelId: string, text: string): Promise<string> {
  const reply = await rig.runCommand(user, channelId, text);
  assert.equal(reply.response_type, 'ephemeral', `${text} → ${reply.text}`);
  return reply.text ?? '';
}

/** The card follows a change after the change has answered (runs/service.ts followUp), so it is polled. */
async function cardShows(user: RigUser, postId: string, pattern: RegExp): Promise<string> {
  return waitFor(`the card to match ${pattern}`, async () => {
    const { message } = await user.client.getPost(postId);
    return pattern.test(message) ? message : undefined;
  }, { timeoutMs: 10_000, intervalMs: 100 });
}

after(() => rig.close());

test('release: own channel and card, checklist by command and HTTP, a 2-of-3 gate with a concern and a hold, finish', async () => {
  const home = await rig.admin.client.getChannelByName(rig.team.id, 'town-square', false);
  for (const u of [alice, bob, carol, dave]) await rig.admin.client.addToChannel(u.id, home.id).catch(() => undefined);
  const started = await say(alice, home.id, `/release start ${tag}`);
  const m = /Started RUN-(\d+) “[^”]+” in ~(\S+) from the template “Product release”/.exec(started);
  assert.ok(m, started);
  const [number, name] = [Number(m[1]), m[2]!];
  const channel = await rig.admin.client.getChannelByName(rig.team.id, name, false);
  const members = await rig.admin.client.getChannelMembers(channel.id);
  assert.ok(members.some((x) => x.user_id === alice.id), 'the starter is in the run channel');

  const pinned = await alice.client.getPinnedPosts(channel.id);
  const card = Object.values(pinned.posts)[0];
  assert.ok(card, 'the card is pinned');
  assert.match(card.message, /\*\*Active\*\* · release manager @alice · 0\/9 done · 3 gates open/);

  for (const u of [bob, carol, dave]) await alice.client.addToChannel(u.id, channel.id);
  // The card's "☑ 1.3" button, clicked through Mattermost's own post-action API with bob's session.
  const action = ((card.props?.['attachments'] as Array<{ actions: Array<{ id: string; name: string }> }> | undefined) ?? []).flatMap((a) => a.actions).find((a) => a.name === '☑ 1.3');
  assert.ok(action, 'the card has buttons');
  await bob.client.doPostAction(card.id, action.id);
  await cardShows(alice, card.id, /☑ 1\.3 Build release candidates/); // the click checked the item and the card followed
  assert.match(await say(bob, channel.id, '/run check 1.1'), /1\.1: checked/);
  const http = await rig.pluginFetch(carol, `${runs}/${number}/items/1.2`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action: 'check' }) });
  assert.equal(http.status, 200);
  const view = (await http.json()) as { run: { progress: { done: number } } };
  assert.equal(view.run.progress.done, 3);

  assert.match(await say(alice, channel.id, '/run approvers 2.1 @bob @carol @dave --quorum 2'), /approvers: @bob, @carol, @dave; quorum 2/);
  assert.match(await say(bob, channel.id, '/run approve 2.1'), /you approved/);
  assert.match(await say(carol, channel.id, '/run concern 2.1 load test missing'), /concern #1 raised/);
  assert.match(await say(dave, channel.id, '/run hold 2.1'), /you held/);
  assert.match(await say(alice, channel.id, '/run finish'), /Gates still open: 2\.1, 2\.2, 2\.3/);
  assert.match(await say(carol, channel.id, '/run resolve 2.1 1 ran it'), /concern #1 resolved/);
  assert.match(await say(dave, channel.id, '/run approve 2.1'), /you approved/);
  assert.match(await say(alice, channel.id, '/run approvers 2.2 @carol'), /approvers: @carol/);
  assert.match(await say(carol, channel.id, '/run approve 2.2'), /you approved/);
  assert.match(await say(alice, channel.id, '/run approve 2.3'), /you approved/);
  assert.match(await say(alice, channel.id, '/run finish'), new RegExp(`RUN-0*${number} is finished\\.`));

  await cardShows(alice, card.id, /\*\*Finished\*\*/); // the card follows the run
  const timeline = await say(bob, channel.id, '/run timeline');
  assert.match(timeline, /@carol raised concern #1 on 2\.1: load test missing/);
  assert.match(timeline, /@alice finished the run/);
});
