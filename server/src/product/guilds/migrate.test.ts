import { owedLines } from '../testing/owed_lines';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guildSchema } from './records';
import { guildKeys } from './store';
import { cadenceJobKey, legacyCadenceJobKey } from './cadence';
import { type GuildFixture, guildFixture } from './test_fixture';

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

function legacy(slug: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    v: 1,
    slug,
    name: slug,
    purpose: '',
    teamId: null,
    channelId: null,
    members: [{ kind: 'label', text: 'SRE' }],
    day: 1,
    time: '10:00',
    timeZone: 'UTC',
    everyWeeks: 1,
    anchorDate: '2027-01-04',
    sources: [],
    createdBy: null,
    seeded: false,
    createdAt: 1,
    updatedAt: 1,
    queue: [],
    notes: [],
    nextItemId: 1,
    lastMeeting: null,
    meetings: [],
    ...fields,
  };
}

/** v1's installation-wide records, as the previous version left them. */
async function writeV1(f: GuildFixture): Promise<void> {
  const records: Record<string, Record<string, unknown>> = {
    'reliability-engineering-guild': legacy('reliability-engineering-guild', { name: 'Reliability Engineering Guild', seeded: true }),
    'infrastructure-guild': legacy('infrastructure-guild', {
      name: 'Infrastructure Guild',
      seeded: true,
      teamId: f.team.Id,
      channelId: f.town.Id,
      queue: [{ id: 1, text: 'Budget for the build cluster', by: f.bob.Id, at: 5, carried: 0 }],
      nextItemId: 2,
    }),
    'platform-sync': legacy('platform-sync', {
      name: 'Platform Sync',
      teamId: f.team.Id,
      channelId: f.town.Id,
      createdBy: f.alice.Id,
      notes: [{ kind: 'decision', text: 'x'.repeat(2000), by: f.alice.Id, at: 5 }],
      meetings: Array.from({ length: 20 }, (_, i) => ({ closedAt: i, closedBy: f.alice.Id, scheduledFor: i, notes: [], done: [`Q${i} ${'y'.repeat(900)}`], carried: [], reviewedIncidents: [] })),
    }),
    'ux-local': legacy('ux-local', { name: 'UX Local', createdBy: f.carol.Id, queue: [{ id: 1, text: 'Private UX matter', by: f.carol.Id, at: 5, carried: 0 }], nextItemId: 2 }),
  };
  for (const [slug, record] of Object.entries(records)) await f.api.kvSet(guildKeys.legacyGuild(slug), encode(record));
  await f.api.kvSet(guildKeys.legacyGuild('broken'), encode('{"v":1,'));
  await f.api.kvSet(guildKeys.legacyIndex, encode({ v: 1, slugs: [...Object.keys(records), 'broken', 'vanished'] }));
  await f.api.kvSet(guildKeys.legacySent('platform-sync'), encode({ v: 1, events: ['reminder:1:60'] }));
  await f.ctx.scheduler.schedule(legacyCadenceJobKey('platform-sync'), 'guilds.cadence', Date.parse('2027-01-04T09:00:00Z'), { slug: 'platform-sync', kind: 'reminder' });
}

test('activation moves v1 guilds into their teams, drops team-less handbook copies, keeps the rest for adoption; idempotent with nodes racing', async () => {
  const f = await guildFixture({}, Date.parse('2027-01-03T12:00:00Z'));
  await f.cmd(f.dave, '/guild list'); // the team was already seeded by a node of this version
  await writeV1(f);
  await Promise.all([f.node(), f.node()]);
  await f.node(); // and once more, after the fact

  const keys = await f.ctx.kv.listKeys('guild:');
  assert.deepEqual(keys.filter((k) => k.startsWith('guild:g:') || k === 'guild:index').sort(), ['guild:g:broken', 'guild:g:ux-local', 'guild:index']);
  const moved = await f.ctx.kv.get(guildKeys.guild(f.team.Id, 'infrastructure-guild'), guildSchema);
  assert.equal(moved?.channelId, f.town.Id, 'the moved guild replaced the untouched seed');
  assert.deepEqual(moved?.queue.map((q) => q.text), ['Budget for the build cluster']);
  const platform = await f.ctx.kv.get(guildKeys.guild(f.team.Id, 'platform-sync'), guildSchema);
  assert.equal(platform?.meetings.length, 8, 'clipped to the meetings kept');
  assert.equal(platform?.notes[0]!.text.length, 2000);
  assert.ok(platform?.meetings.every((m) => m.done.every((d) => d.length <= 172)));
  assert.equal(await f.ctx.scheduler.dueAt(legacyCadenceJobKey('platform-sync')), null, 'the v1 job is gone');
  assert.equal(new Date((await f.ctx.scheduler.dueAt(cadenceJobKey(f.team.Id, 'platform-sync')))!).toISOString(), '2027-01-04T09:00:00.000Z');
  assert.equal(await f.api.kvGet(guildKeys.legacySent('platform-sync')), null, 'the v1 "sent" record is gone (posts are deduplicated by postOnce now)');
  assert.ok(f.world.logs.some((l) => l.level === 'error' && l.fields?.['key'] === 'guild:g:broken'), 'the unreadable record is logged with its key');

  const list = await f.cmd(f.bob, '/guild list');
  assert.match(list, /Infrastructure Guild\*\* \(`infrastructure-guild`\).*~town-square/);
  assert.match(list, /Platform Sync/);
  assert.doesNotMatch(list, /UX Local/, 'a team-less guild is not shown to the team');
  assert.equal((list.match(/Reliability Engineering Guild/g) ?? []).length, 1);

  // Its creator is told, and adopts it into a team of their choice.
  assert.match(await f.cmd(f.carol, '/guild list'), /UX Local\*\* \(`ux-local`\) was made before guilds belonged to a team: `\/guild adopt ux-local`/);
  assert.match(await f.cmd(f.alice, '/guild adopt ux-local'), /You have no guild "ux-local" from before/);
  assert.match(await f.cmd(f.carol, '/guild adopt ux-local'), /Moved \*\*UX Local\*\* into this team as `ux-local`/);
  assert.match(await f.cmd(f.bob, '/guild agenda ux-local'), /Private UX matter/);
  assert.equal(await f.api.kvGet(guildKeys.legacyGuild('ux-local')), null);
  assert.doesNotMatch(await f.cmd(f.carol, '/guild list'), /was made before/);
  f.close();
});

test('one unreadable guild record never breaks a list, a command or activation', async () => {
  const f = await guildFixture();
  await f.cmd(f.alice, '/guild create Ops --day mon --time 10:00 --tz UTC');
  await f.api.kvSet(guildKeys.guild(f.team.Id, 'reliability-engineering-guild'), encode('{"v":2,"slug":'));
  const list = await f.cmd(f.alice, '/guild list');
  assert.match(list, /Ops/);
  assert.match(list, /Infrastructure Guild/);
  // A list reads the team index's copies; opening the record finds it unreadable and reports it.
  assert.match(await f.cmd(f.alice, '/guild agenda reliability-engineering-guild'), /No guild "reliability-engineering-guild" here/);
  assert.ok(f.world.logs.some((l) => l.fields?.['key'] === guildKeys.guild(f.team.Id, 'reliability-engineering-guild')));
  await f.node();
  assert.deepEqual(await owedLines(f.ctx, f.feature, f.alice.Id, f.team.Id), []);
  f.close();
});
