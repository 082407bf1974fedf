import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as z from 'zod/mini';
import type { Channel, User } from '../../plugin/model/types';
import { runRoutes, type TemplateDocument } from '../contract/runs';
import { fixture as incidentFixture } from '../incidents/test_fixture';
import { IncidentStore } from '../incidents/store';
import { teamFixture, type TeamFixture } from '../pick/test_fixture';
import { ProductHarness } from '../testing/product_harness';
import { nextReminder, nextUpdateDue } from '../shared/time/cadence';
import { parseSnooze } from './status_commands';
import { parseCadence, REQUEST_WINDOW_MS, request, snoozeUntil } from './status_updates';
import { runSchema } from './records';

const M = 60_000;
const H = 60 * M;
const T = Date.UTC(2027, 0, 4, 9);

test('cadence: due one cadence after the last update or the start, never before a snooze; reminded once per slot, again one cadence later; never has none', () => {
  const base = { lastAt: null, startedAt: T, cadenceMinutes: 60, snoozedUntil: null };
  assert.equal(nextUpdateDue(base), T + H);
  assert.equal(nextReminder({ ...base, remindedFor: null }), T + H);
  assert.equal(nextReminder({ ...base, remindedFor: T + H }), T + 2 * H, 'the slot was reminded: the next is one cadence later');
  assert.equal(nextUpdateDue({ ...base, lastAt: T + 90 * M }), T + 150 * M, 'an update restarts the clock');
  assert.equal(nextReminder({ ...base, lastAt: T + 90 * M, remindedFor: T + H }), T + 150 * M, 'an old slot does not hold a new due time back');
  assert.equal(nextUpdateDue({ ...base, snoozedUntil: T + 3 * H }), T + 3 * H);
  assert.equal(nextUpdateDue({ ...base, snoozedUntil: T + 30 * M }), T + H, 'a snooze ending before the due time changes nothing');
  assert.equal(nextReminder({ ...base, remindedFor: T + H, snoozedUntil: T + 5 * H }), T + 5 * H);
  assert.equal(nextUpdateDue({ ...base, cadenceMinutes: null }), null);
  assert.equal(nextReminder({ ...base, cadenceMinutes: null, remindedFor: T + H }), null);
});

test('snooze: 1h and 4h from now; tomorrow is the snoozer’s local morning, across daylight-saving changes', () => {
  assert.equal(snoozeUntil('1h', T, 'UTC'), T + H);
  assert.equal(snoozeUntil('4h', T, 'UTC'), T + 4 * H);
  assert.equal(snoozeUntil('tomorrow', T, 'UTC'), Date.UTC(2027, 0, 5, 9));
  // Berlin springs forward in the night to Sunday 2027-03-28: 09:00 CEST is 07:00 UTC.
  assert.equal(snoozeUntil('tomorrow', Date.UTC(2027, 2, 27, 20), 'Europe/Berlin'), Date.UTC(2027, 2, 28, 7));
  // New York falls back in the night to Sunday 2027-11-07: 09:00 EST is 14:00 UTC.
  assert.equal(snoozeUntil('tomorrow', Date.UTC(2027, 10, 6, 12), 'America/New_York'), Date.UTC(2027, 10, 7, 14));
  // 23:30 in Tokyo is still the day before in UTC: tomorrow is Tokyo's tomorrow.
  assert.equal(snoozeUntil('tomorrow', Date.UTC(2027, 0, 4, 14, 30), 'Asia/Tokyo'), Date.UTC(2027, 0, 5, 0));
  assert.equal(parseSnooze('Tomorrow'), 'tomorrow');
  assert.equal(parseSnooze('off'), null);
  assert.throws(() => parseSnooze('2h'), /Snooze for `1h`, `4h`, `tomorrow`/);
});

test('cadence words: durations in whole minutes, never, severity; anything else is refused', () => {
  assert.deepEqual(parseCadence('30m'), { minutes: 30 });
  assert.deepEqual(parseCadence('2 hours'), { minutes: 120 });
  assert.deepEqual(parseCadence('1d'), { minutes: 1440 });
  assert.deepEqual(parseCadence('Never'), { minutes: null });
  assert.equal(parseCadence('severity'), 'severity');
  assert.throws(() => parseCadence('soon'), /Say how often/);
  assert.throws(() => parseCadence('0m'), /Say how often/);
  assert.throws(() => parseCadence('200d'), /Say how often/);
});

test('a request is recorded once per window; an update or the window’s end opens the next', () => {
  const run = runSchema.parse(JSON.parse(JSON.stringify(minimalRun())));
  const first = request(run, 'u2', T, 'asked');
  assert.notEqual(first, run);
  if (typeof first === 'symbol') throw new Error('changed');
  assert.equal(request(first, 'u3', T + 10 * M, 'asked again'), request(first, 'u3', T + 10 * M, 'x'), 'SAME within the window');
  assert.equal(typeof request(first, 'u3', T + 10 * M, 'x'), 'symbol');
  assert.notEqual(typeof request(first, 'u3', T + REQUEST_WINDOW_MS, 'x'), 'symbol', 'after the window');
  const updated = { ...first, updates: { ...first.updates, lastAt: T + 5 * M } };
  assert.notEqual(typeof request(updated, 'u3', T + 10 * M, 'x'), 'symbol', 'after an update');
});

test('a version-1 run reads as version 2: its template cadence, no update yet, its incident from its name', () => {
  const v1 = minimalRun();
  const read = runSchema.parse({ ...v1, kind: 'incident', name: 'INC-042 Checkout down', statusUpdateMinutes: 30 });
  assert.equal(read.v, 2);
  assert.deepEqual(read.updates, { cadenceMinutes: 30, source: 'template', lastAt: null, lastBy: null, snoozedUntil: null, remindedFor: null, requestedAt: null, requestedBy: null });
  assert.equal(read.incident, 'INC-042');
  assert.equal(runSchema.parse(v1).incident, null);
});

function channelNamed(f: TeamFixture, name: string): Channel {
  const found = [...f.world.channels.values()].find((c) => c.Name === name);
  assert.ok(found, `channel ${name} exists`);
  return found;
}

/** A team template "Timed release": the Product release with status updates every hour. */
async function timedTemplate(f: TeamFixture): Promise<void> {
  const base = `/api/v1/teams/${f.team.Id}/templates`;
  const doc = (await f.h.http('GET', `${base}/product-release`, f.admin)).body as TemplateDocument;
  const timed = { ...doc, template: { ...doc.template, name: 'Timed release', statusUpdateMinutes: 60 } };
  assert.equal((await f.h.http('POST', `${base}/import`, f.admin, { source: 'infra-ops', document: JSON.stringify(timed) })).status, 201);
}

test('a release from a template with a cadence: the card shows the next due time, the owner is reminded once per slot across two nodes, with snooze buttons', async () => {
  const f = await teamFixture();
  await timedTemplate(f);
  await f.cmd(f.alice, '/release start 7.0 --template Timed release');
  const ch = channelNamed(f, 'release-7-0');
  f.world.addChannelMember(ch.Id, f.bob.Id);
  const card = f.world.postsIn(ch.Id).find((p) => /#### RUN-001/.test(p.Message ?? ''))!;
  assert.match(card.Message!, /Status updates every 1 hour · next due 2027-01-04 10:00 UTC/);
  const key = `run-status:${f.team.Id}:1`;
  assert.equal(await f.h.ctx.scheduler.dueAt(key), T + H);

  const other = await new ProductHarness(f.world, f.h.clock).activate();
  const reminders = () => f.world.postsIn(ch.Id).filter((p) => (p.Message ?? '').startsWith('⏰'));
  f.h.clock = other.clock = T + 61 * M;
  await Promise.all([f.h.ctx.scheduler.runDue(), other.ctx.scheduler.runDue()]);
  await Promise.all([f.h.ctx.scheduler.runDue(), other.ctx.scheduler.runDue()]);
  assert.equal(reminders().length, 1, 'one reminder for the slot, however many nodes');
  assert.match(reminders()[0]!.Message!, /⏰ @alice, RUN-001 7\.0 needs a status update: one is expected every 1 hour, and the last was 1 hour ago\. It was due at 2027-01-04 10:00 UTC/);
  assert.equal(await f.h.ctx.scheduler.dueAt(key), T + 2 * H, 'the next slot, one cadence later');
  f.h.clock = other.clock = T + 2 * H + M;
  await Promise.all([f.h.ctx.scheduler.runDue(), other.ctx.scheduler.runDue()]);
  assert.equal(reminders().length, 2, 'a missed update is nudged again, once');

  // The reminder's snooze button: the owner may, a channel member who is not the owner may not.
  type Button = { name: string; integration: { url: string; context: Record<string, unknown> } };
  const post = reminders()[1]!;
  const buttons = ((post.Props?.['attachments'] as Array<{ actions: Button[] }>) ?? []).flatMap((a) => a.actions);
  assert.deepEqual(buttons.map((b) => b.name), ['Snooze 1h', 'Snooze 4h', 'Until tomorrow']);
  const click = async (user: User, name: string): Promise<string> => {
    const b = buttons.find((x) => x.name === name)!;
    const res = await f.h.http('POST', b.integration.url.replace('/plugins/infra-ops', ''), user, { post_id: post.Id, context: b.integration.context });
    return String((res.body as { ephemeral_text: string }).ephemeral_text);
  };
  assert.match(await click(f.bob, 'Snooze 4h'), /Only the run owner and team admins can change when status updates are due/);
  assert.match(await click(f.alice, 'Snooze 4h'), /RUN-001: the status-update reminder is snoozed until 2027-01-04 15:01 UTC/);
  assert.equal(await f.h.ctx.scheduler.dueAt(key), T + 6 * H + M);
  const view = z.parse(runRoutes.get.answer, (await f.h.http('GET', `/api/v1/teams/${f.team.Id}/runs/1`, f.bob)).body).run;
  assert.deepEqual([view.updateCadenceMinutes, view.nextUpdateDueAt, view.snoozedUntil], [60, T + 6 * H + M, T + 6 * H + M]);

  // An update restarts the clock and ends the snooze; it is posted in the channel and on the timeline.
  f.h.clock = T + 3 * H;
  assert.match(await f.cmd(f.bob, '/run update Canary at 10%, no errors', ch), /Posted the status update of RUN-001; the next is due 2027-01-04 13:00 UTC/);
  assert.match(f.world.postsIn(ch.Id).at(-1)!.Message!, /#### RUN-001 7\.0: status update\nCanary at 10%, no errors\n\n_@bob · next update due 2027-01-04 13:00 UTC_/);
  assert.equal(await f.h.ctx.scheduler.dueAt(key), T + 4 * H);
  const timeline = await f.cmd(f.alice, '/run timeline', ch);
  assert.match(timeline, /@alice snoozed the status-update reminder until 2027-01-04 15:01 UTC/);
  assert.match(timeline, /@bob posted a status update: Canary at 10%, no errors/);
  assert.match(f.world.posts.get(card.Id!)!.Message!, /Status updates every 1 hour · next due 2027-01-04 13:00 UTC/, 'the card follows');
  assert.match(await f.cmd(f.carol, '/run update hi', ch), /cannot post|post in/i, 'carol reads the open channel but cannot post in it');
  other.close();
  f.h.close();
});

test('cadence and never by the owner; requests for an update reach the owner once per window; the same over HTTP with strict bodies', async () => {
  const f = await teamFixture();
  f.world.users.get(f.alice.Id)!.Timezone = { useAutomaticTimezone: 'false', manualTimezone: 'Europe/Berlin', automaticTimezone: '' };
  await f.cmd(f.alice, '/release start 8.0');
  const ch = channelNamed(f, 'release-8-0');
  const key = `run-status:${f.team.Id}:1`;
  assert.match(f.world.postsIn(ch.Id)[0]!.Message!, /Status updates: not expected/, 'the Product release template says never');
  assert.equal(await f.h.ctx.scheduler.dueAt(key), null);
  assert.match(await f.cmd(f.alice, '/run snooze 1h', ch), /not expected on this run/);
  f.world.addChannelMember(ch.Id, f.bob.Id);
  assert.match(await f.cmd(f.bob, '/run cadence 1h', ch), /Only the run owner and team admins can change when status updates are due/);
  assert.match(await f.cmd(f.alice, '/run cadence 90m', ch), /RUN-001: status updates every 90 minutes; next due 2027-01-04 10:30 UTC/);
  assert.equal(await f.h.ctx.scheduler.dueAt(key), T + 90 * M);
  assert.match(await f.cmd(f.alice, '/run cadence 90 minutes', ch), /Nothing changed on RUN-001/);
  assert.match(await f.cmd(f.alice, '/run cadence whenever', ch), /Say how often/);
  assert.match(await f.cmd(f.alice, '/run cadence severity', ch), /Only an incident's runbook follows the severity setting/);
  assert.match(await f.cmd(f.alice, '/run snooze tomorrow', ch), /snoozed until 2027-01-05 08:00 UTC/, "alice's morning in Berlin");
  assert.match(await f.cmd(f.alice, '/run snooze off', ch), /no longer snoozed/);
  assert.match(await f.cmd(f.admin, '/run cadence never', ch), /status updates never/, 'a team admin may');
  assert.equal(await f.h.ctx.scheduler.dueAt(key), null, 'never: no reminder at all');

  // Requests: carol can read the open channel (not post): she may ask; dave asking next is told it was asked.
  const dm = (await f.h.api.getDirectChannel(f.h.ctx.botUserId, f.alice.Id)).Id;
  assert.match(await f.cmd(f.carol, '/run request-update', ch), /Asked @alice for a status update on RUN-001/);
  assert.match(await f.cmd(f.dave, '/run request-update', ch), /@carol already asked for a status update on RUN-001 at 2027-01-04 09:00 UTC/);
  assert.match(await f.cmd(f.alice, '/run request-update', ch), /You own RUN-001: post the update/);
  assert.equal(f.world.postsIn(dm).length, 1, 'the owner is asked once');
  assert.match(f.world.postsIn(dm)[0]!.Message!, /@carol asks for a status update on RUN-001 8\.0 in ~release-8-0/);
  assert.match(await f.cmd(f.outsider, '/run request-update', ch), /There is no run in this channel/);
  f.h.clock += REQUEST_WINDOW_MS;
  assert.match(await f.cmd(f.dave, '/run request-update', ch), /Asked @alice/, 'the window is over');
  assert.equal(f.world.postsIn(dm).length, 2);

  const base = `/api/v1/teams/${f.team.Id}/runs/1`;
  const set = await f.h.http('PATCH', `${base}/cadence`, f.alice, { minutes: 45 });
  assert.equal(set.status, 200);
  assert.equal(z.parse(runRoutes.cadence.answer, set.body).run.updateCadenceMinutes, 45);
  assert.equal((await f.h.http('PATCH', `${base}/cadence`, f.alice, { minutes: 45, extra: 1 })).status, 400, 'strict body');
  assert.equal((await f.h.http('PATCH', `${base}/cadence`, f.alice, { minutes: 0 })).status, 400);
  assert.equal((await f.h.http('PATCH', `${base}/cadence`, f.bob, { minutes: 30 })).status, 403);
  const snoozed = await f.h.http('PATCH', `${base}/snooze`, f.alice, { for: '1h' });
  assert.equal(z.parse(runRoutes.snooze.answer, snoozed.body).run.snoozedUntil, f.h.clock + H);
  assert.equal((await f.h.http('PATCH', `${base}/snooze`, f.alice, { for: '2h' })).status, 400);
  const posted = await f.h.http('POST', `${base}/updates`, f.bob, { text: 'Rolled out' });
  assert.equal(posted.status, 201);
  assert.equal(z.parse(runRoutes.statusUpdate.answer, posted.body).run.snoozedUntil, null, 'an update ends the snooze');
  assert.equal((await f.h.http('POST', `${base}/updates`, f.bob, { text: '  ' })).status, 400);
  const asked = await f.h.http('POST', `${base}/request-update`, f.carol, {});
  assert.deepEqual([asked.status, (asked.body as { asked: boolean }).asked], [200, true]);
  assert.equal((await f.h.http('POST', `${base}/request-update`, f.outsider, {})).status, 404);
  assert.match(await f.cmd(f.alice, '/run timeline', ch), /@carol asked for a status update[\s\S]*@alice set status updates every 45 minutes[\s\S]*@bob posted a status update: Rolled out/);
  f.h.close();
});

test("an incident's runbook shares the incident's one reminder: /run cadence and snooze re-time it, the incident's updates land on the run's timeline", async () => {
  const f = await incidentFixture({ IncidentUpdateIntervalSev2: 15 });
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Packet loss'));
  const id = (await new IncidentStore(f.h.ctx.kv).incidentIdForChannel(ch.Id))!;
  const reminder = `incident-reminder:${id}`;
  const declared = f.h.clock;
  assert.equal(await f.h.ctx.scheduler.dueAt(reminder), declared + 15 * M, 'the built-in incident template follows the severity setting');
  assert.match(await f.cmd(f.alice, '/run checklist', ch), /Status updates every 15 minutes · next due/);
  assert.match(await f.cmd(f.alice, '/run update Rerouted', ch), /post its status update with `\/incident update <text>`/);

  assert.match(await f.cmd(f.alice, '/run cadence 1h', ch), /status updates every 1 hour/);
  assert.equal(await f.h.ctx.scheduler.dueAt(reminder), declared + H, "the incident's reminder follows the runbook");
  assert.equal([...(await f.h.ctx.kv.listKeys('sched:job:run-status:'))].length, 0, 'the run schedules no reminder of its own');
  assert.match(await f.cmd(f.alice, '/run snooze 4h', ch), /snoozed until/);
  assert.equal(await f.h.ctx.scheduler.dueAt(reminder), declared + 4 * H);
  f.h.clock += 30 * M;
  await f.cmd(f.alice, '/incident status Rerouted traffic', ch);
  assert.equal(await f.h.ctx.scheduler.dueAt(reminder), f.h.clock + H, 'an update restarts the runbook cadence and ends the snooze');
  assert.match(await f.cmd(f.alice, '/run timeline', ch), /@alice posted the incident's status update: Rerouted traffic/);
  assert.match(await f.cmd(f.alice, '/run cadence severity', ch), /follow the severity setting \(every 15 minutes\)/);
  assert.equal(await f.h.ctx.scheduler.dueAt(reminder), f.h.clock + 15 * M);
  f.h.clock += 16 * M;
  await f.h.ctx.scheduler.runDue();
  assert.equal(f.world.postsIn(ch.Id).filter((p) => (p.Message ?? '').startsWith('⏰')).length, 1, 'one reminder: the incident’s');
  f.h.close();
});

test('/infra owe lists the status updates a run owner owes and the items due today or overdue, of runs they can see now', async () => {
  const f = await teamFixture();
  await timedTemplate(f);
  await f.cmd(f.alice, '/release start 9.0 --template Timed release');
  const ch = channelNamed(f, 'release-9-0');
  f.world.addChannelMember(ch.Id, f.bob.Id);
  await f.cmd(f.alice, '/run assign 3.1 @bob', ch);
  await f.cmd(f.alice, '/run due 3.1 in 3h', ch);
  assert.match(await f.cmd(f.alice, '/infra owe'), /RUN-001 9\.0: a status update is due 2027-01-04 10:00 UTC — `\/run update <text>`/);
  assert.match(await f.cmd(f.bob, '/infra owe'), /RUN-001 9\.0: 3\.1 “[^”]+” is due today at 2027-01-04 12:00 UTC/);
  f.h.clock += 4 * H;
  assert.match(await f.cmd(f.alice, '/infra owe'), /a status update was due 2027-01-04 10:00 UTC \(overdue\)/);
  assert.match(await f.cmd(f.bob, '/infra owe'), /3\.1 “[^”]+” is overdue/);
  f.world.channels.get(ch.Id)!.Type = 'P';
  f.world.channelMembers.delete(`${ch.Id}:${f.bob.Id}`);
  assert.doesNotMatch(await f.cmd(f.bob, '/infra owe'), /RUN-001/, 'nothing of a run bob can no longer see');
  f.h.close();
});

function minimalRun(): Record<string, unknown> {
  return {
    v: 1,
    teamId: 't',
    number: 1,
    ordinal: 0,
    kind: 'release',
    name: '1.0',
    channelId: 'c',
    ownerId: 'u1',
    template: { slug: 'product-release', name: 'Product release', version: 1 },
    status: 'active',
    startedAt: T,
    updatedAt: T,
    finishedAt: null,
    finishOverride: null,
    checklists: [],
    statusUpdateMinutes: 60,
    timeline: [],
    timelineCount: 0,
    cardPostId: null,
    retro: { sections: [], publishedAt: null, publishedBy: null },
  };
}
