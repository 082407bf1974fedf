// Issue 14, incidents: every reply says what it understood (owner, due date, severity, times in
// the user's zone); no nested brackets; no internal ids in channel purposes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IncidentStore } from './store';
import { fixture, messages } from './test_fixture';

const MIN = 60_000;

/** Whether a bracket opens inside another: "(SEV2 (Major))". Markdown links ](…) count as text. */
function nested(text: string): boolean {
  let depth = 0;
  for (const ch of text.replace(/\]\([^()\s]*\)/g, ']')) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth > 1) return true;
  }
  return false;
}

test('times in replies are the user’s, with UTC beside them (usability B7)', async () => {
  const f = await fixture();
  const { alice } = f;
  alice.Timezone = { useAutomaticTimezone: 'false', manualTimezone: 'Europe/Berlin' };
  const ch = f.channelOf(await f.cmd(alice, '/incident declare sev2 Login outage'));
  // 09:00 UTC is 10:00 in Berlin: "09:00" typed by alice is 08:00 UTC.
  assert.equal(await f.cmd(alice, '/incident milestone detected 09:00', ch), 'INC-001: Detected set to 2027-01-04 09:00 Europe/Berlin (08:00 UTC).');
  f.h.clock += 5 * MIN;
  assert.equal(
    await f.cmd(alice, '/incident status Investigating', ch),
    'Status update for INC-001 posted in ~inc-001-login-outage. Next status update due 2027-01-04 11:05 Europe/Berlin (10:05 UTC).\n' +
      'As its first status update, it also set **acknowledged** to 2027-01-04 10:05 Europe/Berlin (09:05 UTC); correct that with `/incident milestone acknowledged <time>`.',
  );
  const info = await f.cmd(alice, '/incident info', ch);
  assert.match(info, /\*\*Declared\*\* 2027-01-04 10:00 · \*\*Detected\*\* 2027-01-04 09:00 · \*\*Acknowledged\*\* 2027-01-04 10:05 · .* _\(Europe\/Berlin\)_/);
  assert.match(info, /\*\*Latest update\*\*, 2027-01-04 10:05 Europe\/Berlin \(09:05 UTC\) by @alice: Investigating/);
  assert.match(await f.cmd(alice, '/incident timeline', ch), /^\*\*INC-001 timeline\*\*, times in Europe\/Berlin\n- 2027-01-04 10:00 — @alice declared INC-001, SEV2 \(Major\): Login outage/);
  // Across midnight the UTC date is given too.
  f.h.clock = Date.UTC(2027, 0, 4, 23, 30);
  assert.match(await f.cmd(alice, '/incident resolve', ch), /^INC-001 resolved at 2027-01-05 00:30 Europe\/Berlin \(2027-01-04 23:30 UTC\)/);
  // Posts in the channel are read by many: UTC.
  assert.match(messages(f.world, ch.Id).join('\n'), /set \*\*detected\*\* to 2027-01-04 08:00 UTC/);
  f.h.close();
});

test('replies echo owner, due date, severity and text as understood (usability A4)', async () => {
  const f = await fixture();
  const { alice } = f;
  const ch = f.channelOf(await f.cmd(alice, '/incident declare sev3 Queue backlog --type Outage'));
  assert.equal(await f.cmd(alice, '/incident followup add Update runbook', ch), 'Follow-up #1 added to INC-001: Update runbook — no owner, no due date.');
  assert.equal(await f.cmd(alice, '/incident followup add Update runbook @bob +1w', ch), 'Follow-up #2 added to INC-001: Update runbook — owner @bob, due 2027-01-11.');
  assert.equal(await f.cmd(alice, '/incident followup add Ping vendor 2027-01-08 @bob', ch), 'Follow-up #3 added to INC-001: Ping vendor — owner @bob, due 2027-01-08.');
  assert.match(await f.cmd(alice, '/incident followup add Update runbook @alice next-week', ch), /"next-week" is not a due date I understand\. Use YYYY-MM-DD, today, tomorrow, \+3d or \+2w/);
  assert.match(await f.cmd(alice, '/incident followup add Fix thresholds @bob 2026-11-01', ch), /The due date 2026-11-01 is in the past \(today is 2027-01-04\)/);
  assert.equal(await f.cmd(alice, '/incident severity major', ch), 'INC-001 is now **SEV2 (Major)**; it was SEV3 (Minor). Next status update due 2027-01-04 10:00 UTC.');
  assert.equal(await f.cmd(alice, '/incident severity 4', ch), 'INC-001 is now **SEV4 (Low)**; it was SEV2 (Major). No status reminders at this severity.');
  assert.equal(await f.cmd(alice, '/incident followup done #2', ch), 'Follow-up #2 of INC-001 done: Update runbook');
  f.h.close();
});

test('no nested brackets in replies, feed, timeline, notices and reminders (usability C)', async () => {
  const f = await fixture({ IncidentUpdateIntervalSev2: 15 });
  const { world, alice } = f;
  const said: string[] = [];
  const run = async (text: string, channel = f.town) => {
    said.push(await f.cmd(alice, text, channel));
    return said.at(-1)!;
  };
  const ch = f.channelOf(await run('/incident declare sev2 Public thing --public --type Outage'));
  const secret = f.channelOf(await run('/incident declare sev1 Private thing'));
  await run('/incident status Working on it (really)', ch);
  await run('/incident severity 1', ch);
  await run('/incident severity 3', secret);
  await run('/incident milestone detected 5m ago', ch);
  await run('/incident followup add Fix it @bob tomorrow', ch);
  f.h.clock += 40 * MIN;
  await f.h.ctx.scheduler.runDue();
  await run('/incident resolve Done', ch);
  await run('/incident resolve Done', secret);
  await run('/incident reopen', secret);
  await run('/incident info', ch);
  await run('/incident timeline', ch);
  await run('/incident list all');
  await run('/incident metrics');
  await run('/infra owe');
  const posts = [ch, secret, f.feed].flatMap((c) => world.postsIn(c.Id).map((p) => p.Message ?? ''));
  assert.ok(posts.some((p) => p.startsWith('⏰')), 'a reminder was posted');
  for (const text of [...said, ...posts]) {
    // The user's own words may carry brackets of their own: "(really)" sits inside the status text only.
    assert.ok(!nested(text.replace(' (really)', '')), `nested brackets in: ${text}`);
  }
  f.h.close();
});

test('channel purposes carry no internal id; a channel someone else made under the name tried is never adopted (adopting its own: lifecycle.test)', async () => {
  const f = await fixture();
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Login outage'));
  assert.equal(ch.Purpose, 'INC-001: Login outage');
  const id = (await new IncidentStore(f.h.ctx.kv).incidentIdForChannel(ch.Id))!;
  assert.ok(!(ch.Purpose ?? '').includes(id));
  // Someone else's channel with the name the setup would try is never adopted.
  f.world.addChannel(f.team.Id, 'inc-002-db-down').Purpose = 'INC-002: DB down';
  const second = await f.cmd(f.alice, '/incident declare DB down');
  assert.match(second, /~inc-002-db-down-2\./);
  f.h.close();
});

test('the active list counts the incidents in private channels the user is not in (usability B4)', async () => {
  const f = await fixture();
  await f.cmd(f.alice, '/incident declare Secret one');
  await f.cmd(f.alice, '/incident declare Public one --public');
  assert.equal(
    await f.cmd(f.dave, '/incident list', f.town),
    '**Active incidents**\n- **INC-002** SEV3 (Minor) · 🔴 Active · Public one · ~inc-002-public-one\n_1 more active incident is in private channels you are not in._',
  );
  assert.doesNotMatch(await f.cmd(f.alice, '/incident list', f.town), /private channels you are not in/);
  f.h.close();
});

test('a status update posted by someone other than the commander says who wrote it; feed updates carry the title (usability B5, C)', async () => {
  const f = await fixture({ IncidentPrivateByDefault: false });
  const ch = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Checkout errors'));
  f.world.addChannelMember(ch.Id, f.bob.Id);
  await f.cmd(f.bob, '/incident status Retries are failing too', ch);
  assert.match(messages(f.world, ch.Id).at(-1)!, /\n_Commander: @alice · next update due .*_\n_Posted by @bob\._$/);
  assert.match(messages(f.world, f.feed.Id).at(-1)!, /\n\nCheckout errors · ~inc-001-checkout-errors$/);
  await f.cmd(f.alice, '/incident status Fixed', ch);
  assert.doesNotMatch(messages(f.world, ch.Id).at(-1)!, /Posted by/, 'the commander is named by the template already');
  f.h.close();
});

test('the declare form’s reply says what was declared: severity, privacy, type and who commands', async () => {
  const f = await fixture();
  const reply = await f.h.http('POST', '/api/v1/incidents/dialog', f.alice, {
    callback_id: 'incident-declare',
    state: JSON.stringify({ channelId: f.town.Id }),
    submission: { title: 'Login failures', severity: '1', type: 'Security', private: false, commander: f.bob.Id },
  });
  assert.deepEqual(reply.body, {});
  assert.equal(
    f.world.ephemeralPosts.at(-1)?.post.Message,
    'Declared **INC-001** — SEV1 (Critical), public, type Security: ~inc-001-login-failures. @bob is the commander.',
  );
  f.h.close();
});
