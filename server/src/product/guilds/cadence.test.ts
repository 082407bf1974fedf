import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Post } from '../../plugin/model/types';
import { type TeamFixture, teamFixture } from '../pick/test_fixture';
import { ProductHarness } from '../testing/product_harness';
import { cadenceJobKey, DEFAULT_LEAD_MINUTES, nextCadenceEvent, parseLeadMinutes } from './cadence';

const utc = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 16) + 'Z';

/** Three nodes sharing one MemoryWorld (one database), each with its own scheduler and clock. */
async function cluster(settings: Record<string, unknown>, start: number): Promise<{ f: TeamFixture; nodes: ProductHarness[]; at(t: number): void; poll(): Promise<number> }> {
  const f = await teamFixture(settings);
  const nodes = [f.h, await new ProductHarness(f.world).activate(), await new ProductHarness(f.world).activate()];
  const at = (t: number): void => nodes.forEach((n) => (n.clock = t));
  at(start);
  // Every node polls at once, twice, as an HA cluster's timers would overlap.
  const poll = async (): Promise<number> => {
    let ran = 0;
    for (let round = 0; round < 2; round++) for (const n of await Promise.all(nodes.map((node) => node.ctx.scheduler.runDue()))) ran += n;
    return ran;
  };
  return { f, nodes, at, poll };
}

const cadencePosts = (f: TeamFixture, slug: string): Post[] =>
  f.world.postsIn(f.town.Id).filter((p) => p.Props?.['infra_ops_guild'] === slug);

test('reminders and the start post fire exactly once with three nodes polling, then the next meeting is scheduled', async () => {
  const { f, nodes, at, poll } = await cluster({ GuildReminderLeadMinutes: '1440, 60' }, utc('2027-01-04T09:00:00Z'));
  await f.cmd(f.alice, '/guild create Ops Sync --day mon --time 12:00 --tz UTC --channel ~town-square --members @bob @sre-team Leadership --sources rfcs,pick --purpose Weekly ops');
  await f.cmd(f.carol, '/guild queue ops-sync Capacity for Q2');
  await f.cmd(f.alice, '/rfc new Adopt OpenTofu');
  await f.cmd(f.alice, '/rfc review 1 @bob @carol --days 4');
  const key = cadenceJobKey('ops-sync');
  // The day-before reminder for today's 12:00 has passed; the hour-before one is next.
  assert.equal(iso((await nodes[1]!.ctx.scheduler.dueAt(key))!), '2027-01-04T11:00Z');

  at(utc('2027-01-04T10:59:59Z'));
  assert.equal(await poll(), 0, 'nothing before its time');
  at(utc('2027-01-04T11:00:00Z'));
  assert.equal(await poll(), 1, 'one node ran the reminder');
  const [reminder] = cadencePosts(f, 'ops-sync');
  assert.equal(cadencePosts(f, 'ops-sync').length, 1);
  assert.equal(reminder!.UserId, f.h.ctx.botUserId);
  assert.equal(reminder!.Props?.['infra_ops_cadence'], 'reminder');
  const text = reminder!.Message!;
  assert.match(text, /^#### ⏰ Ops Sync meets in 1 hour — Mon 2027-01-04 12:00 UTC \(12:00 UTC\)\n@bob, @sre-team · Leadership · Weekly ops\n\n/);
  assert.match(text, /\*\*Queued\*\*\n- `Q1` Capacity for Q2 \(@carol\)/);
  assert.match(text, /\*\*RFCs in review\*\*\n- `RFC-001` Adopt OpenTofu — 4 days left; missing sign-off: @bob, @carol/);
  assert.match(text, /\*\*Challenge ideas \(new or disputed\):\*\* none\n/, 'a source the guild reads says so when empty');
  assert.doesNotMatch(text, /Incidents to review/, 'a source it does not read stays out');
  assert.match(text, /_Add to the agenda with `\/guild queue ops-sync <item>`\._$/);
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
  await poll(); // the RFC's comment-period jobs fall due by now too
  assert.match(cadencePosts(f, 'ops-sync').at(-1)!.Message!, /meets in 1 day — Mon 2027-01-11 12:00/);
  assert.equal(await poll(), 0, 'polling again runs nothing');
  assert.equal(cadencePosts(f, 'ops-sync').length, 3);
  for (const n of nodes) n.close();
});

test('the posted meeting times follow DST in Berlin and an every-2-weeks schedule in New York', async () => {
  const { f, nodes, at, poll } = await cluster({ GuildReminderLeadMinutes: '60' }, utc('2027-03-01T00:00:00Z'));
  await f.cmd(f.admin, '/guild edit infrastructure --channel ~town-square --tz Europe/Berlin --time 10:00');
  await f.cmd(f.alice, '/guild create NY Sync --day tue --time 9:30 --tz America/New_York --every 2 weeks --channel ~town-square');
  const fired: string[] = [];
  for (let step = 0; step < 40; step++) {
    const due = (await Promise.all(['infrastructure-guild', 'ny-sync'].map((s) => nodes[step % 3]!.ctx.scheduler.dueAt(cadenceJobKey(s))))).filter((d): d is number => d !== null);
    const next = Math.min(...due);
    if (next > utc('2027-04-15T00:00:00Z')) break;
    at(next);
    assert.equal(await poll(), 1, `one job ran at ${iso(next)}`);
  }
  for (const p of f.world.postsIn(f.town.Id).filter((x) => x.Props?.['infra_ops_cadence'])) {
    fired.push(`${String(p.Props!['infra_ops_guild'])} ${String(p.Props!['infra_ops_cadence'])} ${iso(Number(p.Props!['infra_ops_meeting_at']))}`);
  }
  const berlin = fired.filter((x) => x.startsWith('infrastructure-guild start')).map((x) => x.split(' ')[2]);
  // Thursdays 10:00 local: 09:00 UTC in CET, 08:00 UTC from 28 March (CEST).
  assert.deepEqual(berlin, ['2027-03-04T09:00Z', '2027-03-11T09:00Z', '2027-03-18T09:00Z', '2027-03-25T09:00Z', '2027-04-01T08:00Z', '2027-04-08T08:00Z']);
  const ny = fired.filter((x) => x.startsWith('ny-sync start')).map((x) => x.split(' ')[2]);
  // Every other Tuesday from 2 March, 09:30 local: EST until 14 March, then EDT.
  assert.deepEqual(ny, ['2027-03-02T14:30Z', '2027-03-16T13:30Z', '2027-03-30T13:30Z', '2027-04-13T13:30Z']);
  assert.equal(fired.filter((x) => x.includes(' reminder ')).length, berlin.length + ny.length, 'one reminder per meeting');
  for (const n of nodes) n.close();
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

test('edits reschedule, closing early skips the start, removing the channel cancels', async () => {
  const { f, nodes, at, poll } = await cluster({}, utc('2027-01-04T09:00:00Z'));
  const key = cadenceJobKey('ops');
  await f.cmd(f.alice, '/guild create Ops --day tue --time 15:00 --tz UTC --channel ~town-square');
  assert.equal(iso((await f.h.ctx.scheduler.dueAt(key))!), '2027-01-05T14:00Z', 'default lead: an hour');
  await f.cmd(f.alice, '/guild edit ops --time 16:30 --tz Europe/Berlin');
  assert.equal(iso((await f.h.ctx.scheduler.dueAt(key))!), '2027-01-05T14:30Z');
  at(utc('2027-01-05T14:30:00Z'));
  assert.equal(await poll(), 1);
  assert.equal(cadencePosts(f, 'ops').length, 1);

  at(utc('2027-01-05T15:00:00Z'));
  await f.cmd(f.alice, '/guild close ops'); // closed before its 15:30 UTC start
  assert.equal(iso((await f.h.ctx.scheduler.dueAt(key))!), '2027-01-12T14:30Z', 'next week, not today’s start');
  at(utc('2027-01-05T15:30:00Z'));
  assert.equal(await poll(), 0);
  assert.deepEqual(cadencePosts(f, 'ops').map((p) => p.Props?.['infra_ops_cadence']), ['reminder']);

  // A job left from an old schedule (here the settings changed its lead) posts nothing and re-aims.
  f.world.pluginConfig = { GuildReminderLeadMinutes: '30' };
  for (const n of nodes) await n.product.onConfigurationChange!();
  at(utc('2027-01-12T14:30:00Z'));
  assert.equal(await poll(), 1);
  assert.equal(cadencePosts(f, 'ops').length, 1, 'the stale hour-before reminder was skipped');
  assert.equal(iso((await f.h.ctx.scheduler.dueAt(key))!), '2027-01-12T15:00Z');

  await f.cmd(f.alice, '/guild edit ops --no-channel');
  assert.equal(await f.h.ctx.scheduler.dueAt(key), null, 'an inactive guild has no cadence');
  at(utc('2027-01-20T00:00:00Z'));
  assert.equal(await poll(), 0);
  // Activation on another node must not resurrect it, and gives an active guild without a job one.
  await f.cmd(f.admin, '/guild edit reliability --channel ~town-square');
  await f.h.ctx.scheduler.cancel(cadenceJobKey('reliability-engineering-guild'));
  await new ProductHarness(f.world, utc('2027-01-20T00:00:00Z')).activate();
  assert.equal(await f.h.ctx.scheduler.dueAt(key), null);
  assert.equal(iso((await f.h.ctx.scheduler.dueAt(cadenceJobKey('reliability-engineering-guild')))!), '2027-01-25T09:30Z', 'the 30-minute lead set above');
  for (const n of nodes) n.close();
});

test('a failed post is retried and posted once; a retry after a successful post does not repost', async () => {
  const { f, nodes, at, poll } = await cluster({}, utc('2027-01-04T09:00:00Z'));
  await f.cmd(f.alice, '/guild create Ops --day mon --time 12:00 --tz UTC --channel ~town-square');
  const api = nodes.map((n) => n.api);
  let failures = 1;
  for (const a of api) {
    const own = a.createPost.bind(a);
    a.createPost = async (post) => {
      if (post.Props?.['infra_ops_cadence'] && failures-- > 0) throw new Error('database unavailable');
      return own(post);
    };
  }
  at(utc('2027-01-04T11:00:00Z'));
  await poll();
  assert.equal(cadencePosts(f, 'ops').length, 0);
  at(utc('2027-01-04T11:01:00Z')); // the scheduler's retry delay
  await poll();
  assert.equal(cadencePosts(f, 'ops').length, 1);

  // The start post succeeds but scheduling the next event fails once: the retry must not repost.
  let scheduleFailures = 1;
  for (const n of nodes) {
    const scheduler = n.ctx.scheduler;
    const own = scheduler.schedule.bind(scheduler);
    scheduler.schedule = async (...args) => {
      if (args[1] === 'guilds.cadence' && scheduleFailures-- > 0) throw new Error('KV unavailable');
      return own(...args);
    };
  }
  at(utc('2027-01-04T12:00:00Z'));
  await poll();
  at(utc('2027-01-04T12:01:00Z'));
  await poll();
  assert.deepEqual(cadencePosts(f, 'ops').map((p) => p.Props?.['infra_ops_cadence']), ['reminder', 'start']);
  assert.equal(iso((await f.h.ctx.scheduler.dueAt(cadenceJobKey('ops')))!), '2027-01-11T11:00Z');
  for (const n of nodes) n.close();
});

test('the reminder setting: minutes, lists, off, and bad values falling back loudly', () => {
  assert.deepEqual(parseLeadMinutes(undefined), { leads: [60], problem: null });
  assert.deepEqual(parseLeadMinutes(''), { leads: [60], problem: null });
  assert.deepEqual(parseLeadMinutes(15), { leads: [15], problem: null });
  assert.deepEqual(parseLeadMinutes('60, 1440;60'), { leads: [1440, 60], problem: null });
  assert.deepEqual(parseLeadMinutes('0'), { leads: [], problem: null });
  assert.deepEqual(parseLeadMinutes('none'), { leads: [], problem: null });
  for (const bad of ['soon', '-5', '1.5', '20000', '60, x']) {
    const parsed = parseLeadMinutes(bad);
    assert.deepEqual(parsed.leads, [60], bad);
    assert.match(parsed.problem ?? '', /is not a list of whole minutes from 1 to 10080; using 60/, bad);
  }
});

test('plugin.json offers GuildReminderLeadMinutes with the default the engine assumes', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../plugin.json'), 'utf8')) as {
    settings_schema: { settings: Array<{ key: string; type: string; default: unknown }> };
  };
  const entry = manifest.settings_schema.settings.find((s) => s.key === 'GuildReminderLeadMinutes');
  assert.ok(entry);
  assert.equal(entry.type, 'text');
  assert.deepEqual(parseLeadMinutes(entry.default), { leads: [...DEFAULT_LEAD_MINUTES], problem: null });
});
