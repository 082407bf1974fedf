import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import * as z from 'zod/mini';
import { type IncidentMetricsView as IncidentMetrics, incidentRoutes, type IncidentView, type TimelineEntryView as TimelineEntry } from '../contract/incidents';
import { fixture } from './test_fixture';

interface Declared {
  incident: IncidentView;
  warnings: string[];
}
type One = { incident: IncidentView };
/** Every answer decodes with the contract's own (strict) schema. */
const decoded = <S extends z.core.$ZodType>(schema: S, body: unknown): z.output<S> => z.parse(schema, body);

test('HTTP: declare, get, act, timeline, follow-ups; private incidents are 404 to non-members', async () => {
  const f = await fixture();
  const { h, alice, bob, dave } = f;
  const created = await h.http('POST', f.url(), alice, {
    title: 'Disk full on build agents',
    severity: 2,
    type: 'Degradation',
    summary: 'CI is red',
    invite_ids: [bob.Id],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const { incident } = decoded(incidentRoutes.declare.answer, created.body);
  assert.equal(incident.reference, 'INC-001');
  assert.equal(incident.private, true);
  assert.equal(incident.phase, 'active');
  assert.equal(incident.severityLabel, 'Major');
  assert.ok(f.world.membersOf(incident.channelId).includes(bob.Id));
  assert.equal(incident.nextUpdateDueAt, h.clock + 60 * 60_000, 'SEV2 default cadence: 60 minutes');

  const url = f.url(`/${incident.number}`);
  assert.equal((await h.http('GET', url, bob)).status, 200);
  for (const [method, path, body] of [
    ['GET', url, undefined],
    ['GET', `${url}/timeline`, undefined],
    ['POST', `${url}/status`, { text: 'peek' }],
    ['POST', `${url}/follow`, {}],
    ['GET', `/api/v1/channels/${incident.channelId}/incident`, undefined],
  ] as const) {
    const res = await h.http(method, path, dave, body);
    assert.equal(res.status, 404, `${method} ${path} must be 404 for a non-member`);
    const expected = path.startsWith('/api/v1/channels/') ? 'This channel has no incident.' : 'No such incident.';
    assert.deepEqual(res.body, { error: expected }, 'the same answer as for an incident that does not exist');
  }
  assert.deepEqual((await h.http('GET', f.url('/2'), alice)).body, { error: 'No such incident.' });
  const listForDave = await h.http('GET', f.url(), dave);
  assert.deepEqual(decoded(incidentRoutes.list.answer, listForDave.body), { items: [], nextCursor: null });
  assert.deepEqual(await h.http('GET', f.url(), f.outsider).then(({ status, body }) => ({ status, body })), { status: 404, body: { error: 'No such team.' } });

  const status = await h.http('POST', `${url}/status`, bob, { text: 'Cleaning /var/tmp' });
  assert.equal(status.status, 200);
  assert.equal(decoded(incidentRoutes.status.answer, status.body).incident.lastUpdate?.text, 'Cleaning /var/tmp');
  assert.equal((await h.http('POST', `${url}/severity`, bob, { severity: 1 })).status, 403);
  const sev = await h.http('POST', `${url}/severity`, alice, { severity: 1 });
  assert.equal((sev.body as One).incident.severity, 1);
  const role = await h.http('POST', `${url}/roles`, alice, { role: 'comms', user_id: bob.Id });
  assert.equal((role.body as One).incident.roles.comms, bob.Id);
  assert.equal((await h.http('POST', `${url}/timeline`, bob, { text: 'Found 40 GB of core dumps' })).status, 200);
  const ms = await h.http('POST', `${url}/milestones`, bob, { milestone: 'mitigated', at: h.clock });
  assert.equal((ms.body as One).incident.milestones.mitigated, h.clock);
  const fu = await h.http('POST', `${url}/followups`, bob, { text: 'Rotate core dumps', owner_id: bob.Id, due: '2027-01-11' });
  assert.equal(fu.status, 201);
  assert.equal(decoded(incidentRoutes.addFollowup.answer, fu.body).followup.n, 1);
  const done = await h.http('POST', `${url}/followups/1/done`, bob, {});
  assert.equal(decoded(incidentRoutes.completeFollowup.answer, done.body).followup.doneBy, bob.Id);
  assert.equal((await h.http('POST', `${url}/follow`, bob, {})).status, 200);
  assert.equal((await h.http('DELETE', `${url}/follow`, bob)).status, 200);
  h.clock += 10 * 60_000;
  const resolved = decoded(incidentRoutes.resolve.answer, (await h.http('POST', `${url}/resolve`, alice, { summary: 'Dumps removed' })).body).incident;
  assert.equal(resolved.phase, 'resolved');
  assert.equal(resolved.mttrMinutes, 10);
  assert.equal(resolved.nextUpdateDueAt, null);
  assert.equal((await h.http('POST', `${url}/resolve`, alice, {})).status, 409);
  const reviewed = await h.http('POST', `${url}/reviewed`, alice, {});
  assert.equal((reviewed.body as One).incident.review.reviewedAt, h.clock);

  const first = decoded(incidentRoutes.timeline.answer, (await h.http('GET', `${url}/timeline?per_page=3`, bob)).body);
  assert.deepEqual(first.items.map((e) => e.seq), [0, 1, 2]);
  const second = (await h.http('GET', `${url}/timeline?per_page=3&cursor=${first.nextCursor}`, bob)).body as { items: TimelineEntry[]; nextCursor: string | null };
  assert.deepEqual(second.items.map((e) => e.seq), [3, 4, 5]);
  const rest = (await h.http('GET', `${url}/timeline?per_page=100&cursor=${second.nextCursor}`, bob)).body as { items: TimelineEntry[]; nextCursor: string | null };
  assert.ok(rest.items.length >= 5);
  assert.equal(rest.nextCursor, null);
  const byChannel = await h.http('GET', `/api/v1/channels/${incident.channelId}/incident`, bob);
  assert.equal(decoded(incidentRoutes.ofChannel.answer, byChannel.body).incident.id, incident.id);
  h.close();
});

test('HTTP: malformed bodies, queries and paths get 400 naming the problem', async () => {
  const f = await fixture();
  const { h, alice } = f;
  const cases: Array<[string, string, unknown, RegExp]> = [
    ['POST', f.url(), {}, /title: /],
    ['POST', '/api/v1/teams/nope/incidents', { title: 'x' }, /teamId: must be a 26-character id/],
    ['POST', f.url(), { title: 'x', severity: 9 }, /severity: /],
    ['POST', f.url(), { title: 'x', type: 'Meteor' }, /"Meteor" is not an incident type/],
    ['POST', f.url(), { title: 'x', team_id: f.team.Id }, /Unrecognized key/],
    ['POST', f.url(), { title: 'x', invite_ids: Array.from({ length: 101 }, () => alice.Id) }, /invite_ids: /],
    ['POST', f.url(), '{"title":', /JSON|Unexpected|Invalid/i],
    ['POST', f.url(), [1, 2], /Invalid request/],
    ['GET', f.url('?per_page=0'), undefined, /per_page: /],
    ['GET', f.url('?state=closed'), undefined, /state: /],
    ['GET', f.url('?cursor=abc'), undefined, /cursor: /],
    ['GET', f.url(`?team_id=${f.team.Id}`), undefined, /Unrecognized key/],
    ['GET', f.url('/metrics?days=0'), undefined, /days: /],
    ['GET', f.url('/short'), undefined, /number: /],
    ['GET', '/api/v1/channels/short/incident', undefined, /channelId: /],
  ];
  for (const [method, path, body, message] of cases) {
    const res = await h.http(method, path, alice, body);
    assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    assert.match((res.body as { error: string }).error, message);
  }
  const { incident } = (await h.http('POST', f.url(), alice, { title: 'x' })).body as Declared;
  const url = f.url(`/${incident.number}`);
  for (const [path, body, message] of [
    ['status', {}, /text: /],
    ['status', { text: '   ' }, /text: must not be empty/],
    ['severity', { severity: 'high' }, /severity: /],
    ['roles', { role: 'pilot', user_id: alice.Id }, /role: /],
    ['milestones', { milestone: 'launched' }, /milestone: /],
    ['milestones', { milestone: 'detected', at: h.clock + 3_600_000 }, /cannot be in the future/],
    ['milestones', { milestone: 'detected', at: 1 }, /more than 30 days before the declaration/],
    ['milestones', { milestone: 'detected', at: 8.64e15 + 1 }, /cannot be in the future/],
    ['followups', { text: 'x', due: '31/01/2027' }, /due: must be YYYY-MM-DD/],
    ['followups', { text: 'x', due: '2027-02-30' }, /not a real date/],
    ['followups', { text: 'x', due: '2026-12-01' }, /is in the past/],
    ['followups', { text: 'x', owner_id: f.outsider.Id }, /is not a member of this team/],
    ['reopen', { force: true }, /Unrecognized key/],
  ] as const) {
    const res = await h.http('POST', `${url}/${path}`, alice, body);
    assert.equal(res.status, 400, `${path} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    assert.match((res.body as { error: string }).error, message);
  }
  assert.equal((await h.http('GET', f.url('/999'), alice)).status, 404);
  assert.equal((await h.http('GET', f.url(), null)).status, 401);
  h.close();
});

test('dialog submission declares; field errors come back per field; cancel does nothing', async () => {
  const f = await fixture();
  const { h, alice, bob, carol, team, town } = f;
  const submit = (submission: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    h.http('POST', '/api/v1/incidents/dialog', alice, {
      type: 'dialog_submission',
      callback_id: 'incident-declare',
      state: JSON.stringify({ teamId: team.Id, channelId: town.Id }),
      user_id: alice.Id,
      channel_id: town.Id,
      team_id: team.Id,
      submission,
      cancelled: false,
      ...extra,
    });
  const bad = await submit({ title: '', severity: '7', type: 'Meteor', invite: '@ghost' });
  assert.equal(bad.status, 200);
  const errors = (bad.body as { errors: Record<string, string> }).errors;
  assert.deepEqual(Object.keys(errors).sort(), ['invite', 'severity', 'title', 'type']);
  assert.match(errors['invite']!, /Unknown user: @ghost/);

  const ok = await submit({ title: 'Login failures', severity: '1', type: 'Security', summary: 'SSO errors', private: false, commander: bob.Id, invite: '@carol' });
  assert.deepEqual(ok.body, {});
  const channel = [...f.world.channels.values()].find((c) => c.Name === 'inc-001-login-failures')!;
  assert.equal(channel.Type, 'O');
  const members = f.world.membersOf(channel.Id);
  for (const u of [alice, bob, carol]) assert.ok(members.includes(u.Id));
  assert.equal(f.cardData(channel.Id).roles.commander?.username, 'bob');
  assert.match(f.world.ephemeralPosts.at(-1)!.post.Message ?? '', /Declared \*\*INC-001\*\* — SEV1 \(Critical\), public, type Security: ~inc-001-login-failures\. @bob is the commander\./);

  const cancelled = await submit({}, { cancelled: true });
  assert.deepEqual(cancelled.body, {});
  const wrong = await h.http('POST', '/api/v1/incidents/dialog', alice, { callback_id: 'other', submission: {} });
  assert.equal(wrong.status, 400);
  const outsider = await h.http('POST', '/api/v1/incidents/dialog', f.outsider, {
    callback_id: 'incident-declare',
    state: JSON.stringify({ teamId: team.Id, channelId: town.Id }),
    submission: { title: 'x', severity: '3' },
  });
  assert.deepEqual(outsider.body, { error: 'No such channel.' });
  h.close();
});

test('dialog: the team is the channel\'s, the submitter is checked before any field is read, invitees are bounded', async () => {
  const f = await fixture();
  const { h, alice, team, town } = f;
  const other = f.world.addTeam('other');
  f.world.addTeamMember(other.Id, alice.Id);
  const submit = (user: typeof alice, state: unknown, submission: Record<string, unknown>) =>
    h.http('POST', '/api/v1/incidents/dialog', user, { callback_id: 'incident-declare', state: JSON.stringify(state), submission });

  // A state naming another team changes nothing: the incident belongs to the channel's team.
  assert.deepEqual((await submit(alice, { teamId: other.Id, channelId: town.Id }, { title: 'Where am I' })).body, {});
  const channel = [...f.world.channels.values()].find((c) => c.Name === 'inc-001-where-am-i')!;
  assert.equal(channel.TeamId, team.Id);

  // A guest of the team may not declare; neither may someone who cannot read the channel.
  const guest = f.world.addUser('gus', { Roles: 'system_guest' });
  f.world.addTeamMember(team.Id, guest.Id, 'team_guest');
  const room = f.world.addChannel(team.Id, 'guest-room');
  f.world.addChannelMember(room.Id, guest.Id, 'channel_guest');
  assert.match(((await submit(guest, { channelId: room.Id }, { title: 'x' })).body as { error: string }).error, /No such team|Only members of the team/);
  const secret = f.world.addChannel(team.Id, 'secret', 'P');
  assert.deepEqual((await submit(f.dave, { channelId: secret.Id }, { title: 'x' })).body, { error: 'No such channel.' });

  // A hostile invite field: refused at once, whatever it holds, and before names are looked up.
  const lookups = { n: 0 };
  const real = h.api.getUsersByUsernames.bind(h.api);
  h.api.getUsersByUsernames = async (names) => (lookups.n++, real(names));
  const started = performance.now();
  const bomb = await submit(f.outsider, { channelId: town.Id }, { title: 't', invite: `@${';'.repeat(1_000_000)}x` });
  assert.deepEqual(bomb.body, { error: 'No such channel.' }, 'an outsider is stopped before the fields are read');
  const big = await submit(alice, { channelId: town.Id }, { title: 't', invite: `@${';'.repeat(1_000_000)}x` });
  assert.match((big.body as { errors: Record<string, string> }).errors['invite']!, /at most 7000 characters/);
  const many = await submit(alice, { channelId: town.Id }, { title: 't', invite: Array.from({ length: 101 }, (_, n) => `@u${n}`).join(' ') });
  assert.match((many.body as { errors: Record<string, string> }).errors['invite']!, /At most 100 people can be invited \(101 given\)/);
  assert.ok(performance.now() - started < 2000, 'no super-linear work on a 1 MB field');
  assert.equal(lookups.n, 0, 'no user lookups for refused forms');
  assert.equal([...f.world.channels.values()].filter((c) => c.Name.startsWith('inc-')).length, 1);
  h.close();
});

test('list: filters and cursor paging; metrics by severity with MTTA/MTTR from detection', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const { h, alice, bob, dave } = f;
  for (let n = 1; n <= 7; n++) {
    await h.http('POST', f.url(), alice, { title: `Incident ${n}`, severity: (n % 4) + 1, private: n === 7 });
  }
  // Detected 30 min before declaration, acknowledged by a status update 10 min after, resolved 50 min after.
  for (const n of [1, 2, 3, 4]) await h.http('POST', f.url(`/${n}/milestones`), alice, { milestone: 'detected', at: h.clock - 30 * 60_000 });
  h.clock += 10 * 60_000;
  for (const n of [1, 2, 3, 4]) await h.http('POST', f.url(`/${n}/status`), alice, { text: 'on it' });
  h.clock += 40 * 60_000;
  for (const n of [1, 2, 3, 4]) await h.http('POST', f.url(`/${n}/resolve`), alice, {});
  await h.http('POST', f.url('/1/followups'), alice, { text: 'fix it' });

  type Page = { items: IncidentView[]; nextCursor: string | null };
  const page1 = (await h.http('GET', f.url('?per_page=3'), dave)).body as Page;
  assert.deepEqual(page1.items.map((i) => i.reference), ['INC-006', 'INC-005', 'INC-004'], 'private INC-007 hidden from dave');
  const page2 = (await h.http('GET', f.url(`?per_page=3&cursor=${page1.nextCursor}`), dave)).body as Page;
  assert.deepEqual(page2.items.map((i) => i.reference), ['INC-003', 'INC-002', 'INC-001']);
  const active = (await h.http('GET', f.url('?state=active'), alice)).body as Page;
  assert.deepEqual(active.items.map((i) => i.reference), ['INC-007', 'INC-006', 'INC-005']);
  const activePaged = (await h.http('GET', f.url('?state=active&per_page=2'), alice)).body as Page;
  const activeRest = (await h.http('GET', f.url(`?state=active&per_page=2&cursor=${activePaged.nextCursor}`), alice)).body as Page;
  assert.deepEqual([...activePaged.items, ...activeRest.items].map((i) => i.reference), ['INC-007', 'INC-006', 'INC-005']);
  const resolvedSev2 = (await h.http('GET', f.url('?state=resolved&severity=2'), alice)).body as Page;
  assert.deepEqual(resolvedSev2.items.map((i) => i.reference), ['INC-001']);
  const byCommander = (await h.http('GET', f.url(`?commander_id=${bob.Id}`), alice)).body as Page;
  assert.deepEqual(byCommander.items, []);

  const metrics = decoded(incidentRoutes.metrics.answer, (await h.http('GET', f.url('/metrics?days=30'), alice)).body).metrics;
  assert.equal(metrics.total, 7);
  assert.equal(metrics.active, 3);
  assert.equal(metrics.resolved, 4);
  assert.deepEqual([1, 2, 3, 4].map((s) => metrics.bySeverity[String(s) as '1'].total), [1, 2, 2, 2]);
  assert.equal(metrics.mtta.count, 4);
  assert.equal(metrics.mtta.meanMinutes, 40, 'acknowledged 40 min after detection');
  assert.equal(metrics.mttr.medianMinutes, 80, 'resolved 80 min after detection, not 50 after declaration');
  assert.equal(metrics.openFollowups, 1);
  assert.equal(metrics.awaitingReview, 4);
  const forDave = ((await h.http('GET', f.url('/metrics'), dave)).body as { metrics: IncidentMetrics }).metrics;
  assert.equal(forDave.total, 6, 'a private incident counts only for those who may see it');

  h.close();
});

test('a list page costs the same KV calls with 30 or 230 incidents stored (O(page))', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false, IncidentUpdateIntervalSev3: 0 });
  const { h, alice } = f;
  const declare = async (count: number) => {
    for (let n = 0; n < count; n++) await h.http('POST', f.url(), alice, { title: `n${n}` });
  };
  const callsForPage = async () => {
    const before = h.api.kvCalls;
    const res = await h.http('GET', f.url('?per_page=10'), alice);
    assert.equal((res.body as { items: unknown[] }).items.length, 10);
    return h.api.kvCalls - before;
  };
  await declare(30);
  const small = await callsForPage();
  await declare(200);
  const large = await callsForPage();
  assert.ok(small <= 14, `head + chunk(s) + 10 records, got ${small}`);
  assert.ok(large <= small + 1, `${large} calls with 230 stored vs ${small} with 30`);
  h.close();
});

test('dialog submissions without Content-Length (as Mattermost sends them through the bridge) are read', async () => {
  const f = await fixture();
  const submission = JSON.stringify({
    callback_id: 'incident-declare',
    state: JSON.stringify({ teamId: f.team.Id, channelId: f.town.Id }),
    submission: { title: 'Bridged body', severity: '2' },
  });
  const req = new IncomingMessage(new PassThrough() as unknown as Socket);
  req.method = 'POST';
  req.url = '/api/v1/incidents/dialog';
  req.headers = { 'mattermost-user-id': f.alice.Id };
  req.push(Buffer.from(submission));
  req.push(null);
  const res = new ServerResponse(req);
  const wire = new PassThrough();
  let raw = '';
  wire.on('data', (c: Buffer) => (raw += c.toString('utf8')));
  res.assignSocket(wire as unknown as Socket);
  const finished = new Promise<void>((resolve) => res.on('finish', () => resolve()));
  f.h.product.httpHandler!(req, res);
  await finished;
  assert.match(raw, /^HTTP\/1\.1 200/);
  assert.equal(raw.slice(raw.indexOf('\r\n\r\n') + 4), '{}');
  assert.ok([...f.world.channels.values()].some((c) => c.Name === 'inc-001-bridged-body'));
  f.h.close();
});
