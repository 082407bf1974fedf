// The plugin's life inside a real Mattermost, as an admin and users live it: it answers, it is
// disabled and enabled, its process is killed, the server restarts, a newer bundle is uploaded
// over it, broken bundles are refused — and no user data is lost along the way. Everything is
// checked through Mattermost (statuses, commands, channels, OS processes), never plugin internals.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientError } from '@mattermost/client';
import {
  connectRig,
  corruptedCopy,
  isAlive,
  notABundle,
  PluginState,
  repackWithVersion,
  truncatedCopy,
  waitFor,
  type Rig,
} from './rig';
import { PROBES, registeredTriggers, writeProbes, type DataProbe } from './lifecycle/probes';

const rig: Rig = connectRig();
const alice = rig.users[0]!;
let probes: DataProbe[] = [];

/** `/infra` (help) and `/infra version` answer privately with the plugin's version. */
async function assertInfraAnswers(version = rig.state.bundleVersion): Promise<void> {
  const help = await rig.runCommand(alice, rig.channelId, '/infra');
  assert.equal(help.response_type, 'ephemeral');
  assert.ok(help.text?.includes(`Infra Ops ${version}`), `/infra: ${help.text}`);
  const answer = await rig.runCommand(alice, rig.channelId, '/infra version');
  assert.equal(answer.text, `Infra Ops ${version}`);
}

async function onePluginProcess(): Promise<number> {
  const processes = await rig.pluginProcesses();
  assert.equal(processes.length, 1, `expected one ${rig.pluginId} process, found ${JSON.stringify(processes)}`);
  return processes[0]!.pid;
}

/** Fails with Mattermost's own error for an upload it refuses. */
async function refusedUpload(path: string): Promise<ClientError> {
  const outcome = await rig.uploadBundle(path).then(
    (manifest) => manifest,
    (err: unknown) => err,
  );
  assert.ok(outcome instanceof ClientError, `upload of ${path} was accepted: ${JSON.stringify(outcome)}`);
  return outcome;
}

before(async () => {
  const triggers = await registeredTriggers(rig);
  assert.ok(triggers.has('infra'), `/infra is not registered (have: ${[...triggers].join(', ')})`);
  probes = PROBES.filter((p) => triggers.has(p.trigger));
});

after(async () => {
  // Leave the server as the runner set it up: the bundle under test, running.
  await rig.uploadBundle(rig.state.bundlePath).catch(() => undefined);
  await rig.enablePlugin().catch(() => undefined);
  rig.close();
});

describe('plugin lifecycle on a real server', () => {
  test('/infra answers with the version; the health endpoint agrees', async () => {
    await assertInfraAnswers();
    const res = await rig.pluginFetch(alice, '/api/v1/health');
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status?: string; version?: string };
    assert.equal(body.status, 'ok');
    assert.equal(body.version, rig.state.bundleVersion);
  });

  test('the bundle registers a command that stores data (needed by the scenarios below)', (t) => {
    t.diagnostic(`data probes: /${probes.map((p) => p.trigger).join(', /')}`);
    assert.ok(
      probes.length > 0,
      `none of /${PROBES.map((p) => p.trigger).join(', /')} is registered, so nothing can show that data survives`,
    );
  });

  test('disable then enable keeps the data; while disabled the command is gone', async () => {
    const check = await writeProbes(rig, probes, `disable-${Date.now()}`);
    const before = await onePluginProcess();
    await rig.disablePlugin();
    const refused = await rig.runCommand(alice, rig.channelId, '/infra version').then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(refused instanceof ClientError && refused.status_code === 404, `disabled /infra answered: ${String(refused)}`);
    await waitFor('the plugin process to exit', async () => ((await rig.pluginProcesses()).length === 0 ? true : undefined), {
      timeoutMs: 10_000,
    });
    await rig.enablePlugin();
    assert.notEqual(await onePluginProcess(), before, 'enable starts a new process');
    await assertInfraAnswers();
    await check();
  });

  test('kill -9 of the plugin process: the health check restarts it and nothing is lost', { timeout: 120_000 }, async () => {
    const check = await writeProbes(rig, probes, `kill-${Date.now()}`);
    const victim = await onePluginProcess();
    process.kill(victim, 'SIGKILL');
    await waitFor('the killed process to be gone', async () => (isAlive(victim) ? undefined : true));
    // Until the health check runs, Mattermost itself tells users the plugin is down.
    const down = await rig.runCommand(alice, rig.channelId, '/infra version').then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(down instanceof ClientError, 'a command to a killed plugin fails');
    assert.equal(down.status_code, 500);
    assert.equal(down.server_error_id, 'model.plugin_command_error.error.app_error');
    // Mattermost pings every active plugin every 30 s (plugin.HealthCheckInterval, a constant),
    // so the restart comes within about 30 s of the kill.
    const replacement = await waitFor(
      'Mattermost to start a new plugin process',
      async () => {
        const processes = await rig.pluginProcesses();
        return processes.find((p) => p.pid !== victim)?.pid;
      },
      { timeoutMs: 75_000, intervalMs: 500 },
    );
    await rig.waitForPluginState(PluginState.Running);
    await waitFor('/infra to answer after the restart', async () => {
      await assertInfraAnswers();
      return true;
    });
    assert.equal(await onePluginProcess(), replacement);
    await check();
  });

  test('a server restart keeps the plugin running and its data', async () => {
    const check = await writeProbes(rig, probes, `restart-${Date.now()}`);
    const before = await onePluginProcess();
    await rig.restartServer();
    await rig.waitForPluginState(PluginState.Running);
    assert.notEqual(await onePluginProcess(), before);
    await assertInfraAnswers();
    await check();
  });

  test('uploading a newer version over the running one upgrades it and keeps the data', async () => {
    const check = await writeProbes(rig, probes, `upgrade-${Date.now()}`);
    const before = await onePluginProcess();
    const [major, minor, patch] = rig.state.bundleVersion.split(/[.+-]/).map(Number);
    const newer = `${major}.${minor}.${(patch ?? 0) + 1}`;
    const bundle = await repackWithVersion(rig.state.bundlePath, newer);
    const manifest = await rig.uploadBundle(bundle);
    assert.equal(manifest.version, newer);
    const status = await waitFor('Mattermost to report the new version running', async () => {
      const s = await rig.pluginStatus();
      return s?.version === newer && s.state === PluginState.Running ? s : undefined;
    });
    assert.equal(status.version, newer);
    assert.notEqual(await onePluginProcess(), before, 'the new version runs in a new process');
    // The executable is the same build, so it still reports the version it was built with.
    await assertInfraAnswers();
    await check();
  });

  test('truncated, corrupt and non-gzip bundles are refused and the running plugin is untouched', async () => {
    const check = await writeProbes(rig, probes, `refuse-${Date.now()}`);
    const before = await onePluginProcess();
    const versionBefore = (await rig.pluginStatus())?.version;
    for (const bad of [truncatedCopy(rig.state.bundlePath), corruptedCopy(rig.state.bundlePath), notABundle()]) {
      const err = await refusedUpload(bad);
      assert.equal(err.status_code, 400, `${bad}: ${err.message}`);
      assert.equal(err.server_error_id, 'app.plugin.extract.app_error', `${bad}: ${err.message}`);
    }
    const status = await rig.pluginStatus();
    assert.equal(status?.state, PluginState.Running);
    assert.equal(status?.version, versionBefore);
    assert.equal(await onePluginProcess(), before, 'a refused upload does not restart the plugin');
    await assertInfraAnswers();
    await check();
  });
});
