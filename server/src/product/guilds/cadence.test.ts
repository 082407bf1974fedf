import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../plugin/api/app_error';
import type { Post } from '../../plugin/model/types';
import { POST_RUNES_MAX } from '../shared/text/limits';
import { cadenceJobKey, nextCadenceEvent } from './cadence';
import { type GuildFixture, type GuildNode, guildFixture } from './test_fixture';

const utc = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 16) + 'Z';

/** Three nodes sharing one world (one database), polling together as an HA cluster's timers overlap. */
async function cluster(settings: Record<string, unknown>, start: number): Promise<{ f: GuildFixture; nodes: GuildNode[]; at: (t: number) => void; poll: () => Promise<number> }> {
  const f = await guildFixture(settings, start);
  const nodes = [f, await f.node(), await f.node()];
  const at = (t: number): void => void (f.clock.now = t);
  const poll = async (): Promise<number> => {
    let ran = 0;
    for (let round = 0; round < 2; round++) for (const n of await Promise.all(nodes.map((node) => node.poll()))) ran += n;
    return ran;
  };
  return { f, nodes, at, poll };
}

const cadencePosts = (f: GuildFixture, slug: string, channelId = f.town.Id): Post[] =>
  f.world.postsIn(channelId).filter((p) => p.Props?.['infra_ops_guild'] === slug);

test('reminders and the start post fire exactly once with three nodes polling, then the next meeting is scheduled', async () => {
  const { f, nodes, at, poll } = await cluster({ GuildReminderLeadMinutes: '1440, 60' }, utc('2027-01-04T09:00:00Z'));
  await f.cmd(f.alice, '/guild create Ops Sync --day mon --time 12:00 --tz UTC --channel ~town-square --members @bob @sre-team Leadership --sources rfcs,pick --purpose Weekly ops');
  await f.cmd(f.carol, '/guild queue ops-sync Capacity for Q2');
  f.sources.rfcItems = [
    { rfcId: 'r1', reference: 'RFC-001', title: 'Adopt OpenTofu', commentPeriodEndsAt: utc('2027-01-08T09:00:00Z'), missingSignoffs: [f.bob.Id, f.carol.Id], openConcerns: 0, channelId: f.town.Id, teamId: f.team.Id },
  ];
  const key = cadenceJobKey(f.team.Id, 'ops-sync');
  // The day-before reminder for today's 12:00 has passed; the hour-before one is next.
  assert.equal(iso((await nodes[1]!.ctx.scheduler.dueAt(key))!), '2027-01-04T11:00Z');

  at(utc('2027-01-04T10:59:59Z'));
  assert.equal(await poll(), 0, 'nothing before its time');
  at(utc('2027-01-04T11:00:00Z'));
  assert.equal(await poll(), 1, 'one node ran the reminder');
  const [reminder] = cadencePosts(f, 'ops-sync');
  assert.equal(cadencePosts(f, 'ops-sync').length, 1);
  assert.equal(reminder!.UserId, f.ctx.botUserId);
  assert.equal(reminder!.Props?.['infra_ops_cadence'], 'reminder');
  assert.equal(reminder!.Props?.['mentionHighlightDisabled'], true);
  const text = reminder!.Message!;
  assert.match(text, /^#### ⏰ Ops Sync meets in 1 hour — Mon 2027-01-04 12:00 UTC\n@bob, @sre-team · Leadership · Weekly ops\nFacilitator: @bob\n\n/); // the rota: bob is the only user member
  assert.match(text, /\*\*Queued\*\*\n- `Q1` Capacity for Q2 \(@carol\)/);
  assert.match(text, /\*\*RFCs in review\*\*\n- `RFC-001` Adopt OpenTofu — 4 days left; missing sign-off: @bob, @carol/);
  assert.match(text, /\*\*Challenge ideas \(new or disputed\):\*\* none\n/, 'a source the guild reads says so when empty');
  assert.doesNotMatch(text, /Incidents to review/, 'a source it does not read stays out');
  assert.match(text, /_Add to the agenda with `\/guild queue ops-sync <item>`\._$/);
  assert.deepEqual(f.sources.readerLog.at(-1), { channelId: f.town.Id }, 'the post reads as its channel');
  assert.equal(iso((await nodes[2]!.ctx.scheduler.dueAt(key))!), '2027-01-04T12:00Z');

  at(utc('2027-01-04T12:00:30Z'));
  assert.equal(await poll(), 1);
  const posts = cadencePosts(f, 'ops-sync');
  assert.deepEqual(posts.map((p) => p.Props?.['infra_ops_cadence']), ['reminder', 'start']);
  assert.match(posts[1]!.Message!, /^#### 📣 Ops Sync starts now — Mon 2027-01-04 12:00 UTC/);
  assert.match(posts[1]!.Message!, /close with `\/guild close ops-sync/);
  // After the start, the chain moves to the next meeting's first reminder (a day before).
  assert.equal(iso((await nodes[0]!.ctx.scheduler.dueAt(key))!), '2027-01-10T12:00Z');
  at(utc('2027-01-10T12:00:00Z'));
  assert.equal(await poll(), 1);
  assert.match(cadencePosts(f, 'ops-sync').at(-1)!.Message!, /meets in 1 day — Mon 2027-01-11 12:00/);
  assert.equal(await poll(), 0, 'polling again runs nothing');
  assert.equal(cadencePosts(f, 'ops-sync').length, 3);
  f.close();
});

test('a channel post shows only items of open channels of the team, counts the rest, and never fires @all', async () => {
  const { f, at, poll } = await cluster({ GuildReminderLeadMinutes: '0' }, utc('2027-01-04T09:00:00Z'));
  await f.cmd(f.alice, '/guild create @channel Inner --day mon --time 12:00 --tz UTC --channel ~secret --sources incidents --members SRE');
  await f.cmd(f.bob, '/guild queue channel-inner @all please read https://example.com', f.secret);
  const incident = (n: number, channelId: string) => ({
    incidentId: `i${n}`, reference: `INC-00${n}`, title: `Incident ${n}`, severity: 3, resolvedAt: utc('2027-01-01T00:00:00Z'), mttrMinutes: 5, openFollowups: 0, channelId, teamId: f.team.Id,
  });
  f.sources.incidentItems = [incident(1, f.town.Id), incident(2, f.secret.Id), incident(3, f.guestroom.Id)];
  // bob (in secret) sees both private incidents in his own agenda; the post in ~secret does not list them.
  assert.match(await f.cmd(f.bob, '/guild agenda channel-inner'), /INC-002/);
  at(utc('2027-01-04T12:00:00Z'));
  assert.equal(await poll(), 1);
  const post = cadencePosts(f, 'channel-inner', f.secret.Id)[0]!.Message!;
  assert.match(post, /^#### 📣 @\u2060channel Inner starts now/, 'not in the guild name either');
  assert.match(post, /\*\*Incidents to review\*\*\n- `INC-001` Incident 1[^\n]*\n- _\+2 private incidents_/);
  assert.doesNotMatch(post, /INC-002|INC-003/);
  assert.match(post, /@\u2060all please read/, '@all is neutralised');
  f.close();
});

test('a long agenda is posted shortened under the post limit, and the chain goes on (M5)', async () => {
  const { f, at, poll } = await cluster({ GuildReminderLeadMinutes: '60' }, utc('2027-01-04T09:00:00Z'));
  await f.cmd(f.alice, '/guild create Ops --day mon --time 12:00 --tz UTC --channel ~town-square');
  for (let i = 0; i < 100; i++) await f.service.queue(f.carol.Id, f.team.Id, 'ops', `${i} ${'a'.repeat(995)}`);
  at(utc('2027-01-04T11:00:00Z'));
  await poll();
  const [reminder] = cadencePosts(f, 'ops');
  assert.ok(reminder, 'posted');
  assert.ok([...reminder.Message!].length <= POST_RUNES_MAX);
  assert.match(reminder.Message!, /…and \d+ more/);
  assert.equal(iso((await f.ctx.scheduler.dueAt(cadenceJobKey(f.team.Id, 'ops')))!), '2027-01-04T12:00Z');
  f.close();
});

test('the posted meeting times follow DST in Berlin and an every-2-weeks schedule in New York', async () => {
  const { f, nodes, at, poll } = await cluster({ GuildReminderLeadMinutes: '60' }, utc('2027-03-01T00:00:00Z'));
  await f.cmd(f.admin, '/guild edit infrastructure --channel ~town-square --tz Europe/Berlin --time 10:00');
  await f.cmd(f.alice, '/guild create NY Sync --day tue --time 9:30 --tz America/New_York --every 2 weeks --channel ~town-square');
  for (let step = 0; step < 40; step++) {
    const due = (await Promise.all(['infrastructure-guild', 'ny-sync'].map((s) => nodes[step % 3]!.ctx.scheduler.dueAt(cadenceJobKey(f.team.Id, s))))).filter(
      (d): d is number => d !== null,
    );
    const next = Math.min(...due);
    if (next > utc('2027-04-15T00:00:00Z')) break;
    at(next);
    assert.equal(await poll(), 1, `one job ran at ${iso(next)}`);
  }
  const fired = f.world
    .postsIn(f.town.Id)
    .filter((x) => x.Props?.['infra_ops_cadence'])
    .map((p) => `${String(p.Props!['infra_ops_guild'])} ${String(p.Props!['infra_ops_cadence'])} ${iso(Number(p.Props!['infra_ops_meeting_at']))}`);
  const berlin = fired.filter((x) => x.startsWith('infrastructure-guild start')).map((x) => x.split(' ')[2]);
  // Thursdays 10:00 local: 09:00 UTC in CET, 08:00 UTC from 28 March (CEST).
  assert.deepEqual(berlin, ['2027-03-04T09:00Z', '2027-03-11T09:00Z', '2027-03-18T09:00Z', '2027-03-25T09:00Z', '2027-04-01T08:00Z', '2027-04-08T08:00Z']);
  const ny = fired.filter((x) => x.startsWith('ny-sync start')).map((x) => x.split(' ')[2]);
  // Every other Tuesday from 2 March, 09:30 local: EST until 14 March, then EDT.
  assert.deepEqual(ny, ['2027-03-02T14:30Z', '2027-03-16T13:30Z', '2027-03-30T13:30Z', '2027-04-13T13:30Z']);
  assert.equal(fired.filter((x) => x.includes(' reminder ')).length, berlin.length + ny.length, 'one reminder per meeting');
  f.close();
});

test('the autumn change and every-N-weeks in the pure event sequence', () => {
  const walk = (guild: Parameters<typeof nextCadenceEvent>[0], leads: number[], from: number, count: number): string[] => {
    const out: string[] = [];
    let after = from;
    for (let i = 0; i < count; i++) {
      const e = nextCadenceEvent(guild, leads, after, 0);
      out.push(`${e.kind}${e.leadMinutes ? `-${e.leadMinutes}` : ''} ${iso(e.at)}`);
      after = e.at;
    }
    return out;
  };
  const berlin = { day: 1, time: '10:00', timeZone: 'Europe/Berlin', everyWeeks: 1, anchorDate: null };
  assert.deepEqual(walk(berlin, [1440, 60], utc('2027-10-24T00:00:00Z'), 6), [
    'reminder-1440 2027-10-24T08:00Z',
    'reminder-60 2027-10-25T07:00Z',
    'start 2027-10-25T08:00Z',
    'reminder-1440 2027-10-31T09:00Z',
    'reminder-60 2027-11-01T08:00Z',
    'start 2027-11-01T09:00Z',
  ]);
  const ny = { day: 4, time: '09:00', timeZone: 'America/New_York', everyWeeks: 3, anchorDate: '2027-10-21' };
  assert.deepEqual(walk(ny, [], utc('2027-10-01T00:00:00Z'), 3), ['start 2027-10-21T13:00Z', 'start 2027-11-11T14:00Z', 'start 2027-12-02T14:00Z']);
  // A meeting closed early uses up its slot.
  assert.equal(iso(nextCadenceEvent(berlin, [], utc('2027-10-25T07:00:00Z'), utc('2027-10-25T08:00:00Z')).at), '2027-11-01T09:00Z');
});

test('edits reschedule, closing just before the start skips the start post, removing the channel cancels', async () => {
  const { f, at, poll } = await cluster({}, utc('2027-01-04T09:00:00Z'));
  const key = cadenceJobKey(f.team.Id, 'ops');
  await f.cmd(f.alice, '/guild create Ops --day tue --time 15:00 --tz UTC --channel ~town-square');
  assert.equal(iso((await f.ctx.scheduler.dueAt(key))!), '2027-01-05T14:00Z', 'default lead: an hour');
  await f.cmd(f.alice, '/guild edit ops --time 16:30 --tz Europe/Berlin');
  assert.equal(iso((await f.ctx.scheduler.dueAt(key))!), '2027-01-05T14:30Z');
  at(utc('2027-01-05T14:30:00Z'));
  assert.equal(await poll(), 1);
  assert.equal(cadencePosts(f, 'ops').length, 1);

  at(utc('2027-01-05T15:20:00Z'));
  assert.match(await f.cmd(f.alice, '/guild close ops'), /close it once it has started, or before that with `--early`/); // 10 minutes before its 15:30 UTC start
  assert.match(await f.cmd(f.alice, '/guild close ops --early'), /Closed .* early, before its start/);
  assert.equal(iso((await f.ctx.scheduler.dueAt(key))!), '2027-01-12T14:30Z', 'next week, not today’s start');
  at(utc('2027-01-05T15:30:00Z'));
  assert.equal(await poll(), 0);
  assert.deepEqual(cadencePosts(f, 'ops').map((p) => p.Props?.['infra_ops_cadence']), ['reminder']);

  // A job left from an old schedule (here the settings changed its lead) posts nothing and re-aims.
  f.world.pluginConfig = { GuildReminderLeadMinutes: '30' };
  at(utc('2027-01-12T14:30:00Z'));
  assert.equal(await poll(), 1);
  assert.equal(cadencePosts(f, 'ops').length, 1, 'the stale hour-before reminder was skipped');
  assert.equal(iso((await f.ctx.scheduler.dueAt(key))!), '2027-01-12T15:00Z');

  await f.cmd(f.alice, '/guild edit ops --no-channel');
  assert.equal(await f.ctx.scheduler.dueAt(key), null, 'an inactive guild has no cadence');
  at(utc('2027-01-20T00:00:00Z'));
  assert.equal(await poll(), 0);
  // Activation on another node must not resurrect it, and gives an active guild without a job one.
  await f.cmd(f.admin, '/guild edit reliability --channel ~town-square');
  const relKey = cadenceJobKey(f.team.Id, 'reliability-engineering-guild');
  await f.ctx.scheduler.cancel(relKey);
  await f.node();
  assert.equal(await f.ctx.scheduler.dueAt(key), null);
  assert.equal(iso((await f.ctx.scheduler.dueAt(relKey))!), '2027-01-25T09:30Z', 'the 30-minute lead set above');
  f.close();
});

test('a failed post is retried with back-off and posted once; the chain never dies, even when every retry fails', async () => {
  const { f, nodes, at, poll } = await cluster({}, utc('2027-01-04T09:00:00Z'));
  await f.cmd(f.alice, '/guild create Ops --day mon --time 12:00 --tz UTC --channel ~town-square');
  const key = cadenceJobKey(f.team.Id, 'ops');
  let mode: 'fail' | 'lose-reply' | 'ok' = 'fail';
  let failures = 1;
  for (const n of nodes) {
    const own = n.api.createPost.bind(n.api);
    n.api.createPost = async (post) => {
      if (!post.Props?.['infra_ops_cadence']) return own(post);
      // Mattermost answers with an error: nothing was posted, so the retry posts.
      if (mode === 'fail' && failures-- > 0) throw new AppError('app.post.save.app_error', 'database unavailable', '', 500);
      if (mode === 'lose-reply') {
        // Mattermost made the post, but the answer never reached the plugin.
        await own(post);
        throw new Error('connection reset');
      }
      return own(post);
    };
  }
  at(utc('2027-01-04T11:00:00Z'));
  await poll();
  assert.equal(cadencePosts(f, 'ops').length, 0);
  assert.equal(new Date((await f.ctx.scheduler.dueAt(key))!).toISOString(), '2027-01-04T11:00:30.000Z', 'retried after the back-off');
  at(utc('2027-01-04T11:00:30Z'));
  await poll();
  assert.equal(cadencePosts(f, 'ops').length, 1);
  assert.equal(iso((await f.ctx.scheduler.dueAt(key))!), '2027-01-04T12:00Z', 'then the start');

  // The start is posted but the reply is lost: the retries must not post it again.
  mode = 'lose-reply';
  for (const t of ['12:00:00', '12:00:30', '12:01:30', '12:03:30']) {
    at(utc(`2027-01-04T${t}Z`));
    await poll();
  }
  assert.deepEqual(cadencePosts(f, 'ops').map((p) => p.Props?.['infra_ops_cadence']), ['reminder', 'start']);
  assert.equal(iso((await f.ctx.scheduler.dueAt(key))!), '2027-01-11T11:00Z', 'and the chain goes on');

  // Every post fails from now on (say Mattermost is down): each event is retried, then the next one comes.
  mode = 'fail';
  failures = Number.POSITIVE_INFINITY;
  const ran: string[] = [];
  for (let step = 0; step < 30; step++) {
    const due = await f.ctx.scheduler.dueAt(key);
    if (due === null || due > utc('2027-01-18T13:00:00Z')) break;
    at(due);
    await poll();
    ran.push(new Date(due).toISOString().slice(11, 19));
  }
  const tries = (h: string): string[] => [`${h}:00:00`, `${h}:00:30`, `${h}:01:30`, `${h}:03:30`, `${h}:07:30`];
  assert.deepEqual(ran, [...tries('11'), ...tries('12'), ...tries('11'), ...tries('12')]);
  assert.equal(iso((await f.ctx.scheduler.dueAt(key))!), '2027-01-25T11:00Z', 'still scheduled');
  mode = 'ok';
  at(utc('2027-01-25T11:00:00Z'));
  await poll();
  assert.equal(cadencePosts(f, 'ops').at(-1)!.Props?.['infra_ops_meeting_at'], utc('2027-01-25T12:00:00Z'));
  f.close();
});
