import assert from 'node:assert/strict';
import type { Rig, RigUser } from '../rig';

/**
 * Product data that must survive a lifecycle event, written and read back the way users do:
 * slash commands and what Mattermost shows (ephemeral replies, channels). Each feature that
 * stores data adds a probe; the lifecycle scenarios run every probe whose command the
 * installed bundle registers.
 */
export interface DataProbe {
  /** The slash command trigger the probe needs. */
  trigger: string;
  /** Writes something uniquely tagged; returns what `check` needs to find it again. */
  write(rig: Rig, tag: string): Promise<unknown>;
  /** Asserts the data written earlier is all still there. */
  check(rig: Rig, written: unknown): Promise<void>;
}

const text = async (rig: Rig, user: RigUser, channelId: string, command: string): Promise<string> =>
  (await rig.runCommand(user, channelId, command)).text ?? '';

/** `/pick`: an idea and a private score, read back with `/pick show`. */
const pickProbe: DataProbe = {
  trigger: 'pick',
  async write(rig, tag) {
    const alice = rig.users[0]!;
    const title = `lifecycle idea ${tag}`;
    const added = await text(rig, alice, rig.channelId, `/pick add ${title}`);
    const number = /\bIDEA-0*([1-9]\d*)\b/i.exec(added)?.[1] ?? /#(\d+)\b/.exec(added)?.[1];
    assert.ok(number, `/pick add answered without an idea number: ${added}`);
    const scored = await text(rig, alice, rig.channelId, `/pick score ${number} payoff=8 cost=3`);
    assert.match(scored, /payoff 8, cost 3/);
    return { number, title };
  },
  async check(rig, written) {
    const { number, title } = written as { number: string; title: string };
    const shown = await text(rig, rig.users[0]!, rig.channelId, `/pick show ${number}`);
    assert.ok(shown.includes(title), `/pick show ${number} lost the title: ${shown}`);
    assert.match(shown, /payoff 8, cost 3/, `/pick show ${number} lost alice's score: ${shown}`);
  },
};

/** `/incident`: a declared incident has its channel in Mattermost and its record in the plugin. */
const incidentProbe: DataProbe = {
  trigger: 'incident',
  async write(rig, tag) {
    const bob = rig.users[1]!;
    const title = `lifecycle ${tag}`;
    await rig.runCommand(bob, rig.channelId, `/incident declare ${title}`);
    const channels = await bob.client.getMyChannels(rig.team.id);
    const channel = channels.find((c) => c.display_name.includes(tag));
    assert.ok(channel, `no incident channel named after "${title}" among bob's channels`);
    return { channelId: channel.id, title, tag };
  },
  async check(rig, written) {
    const { channelId, tag } = written as { channelId: string; tag: string };
    const bob = rig.users[1]!;
    const channel = await bob.client.getChannel(channelId);
    assert.equal(channel.delete_at, 0, 'the incident channel was deleted');
    const info = await text(rig, bob, channelId, '/incident info');
    assert.ok(info.includes(tag), `/incident info lost the incident: ${info}`);
  },
};

/** `/rfc`: an RFC in review with a reviewer and an open concern, read back with `/rfc show`. */
const rfcProbe: DataProbe = {
  trigger: 'rfc',
  async write(rig, tag) {
    const [alice, bob, carol] = rig.users;
    assert.ok(alice && bob && carol, 'the RFC probe needs three users');
    const title = `lifecycle rfc ${tag}`;
    const opened = await text(rig, alice, rig.channelId, `/rfc new ${title} --no-thread`);
    const number = /\bRFC-0*([1-9]\d*)\b/.exec(opened)?.[1];
    assert.ok(number, `/rfc new answered without an RFC number: ${opened}`);
    assert.match(await text(rig, alice, rig.channelId, `/rfc review ${number} @${bob.username} --days 9`), /\bin review until /i);
    assert.match(await text(rig, carol, rig.channelId, `/rfc concern ${number} Rollback plan for ${tag}?`), /Raised concern #1/);
    return { number, title, tag, bob: bob.username, carol: carol.username };
  },
  async check(rig, written) {
    const w = written as { number: string; title: string; tag: string; bob: string; carol: string };
    const shown = await text(rig, rig.users[0]!, rig.channelId, `/rfc show ${w.number}`);
    assert.ok(shown.includes(w.title), `/rfc show ${w.number} lost the title: ${shown}`);
    assert.match(shown, /\*\*In review\*\*/, `/rfc show ${w.number} lost the status: ${shown}`);
    assert.ok(shown.includes(`Reviewers: @${w.bob} ⏳ pending`), `/rfc show ${w.number} lost the reviewer: ${shown}`);
    assert.ok(shown.includes(`Concern #1 (@${w.carol}): Rollback plan for ${w.tag}? — **open`), `/rfc show ${w.number} lost the concern: ${shown}`);
  },
};

/** `/guild`: a guild with its schedule, a queued item and a decision, read back with `/guild list` and `/guild agenda`. */
const guildProbe: DataProbe = {
  trigger: 'guild',
  async write(rig, tag) {
    const [alice, bob] = rig.users;
    assert.ok(alice && bob, 'the guild probe needs two users');
    const channel = await alice.client.getChannel(rig.channelId);
    const created = await text(rig, alice, rig.channelId, `/guild create Lifecycle ${tag} --day wed --time 10:00 --tz Europe/Berlin --every 2 weeks --channel ~${channel.name} --sources rfcs`);
    const slug = /Created \*\*[^*]+\*\* \(`([a-z0-9-]+)`\)/.exec(created)?.[1];
    assert.ok(slug, `/guild create answered without a slug: ${created}`);
    assert.match(await text(rig, bob, rig.channelId, `/guild queue ${slug} Agenda item ${tag}`), /Queued Q1/);
    assert.match(await text(rig, alice, rig.channelId, `/guild notes ${slug} decision: Decided ${tag}`), /Recorded a decision/);
    return { slug, tag, bob: bob.username };
  },
  async check(rig, written) {
    const { slug, tag, bob } = written as { slug: string; tag: string; bob: string };
    const alice = rig.users[0]!;
    const list = await text(rig, alice, rig.channelId, '/guild list');
    assert.ok(list.includes(`(\`${slug}\`)`) && list.includes('every 2 weeks on Wednesday 10:00 Europe/Berlin'), `/guild list lost ${slug} or its schedule: ${list}`);
    const agenda = await text(rig, alice, rig.channelId, `/guild agenda ${slug}`);
    assert.ok(agenda.includes(`\`Q1\` Agenda item ${tag} (@${bob})`), `/guild agenda ${slug} lost the queued item: ${agenda}`);
    assert.ok(agenda.includes(`decision: Decided ${tag}`), `/guild agenda ${slug} lost the decision: ${agenda}`);
  },
};

export const PROBES: readonly DataProbe[] = [pickProbe, incidentProbe, rfcProbe, guildProbe];

/** Triggers of the commands Mattermost has registered for the team (plugins' included). */
export async function registeredTriggers(rig: Rig): Promise<Set<string>> {
  const commands = await rig.admin.client.getCommandsList(rig.team.id);
  return new Set(commands.map((c) => c.trigger));
}

/** Writes with every applicable probe; returns a checker that verifies all of them. */
export async function writeProbes(rig: Rig, probes: readonly DataProbe[], tag: string): Promise<() => Promise<void>> {
  const written: Array<{ probe: DataProbe; data: unknown }> = [];
  for (const probe of probes) written.push({ probe, data: await probe.write(rig, `${tag}-${probe.trigger}`) });
  return async () => {
    for (const { probe, data } of written) await probe.check(rig, data);
  };
}
