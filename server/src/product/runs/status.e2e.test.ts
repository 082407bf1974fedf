// Status updates and the daily digest on a real Mattermost: a release from a template with a
// one-minute cadence reminds its owner once per slot (with snooze buttons), a request for an update
// reaches the owner once, `/run update` lands on the timeline, and the digest DM comes at a user's
// local morning (here: the minute they chose) — and not to a user who opted out.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { connectRig, type Rig, type RigUser, type WsEvent } from '../../../../e2e/rig';
import type { TemplateDocument } from '../contract/runs';

const rig: Rig = connectRig();
const [alice, bob, carol, dave] = rig.users as [RigUser, RigUser, RigUser, RigUser];
const tag = Date.now().toString(36);
const api = `/api/v1/teams/${rig.team.id}`;

async function say(user: RigUser, channelId: string, text: string): Promise<string> {
  const reply = await rig.runCommand(user, channelId, text);
  assert.equal(reply.response_type, 'ephemeral', `${text} → ${reply.text}`);
  return reply.text ?? '';
}

const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

after(() => rig.close());

test('release status updates: cadence from the template, one reminder, snooze, a request, /run update; the digest DM at the chosen morning, not when opted out', async () => {
  const home = rig.channelId;
  for (const u of [alice, bob, carol, dave]) await rig.admin.client.addToChannel(u.id, home).catch(() => undefined);

  // A team template with status updates every minute (admins import templates).
  const exported = await rig.pluginFetch(rig.admin, `${api}/templates/product-release`);
  assert.equal(exported.status, 200);
  const doc = (await exported.json()) as TemplateDocument;
  const name = `Timed ${tag}`;
  const imported = await rig.pluginFetch(rig.admin, `${api}/templates/import`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ source: 'infra-ops', document: JSON.stringify({ ...doc, template: { ...doc.template, name, statusUpdateMinutes: 1 } }) }),
  });
  assert.equal(imported.status, 201, await imported.clone().text());

  const started = await say(alice, home, `/release start st-${tag} --template ${name}`);
  const m = /Started RUN-(\d+) .* in ~(\S+) from the template/.exec(started);
  assert.ok(m, started);
  const [number, channelName] = [Number(m[1]), m[2]!];
  const channel = await rig.admin.client.getChannelByName(rig.team.id, channelName, false);
  await alice.client.addToChannel(bob.id, channel.id);
  assert.match(await say(alice, channel.id, `/run assign 1.1 @${bob.username}`), /assigned/);
  assert.match(await say(alice, channel.id, '/run due 1.1 in 1m'), /due/);
  const card = Object.values((await alice.client.getPinnedPosts(channel.id)).posts)[0]!;
  assert.match(card.message, /Status updates every 1 minute · next due/);

  // The digest comes at the first whole minute at least 70 s from now, after the update fell due (the rig's users have no time zone: UTC).
  const digestAt = Math.ceil((Date.now() + 70_000) / 60_000) * 60_000;
  assert.match(await say(alice, home, `/infra digest time ${hhmm(digestAt)}`), new RegExp(`comes at ${hhmm(digestAt)}`));
  assert.match(await say(alice, home, '/infra digest weekends on'), /every day/);
  await say(bob, home, `/infra digest time ${hhmm(digestAt)}`);
  await say(bob, home, '/infra digest weekends on');
  assert.match(await say(bob, home, '/infra digest off'), /opted out/);

  const aliceEvents = await rig.listen(alice);
  const bobEvents = await rig.listen(bob);
  const isReminder = (e: WsEvent) => e.broadcast.channel_id === channel.id && String(e.data['post']).includes('needs a status update');
  await aliceEvents.waitFor('posted', isReminder, 150_000);
  const digest = await aliceEvents.waitFor('posted', (e) => e.data['channel_type'] === 'D' && String(e.data['post']).includes('Good morning'), 150_000);
  const digestText = String((JSON.parse(String(digest.data['post'])) as { message: string }).message);
  assert.match(digestText, new RegExp(`RUN-0*${number} st-${tag}: a status update was due .* \\(overdue\\)`));

  // One reminder for its slot (the next slot is a minute later; look before it).
  const posts = Object.values((await alice.client.getPosts(channel.id, 0, 100)).posts);
  const reminders = posts.filter((p) => p.message.includes('needs a status update'));
  assert.equal(reminders.length, 1, 'one reminder per slot');
  assert.ok(!bobEvents.events.some((e) => e.event === 'posted' && e.data['channel_type'] === 'D' && String(e.data['post']).includes('Good morning')), 'bob opted out: no digest');

  // Snooze from the reminder's button, as the owner, through Mattermost's post-action API.
  const actions = ((reminders[0]!.props?.['attachments'] as Array<{ actions: Array<{ id: string; name: string }> }>) ?? []).flatMap((a) => a.actions);
  const snooze = actions.find((a) => a.name === 'Snooze 4h');
  assert.ok(snooze, 'the reminder has snooze buttons');
  await alice.client.doPostAction(reminders[0]!.id, snooze.id);
  const view = (await (await rig.pluginFetch(bob, `${api}/runs/${number}`)).json()) as { run: { snoozedUntil: number | null; updateCadenceMinutes: number | null; nextUpdateDueAt: number | null } };
  assert.equal(view.run.updateCadenceMinutes, 1);
  assert.ok(view.run.snoozedUntil !== null && view.run.snoozedUntil > Date.now() + 3.9 * 3_600_000, 'snoozed for four hours');
  assert.equal(view.run.nextUpdateDueAt, view.run.snoozedUntil);

  // A request: carol reads the open channel without being in it (Mattermost runs commands only for
  // members, so she asks over HTTP); dave, a member, asks after her and is told; alice is asked once, by DM.
  const asked = aliceEvents.waitFor('posted', (e) => e.data['channel_type'] === 'D' && String(e.data['post']).includes('asks for a status update'), 30_000);
  const request = await rig.pluginFetch(carol, `${api}/runs/${number}/request-update`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(request.status, 200);
  assert.equal(((await request.json()) as { asked: boolean }).asked, true);
  await alice.client.addToChannel(dave.id, channel.id);
  assert.match(await say(dave, channel.id, '/run request-update'), /@carol already asked for a status update/);
  await asked;

  assert.match(await say(bob, channel.id, '/run update Canary at 10%, error rate flat'), /Posted the status update/);
  const timeline = await say(alice, channel.id, '/run timeline');
  assert.match(timeline, /@alice snoozed the status-update reminder until/);
  assert.match(timeline, /@carol asked for a status update/);
  assert.match(timeline, /@bob posted a status update: Canary at 10%, error rate flat/);
  assert.match(await say(alice, channel.id, '/run cadence never'), /status updates never/);
  await say(alice, home, '/infra digest off');
  aliceEvents.close();
  bobEvents.close();
});
