// The sidebar's run routes on a real Mattermost, as several users with their own sessions: a reader
// of the run's channel cannot answer a gate, an approver can; a concern blocks the gate and the
// finish (409, the gates named) until its raiser resolves it; two of three approvals pass it;
// items are assigned to several people, given a due time, added and removed; a team admin
// finishes over the remaining gates with a reason; the retrospective is written, shown as
// reminded, and published; the figures per template count the run.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { connectRig, type Rig, type RigUser } from '../../../../e2e/rig';

const rig: Rig = connectRig();
const [alice, bob, carol, dave] = rig.users as [RigUser, RigUser, RigUser, RigUser];
const tag = `ui-${Date.now().toString(36)}`;
const base = `/api/v1/teams/${rig.team.id}`;

async function say(user: RigUser, channelId: string, text: string): Promise<string> {
  const reply = await rig.runCommand(user, channelId, text);
  assert.equal(reply.response_type, 'ephemeral', `${text} → ${reply.text}`);
  return reply.text ?? '';
}

/** One call as `user`: its status and JSON answer. */
async function call(user: RigUser, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await rig.pluginFetch(user, `${base}${path}`, body === undefined ? { method } : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

type Gate = { state: string; approvals: number; needed: number; concerns: Array<{ id: number; resolvedBy: string | null }> };
type RunBody = { run: { status: string; finishOverride: string | null; checklists: Array<{ items: Array<{ ref: string; state: string; assignees: string[]; due: number | null; gate: Gate | null }> }> } };
const gateOf = (body: Record<string, unknown>, list = 1, item = 0): Gate => (body as unknown as RunBody).run.checklists[list]!.items[item]!.gate!;

after(() => rig.close());

test('sidebar routes: a reader cannot answer, approvers can, a concern blocks until resolved, 2 of 3 pass; items; finish override; retrospective; stats', async () => {
  // The rig's users are shared by every e2e file, run one after another; earlier files make bob a team admin.
  await rig.admin.client.updateTeamMemberSchemeRoles(rig.team.id, bob.id, true, false);
  const home = await rig.admin.client.getChannelByName(rig.team.id, 'town-square', false);
  for (const u of [alice, bob, carol, dave]) await rig.admin.client.addToChannel(u.id, home.id).catch(() => undefined);
  const started = await say(alice, home.id, `/release start ${tag}`);
  const m = /Started RUN-(\d+) “[^”]+” in ~(\S+)/.exec(started);
  assert.ok(m, started);
  const number = Number(m[1]);
  const channel = await rig.admin.client.getChannelByName(rig.team.id, m[2]!, false);
  for (const u of [bob, carol, dave, rig.admin]) await alice.client.addToChannel(u.id, channel.id);
  const run = `/runs/${number}`;
  assert.match(await say(alice, channel.id, '/run approvers 2.1 @alice @bob @carol --quorum 2'), /quorum 2/);

  // dave reads and posts in the channel but holds no seat.
  const refused = await call(dave, 'POST', `${run}/items/2.1/answer`, { answer: 'approve' });
  assert.deepEqual(refused, { status: 403, body: { error: "Only the gate's approvers can answer on this gate." } });
  assert.equal((await call(bob, 'POST', `${run}/items/2.1/answer`, { answer: 'approve', extra: true })).status, 400, 'a strict body');

  const approved = await call(bob, 'POST', `${run}/items/2.1/answer`, { answer: 'approve', note: 'tests green' });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.deepEqual([gateOf(approved.body).state, gateOf(approved.body).approvals, gateOf(approved.body).needed], ['waiting', 1, 2]);
  const raised = await call(carol, 'POST', `${run}/items/2.1/concerns`, { text: 'load test missing' });
  assert.equal(raised.status, 201);
  assert.equal(raised.body['concernId'], 1);
  assert.equal(gateOf(raised.body).state, 'blocked');
  const finishing = await call(alice, 'POST', `${run}/finish`, {});
  assert.equal(finishing.status, 409);
  assert.match(String(finishing.body['error']), /Gates still open: 2\.1, 2\.2, 2\.3/);
  assert.equal((await call(dave, 'POST', `${run}/items/2.1/concerns/1/resolve`, {})).status, 403, 'only its raiser, the owner or an admin');
  assert.equal(gateOf((await call(carol, 'POST', `${run}/items/2.1/concerns/1/resolve`, { note: 'ran it' })).body).state, 'waiting');
  const passed = await call(carol, 'POST', `${run}/items/2.1/answer`, { answer: 'approve' });
  assert.deepEqual([gateOf(passed.body).state, gateOf(passed.body).approvals], ['passed', 2], 'two of three approvals pass the gate');

  // Items: several assignees, a due time, one added and removed.
  const assigned = await call(bob, 'POST', `${run}/items/1.1/assignees`, { usernames: [`@${alice.username}`, bob.username] });
  assert.deepEqual((assigned.body as unknown as RunBody).run.checklists[0]!.items[0]!.assignees, [alice.id, bob.id]);
  const due = Date.now() + 3_600_000;
  assert.equal((((await call(bob, 'POST', `${run}/items/1.1/due`, { due })).body as unknown as RunBody).run.checklists[0]!.items[0]!.due), due);
  const added = await call(bob, 'POST', `${run}/items`, { checklist: 3, title: 'Post in #releases' });
  assert.equal(added.status, 201);
  assert.equal((await call(bob, 'DELETE', `${run}/items/${String(added.body['ref'])}`)).status, 200);

  // A team admin (here the system admin) finishes over the two open gates, on the record.
  assert.deepEqual(await call(alice, 'POST', `${run}/finish`, { override: 'mail sign-off' }), { status: 403, body: { error: 'Only team admins and system admins can override open gates.' } });
  const finished = await call(rig.admin, 'POST', `${run}/finish`, { override: 'security signed off by mail' });
  assert.equal(finished.status, 200, JSON.stringify(finished.body));
  assert.equal((finished.body as unknown as RunBody).run.finishOverride, 'security signed off by mail');

  // The retrospective: written by a participant, reminded until the owner publishes it.
  const written = await call(bob, 'PATCH', `${run}/retro`, { section: 1, text: 'Shipped on time' });
  assert.equal(written.status, 200, JSON.stringify(written.body));
  const retro = written.body['retro'] as { reminded: boolean; sections: Array<{ text: string }> };
  assert.equal(retro.sections[0]!.text, 'Shipped on time');
  assert.equal(retro.reminded, true);
  assert.equal((await call(bob, 'POST', `${run}/retro/publish`, {})).status, 403);
  const published = await call(alice, 'POST', `${run}/retro/publish`, {});
  assert.equal((published.body['retro'] as { publishedAt: number | null }).publishedAt !== null, true);
  const posts = await alice.client.getPosts(channel.id, 0, 5);
  assert.ok(Object.values(posts.posts).some((p) => /#### Retrospective: RUN-\d+/.test(p.message)), 'published in the run channel');

  const stats = await call(carol, 'GET', '/run-stats');
  assert.equal(stats.status, 200);
  const release = (stats.body['items'] as Array<{ template: string; finished: number }>).find((s) => s.template === 'Product release');
  assert.ok(release && release.finished >= 1, JSON.stringify(stats.body));
  assert.match(await say(dave, channel.id, '/run timeline'), /@carol resolved concern #1 on 2\.1[\s\S]*finished the run overriding open gates: security signed off by mail/);
});
