import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POST_RUNES_MAX } from '../shared/text/limits';
import { type GuildFixture, guildFixture } from './test_fixture';

const DAY = 86_400_000;

/** Resolved incidents in an open channel (town) and a private one (secret), and an RFC and an idea in each. */
function liveItems(f: GuildFixture): void {
  const now = f.clock.now;
  const incident = (n: number, channelId: string, title: string) => ({
    incidentId: `i${n}`,
    reference: `INC-00${n}`,
    title,
    severity: 2,
    resolvedAt: now - n * DAY,
    mttrMinutes: 95,
    openFollowups: 2,
    channelId,
    teamId: f.team.Id,
  });
  f.sources.incidentItems = [incident(4, f.town.Id, 'Registry outage'), incident(5, f.secret.Id, 'Payroll data leak'), incident(6, f.elsewhere.Id, 'Other team')];
  f.sources.incidentItems[2]!.teamId = f.other.Id;
  f.sources.rfcItems = [
    { rfcId: 'r1', reference: 'RFC-001', title: 'Adopt OpenTofu', commentPeriodEndsAt: now + 4 * DAY, missingSignoffs: [f.carol.Id], openConcerns: 1, channelId: f.town.Id, teamId: f.team.Id },
    { rfcId: 'r2', reference: 'RFC-002', title: 'Acquire Initech', commentPeriodEndsAt: null, missingSignoffs: [], openConcerns: 0, channelId: f.secret.Id, teamId: f.team.Id },
  ];
  f.sources.ideaItems = [{ ideaId: 'p1', reference: 'IDEA-1', title: 'Own CI runners', quadrant: 'challenge', disputed: false, channelId: f.town.Id, teamId: f.team.Id }];
}

test('an agenda shows each reader what they may see; the rest only as a count', async () => {
  const f = await guildFixture();
  liveItems(f);
  await f.cmd(f.alice, '/guild create Reliability Review --day mon --time 12:00 --tz UTC --channel ~town-square --sources incidents,rfcs,pick');
  const bob = await f.cmd(f.bob, '/guild agenda reliability-review');
  assert.match(bob, /\*\*Incidents to review\*\*\n- `INC-004` Registry outage — SEV2, resolved \d{4}-\d\d-\d\d [^,]*, MTTR 1h 35m, 2 open follow-ups\n- `INC-005` Payroll data leak/);
  assert.doesNotMatch(bob, /Other team/, 'another team’s incidents never');
  const carol = await f.cmd(f.carol, '/guild agenda reliability-review');
  assert.doesNotMatch(carol, /Payroll|INC-005|Initech/);
  assert.match(carol, /- `INC-004` Registry outage[^\n]*\n- _\+1 incident you can't see_/);
  assert.match(carol, /`RFC-001` Adopt OpenTofu — 4 days left; missing sign-off: @carol; 1 open concern\n- _\+1 RFC you can't see_/);
  assert.match(carol, /`IDEA-1` Own CI runners — Challenge: open an RFC\?/);
  assert.deepEqual(f.sources.readerLog.slice(-3), [{ userId: f.carol.Id }, { userId: f.carol.Id }, { userId: f.carol.Id }]);

  const http = await f.http('GET', `/teams/${f.team.Id}/guilds/reliability-review/agenda`, f.carol);
  const agenda = (http.body as { agenda: { incidents: Array<Record<string, unknown>>; hidden: Record<string, number> } }).agenda;
  assert.deepEqual(agenda.incidents.map((i) => i.reference), ['INC-004']);
  assert.equal('channelId' in agenda.incidents[0]!, false, 'no channel ids of incidents in the answer');
  assert.deepEqual(agenda.hidden, { incidents: 1, rfcs: 1, ideas: 0 });

  // Sources decide what a guild reads at all.
  await f.cmd(f.alice, '/guild edit reliability-review --sources none');
  const none = await f.cmd(f.bob, '/guild agenda reliability-review');
  assert.doesNotMatch(none, /Incidents to review|RFCs in review|Challenge/);
  f.close();
});

test('a long agenda is shortened with "…and N more", never over the post limit, the footer kept', async () => {
  const f = await guildFixture();
  await f.cmd(f.alice, '/guild create Ops --day mon --time 12:00 --tz UTC --channel ~town-square --sources incidents');
  for (let i = 0; i < 100; i++) await f.service.queue(f.bob.Id, f.team.Id, 'ops', `${i} ${'long text '.repeat(99)}`);
  for (let i = 0; i < 40; i++) await f.service.note(f.bob.Id, f.team.Id, 'ops', 'decision', `${i} ${'decided '.repeat(249)}`);
  const agenda = await f.cmd(f.bob, '/guild agenda ops');
  assert.ok([...agenda].length <= POST_RUNES_MAX, `agenda of ${[...agenda].length} runes`);
  assert.match(agenda, /\n…and \d+ more\n/);
  assert.match(agenda, /Close with `\/guild close ops/);
  f.close();
});

test('closing closes the meeting that is due — even on the wrong day — never a later one, and only once', async () => {
  const f = await guildFixture({}, Date.parse('2027-01-01T12:00:00Z'));
  await f.cmd(f.alice, '/guild create Ops --day mon --time 10:00 --tz UTC --channel ~town-square');
  assert.match(await f.cmd(f.alice, '/guild close ops'), /No Ops meeting has taken place yet: the first is Mon 2027-01-04 10:00 UTC — in 3 days/);
  await f.cmd(f.bob, '/guild queue ops Capacity planning');
  // Thursday: Monday's meeting was held and not closed yet. Closing now closes Monday's.
  f.clock.now = Date.parse('2027-01-07T15:00:00Z');
  assert.match(await f.cmd(f.bob, '/guild next ops'), /meets next Mon 2027-01-11 10:00 UTC/);
  const closed = await f.cmd(f.alice, '/guild close ops');
  assert.match(closed, /Closed the Ops meeting of Mon 2027-01-04 10:00 UTC: 0 items done, 0 incidents reviewed, 1 carried over, 0 notes recorded/);
  assert.match(closed, /Nothing was marked done; next time use `--done Q1,INC-042…`/);
  assert.match(await f.cmd(f.bob, '/guild next ops'), /meets next Mon 2027-01-11 10:00 UTC/, 'the next meeting is not used up');
  assert.match(await f.cmd(f.alice, '/guild close ops --done all'), /The Ops meeting of Mon 2027-01-04 10:00 UTC is already closed\. The next one is Mon 2027-01-11 10:00 UTC — in 4 days/);
  assert.match(await f.cmd(f.bob, '/guild next ops'), /Mon 2027-01-11 10:00 UTC/, 'repeated closes skip nothing');
  assert.match(await f.cmd(f.bob, '/guild agenda ops'), /\*\*Carried over\*\*\n- `Q1` Capacity planning \(@bob, carried 1×\)/);
  // Before the next start only `--early` closes it — that one meeting, and never a second.
  f.clock.now = Date.parse('2027-01-11T09:50:00Z');
  assert.match(await f.cmd(f.alice, '/guild close ops --done Q1'), /already closed\. The next one is Mon 2027-01-11 10:00 UTC — in 10 minutes; close it once it has started, or before that with `--early`/);
  assert.match(await f.cmd(f.alice, '/guild close ops --done Q1 --early'), /^Closed the Ops meeting of Mon 2027-01-11 10:00 UTC early, before its start \(it gets no start post\): 1 item done/);
  for (const again of ['/guild close ops --early', '/guild close ops --early --done all', '/guild close ops']) {
    assert.match(await f.cmd(f.alice, again), /The Ops meeting of Mon 2027-01-11 10:00 UTC was already closed early\. The next one is Mon 2027-01-18 10:00 UTC — in 7 days; close it once it has started\./, again);
  }
  assert.match(await f.cmd(f.bob, '/guild next ops'), /meets next Mon 2027-01-18 10:00 UTC/, 'one occurrence used up, not more');
  f.clock.now = Date.parse('2027-01-18T11:00:00Z');
  assert.match(await f.cmd(f.alice, '/guild close ops'), /^Closed the Ops meeting of Mon 2027-01-18 10:00 UTC: /);
  f.close();
});

test('close: --done and --carry combine; incidents are reviewed only when named, only those the closer sees, only those their feature marks', async () => {
  const f = await guildFixture({}, Date.parse('2027-01-03T12:00:00Z'));
  await f.cmd(f.alice, '/guild create Reliability --day mon --time 10:00 --tz UTC --channel ~town-square --sources incidents --facilitators @carol');
  liveItems(f);
  f.sources.incidentItems.push({ ...f.sources.incidentItems[0]!, incidentId: 'i7', reference: 'INC-007', title: 'Refused one' });
  f.sources.refuse.add('i7');
  await f.cmd(f.bob, '/guild queue reliability First');
  await f.cmd(f.bob, '/guild queue reliability Second');
  await f.cmd(f.bob, '/guild queue reliability Third');
  await f.cmd(f.bob, '/guild notes reliability action @all Bob drafts the capacity model');
  f.clock.now = Date.parse('2027-01-04T11:00:00Z');
  const cases: Array<[string, RegExp]> = [
    ['/guild close reliability --done Q9', /Not on this agenda: Q9\./],
    ['/guild close reliability --done INC-005', /Not on this agenda: INC-005/], // carol can't see it
    ['/guild close reliability --done Q1 --carry q1', /Q1 can't be both done and carried over/],
    ['/guild close reliability --done all,Q1', /Not on this agenda: ALL/],
  ];
  for (const [text, expected] of cases) assert.match(await f.cmd(f.carol, text), expected, text);
  assert.deepEqual(f.sources.marked, [], 'nothing happened yet');

  const reply = await f.cmd(f.carol, '/guild close reliability --done inc-4,INC-007 --carry Q2');
  assert.match(reply, /2 items done, 1 incident reviewed, 1 carried over, 1 note recorded/);
  assert.match(reply, /Not marked reviewed \(you may not mark these\): INC-007; they stay on the agenda/);
  assert.deepEqual(f.sources.marked, [{ actor: f.carol.Id, ids: ['i4', 'i7'], marked: ['i4'] }]);

  const summary = f.world.postsIn(f.town.Id).at(-1)!;
  assert.equal(summary.UserId, f.ctx.botUserId);
  assert.equal(summary.Props?.['mentionHighlightDisabled'], true);
  assert.match(summary.Message!, /#### Reliability — meeting closed\n_Mon 2027-01-04 10:00 UTC, closed by @carol_\n\*\*Action items\*\*\n- @\u2060all Bob drafts the capacity model \(@bob\)/);
  assert.match(summary.Message!, /\*\*Done:\*\* Q1 First; Q3 Third\n\*\*Incidents reviewed:\*\* INC-004\n\*\*Carried to the next meeting:\*\* Q2 Second/);
  const http = await f.http('GET', `/teams/${f.team.Id}/guilds/reliability`, f.bob);
  assert.deepEqual((http.body as { guild: { queue: Array<{ id: number; carried: number }> } }).guild.queue.map((q) => [q.id, q.carried]), [[2, 1]]);
  f.close();
});

test('two closes racing close the meeting once; an item queued meanwhile stays queued', async () => {
  const f = await guildFixture({}, Date.parse('2027-01-03T12:00:00Z'));
  const second = await f.node();
  await f.cmd(f.alice, '/guild create Ops --day mon --time 10:00 --tz UTC --channel ~town-square --sources incidents');
  await f.cmd(f.carol, '/guild queue ops Discussed item');
  f.clock.now = Date.parse('2027-01-04T11:00:00Z');
  let late = true;
  const pending = f.sources.incidents.pendingReview;
  f.sources.incidents.pendingReview = async (teamId, reader) => {
    // Runs while a close reads its agenda: the moment someone else's /guild queue can land.
    if (late) {
      late = false;
      await f.service.queue(f.bob.Id, f.team.Id, 'ops', 'Late item');
    }
    return pending(teamId, reader);
  };
  const replies = await Promise.all([f.cmd(f.alice, '/guild close ops --done all'), second.cmd(f.admin, '/guild close ops --done all')]);
  assert.equal(replies.filter((r) => /^Closed the Ops meeting/.test(r)).length, 1, replies.join('\n'));
  assert.equal(replies.filter((r) => /already closed/.test(r)).length, 1, replies.join('\n'));
  const guild = (await f.service.store.get(f.team.Id, 'ops'))!;
  assert.equal(guild.meetings.length, 1);
  assert.deepEqual(guild.meetings[0]!.done, ['Q1 Discussed item']);
  assert.deepEqual(guild.queue.map((q) => [q.id, q.text, q.carried]), [[2, 'Late item', 0]]);
  f.close();
});
