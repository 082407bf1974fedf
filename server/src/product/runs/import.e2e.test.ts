// A Mattermost Playbooks export imported on a real server: refused for a team member who is not a
// team admin, imported by a team admin over HTTP (what was and was not carried over in the answer),
// exported back as our JSON, and a release started from it runs its checklist.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connectRig, type Rig, type RigUser } from '../../../../e2e/rig';

const rig: Rig = connectRig();
const [alice, bob] = rig.users as [RigUser, RigUser];
const tag = Date.now().toString(36);
const templates = `/api/v1/teams/${rig.team.id}/templates`;
const PLAYBOOK = readFileSync(join(__dirname, 'fixtures', 'playbook_release_v1.json'), 'utf8');

async function say(user: RigUser, channelId: string, text: string): Promise<string> {
  const reply = await rig.runCommand(user, channelId, text);
  assert.equal(reply.response_type, 'ephemeral', `${text} → ${reply.text}`);
  return reply.text ?? '';
}

const post = (user: RigUser, path: string, body: unknown): Promise<Response> =>
  rig.pluginFetch(user, path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

after(() => rig.close());

test('a Playbooks export: refused for a member, imported by a team admin, exported back, and a release runs from it', async () => {
  const refused = await post(alice, `${templates}/import`, { source: 'playbooks', document: PLAYBOOK });
  assert.equal(refused.status, 403, 'alice is not a team admin');
  assert.match(((await refused.json()) as { error: string }).error, /team admin/i);

  await rig.admin.client.updateTeamMemberSchemeRoles(rig.team.id, bob.id, true, true);
  const imported = await post(bob, `${templates}/import`, { source: 'playbooks', document: PLAYBOOK });
  const answer = (await imported.json()) as { template: { slug: string; name: string; version: number; items: number }; carriedOver: string[]; notCarried: string[] };
  assert.equal(imported.status, 201, JSON.stringify(answer));
  assert.equal(answer.template.slug, 'product-release-playbooks');
  assert.equal(answer.template.items, 7);
  assert.ok(answer.carriedOver.includes('status updates every 1440 minutes (the reminder timer)'), answer.carriedOver.join('\n'));
  assert.ok(answer.notCarried.includes('metrics (1: “Time to ship”)'), answer.notCarried.join('\n'));

  const malformed = await post(bob, `${templates}/import`, { source: 'playbooks', document: PLAYBOOK.replace('"version": 1', '"version": 2') });
  assert.equal(malformed.status, 400);
  assert.match(((await malformed.json()) as { error: string }).error, /version: must be 1/);

  const exported = await rig.pluginFetch(bob, `${templates}/product-release-playbooks`);
  assert.equal(exported.status, 200);
  const doc = (await exported.json()) as { format: string; template: { checklists: Array<{ items: Array<{ title: string; dueMinutes: number | null; command: string | null }> }> } };
  assert.equal(doc.format, 'infra-ops.template');
  assert.deepEqual(doc.template.checklists[0]!.items.map((i) => i.dueMinutes), [60, 1440, null]);
  assert.equal((await rig.pluginFetch(alice, `${templates}/product-release-playbooks`)).status, 403);

  const home = await rig.admin.client.getChannelByName(rig.team.id, 'town-square', false);
  await rig.admin.client.addToChannel(alice.id, home.id).catch(() => undefined);
  const started = await say(alice, home.id, `/release start ${tag} --template Product release (Playbooks)`);
  const m = /Started RUN-\d+ “[^”]+” in ~(\S+) from the template “Product release \(Playbooks\)” \(version (\d+)\)/.exec(started);
  assert.ok(m, started);
  const channel = await rig.admin.client.getChannelByName(rig.team.id, m[1]!, false);
  assert.equal(channel.type, 'P', "Playbooks' export does not say; runs of an imported playbook get private channels");
  const checklist = await say(alice, channel.id, '/run checklist');
  assert.match(checklist, /1\.1 Cut the release branch/);
  assert.match(checklist, /3\.1 Deploy the canary/);
  assert.match(await say(alice, channel.id, '/run check 1.1'), /1\.1: checked/);
});
