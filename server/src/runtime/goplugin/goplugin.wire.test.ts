/**
 * Conformance (d): our go-plugin server side, launched by HashiCorp go-plugin's own client
 * configured like Mattermost's supervisor (conformance/host/main.go), running the bundled
 * test plugin (conformance/test_plugin.ts).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { buildGoProgram } from '../gob/conformance/build';
import { NOT_A_PROGRAM_MESSAGE } from './handshake';

const run = promisify(execFile);
const here = __dirname;
const hostBinary = buildGoProgram(join(here, 'conformance', 'host'), 'gopluginhost');
const pluginFile = join(repoRoot(here), '.cache', 'goplugin-test', 'test_plugin.js');
const COOKIE = { MATTERMOST_PLUGIN: 'Securely message teams, anywhere.' };

function repoRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

interface Step {
  step: string;
  ok: boolean;
  detail: unknown;
  error?: string;
}

/** Environment without the cookie (the test runner may have been started by anything). */
function envWithout(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.MATTERMOST_PLUGIN;
  return env;
}

describe('go-plugin: our plugin side under HashiCorp go-plugin configured like Mattermost', () => {
  before(async () => {
    await build({
      entryPoints: [join(here, 'conformance', 'test_plugin.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: pluginFile,
      banner: { js: '#!/usr/bin/env node' },
      logLevel: 'warning',
    });
    chmodSync(pluginFile, 0o755);
  });

  it('is a single executable file with a node shebang', () => {
    assert.equal(statSync(pluginFile).mode & 0o777, 0o755);
    assert.ok(readFileSync(pluginFile, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  it('start (3 s timeout, SHA-256 checked), dispense, ping, calls, broker callback, Quit/Kill', async () => {
    const { stdout, stderr } = await run(hostBinary, [pluginFile], { env: envWithout(), timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
    const steps = new Map<string, Step>();
    for (const line of stdout.split('\n').filter(Boolean)) {
      const s = JSON.parse(line) as Step;
      steps.set(s.step, s);
    }
    const step = (name: string): Step => {
      const s = steps.get(name);
      assert.ok(s, `step ${name} missing; host stdout:\n${stdout}\nhost stderr:\n${stderr}`);
      assert.ok(s.ok, `step ${name} failed: ${s.error}\nhost stderr:\n${stderr}`);
      return s;
    };
    assert.ok((step('start').detail as number) < 3000);
    const address = step('address').detail as { network: string; addr: string; pid: number };
    assert.equal(address.network, 'unix');
    assert.match(address.addr, /\/plugin\d+$/);
    step('dispense');
    step('ping');
    assert.equal(step('echo').detail, 'hello from Go');
    assert.equal(step('error-reply').detail, 'failed: boom');
    assert.equal(step('unknown-method').detail, "rpc: can't find method Plugin.Nope");
    step('concurrent');
    assert.equal(step('callback').detail, 1005);
    assert.equal(step('dispense-unknown').detail, 'unknown plugin type: nope');
    step('ping-again');
    // Graceful: go-plugin's Kill waits up to 2 s for the process before SIGKILL.
    assert.ok((step('kill').detail as number) < 2000, `Kill took ${String(step('kill').detail)} ms (forced)`);
    step('process-gone');
    step('socket-removed');
    const stdio = step('stdio-streams').detail as { stdout: string; stderr: string };
    assert.match(stdio.stdout, /hello from the stdout stream/);
    assert.match(stdio.stderr, /hello from the stderr stream/);
    step('done');
    // Our hclog JSON line on the real stderr was parsed by go-plugin (level kept, fields kept).
    const entries = stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const started = entries.find((e) => e['@message'] === 'test plugin started');
    assert.ok(started, `plugin log line not seen as JSON by the host:\n${stderr}`);
    assert.equal(started['@level'], 'info');
    assert.equal(started.pid, address.pid);
    assert.ok(!entries.some((e) => e['@message'] === 'plugin failed to exit gracefully'));
  });

  it('started by hand without the cookie: the standard message and exit 1', async () => {
    const child = spawn(pluginFile, [], { env: envWithout() });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 1);
    assert.equal(err, NOT_A_PROGRAM_MESSAGE);
    assert.equal(out, '');
  });

  it('socket in $PLUGIN_UNIX_SOCKET_DIR; SIGINT ignored; exits 0 when the connection closes, socket removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-sock-'));
    try {
      const child = spawn(pluginFile, [], { env: { ...envWithout(), ...COOKIE, PLUGIN_UNIX_SOCKET_DIR: dir } });
      child.stderr.resume();
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const first = (await lines.next()).value as string;
      const match = /^1\|1\|unix\|(.+)\|netrpc\|$/.exec(first);
      assert.ok(match, first);
      const socketPath = match[1]!;
      assert.equal(dirname(socketPath), dir);
      assert.match(socketPath, /\/plugin\d+$/);
      child.kill('SIGINT');
      await sleep(200);
      assert.equal(child.exitCode, null, 'SIGINT must be ignored');
      const conn = connect(socketPath);
      await once(conn, 'connect');
      const exited = once(child, 'exit') as Promise<[number]>;
      conn.destroy();
      const [code] = await exited;
      assert.equal(code, 0);
      assert.equal(existsSync(socketPath), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
