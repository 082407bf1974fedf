import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { run } from './exec';
import { freePort } from './net';

export interface Postgres {
  /** DSN for Mattermost (`MM_SQLSETTINGS_DATASOURCE`). */
  dsn: string;
  port: number;
  dataDir: string;
  logFile: string;
  stop(): Promise<void>;
}

const DB_USER = 'mmuser';
const DB_NAME = 'mattermost';

/** Newest Debian-packaged server binaries (/usr/lib/postgresql/<major>/bin), or undefined. */
function findBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], 'bin') : undefined;
}

/** Installs Debian's postgresql when it is missing and we are allowed to (root). */
async function ensureInstalled(log: (line: string) => void): Promise<string> {
  const found = findBinDir();
  if (found) return found;
  if (userInfo().uid !== 0) {
    throw new Error('PostgreSQL is not installed: run `sudo apt-get install -y postgresql` (Debian) and retry');
  }
  log('PostgreSQL not found; installing Debian package postgresql…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env });
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { env });
  const installed = findBinDir();
  if (!installed) throw new Error('apt-get installed postgresql but no /usr/lib/postgresql/*/bin/pg_ctl appeared');
  return installed;
}

/**
 * Starts a private PostgreSQL cluster: fresh data directory, loopback only, a free port, its
 * socket in the data directory (not /var/run). PostgreSQL refuses to run as root, so as root the
 * cluster belongs to the Debian `postgres` user and every command runs through `runuser`.
 * Durability settings are off: the cluster is thrown away after the run.
 */
export async function startPostgres(log: (line: string) => void = () => {}): Promise<Postgres> {
  const bin = await ensureInstalled(log);
  const asRoot = userInfo().uid === 0;
  const base = mkdtempSync(join(tmpdir(), 'infra-ops-pg-'));
  const dataDir = join(base, 'data');
  const logFile = join(base, 'postgres.log');
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
      throw new Error('running as root but there is no `postgres` user to own the cluster (install postgresql)');
    });
    const gid = (await run('id', ['-g', 'postgres'])).stdout.trim();
    owner = { uid: Number(stdout.trim()), gid: Number(gid) };
    chownSync(base, owner.uid, owner.gid);
  }
  writeFileSync(logFile, '');
  if (owner) chownSync(logFile, owner.uid, owner.gid);

  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  await pg('initdb', ['-D', dataDir, '-U', DB_USER, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${dataDir}`,
    `-c listen_addresses=127.0.0.1`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  await pg('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await pg('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch((err: Error) => log(`pg_ctl stop: ${err.message}`));
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', DB_USER, DB_NAME]);
  } catch (err) {
    await stop();
    throw err;
  }
  const dsn = `postgres://${DB_USER}@127.0.0.1:${port}/${DB_NAME}?sslmode=disable&connect_timeout=10`;
  log(`PostgreSQL ${bin.split('/').at(-2)} on 127.0.0.1:${port} (${dataDir})`);
  return { dsn, port, dataDir, logFile, stop };
}
