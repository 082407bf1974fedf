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

test('/infra help lists every command; /infra owe gathers what the caller owes from every feature', async () => {
  const { teamFixture } = await import('../pick/test_fixture');
  const f = await teamFixture();
  const help = await f.cmd(f.alice, '/infra help');
  for (const line of ['/pick score <id> payoff=<1-10> cost=<1-10>', '/rfc review <n> @reviewer… [--days N]', '/guild agenda <name>', '/infra owe']) {
    assert.ok(help.includes(line), line);
  }
  assert.match(help, /\*\*\/incident\*\*/);
  assert.match(await f.cmd(f.dave, '/infra owe'), /You owe nothing right now/);

  await f.cmd(f.alice, '/pick add Cache builds');
  await f.cmd(f.alice, '/pick add Private thing', f.secret);
  await f.cmd(f.alice, '/rfc new Retire the VPN');
  await f.cmd(f.alice, '/rfc review 1 @bob');
  await f.cmd(f.carol, '/rfc concern 1 What about contractors?');
  await f.cmd(f.bob, '/guild queue infrastructure Talk about VPN');
  const bob = await f.cmd(f.bob, '/infra owe');
  assert.match(bob, /\*\*PICK ideas\*\*\n- Score IDEA-001 “Cache builds”: `\/pick score 1 payoff=<1-10> cost=<1-10>`\n- Score IDEA-002 “Private thing”/);
  assert.match(bob, /\*\*RFCs\*\*\n- Review RFC-001 “Retire the VPN” \(comment period ends in 7 days\)/);
  assert.match(bob, /\*\*Guild agendas\*\*\n- Your agenda item Q1 for Infrastructure Guild: Talk about VPN/);
  const alice = await f.cmd(f.alice, '/infra owe');
  assert.match(alice, /Answer 1 open concern on RFC-001/);
  const carol = await f.cmd(f.carol, '/infra owe');
  assert.match(carol, /Your concern #1 on RFC-001 “Retire the VPN” is open/);
  assert.doesNotMatch(carol, /Private thing/, 'only ideas the user is asked to score');
  await f.cmd(f.bob, '/pick score 1 payoff=5 cost=5');
  assert.doesNotMatch(await f.cmd(f.bob, '/infra owe'), /IDEA-001/);

  const http = await f.h.http('GET', `/api/v1/teams/${f.team.Id}/owe`, f.bob);
  assert.equal(http.status, 200);
  assert.deepEqual((http.body as { sections: Array<{ feature: string }> }).sections.map((s) => s.feature), ['pick', 'rfc', 'guilds']);
  assert.equal((await f.h.http('GET', '/api/v1/teams/not-an-id/owe', f.bob)).status, 400);
  f.h.close();
});

test('/infra owe answers only for a team the caller belongs to', async () => {
  const { teamFixture } = await import('../pick/test_fixture');
  const f = await teamFixture();
  const other = f.h.world.addTeam('elsewhere');
  assert.equal((await f.h.http('GET', `/api/v1/teams/${other.Id}/owe`, f.bob)).status, 404);
  assert.equal((await f.h.http('GET', `/api/v1/teams/${f.team.Id}/owe`, f.outsider)).status, 404);
  const guest = f.h.world.addUser('guest', { Roles: 'system_guest' });
  f.h.world.addTeamMember(f.team.Id, guest.Id, 'team_guest');
  assert.equal((await f.h.http('GET', `/api/v1/teams/${f.team.Id}/owe`, guest)).status, 200, 'a guest reads their own lines');
  f.h.close();
});

test('/infra doctor is for system admins and lists unreadable records', async () => {
  const { teamFixture } = await import('../pick/test_fixture');
  const f = await teamFixture();
  assert.match(await f.cmd(f.bob, '/infra doctor'), /Only system admins can list unreadable records/);
  assert.match(await f.cmd(f.admin, '/infra doctor'), /healthy/);
  await f.cmd(f.alice, '/pick add One idea');
  const [key] = (await f.h.api.kvList(0, 1_000)).filter((k) => /^pick:i:/.test(k));
  assert.ok(key, 'the idea is stored');
  await f.h.api.kvSet(key, Buffer.from('{"v":1,"broken'));
  assert.doesNotMatch(await f.cmd(f.alice, '/pick list'), /went wrong/, 'the list shows its summary');
  await f.cmd(f.alice, '/pick show 1'); // opening the idea reads the record itself
  const doctor = await f.cmd(f.admin, '/infra doctor');
  assert.match(doctor, /1 stored record could not be read/);
  assert.ok(doctor.includes(`\`${key}\``), doctor);
  f.h.close();
});
