// The sidebar's run routes on the in-memory Mattermost: each answers with the contract's shape and
// refuses exactly as the `/run …` command with the same words (one service path).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as z from 'zod/mini';
import type { Channel } from '../../plugin/model/types';
import { runRoutes } from '../contract/runs';
import { teamFixture, type TeamFixture } from '../pick/test_fixture';

const H = 3_600_000;
/** A command's refusal without its "**Error:** " lead: what HTTP answers as `{error}`. */
const refusal = (reply: string): string => reply.replace(/^\*\*Error:\*\* /, '').split('\n')[0]!;

function channelNamed(f: TeamFixture, name: string): Channel {
  const found = [...f.world.channels.values()].find((c) => c.Name === name);
  assert.ok(found, `channel ${name} exists`);
  return found;
}

test('HTTP gate answers: a reader cannot answer, approvers can, a concern blocks until resolved, 2 of 3 passes; errors as the command words them', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/release start 7.0');
  const ch = channelNamed(f, 'release-7-0');
  for (const u of [f.bob, f.carol, f.dave]) f.world.addChannelMember(ch.Id, u.Id);
  const url = (rest: string) => `/api/v1/teams/${f.team.Id}/runs/1${rest}`;
  const gate = async (res: { status: number; body: unknown }) => {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return z.parse(runRoutes.answerGate.answer, res.body).run.checklists[1]!.items[0]!.gate!;
  };

  // Approvers named by the owner, over HTTP as by command: usernames, the quorum as `/run approvers --quorum 2`.
  assert.match(await f.cmd(f.alice, '/run approvers 2.1 @bob @carol @dave --quorum 2', ch), /quorum 2/);
  const byCommand = await f.cmd(f.alice, '/run approve 2.1', ch);
  const byHttp = await f.h.http('POST', url('/items/2.1/answer'), f.alice, { answer: 'approve' });
  assert.equal(byHttp.status, 403);
  assert.deepEqual(byHttp.body, { error: refusal(byCommand) }, 'the same refusal, in the same words');
  assert.equal((await f.h.http('POST', url('/items/2.1/answer'), f.outsider, { answer: 'approve' })).status, 404);
  assert.equal((await f.h.http('POST', url('/items/2.1/answer'), f.bob, { answer: 'maybe' })).status, 400, 'a strict body');
  assert.equal((await f.h.http('POST', url('/items/2.1/answer'), f.bob, { answer: 'approve', extra: 1 })).status, 400);

  assert.deepEqual((await gate(await f.h.http('POST', url('/items/2.1/answer'), f.bob, { answer: 'approve', note: 'tests green' }))).approvals, 1);
  const raised = await f.h.http('POST', url('/items/2.1/concerns'), f.carol, { text: 'No load test' });
  assert.equal(raised.status, 201);
  const concern = z.parse(runRoutes.raiseConcern.answer, raised.body);
  assert.equal(concern.concernId, 1);
  assert.equal(concern.run.checklists[1]!.items[0]!.gate!.state, 'blocked');
  assert.equal((await gate(await f.h.http('POST', url('/items/2.1/answer'), f.dave, { answer: 'approve' }))).state, 'blocked', 'two approvals, but a concern blocks');

  const finishing = await f.h.http('POST', url('/finish'), f.alice, {});
  assert.equal(finishing.status, 409);
  assert.match((finishing.body as { error: string }).error, /Gates still open: 2\.1, 2\.2, 2\.3/);
  const overriding = await f.h.http('POST', url('/finish'), f.alice, { override: 'mail sign-off' });
  assert.deepEqual(overriding.body, { error: 'Only team admins and system admins can override open gates.' });
  assert.equal((await f.h.http('POST', url('/items/2.1/concerns/1/resolve'), f.dave, {})).status, 403, 'only its raiser, the owner or an admin');
  assert.equal((await f.h.http('POST', url('/items/2.1/concerns/9/resolve'), f.carol, {})).status, 404);
  const passed = await gate(await f.h.http('POST', url('/items/2.1/concerns/1/resolve'), f.carol, { note: 'ran it' }));
  assert.equal(passed.state, 'passed', 'resolved: 2 of 3 approvals pass the gate');

  // Hold, abstain, take back, delegate.
  assert.match(await f.cmd(f.alice, '/run approvers 2.2 @carol @dave', ch), /approvers/);
  assert.equal((await f.h.http('POST', url('/items/2.2/answer'), f.carol, { answer: 'hold' })).status, 200);
  const run2 = z.parse(runRoutes.get.answer, (await f.h.http('GET', url(''), f.carol)).body).run;
  assert.equal(run2.checklists[1]!.items[1]!.gate!.state, 'blocked', 'a hold blocks');
  const delegated = await f.h.http('POST', url('/items/2.2/delegate'), f.dave, { to: '@bob' });
  assert.equal(delegated.status, 200, JSON.stringify(delegated.body));
  assert.equal(z.parse(runRoutes.delegateGate.answer, delegated.body).run.checklists[1]!.items[1]!.gate!.seats[1]!.delegate, f.bob.Id);
  assert.deepEqual((await f.h.http('POST', url('/items/2.2/delegate'), f.dave, { to: '@nobody' })).body, { error: 'Unknown user: @nobody.' });
  assert.equal((await f.h.http('POST', url('/items/2.2/answer'), f.carol, { answer: null })).status, 200, 'an answer taken back');

  // A team admin overrides one gate (on the record), then finishes over the rest with a reason.
  assert.equal((await f.h.http('POST', url('/items/2.2/override'), f.alice, { reason: 'hotfix' })).status, 403);
  assert.deepEqual(await f.h.http('POST', url('/items/2.1/override'), f.admin, { reason: 'x' }).then(({ status, body }) => ({ status, body })), { status: 409, body: { error: 'That gate has passed already; there is nothing to override.' } });
  const o = await f.h.http('POST', url('/items/2.2/override'), f.admin, { reason: 'security signed off by mail' });
  assert.equal(o.status, 200);
  assert.equal(z.parse(runRoutes.overrideGate.answer, o.body).run.checklists[1]!.items[1]!.gate!.override?.reason, 'security signed off by mail');
  assert.match(await f.cmd(f.alice, '/run timeline', ch), /@root overrode the gate 2\.2: security signed off by mail/);
  assert.equal((await f.h.http('POST', url('/finish'), f.admin, { override: '' })).status, 400);
  const finished = await f.h.http('POST', url('/finish'), f.admin, { override: 'release manager away' });
  assert.equal(z.parse(runRoutes.finish.answer, finished.body).run.finishOverride, 'release manager away');
  f.h.close();
});

test('HTTP items: assign several people, due, add, remove; refusals as the command', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/release start 7.1');
  const ch = channelNamed(f, 'release-7-1');
  f.world.addChannelMember(ch.Id, f.bob.Id);
  const url = (rest: string) => `/api/v1/teams/${f.team.Id}/runs/1${rest}`;
  const run = (res: { status: number; body: unknown }) => {
    assert.equal(res.status < 300, true, JSON.stringify(res.body));
    return z.parse(runRoutes.get.answer, res.body).run;
  };
  const assigned = run(await f.h.http('POST', url('/items/1.1/assignees'), f.bob, { usernames: ['@alice', 'bob'] }));
  assert.deepEqual(assigned.checklists[0]!.items[0]!.assignees, [f.alice.Id, f.bob.Id]);
  assert.deepEqual((await f.h.http('POST', url('/items/1.1/assignees'), f.bob, { usernames: ['@mallory'] })).body, { error: "@mallory cannot read this run's channel." });
  assert.equal((await f.h.http('POST', url('/items/1.1/assignees'), f.bob, { usernames: [] })).status, 400);
  assert.deepEqual((await f.h.http('POST', url('/items/1.1/assignees'), f.bob, { usernames: ['@'] })).body, { error: 'Name at least one person (@user).' });
  assert.equal((await f.h.http('POST', url('/items/1.1/assignees'), f.carol, { usernames: ['@bob'] })).status, 403, 'carol reads the channel but cannot post there');

  const due = f.h.clock + 5 * H;
  assert.equal(run(await f.h.http('POST', url('/items/1.2/due'), f.bob, { due })).checklists[0]!.items[1]!.due, due);
  assert.equal(run(await f.h.http('POST', url('/items/1.2/due'), f.bob, { due: null })).checklists[0]!.items[1]!.due, null);
  assert.equal((await f.h.http('POST', url('/items/1.2/due'), f.bob, { due: 'tomorrow' })).status, 400);

  const added = await f.h.http('POST', url('/items'), f.bob, { checklist: 3, title: 'Post in #releases' });
  assert.equal(added.status, 201);
  const a = z.parse(runRoutes.addItem.answer, added.body);
  assert.equal(a.ref, '3.4');
  assert.equal(a.run.checklists[2]!.items[3]!.title, 'Post in #releases');
  assert.deepEqual((await f.h.http('POST', url('/items'), f.bob, { checklist: 9, title: 'x' })).body, { error: refusal(await f.cmd(f.bob, '/run add 9 x', ch)) });
  assert.equal(run(await f.h.http('DELETE', url('/items/3.4'), f.bob)).checklists[2]!.items.length, 3);
  assert.equal((await f.h.http('DELETE', url('/items/3.9'), f.bob)).status, 404);
  assert.match(await f.cmd(f.bob, '/run timeline', ch), /@bob assigned 1\.1 to @alice, @bob[\s\S]*@bob removed 3\.4 Post in #releases/);
  f.h.close();
});

test('HTTP retrospective: sections from the template, edited, reminded until published, then published once; stats per template', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/release start 7.2');
  const ch = channelNamed(f, 'release-7-2');
  f.world.addChannelMember(ch.Id, f.bob.Id);
  const url = (rest: string) => `/api/v1/teams/${f.team.Id}/runs/1${rest}`;
  const retro = (res: { status: number; body: unknown }) => {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return z.parse(runRoutes.retro.answer, res.body).retro;
  };
  const before = retro(await f.h.http('GET', url('/retro'), f.bob));
  assert.ok(before.sections.length >= 2);
  assert.equal(before.reminded, false, 'not reminded while the run is active');
  const written = retro(await f.h.http('PATCH', url('/retro'), f.bob, { section: 2, text: '  The rehearsal caught it  ' }));
  assert.equal(written.sections[1]!.text, 'The rehearsal caught it');
  assert.deepEqual((await f.h.http('PATCH', url('/retro'), f.bob, { section: 19, text: 'x' })).body, { error: 'There is no retrospective section “19” (say its number or the start of its title; `/run retro` lists them).' });
  assert.equal((await f.h.http('GET', url('/retro'), f.outsider)).status, 404);
  assert.deepEqual((await f.h.http('POST', url('/retro/publish'), f.alice, {})).body, { error: refusal(await f.cmd(f.alice, '/run retro publish', ch)) });

  f.h.clock += 2 * H;
  assert.equal((await f.h.http('POST', url('/finish'), f.admin, { override: 'demo' })).status, 200);
  assert.equal(retro(await f.h.http('GET', url('/retro'), f.bob)).reminded, true, 'finished and not published: reminded');
  assert.equal((await f.h.http('POST', url('/retro/publish'), f.bob, {})).status, 403);
  const published = retro(await f.h.http('POST', url('/retro/publish'), f.alice, {}));
  assert.equal(published.publishedBy, f.alice.Id);
  assert.equal(published.reminded, false);
  assert.match(f.world.postsIn(ch.Id).at(-1)!.Message!, /#### Retrospective: RUN-001 7\.2/);
  assert.equal((await f.h.http('PATCH', url('/retro'), f.bob, { section: 1, text: 'late' })).status, 409);

  const stats = await f.h.http('GET', `/api/v1/teams/${f.team.Id}/run-stats`, f.carol);
  const items = z.parse(runRoutes.stats.answer, stats.body).items;
  assert.equal(items.length, 1);
  assert.equal(items[0]!.template, 'Product release');
  assert.equal(items[0]!.started, 1);
  assert.equal(items[0]!.finished, 1);
  assert.equal(items[0]!.medianDuration, 120);
  assert.equal((await f.h.http('GET', `/api/v1/teams/${f.team.Id}/run-stats`, f.outsider)).status >= 403, true);
  f.h.close();
});

test('HTTP approvers: the owner names them and the quorum as `/run approvers` does; others are refused in its words', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/release start 7.1');
  const ch = channelNamed(f, 'release-7-1');
  for (const u of [f.bob, f.carol]) f.world.addChannelMember(ch.Id, u.Id);
  const url = `/api/v1/teams/${f.team.Id}/runs/1/items/2.1/approvers`;
  const byCommand = await f.cmd(f.bob, '/run approvers 2.1 @carol', ch);
  const byHttp = await f.h.http('POST', url, f.bob, { usernames: ['@carol'] });
  assert.equal(byHttp.status, 403);
  assert.deepEqual(byHttp.body, { error: refusal(byCommand) }, 'the same refusal, in the same words');
  assert.equal((await f.h.http('POST', url, f.outsider, { usernames: ['@carol'] })).status, 404);
  assert.equal((await f.h.http('POST', url, f.alice, { usernames: [] })).status, 400, 'at least one person');
  assert.equal((await f.h.http('POST', url, f.alice, { usernames: ['@carol'], quorum: { kind: 'atLeast', n: null } })).status, 400, 'at least how many?');
  assert.equal((await f.h.http('POST', url, f.alice, { usernames: ['@carol'], quorum: { kind: 'all', n: 2 } })).status, 400, 'a count only with atLeast');
  assert.equal((await f.h.http('POST', url, f.alice, { usernames: ['@dave'] })).status, 400, 'dave cannot post in the channel');
  // Whether the caller may act is said first, before anything about the people named.
  assert.equal((await f.h.http('POST', url, f.bob, { usernames: ['@dave'] })).status, 403, 'bob may not name approvers at all');
  const delegating = await f.h.http('POST', `/api/v1/teams/${f.team.Id}/runs/1/items/2.1/delegate`, f.carol, { to: '@dave' });
  assert.equal(delegating.status, 403, `carol holds no seat: ${JSON.stringify(delegating.body)}`);

  const named = await f.h.http('POST', url, f.alice, { usernames: ['@bob', 'carol'], quorum: { kind: 'atLeast', n: 1 } });
  assert.equal(named.status, 200, JSON.stringify(named.body));
  const gate = z.parse(runRoutes.nameApprovers.answer, named.body).run.checklists[1]!.items[0]!.gate!;
  assert.deepEqual(gate.seats.map((s) => s.userId), [f.bob.Id, f.carol.Id]);
  assert.deepEqual(gate.quorum, { kind: 'atLeast', n: 1 });
  assert.match(await f.cmd(f.alice, '/run timeline', ch), /@alice named approvers of 2\.1: @bob, @carol \(quorum: 1 of them\)/);
  f.h.close();
});
