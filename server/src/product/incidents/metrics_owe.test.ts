// Issue 14, incidents: `/incident metrics [days]` (MTTA/MTTR by severity as text, over what the
// caller may see) and `/infra owe` (active incident roles, status updates due, follow-ups with the
// overdue ones marked), in the reader's time zone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './test_fixture';

const MIN = 60_000;
const DAY = 86_400_000;

test('/incident metrics: MTTA and MTTR by severity, only of incidents the caller may see', async () => {
  const f = await fixture();
  const { alice, dave } = f;
  const one = f.channelOf(await f.cmd(alice, '/incident declare sev1 Checkout down --public'));
  const two = f.channelOf(await f.cmd(alice, '/incident declare sev2 Secret leak'));
  await f.cmd(alice, '/incident declare sev3 Slow builds --public');
  f.h.clock += 5 * MIN;
  await f.cmd(alice, '/incident status Rolling back', one);
  f.h.clock += 15 * MIN;
  await f.cmd(alice, '/incident resolve', one);
  f.h.clock += 70 * MIN;
  await f.cmd(alice, '/incident resolve Keys rotated', two);

  assert.equal(
    await f.cmd(alice, '/incident metrics', f.town),
    [
      '**Incident metrics, last 90 days**: incidents you can see, declared since 2026-10-06 10:30 UTC',
      '',
      '| Severity | Incidents | Active | MTTA | MTTR |',
      '|---|---|---|---|---|',
      '| SEV1 (Critical) | 1 | 0 | 5m median · 5m p90 · 1 | 20m median · 20m p90 · 1 |',
      '| SEV2 (Major) | 1 | 0 | — | 1h 30m median · 1h 30m p90 · 1 |',
      '| SEV3 (Minor) | 1 | 1 | — | — |',
      '| SEV4 (Low) | 0 | 0 | — | — |',
      '| **All** | 3 | 1 | 5m median · 5m p90 · 1 | 55m median · 1h 30m p90 · 2 |',
      '',
      '_MTTA and MTTR are measured from detection, else declaration; MTTA counts acknowledged incidents (1 of 3), MTTR resolved ones (2). 0 open follow-ups, 2 awaiting review._',
    ].join('\n'),
  );
  const forDave = await f.cmd(dave, '/incident metrics 30d', f.town);
  assert.match(forDave, /^\*\*Incident metrics, last 30 days\*\*/);
  assert.match(forDave, /\| SEV2 \(Major\) \| 0 \| 0 \| — \| — \|/, 'the private incident is not counted for someone outside it');
  assert.match(forDave, /\| \*\*All\*\* \| 2 \| 1 \|/);
  assert.match(await f.cmd(alice, '/incident metrics 1 day', f.town), /^\*\*Incident metrics, last 1 day\*\*/);
  for (const bad of ['0', 'abc', '4000', '-3']) {
    assert.match(await f.cmd(alice, `/incident metrics ${bad}`, f.town), /is not a number of days\. Give a whole number from 1 to 3650/, bad);
  }
  f.h.clock += 10 * DAY;
  assert.match(await f.cmd(alice, '/incident metrics 7', f.town), /\n_No incidents in that time\._$/);
  assert.match(await f.cmd(f.outsider, '/incident metrics', f.town), /^\*\*Error:\*\* /, 'not for someone outside the team');
  f.h.close();
});

test('/infra owe lists active incident roles with the status update due, in the user’s time zone (usability B3)', async () => {
  // The incident's own lines alone: its runbook's items due today are proven in runs/status_updates.test.ts.
  const f = await fixture({ IncidentUpdateIntervalSev2: 15, IncidentRunbooks: false });
  const { alice, bob, carol, dave } = f;
  alice.Timezone = { useAutomaticTimezone: 'false', manualTimezone: 'Europe/Berlin' };
  const ch = f.channelOf(await f.cmd(alice, '/incident declare sev2 Disk full'));
  await f.cmd(alice, '/incident role scribe @bob', ch);
  await f.cmd(alice, '/incident role comms @carol', ch);
  const other = f.channelOf(await f.cmd(alice, '/incident declare sev4 Noisy alert'));
  await f.cmd(alice, '/incident role scribe @alice', other);

  assert.equal(
    await f.cmd(alice, '/infra owe'),
    [
      '#### What you owe now',
      '**Incidents**',
      '- INC-001 · SEV2 (Major) · ~inc-001-disk-full: you are the commander. Next status update due 2027-01-04 10:15 Europe/Berlin (09:15 UTC).',
      '- INC-002 · SEV4 (Low) · ~inc-002-noisy-alert: you are the commander and scribe.',
    ].join('\n'),
  );
  assert.equal(await f.cmd(bob, '/infra owe'), '#### What you owe now\n**Incidents**\n- INC-001 · SEV2 (Major) · ~inc-001-disk-full: you are the scribe.');
  assert.match(await f.cmd(carol, '/infra owe'), /- INC-001 · SEV2 \(Major\) · ~inc-001-disk-full: you are the comms lead\.$/);
  assert.match(await f.cmd(dave, '/infra owe'), /You owe nothing/);

  f.h.clock += 20 * MIN;
  assert.match(await f.cmd(alice, '/infra owe'), /you are the commander\. A status update is \*\*overdue\*\* since 2027-01-04 10:15 Europe\/Berlin \(09:15 UTC\)\./);
  await f.cmd(alice, '/incident resolve', ch);
  assert.doesNotMatch(await f.cmd(bob, '/infra owe'), /INC-001/, 'roles of resolved incidents are done');
  // Leaving the private channel hides the role too.
  f.world.channelMembers.delete(`${other.Id}:${alice.Id}`);
  assert.match(await f.cmd(alice, '/infra owe'), /You owe nothing/);
  f.h.close();
});

test('/infra owe and the follow-up list mark overdue follow-ups; due dates follow the user’s calendar (usability A4)', async () => {
  const f = await fixture();
  const { alice, bob } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare sev3 Disk full'));
  f.world.addChannelMember(ch.Id, bob.Id);
  await f.cmd(alice, '/incident followup add Alert on disk @bob 2027-01-05', ch);
  await f.cmd(alice, '/incident followup add Clean old logs @bob today', ch);
  await f.cmd(alice, '/incident followup add Write it up @bob', ch);
  await f.cmd(alice, '/incident resolve', ch);
  const owed = (await f.cmd(bob, '/infra owe')).split('\n');
  assert.deepEqual(owed.slice(2), [
    '- INC-001 follow-up #1: Alert on disk — due 2027-01-05',
    '- INC-001 follow-up #2: Clean old logs — due today, 2027-01-04',
    '- INC-001 follow-up #3: Write it up',
  ]);
  f.h.clock += 2 * DAY;
  assert.deepEqual((await f.cmd(bob, '/infra owe')).split('\n').slice(2, 4), [
    '- INC-001 follow-up #1: Alert on disk — due 2027-01-05, **overdue**',
    '- INC-001 follow-up #2: Clean old logs — due 2027-01-04, **overdue**',
  ]);
  const list = await f.cmd(bob, '/incident followup list', ch);
  assert.match(list, /- ⬜ #1 Alert on disk — @bob, due 2027-01-05, \*\*overdue\*\*/);
  await f.cmd(bob, '/incident followup done 1', ch);
  assert.match(await f.cmd(bob, '/incident followup list', ch), /- ☑️ #1 Alert on disk — @bob, due 2027-01-05\n/, 'a done follow-up is not overdue');
  // 23:30 in Los Angeles on Jan 5 is Jan 6 in UTC: "today" is the user's.
  bob.Timezone = { useAutomaticTimezone: 'true', automaticTimezone: 'America/Los_Angeles' };
  f.h.clock = Date.UTC(2027, 0, 6, 7, 30);
  assert.match(await f.cmd(bob, '/infra owe'), /#2: Clean old logs — due 2027-01-04, \*\*overdue\*\*/);
  assert.match(await f.cmd(bob, '/incident followup add Tidy up @bob 2027-01-05', ch), /due 2027-01-05\.$/, 'still today in Los Angeles');
  f.h.close();
});
