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
    const number = /\bIDEA-0*(\d+)\b/i.exec(added)?.[1] ?? /#(\d+)\b/.exec(added)?.[1];
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

export const PROBES: readonly DataProbe[] = [pickProbe, incidentProbe];

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
