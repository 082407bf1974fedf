// The rig proving itself with a test-only Go plugin (e2e/rig/fixture): upload as an admin,
// slash commands, the plugin HTTP route, websocket events, disable/enable, removal. Independent
// of the Infra Ops bundle, so a broken rig and a broken product are told apart.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ClientError } from '@mattermost/client';
import { buildFixtureBundle } from './fixture';
import { PluginState, uploadBundle, waitForPluginState } from './plugins';
import { connectRig } from './rig';

const rig = connectRig();
const FIXTURE = 'infra-ops-rig-fixture';
const [alice, bob] = rig.users;

before(async () => {
  const bundle = await buildFixtureBundle(FIXTURE, '0.0.1');
  const manifest = await uploadBundle(rig.admin, bundle, true);
  assert.equal(manifest.id, FIXTURE);
  await rig.admin.client.enablePlugin(FIXTURE);
  await waitForPluginState(rig.admin, FIXTURE, PluginState.Running);
});

after(async () => {
  await rig.admin.client.removePlugin(FIXTURE).catch(() => undefined);
  rig.close();
});

test('the rig created the admin, the team and users who can log in', async () => {
  assert.ok(alice && bob);
  const me = await alice.client.getMe();
  assert.equal(me.username, alice.username);
  const adminMe = await rig.admin.client.getMe();
  assert.match(adminMe.roles, /system_admin/);
  const members = await rig.admin.client.getChannelMembers(rig.channelId);
  for (const user of rig.users) assert.ok(members.some((m) => m.user_id === user.id), `${user.username} in town-square`);
});

test('the installed Infra Ops bundle is reported running', async () => {
  const status = await rig.pluginStatus();
  assert.equal(status?.state, PluginState.Running, JSON.stringify(status));
});

test('a slash command reaches a plugin and its ephemeral answer comes back', async () => {
  const response = await rig.runCommand(alice!, rig.channelId, `/${FIXTURE}`);
  assert.equal(response.text, `rig fixture ${FIXTURE}`);
});

test('plugin websocket events reach the user they are meant for', async () => {
  const aliceEvents = await rig.listen(alice!);
  const bobEvents = await rig.listen(bob!);
  await rig.runCommand(alice!, rig.channelId, `/${FIXTURE} set colour blue`);
  const event = await aliceEvents.waitFor(`custom_${FIXTURE}_stored`, (e) => e.data.key === 'colour');
  assert.equal(event.broadcast.user_id, alice!.id);
  await assert.rejects(bobEvents.waitFor(`custom_${FIXTURE}_stored`, () => true, 1000), /no websocket event/);
});

test('the plugin HTTP route sees the caller Mattermost authenticated', async () => {
  const res = await fetch(`${rig.url}/plugins/${FIXTURE}/hello`, { headers: { Authorization: `Bearer ${bob!.token}` } });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { path: '/hello', user: bob!.id });
  const anonymous = await fetch(`${rig.url}/plugins/${FIXTURE}/hello`);
  assert.deepEqual(await anonymous.json(), { path: '/hello', user: '' });
});

test('disable makes the command unknown; enable brings it back with its KV data', async () => {
  await rig.runCommand(alice!, rig.channelId, `/${FIXTURE} set keep me`);
  await rig.admin.client.disablePlugin(FIXTURE);
  await waitForPluginState(rig.admin, FIXTURE, PluginState.NotRunning);
  const refused = await rig.runCommand(alice!, rig.channelId, `/${FIXTURE} get keep`).then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.ok(refused instanceof ClientError, 'a disabled plugin command is refused');
  assert.equal(refused.status_code, 404);
  await rig.admin.client.enablePlugin(FIXTURE);
  await waitForPluginState(rig.admin, FIXTURE, PluginState.Running);
  assert.equal((await rig.runCommand(alice!, rig.channelId, `/${FIXTURE} get keep`)).text, 'keep=me');
});
