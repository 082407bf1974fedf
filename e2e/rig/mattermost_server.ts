import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MattermostBuild } from './mattermost_build';
import { freePort, waitFor } from './net';

export interface ServerOptions {
  build: Pick<MattermostBuild, 'binary' | 'moduleDir'>;
  dsn: string;
  /** Keeps config, files and plugins here; created when absent (default: a new temp dir). */
  runDir?: string;
  /**
   * The file store (FileSettings.Directory; default `<runDir>/data`). Servers sharing one
   * database share it too, as an HA cluster shares its file store: uploaded plugin bundles live
   * there, and a server installs them from it when it starts.
   */
  filesDir?: string;
  port?: number;
  log?: (line: string) => void;
  /** Extra `MM_*` overrides on top of the rig's (e.g. plugin uploads off, to test a refusal). */
  env?: Record<string, string>;
}

/**
 * The server's settings, all as `MM_*` environment overrides on top of a config file the server
 * writes itself. Overridden settings cannot be changed through the API, so only what the rig
 * needs fixed is here: plugin state (enable/disable) stays changeable.
 */
function serverEnv(runDir: string, filesDir: string, port: number, dsn: string): Record<string, string> {
  const url = `http://127.0.0.1:${port}`;
  return {
    MM_SQLSETTINGS_DRIVERNAME: 'postgres',
    MM_SQLSETTINGS_DATASOURCE: dsn,
    MM_SERVICESETTINGS_SITEURL: url,
    MM_SERVICESETTINGS_LISTENADDRESS: `127.0.0.1:${port}`,
    MM_SERVICESETTINGS_ENABLELOCALMODE: 'true',
    MM_SERVICESETTINGS_LOCALMODESOCKETLOCATION: join(runDir, 'local.socket'),
    MM_SERVICESETTINGS_ENABLECOMMANDS: 'true',
    MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS: 'true',
    MM_SERVICESETTINGS_ENABLESECURITYFIXALERT: 'false',
    MM_SERVICESETTINGS_ENABLELINKPREVIEWS: 'false',
    MM_SERVICESETTINGS_ENABLEDEVELOPER: 'true',
    MM_SERVICESETTINGS_ENABLEONBOARDINGFLOW: 'false',
    MM_PLUGINSETTINGS_ENABLE: 'true',
    MM_PLUGINSETTINGS_ENABLEUPLOADS: 'true',
    MM_PLUGINSETTINGS_REQUIREPLUGINSIGNATURE: 'false',
    MM_PLUGINSETTINGS_ENABLEHEALTHCHECK: 'true',
    MM_PLUGINSETTINGS_ENABLEMARKETPLACE: 'false',
    MM_PLUGINSETTINGS_ENABLEREMOTEMARKETPLACE: 'false',
    MM_PLUGINSETTINGS_AUTOMATICPREPACKAGEDPLUGINS: 'false',
    MM_PLUGINSETTINGS_DIRECTORY: join(runDir, 'plugins'),
    MM_PLUGINSETTINGS_CLIENTDIRECTORY: join(runDir, 'client', 'plugins'),
    MM_FILESETTINGS_DIRECTORY: filesDir,
    MM_TEAMSETTINGS_ENABLEOPENSERVER: 'true',
    // The default of 50 members per team is less than a load scenario needs (e2e/ha.e2e.test.ts).
    MM_TEAMSETTINGS_MAXUSERSPERTEAM: '1000',
    // Every incident and run has its own channel: issue 12's team (2,000 incidents, 200 runs) is over
    // Mattermost's default of 2,000 channels per team.
    MM_TEAMSETTINGS_MAXCHANNELSPERTEAM: '10000',
    MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS: 'false',
    MM_EMAILSETTINGS_REQUIREEMAILVERIFICATION: 'false',
    MM_LOGSETTINGS_ENABLECONSOLE: 'true',
    MM_LOGSETTINGS_CONSOLELEVEL: 'DEBUG',
    MM_LOGSETTINGS_CONSOLEJSON: 'false',
    MM_LOGSETTINGS_ENABLEFILE: 'false',
    MM_LOGSETTINGS_ENABLEDIAGNOSTICS: 'false',
    MM_NOTIFICATIONLOGSETTINGS_ENABLEFILE: 'false',
    MM_NOTIFICATIONLOGSETTINGS_ENABLECONSOLE: 'false',
    MM_ANNOUNCEMENTSETTINGS_ADMINNOTICESENABLED: 'false',
    MM_ANNOUNCEMENTSETTINGS_USERNOTICESENABLED: 'false',
    MM_METRICSSETTINGS_ENABLE: 'false',
    MM_RATELIMITSETTINGS_ENABLE: 'false',
    // Background jobs (exports, retention, cleanup…) are not under test and their workers make
    // a shutdown take ~14 s; without them a server restart takes a couple of seconds.
    MM_JOBSETTINGS_RUNJOBS: 'false',
    MM_JOBSETTINGS_RUNSCHEDULER: 'false',
  };
}

/**
 * One Mattermost server process over a run directory that survives restarts (config, file store,
 * extracted plugins), so `restart()` is a real server restart over the same data. Console output
 * (Mattermost's log, and the plugins' stderr it relays) goes to `logFile`.
 */
export class MattermostServer {
  readonly runDir: string;
  readonly port: number;
  readonly url: string;
  readonly socketPath: string;
  readonly logFile: string;
  readonly filesDir: string;
  private child: ChildProcess | undefined;
  private readonly log: (line: string) => void;

  private constructor(private readonly options: ServerOptions, runDir: string, port: number) {
    this.runDir = runDir;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.socketPath = join(runDir, 'local.socket');
    this.logFile = join(runDir, 'mattermost.log');
    this.filesDir = options.filesDir ?? join(runDir, 'data');
    this.log = options.log ?? (() => {});
  }

  static async start(options: ServerOptions): Promise<MattermostServer> {
    const runDir = options.runDir ?? mkdtempSync(join(tmpdir(), 'infra-ops-mm-'));
    // No web client is built: an empty client/ (with the plugins' webapp folder the server
    // writes into) is all the server needs to serve the API.
    for (const dir of ['config', join('client', 'plugins')]) mkdirSync(join(runDir, dir), { recursive: true });
    // The server finds these folders relative to its working directory.
    for (const folder of ['i18n', 'templates', 'fonts']) {
      const link = join(runDir, folder);
      if (!existsSync(link)) symlinkSync(join(options.build.moduleDir, folder), link);
    }
    const server = new MattermostServer(options, runDir, options.port ?? (await freePort()));
    await server.spawn();
    return server;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private async spawn(): Promise<void> {
    const out = createWriteStream(this.logFile, { flags: 'a' });
    const env: NodeJS.ProcessEnv = { ...process.env, ...serverEnv(this.runDir, this.filesDir, this.port, this.options.dsn), ...this.options.env };
    // Reaches the plugin processes (the server passes its environment on) and no Node of our own,
    // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the plugin under a bench.
    if (process.env['INFRA_OPS_PLUGIN_NODE_OPTIONS']) env['NODE_OPTIONS'] = process.env['INFRA_OPS_PLUGIN_NODE_OPTIONS'];
    const child = spawn(this.options.build.binary, ['server', '--config', join(this.runDir, 'config', 'config.json')], {
      cwd: this.runDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    let exited: string | undefined;
    child.on('exit', (code, signal) => {
      exited = signal ? `killed by ${signal}` : `exit ${code}`;
      out.end();
    });
    try {
      await waitFor(
        `Mattermost to answer on ${this.url}`,
        async () => {
          if (exited) throw new Error(`server stopped (${exited}); see ${this.logFile}`);
          const res = await fetch(`${this.url}/api/v4/system/ping`);
          return res.ok ? true : undefined;
        },
        { timeoutMs: 180_000, intervalMs: 300 },
      );
    } catch (err) {
      if (!exited) await this.stop();
      throw new Error(`${(err as Error).message}\n--- last lines of ${this.logFile} ---\n${this.tail(30)}`);
    }
    this.log(`Mattermost on ${this.url} (pid ${child.pid}, log ${this.logFile})`);
  }

  /** Last lines of the server log, for error messages. */
  tail(lines: number): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines - 1).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** SIGTERM (Mattermost shuts plugins down cleanly), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.spawn();
  }
}
