// PICK, RFCs and guilds in a real Mattermost, as several users live them: ideas scored privately
// and revealed on a quadrant; an RFC through review with a concern blocking then resolved; a
// guild whose agenda is built from those live items; bad input answered clearly. Everything is
// checked through Mattermost (command replies, posts, websocket events, the plugin's HTTP API).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectRig, type Rig, type RigUser, waitFor } from './rig';

const rig: Rig = connectRig();
const [alice, bob, carol] = rig.users as [RigUser, RigUser, RigUser];
const tag = Date.now().toString(36);
let channelId = '';
let channelName = '';

async function say(user: RigUser, text: string, channel = channelId): Promise<string> {
  const reply = await rig.runCommand(user, channel, text);
  assert.equal(reply.response_type, 'ephemeral', `${text} → ${reply.text}`);
  return reply.text ?? '';
}

/** An idea's reference as a pattern: IDEA-7 or IDEA-007 (references are zero-padded). */
const ideaRef = (n: number): string => `IDEA-0*${n}`;

const numberIn = (text: string, pattern: RegExp): number => {
  const m = pattern.exec(text);
  assert.ok(m, `no number in: ${text}`);
  return Number(m[1]);
};

/** The bot's posts in a channel, newest first. */
async function botPosts(channel: string): Promise<string[]> {
  const posts = await alice.client.getPosts(channel, 0, 30);
  return posts.order
    .map((id) => posts.posts[id]!)
    .filter((p) => p.user_id !== alice.id && p.user_id !== bob.id && p.user_id !== carol.id)
    .map((p) => p.message);
}

async function lastBotPost(channel: string): Promise<string> {
  return (await botPosts(channel))[0] ?? '';
}

/** The bot's newest post in the channel that matches (timed posts, such as a guild reminder, may come in between). */
async function botPostMatching(channel: string, pattern: RegExp): Promise<string> {
  const found = (await botPosts(channel)).find((m) => pattern.test(m));
  assert.ok(found, `no bot post in the channel matches ${String(pattern)}`);
  return found;
}

const plugin = (path: string): string => `/api/v1/teams/${rig.team.id}${path}`;

/** Weekday and HH:MM of an instant in a time zone, for a guild meeting at that instant. */
function localSlot(at: number, timeZone: string): { day: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: part('weekday').toLowerCase(), time: `${part('hour')}:${part('minute')}` };
}

before(async () => {
  channelName = `prio-${tag}`;
  const channel = await alice.client.createChannel({ team_id: rig.team.id, name: channelName, display_name: `Prio ${tag}`, type: 'O' } as never);
  channelId = channel.id;
  for (const u of [bob, carol]) await alice.client.addToChannel(u.id, channelId);
});

after(() => rig.close());

test('PICK: add, score privately by several users, automatic reveal with median and quadrant', async () => {
  const events = await rig.listen(bob);
  const n = numberIn(await say(alice, `/pick add Cache the artifact store ${tag}`), /Added IDEA-(\d+)/);
  assert.match(await say(alice, `/pick score ${n} payoff=9 cost=8`), /1\/3 scored so far; scores stay private/);
  const bobView = await say(bob, `/pick show ${n}`);
  assert.match(bobView, /Scored: 1 of 3 asked/);
  assert.doesNotMatch(bobView, /payoff 9/);
  await say(bob, `/pick score ${n} payoff=7 cost=7`);
  assert.match(await say(carol, `/pick score ${n} payoff=8 cost=9`), /Everyone asked has scored, so it is revealed now/);

  // The announcement follows the answer (pick/service.ts score): wait for it.
  const announcement = await waitFor('the automatic reveal announcement', async () => (await botPosts(channelId)).find((m) => /revealed automatically/.test(m)), { timeoutMs: 10_000, intervalMs: 100 });
  assert.match(announcement, new RegExp(`${ideaRef(n)} “Cache the artifact store ${tag}” — round 1 revealed automatically`));
  assert.match(announcement, /\*\*Challenge\*\* \(high payoff, high cost\) — payoff 8 \(IQR 1\), cost 8 \(IQR 1\), 3 scorers/);
  assert.match(announcement, new RegExp(`open an RFC with \`/rfc new --idea ${n}`));

  const changed = await events.waitFor('custom_infra-ops_pick_idea_changed', (e) => (JSON.parse(String(e.data.data)) as { idea: { revealed: unknown } }).idea.revealed !== null);
  const idea = (JSON.parse(String(changed.data.data)) as { idea: unknown }).idea as { number: number; myScore?: unknown; revealed: { quadrant: string } };
  assert.equal(idea.number, n);
  assert.equal(idea.revealed.quadrant, 'challenge');
  assert.equal('myScore' in idea, false, 'channel events never carry anyone’s score');

  const res = await rig.pluginFetch(carol, plugin(`/ideas?channel_id=${channelId}&filter=all`));
  assert.equal(res.status, 200);
  const chart = (await res.json()) as { items: Array<{ number: number; revealed: { payoff: { median: number }; cost: { median: number }; count: number } }> };
  const mine = chart.items.find((i) => i.number === n)!;
  assert.deepEqual([mine.revealed.payoff.median, mine.revealed.cost.median, mine.revealed.count], [8, 8, 3]);

  const board = await say(bob, '/pick board');
  assert.match(board, new RegExp(`PICK board — ~${channelName} · threshold 5\\.5 · 1 revealed`));
  assert.match(board, /\*\*Challenge\*\* \(high payoff, high cost\)\n- `A` IDEA-\d+ Cache the artifact store/);
});

test('PICK: owner reveal, private channels, bad input', async () => {
  const n = numberIn(await say(alice, `/pick add Drop the legacy VPN ${tag}`), /Added IDEA-(\d+)/);
  await say(bob, `/pick score ${n} payoff=2 cost=9`);
  assert.match(await say(bob, `/pick reveal ${n}`), /Only the idea's owner, team admins and system admins can reveal/);
  // One score is never revealed: it would expose that person's private score.
  assert.match(await say(alice, `/pick reveal ${n}`), /has 1 score; a reveal needs at least 2/);
  await say(carol, `/pick score ${n} payoff=3 cost=8`);
  assert.match(await say(alice, `/pick reveal ${n}`), /\*\*Kill\*\* \(low payoff, high cost\) — payoff 2\.5 \(IQR 0\.5\), cost 8\.5 \(IQR 0\.5\), 2 scorers/);
  assert.match(await say(alice, `/pick archive ${n} Not worth it`), new RegExp(`Archived ${ideaRef(n)}\\b`));

  const secret = await alice.client.createChannel({ team_id: rig.team.id, name: `secret-${tag}`, display_name: `Secret ${tag}`, type: 'P' } as never);
  await alice.client.addToChannel(bob.id, secret.id);
  const s = numberIn(await say(alice, `/pick add Secret plan ${tag}`, secret.id), /Added IDEA-(\d+)/);
  assert.match(await say(carol, `/pick show ${s}`), new RegExp(`There is no ${ideaRef(s)} you can see in this team`));
  assert.doesNotMatch(await say(carol, '/pick list --team'), /Secret plan/);
  assert.match(await say(bob, '/pick list --team'), /Secret plan/);

  for (const [text, expected] of [
    ['/pick score', /Say which idea/],
    [`/pick score ${n} payoff=11 cost=2`, /payoff must be a whole number from 1 to 10/],
    ['/pick list sideways', /Unknown filter "sideways"/],
    ['/pick add', /Say what the idea is/],
  ] as const) {
    assert.match(await say(alice, text), expected, text);
  }
});

test('RFC: review with a concern blocking acceptance, then resolved and accepted', async () => {
  const ideaN = numberIn(await say(alice, `/pick list challenge`), /IDEA-(\d+) Cache the artifact store/);
  const opened = await say(alice, `/rfc new --idea ${ideaN}`);
  const r = numberIn(opened, /Opened RFC-(\d+) “Cache the artifact store/);
  assert.match(await say(alice, `/rfc review ${r} @${bob.username} @${carol.username} --days 3`), /is in review until /);
  assert.match(await lastBotPost(channelId), new RegExp(`@${bob.username}, @${carol.username}: please review RFC-0*${r}`));
  await say(bob, `/rfc approve ${r}`);
  assert.match(await say(carol, `/rfc concern ${r} Cache invalidation plan is missing`), /Raised concern #1/);
  await say(carol, `/rfc approve ${r}`);
  assert.match(await say(alice, `/rfc accept ${r}`), /cannot be accepted yet: 1 open concern blocks acceptance: #1 “Cache invalidation plan is missing”/);
  const bobOwes = await say(bob, `/infra owe`);
  assert.doesNotMatch(bobOwes, new RegExp(`Review RFC-0*${r}`), 'bob has signed off');
  assert.match(bobOwes, /Score IDEA-\d+ “Secret plan/, 'bob was asked to score the private idea');
  assert.match(await say(carol, `/infra owe`), new RegExp(`Your concern #1 on RFC-0*${r}`));
  assert.match(await say(carol, `/rfc resolve ${r} 1 Covered in section 3`), /No open concerns remain/);
  assert.match(await say(alice, `/rfc accept ${r}`), /is now \*\*Accepted\*\*/);
  const show = await say(bob, `/rfc show ${r}`);
  assert.match(show, new RegExp(`Reviewers: @${bob.username} ✅ signed off, @${carol.username} ✅ signed off`));
  assert.match(show, new RegExp(`From idea ${ideaRef(ideaN)}\\b`));
  assert.match(await say(bob, `/pick show ${ideaN}`), new RegExp(`Linked to RFC-0*${r}\\b`));
  assert.match(await say(alice, `/rfc review ${r} @nobody-${tag}`), /Unknown user/);
  assert.match(await say(alice, '/rfc accept x'), /"x" is not an RFC\b/);
});

test('RFC over HTTP (as the webapp opens one): it belongs to a channel, named in the body', async () => {
  const post = (body: unknown) =>
    rig.pluginFetch(alice, plugin('/rfcs'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const unbound = await post({ title: `No channel ${tag}` });
  assert.equal(unbound.status, 400);
  assert.match(((await unbound.json()) as { error: string }).error, /channel_id/);
  const made = await post({ title: `Over HTTP ${tag}`, channel_id: channelId });
  assert.equal(made.status, 201);
  const { rfc } = (await made.json()) as { rfc: { number: number; channelId: string; status: string } };
  assert.deepEqual([rfc.channelId, rfc.status], [channelId, 'draft']);
  const got = await rig.pluginFetch(bob, plugin(`/rfcs/${rfc.number}`));
  assert.equal(got.status, 200);
  const list = (await (await rig.pluginFetch(carol, plugin('/rfcs?status=draft&per_page=100'))).json()) as { items: Array<{ number: number }>; nextCursor: string | null };
  assert.ok(list.items.some((x) => x.number === rfc.number));
});

test('Guilds: create, queue, agenda with live RFC and idea items, close with carry-over', async () => {
  const review = numberIn(await say(alice, `/rfc new Retire Jenkins ${tag}`), /Opened RFC-(\d+)/);
  await say(alice, `/rfc review ${review} @${bob.username} --days 5`);
  // A Challenge idea without an RFC yet (the artifact-store idea has its RFC now).
  const shard = numberIn(await say(alice, `/pick add Shard the build farm ${tag}`), /Added IDEA-(\d+)/);
  for (const [user, payoff, cost] of [[alice, 9, 9], [bob, 8, 7], [carol, 9, 8]] as const) await say(user, `/pick score ${shard} payoff=${payoff} cost=${cost}`);
  const name = `Infra Sync ${tag}`;
  // The meeting is today, a few minutes from now (closed early below, so no start post follows).
  const { day, time } = localSlot(Date.now() + 5 * 60_000, 'Europe/Berlin');
  const created = await say(alice, `/guild create ${name} --day ${day} --time ${time} --tz Europe/Berlin --channel ~${channelName} --members @${bob.username} SRE --sources incidents,rfcs,pick`);
  assert.match(created, new RegExp(`Created \\*\\*${name}\\*\\*`));
  const slug = `infra-sync-${tag}`;
  assert.match(await say(bob, `/guild next ${slug}`), new RegExp(`meets next \\w{3} \\d{4}-\\d{2}-\\d{2} ${time} Europe/Berlin \\(\\d{2}:\\d{2} UTC\\) — in [3-5] minutes`));
  assert.match(await say(bob, `/guild queue ${slug} Capacity planning`), /Queued Q1/);
  await say(carol, `/guild queue ${slug} Budget review`);
  await say(alice, `/guild notes ${slug} decision: Weekly capacity reviews`);

  const agenda = await say(bob, `/guild agenda ${slug}`);
  assert.match(agenda, /\*\*Queued\*\*\n- `Q1` Capacity planning/);
  assert.match(agenda, new RegExp(`\`RFC-0*${review}\` Retire Jenkins ${tag} — 5 days left; missing sign-off: @${bob.username}`));
  assert.match(agenda, new RegExp(`Challenge ideas \\(new or disputed\\)\\*\\*\\n- \`${ideaRef(shard)}\` Shard the build farm ${tag} — Challenge: open an RFC\\?`));
  assert.doesNotMatch(agenda, /IDEA-\d+` Cache the artifact store/, 'an idea that has its RFC is no longer asked about');

  const res = await rig.pluginFetch(bob, plugin(`/guilds/${slug}/agenda`));
  assert.equal(res.status, 200);
  const body = (await res.json()) as { agenda: { rfcs: Array<{ reference: string }>; queued: unknown[] } };
  assert.ok(body.agenda.rfcs.some((x) => x.reference === `RFC-${String(review).padStart(3, '0')}`));
  assert.equal(body.agenda.queued.length, 2);

  // Closing is for the guild's creator, facilitators and admins; bob is only a member.
  assert.match(await say(bob, `/guild close ${slug} --carry Q2`), /Only the guild's creator, its facilitators, team admins and system admins can close/);
  // A close closes the meeting that has started; before its start only with --early.
  assert.match(await say(alice, `/guild close ${slug} --carry Q2`), /close it once it has started, or before that with `--early`/);
  assert.match(await say(alice, `/guild close ${slug} --done Q99 --early`), /Not on this agenda: Q99/);
  assert.match(await say(alice, `/guild close ${slug} --carry Q2 --early`), /early, before its start .*: 1 item done, 0 incidents reviewed, 1 carried over, 1 note recorded/);
  assert.match(await botPostMatching(channelId, /meeting closed/), new RegExp(`${name} — meeting closed\\n.*closed by @${alice.username}_\\n\\*\\*Decisions\\*\\*\\n- Weekly capacity reviews`));
  assert.match(await say(bob, `/guild agenda ${slug}`), /\*\*Carried over\*\*\n- `Q2` Budget review \(@.*, carried 1×\)/);
  assert.match(await say(alice, `/guild close ${slug} --early`), /was already closed early\. The next one is .* close it once it has started/);
  assert.match(await say(bob, '/guild list'), /Reliability Engineering Guild/);

  for (const [text, expected] of [
    [`/guild create Bad ${tag} --day someday --time 10:00 --tz UTC`, /"someday" is not a weekday/],
    [`/guild create Bad ${tag} --day mon --time 10:00 --tz Nowhere/Place`, /not an IANA time zone/],
    ['/guild agenda no-such-guild-anywhere', /No guild "no-such-guild-anywhere" here/],
  ] as const) {
    assert.match(await say(alice, text), expected, text);
  }

  // Deleting asks for --confirm, is the creator's (or an admin's), and the slug is gone afterwards.
  assert.match(await say(alice, `/guild delete ${slug}`), new RegExp(`/guild delete ${slug} --confirm`));
  assert.match(await say(bob, `/guild delete ${slug} --confirm`), /Only the guild's creator, team admins and system admins can delete/);
  assert.match(await say(alice, `/guild delete ${slug} --confirm`), new RegExp(`Deleted \\*\\*${name}\\*\\*`));
  assert.match(await say(bob, `/guild agenda ${slug}`), new RegExp(`No guild "${slug}" here`));
  assert.equal((await rig.pluginFetch(bob, plugin(`/guilds/${slug}`))).status, 404);
});

test('/infra help lists every command', async () => {
  const help = await say(alice, '/infra help');
  for (const c of ['/pick board', '/rfc supersede <n> by <m>', '/guild close', '/infra owe']) assert.ok(help.includes(c), c);
});
