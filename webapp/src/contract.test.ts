// The contract against the real product (server/src/product) running in process on the in-memory
// Mattermost API: every route of the contract is called (a test fails if one is left out), each
// answer must have the route's status and decode strictly with the route's answer schema (an
// extra, missing or renamed field fails), and so must every websocket payload and the card post.
// This is where a server that drifts from the contract shows up.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as z from 'zod/mini';
import type { Channel, Team, User } from '../../server/src/plugin/model/types';
import { MemoryWorld } from '../../server/src/plugin/testing/memory_api';
import { ProductHarness } from '../../server/src/product/testing/product_harness';
import {
  alertRoutes,
  CARD_PROPS,
  EVENT_NAMES,
  EVENT_PAYLOADS,
  INCIDENT_POST_TYPE,
  cardData,
  decode,
  decodeJson,
  fillPath,
  guildRoutes,
  incidentRoutes,
  infraRoutes,
  isRecord,
  pickRoutes,
  rfcRoutes,
  runRoutes,
  webhookRoutes,
  type AnswerOf,
  type BodyOf,
  type EventName,
  type PathParams,
  type QueryOf,
  type Route,
} from './contract';

let h: ProductHarness;
let world: MemoryWorld;
let team: Team;
let alice: User;
let bob: User;
let carol: User;
let town: Channel;

const ALL_ROUTES: ReadonlyArray<Readonly<Record<string, Route>>> = [incidentRoutes, pickRoutes, rfcRoutes, guildRoutes, infraRoutes, alertRoutes, runRoutes, webhookRoutes];
const called = new Set<Route>();

/** One call as `user`; the answer must have the route's status and decode strictly. */
async function ok<R extends Route>(route: R, params: PathParams<R['path']>, user: User, input: { query?: QueryOf<R>; body?: BodyOf<R> } = {}): Promise<AnswerOf<R>> {
  called.add(route);
  const query = new URLSearchParams();
  const given: Readonly<Record<string, string | number | boolean | undefined>> = input.query ?? {};
  for (const [k, v] of Object.entries(given)) if (v !== undefined) query.set(k, String(v));
  const qs = query.toString();
  const path = `/api/v1${fillPath(route.path, params)}${qs ? `?${qs}` : ''}`;
  const res = await h.http(route.method, path, user, route.body === null ? undefined : (input.body ?? {}));
  assert.equal(res.status, route.status, `${route.method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return decode<R['answer']>(route.answer, res.body, `${route.method} ${route.path}`);
}

before(async () => {
  world = new MemoryWorld();
  team = world.addTeam('ops');
  [alice, bob, carol] = ['alice', 'bob', 'carol'].map((n) => world.addUser(n)) as [User, User, User];
  for (const u of [alice, bob, carol]) world.addTeamMember(team.Id, u.Id);
  town = world.addChannel(team.Id, 'town-square');
  for (const u of [alice, bob, carol]) world.addChannelMember(town.Id, u.Id);
  world.addChannel(team.Id, 'incidents');
  world.pluginConfig = { IncidentFeedChannel: 'incidents' };
  h = await new ProductHarness(world).activate();
});

after(() => h?.close());

describe('contract with the server', () => {
  const teamId = () => team.Id;

  it('incidents: every route answers its contract shape, and the card post decodes', async () => {
    const declared = await ok(incidentRoutes.declare, { teamId: teamId() }, alice, { body: { title: 'Checkout 500s', severity: 1, summary: 'from the sidebar' } });
    const { incident } = declared;
    assert.equal(incident.phase, 'active');
    assert.equal(incident.roles.commander, alice.Id);
    const at = { teamId: teamId(), number: incident.number };

    const page = await ok(incidentRoutes.list, { teamId: teamId() }, alice, { query: { state: 'active' } });
    assert.deepEqual(page.items.map((i) => i.id), [incident.id]);
    assert.equal((await ok(incidentRoutes.get, at, alice)).incident.id, incident.id);
    assert.equal((await ok(incidentRoutes.ofChannel, { channelId: incident.channelId }, alice)).incident.id, incident.id);
    assert.equal((await ok(incidentRoutes.status, at, alice, { body: { text: 'Rolling back' } })).incident.lastUpdate?.text, 'Rolling back');
    assert.equal((await ok(incidentRoutes.severity, at, alice, { body: { severity: 2 } })).incident.severity, 2);
    assert.equal((await ok(incidentRoutes.role, at, alice, { body: { role: 'scribe', user_id: bob.Id } })).incident.roles.scribe, bob.Id);
    await ok(incidentRoutes.note, at, alice, { body: { text: 'Found the bad deploy' } });
    assert.notEqual((await ok(incidentRoutes.milestone, at, alice, { body: { milestone: 'mitigated' } })).incident.milestones.mitigated, null);
    // The declarer does not follow by declaring; unfollowing what one does not follow is refused as a state conflict (409).
    assert.ok((await ok(incidentRoutes.follow, at, alice, { body: {} })).incident.followers.includes(alice.Id));
    assert.ok(!(await ok(incidentRoutes.unfollow, at, alice)).incident.followers.includes(alice.Id));
    const added = await ok(incidentRoutes.addFollowup, at, alice, { body: { text: 'Add a canary', due: '2027-02-01' } });
    assert.equal(added.incident.openFollowups, 1);
    const done = await ok(incidentRoutes.completeFollowup, { ...at, n: added.followup.n }, alice, { body: {} });
    assert.notEqual(done.followup.doneAt, null);
    const timeline = await ok(incidentRoutes.timeline, at, alice, { query: { per_page: 100 } });
    assert.ok(timeline.items.length > 0);
    assert.equal((await ok(incidentRoutes.resolve, at, alice, { body: { summary: 'Rolled back' } })).incident.phase, 'resolved');
    assert.notEqual((await ok(incidentRoutes.reviewed, at, alice, { body: {} })).incident.review.reviewedAt, null);
    assert.equal((await ok(incidentRoutes.reopen, at, alice, { body: {} })).incident.phase, 'active');
    assert.equal((await ok(incidentRoutes.metrics, { teamId: teamId() }, alice, { query: { days: 30 } })).metrics.total, 1);

    const card = [...world.posts.values()].find((p) => p.Type === INCIDENT_POST_TYPE && p.ChannelId === incident.channelId);
    assert.ok(card, 'the pinned card post exists');
    const props = card.Props as Record<string, unknown>;
    assert.equal(decodeJson(cardData, props[CARD_PROPS.card], CARD_PROPS.card).id, incident.id);
    assert.equal(props[CARD_PROPS.incidentId], incident.id);
  });

  it('PICK: every route answers its contract shape, with the caller’s own part only on REST', async () => {
    const { idea } = await ok(pickRoutes.add, { teamId: teamId() }, alice, { body: { channel_id: town.Id, title: 'Cache CI builds' } });
    const at = { teamId: teamId(), number: idea.number };
    const scored = await ok(pickRoutes.score, at, alice, { body: { payoff: 8, cost: 2 } });
    assert.deepEqual(scored.idea.viewer?.myScore, { payoff: 8, cost: 2 });
    assert.equal(scored.autoRevealed, false, 'two of three asked have not scored yet');
    await ok(pickRoutes.score, at, bob, { body: { payoff: 9, cost: 3 } });
    const revealed = await ok(pickRoutes.reveal, at, alice, { body: {} });
    assert.equal(revealed.idea.status, 'revealed');
    assert.equal(revealed.idea.revealed?.quadrant, 'implement');
    assert.equal((await ok(pickRoutes.get, at, bob)).idea.viewer?.myScore?.payoff, 9);
    const page = await ok(pickRoutes.list, { teamId: teamId() }, alice, { query: { channel_id: town.Id, filter: 'all' } });
    assert.equal(page.items.length, 1);
    assert.equal(typeof page.threshold, 'number');
    const rescored = await ok(pickRoutes.rescore, at, alice, { body: {} });
    assert.equal(rescored.idea.round, 2);
    assert.equal(rescored.idea.history.length, 1);

    const other = (await ok(pickRoutes.add, { teamId: teamId() }, bob, { body: { channel_id: town.Id, title: 'Rewrite in Rust' } })).idea;
    assert.equal((await ok(pickRoutes.archive, { teamId: teamId(), number: other.number }, bob, { body: { reason: 'duplicate' } })).idea.status, 'archived');

    const { rfc } = await ok(rfcRoutes.create, { teamId: teamId() }, alice, { body: { title: 'Build cache service', channel_id: town.Id, idea: idea.number } });
    assert.equal((await ok(pickRoutes.link, at, alice, { body: { rfc: rfc.number } })).idea.rfcNumber, rfc.number);
  });

  it('RFCs: every route answers its contract shape, through review, concern and decision', async () => {
    const { rfc } = await ok(rfcRoutes.create, { teamId: teamId() }, alice, { body: { title: 'Adopt OpenTelemetry', channel_id: town.Id } });
    assert.equal(rfc.status, 'draft');
    const at = { teamId: teamId(), number: rfc.number };
    assert.ok((await ok(rfcRoutes.list, { teamId: teamId() }, alice, { query: { status: 'draft' } })).items.some((r) => r.number === rfc.number));
    assert.equal((await ok(rfcRoutes.get, at, bob)).rfc.reference, rfc.reference);
    assert.equal((await ok(rfcRoutes.review, at, alice, { body: { reviewers: [bob.Id], days: 7 } })).rfc.status, 'in_review');
    const raised = await ok(rfcRoutes.raiseConcern, at, bob, { body: { text: 'What does it cost?' } });
    assert.equal(raised.rfc.openConcerns, 1);
    const resolved = await ok(rfcRoutes.resolveConcern, { ...at, concernId: raised.concernId }, bob, { body: { resolution: 'Answered in the doc' } });
    assert.equal(resolved.rfc.openConcerns, 0);
    assert.equal((await ok(rfcRoutes.answer, at, bob, { body: { answer: 'hold', note: 'numbers first' } })).rfc.reviewers[0]!.answer, 'hold');
    assert.equal((await ok(rfcRoutes.delegate, at, bob, { body: { to: carol.Id } })).rfc.reviewers[0]!.delegate, carol.Id);
    await ok(rfcRoutes.approve, at, bob, { body: {} });
    assert.equal((await ok(rfcRoutes.decide, at, alice, { body: { action: 'accept' } })).rfc.status, 'accepted');
    assert.notEqual((await ok(rfcRoutes.reviewed, at, alice, { body: {} })).rfc.lastReviewedAt, null);
    const next = (await ok(rfcRoutes.create, { teamId: teamId() }, alice, { body: { title: 'Adopt OpenTelemetry, v2', channel_id: town.Id } })).rfc;
    assert.equal((await ok(rfcRoutes.supersede, at, alice, { body: { by: next.number } })).rfc.supersededBy, next.number);
  });

  it('guilds: every route answers its contract shape', async () => {
    const seeded = await ok(guildRoutes.list, { teamId: teamId() }, alice);
    assert.ok(seeded.items.length >= 2, 'the two handbook guilds are seeded');
    // The harness clock is Monday 2027-01-04 10:00 in Berlin: the guild meets at 10:05 today.
    const { guild } = await ok(guildRoutes.create, { teamId: teamId() }, alice, {
      body: { name: 'Platform Guild', day: 1, time: '10:05', time_zone: 'Europe/Berlin', channel_id: town.Id, sources: ['incidents', 'rfcs', 'pick'] },
    });
    const at = { teamId: teamId(), slug: guild.slug };
    assert.notEqual((await ok(guildRoutes.get, at, alice)).guild.nextMeetingAt, null);
    assert.equal((await ok(guildRoutes.edit, at, alice, { body: { purpose: 'Paved roads' } })).guild.purpose, 'Paved roads');
    const queued = await ok(guildRoutes.queue, at, bob, { body: { text: 'Golden images' } });
    assert.equal(queued.item.text, 'Golden images');
    const dropped = (await ok(guildRoutes.queue, at, bob, { body: { text: 'Typo, drop me' } })).item;
    const unqueued = await ok(guildRoutes.unqueue, { ...at, n: dropped.id }, bob);
    assert.equal(unqueued.item.id, dropped.id);
    assert.deepEqual(unqueued.guild.queue.map((q) => q.text), ['Golden images']);
    await ok(guildRoutes.note, at, alice, { body: { kind: 'decision', text: 'Adopt Backstage' } });
    const typo = (await ok(guildRoutes.note, at, alice, { body: { text: 'Typo, drop me too' } })).guild.notes.find((n) => n.text === 'Typo, drop me too');
    assert.ok(typo, 'the note is on the guild');
    const unnoted = await ok(guildRoutes.unnote, { ...at, n: typo.id }, alice);
    assert.equal(unnoted.note.id, typo.id);
    assert.deepEqual(unnoted.guild.notes.map((n) => n.text), ['Adopt Backstage']);
    const { agenda } = await ok(guildRoutes.agenda, at, alice);
    assert.ok(agenda.queued.some((q) => q.text === 'Golden images'));
    // A close closes the meeting that has started (before its start only with `early`).
    h.clock += 10 * 60_000;
    const closed = await ok(guildRoutes.close, at, alice, { body: { done: ['all'] } });
    assert.equal(closed.guild.queue.length, 0);
    assert.ok(closed.meeting.done.length > 0);
    assert.notEqual(closed.guild.lastMeeting, null);
    const deleted = await ok(guildRoutes.delete, at, alice);
    assert.equal(deleted.guild.slug, guild.slug);
    assert.ok(!(await ok(guildRoutes.list, { teamId: teamId() }, alice)).items.some((g) => g.slug === guild.slug));
  });

  it('infra: health and what the caller owes answer their contract shape', async () => {
    assert.equal((await ok(infraRoutes.health, {}, alice)).status, 'ok');
    const owed = await ok(infraRoutes.owe, { teamId: teamId() }, bob);
    assert.ok(Array.isArray(owed.sections));
  });

  it('alerts: sources answer their contract shape; incidents they open in triage are accepted or dismissed', async () => {
    const admin = world.addUser('teamadmin');
    world.addTeamMember(team.Id, admin.Id, 'team_user team_admin');
    const at = { teamId: teamId() };
    const created = await ok(alertRoutes.create, at, admin, { body: { name: 'prom', type: 'alertmanager', responder_ids: [alice.Id] } });
    assert.equal(created.source.name, 'prom');
    assert.ok(created.secret.length >= 32);
    assert.ok(!JSON.stringify((await ok(alertRoutes.list, at, admin)).items).includes(created.secret), 'the secret is shown only once');
    assert.equal((await ok(alertRoutes.edit, { ...at, slug: 'prom' }, admin, { body: { default_severity: 2 } })).source.defaultSeverity, 2);
    const { secret } = await ok(alertRoutes.rotate, { ...at, slug: 'prom' }, admin, { body: {} });
    const notify = async (groupKey: string) => {
      const alert = { status: 'firing', labels: { alertname: groupKey }, annotations: {}, startsAt: '2027-01-04T09:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: groupKey };
      const body = { version: '4', groupKey, truncatedAlerts: 0, status: 'firing', receiver: 'r', groupLabels: {}, commonLabels: { alertname: groupKey }, commonAnnotations: {}, externalURL: '', alerts: [alert] };
      const res = await h.http('POST', `/hooks/alertmanager/${created.source.id}?token=${encodeURIComponent(secret)}`, null, body);
      assert.equal(res.status, 202);
    };
    await notify('first');
    await notify('second');
    for (let i = 0; i < 3; i++) await h.ctx.scheduler.runDue();
    const triage = (await ok(incidentRoutes.list, at, alice, { query: { state: 'all' } })).items.filter((i) => i.phase === 'triage');
    assert.equal(triage.length, 2);
    const [one, two] = triage as [(typeof triage)[number], (typeof triage)[number]];
    assert.equal((await ok(incidentRoutes.accept, { ...at, number: one.number }, alice, { body: {} })).incident.phase, 'active');
    assert.equal((await ok(incidentRoutes.dismiss, { ...at, number: two.number }, alice, { body: { reason: 'noise' } })).incident.phase, 'dismissed');
    assert.equal((await ok(alertRoutes.remove, { ...at, slug: 'prom' }, admin)).source.name, 'prom');
  });

  it('runs: every route answers its contract shape, from the start to the report; templates export and import', async () => {
    const at = { teamId: teamId() };
    const started = (await ok(runRoutes.start, at, alice, { body: { kind: 'release', name: '9.9', channel_id: town.Id } })).run;
    const run = { ...at, number: started.number };
    assert.ok((await ok(runRoutes.list, at, alice)).items.some((r) => r.number === started.number));
    assert.equal((await ok(runRoutes.get, run, alice)).run.name, '9.9');
    assert.equal((await ok(runRoutes.item, { ...run, ref: '1.1' }, alice, { body: { action: 'check' } })).run.progress.done, 1);
    assert.match((await ok(runRoutes.report, run, alice)).markdown, /^# RUN-\d+ 9\.9/);
    const templates = (await ok(runRoutes.templates, at, alice)).items;
    const admin = world.addUser('runsadmin');
    world.addTeamMember(team.Id, admin.Id, 'team_user team_admin');
    const document = await ok(runRoutes.exportTemplate, { ...at, slug: templates[0]!.slug }, admin);
    const imported = await ok(runRoutes.importTemplate, at, admin, { body: { source: 'infra-ops', document: JSON.stringify(document) } });
    assert.equal(imported.template.version, 2, 'a template of that name gets its next version');
    // An item with a command (unknown to this server: its failure is the answer and on the timeline).
    const scripted = structuredClone(document);
    scripted.template.name = 'Scripted';
    scripted.template.checklists[0]!.items[0]!.command = '/no-such-command now';
    await ok(runRoutes.importTemplate, at, admin, { body: { source: 'infra-ops', document: JSON.stringify(scripted) } });
    const scriptedRun = (await ok(runRoutes.start, at, alice, { body: { kind: 'release', name: '9.9-scripted', template: 'Scripted', channel_id: town.Id } })).run;
    const exec = await ok(runRoutes.execItem, { ...at, number: scriptedRun.number, ref: '1.1' }, alice);
    assert.equal(exec.ok, false);
    assert.ok(exec.text.length > 0);

    // The sidebar's actions on the run: items, gates, finish, the retrospective, stats.
    for (const u of [bob, carol, admin]) world.addChannelMember(started.channelId, u.Id);
    const item = (ref: string) => ({ ...run, ref });
    const named = await ok(runRoutes.nameApprovers, item('2.1'), alice, { body: { usernames: ['@alice', '@bob'], quorum: { kind: 'atLeast', n: 2 } } });
    assert.deepEqual(named.run.checklists[1]!.items[0]!.gate!.seats.map((s) => s.userId), [alice.Id, bob.Id]);
    assert.deepEqual((await ok(runRoutes.assignItem, item('1.2'), alice, { body: { usernames: ['@alice', '@bob'] } })).run.checklists[0]!.items[1]!.assignees, [alice.Id, bob.Id]);
    assert.equal((await ok(runRoutes.dueItem, item('1.2'), alice, { body: { due: Date.now() + 3_600_000 } })).run.checklists[0]!.items[1]!.due !== null, true);
    const added = await ok(runRoutes.addItem, run, alice, { body: { checklist: 1, title: 'Tell support' } });
    assert.equal((await ok(runRoutes.removeItem, { ...run, ref: added.ref }, alice)).run.checklists[0]!.items.length, started.checklists[0]!.items.length);
    assert.equal((await ok(runRoutes.answerGate, item('2.1'), alice, { body: { answer: 'approve' } })).run.checklists[1]!.items[0]!.gate!.approvals, 1);
    const concern = await ok(runRoutes.raiseConcern, item('2.1'), bob, { body: { text: 'No load test' } });
    assert.equal((await ok(runRoutes.resolveConcern, { ...item('2.1'), concernId: concern.concernId }, bob, { body: {} })).run.checklists[1]!.items[0]!.gate!.concerns[0]!.resolvedBy, bob.Id);
    assert.equal((await ok(runRoutes.delegateGate, item('2.1'), bob, { body: { to: '@carol' } })).run.checklists[1]!.items[0]!.gate!.seats[1]!.delegate, carol.Id);
    assert.equal((await ok(runRoutes.overrideGate, item('2.2'), admin, { body: { reason: 'signed off by mail' } })).run.checklists[1]!.items[1]!.gate!.state, 'passed');
    assert.equal((await ok(runRoutes.retro, run, alice)).retro.reminded, false);
    assert.equal((await ok(runRoutes.writeRetro, run, alice, { body: { section: 1, text: 'Shipped 9.9' } })).retro.sections[0]!.text, 'Shipped 9.9');
    // Status updates: post one, set the cadence, snooze the reminder, and a participant asks for one.
    assert.ok((await ok(runRoutes.statusUpdate, run, alice, { body: { text: 'Rolled out to 10%' } })).run.nextUpdateDueAt !== undefined);
    assert.equal((await ok(runRoutes.cadence, run, alice, { body: { minutes: 60 } })).run.updateCadenceMinutes, 60);
    assert.notEqual((await ok(runRoutes.snooze, run, alice, { body: { for: '1h' } })).run.snoozedUntil, null);
    assert.equal((await ok(runRoutes.requestUpdate, run, bob, { body: {} })).asked, true);
    assert.equal((await ok(runRoutes.finish, run, admin, { body: { override: 'demo' } })).run.status, 'finished');
    assert.notEqual((await ok(runRoutes.publishRetro, run, alice, { body: {} })).retro.publishedAt, null);
    assert.ok((await ok(runRoutes.stats, at, alice)).items.some((s) => s.template === started.template.name && s.finished === 1));
  });

  it('webhooks: team admins add, list, rotate and remove them; the secret only in add and rotate', async () => {
    const admin = world.addUser('hooksadmin');
    world.addTeamMember(team.Id, admin.Id, 'team_user team_admin');
    const at = { teamId: teamId() };
    const added = await ok(webhookRoutes.add, at, admin, { body: { url: 'https://hooks.example.com/infra' } });
    assert.ok(added.secret.length >= 32);
    assert.ok(!JSON.stringify((await ok(webhookRoutes.list, at, admin)).items).includes(added.secret));
    const rotated = await ok(webhookRoutes.rotate, { ...at, webhookId: added.webhook.id }, admin);
    assert.notEqual(rotated.secret, added.secret);
    assert.ok(Array.isArray((await ok(webhookRoutes.deliveries, at, admin)).items));
    assert.equal((await ok(webhookRoutes.remove, { ...at, webhookId: added.webhook.id }, admin)).webhook.id, added.webhook.id);
  });

  it('covered every route of the contract', () => {
    const missing = ALL_ROUTES.flatMap((routes) => Object.entries(routes).filter(([, r]) => !called.has(r)).map(([name, r]) => `${name} ${r.method} ${r.path}`));
    assert.deepEqual(missing, []);
  });

  it('every websocket event published decodes with its contract schema', async () => {
    await h.command(alice, town.Id, '/pick board', team);
    const seen = new Set<string>();
    for (const e of world.events) {
      assert.ok((EVENT_NAMES as string[]).includes(e.event), `${e.event} is an event of the contract`);
      const event = e.event as EventName;
      seen.add(event);
      const payload: unknown = e.payload;
      assert.ok(isRecord(payload) && Object.keys(payload).join() === 'data', `${event}: {data: JSON text}`);
      decodeJson(EVENT_PAYLOADS[event] as z.core.$ZodType, payload.data, event);
    }
    for (const event of ['incident_declared', 'incident_updated', 'pick_idea_changed', 'pick_board_opened', 'rfc_changed', 'guild_changed']) {
      assert.ok(seen.has(event), `${event} was published`);
    }
  });
});
