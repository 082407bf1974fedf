import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProductHarness } from '../testing/product_harness';

test('/infra shows the version and the health route answers without a user', async () => {
  const h = await new ProductHarness().activate();
  const team = h.world.addTeam('ops');
  const alice = h.world.addUser('alice');
  const channel = h.world.addChannel(team.Id, 'town-square');

  const reply = await h.command(alice, channel.Id, '/infra version');
  assert.match(reply.Text ?? '', /^Infra Ops \d+\.\d+\.\d+/);
  const help = await h.command(alice, channel.Id, '/infra');
  assert.match(help.Text ?? '', /\/infra version/);
  const bad = await h.command(alice, channel.Id, '/infra nope');
  assert.match(bad.Text ?? '', /Unknown subcommand "nope"/);

  const health = await h.http('GET', '/api/v1/health', null);
  assert.equal(health.status, 200);
  assert.deepEqual((health.body as { status: string }).status, 'ok');
  assert.ok(h.world.commands.has('infra'));
  h.close();
});

test('routes other than health need a logged-in user; unknown routes are 404 JSON', async () => {
  const h = await new ProductHarness().activate();
  const missing = await h.http('GET', '/api/v1/nothing-here', null);
  assert.equal(missing.status, 401);
  const alice = h.world.addUser('alice');
  const unknown = await h.http('GET', '/api/v1/nothing-here', alice);
  assert.equal(unknown.status, 404);
  assert.deepEqual(unknown.body, { error: 'Not found.' });
  h.close();
});
