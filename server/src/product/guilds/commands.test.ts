import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IncidentReviewItem, IncidentReviewSource } from '../shared/agenda_sources';
import { People } from '../shared/people';
import { teamFixture } from '../pick/test_fixture';
import { PickService } from '../pick/service';
import { ProductHarness } from '../testing/product_harness';
import { RfcService } from '../rfc/service';
import { GuildService } from './service';
import { renderAgenda } from './commands';

const DAY = 86_400_000;

/** An incidents source as the guilds feature sees it, recording what was marked reviewed. */
class FakeIncidents implements IncidentReviewSource {
  reviewed: Array<{ teamId: string; ids: readonly string[]; at: number }> = [];
  constructor(public items: IncidentReviewItem[]) {}
  async pendingReview(teamId: string): Promise<IncidentReviewItem[]> {
    const done = new Set(this.reviewed.filter((r) => r.teamId === teamId).flatMap((r) => r.ids));
    return this.items.filter((i) => !done.has(i.incidentId));
  }
  async markReviewed(teamId: string, ids: readonly string[], at: number): Promise<void> {
    this.reviewed.push({ teamId, ids, at });
  }
}

test('the handbook guilds are seeded once, inactive, and only an admin gives them a channel', async () => {
  const f = await teamFixture();
  await new ProductHarness(f.world).activate(); // a second node activating must not duplicate them
  const list = await f.cmd(f.alice, '/guild list');
  assert.match(list, /\*\*Reliability Engineering Guild\*\* \(`reliability-engineering-guild`\) — Incident Review & Knowledge share · every Monday 10:00 UTC · inactive \(no channel\)/);
  assert.match(list, /\*\*Infrastructure Guild\*\* \(`infrastructure-guild`\) — Cross-org collaboration · every Thursday 10:00 UTC · inactive/);
  assert.equal((await f.h.ctx.kv.listKeys('guild:g:')).length, 2);

  assert.match(await f.cmd(f.alice, '/guild edit infrastructure --channel ~town-square'), /Infrastructure Guild is a default guild; only an admin may change it/);
  const edited = await f.cmd(f.admin, '/guild edit infrastructure --channel ~town-square --tz Europe/Berlin --time 15:00');
  assert.match(edited, /Updated \*\*Infrastructure Guild\*\*\. Next meeting: Thu 2027-01-07 15:00 Europe\/Berlin \(14:00 UTC\) in ~town-square/);
  await new ProductHarness(f.world).activate(); // seeding again keeps the admin's edits
  assert.match(await f.cmd(f.alice, '/guild list'), /Infrastructure Guild.*every Thursday 15:00 Europe\/Berlin · ~town-square/);
  assert.equal(f.events('guild_changed').at(-1)!.guild !== undefined, true);
  f.h.close();
});

test('create with a schedule; next meeting is DST-correct; bad input is refused clearly', async () => {
  const f = await teamFixture();
  const created = await f.cmd(f.alice, '/guild create Platform Sync --day tue --time 9:30 --tz america/new_york --every 2 weeks --channel ~town-square --members @bob @carol SRE --sources rfcs,pick --purpose Weekly platform decisions');
  assert.match(created, /Created \*\*Platform Sync\*\* \(`platform-sync`\)\. Next meeting: Tue 2027-01-05 09:30 America\/New_York \(14:30 UTC\)/);
  const guild = await f.h.ctx.kv.get('guild:g:platform-sync', (await import('./schema')).guildSchema);
  assert.deepEqual(guild?.members, [{ kind: 'user', userId: f.bob.Id }, { kind: 'user', userId: f.carol.Id }, { kind: 'label', text: 'SRE' }]);
  assert.equal(guild?.anchorDate, '2027-01-05');

  f.h.clock = Date.parse('2027-03-03T12:00:00Z');
  // Every 2 weeks from 5 January: … 2 March, 16 March (after the US change on 14 March), 30 March.
  assert.match(await f.cmd(f.bob, '/guild next platform'), /meets next Tue 2027-03-16 09:30 America\/New_York \(13:30 UTC\)/);
  f.h.clock = Date.parse('2027-03-17T00:00:00Z');
  assert.match(await f.cmd(f.bob, '/guild next platform-sync'), /Tue 2027-03-30 09:30 America\/New_York \(13:30 UTC\)/);

  const cases: Array<[string, RegExp]> = [
    ['/guild create', /Name the guild/],
    ['/guild create X --time 10:00 --tz UTC', /--day is required/],
    ['/guild create X --day funday --time 10:00 --tz UTC', /"funday" is not a weekday/],
    ['/guild create X --day mon --time 25:00 --tz UTC', /"25:00" is not a time/],
    ['/guild create X --day mon --time 10:00 --tz Mars/Olympus', /"Mars\/Olympus" is not an IANA time zone/],
    ['/guild create X --day mon --time 10:00 --tz UTC --every 0', /--every is 1 to 12 weeks/],
    ['/guild create X --day mon --time 10:00 --tz UTC --every often', /is not a number of weeks/],
    ['/guild create X --day mon --time 10:00 --tz UTC --sources gossip', /Unknown source gossip/],
    ['/guild create X --day mon --time 10:00 --tz UTC --channel ~nowhere', /There is no channel ~nowhere/],
    ['/guild create X --day mon --time 10:00 --tz UTC --colour red', /Unknown option --colour/],
    ['/guild create X --day --time 10:00 --tz UTC', /--day needs a value/],
    ['/guild create Platform Sync --day mon --time 10:00 --tz UTC', /A guild "platform-sync" already exists/],
    ['/guild create !!! --day mon --time 10:00 --tz UTC', /needs letters or digits/],
    ['/guild edit platform-sync', /Say what to change/],
    ['/guild edit platform-sync --channel ~town-square --no-channel', /Use either --channel or --no-channel/],
    ['/guild next', /Say which guild/],
    ['/guild next nosuch', /There is no guild "nosuch"/],
    ['/guild agenda zzz', /There is no guild "zzz"/],
    ['/guild queue platform', /Say what to add/],
    ['/guild notes', /Say which guild/],
    ['/guild close platform-sync --done Q9', /Not on this agenda: Q9/],
    ['/guild close platform-sync --done Q1 --carry Q2', /either --done or --carry/],
  ];
  for (const [text, expected] of cases) assert.match(await f.cmd(f.alice, text), expected, text);
  assert.match(await f.cmd(f.carol, '/guild edit platform-sync --time 11:00'), /Only whoever created Platform Sync or an admin/);
  assert.match(await f.cmd(f.outsider, '/guild list'), /not a member of this one/);
  f.h.close();
});

test('agenda from live data: incidents, RFCs in review with days left and missing sign-offs, new and disputed Challenge ideas', async () => {
  const f = await teamFixture();
  const ctx = f.h.ctx;
  // Live RFC in review and a Challenge idea, through the real commands.
  await f.cmd(f.alice, '/rfc new Adopt OpenTofu');
  await f.cmd(f.alice, '/rfc review 1 @bob @carol --days 4');
  await f.cmd(f.bob, '/rfc approve 1');
  await f.cmd(f.dave, '/rfc concern 1 Migration plan?');
  await f.cmd(f.alice, '/pick add Own CI runners');
  for (const [u, p, c] of [[f.alice, 9, 9], [f.bob, 6, 7], [f.carol, 10, 10]] as const) await f.cmd(u, `/pick score 1 payoff=${p} cost=${c}`);
  await f.cmd(f.alice, '/pick add Secret challenge', f.secret);
  for (const u of [f.alice, f.bob]) await f.cmd(u, '/pick score 2 payoff=9 cost=9', f.secret);

  const incidents = new FakeIncidents([
    { incidentId: 'i1', reference: 'INC-004', title: 'Registry outage', severity: 2, resolvedAt: ctx.now() - DAY, mttrMinutes: 95, openFollowups: 2, channelId: 'c' },
    { incidentId: 'i2', reference: 'INC-005', title: 'DNS flap', severity: 3, resolvedAt: ctx.now() - 2 * DAY, mttrMinutes: null, openFollowups: 0, channelId: 'c' },
  ]);
  const pick = new PickService(ctx, async () => null);
  const rfcs = new RfcService(ctx, { title: async () => '', link: async () => undefined });
  const guilds = new GuildService(ctx, { incidents, rfcs, ideas: pick });
  await f.cmd(f.admin, '/guild edit reliability --channel ~town-square --sources incidents');
  await f.cmd(f.admin, '/guild edit infrastructure --channel ~town-square --sources rfcs,pick');

  await guilds.queue(f.carol.Id, f.team.Id, 'reliability', 'On-call handbook refresh');
  const rel = await guilds.agenda(f.alice.Id, f.team.Id, 'reliability-engineering-guild');
  assert.deepEqual(rel.incidents.map((i) => i.reference), ['INC-004', 'INC-005']);
  assert.deepEqual(rel.rfcs, [], 'sources decide what a guild sees');
  const relText = await renderAgenda(rel, new People(ctx.api), ctx.now());
  assert.match(relText, /#### Reliability Engineering Guild — agenda for Mon 2027-01-04 10:00 UTC \(10:00 UTC\)/);
  assert.match(relText, /\*\*Queued\*\*\n- `Q1` On-call handbook refresh \(@carol\)/);
  assert.match(relText, /`INC-004` Registry outage — SEV2, resolved .*, MTTR 1h 35m, 2 open follow-ups/);
  assert.match(relText, /`INC-005` DNS flap — SEV3, .*MTTR unknown, 0 open follow-ups/);

  const infra = await guilds.agenda(f.alice.Id, f.team.Id, 'infrastructure-guild');
  assert.equal(infra.rfcs.length, 1);
  assert.deepEqual(infra.rfcs[0]!.missingSignoffs, [f.carol.Id]);
  assert.equal(infra.rfcs[0]!.openConcerns, 1);
  assert.deepEqual(infra.ideas.map((i) => i.reference), ['IDEA-1'], 'the private channel’s idea stays out of a public agenda');
  const infraText = await renderAgenda(infra, new People(ctx.api), ctx.now());
  assert.match(infraText, /`RFC-001` Adopt OpenTofu — 4 days left; missing sign-off: @carol; 1 open concern/);
  assert.match(infraText, /`IDEA-1` Own CI runners — new Challenge: open an RFC\?/);

  // The same agenda through the product's own command (real incidents source: none pending).
  const viaCommand = await f.cmd(f.bob, '/guild agenda infrastructure');
  assert.match(viaCommand, /RFCs in review\*\*\n- `RFC-001` Adopt OpenTofu — 4 days left/);
  assert.match(viaCommand, /Challenge ideas \(new or disputed\)\*\*\n- `IDEA-1` Own CI runners/);

  // Close the reliability meeting: the incident and the queued item are done.
  f.h.clock += 2 * 3_600_000;
  const { meeting } = await guilds.close(f.alice.Id, f.team.Id, 'reliability', { done: ['inc-004', 'Q1'] });
  assert.deepEqual(meeting.reviewedIncidents, ['INC-004']);
  assert.deepEqual(incidents.reviewed.map((r) => r.ids), [['i1']]);
  const next = await guilds.agenda(f.alice.Id, f.team.Id, 'reliability');
  assert.deepEqual(next.incidents.map((i) => i.reference), ['INC-005'], 'unreviewed incidents come back');
  assert.equal(next.queued.length + next.carried.length, 0);
  assert.match(await renderAgenda(next, new People(ctx.api), ctx.now()), /`INC-005` DNS flap — SEV3, resolved .* \(still unreviewed from before\)/);

  // After the meeting, the Challenge idea is no longer new; only disputed ones stay.
  await guilds.close(f.alice.Id, f.team.Id, 'infrastructure', {});
  assert.deepEqual((await guilds.agenda(f.alice.Id, f.team.Id, 'infrastructure')).ideas, []);
  f.h.close();
});

test('queue, notes and close: decisions and actions recorded, unfinished items carried over', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/guild create Ops Review --day wed --time 16:00 --tz Europe/Berlin --channel ~town-square');
  assert.match(await f.cmd(f.bob, '/guild queue "ops review" Capacity planning for Q2'), /Queued Q1 for Ops Review \(Wed 2027-01-06 16:00 Europe\/Berlin \(15:00 UTC\)\)/);
  await f.cmd(f.carol, '/guild queue ops Budget for observability');
  await f.cmd(f.alice, '/guild notes ops decision: We move to weekly capacity reviews');
  await f.cmd(f.alice, '/guild notes ops action Bob drafts the capacity model');
  await f.cmd(f.alice, '/guild notes ops Attendance was good');
  assert.match(await f.cmd(f.carol, '/infra owe'), /Guild agendas\*\*\n- Your agenda item Q2 for Ops Review: Budget for observability/);
  const agenda = await f.cmd(f.bob, '/guild agenda ops');
  assert.match(agenda, /\*\*Queued\*\*\n- `Q1` Capacity planning for Q2 \(@bob\)\n- `Q2` Budget for observability \(@carol\)/);
  assert.match(agenda, /\*\*Notes so far\*\*\n- decision: We move to weekly capacity reviews \(@alice\)\n- action: Bob drafts the capacity model \(@alice\)\n- Attendance was good/);

  f.h.clock = Date.parse('2027-01-06T16:00:00Z');
  const closed = await f.cmd(f.alice, '/guild close ops --carry Q2');
  assert.match(closed, /Closed the Ops Review meeting: 1 item done, 0 incidents reviewed, 1 carried over, 3 notes recorded/);
  const summary = f.world.postsIn(f.town.Id).at(-1)!.Message!;
  assert.match(summary, /#### Ops Review — meeting closed\n\*\*Decisions\*\*\n- We move to weekly capacity reviews \(@alice\)\n\*\*Action items\*\*\n- Bob drafts the capacity model/);
  assert.match(summary, /\*\*Carried to the next meeting:\*\* Q2 Budget for observability/);
  const after = await f.cmd(f.bob, '/guild agenda ops');
  assert.match(after, /\*\*Carried over\*\*\n- `Q2` Budget for observability \(@carol, carried 1×\)/);
  assert.doesNotMatch(after, /`Q1`|Notes so far/);
  assert.match(after, /agenda for Wed 2027-01-13 16:00 Europe\/Berlin/, 'the closed meeting is behind us');
  await f.cmd(f.alice, '/guild close ops --done all');
  assert.doesNotMatch(await f.cmd(f.bob, '/guild agenda ops'), /`Q2`/);
  assert.doesNotMatch(await f.cmd(f.carol, '/infra owe'), /Q2/);
  f.h.close();
});

test('a guild in a private channel is only for its members', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/guild create Inner Circle --day fri --time 12:00 --tz UTC --channel ~secret');
  assert.match(await f.cmd(f.bob, '/guild agenda inner'), /Inner Circle — agenda/);
  assert.match(await f.cmd(f.carol, '/guild agenda inner'), /There is no guild "inner"/);
  assert.match(await f.cmd(f.carol, '/guild queue inner sneaky'), /There is no guild "inner"/);
  assert.match(await f.cmd(f.carol, '/guild create Spy --day fri --time 12:00 --tz UTC --channel ~secret'), /There is no such channel you can see/);
  assert.match(await f.cmd(f.bob, '/guild list'), /Inner Circle.*~secret/);
  assert.doesNotMatch(await f.cmd(f.carol, '/guild list'), /Inner Circle|~secret/, 'neither the guild nor its private channel is listed');
  const listed = await f.h.http('GET', `/api/v1/guilds?team_id=${f.team.Id}`, f.carol);
  assert.deepEqual((listed.body as { guilds: Array<{ slug: string }> }).guilds.map((g) => g.slug).sort(), ['infrastructure-guild', 'reliability-engineering-guild']);
  assert.equal((await f.h.http('GET', `/api/v1/guilds/inner-circle?team_id=${f.team.Id}`, f.carol)).status, 404);
  f.h.close();
});

test('HTTP: list with next meeting, agenda, queue, notes, close; bad bodies are 400', async () => {
  const f = await teamFixture();
  const t = f.team.Id;
  const created = await f.h.http('POST', '/api/v1/guilds', f.alice, { team_id: t, name: 'Web Guild', day: 2, time: '10:00', time_zone: 'Europe/Berlin', channel_id: f.town.Id, sources: ['rfcs'] });
  assert.equal(created.status, 201);
  assert.equal((await f.h.http('POST', '/api/v1/guilds', f.alice, { team_id: t, name: 'Bad', day: 9, time: '10:00', time_zone: 'UTC' })).status, 400);
  assert.equal((await f.h.http('POST', '/api/v1/guilds', f.alice, { team_id: t, name: 'Bad', day: 1, time: '10:00', time_zone: 'Nowhere/City' })).status, 400);
  const ghost = await f.h.http('POST', '/api/v1/guilds', f.alice, { team_id: t, name: 'Ghosts', day: 1, time: '10:00', time_zone: 'UTC', members: [{ kind: 'user', userId: f.outsider.Id }] });
  assert.deepEqual([ghost.status, (ghost.body as { error: string }).error], [400, `Member ${f.outsider.Id} is not on this team.`]);
  const list = await f.h.http('GET', `/api/v1/guilds?team_id=${t}`, f.bob);
  const guilds = (list.body as { guilds: Array<{ slug: string; nextMeetingAt: number }> }).guilds;
  assert.deepEqual(guilds.map((g) => g.slug).sort(), ['infrastructure-guild', 'reliability-engineering-guild', 'web-guild']);
  assert.equal(guilds.find((g) => g.slug === 'web-guild')!.nextMeetingAt, Date.parse('2027-01-05T09:00:00Z'));
  assert.equal((await f.h.http('POST', '/api/v1/guilds/web-guild/queue', f.bob, { team_id: t, text: 'Bundle size' })).status, 201);
  assert.equal((await f.h.http('POST', '/api/v1/guilds/web-guild/queue', f.bob, { team_id: t })).status, 400);
  assert.equal((await f.h.http('POST', '/api/v1/guilds/web-guild/notes', f.bob, { team_id: t, kind: 'decision', text: 'Ship it' })).status, 201);
  const agenda = await f.h.http('GET', `/api/v1/guilds/web-guild/agenda?team_id=${t}`, f.bob);
  assert.equal((agenda.body as { agenda: { queued: Array<{ text: string }> } }).agenda.queued[0]!.text, 'Bundle size');
  const patched = await f.h.http('PATCH', '/api/v1/guilds/web-guild', f.bob, { team_id: t, time: '11:00' });
  assert.equal(patched.status, 403);
  assert.equal((await f.h.http('PATCH', '/api/v1/guilds/web-guild', f.alice, { team_id: t, every_weeks: 3 })).status, 200);
  const closed = await f.h.http('POST', '/api/v1/guilds/web-guild/close', f.alice, { team_id: t, carry: ['Q1'] });
  assert.equal(closed.status, 200);
  assert.deepEqual((closed.body as { meeting: { carried: string[] } }).meeting.carried, ['Q1 Bundle size']);
  assert.equal((await f.h.http('GET', `/api/v1/guilds/nope/agenda?team_id=${t}`, f.bob)).status, 404);
  assert.equal((await f.h.http('GET', `/api/v1/guilds?team_id=${t}`, f.outsider)).status, 403);
  f.h.close();
});

test('guild events go to the guild channel only', async () => {
  const f = await teamFixture();
  await f.cmd(f.alice, '/guild create Inner Circle --day fri --time 12:00 --tz UTC --channel ~secret');
  await f.cmd(f.bob, '/guild queue inner Private matter');
  const events = f.world.events.filter((e) => e.event === 'guild_changed');
  assert.equal(events.length, 2);
  for (const e of events) assert.deepEqual(e.broadcast, { ChannelId: f.secret.Id });
  f.h.close();
});

test('an item queued while a meeting is being closed stays queued for the next one', async () => {
  const f = await teamFixture();
  let queueDuringClose = false;
  const incidents: IncidentReviewSource = {
    // Runs while close() reads the agenda: the moment another user's /guild queue can land.
    pendingReview: async () => {
      if (queueDuringClose) {
        queueDuringClose = false;
        await guilds.queue(f.bob.Id, f.team.Id, 'ops', 'Late item');
      }
      return [];
    },
    markReviewed: async () => {},
  };
  const guilds: GuildService = new GuildService(f.h.ctx, { incidents, rfcs: { inReview: async () => [] }, ideas: { challengeAgenda: async () => [] } });
  await f.cmd(f.alice, '/guild create Ops --day wed --time 16:00 --tz UTC --channel ~town-square --sources incidents');
  await guilds.queue(f.carol.Id, f.team.Id, 'ops', 'Discussed item');
  queueDuringClose = true;
  const { meeting, guild } = await guilds.close(f.alice.Id, f.team.Id, 'ops', {});
  assert.deepEqual(meeting.done, ['Q1 Discussed item']);
  assert.deepEqual(guild.queue.map((q) => [q.id, q.text, q.carried]), [[2, 'Late item', 0]]);
  f.h.close();
});
