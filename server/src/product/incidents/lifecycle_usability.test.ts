// Issue 14, incidents: lifecycles that never surprise. Milestones are only what someone set (or
// what the lifecycle clearly implies, said in the reply) and stay correctable after the resolve;
// resolution summaries accumulate across reopens; the feed and followers hear every state and
// severity change. Each test fails on the behaviour the usability review found.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IncidentMetricsView, IncidentView } from '../contract/incidents';
import { IncidentStore } from './store';
import { fixture, messages } from './test_fixture';

const MIN = 60_000;

test('resolving without an acknowledgement leaves acknowledged unset: MTTA unknown, not equal to MTTR (usability B1)', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Login outage'));
  f.h.clock += 10 * MIN;
  assert.equal(
    await f.cmd(f.alice, '/incident resolve Rolled back', ch),
    'INC-001 resolved at 2027-01-04 09:10 UTC, MTTR 10m.\nSummary: Rolled back\n' +
      'Nobody acknowledged it, so it has no MTTA; set one with `/incident milestone acknowledged <time>`.',
  );
  const view = (await f.h.http('GET', f.url('/1'), f.alice)).body as { incident: IncidentView };
  assert.equal(view.incident.milestones.acknowledged, null, 'the resolve set only what it implies: resolved');
  assert.equal(view.incident.milestones.resolved, f.h.clock);
  assert.equal(view.incident.mttaMinutes, null);
  assert.equal(view.incident.mttrMinutes, 10);
  const metrics = ((await f.h.http('GET', f.url('/metrics'), f.alice)).body as { metrics: IncidentMetricsView }).metrics;
  assert.equal(metrics.mtta.count, 0, 'an unacknowledged incident does not count as acknowledged at its resolve');
  assert.match(await f.cmd(f.alice, '/incident info', ch), /\*\*Acknowledged\*\* — · \*\*Mitigated\*\* — · \*\*Resolved\*\* 2027-01-04 09:10/);
  f.h.close();
});

test('milestones stay correctable after the resolve, in any order that makes sense (usability B1)', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Login outage'));
  f.h.clock += 10 * MIN;
  await f.cmd(f.alice, '/incident resolve', ch);
  f.h.clock += 5 * MIN;
  // The review found both of these refused because of an "acknowledged" nobody entered.
  assert.equal(await f.cmd(f.alice, '/incident milestone mitigated 7m ago', ch), 'INC-001: Mitigated set to 2027-01-04 09:08 UTC. MTTR 10m.');
  assert.equal(await f.cmd(f.alice, '/incident milestone resolved 6m ago', ch), 'INC-001: Resolved set to 2027-01-04 09:09 UTC. MTTR 9m.');
  assert.equal(await f.cmd(f.alice, '/incident milestone acknowledged 12m ago', ch), 'INC-001: Acknowledged set to 2027-01-04 09:03 UTC. MTTA 3m · MTTR 9m.');
  assert.equal(await f.cmd(f.alice, '/incident milestone detected 20m ago', ch), 'INC-001: Detected set to 2027-01-04 08:55 UTC. MTTA 8m · MTTR 14m.');
  // A clash names the milestone in the way and how to correct it.
  assert.equal(
    await f.cmd(f.alice, '/incident milestone mitigated 14m ago', ch),
    '**Error:** Mitigated at 2027-01-04 09:01 UTC cannot be before acknowledged, which is set to 2027-01-04 09:03 UTC; ' +
      'milestones go detected → acknowledged → mitigated → resolved. Use a later time, or correct acknowledged first: ' +
      '`/incident milestone acknowledged <time>` (or `clear`).',
  );
  assert.equal(await f.cmd(f.alice, '/incident milestone acknowledged clear', ch), 'INC-001: Acknowledged cleared. MTTR 14m.');
  assert.equal(await f.cmd(f.alice, '/incident milestone mitigated 14m ago', ch), 'INC-001: Mitigated set to 2027-01-04 09:01 UTC. MTTR 14m.');
  assert.match(await f.cmd(f.alice, '/incident milestone resolved clear', ch), /keeps its resolved time; correct it with `\/incident milestone resolved <time>`, or reopen/);
  const posts = messages(f.world, ch.Id).length;
  assert.equal(
    await f.cmd(f.alice, '/incident milestone mitigated 2027-01-04 09:01', ch),
    'INC-001: Mitigated is already set to 2027-01-04 09:01 UTC; nothing changed.',
  );
  assert.equal(messages(f.world, ch.Id).length, posts, 'setting the same time again posts nothing (usability C: noise)');
  assert.match(messages(f.world, ch.Id).at(-1)!, /⏱️ @alice set \*\*mitigated\*\* to 2027-01-04 09:01 UTC\./);
  f.h.close();
});

test('the first status update acknowledges an unacknowledged incident, and says so; the timeline records it', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Login outage'));
  f.h.clock += 4 * MIN;
  assert.match(await f.cmd(f.alice, '/incident status Looking at the IdP', ch), /it also set \*\*acknowledged\*\* to 2027-01-04 09:04 UTC/);
  f.h.clock += 4 * MIN;
  assert.doesNotMatch(await f.cmd(f.alice, '/incident status Still looking', ch), /acknowledged/, 'only the first update implies it');
  assert.match(await f.cmd(f.alice, '/incident timeline', ch), /@alice acknowledged the incident at 2027-01-04 09:04 UTC with the first status update/);
  // Acknowledged by hand first: the update leaves it alone.
  const other = f.channelOf(await f.cmd(f.alice, '/incident declare sev3 Slow builds'));
  await f.cmd(f.alice, '/incident milestone acknowledged 1m ago', other);
  assert.doesNotMatch(await f.cmd(f.alice, '/incident status Runners added', other), /acknowledged/);
  const view = (await f.h.http('GET', f.url('/2'), f.alice)).body as { incident: IncidentView };
  assert.equal(view.incident.milestones.acknowledged, f.h.clock - MIN);
  f.h.close();
});

test('resolution summaries accumulate across resolve → reopen → resolve; info and the card show them (usability B2)', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Login outage'));
  const summary = async () => ((await f.h.http('GET', f.url('/1'), f.alice)).body as { incident: IncidentView }).incident.resolution?.summary;
  f.h.clock += 10 * MIN;
  await f.cmd(f.alice, '/incident resolve Rolled back bad deploy 4711', ch);
  f.h.clock += 10 * MIN;
  assert.match(await f.cmd(f.alice, '/incident reopen', ch), /its resolution summary is kept for the next resolve/);
  f.h.clock += 10 * MIN;
  const again = await f.cmd(f.alice, '/incident resolve', ch);
  assert.match(again, /\nNo new summary; the earlier one is kept: Rolled back bad deploy 4711\n/);
  assert.equal(await summary(), 'Rolled back bad deploy 4711', 'the first summary is not lost');
  assert.match(await f.cmd(f.alice, '/incident info', ch), /\*\*Resolution\*\*: Rolled back bad deploy 4711/);
  assert.match(f.card(ch.Id).Message ?? '', /\*\*Resolution\*\*: Rolled back bad deploy 4711/, 'the card shows it after the resolve');
  f.h.clock += 10 * MIN;
  await f.cmd(f.alice, '/incident reopen', ch);
  assert.doesNotMatch(f.card(ch.Id).Message ?? '', /Resolution/, 'an active incident shows no resolution');
  f.h.clock += 10 * MIN;
  assert.match(await f.cmd(f.alice, '/incident resolve Also disabled the flag', ch), /\nSummary: Also disabled the flag/);
  assert.equal(await summary(), '2027-01-04 09:10 UTC: Rolled back bad deploy 4711\n2027-01-04 09:50 UTC: Also disabled the flag');
  assert.match(await f.cmd(f.alice, '/incident info', ch), /\*\*Resolution\*\*\n2027-01-04 09:10 UTC: Rolled back bad deploy 4711\n2027-01-04 09:50 UTC: Also disabled the flag/);
  f.h.close();
});

test('a record resolved before the history existed keeps its summary through reopen and resolve', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Old one'));
  await f.cmd(f.alice, '/incident resolve Legacy summary', ch);
  const store = new IncidentStore(f.h.ctx.kv);
  const id = (await store.incidentIdForChannel(ch.Id))!;
  // As an older version stored it: no `resolutions` at all (read back as []).
  await store.update(id, (i) => {
    const { resolutions: _dropped, ...old } = i;
    return old as typeof i;
  });
  assert.deepEqual((await store.get(id))!.resolutions, []);
  await f.cmd(f.alice, '/incident reopen', ch);
  await f.cmd(f.alice, '/incident resolve', ch);
  assert.equal((await store.get(id))!.resolution?.summary, 'Legacy summary');
  f.h.close();
});

test('the feed and followers hear every severity and state change, private incidents without their title (usability A5)', async () => {
  const f = await fixture();
  const { world, alice, bob } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare sev1 Card payments failing'));
  world.addChannelMember(ch.Id, bob.Id);
  await f.cmd(bob, '/incident follow', ch);
  const feedBefore = messages(world, f.feed.Id).length;
  await f.cmd(alice, '/incident severity 4', ch);
  await f.cmd(alice, '/incident resolve Fixed upstream', ch);
  await f.cmd(alice, '/incident reopen', ch);
  await f.cmd(alice, '/incident severity sev 2', ch);
  assert.deepEqual(messages(world, f.feed.Id).slice(feedBefore), [
    '⚠️ **INC-001** (private) changed from SEV1 (Critical) to **SEV4 (Low)**.',
    '✅ **INC-001** (private) was resolved.',
    '🔁 **INC-001** (private) was reopened.',
    '⚠️ **INC-001** (private) changed from SEV4 (Low) to **SEV2 (Major)**.',
  ]);
  const footer = '\n\n_You follow INC-001: ~inc-001-card-payments-failing_';
  assert.deepEqual(f.dms(bob).slice(-4), [
    `**INC-001: Card payments failing** — @alice changed the severity from SEV1 (Critical) to **SEV4 (Low)**.${footer}`,
    `**INC-001: Card payments failing** — ✅ @alice resolved it: Fixed upstream${footer}`,
    `**INC-001: Card payments failing** — 🔁 @alice reopened it.${footer}`,
    `**INC-001: Card payments failing** — @alice changed the severity from SEV4 (Low) to **SEV2 (Major)**.${footer}`,
  ]);
  assert.ok(!f.dms(alice).some((m) => m.includes('changed the severity')), 'the actor is not told of their own change');
  // A follower who left the private channel hears nothing more.
  world.channelMembers.delete(`${ch.Id}:${bob.Id}`);
  const dmsBefore = f.dms(bob).length;
  await f.cmd(alice, '/incident severity 3', ch);
  assert.equal(f.dms(bob).length, dmsBefore);
  f.h.close();
});

test('an implied acknowledgement never lands after mitigation; an older record out of order stays correctable', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Login outage'));
  f.h.clock += 10 * MIN;
  await f.cmd(f.alice, '/incident milestone mitigated 2m ago', ch);
  assert.doesNotMatch(await f.cmd(f.alice, '/incident status Mitigated, watching', ch), /acknowledged/);
  const store = new IncidentStore(f.h.ctx.kv);
  const id = (await store.incidentIdForChannel(ch.Id))!;
  assert.equal((await store.get(id))!.milestones.acknowledged, null, 'not 09:10, after mitigated at 09:08');
  // As older versions could leave it: acknowledged (09:09) after mitigated (09:08). Other milestones stay settable,
  // and the pair itself is corrected one at a time.
  await store.update(id, (i) => ({ ...i, milestones: { ...i.milestones, acknowledged: f.h.clock - MIN } }));
  assert.match(await f.cmd(f.alice, '/incident milestone detected 9m ago', ch), /^INC-001: Detected set to 2027-01-04 09:01 UTC\./);
  assert.match(await f.cmd(f.alice, '/incident milestone acknowledged 9:05', ch), /^INC-001: Acknowledged set to 2027-01-04 09:05 UTC\. MTTA 4m\.$/);
  f.h.close();
});
