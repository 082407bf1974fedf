/**
 * The launcher the manifest names (scripts/build-server.mjs launcherScript), run by /bin/sh as
 * Mattermost runs it: by its full path, with a stand-in for the Node executable beside it in
 * node/ that reports what it was given.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

/** What this test uses of the untyped build script. */
interface BuildScripts {
  GLIBC_TUNABLES: string;
  launcherScript(tunables: string): string;
  launchedBinary(launcher: string): string;
}

// The stand-in prints its pid, its tunables and each argument in brackets, one per line.
const REPORTER = '#!/bin/sh\necho "$$"\necho "$GLIBC_TUNABLES"\nfor a in "$@"; do echo "[$a]"; done\n';

describe('the launcher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infra-ops launcher '));
  let build: BuildScripts;
  let launcher: string;
  /** Writes the launcher as `name` in `inDir` and, unless `standIn` is null, a script in node/ for it to start. */
  const installLauncher = (inDir: string, name: string, standIn: string | null = REPORTER): string => {
    const file = join(inDir, name);
    mkdirSync(join(inDir, 'node'), { recursive: true });
    writeFileSync(file, build.launcherScript(build.GLIBC_TUNABLES), { mode: 0o755 });
    if (standIn !== null) writeFileSync(build.launchedBinary(file), standIn, { mode: 0o755 });
    return file;
  };
  before(async () => {
    build = (await import(join(__dirname, 'build-server.mjs'))) as BuildScripts;
    launcher = installLauncher(dir, 'plugin-linux-amd64');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (file: string, args: string[], env: Record<string, string> = {}, cwd = tmpdir()): string[] => {
    const out = execFileSync('/bin/sh', ['-c', 'echo "$$"; exec "$@"', 'sh', file, ...args], { cwd, env: { PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8' });
    return out.replace(/\n$/, '').split('\n');
  };

  it('execs node/<its own name> in the same process, with glibc\'s malloc tunables and the arguments unchanged', () => {
    const [shellPid, pid, tunables, ...args] = run(launcher, ['one', 'two words', '']);
    assert.equal(pid, shellPid, 'one process: the launcher replaced itself');
    assert.equal(tunables, build.GLIBC_TUNABLES);
    assert.deepEqual(args, ['[one]', '[two words]', '[]']);
  });

  it('puts an administrator\'s own GLIBC_TUNABLES after its own, so theirs win', () => {
    const [, , tunables] = run(launcher, [], { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
    assert.equal(tunables, `${build.GLIBC_TUNABLES}:glibc.malloc.arena_max=2`);
  });

  it('finds its executable from a directory with spaces, and when started by a bare name', () => {
    assert.equal(run(launcher, ['x'])[3], '[x]');
    const [, tunables, arg] = execFileSync('/bin/sh', ['plugin-linux-amd64', 'y'], { cwd: dir, env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' }).trimEnd().split('\n');
    assert.equal(tunables, build.GLIBC_TUNABLES);
    assert.equal(arg, '[y]');
  });

  it('leaves its tunables out when the administrator set glibc\'s older MALLOC_*_THRESHOLD_ variables', () => {
    assert.equal(run(launcher, [], { MALLOC_TRIM_THRESHOLD_: '999999' })[2], '');
    assert.equal(run(launcher, [], { MALLOC_MMAP_THRESHOLD_: '' })[2], '');
  });

  it('refuses to write a launcher around anything but a tunables list', () => {
    for (const bad of ['', 'glibc.malloc.arena_max=2"; rm -rf /', 'a=$(id)', 'a=`id`']) assert.throws(() => build.launcherScript(bad), /not a glibc tunables list/);
  });

  it('fails with the shell\'s message when its executable is missing, starting nothing else', () => {
    const lone = installLauncher(dir, 'plugin-linux-arm64', null);
    assert.throws(() => execFileSync(lone, [], { stdio: 'pipe' }), (err: { status: number; stderr: Buffer }) => {
      assert.equal(err.status, 127);
      assert.match(err.stderr.toString(), /node\/plugin-linux-arm64/);
      return true;
    });
  });

  // glibc ignores a tunable it does not know: its own loader says what it took (glibc 2.33+).
  const loader = ['/lib64/ld-linux-x86-64.so.2', '/lib/ld-linux-aarch64.so.1'].find((file) => existsSync(file));
  it('glibc takes both thresholds as 128 KiB, and an administrator\'s older variable instead', { skip: loader === undefined ? 'no glibc loader here' : false }, () => {
    const tunablesLauncher = installLauncher(join(dir, 'checked'), 'plugin-linux-amd64', `#!/bin/sh\nexec ${loader} --list-tunables\n`);
    const listed = (env: Record<string, string>): Record<string, string> => Object.fromEntries(
      [...execFileSync(tunablesLauncher, [], { env: { PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8' }).matchAll(/^glibc\.malloc\.(\w+): (0x[0-9a-f]+)/gm)].map((m) => [m[1]!, m[2]!]));
    const ours = listed({});
    assert.equal(ours['mmap_threshold'], '0x20000');
    assert.equal(ours['trim_threshold'], '0x20000');
    assert.equal(listed({ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=65536' })['trim_threshold'], '0x10000', 'theirs come last and win');
    const theirs = listed({ MALLOC_TRIM_THRESHOLD_: '999999' });
    assert.equal(theirs['trim_threshold'], '0xf423f');
    assert.equal(theirs['mmap_threshold'], '0x0', 'none of ours');
  });
});
