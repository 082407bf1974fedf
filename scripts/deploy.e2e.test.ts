// `npm run deploy` against a real Mattermost used as "the server the developer already runs": each
// credential style (personal access token, username/password, local mode through the socket) uploads,
// enables and finds the plugin running; each refusal we can provoke is explained in words: a wrong
// token or password, a user who is not an admin, a server older than min_server_version, and, on
// a second server started with those settings, plugin uploads switched off and signatures required.
// And `npm run watch`: a webapp change is rebuilt and redeployed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectRig, readManifest as readBundleManifest, type Rig } from '../e2e/rig';
import { MattermostServer } from '../e2e/rig/mattermost_server';
import { DeployError, deploy, repoRoot, targetFromEnv, type Manifest, type Target } from './deploy';

const rig: Rig = connectRig();
const { url, socketPath, bundlePath } = rig.state;
let manifest: Manifest;

/** The plugin is running, as the server reports it. */
async function running(): Promise<boolean> {
  const statuses = await rig.admin.client.getPluginStatuses();
  const mine = statuses.filter((s) => s.plugin_id === rig.pluginId);
  return mine.length > 0 && mine.every((s) => s.state === 2);
}

async function refused(target: Target, pattern: RegExp, over: Partial<Manifest> = {}): Promise<void> {
  await assert.rejects(deploy({ target, bundlePath, manifest: { ...manifest, ...over }, timeoutMs: 30_000 }), (err: unknown) => {
    assert.ok(err instanceof DeployError, String(err));
    assert.match(err.message, pattern);
    return true;
  });
}

describe('npm run deploy against an existing server', () => {
  before(async () => {
    const inBundle = await readBundleManifest(bundlePath);
    manifest = { id: inBundle.id, version: inBundle.version, min_server_version: typeof inBundle.min_server_version === 'string' ? inBundle.min_server_version : undefined };
  });

  it('deploys with MM_SERVICESETTINGS_SITEURL and a personal access token (MM_ADMIN_TOKEN)', async () => {
    const pat = await rig.admin.client.createUserAccessToken(rig.admin.id, `deploy e2e ${Date.now()}`);
    const target = targetFromEnv({ MM_SERVICESETTINGS_SITEURL: url, MM_ADMIN_TOKEN: pat.token! });
    assert.equal(target.kind, 'token');
    const lines: string[] = [];
    const result = await deploy({ target, bundlePath, manifest, log: (l) => lines.push(l) });
    assert.equal(result.serverVersion, rig.state.serverVersion.split('.').slice(0, 3).join('.'));
    assert.ok(await running());
    assert.match(lines.join('\n'), /uploading infra-ops-.*\.tar\.gz .* to http:\/\/127\.0\.0\.1:\d+ \(Mattermost \d+\.\d+\.\d+\)/);
    assert.match(lines.at(-1)!, /is running on/);
  });

  it('deploys with MM_ADMIN_USERNAME and MM_ADMIN_PASSWORD', async () => {
    const target = targetFromEnv({ MM_SERVICESETTINGS_SITEURL: `${url}/`, MM_ADMIN_USERNAME: rig.admin.username, MM_ADMIN_PASSWORD: rig.admin.password });
    assert.equal(target.kind, 'password');
    await deploy({ target, bundlePath, manifest });
    assert.ok(await running());
  });

  it('deploys in local mode through the server socket (MM_LOCALSOCKETPATH), with no credentials', async () => {
    const target = targetFromEnv({ MM_LOCALSOCKETPATH: socketPath });
    assert.deepEqual(target, { kind: 'local', socketPath });
    await deploy({ target, bundlePath, manifest });
    assert.ok(await running());
  });

  it('refuses wrong credentials, a non-admin, a server that is too old, and a missing setup, in words', async () => {
    await refused({ kind: 'token', siteURL: url, token: 'not-a-token-at-all-xxxxxxxx' }, /refused MM_ADMIN_TOKEN \(HTTP 401/);
    await refused({ kind: 'password', siteURL: url, username: rig.admin.username, password: 'wrong-password' }, /Login as sysadmin on .* was refused .*check MM_ADMIN_USERNAME and MM_ADMIN_PASSWORD/);
    const alice = rig.users[0]!;
    await refused({ kind: 'token', siteURL: url, token: alice.token }, new RegExp(`@${alice.username} is not a system admin`));
    await refused({ kind: 'local', socketPath }, /runs Mattermost \d+\.\d+\.\d+, older than this plugin's min_server_version 99\.0\.0 \(plugin\.json\): upgrade the server/, { min_server_version: '99.0.0' });
    await refused({ kind: 'token', siteURL: 'http://127.0.0.1:9', token: 'x' }, /Cannot reach http:\/\/127\.0\.0\.1:9/);
    await assert.rejects(deploy({ target: { kind: 'local', socketPath }, bundlePath: '/nonexistent/infra-ops.tar.gz', manifest }), /No bundle at \/nonexistent\/infra-ops\.tar\.gz: run `npm run dist` first/);
    assert.throws(() => targetFromEnv({ MM_SERVICESETTINGS_SITEURL: url }), /no credentials: set MM_ADMIN_TOKEN/);
    assert.throws(() => targetFromEnv({ MM_LOCALSOCKETPATH: '/nonexistent/mm.socket' }), /No server to deploy to: .*no socket at \/nonexistent\/mm\.socket/);
    assert.ok(await running(), 'nothing was changed by a refused deploy');
  });

  it('npm run watch redeploys when a webapp source changes', { timeout: 240_000 }, async () => {
    // Local mode, and none of the developer's own MM_* settings.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MM_')));
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'watch.mjs')], { cwd: repoRoot, env: { ...env, MM_LOCALSOCKETPATH: socketPath }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const deploys = () => output.split('redeployed in').length - 1;
    const until = async (what: string, done: () => boolean) => {
      for (let i = 0; i < 900 && !done(); i++) {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(done(), `${what}; watch said:\n${output}`);
    };
    try {
      await until('the first build is deployed', () => deploys() >= 1);
      assert.match(output, /local mode/);
      const source = join(repoRoot, 'webapp', 'src', 'format.ts');
      const now = new Date();
      utimesSync(source, now, now);
      await until('the change is rebuilt and redeployed', () => deploys() >= 2);
      assert.match(output, /webapp rebuilt in \d+ ms[\s\S]*webapp rebuilt in \d+ ms/);
      assert.ok(await running());
    } finally {
      child.kill('SIGTERM');
    }
  });

  describe('on a server that does not take plugin uploads', () => {
    const servers: MattermostServer[] = [];
    after(async () => {
      for (const s of servers) await s.stop();
    });

    // A second server on the rig's database (sessions and admin shared) with the setting changed:
    // the rig's own server has these settings fixed by environment.
    const start = async (env: Record<string, string>) => {
      const server = await MattermostServer.start({ build: rig.state.node, dsn: rig.state.node.dsn, filesDir: rig.state.node.filesDir, env });
      servers.push(server);
      return server;
    };

    it('says uploads are switched off (PluginSettings.EnableUploads), by token and in local mode', async () => {
      const server = await start({ MM_PLUGINSETTINGS_ENABLEUPLOADS: 'false' });
      await refused({ kind: 'token', siteURL: server.url, token: rig.admin.token }, /has plugin uploads switched off \(PluginSettings\.EnableUploads\)/);
      await refused({ kind: 'local', socketPath: server.socketPath }, /has plugin uploads switched off/);
    });

    it('says the server requires signed plugins (PluginSettings.RequirePluginSignature)', async () => {
      const server = await start({ MM_PLUGINSETTINGS_REQUIREPLUGINSIGNATURE: 'true' });
      await refused({ kind: 'password', siteURL: server.url, username: rig.admin.username, password: rig.admin.password }, /requires signed plugins \(PluginSettings\.RequirePluginSignature\)/);
    });
  });
});
