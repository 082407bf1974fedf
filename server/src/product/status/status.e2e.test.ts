// The status page on a real Mattermost server (issue 11 §3): a plain browser GET with only the
// MMAUTHTOKEN session cookie (no token header, no CSRF header) reaches the plugin as the logged-in
// user; a member sees the page, a private incident only if they are in its channel, someone
// outside the team gets 404, and no session gets 401. The public page needs only its secret link.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectRig, createUser, type Rig, type RigUser } from '../../../../e2e/rig';

const rig: Rig = connectRig();
const [alice, bob, , dave] = rig.users as [RigUser, RigUser, RigUser, RigUser];
const tag = Date.now().toString(36);
const componentName = `Vault ${tag}`;
const slug = `vault-${tag}`;
const pageUrl = `${rig.url}/plugins/${rig.pluginId}/status/${rig.team.name}`;
let stranger: RigUser;

const text = async (user: RigUser, command: string, channelId = rig.channelId): Promise<string> => (await rig.runCommand(user, channelId, command)).text ?? '';

/** What a browser sends for a link click: the session cookie, nothing else. */
async function browse(user: RigUser | null, url = pageUrl): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(url, { headers: user ? { Cookie: `MMAUTHTOKEN=${user.token}`, Accept: 'text/html' } : { Accept: 'text/html' }, redirect: 'manual' });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

before(async () => {
  stranger = await createUser(rig.url, `stranger-${tag}`, { admin: rig.admin });
});

after(async () => {
  await text(rig.admin, `/infra components remove ${slug}`);
  rig.close();
});

test('the status page for a logged-in member by session cookie; private incidents only for their channel; 404 outside the team; 401 without a session', async () => {
  assert.match(await text(alice, `/infra components add ${componentName}`), /Only team admins and system admins can define components/);
  assert.match(await text(rig.admin, `/infra components add ${componentName} --description e2e`), new RegExp(`Component \`${slug}\``));
  assert.match(await text(rig.admin, `/infra maintenance add ${slug} 2030-01-01T22:00Z 2030-01-02T01:00Z Seal rotation ${tag}`), /Maintenance #\d+/);
  const declared = await text(alice, `/incident declare sev1 Sealed vault ${tag} --private`);
  const channelName = /~([a-z0-9_-]+)/.exec(declared)?.[1];
  assert.ok(channelName, declared);
  const channel = await rig.admin.client.getChannelByName(rig.team.id, channelName, false);
  await rig.admin.client.addToChannel(bob.id, channel.id);
  assert.match(await text(alice, `/incident component ${slug}`, channel.id), new RegExp(`affects \`${slug}\``));

  const forBob = await browse(bob);
  assert.equal(forBob.status, 200, forBob.html.slice(0, 300));
  assert.match(forBob.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(forBob.headers.get('content-security-policy') ?? '', /^default-src 'none'; style-src 'sha256-/);
  assert.match(forBob.html, /^<!doctype html>/);
  assert.ok(forBob.html.includes(`Sealed vault ${tag}`), 'a channel member sees the private incident');
  assert.match(forBob.html, new RegExp(`data-component="${slug}"><div class="row"><span class="name">${componentName}</span><span class="state"><span class="dot" data-state="major_outage"`));
  assert.ok(forBob.html.includes(`Seal rotation ${tag}`));

  const forDave = await browse(dave);
  assert.equal(forDave.status, 200);
  assert.ok(!forDave.html.includes(`Sealed vault ${tag}`), 'not in the channel: not shown');
  assert.match(forDave.html, new RegExp(`data-component="${slug}"><div class="row"><span class="name">${componentName}</span><span class="state"><span class="dot" data-state="operational"`));

  const outside = await browse(stranger);
  assert.equal(outside.status, 404);
  assert.ok(outside.html.includes('No such status page.') && !outside.html.includes(tag));
  assert.equal((await browse(bob, `${rig.url}/plugins/${rig.pluginId}/status/no-such-team-${tag}`)).status, 404);
  const anonymous = await browse(null);
  assert.equal(anonymous.status, 401);
  assert.ok(!anonymous.html.includes(tag));

  // The public page: no session at all, only the secret link; customer-facing text only.
  const created = await text(rig.admin, '/infra statuslink create');
  const publicPath = /(\/plugins\/[a-z-]+\/status\/public\/[\w-]{32})/.exec(created)?.[1];
  assert.ok(publicPath, created);
  assert.match(await text(alice, `/incident public Some secrets cannot be read ${tag}`, channel.id), /is on the public status page/);
  const open = await browse(null, `${rig.url}${publicPath}`);
  assert.equal(open.status, 200);
  assert.ok(open.html.includes(`Some secrets cannot be read ${tag}`));
  assert.ok(!open.html.includes(`Sealed vault ${tag}`) && !open.html.includes(`Seal rotation ${tag}`), 'no title, no maintenance note');
  assert.match(await text(rig.admin, '/infra statuslink revoke'), /revoked/);
  assert.equal((await browse(null, `${rig.url}${publicPath}`)).status, 404);
  await text(alice, `/incident resolve Unsealed ${tag}`, channel.id);
});
