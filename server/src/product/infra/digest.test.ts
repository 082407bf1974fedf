import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Channel, User } from '../../plugin/model/types';
import { teamFixture, type TeamFixture } from '../pick/test_fixture';
import { ProductHarness } from '../testing/product_harness';
import { digestText, nextDigestAt } from './digest';

const H = 3_600_000;
const NINE = { hour: 9, minute: 0 };
const prefs = { time: null, weekends: false, lastSentDay: null };
// 2027-01-04 is a Monday.
const MONDAY_9 = Date.UTC(2027, 0, 4, 9);

test('the next digest: today at the local time if still ahead, weekdays only unless weekends, never twice a day, through DST', () => {
  assert.equal(nextDigestAt(prefs, 'UTC', MONDAY_9 - H, NINE), MONDAY_9);
  assert.equal(nextDigestAt(prefs, 'UTC', MONDAY_9, NINE), MONDAY_9 + 24 * H, 'the time itself has passed: tomorrow');
  assert.equal(nextDigestAt(prefs, 'Europe/Berlin', MONDAY_9 - 3 * H, NINE), MONDAY_9 - H, '09:00 in Berlin is 08:00 UTC in winter');
  assert.equal(nextDigestAt({ ...prefs, time: '07:30' }, 'UTC', MONDAY_9 - 3 * H, NINE), MONDAY_9 - 90 * 60_000, 'the user’s own time');
  const friday = Date.UTC(2027, 0, 8, 10);
  assert.equal(nextDigestAt(prefs, 'UTC', friday, NINE), Date.UTC(2027, 0, 11, 9), 'Friday after nine: Monday');
  assert.equal(nextDigestAt({ ...prefs, weekends: true }, 'UTC', friday, NINE), Date.UTC(2027, 0, 9, 9), 'with weekends: Saturday');
  const day = Math.floor(MONDAY_9 / (24 * H));
  assert.equal(nextDigestAt({ ...prefs, lastSentDay: day }, 'UTC', MONDAY_9 - H, NINE), MONDAY_9 + 24 * H, 'sent today already (a moved clock): tomorrow');
  // Berlin springs forward on Sunday 2027-03-28; with weekends on, Sunday's 09:00 CEST is 07:00 UTC.
  assert.equal(nextDigestAt({ ...prefs, weekends: true }, 'Europe/Berlin', Date.UTC(2027, 2, 27, 12), NINE), Date.UTC(2027, 2, 28, 7));
  // A time in the spring-forward gap moves forward by the gap (02:30 → 03:30 CEST = 01:30 UTC).
  assert.equal(nextDigestAt({ ...prefs, weekends: true, time: '02:30' }, 'Europe/Berlin', Date.UTC(2027, 2, 27, 12), NINE), Date.UTC(2027, 2, 28, 1, 30));
});

test('the digest text: nothing owed, no text; several teams are headed by their names', () => {
  assert.equal(digestText('Monday', []), null);
  assert.equal(digestText('Monday', [{ name: 'Ops', sections: [] }]), null);
  const one = digestText('Monday', [{ name: 'Ops', sections: [{ feature: 'runs', items: ['RUN-001 x: a status update is due'] }] }])!;
  assert.equal(one, '#### Good morning — what you owe this Monday\n**Runs**\n- RUN-001 x: a status update is due\n\n_Your daily Infra Ops digest · `/infra owe` any time · `/infra digest off` to stop it_');
  const two = digestText('Monday', [
    { name: 'Ops', sections: [{ feature: 'runs', items: ['a'] }] },
    { name: 'Web', sections: [{ feature: 'rfc', items: ['b'] }] },
  ])!;
  assert.match(two, /##### Ops\n\*\*Runs\*\*\n- a\n##### Web\n\*\*RFCs\*\*\n- b/);
});

function dmPosts(f: TeamFixture, h: ProductHarness, user: User): string[] {
  const name = [h.ctx.botUserId, user.Id].sort().join('__');
  const dm = [...f.world.channels.values()].find((c: Channel) => c.Type === 'D' && c.Name === name);
  return dm ? f.world.postsIn(dm.Id).map((p) => p.Message ?? '') : [];
}

test('the daily digest: once per user per local day across two nodes, what /infra owe says, only what the user can see now, not when opted out or nothing is owed', async () => {
  const f = await teamFixture();
  f.world.users.get(f.alice.Id)!.Timezone = { useAutomaticTimezone: 'false', manualTimezone: 'Europe/Berlin', automaticTimezone: '' };
  // alice owes a review; bob owes one too but opts out; carol owes an item in a channel she then loses; dave owes nothing.
  await f.cmd(f.admin, '/rfc new Retire the VPN');
  await f.cmd(f.admin, '/rfc review 1 @alice @bob');
  await f.cmd(f.alice, '/release start 3.0');
  const ch = [...f.world.channels.values()].find((c) => c.Name === 'release-3-0')!;
  f.world.addChannelMember(ch.Id, f.carol.Id);
  await f.cmd(f.alice, '/run assign 1.1 @carol', ch);
  await f.cmd(f.alice, '/run due 1.1 in 1h', ch);
  assert.match(await f.cmd(f.bob, '/infra digest off'), /opted out/);
  await f.cmd(f.dave, '/infra digest');
  assert.match(await f.cmd(f.alice, '/infra digest'), /Your daily digest comes at 09:00 \(Europe\/Berlin\) on weekdays when you owe something; next at 2027-01-05 08:00 UTC/);
  f.world.channels.get(ch.Id)!.Type = 'P';
  f.world.channelMembers.delete(`${ch.Id}:${f.carol.Id}`);

  const other = await new ProductHarness(f.world, f.h.clock).activate();
  const tuesdayMorningBerlin = Date.UTC(2027, 0, 5, 8, 0, 30);
  f.h.clock = other.clock = tuesdayMorningBerlin;
  await Promise.all([f.h.ctx.scheduler.runDue(), other.ctx.scheduler.runDue()]);
  await Promise.all([f.h.ctx.scheduler.runDue(), other.ctx.scheduler.runDue()]);
  const alice = dmPosts(f, f.h, f.alice);
  assert.equal(alice.length, 1, 'one digest, however many nodes');
  assert.match(alice[0]!, /^#### Good morning — what you owe this Tuesday\n\*\*RFCs\*\*\n- Review RFC-001 “Retire the VPN”/);
  assert.match(
    alice[0]!,
    /\*\*Runs\*\*\n- RUN-001 3\.0: 1\.2 “Write the changelog” is due today at 2027-01-05 10:00 Europe\/Berlin \(09:00 UTC\) — `\/run check 1\.2` in ~release-3-0\n/,
    'her runs, as /infra owe lists them: in her zone, the channel by name',
  );
  assert.deepEqual(dmPosts(f, f.h, f.bob), [], 'opted out');
  assert.deepEqual(dmPosts(f, f.h, f.carol), [], 'her only item is in a channel she can no longer see: nothing owed, no DM');
  assert.deepEqual(dmPosts(f, f.h, f.dave), [], 'nothing owed, no DM');

  // Later that day (a restart, a clock moved back): no second digest for the day; the next is Wednesday's.
  f.h.clock = other.clock = tuesdayMorningBerlin + 3 * H;
  await Promise.all([f.h.ctx.scheduler.runDue(), other.ctx.scheduler.runDue()]);
  assert.equal(dmPosts(f, f.h, f.alice).length, 1);
  assert.equal(await f.h.ctx.scheduler.dueAt(`digest:${f.alice.Id}`), Date.UTC(2027, 0, 6, 8));
  assert.match(await f.cmd(f.alice, '/infra digest time 07:15'), /comes at 07:15 \(Europe\/Berlin\).*next at 2027-01-06 06:15 UTC/);
  assert.match(await f.cmd(f.alice, '/infra digest time 25:00'), /Say the time as HH:MM/);
  assert.match(await f.cmd(f.alice, '/infra digest sometimes'), /Say `off`, `on`/);
  assert.match(await f.cmd(f.alice, '/infra digest off'), /opted out/);
  assert.equal(await f.h.ctx.scheduler.dueAt(`digest:${f.alice.Id}`), null);
  f.h.clock = other.clock = Date.UTC(2027, 0, 6, 8);
  await Promise.all([f.h.ctx.scheduler.runDue(), other.ctx.scheduler.runDue()]);
  assert.equal(dmPosts(f, f.h, f.alice).length, 1, 'opted out: none on Wednesday');
  assert.match(await f.cmd(f.alice, '/infra digest on'), /next at 2027-01-07 06:15 UTC/);
  assert.match(await f.cmd(f.alice, '/infra digest weekends on'), /on every day/);
  other.close();
  f.h.close();
});

test('someone a run names is enrolled without using a command; the server setting turns the digest off', async () => {
  const assignDave = async (f: Awaited<ReturnType<typeof teamFixture>>): Promise<void> => {
    await f.cmd(f.alice, '/release start 4.0');
    const ch = [...f.world.channels.values()].find((c) => c.Name === 'release-4-0')!;
    f.world.addChannelMember(ch.Id, f.dave.Id);
    await f.cmd(f.alice, '/run assign 1.1 @dave', ch);
  };
  const { prefsSchema } = await import('./digest');
  const on = await teamFixture();
  await assignDave(on);
  assert.ok(await on.h.ctx.kv.get(`digest:u:${on.dave.Id}`, prefsSchema), 'dave is enrolled');
  assert.notEqual(await on.h.ctx.scheduler.dueAt(`digest:${on.dave.Id}`), null, 'and his digest is scheduled');
  on.h.close();

  // Off on this server: nobody is enrolled (nothing stored to clean up); people enrol once it is on again.
  const off = await teamFixture({ DailyDigest: false });
  await assignDave(off);
  assert.equal(await off.h.ctx.kv.get(`digest:u:${off.dave.Id}`, prefsSchema), null, 'off: not enrolled');
  assert.equal(await off.h.ctx.scheduler.dueAt(`digest:${off.dave.Id}`), null, 'turned off on this server: no job');
  assert.match(await off.cmd(off.dave, '/infra digest'), /turned off on this server/);
  off.h.close();
});

test("a reviewer an RFC asks is enrolled without using a command (the digest lists the reviews they owe)", async () => {
  const { prefsSchema } = await import('./digest');
  const f = await teamFixture();
  await f.cmd(f.alice, '/rfc new Retire the old queue');
  assert.equal(await f.h.ctx.kv.get(`digest:u:${f.bob.Id}`, prefsSchema), null, 'not involved yet');
  assert.match(await f.cmd(f.alice, '/rfc review 1 @bob'), /review/i);
  assert.ok(await f.h.ctx.kv.get(`digest:u:${f.bob.Id}`, prefsSchema), 'bob is enrolled');
  assert.notEqual(await f.h.ctx.scheduler.dueAt(`digest:${f.bob.Id}`), null, 'and his digest is scheduled');
  f.h.close();
});

test('/infra digest changes take the team only from someone in it (or a system admin): anyone else reads "No such team." and nothing is stored', async () => {
  const { prefsSchema } = await import('./digest');
  const f = await teamFixture();
  for (const text of ['/infra digest on', '/infra digest time 07:30', '/infra digest weekends on']) {
    assert.match(await f.cmd(f.outsider, text), /No such team\./);
  }
  assert.equal(await f.h.ctx.kv.get(`digest:u:${f.outsider.Id}`, prefsSchema), null, 'nothing stored for the outsider');
  assert.equal(await f.h.ctx.scheduler.dueAt(`digest:${f.outsider.Id}`), null, 'and no digest job');
  // A system admin outside a team may still choose their digest there; a member of it may.
  const other = f.world.addTeam('elsewhere');
  const town = f.world.addChannel(other.Id, 'town-square');
  assert.match((await f.h.command(f.admin, town.Id, '/infra digest on', other)).Text ?? '', /Your daily digest comes at/);
  assert.match(await f.cmd(f.alice, '/infra digest on'), /Your daily digest comes at/);
  f.h.close();
});
