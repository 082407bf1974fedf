/**
 * The plugin under Mattermost's own plugin host (server/public's plugin.Environment: go-plugin
 * netrpc, 3 s start timeout, SHA-256 checksum), for each pinned server/public version:
 *   - the Infra Ops bundle `npm run dist` wrote (dist/infra-ops-<version>.tar.gz), unpacked as is;
 *   - the probe bundle (./probe, same plugin layer and packaging) for request bodies, streamed
 *     responses and every API method against the host's in-memory API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildHost, buildProbeBundle, buildQemuBundle, distBundle, Host, QEMU, qemuAvailable, repo, SERVER_PUBLIC_VERSIONS, type Reply } from './harness';

const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
let probeBundle: string;

before(async () => {
  probeBundle = await buildProbeBundle();
});

/** Activation through the supervisor, then the checks every bundle shares at the end. */
async function activate(host: Host): Promise<Reply & { totalMs: number; execToActivatedMs: number }> {
  const activated = await host.activate();
  assert.equal(activated['activated'], true);
  assert.ok(Number(activated['pid']) > 0, 'the plugin process is running');
  return activated;
}

/**
 * What the plugin process was started as, from the kernel: its executable, its command line, and
 * whether its environment carries the launcher's tunables. glibc (2.36 here) ends each tunable's
 * value in place with a NUL as it takes it, so /proc shows NULs where the colons were: seeing
 * that is seeing glibc take them.
 */
function started(pid: number): { tunables: boolean; exe: string; argv: string[] } {
  const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  const tunables = /(?:^|\0)GLIBC_TUNABLES=glibc\.malloc\.mmap_threshold=131072[:\0]glibc\.malloc\.trim_threshold=131072(?:\0|$)/.test(environ);
  return { tunables, exe: readlinkSync(`/proc/${pid}/exe`), argv: readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean) };
}

async function healthThenDeactivate(host: Host): Promise<void> {
  assert.deepEqual(await host.send({ op: 'health' }), { ok: true });
  const down = await host.send({ op: 'deactivate' });
  assert.equal(down['gone'], true, `process and socket gone within 5 s: ${JSON.stringify(down)}`);
  assert.deepEqual(down['socketsLeft'], []);
}

describe('the dist bundle', () => {
  const bundle = (): string => distBundle();
  const member = (name: string): Buffer => execFileSync('tar', ['-xzOf', bundle(), name], { maxBuffer: 512 * 1024 * 1024 });

  it('has the standard layout, launchers and executables 0755, and fits Mattermost\'s default upload limit', () => {
    const listing = execFileSync('tar', ['-tzvf', bundle()], { encoding: 'utf8' });
    for (const exe of ['plugin-linux-amd64', 'plugin-linux-arm64', 'node/plugin-linux-amd64', 'node/plugin-linux-arm64']) {
      assert.match(listing, new RegExp(`^-rwxr-xr-x .* infra-ops/server/dist/${exe}$`, 'm'));
    }
    for (const file of ['infra-ops/plugin.json', 'infra-ops/webapp/dist/main.js', 'infra-ops/assets/icon.svg']) {
      assert.match(listing, new RegExp(` ${file}$`, 'm'));
    }
    const manifest = JSON.parse(member('infra-ops/plugin.json').toString()) as Record<string, unknown>;
    assert.equal(manifest['version'], version);
    assert.equal(manifest['min_server_version'], '10.11.0');
    assert.ok(statSync(bundle()).size < 100 * 1024 * 1024, 'under FileSettings.MaxFileSize (100 MiB)');
  });

  for (const [arch, machine] of [['amd64', 0x3e], ['arm64', 0xb7]] as const) {
    it(`linux-${arch}'s launcher sets glibc's malloc tunables and execs node/ beside it`, () => {
      const manifest = JSON.parse(member('infra-ops/plugin.json').toString()) as { server: { executables: Record<string, string> } };
      assert.equal(manifest.server.executables[`linux-${arch}`], `server/dist/plugin-linux-${arch}`);
      const launcher = member(`infra-ops/server/dist/plugin-linux-${arch}`).toString();
      assert.match(launcher, /^#!\/bin\/sh\n/);
      // What the launcher does is proven in scripts/launcher.test.ts; here, that the bundle carries it.
      assert.match(launcher, /GLIBC_TUNABLES="glibc\.malloc\.mmap_threshold=131072:glibc\.malloc\.trim_threshold=131072\$\{GLIBC_TUNABLES:\+:\$GLIBC_TUNABLES\}"; export GLIBC_TUNABLES/);
      assert.match(launcher, /^exec "\$dir\/node\/\$\{0##\*\/\}" "\$@"$/m);
    });

    it(`linux-${arch} is an ELF for its machine with the SEA blob injected`, () => {
      const exe = member(`infra-ops/server/dist/node/plugin-linux-${arch}`);
      assert.equal(exe.subarray(0, 4).toString('latin1'), '\x7fELF');
      assert.equal(exe.readUInt16LE(18), machine, 'e_machine');
      // postject flips Node's SEA fuse to ":1" and the blob carries our script.
      assert.ok(exe.includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1'), 'SEA fuse set');
      assert.ok(exe.includes('Securely message teams, anywhere.'), 'the bundled script is inside');
    });
  }
});

// Locally a missing qemu skips this suite; in CI (CI=true, .ci/run installs qemu-user) it is a failure.
if (!qemuAvailable() && process.env.CI === 'true') throw new Error('qemu-user and the arm64 cross libraries are missing: .ci/run must install them');
describe('the dist bundle\'s linux-arm64 executable, under qemu-aarch64', { skip: qemuAvailable() ? false : 'qemu-user and the arm64 cross libraries are not installed' }, () => {
  let host: Host;
  let pid: number;
  before(async () => {
    host = new Host(buildHost(SERVER_PUBLIC_VERSIONS[SERVER_PUBLIC_VERSIONS.length - 1]!));
    assert.equal(await host.install(await buildQemuBundle(distBundle())), 'infra-ops');
    const activated = await activate(host);
    pid = Number(activated['pid']);
    console.log(`# arm64 under qemu: activated ${activated.execToActivatedMs.toFixed(0)} ms after exec`);
  });
  after(() => host.close());

  it('starts through the bundle\'s own launcher, with its tunables, in the host\'s process', () => {
    const { tunables, exe, argv } = started(pid);
    assert.ok(tunables, 'GLIBC_TUNABLES as the launcher set it');
    assert.equal(exe, QEMU.binary);
    assert.match(argv.at(-1) ?? '', /\/server\/dist\/node\/plugin-linux-arm64$/);
  });

  it('serves hooks and HTTP like the amd64 build', async () => {
    const r = await host.send({ op: 'execute', command: '/infra version' });
    assert.match((r['response'] as { text: string }).text, new RegExp(`Infra Ops ${version.replace(/\./g, '\\.')}`));
    const health = await host.send({ op: 'http', method: 'GET', path: '/api/v1/health', headers: { 'Mattermost-User-Id': 'user1' } });
    assert.equal(health['status'], 200);
    await healthThenDeactivate(host);
  });
});

for (const pinned of SERVER_PUBLIC_VERSIONS) {
  describe(`server/public ${pinned.version} (Mattermost ${pinned.server})`, () => {
    let binary: string;
    before(() => {
      binary = buildHost(pinned);
    });

    describe('the Infra Ops bundle', () => {
      let host: Host;
      let pid: number;
      before(async () => {
        host = new Host(binary);
        assert.equal(await host.install(distBundle()), 'infra-ops');
        const activated = await activate(host);
        pid = Number(activated['pid']);
        console.log(`# ${pinned.version}: infra-ops activated ${activated.execToActivatedMs.toFixed(0)} ms after exec (${activated.totalMs.toFixed(0)} ms with the host's checksums)`);
      });
      after(() => host.close());

      it('runs node/plugin-linux-amd64 in the process the host started, with the launcher\'s tunables', () => {
        const { tunables, exe } = started(pid);
        assert.ok(tunables, 'GLIBC_TUNABLES as the launcher set it');
        assert.match(exe, /\/server\/dist\/node\/plugin-linux-amd64$/);
      });

      it('reports exactly the hooks the product implements', async () => {
        const { hooks } = await host.send({ op: 'implemented' });
        assert.deepEqual(hooks, [
          'ChannelHasBeenCreated', 'ExecuteCommand', 'MessageHasBeenPosted', 'OnActivate', 'OnConfigurationChange',
          'OnDeactivate', 'ServeHTTP', 'UserHasJoinedChannel', 'UserHasLeftChannel',
        ]);
      });

      it('registered /infra and the bot on activation', async () => {
        const state = await host.send({ op: 'state' });
        const commands = state['commands'] as Record<string, { autocomplete_data?: { Trigger: string } }>;
        assert.ok(commands['infra'], 'the /infra command is registered');
        assert.equal(commands['infra'].autocomplete_data?.Trigger, 'infra', 'with autocomplete data the server accepted');
        assert.ok((state['bots'] as Record<string, unknown>)['infra-ops']);
      });

      it('answers /infra version with its version', async () => {
        const r = await host.send({ op: 'execute', command: '/infra version' });
        assert.equal(r['appError'], undefined);
        const response = r['response'] as { text: string; response_type: string };
        assert.match(response.text, new RegExp(`Infra Ops ${version.replace(/\./g, '\\.')}`));
        assert.equal(response.response_type, 'ephemeral');
      });

      it('serves GET /api/v1/health', async () => {
        const r = await host.send({ op: 'http', method: 'GET', path: '/api/v1/health', headers: { 'Mattermost-User-Id': 'user1' } });
        assert.equal(r['status'], 200);
        assert.deepEqual(JSON.parse(String(r['body'])), { status: 'ok', plugin: 'infra-ops', version });
        assert.match(String((r['headers'] as Record<string, string[]>)['Content-Type']), /application\/json/);
      });

      it('rejects a request without Mattermost-User-Id with 401', async () => {
        const r = await host.send({ op: 'http', method: 'GET', path: '/api/v1/incidents' });
        assert.equal(r['status'], 401);
        assert.ok((JSON.parse(String(r['body'])) as { error?: unknown }).error);
      });

      it('takes MessageHasBeenPosted', async () => {
        await host.send({ op: 'posted', message: 'hello' });
      });

      it('passes the health check, deactivates, and leaves no process or socket', async () => {
        const rss = await host.send({ op: 'rss' });
        console.log(`# ${pinned.version}: idle RSS ${(Number(rss['kb']) / 1024).toFixed(1)} MiB`);
        await healthThenDeactivate(host);
      });
    });

    describe('the probe bundle', () => {
      let host: Host;
      before(async () => {
        host = new Host(binary);
        assert.equal(await host.install(probeBundle), 'infra-ops-probe');
        await activate(host);
      });
      after(() => host.close());

      for (const size of [1, 64 * 1024, 10 * 1024 * 1024]) {
        it(`streams a ${size}-byte POST body in and back out`, async () => {
          const r = await host.send({ op: 'http', method: 'POST', path: '/echo', headers: { 'Mattermost-User-Id': 'user1', 'Content-Type': 'application/octet-stream' }, bodySize: size });
          assert.equal(r['status'], 200);
          assert.equal(r['bodyLength'], size);
          assert.equal(r['bodySha256'], r['sentSha256']);
        });
      }

      it('streams a response written in pieces, flushing as it goes', async () => {
        const r = await host.send({ op: 'http', method: 'GET', path: '/stream?n=50&size=4096', headers: { 'Mattermost-User-Id': 'user1' } });
        assert.equal(r['status'], 200);
        assert.equal(r['bodyLength'], 50 * 4096);
        assert.deepEqual((r['headers'] as Record<string, string[]>)['Content-Type'], ['text/event-stream']);
        if (pinned.version !== 'v0.1.16') assert.equal(r['flushed'], true, 'servers with Plugin.Flush get flushes');
      });

      it('rejects a request without Mattermost-User-Id with 401', async () => {
        const r = await host.send({ op: 'http', method: 'GET', path: '/bench' });
        assert.equal(r['status'], 401);
      });

      it('calls every API method with the expected results', async () => {
        const r = await host.send({ op: 'execute', command: '/probe api' });
        const report = JSON.parse((r['response'] as { text: string }).text) as Record<string, unknown>;
        assert.deepEqual(report['loadPluginConfiguration'], { Greeting: 'hello', MaxItems: 3 });
        assert.match(String(report['getServerVersion']), /^1[01]\.\d+\.\d+$/);
        assert.equal(report['getConfig'], 'http://localhost:8065');
        assert.equal(report['unregisterCommand'], undefined);
        assert.deepEqual(report['kv'], {
          getA: '1', getMissing: null,
          casWrongOld: false, casRightOld: true, casInsertExisting: false, casInsertNew: true,
          optsAtomicWrong: false, optsAtomicRight: true, optsInsertIfAbsent: true, optsInsertIfAbsentAgain: false,
          optsInvalid: 'AppError 400',
          listAll: ['a', 'b', 'lock'], listPage1: ['lock'],
          lockAfterExpiry: null, optsInsertAfterExpiry: true,
          cadWrong: false, cadRight: true, deleteViaNil: true, listEnd: [], bigRoundTrip: true,
        });
        assert.equal(report['ensureBotUser'], 'bot-probe-bot');
        assert.equal(report['ensureBotUserAgain'], 'bot-probe-bot');
        assert.equal(report['getUser'], 'alice');
        assert.deepEqual(report['getUserMissing'], { error: 'app.fake.not_found.app_error', status: 404, message: 'app.fake.not_found.app_error' });
        assert.equal(report['getUserByUsername'], 'user2');
        assert.deepEqual(report['getUsersByUsernames'], ['user1', 'user2']);
        assert.equal(report['getTeam'], 'ops');
        assert.equal(report['getTeamMember'], 'team_user');
        assert.equal(report['getGroup'], 'SRE');
        assert.deepEqual(report['getGroupMemberUsers'], ['alice', 'bob']);
        assert.deepEqual(report['hasPermissionTo'], [true, false]);
        assert.equal(report['hasPermissionToTeam'], true);
        assert.deepEqual(report['hasPermissionToChannel'], [true, false]);
        assert.deepEqual(report['channels'], {
          type: 'P', sameByName: true, header: 'sev1', purpose: 'resolve it', member: 'user1', added: 'user2',
          fetched: 'channel_user', count: 2, promoted: 'channel_user channel_admin', duplicate: 400,
          directType: 'D', directStable: true, mine: ['incident-1', 'user1__user2'], none: 404,
        });
        assert.deepEqual(report['posts'], {
          message: 'hello', props: { n: 2, nested: { ok: true }, list: ['x', 1] }, updated: 'edited', edited: true,
          ephemeralUser: 'user2', gone: 404,
        });
        assert.deepEqual(report['executeSlashCommand'], {
          type: 'in_channel', text: 'ran /echo hi there as user2', props: { n: 1.5 },
          failed: { id: 'api.command.execute_command.failed.app_error', status: 500 },
          boom: { id: 'plugin.api.error', message: 'boom: /boom', status: 500 },
        });
        assert.deepEqual(report['files'], {
          name: 'runbook.json', ext: 'json', size: 15, post: 'post-file1', creator: 'user1', missing: 404,
          mine: ['file1'], all: ['file1', 'file2'], since: ['file1'], data: '{"title":"x"}\n\n', empty: 0,
        });
        assert.equal(report['publishWebSocketEvent'], undefined);
        assert.equal(report['publishPluginClusterEvent'], undefined);
        assert.match(JSON.stringify(report['publishPluginClusterEventInvalid']), /invalid send type/);
        assert.equal(report['openInteractiveDialog'], undefined);
        assert.equal((report['openInteractiveDialogInvalid'] as { status: number }).status, 400);

        const state = await host.send({ op: 'state' });
        const probe = (state['commands'] as Record<string, { autocomplete_data: { SubCommands: Array<{ Arguments?: Array<{ Data: unknown }> }> } }>)['probe']!;
        assert.deepEqual(probe.autocomplete_data.SubCommands[1]!.Arguments!.map((a) => a.Data), [
          { PossibleArguments: [{ Item: 'all', Hint: 'every method', HelpText: '' }] },
          { Hint: 'free text', Pattern: '.*' },
          { FetchURL: '/plugins/infra-ops-probe/users' },
        ]);
        assert.deepEqual(state['wsEvents'], [{ event: 'incident_updated', payload: { id: 'i1', count: 3, tags: ['a'] }, broadcast: wsBroadcast('channel1') }]);
        // The command arguments as Mattermost's side decoded them.
        const executed = state['executed'] as Array<Record<string, unknown>>;
        assert.deepEqual(executed.map((a) => [a['user_id'], a['channel_id'], a['team_id'], a['root_id'], a['command']]), [
          ['user2', 'channel1', 'team1', 'root1', '/echo hi there'],
          ['user2', 'channel1', 'team1', '', '/fail now'],
          ['user2', 'channel1', 'team1', '', '/boom'],
        ]);
        assert.deepEqual(state['clusterEvents'], [{ id: 'refresh', data: 'payload', sendType: 'reliable' }]);
        const dialog = (state['dialogs'] as Array<{ trigger_id: string; dialog: { elements: Array<{ options: unknown }> } }>)[0]!;
        assert.equal(dialog.trigger_id, 'trigger1');
        assert.deepEqual(dialog.dialog.elements[1]!.options, [{ text: 'SEV1', value: '1' }, { text: 'SEV2', value: '2' }]);
        await waitFor(async () => ((await host.send({ op: 'state' }))['logs'] as unknown[]).length >= 4);
        const logs = (await host.send({ op: 'state' }))['logs'] as Array<{ level: string; message: string; fields: unknown[] }>;
        assert.deepEqual(logs.find((l) => l.message === 'probe info'), { level: 'Info', message: 'probe info', fields: ['count', '2', 'who', 'alice'] });
        assert.deepEqual(logs.find((l) => l.message === 'probe error')?.fields, ['err', 'bad thing']);
      });

      it('receives MessageHasBeenPosted with the post and its props', async () => {
        await host.send({ op: 'posted', message: 'hi there' });
        const kv = (await host.send({ op: 'state' }))['kv'] as Record<string, string>;
        const entry = Object.entries(kv).find(([k]) => k.startsWith('posted:'));
        assert.ok(entry, 'the hook wrote its KV entry');
        const [message, props] = entry[1].split('|');
        assert.equal(message, 'hi there');
        assert.deepEqual(JSON.parse(props!), { n: 1.5, tags: ['a', true] });
      });

      it('receives the channel, cluster and install hooks with Go-built arguments', async () => {
        for (const kind of ['joined', 'left', 'channelCreated', 'cluster']) assert.deepEqual(await host.send({ op: 'hook', kind }), { ok: true });
        const install = await host.send({ op: 'hook', kind: 'install' });
        assert.match(String(install['hookError']), /install hook reports errors/);
        const kv = (await host.send({ op: 'state' }))['kv'] as Record<string, string>;
        const seen = (hook: string): unknown => JSON.parse(kv[`hook:${hook}`] ?? 'null');
        assert.deepEqual(seen('joined'), { ctx: 'req-joined', channel: 'channel1', user: 'user2', notify: { desktop: 'all' }, actor: 'alice' });
        assert.deepEqual(seen('left'), { ctx: 'req-left', channel: 'channel1', user: 'user2', actor: null });
        assert.deepEqual(seen('channelCreated'), { ctx: 'req-channelCreated', id: 'channel9', name: 'incident-9', type: 'P', props: { k: 'v' } });
        assert.deepEqual(seen('cluster'), { ctx: 'req-cluster', id: 'refresh', data: 'payload' });
        assert.deepEqual(seen('install'), { ctx: 'req-install', user: 'user1' });
      });

      it('passes the health check, deactivates, and leaves no process or socket', async () => {
        await healthThenDeactivate(host);
      });
    });
  });
}

function wsBroadcast(channelId: string): Record<string, unknown> {
  return { omit_users: null, user_id: '', channel_id: channelId, team_id: '', connection_id: '', omit_connection_id: '' };
}

async function waitFor(check: () => Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
