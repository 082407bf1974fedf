// Issue 10 on a real Mattermost: an item's slash command run as the acting user through the plugin
// API's ExecuteSlashCommand (success and failure on the timeline, a reader refused); a Playbooks
// export attached to a post through the REST API and imported with `/infra template import`; and a
// per-template webhook that a local receiver hears from only for runs of its template.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connectRig, waitFor, type Rig, type RigUser } from '../../../../e2e/rig';
import { webhookPayload } from '../contract/webhooks';

const rig: Rig = connectRig();
const [alice, bob, carol, dave] = rig.users as [RigUser, RigUser, RigUser, RigUser];
const tag = Date.now().toString(36);
const templates = `/api/v1/teams/${rig.team.id}/templates`;
const PLAYBOOK = readFileSync(join(__dirname, 'fixtures', 'playbook_release_v1.json'), 'utf8');

const received: string[] = [];
let server: Server;
let hookUrl = '';

async function say(user: RigUser, channelId: string, text: string): Promise<string> {
  const reply = await rig.runCommand(user, channelId, text);
  assert.equal(reply.response_type, 'ephemeral', `${text} → ${reply.text}`);
  return reply.text ?? '';
}

const post = (user: RigUser, path: string, body?: unknown): Promise<Response> =>
  rig.pluginFetch(user, path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** A file uploaded through Mattermost's REST API and posted in the channel, as a person attaches one. */
async function attach(user: RigUser, channelId: string, name: string, content: string): Promise<void> {
  const form = new FormData();
  form.append('channel_id', channelId);
  form.append('files', new Blob([content], { type: 'application/json' }), name);
  const uploaded = await fetch(`${rig.url}/api/v4/files`, { method: 'POST', headers: { Authorization: `Bearer ${user.token}` }, body: form });
  assert.equal(uploaded.status, 201, await uploaded.clone().text());
  const { file_infos: infos } = (await uploaded.json()) as { file_infos: Array<{ id: string }> };
  await user.client.createPost({ channel_id: channelId, message: `the export ${tag}`, file_ids: infos.map((i) => i.id) });
}

/** A template of our format made from Product release: commands on 1.1 and 1.2, a public channel. */
async function execTemplate(name: string): Promise<void> {
  const exported = await rig.pluginFetch(rig.admin, `${templates}/product-release`);
  const doc = (await exported.json()) as { template: { checklists: Array<{ items: Array<Record<string, unknown>> }>; channel: Record<string, unknown> } & Record<string, unknown> };
  const [first, ...rest] = doc.template.checklists;
  const items = first!.items.map((it, i) => ({ ...it, command: i === 0 ? `/shrug deployed ${tag}` : i === 1 ? `/nosuch-${tag} --env staging` : null }));
  const template = { ...doc.template, name, checklists: [{ ...first!, items }, ...rest], channel: { ...doc.template.channel, private: false } };
  const imported = await post(rig.admin, `${templates}/import`, { source: 'infra-ops', document: JSON.stringify({ ...doc, template }) });
  assert.equal(imported.status, 201, await imported.text());
}

async function startRelease(user: RigUser, name: string, template: string): Promise<{ number: number; channelId: string }> {
  const home = await rig.admin.client.getChannelByName(rig.team.id, 'town-square', false);
  await rig.admin.client.addToChannel(user.id, home.id).catch(() => undefined);
  const started = await say(user, home.id, `/release start ${name} --template ${template}`);
  const m = /Started RUN-(\d+) “[^”]+” in ~(\S+)/.exec(started);
  assert.ok(m, started);
  const channel = await rig.admin.client.getChannelByName(rig.team.id, m[2]!, false);
  return { number: Number(m[1]), channelId: channel.id };
}

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/exec/${tag}`;
});

after(async () => {
  const list = (await rig.runCommand(rig.admin, rig.channelId, '/infra webhooks list')).text ?? '';
  for (const [, id] of list.matchAll(/`(wh[a-z0-9]{16})` http:\/\/127\.0\.0\.1:\d+\/exec\//g)) await rig.runCommand(rig.admin, rig.channelId, `/infra webhooks remove ${id}`);
  server.close();
  rig.close();
});

test("/run exec: the item's command runs as the acting user in the run channel; success and failure on the timeline; a reader is refused", async () => {
  await execTemplate(`Exec drill ${tag}`);
  const { number, channelId } = await startRelease(alice, `exec-${tag}`, `Exec drill ${tag}`);
  for (const u of [bob, carol]) await alice.client.addToChannel(u.id, channelId);

  assert.match(await say(bob, channelId, '/run exec 1.1'), new RegExp(`^1\\.1: ran \`/shrug deployed ${tag}\` \\(on the timeline\\)\\.$`));
  // Mattermost ran /shrug as bob: its answer is bob's post in the run channel, not the bot's.
  const posts = Object.values((await alice.client.getPosts(channelId)).posts);
  assert.ok(posts.some((p) => p.user_id === bob.id && p.message.includes(`deployed ${tag}`) && p.message.includes('(ツ)')), `the command ran as bob: ${JSON.stringify(posts.map((p) => [p.user_id === bob.id ? 'bob' : p.user_id, p.message.slice(0, 80)]))}`);

  const failed = await say(carol, channelId, '/run exec 1.2');
  assert.match(failed, new RegExp(`^1\\.2: \`/nosuch-${tag} --env staging\` failed: .+ \\(recorded on the timeline\\)\\.$`));
  const timeline = await say(alice, channelId, '/run timeline');
  assert.match(timeline, new RegExp(`@bob ran 1\\.1's command \`/shrug deployed ${tag}\``));
  assert.match(timeline, new RegExp(`@carol ran 1\\.2's command \`/nosuch-${tag} --env staging\` — it failed: .*nosuch-${tag}`, 'i'));

  // dave reads the open channel (a team member) but is not in it, so may not post there: refused, nothing runs.
  const url = `/api/v1/teams/${rig.team.id}/runs/${number}/items/1.1/exec`;
  const refused = await post(dave, url);
  assert.equal(refused.status, 403, await refused.clone().text());
  assert.match(((await refused.json()) as { error: string }).error, /post/i);
  const viaHttp = await post(carol, url);
  assert.equal(viaHttp.status, 200);
  assert.equal(((await viaHttp.json()) as { ok: boolean }).ok, true);
  const shrugs = Object.values((await alice.client.getPosts(channelId)).posts).filter((p) => p.message.includes(`deployed ${tag}`));
  assert.deepEqual(shrugs.map((p) => p.user_id).sort(), [bob.id, carol.id].sort(), "bob's and carol's runs only; dave's never ran");

  // The card's Run button, through Mattermost's own post-action API with bob's session.
  const card = Object.values((await alice.client.getPinnedPosts(channelId)).posts)[0]!;
  const run = ((card.props?.['attachments'] as Array<{ actions: Array<{ id: string; name: string }> }> | undefined) ?? []).flatMap((a) => a.actions).find((a) => a.name === '▶ Run 1.1');
  assert.ok(run, 'the card has a Run button');
  await bob.client.doPostAction(card.id, run.id);
  await waitFor('the Run click on the timeline', async () => (/(?:@bob ran 1\.1's command[\s\S]*){2}/.test(await say(alice, channelId, '/run timeline')) ? true : undefined), { timeoutMs: 10_000 });
});

test('/infra template import: a Playbooks export attached through the REST API is imported, with what was not carried over', async () => {
  await rig.admin.client.updateTeamMemberSchemeRoles(rig.team.id, bob.id, true, true);
  const channel = await rig.admin.client.createChannel({ team_id: rig.team.id, name: `import-${tag}`, display_name: `Import ${tag}`, type: 'O' });
  for (const u of [alice, bob]) await rig.admin.client.addToChannel(u.id, channel.id);

  assert.match(await say(bob, channel.id, '/infra template import'), /No template file found\. Attach the exported `\.json` file/);
  await attach(bob, channel.id, 'product-release.json', PLAYBOOK);
  assert.match(await say(alice, channel.id, '/infra template import'), /Only team admins and system admins can change the team's templates/);
  const answer = await say(bob, channel.id, '/infra template import');
  assert.match(answer, /^Imported “Product release \(Playbooks\)” as version \d+ from product-release\.json \(a Mattermost Playbooks export\)\./);
  assert.match(answer, /Carried over: .*status updates every 1440 minutes \(the reminder timer\)/);
  assert.match(answer, /Not carried over:\n(- .*\n)*- metrics \(1: “Time to ship”\)/);

  await attach(bob, channel.id, 'broken.json', PLAYBOOK.replace('"version": 1', '"version": 2'));
  assert.match(await say(bob, channel.id, '/infra template import'), /The template was not imported: version: must be 1/);
  // alice attached nothing herself: bob's file is not hers to import.
  await rig.admin.client.updateTeamMemberSchemeRoles(rig.team.id, alice.id, true, true);
  assert.match(await say(alice, channel.id, '/infra template import'), /No template file found/);
  await rig.admin.client.updateTeamMemberSchemeRoles(rig.team.id, alice.id, true, false);
});

test('a per-template webhook hears of runs of its template only', async () => {
  const name = `Hooked ${tag}`;
  await execTemplate(name);
  const added = (await rig.runCommand(rig.admin, rig.channelId, `/infra webhooks add ${hookUrl} --events started,finished --template ${name}`)).text ?? '';
  assert.match(added, /run\.started, run\.finished of template hooked-/, added);

  const other = await startRelease(alice, `plain-${tag}`, 'Product release');
  const hooked = await startRelease(alice, `hooked-${tag}`, name);
  assert.match(await say(alice, hooked.channelId, '/run finish'), /Gates still open/);
  await waitFor('the run.started delivery', async () => (received.length >= 1 ? true : undefined), { timeoutMs: 15_000 });
  const events = received.map((b) => webhookPayload.parse(JSON.parse(b)));
  assert.deepEqual(events.map((e) => ('run' in e ? [e.type, e.run.number, e.run.template.name, e.run.name] : [e.type])), [['run.started', hooked.number, name, `hooked-${tag}`]]);
  assert.ok(!events.some((e) => 'run' in e && e.run.number === other.number), 'the Product release run is not delivered there');
});
