import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemoryWorld } from '../../plugin/testing/memory_api';
import { TEMPLATE_DOCUMENT_MAX } from '../contract/runs';
import { teamFixture } from '../pick/test_fixture';
import { sourceOf } from './template_import_command';

const PLAYBOOK = readFileSync(join(__dirname, 'fixtures', 'playbook_release_v1.json'), 'utf8');
const enc = new TextEncoder();
const MIN = 60_000;

test('sourceOf: our format names itself; anything else is read as a Playbooks export', () => {
  assert.equal(sourceOf('{"format": "infra-ops.template", "version": 1}'), 'infra-ops');
  assert.equal(sourceOf(PLAYBOOK), 'playbooks');
  assert.equal(sourceOf('not json'), 'playbooks');
});

test('/infra template import takes the JSON file the caller attached here lately, lists what was not carried over, and says what to do when there is none', async () => {
  // The world's clock is the product's, so uploads are "just now" for it.
  let clock = (): number => Date.now();
  const world = new MemoryWorld(() => clock());
  const f = await teamFixture({}, world);
  clock = () => f.h.clock;
  const noFile = /No template file found\. Attach the exported `\.json` file .* within 10 minutes/;
  assert.match(await f.cmd(f.admin, '/infra template import'), noFile);
  assert.match(await f.cmd(f.alice, '/infra template import'), /Only team admins and system admins can change the team's templates/);

  world.addChannelMember(f.town.Id, f.admin.Id);
  f.h.clock += 1000;
  world.attachFile(f.town.Id, f.admin.Id, 'playbook.json', enc.encode(PLAYBOOK), 'our release playbook');
  // Newer, but not candidates: another person's file, a non-JSON file, a file in another channel.
  f.h.clock += 1000;
  world.attachFile(f.town.Id, f.alice.Id, 'alice.json', enc.encode('{}'));
  f.h.clock += 1000;
  world.attachFile(f.town.Id, f.admin.Id, 'notes.txt', enc.encode('hello'));
  f.h.clock += 1000;
  world.attachFile(f.secret.Id, f.admin.Id, 'elsewhere.json', enc.encode('{}'));

  const answer = await f.cmd(f.admin, '/infra template import');
  assert.match(answer, /^Imported “Product release \(Playbooks\)” as version 1 from playbook\.json \(a Mattermost Playbooks export\)\./);
  assert.match(answer, /Carried over: .*; status updates every 1440 minutes \(the reminder timer\)/);
  assert.match(answer, /Not carried over:\n(- .*\n)*- metrics \(1: “Time to ship”\)/);
  assert.match(await f.cmd(f.alice, '/run templates'), /Product release \(Playbooks\) \(release, v1\): 7 items/);

  // A malformed newer file: refused naming the field; nothing saved.
  f.h.clock += 1000;
  world.attachFile(f.town.Id, f.admin.Id, 'broken.JSON', enc.encode(PLAYBOOK.replace('"version": 1', '"version": 2')));
  assert.match(await f.cmd(f.admin, '/infra template import'), /The template was not imported: version: must be 1/);
  assert.match(await f.cmd(f.alice, '/run templates'), /Product release \(Playbooks\) \(release, v1\)/);

  // A deleted post's file is not taken; the one before it is (a new version).
  const newest = [...world.posts.values()].at(-1)!;
  newest.DeleteAt = world.now();
  assert.match(await f.cmd(f.admin, '/infra template import'), /as version 2 from playbook\.json/);

  f.h.clock += 1000;
  world.attachFile(f.town.Id, f.admin.Id, 'huge.json', new Uint8Array(TEMPLATE_DOCUMENT_MAX + 1).fill(32));
  assert.match(await f.cmd(f.admin, '/infra template import'), /huge\.json is 513 KiB; a template file is at most 512 KiB/);
  f.h.clock += 1000;
  world.attachFile(f.town.Id, f.admin.Id, 'latin1.json', new Uint8Array([0x7b, 0xe9, 0x7d]));
  assert.match(await f.cmd(f.admin, '/infra template import'), /latin1\.json is not UTF-8 text/);

  // Older than the window: gone from view.
  f.h.clock += 11 * MIN;
  assert.match(await f.cmd(f.admin, '/infra template import'), noFile);

  // JSON typed after the command: our own format, recognised by its "format".
  const exported = await f.cmd(f.admin, '/run template export Plugin release');
  const json = /```json\n([\s\S]*)\n```$/.exec(exported)![1]!;
  assert.match(await f.cmd(f.admin, `/infra template import ${json}`), /Imported “Plugin release” as version 2 \(an Infra Ops template\)\.\nCarried over: .*\nEverything was carried over\./);
  f.h.close();
});
