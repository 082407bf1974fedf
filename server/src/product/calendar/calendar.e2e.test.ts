// The team calendar in a real Mattermost: `/infra calendar` gives a member two secret links; a
// calendar app (here: plain HTTP without any session, parsed and expanded by ical.js) gets guild
// meetings as RRULE series whose 2027 occurrences — across the Berlin and New York daylight-saving
// changes, with a skipped meeting and a team holiday — are the plugin's own meeting times. A
// rotated link answers 404; a private channel's guild is only in the feeds of its members, live.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import ICAL from 'ical.js';
import { connectRig, type Rig, type RigUser } from '../../../../e2e/rig';
import { nextMeeting } from '../guilds/schedule';
import { isoDateOf, localEpochDay } from '../shared/time/zone';

const rig: Rig = connectRig();
after(() => rig.close());

const utc = (iso: string): number => Date.parse(iso);
const END_2027 = utc('2028-01-01T00:00:00Z');

interface GuildFields {
  day: number;
  time: string;
  timeZone: string;
  everyWeeks: number;
  nextMeetingAt: number | null;
}

async function guildOf(user: RigUser, slug: string): Promise<GuildFields> {
  const res = await rig.pluginFetch(user, `/api/v1/teams/${rig.team.id}/guilds/${slug}`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { guild: GuildFields }).guild;
}

/** The two links of `/infra calendar` (shown once), as tokens. */
function tokensOf(text: string): string[] {
  return [...text.matchAll(/\/plugins\/infra-ops\/calendar\/([\w-]{43})\.ics/g)].map((m) => m[1]!);
}

/** What a calendar app does: GET without any Mattermost session. */
const fetchFeed = (token: string): Promise<Response> => fetch(`${rig.url}/plugins/infra-ops/calendar/${token}.ics`);

async function feed(token: string): Promise<ICAL.Component> {
  const res = await fetchFeed(token);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
  const comp = new ICAL.Component(ICAL.parse(await res.text()) as unknown[]);
  for (const tz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return comp;
}

const summaries = (comp: ICAL.Component): string[] => comp.getAllSubcomponents('vevent').map((v) => String(v.getFirstPropertyValue('summary')));

function occurrences(comp: ICAL.Component, summary: string, until: number): number[] {
  const vevent = comp.getAllSubcomponents('vevent').find((v) => String(v.getFirstPropertyValue('summary')).startsWith(summary));
  assert.ok(vevent, `the feed has ${summary}`);
  const it = new ICAL.Event(vevent).iterator();
  const out: number[] = [];
  for (let next = it.next(); next; next = it.next()) {
    const at = next.toJSDate().getTime();
    if (at >= until) break;
    out.push(at);
  }
  return out;
}

/** The plugin's own schedule function from the guild's next meeting (as the live plugin reports it) to `until`. */
function pluginTimes(g: GuildFields, calledOff: readonly string[], until: number): number[] {
  const anchorDate = isoDateOf(localEpochDay(g.timeZone, g.nextMeetingAt!));
  const schedule = { day: g.day, time: g.time, timeZone: g.timeZone, everyWeeks: g.everyWeeks, anchorDate, skips: calledOff, holidays: [] };
  const out: number[] = [];
  for (let at = g.nextMeetingAt!; at < until; at = nextMeeting(schedule, at)) out.push(at);
  return out;
}

const iso = (list: readonly number[]): string[] => list.map((t) => new Date(t).toISOString());

test('feeds: 2027 expansion equals the plugin, skips and holidays are EXDATEs, rotation revokes, private guilds only for members', { timeout: 180_000 }, async (t) => {
  const [alice, bob, carol, dave] = rig.users as [RigUser, RigUser, RigUser, RigUser];
  const tag = Date.now().toString(36);
  const open = await alice.client.createChannel({ team_id: rig.team.id, name: `cal-${tag}`, display_name: `Cal ${tag}`, type: 'O' } as never);
  const secret = await alice.client.createChannel({ team_id: rig.team.id, name: `calp-${tag}`, display_name: `Calp ${tag}`, type: 'P' } as never);
  await alice.client.addToChannel(bob.id, secret.id);
  const berlin = `berlin-${tag}`;
  const york = `york-${tag}`;
  const hidden = `hidden-${tag}`;
  const holiday = '2027-11-11';
  try {
    await rig.runCommand(alice, open.id, `/guild create Berlin ${tag} --day mon --time 10:00 --tz Europe/Berlin --channel ~cal-${tag} --members @${bob.username} @${carol.username}`);
    await rig.runCommand(alice, open.id, `/guild create York ${tag} --day thu --time 09:00 --tz America/New_York --every 1 --channel ~cal-${tag}`);
    await rig.runCommand(alice, secret.id, `/guild create Hidden ${tag} --day wed --time 15:00 --tz UTC --channel ~calp-${tag}`);
    const skip = await rig.runCommand(alice, open.id, `/guild skip ${berlin} 2027-03-29`);
    assert.match(skip.text ?? '', /Called off the Berlin .* meeting of 2027-03-29/);
    const added = await rig.runCommand(rig.admin, open.id, `/guild holidays add ${holiday} Veterans Day`);
    assert.match(added.text ?? '', new RegExp(`Added ${holiday} \\(Veterans Day\\) as a team holiday`));

    // A SEV2 incident gets a private channel (Alice in it, Dave not), with a follow-up due in 2027.
    const declared = (await rig.runCommand(alice, rig.channelId, `/incident declare sev2 Cal ${tag}`)).text ?? '';
    const ref = /\*\*(INC-\d+)\*\*/.exec(declared)?.[1];
    assert.ok(ref, declared);
    assert.match((await rig.runCommand(alice, rig.channelId, `/incident followup add ${ref} Runbook ${tag} 2027-02-01`)).text ?? '', /due 2027-02-01/);
    const followup = `${ref} follow-up due: Runbook ${tag}`;

    const links = await rig.runCommand(alice, open.id, '/infra calendar');
    const [teamToken, meToken] = tokensOf(links.text ?? '');
    assert.ok(teamToken && meToken, links.text);
    // Shown once: asking again names the links' dates only.
    assert.deepEqual(tokensOf((await rig.runCommand(alice, open.id, '/infra calendar')).text ?? ''), []);

    const mine = await feed(meToken);
    for (const [slug, calledOff, summary] of [
      [berlin, ['2027-03-29'], `Berlin ${tag}`],
      [york, [holiday], `York ${tag}`],
    ] as const) {
      const g = await guildOf(alice, slug);
      const fromFeed = occurrences(mine, summary, END_2027).filter((t) => t >= g.nextMeetingAt!);
      assert.deepEqual(iso(fromFeed), iso(pluginTimes(g, calledOff, END_2027)), `${slug}: ical.js expansion = plugin schedule`);
    }
    // The DST changes of 2027, spelled out: local 10:00 Berlin and 09:00 New York all year.
    const berlinTimes = iso(occurrences(mine, `Berlin ${tag}`, END_2027));
    for (const at of ['2027-03-22T09:00:00.000Z', '2027-04-05T08:00:00.000Z', '2027-10-25T08:00:00.000Z', '2027-11-01T09:00:00.000Z']) assert.ok(berlinTimes.includes(at), at);
    assert.ok(!berlinTimes.includes('2027-03-29T08:00:00.000Z'), 'the skipped Monday is an EXDATE');
    const yorkTimes = iso(occurrences(mine, `York ${tag}`, END_2027));
    for (const at of ['2027-03-11T14:00:00.000Z', '2027-03-18T13:00:00.000Z', '2027-11-04T13:00:00.000Z', '2027-11-18T14:00:00.000Z']) assert.ok(yorkTimes.includes(at), at);
    assert.ok(!yorkTimes.includes('2027-11-11T14:00:00.000Z'), 'the team holiday is an EXDATE');
    // Alice's own feed has the private channel's guild and follow-up; her team feed does not; Carol and Dave (not in them) never.
    assert.ok(summaries(mine).some((s) => s.startsWith(`Hidden ${tag}`)));
    const due = mine.getAllSubcomponents('vevent').find((v) => String(v.getFirstPropertyValue('summary')) === followup);
    assert.ok(due, 'the follow-up is in her feed');
    assert.equal(String(due.getFirstPropertyValue('dtstart')), '2027-02-01');
    assert.ok(!summaries(await feed(teamToken)).includes(followup));
    const [, daveMe] = tokensOf((await rig.runCommand(dave, rig.channelId, '/infra calendar')).text ?? '');
    assert.ok(!summaries(await feed(daveMe!)).includes(followup));
    assert.ok(!summaries(await feed(teamToken)).some((s) => s.startsWith(`Hidden ${tag}`)));
    assert.ok(summaries(await feed(teamToken)).some((s) => s.startsWith(`Berlin ${tag}`)));
    const [, carolMe] = tokensOf((await rig.runCommand(carol, rig.channelId, '/infra calendar')).text ?? '');
    assert.ok(!summaries(await feed(carolMe!)).some((s) => s.startsWith(`Hidden ${tag}`)));
    // Bob sees it while he is a member of the private channel, and not once he is removed.
    const [, bobMe] = tokensOf((await rig.runCommand(bob, rig.channelId, '/infra calendar')).text ?? '');
    assert.ok(summaries(await feed(bobMe!)).some((s) => s.startsWith(`Hidden ${tag}`)));
    await rig.admin.client.removeFromChannel(bob.id, secret.id);
    assert.ok(!summaries(await feed(bobMe!)).some((s) => s.startsWith(`Hidden ${tag}`)));

    // Rotating revokes: the old link is a 404, the new one works; a made-up token is a 404 too.
    const rotated = await rig.runCommand(alice, open.id, '/infra calendar rotate me');
    const [newMe] = tokensOf(rotated.text ?? '');
    assert.ok(newMe && newMe !== meToken);
    assert.equal((await fetchFeed(meToken)).status, 404);
    assert.equal((await fetchFeed(newMe)).status, 200);
    // A figure: a calendar app's fetch, end to end over HTTP (20 in a row, warm), against the
    // plugin's cheapest route (GET /api/v1/health) as the baseline of the HTTP path itself.
    const median = async (fetchOnce: () => Promise<Response>): Promise<{ median: number; max: number }> => {
      const took: number[] = [];
      for (let k = 0; k < 20; k++) {
        const started = performance.now();
        assert.equal((await fetchOnce()).status, 200);
        took.push(performance.now() - started);
      }
      took.sort((a, b) => a - b);
      return { median: took[10]!, max: took[19]! };
    };
    const feedTimes = await median(() => fetchFeed(newMe));
    const healthTimes = await median(() => fetch(`${rig.url}/plugins/infra-ops/api/v1/health`));
    t.diagnostic(
      `feed fetch over HTTP: median ${feedTimes.median.toFixed(1)} ms, max ${feedTimes.max.toFixed(1)} ms; ` +
        `health baseline: median ${healthTimes.median.toFixed(1)} ms, max ${healthTimes.max.toFixed(1)} ms (20 fetches each)`,
    );
    assert.equal((await fetchFeed(teamToken)).status, 200);
    assert.equal((await fetchFeed('A'.repeat(43))).status, 404);
    assert.equal((await fetchFeed('not-a-token')).status, 404);
  } finally {
    await rig.runCommand(rig.admin, open.id, `/guild holidays remove ${holiday}`);
    for (const slug of [berlin, york]) await rig.runCommand(alice, open.id, `/guild delete ${slug} --confirm`);
    await rig.runCommand(alice, secret.id, `/guild delete ${hidden} --confirm`);
  }
});
