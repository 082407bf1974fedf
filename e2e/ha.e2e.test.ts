// HA on real servers: a second Mattermost server on the rig's PostgreSQL and file store, each
// running its own copy of the plugin against the one KV store (no cluster licence). Concurrent
// writes split across the two keep every write; timed posts (incident status reminders, guild
// cadence posts) fire exactly once even when one node's plugin process is killed with SIGKILL in
// the middle of firing them. Everything is checked through Mattermost's REST API.
import assert from 'node:assert/strict';
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { CommandResponse } from '@mattermost/types/integrations';
import type { Post } from '@mattermost/types/posts';
import { connectRig, createUser, isAlive, PluginState, sleep, startSecondNode, waitFor, type ProcessInfo, type Rig, type RigUser, type SecondNode } from './rig';

const rig: Rig = connectRig();
const tag = Date.now().toString(36);
const [alice, bob, carol, dave] = rig.users as [RigUser, RigUser, RigUser, RigUser];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const SETTINGS = { incidentupdateintervalsev1: 1, incidentresponderssev1: '', guildreminderleadminutes: '1' };
const INCIDENTS = 20;
const GUILDS = 5;
const SCORERS = 50;
/** The line a plugin logs after each scheduled job (Mattermost's plain-text console format). */
const JOB_LINE = /\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) Z\] scheduled job ran[^\n]*incident-reminder:/g;

let second: SecondNode;
/** Tests that got to their end; the second server's log is kept unless all did. */
let passed = 0;
let previousSettings: Record<string, unknown> = {};
const cleanups: Array<() => Promise<unknown>> = [];

/** One of the two servers, as the tests address it. */
interface Node {
  name: string;
  logFile: string;
  run(user: RigUser, channelId: string, command: string): Promise<CommandResponse>;
  pluginProcesses(): Promise<ProcessInfo[]>;
  pluginRunning(): Promise<boolean>;
}
let nodes: [Node, Node];
/** Work is split across the servers by index: even on the first, odd on the second. */
const nodeFor = (i: number): Node => (i % 2 ? nodes[1] : nodes[0]);

async function patchPluginSettings(user: RigUser, values: Record<string, unknown>): Promise<Record<string, unknown>> {
  const config = await user.client.getConfig();
  const current = (config.PluginSettings.Plugins[rig.pluginId] ?? {}) as Record<string, unknown>;
  await user.client.patchConfig({ PluginSettings: { Plugins: { [rig.pluginId]: { ...current, ...values } } } });
  return current;
}

async function botPosts(channelId: string): Promise<Post[]> {
  const list = await rig.admin.client.getPosts(channelId, 0, 200);
  const human = new Set([rig.admin.id, ...rig.users.map((u) => u.id)]);
  return list.order
    .map((id) => list.posts[id]!)
    .filter((p) => !human.has(p.user_id) && p.type === '')
    .sort((a, b) => a.create_at - b.create_at);
}

/** Lines appended to a log file since `from` (byte offset). */
function readLogFrom(file: string, from: number): string {
  const size = statSync(file).size;
  if (size <= from) return '';
  const buffer = Buffer.alloc(size - from);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => work(item, i + j)))));
  return results;
}

before(async () => {
  second = await startSecondNode(rig, (line) => console.log(`[ha] ${line}`));
  nodes = [
    {
      name: 'node 1',
      logFile: rig.state.serverLog,
      run: (user, channelId, command) => rig.runCommand(user, channelId, command),
      pluginProcesses: () => rig.pluginProcesses(),
      pluginRunning: async () => (await rig.pluginStatus())?.state === PluginState.Running,
    },
    {
      name: 'node 2',
      logFile: second.logFile,
      run: (user, channelId, command) => second.runCommand(user, channelId, command),
      pluginProcesses: async () => second.pluginProcesses(),
      pluginRunning: async () => (await second.pluginStatus())?.state === PluginState.Running,
    },
  ];
  previousSettings = await patchPluginSettings(rig.admin, SETTINGS);
  await patchPluginSettings(second.as(rig.admin), SETTINGS);
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((err: Error) => console.log(`[ha] cleanup: ${err.message}`));
  await rig.admin.client
    .patchConfig({ PluginSettings: { Plugins: { [rig.pluginId]: previousSettings } } })
    .catch((err: Error) => console.log(`[ha] restoring settings: ${err.message}`));
  const keepLogs = passed < 2;
  if (keepLogs && second) console.log(`[ha] keeping the second server's log: ${second.logFile}`);
  await second?.stop({ keepLogs });
  rig.close();
});

test(`${SCORERS} concurrent scorers split across the two servers: every score is kept`, { timeout: 120_000 }, async (t) => {
  const channel = await alice.client.createChannel({ team_id: rig.team.id, name: `ha-pick-${tag}`, display_name: `HA pick ${tag}`, type: 'O' } as never);
  const names = Array.from({ length: SCORERS }, (_, i) => `ha${tag}s${i}`);
  const scorers = await inBatches(names, 4, (name) => createUser(rig.url, name, { admin: rig.admin }));
  await rig.admin.client.addUsersToTeam(rig.team.id, scorers.map((u) => u.id));
  // Joining the team put them in town-square too, which later scenarios use: take them out after.
  cleanups.push(() => inBatches(scorers, 10, (u) => rig.admin.client.removeFromTeam(rig.team.id, u.id)));
  await rig.admin.client.addToChannels(scorers.map((u) => u.id), channel.id);

  const added = (await nodes[0].run(alice, channel.id, `/pick add HA scoring ${tag}`)).text ?? '';
  const ref = /Added (IDEA-\d+)/.exec(added)?.[1] ?? '';
  const n = Number(ref.slice('IDEA-'.length));
  assert.ok(n > 0, added);
  const asked = SCORERS + 1;

  const started = Date.now();
  const replies = await Promise.all(
    scorers.map((user, i) => nodeFor(i).run(user, channel.id, `/pick score ${n} payoff=${(i % 10) + 1} cost=${10 - (i % 10)}`)),
  );
  const elapsed = Date.now() - started;
  const counts = replies.map((r) => Number(new RegExp(`score for ${ref}: payoff \\d+, cost \\d+\\. (\\d+)/${asked} scored so far`).exec(r.text ?? '')?.[1]));
  assert.deepEqual(
    [...counts].sort((a, b) => a - b),
    Array.from({ length: SCORERS }, (_, i) => i + 1),
    'each score saw a distinct count: none overwrote another',
  );
  for (const node of nodes) {
    const shown = (await node.run(alice, channel.id, `/pick show ${n}`)).text ?? '';
    assert.match(shown, new RegExp(`Scored: ${SCORERS} of ${asked} asked`), `${node.name}: ${shown}`);
  }
  // The owner's score completes the round: the reveal counts everyone, and the medians are the
  // ones all 51 scores give (payoff and cost each 1..10 five times, plus 5).
  assert.match((await nodes[1].run(alice, channel.id, `/pick score ${n} payoff=5 cost=5`)).text ?? '', /Everyone asked has scored/);
  const reveal = await waitFor('the reveal post', async () => (await botPosts(channel.id)).find((p) => p.message.includes(ref) && p.message.includes('scorers'))?.message);
  assert.match(reveal, new RegExp(`payoff 5 \\(IQR [\\d.]+\\), cost 5 \\(IQR [\\d.]+\\), ${asked} scorers`));
  t.diagnostic(`${SCORERS} scores over 2 servers in ${elapsed} ms, all kept`);
  passed++;
});

interface Declared {
  number: number;
  channelId: string;
  declarer: RigUser;
  node: Node;
  declaredAt: number;
}

interface Guild {
  slug: string;
  channelId: string;
}

test(
  `${INCIDENTS} concurrent declarations over both servers are all kept; their reminders and ${GUILDS} guilds' cadence posts fire exactly once through a kill -9`,
  { timeout: 300_000 },
  async (t) => {
    const declarers = [alice, bob, carol, dave];
    const guildChannels = await Promise.all(
      Array.from({ length: GUILDS }, (_, i) =>
        rig.admin.client.createChannel({ team_id: rig.team.id, name: `ha-guild-${tag}-${i}`, display_name: `HA guild ${tag} ${i}`, type: 'O' } as never),
      ),
    );
    const t0 = Date.now();
    // Meetings at the first whole minute 75 s away: reminders (a minute before) and starts fall
    // in the same minute or so as the incidents' first reminders (60 s after declaring).
    const meetingAt = Math.ceil((t0 + 75_000) / 60_000) * 60_000;
    const when = new Date(meetingAt);
    const logOffsets = nodes.map((node) => statSync(node.logFile).size);

    const [declarations, guilds] = await Promise.all([
      Promise.all(
        Array.from({ length: INCIDENTS }, async (_, i) => {
          const node = nodeFor(i);
          const declarer = declarers[i % 4]!;
          const reply = (await node.run(declarer, rig.channelId, `/incident declare sev1 HA ${tag} ${i}`)).text ?? '';
          const m = /^Declared \*\*INC-(\d+)\*\*.*~([a-z0-9_-]+)/.exec(reply);
          assert.ok(m, `declaration ${i} on ${node.name}: ${reply}`);
          return { number: Number(m[1]), name: m[2]!, declarer, node, declaredAt: Date.now() };
        }),
      ),
      Promise.all(
        guildChannels.map(async (channel, i): Promise<Guild> => {
          const node = nodeFor(i);
          const reply = (await node.run(rig.admin, channel.id, `/guild create HA ${tag} ${i} --day ${WEEKDAYS[when.getUTCDay()]} --time ${when.toISOString().slice(11, 16)} --tz UTC --channel ~${channel.name}`)).text ?? '';
          const slug = /\(`([a-z0-9-]+)`\)/.exec(reply)?.[1];
          assert.ok(slug && reply.startsWith('Created'), `guild ${i} on ${node.name}: ${reply}`);
          return { slug, channelId: channel.id };
        }),
      ),
    ]);
    // Every write kept: distinct numbers and channels, and each record answers on its channel.
    assert.equal(new Set(declarations.map((d) => d.number)).size, INCIDENTS, 'distinct INC numbers');
    assert.equal(new Set(declarations.map((d) => d.name)).size, INCIDENTS, 'distinct channels');
    const declared: Declared[] = await Promise.all(
      declarations.map(async (d) => ({ ...d, channelId: (await rig.admin.client.getChannelByName(rig.team.id, d.name, false)).id })),
    );
    // Reminders come every minute until an incident resolves: stop them when the test is over.
    cleanups.push(() =>
      Promise.all(declared.map((d) => d.node.run(d.declarer, d.channelId, '/incident resolve HA test over').catch(() => rig.runCommand(rig.admin, d.channelId, '/incident resolve HA test over')))),
    );
    for (const d of declared) {
      const info = (await d.node.run(d.declarer, d.channelId, '/incident info')).text ?? '';
      assert.match(info, new RegExp(`INC-0*${d.number}\\b`), `INC-${d.number} answers on ${d.node.name}`);
    }
    t.diagnostic(`${INCIDENTS} declarations over 2 servers kept (INC-${Math.min(...declared.map((d) => d.number))}…${Math.max(...declared.map((d) => d.number))})`);

    // Kill -9 the plugin of the first server seen firing reminders in a poll that began once all
    // of them were due: its batch holds the rest, so the kill lands in the middle of a job.
    const lastDue = Math.max(...declared.map((d) => d.declaredAt)) + 60_000;
    const storm = await waitFor(
      'a server to fire the reminders',
      async () => {
        let latest: { node: Node; at: number } | undefined;
        for (const [i, node] of nodes.entries()) {
          for (const m of readLogFrom(node.logFile, logOffsets[i]!).matchAll(JOB_LINE)) {
            const at = Date.parse(`${m[1]!.replace(' ', 'T')}Z`);
            if (at >= lastDue) return node;
            if (!latest || at > latest.at) latest = { node, at };
          }
        }
        // Every reminder went out in small polls before that: kill the last one seen firing.
        return Date.now() > lastDue + 25_000 ? latest?.node : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 20 },
    );
    const victims = await storm.pluginProcesses();
    assert.ok(victims.length > 0, `${storm.name} has a plugin process`);
    for (const victim of victims) process.kill(victim.pid, 'SIGKILL');
    const killedAt = Date.now();
    const postsAtKill = (await Promise.all(declared.map((d) => botPosts(d.channelId)))).flat().filter((p) => p.message.startsWith('⏰')).length;
    await waitFor('the killed process to be gone', async () => (victims.some((v) => isAlive(v.pid)) ? undefined : true));
    t.diagnostic(`killed ${storm.name}'s plugin (pid ${victims.map((v) => v.pid).join(', ')}) at t0+${((killedAt - t0) / 1000).toFixed(1)} s, ${postsAtKill}/${INCIDENTS} first reminders posted by then`);

    // Wait until every due post is there, and long enough after the kill for a duplicate to
    // show: a job the dead node held is retried once its claim lapses (30 s) and a poll comes by.
    // Mattermost still reports the plugin running until its health check (every 30 s) notices.
    const victimPids = new Set(victims.map((v) => v.pid));
    const restarted = waitFor(`${storm.name}'s plugin to be restarted by the health check`, async () => {
      const fresh = (await storm.pluginProcesses()).some((p) => !victimPids.has(p.pid));
      return fresh && (await storm.pluginRunning()) ? Date.now() : undefined;
    }, {
      timeoutMs: 120_000,
      intervalMs: 500,
    }).catch(() => Number.NaN);
    const settleUntil = Math.max(killedAt + 60_000, meetingAt + 20_000);
    let complete = 0;
    const snapshot = async (): Promise<{ reminders: Post[][]; cadence: Post[][] }> => ({
      reminders: await Promise.all(declared.map(async (d) => (await botPosts(d.channelId)).filter((p) => p.message.startsWith('⏰')))),
      cadence: await Promise.all(guilds.map(async (g) => (await botPosts(g.channelId)).filter((p) => p.props['infra_ops_guild'] === g.slug))),
    });
    let seen = await snapshot();
    for (;;) {
      const done = seen.reminders.every((r) => r.length >= 1) && seen.cadence.every((c) => c.length >= 2);
      if (done && !complete) complete = Date.now();
      if (done && Date.now() >= settleUntil) break;
      assert.ok(Date.now() < meetingAt + 120_000, `posts still missing: reminders ${seen.reminders.map((r) => r.length).join(',')}, cadence ${seen.cadence.map((c) => c.length).join(',')}`);
      await sleep(2_000);
      seen = await snapshot();
    }
    const restartedAt = await restarted;

    // Exactly once: a guild posts one reminder and one start; an incident's reminders (every
    // minute) are never closer than the interval, which a re-run of the same nudge would be.
    for (const [i, posts] of seen.cadence.entries()) {
      assert.deepEqual(posts.map((p) => p.props['infra_ops_cadence']).sort(), ['reminder', 'start'], `guild ${guilds[i]!.slug}: ${posts.length} posts`);
    }
    for (const [i, posts] of seen.reminders.entries()) {
      for (let k = 1; k < posts.length; k++) {
        const gap = posts[k]!.create_at - posts[k - 1]!.create_at;
        assert.ok(gap >= 50_000, `INC-${declared[i]!.number}: two reminders ${gap} ms apart (a duplicate)`);
      }
      const keys = posts.map((p) => p.props['infra_ops_key']).filter((k) => k !== undefined);
      assert.equal(new Set(keys).size, keys.length, `INC-${declared[i]!.number}: an idempotency key posted twice`);
    }

    const firstRound = seen.reminders.map((posts, i) => posts[0]!.create_at - (declared[i]!.declaredAt + 60_000));
    const cadencePosts = seen.cadence.flat();
    const cadenceLate = cadencePosts.map((p) => p.create_at - (p.props['infra_ops_cadence'] === 'start' ? meetingAt : meetingAt - 60_000));
    const late = [...firstRound, ...cadenceLate].filter((ms) => ms > 15_000);
    // What the kill interrupted, as the plugins logged it: jobs run again, and posts a retry
    // found already made (so did not make twice).
    const logs = nodes.map((node, i) => readLogFrom(node.logFile, logOffsets[i]!)).join('\n');
    const figures = {
      expectedInStorm: INCIDENTS + 2 * GUILDS,
      seenInStorm: seen.reminders.filter((r) => r.length >= 1).length + cadencePosts.length,
      secondRoundReminders: seen.reminders.reduce((sum, r) => sum + r.length - 1, 0),
      duplicates: 0,
      stormSpanS: ((Math.max(meetingAt, ...declared.map((d) => d.declaredAt + 60_000)) - Math.min(meetingAt - 60_000, ...declared.map((d) => d.declaredAt + 60_000))) / 1000).toFixed(1),
      killedNode: storm.name,
      killAtS: ((killedAt - t0) / 1000).toFixed(1),
      firstRemindersBeforeKill: postsAtKill,
      postsDelayedByKill: late.length,
      recoveryS: late.length ? (Math.max(...late) / 1000).toFixed(1) : '0',
      allPresentAfterKillS: ((complete - killedAt) / 1000).toFixed(1),
      pluginRestartedAfterS: ((restartedAt - killedAt) / 1000).toFixed(1),
      maxLatenessS: (Math.max(...firstRound, ...cadenceLate) / 1000).toFixed(1),
      meetingAtS: ((meetingAt - t0) / 1000).toFixed(1),
      jobsRunAgain: [...logs.matchAll(/scheduled job ran[^\n]*key="([^"]+)"[^\n]*attempt=([2-9])/g)].map((m) => `${m[1]!.split(':')[0]} attempt ${m[2]}`),
      retriesWaitingForAPostInFlight: logs.match(/may still be in flight/g)?.length ?? 0,
      retriesThatTookAnInterruptedPostAsMade: logs.match(/timed post was interrupted mid-way/g)?.length ?? 0,
    };
    t.diagnostic(`HA figures ${JSON.stringify(figures)}`);
    console.log(`[ha] figures ${JSON.stringify(figures)}`);
    passed++;
  },
);
