// The guild cadence in a real Mattermost: a guild whose meeting is about three minutes away gets
// its reminder (lead set to one minute through the System Console config) and its "meeting
// started" post from the plugin's own scheduler, each exactly once, on time, as the bot, with the
// agenda and the members mentioned. Checked only through Mattermost: posts, props and replies.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { connectRig, type Rig, type RigUser } from '../../../../e2e/rig';

const rig: Rig = connectRig();
after(() => rig.close());

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
/** The scheduler polls every 10 s ± 25 %; allow for that and for a busy machine. */
const LATE_MS = 30_000;

interface CadencePost {
  kind: string;
  createAt: number;
  message: string;
  userId: string;
}

async function cadencePosts(user: RigUser, channelId: string, slug: string): Promise<CadencePost[]> {
  const page = await user.client.getPosts(channelId, 0, 60);
  return page.order
    .map((id) => page.posts[id]!)
    .filter((p) => p.props?.['infra_ops_guild'] === slug)
    .map((p) => ({ kind: String(p.props['infra_ops_cadence']), createAt: p.create_at, message: p.message, userId: p.user_id }))
    .sort((a, b) => a.createAt - b.createAt);
}

async function waitFor<T>(what: string, until: number, probe: () => Promise<T | null>): Promise<T> {
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** Sets GuildReminderLeadMinutes (Mattermost stores plugin settings lower-cased); returns the old value. */
async function setReminderLead(value: unknown): Promise<unknown> {
  const config = await rig.admin.client.getConfig();
  const plugins = (config.PluginSettings.Plugins ?? {}) as Record<string, Record<string, unknown>>;
  const previous = plugins['infra-ops']?.['guildreminderleadminutes'];
  plugins['infra-ops'] = { ...(plugins['infra-ops'] ?? {}), guildreminderleadminutes: value };
  config.PluginSettings.Plugins = plugins;
  await rig.admin.client.updateConfig(config);
  return previous;
}

test('a guild meeting minutes away: one reminder a minute before, one start post at its time', { timeout: 360_000 }, async (t) => {
  const [alice, bob] = rig.users as [RigUser, RigUser];
  const tag = Date.now().toString(36);
  const channel = await alice.client.createChannel({ team_id: rig.team.id, name: `cadence-${tag}`, display_name: `Cadence ${tag}`, type: 'O' } as never);
  await alice.client.addToChannel(bob.id, channel.id);
  const previous = await setReminderLead('1');
  try {
    // Give OnConfigurationChange a moment, then aim for a whole minute at least 2.5 minutes out,
    // so the reminder (a minute before) is still ahead when the guild is created.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const meetingAt = Math.ceil((Date.now() + 150_000) / 60_000) * 60_000;
    const at = new Date(meetingAt);
    const time = at.toISOString().slice(11, 16);
    const created = await rig.runCommand(alice, channel.id, `/guild create Cadence ${tag} --day ${WEEKDAYS[at.getUTCDay()]} --time ${time} --tz UTC --channel ~cadence-${tag} --members @${bob.username} SRE`);
    const slug = `cadence-${tag}`;
    assert.match(created.text ?? '', new RegExp(`Created \\*\\*Cadence ${tag}\\*\\* \\(\`${slug}\`\\)\\. Next meeting: .* ${time} UTC`));
    await rig.runCommand(bob, channel.id, `/guild queue ${slug} Review the on-call load ${tag}`);

    const reminder = await waitFor('the reminder', meetingAt - 60_000 + LATE_MS, async () => (await cadencePosts(alice, channel.id, slug))[0] ?? null);
    assert.equal(reminder.kind, 'reminder');
    assert.ok(reminder.createAt >= meetingAt - 60_000 && reminder.createAt < meetingAt - 60_000 + LATE_MS, `reminder posted at ${new Date(reminder.createAt).toISOString()}`);
    assert.notEqual(reminder.userId, alice.id);
    assert.match(reminder.message, new RegExp(`^#### ⏰ Cadence ${tag} meets in 1 minute — .* ${time} UTC`));
    assert.match(reminder.message, new RegExp(`\\n@${bob.username} · SRE\\n`));
    assert.match(reminder.message, new RegExp(`\\*\\*Queued\\*\\*\\n- \`Q1\` Review the on-call load ${tag} \\(@${bob.username}\\)`));

    const start = await waitFor('the start post', meetingAt + LATE_MS, async () => (await cadencePosts(alice, channel.id, slug)).find((p) => p.kind === 'start') ?? null);
    assert.ok(start.createAt >= meetingAt && start.createAt < meetingAt + LATE_MS, `start posted at ${new Date(start.createAt).toISOString()}`);
    assert.match(start.message, new RegExp(`^#### 📣 Cadence ${tag} starts now`));
    t.diagnostic(`reminder ${(reminder.createAt - (meetingAt - 60_000)) / 1000} s after its time, start post ${(start.createAt - meetingAt) / 1000} s after the meeting time`);
    // One more poll interval: nothing is posted twice.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    assert.deepEqual((await cadencePosts(alice, channel.id, slug)).map((p) => p.kind), ['reminder', 'start']);
    // The meeting has started and is not closed: `next` says so rather than "in N minutes".
    assert.match((await rig.runCommand(bob, channel.id, `/guild next ${slug}`)).text ?? '', new RegExp(`is meeting now: it started .* ago \\(\\w{3} \\d{4}-\\d{2}-\\d{2} ${time} UTC\\)`));
  } finally {
    await setReminderLead(previous ?? '60');
  }
});
