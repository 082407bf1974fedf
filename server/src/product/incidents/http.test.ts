import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { IncidentMetrics } from './metrics';
import type { IncidentView, TimelineEntry } from './schema';
import { fixture } from './test_fixture';

interface Declared {
  incident: IncidentView;
  warnings: string[];
}

test('HTTP: declare, get, act, timeline, follow-ups; private incidents are 404 to non-members', async () => {
  const f = await fixture();
  const { h, alice, bob, dave, team } = f;
  const created = await h.http('POST', '/api/v1/incidents', alice, {
    team_id: team.Id,
    title: 'Disk full on build agents',
    severity: 2,
    type: 'Degradation',
    summary: 'CI is red',
    invite_ids: [bob.Id],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const { incident } = created.body as Declared;
  assert.equal(incident.reference, 'INC-001');
  assert.equal(incident.private, true);
  assert.equal(incident.phase, 'active');
  assert.equal(incident.severityLabel, 'Major');
  assert.ok(f.world.membersOf(incident.channelId).includes(bob.Id));
  assert.equal(incident.nextUpdateDueAt, h.clock + 60 * 60_000, 'SEV2 default cadence: 60 minutes');

  const url = `/api/v1/incidents/${incident.id}`;
  assert.equal((await h.http('GET', url, bob)).status, 200);
  for (const [method, path, body] of [
    ['GET', url, undefined],
    ['GET', `${url}/timeline`, undefined],
    ['GET', `${url}/followups`, undefined],
    ['POST', `${url}/status`, { text: 'peek' }],
    ['POST', `${url}/follow`, undefined],
    ['GET', `/api/v1/incidents/channel/${incident.channelId}`, undefined],
  ] as const) {
    const res = await h.http(method, path, dave, body);
    assert.equal(res.status, 404, `${method} ${path} must be 404 for a non-member`);
    const expected = path.includes('/channel/') ? 'This channel has no incident.' : 'No such incident.';
    assert.deepEqual(res.body, { error: expected }, 'the same answer as for an incident that does not exist');
  }
  const listForDave = await h.http('GET', `/api/v1/incidents?team_id=${team.Id}`, dave);
  assert.deepEqual((listForDave.body as { items: unknown[] }).items, []);
  assert.equal((await h.http('GET', `/api/v1/incidents?team_id=${team.Id}`, f.outsider)).status, 403);

  const status = await h.http('POST', `${url}/status`, bob, { text: 'Cleaning /var/tmp' });
  assert.equal(status.status, 200);
  assert.equal((status.body as IncidentView).lastUpdate?.text, 'Cleaning /var/tmp');
  assert.equal((await h.http('POST', `${url}/severity`, bob, { severity: 1 })).status, 403);
  const sev = await h.http('POST', `${url}/severity`, alice, { severity: 1 });
  assert.equal((sev.body as IncidentView).severity, 1);
  const role = await h.http('POST', `${url}/roles`, alice, { role: 'comms', user_id: bob.Id });
  assert.equal((role.body as IncidentView).roles.comms, bob.Id);
  assert.equal((await h.http('POST', `${url}/timeline`, bob, { text: 'Found 40 GB of core dumps' })).status, 200);
  const ms = await h.http('POST', `${url}/milestones`, bob, { milestone: 'mitigated', at: h.clock });
  assert.equal((ms.body as IncidentView).milestones.mitigated, h.clock);
  const fu = await h.http('POST', `${url}/followups`, bob, { text: 'Rotate core dumps', owner_id: bob.Id, due: '2027-01-11' });
  assert.equal(fu.status, 201);
  assert.equal((await h.http('POST', `${url}/followups/1/done`, bob)).status, 200);
  assert.equal((await h.http('POST', `${url}/follow`, bob)).status, 200);
  assert.equal((await h.http('DELETE', `${url}/follow`, bob)).status, 200);
  h.clock += 10 * 60_000;
  const resolved = await h.http('POST', `${url}/resolve`, alice, { summary: 'Dumps removed' });
  assert.equal((resolved.body as IncidentView).phase, 'resolved');
  assert.equal((resolved.body as IncidentView).mttrMinutes, 10);
  assert.equal((resolved.body as IncidentView).nextUpdateDueAt, null);
  assert.equal((await h.http('POST', `${url}/resolve`, alice, {})).status, 409);
  const reviewed = await h.http('POST', `${url}/reviewed`, alice, {});
  assert.equal((reviewed.body as IncidentView).review.reviewedAt, h.clock);

  const timeline = await h.http('GET', `${url}/timeline?per_page=3&page=1`, bob);
  const tl = timeline.body as { items: TimelineEntry[]; total: number };
  assert.equal(tl.items.length, 3);
  assert.deepEqual(tl.items.map((e) => e.seq), [3, 4, 5]);
  assert.ok(tl.total >= 11);
  const followups = await h.http('GET', `${url}/followups`, bob);
  assert.equal((followups.body as { items: Array<{ doneBy: string }> }).items[0]!.doneBy, bob.Id);
  const byChannel = await h.http('GET', `/api/v1/incidents/channel/${incident.channelId}`, bob);
  assert.equal((byChannel.body as IncidentView).id, incident.id);
  h.close();
});

test('HTTP: malformed bodies and queries get 400 naming the problem', async () => {
  const f = await fixture();
  const { h, alice, team } = f;
  const cases: Array<[string, string, unknown, RegExp]> = [
    ['POST', '/api/v1/incidents', { team_id: team.Id }, /title: /],
    ['POST', '/api/v1/incidents', { team_id: 'nope', title: 'x' }, /team_id: must be a 26-character id/],
    ['POST', '/api/v1/incidents', { team_id: team.Id, title: 'x', severity: 9 }, /severity: /],
    ['POST', '/api/v1/incidents', { team_id: team.Id, title: 'x', type: 'Meteor' }, /"Meteor" is not an incident type/],
    ['POST', '/api/v1/incidents', '{"team_id":', /JSON|Unexpected|Invalid/i],
    ['POST', '/api/v1/incidents', [1, 2], /Invalid request/],
    ['GET', `/api/v1/incidents?team_id=${team.Id}&per_page=0`, undefined, /per_page: /],
    ['GET', `/api/v1/incidents?team_id=${team.Id}&state=closed`, undefined, /state: /],
    ['GET', '/api/v1/incidents/metrics', undefined, /team_id: /],
    ['GET', '/api/v1/incidents/short', undefined, /must be a 26-character id/],
  ];
  for (const [method, path, body, message] of cases) {
    const res = await h.http(method, path, alice, body);
    assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    assert.match((res.body as { error: string }).error, message);
  }
  const { incident } = (await h.http('POST', '/api/v1/incidents', alice, { team_id: team.Id, title: 'x' })).body as Declared;
  const url = `/api/v1/incidents/${incident.id}`;
  for (const [path, body, message] of [
    ['status', {}, /text: /],
    ['status', { text: '   ' }, /text: must not be empty/],
    ['severity', { severity: 'high' }, /severity: /],
    ['roles', { role: 'pilot', user_id: alice.Id }, /role: /],
    ['milestones', { milestone: 'launched' }, /milestone: /],
    ['milestones', { milestone: 'detected', at: h.clock + 3_600_000 }, /cannot be in the future/],
    ['followups', { text: 'x', due: '31/01/2027' }, /due: must be YYYY-MM-DD/],
    ['followups', { text: 'x', due: '2027-02-30' }, /not a real date/],
    ['followups', { text: 'x', owner_id: f.outsider.Id }, /is not a member of this team/],
    ['reopen', { force: true }, /Unrecognized key/],
  ] as const) {
    const res = await h.http('POST', `${url}/${path}`, alice, body);
    assert.equal(res.status, 400, `${path} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    assert.match((res.body as { error: string }).error, message);
  }
  assert.equal((await h.http('GET', `/api/v1/incidents/${'a'.repeat(26)}`, alice)).status, 404);
  assert.equal((await h.http('GET', `/api/v1/incidents?team_id=${team.Id}`, null)).status, 401);
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
  assert.match(f.world.ephemeralPosts.at(-1)!.post.Message ?? '', /Declared \*\*INC-001\*\*: ~inc-001-login-failures/);

  const cancelled = await submit({}, { cancelled: true });
  assert.deepEqual(cancelled.body, {});
  const wrong = await h.http('POST', '/api/v1/incidents/dialog', alice, { callback_id: 'other', submission: {} });
  assert.equal(wrong.status, 400);
  const outsider = await h.http('POST', '/api/v1/incidents/dialog', f.outsider, {
    callback_id: 'incident-declare',
    state: JSON.stringify({ teamId: team.Id, channelId: town.Id }),
    submission: { title: 'x', severity: '3' },
  });
  assert.match((outsider.body as { error: string }).error, /Only members of the team/);
  h.close();
});

test('list: filters and cursor paging; metrics by severity with MTTA/MTTR from detection', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const { h, alice, bob, dave, team } = f;
  const ids: string[] = [];
  for (let n = 1; n <= 7; n++) {
    const res = await h.http('POST', '/api/v1/incidents', alice, { team_id: team.Id, title: `Incident ${n}`, severity: (n % 4) + 1, private: n === 7 });
    ids.push((res.body as Declared).incident.id);
  }
  // Detected 30 min before declaration, acknowledged by a status update 10 min after, resolved 50 min after.
  for (const id of ids.slice(0, 4)) {
    await h.http('POST', `/api/v1/incidents/${id}/milestones`, alice, { milestone: 'detected', at: h.clock - 30 * 60_000 });
  }
  h.clock += 10 * 60_000;
  for (const id of ids.slice(0, 4)) await h.http('POST', `/api/v1/incidents/${id}/status`, alice, { text: 'on it' });
  h.clock += 40 * 60_000;
  for (const id of ids.slice(0, 4)) await h.http('POST', `/api/v1/incidents/${id}/resolve`, alice, {});
  await h.http('POST', `/api/v1/incidents/${ids[0]}/followups`, alice, { text: 'fix it' });

  const page1 = (await h.http('GET', `/api/v1/incidents?team_id=${team.Id}&per_page=3`, dave)).body as { items: IncidentView[]; next_before: number };
  assert.deepEqual(page1.items.map((i) => i.reference), ['INC-006', 'INC-005', 'INC-004'], 'private INC-007 hidden from dave');
  const page2 = (await h.http('GET', `/api/v1/incidents?team_id=${team.Id}&per_page=3&before=${page1.next_before}`, dave)).body as { items: IncidentView[]; next_before: number | null };
  assert.deepEqual(page2.items.map((i) => i.reference), ['INC-003', 'INC-002', 'INC-001']);
  const active = (await h.http('GET', `/api/v1/incidents?team_id=${team.Id}&state=active`, alice)).body as { items: IncidentView[] };
  assert.deepEqual(active.items.map((i) => i.reference), ['INC-007', 'INC-006', 'INC-005']);
  const resolvedSev2 = (await h.http('GET', `/api/v1/incidents?team_id=${team.Id}&state=resolved&severity=2`, alice)).body as { items: IncidentView[] };
  assert.deepEqual(resolvedSev2.items.map((i) => i.reference), ['INC-001']);
  const byCommander = (await h.http('GET', `/api/v1/incidents?team_id=${team.Id}&commander_id=${bob.Id}`, alice)).body as { items: IncidentView[] };
  assert.deepEqual(byCommander.items, []);

  const metrics = (await h.http('GET', `/api/v1/incidents/metrics?team_id=${team.Id}&days=30`, alice)).body as IncidentMetrics;
  assert.equal(metrics.total, 7);
  assert.equal(metrics.active, 3);
  assert.equal(metrics.resolved, 4);
  assert.deepEqual([1, 2, 3, 4].map((s) => metrics.bySeverity[String(s) as '1'].total), [1, 2, 2, 2]);
  assert.equal(metrics.mtta.count, 4);
  assert.equal(metrics.mtta.meanMinutes, 40, 'acknowledged 40 min after detection');
  assert.equal(metrics.mttr.medianMinutes, 80, 'resolved 80 min after detection, not 50 after declaration');
  assert.equal(metrics.openFollowups, 1);
  assert.equal(metrics.awaitingReview, 4);
  const forDave = (await h.http('GET', `/api/v1/incidents/metrics?team_id=${team.Id}`, dave)).body as IncidentMetrics;
  assert.equal(forDave.total, 6, 'a private incident counts only for its members');

  h.close();
});

test('a list page costs the same KV calls with 30 or 230 incidents stored (O(page))', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false, IncidentUpdateIntervalSev3: 0 });
  const { h, alice, team } = f;
  const declare = async (count: number) => {
    for (let n = 0; n < count; n++) await h.http('POST', '/api/v1/incidents', alice, { team_id: team.Id, title: `n${n}` });
  };
  const callsForPage = async () => {
    const before = h.api.kvCalls;
    const res = await h.http('GET', `/api/v1/incidents?team_id=${team.Id}&per_page=10`, alice);
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
