// Incidents on a real Mattermost server, as users live them: declare by command and by dialog,
// the channel, its members, the pinned card and the feed post; role handoff; status update;
// resolve; metrics; privacy; malformed input. Checked through Mattermost's own API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Post } from '@mattermost/types/posts';
import { connectRig, waitFor, type Rig, type RigUser } from '../../../../e2e/rig';

const rig: Rig = connectRig();
const [alice, bob, carol, dave] = rig.users as [RigUser, RigUser, RigUser, RigUser];
const tag = Date.now().toString(36);
const feedName = `incidents-${tag}`;
const incidents = `/api/v1/teams/${rig.team.id}/incidents`;
let feedId = '';

async function text(user: RigUser, channelId: string, command: string): Promise<string> {
  return (await rig.runCommand(user, channelId, command)).text ?? '';
}

async function channelFrom(reply: string): Promise<{ id: string; name: string; type: string }> {
  const name = /~([a-z0-9_-]+)/.exec(reply)?.[1];
  assert.ok(name, `no channel in reply: ${reply}`);
  return rig.admin.client.getChannelByName(rig.team.id, name, false);
}

async function posts(channelId: string): Promise<Post[]> {
  const list = await rig.admin.client.getPosts(channelId, 0, 200);
  return list.order.map((id) => list.posts[id]!).reverse();
}

before(async () => {
  const feed = await rig.admin.client.createChannel({ team_id: rig.team.id, name: feedName, display_name: `Incidents ${tag}`, type: 'O' });
  feedId = feed.id;
  for (const u of rig.users) await rig.admin.client.addToChannel(u.id, feedId);
  const config = await rig.admin.client.getConfig();
  const current = (config.PluginSettings.Plugins[rig.pluginId] ?? {}) as Record<string, unknown>;
  await rig.admin.client.patchConfig({
    PluginSettings: {
      Plugins: {
        [rig.pluginId]: { ...current, incidentfeedchannel: feedName, incidentresponderssev2: `@${carol.username}`, incidentprivatebydefault: true },
      },
    },
  });
});

after(() => rig.close());

describe('incidents on a real server', () => {
  let channel: { id: string; name: string; type: string };
  let incidentNumber = 0;

  test('declare by command: private channel, members, pinned card, feed announcement', async () => {
    const events = await rig.listen(alice);
    const reply = await text(alice, rig.channelId, `/incident declare sev2 DB latency ${tag}`);
    assert.match(reply, /^Declared \*\*INC-\d+\*\* — SEV2 \(Major\), private: ~inc-\d+-db-latency-/);
    channel = await channelFrom(reply);
    assert.equal(channel.type, 'P');
    const members = (await rig.admin.client.getChannelMembers(channel.id)).map((m) => m.user_id);
    for (const u of [alice, carol]) assert.ok(members.includes(u.id), `${u.username} is a member`);
    assert.ok(!members.includes(dave.id));
    const pinned = await rig.admin.client.getPinnedPosts(channel.id);
    const card = Object.values(pinned.posts).find((p) => p.type === ('custom_infra_incident' as Post['type']));
    assert.ok(card, 'the card is pinned');
    assert.match(card.message, /\*\*Commander\*\* @alice/);
    const data = JSON.parse(String(card.props['infra_incident'])) as { id: string; number: number; reference: string };
    incidentNumber = data.number;
    const feed = await posts(feedId);
    assert.ok(feed.some((p) => p.message.includes(data.reference) && p.message.includes('private')), 'announced in the feed');
    assert.ok(!feed.some((p) => p.message.includes(`latency ${tag}`)), 'the private title stays out of the feed');
    const declared = await events.waitFor(`custom_${rig.pluginId}_incident_declared`);
    assert.equal(declared.broadcast.channel_id, channel.id);
  });

  test('declare through the dialog submission', async () => {
    const opened = await rig.listen(alice);
    assert.equal(await text(alice, rig.channelId, '/incident declare'), '');
    await opened.waitFor('open_dialog');
    const answer = await alice.client.submitInteractiveDialog({
      url: `/plugins/${rig.pluginId}/api/v1/incidents/dialog`,
      callback_id: 'incident-declare',
      state: JSON.stringify({ channelId: rig.channelId }),
      user_id: alice.id,
      channel_id: rig.channelId,
      team_id: rig.team.id,
      submission: { title: `Login failures ${tag}`, severity: '1', type: 'Security', summary: 'SSO', private: 'false', commander: bob.id, invite: `@${dave.username}` },
      cancelled: false,
    });
    assert.deepEqual(answer, {}, 'no field or form errors');
    const name = await waitFor('the incident declared by the dialog', async () => {
      const list = await rig.pluginFetch(alice, `${incidents}?state=active&per_page=50`);
      const body = (await list.json()) as { items: Array<{ title: string; channelName: string }> };
      return body.items.find((i) => i.title === `Login failures ${tag}`)?.channelName;
    });
    const created = await rig.admin.client.getChannelByName(rig.team.id, name, false);
    assert.equal(created.type, 'O');
    const members = (await rig.admin.client.getChannelMembers(created.id)).map((m) => m.user_id);
    for (const u of [alice, bob, dave]) assert.ok(members.includes(u.id));
  });

  test('role handoff sends the brief by DM; status update reaches followers by DM; resolve; metrics', async () => {
    const bobEvents = await rig.listen(bob);
    const carolEvents = await rig.listen(carol);
    assert.match(await text(alice, channel.id, `/incident role commander @${bob.username}`), /is now the commander/);
    const brief = await bobEvents.waitFor('posted', (e) => e.data['channel_type'] === 'D' && String(e.data['post']).includes('incident commander'));
    assert.ok(brief, 'the brief arrives in the DM channel with the bot');
    assert.match(await text(alice, channel.id, '/incident severity 1'), /Only the commander/);
    assert.match(await text(carol, channel.id, '/incident follow'), /You follow INC-\d+/);
    assert.match(await text(bob, channel.id, '/incident status Failover started'), /^Status update for INC-\d+ posted in ~inc-\d+-db-latency-/);
    // The update's post follows the answer (incidents/service.ts status): wait for it.
    await waitFor('the status update post', async () => ((await posts(channel.id)).some((p) => p.message.includes('Failover started')) ? true : undefined), { timeoutMs: 10_000, intervalMs: 100 });
    await carolEvents.waitFor('posted', (e) => e.data['channel_type'] === 'D' && String(e.data['post']).includes('Failover started'));
    await carolEvents.waitFor(`custom_${rig.pluginId}_incident_status_posted`);
    assert.match(await text(bob, channel.id, '/incident resolve Replica promoted'), /resolved/);
    const res = await rig.pluginFetch(alice, `${incidents}/${incidentNumber}`);
    const { incident: view } = (await res.json()) as { incident: { phase: string; mttrMinutes: number | null; roles: { commander: string } } };
    assert.equal(view.phase, 'resolved');
    assert.equal(view.roles.commander, bob.id);
    assert.notEqual(view.mttrMinutes, null);
    const { metrics } = (await (await rig.pluginFetch(alice, `${incidents}/metrics`)).json()) as { metrics: { resolved: number } };
    assert.ok(metrics.resolved >= 1);
  });

  test('a non-member gets 404 for a private incident; malformed input gets clear errors', async () => {
    assert.equal((await rig.pluginFetch(dave, `${incidents}/${incidentNumber}`)).status, 404);
    assert.equal((await rig.pluginFetch(dave, `${incidents}/${incidentNumber}/timeline`)).status, 404);
    const bad = await rig.pluginFetch(alice, incidents, { method: 'POST', body: JSON.stringify({}) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /title/);
    assert.match(await text(alice, rig.channelId, '/incident declare sev7 x'), /"sev7" is not a severity/);
    // A webapp-style JSON POST through the plugin HTTP bridge.
    const made = await rig.pluginFetch(alice, incidents, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: `Via HTTP ${tag}`, severity: 4, private: false }),
    });
    assert.equal(made.status, 201);
    const { incident } = (await made.json()) as { incident: { number: number; channelId: string; severity: number } };
    assert.equal(incident.severity, 4);
    const note = await rig.pluginFetch(alice, `${incidents}/${incident.number}/timeline`, { method: 'POST', body: JSON.stringify({ text: 'from the webapp' }) });
    assert.equal(note.status, 200);
    assert.ok((await posts(incident.channelId)).some((p) => p.message.includes('from the webapp')));
    assert.match(await text(alice, rig.channelId, '/incident status hello'), /not an incident channel/);
    assert.match(await text(bob, channel.id, '/incident milestone launched'), /"launched" is not a milestone/);
  });
});
