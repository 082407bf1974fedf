// `npm run deploy`: uploads the built bundle (dist/<id>-<version>.tar.gz) to a Mattermost server the
// developer already runs, enables it and waits until it runs, with the conventions plugin developers
// know from Mattermost's plugin starter template:
//   MM_SERVICESETTINGS_SITEURL + MM_ADMIN_TOKEN                  a personal access token, or
//   MM_SERVICESETTINGS_SITEURL + MM_ADMIN_USERNAME/MM_ADMIN_PASSWORD   a login, or
//   local mode through the server's socket (ServiceSettings.EnableLocalMode), at MM_LOCALSOCKETPATH
//   or /var/tmp/mattermost_local.socket: no credentials, as `mmctl --local`.
// Every refusal is explained in words (uploads off, signatures required, wrong credentials, not an
// admin, a server older than plugin.json's min_server_version). Plain node:http(s) rather than
// @mattermost/client: the local-mode socket needs a unix-socket transport fetch does not offer.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_SOCKET = '/var/tmp/mattermost_local.socket';

export interface Manifest {
  id: string;
  version?: string;
  min_server_version?: string;
}

/** Where to reach the server and as whom. */
export type Target =
  | { kind: 'token'; siteURL: string; token: string }
  | { kind: 'password'; siteURL: string; username: string; password: string }
  | { kind: 'local'; socketPath: string };

export class DeployError extends Error {
  override name = 'DeployError';
}

/** The target the environment describes, or an error saying what to set. */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): Target {
  const siteURL = env.MM_SERVICESETTINGS_SITEURL?.trim();
  if (siteURL) {
    if (env.MM_ADMIN_TOKEN) return { kind: 'token', siteURL, token: env.MM_ADMIN_TOKEN };
    if (env.MM_ADMIN_USERNAME && env.MM_ADMIN_PASSWORD) return { kind: 'password', siteURL, username: env.MM_ADMIN_USERNAME, password: env.MM_ADMIN_PASSWORD };
    throw new DeployError(
      `MM_SERVICESETTINGS_SITEURL is set (${siteURL}) but no credentials: set MM_ADMIN_TOKEN (a system admin's personal access token), or MM_ADMIN_USERNAME and MM_ADMIN_PASSWORD.`,
    );
  }
  const socketPath = env.MM_LOCALSOCKETPATH || DEFAULT_SOCKET;
  if (existsSync(socketPath)) return { kind: 'local', socketPath };
  throw new DeployError(
    `No server to deploy to: set MM_SERVICESETTINGS_SITEURL with MM_ADMIN_TOKEN (or MM_ADMIN_USERNAME/MM_ADMIN_PASSWORD), or enable local mode (ServiceSettings.EnableLocalMode) and point MM_LOCALSOCKETPATH at its socket (no socket at ${socketPath}).`,
  );
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A small HTTP client for the Mattermost API, over TCP(S) or the local-mode unix socket. */
class Api {
  private authorization: string | undefined;

  constructor(private readonly target: Target) {
    if (target.kind === 'token') this.authorization = `Bearer ${target.token}`;
  }

  describe(): string {
    return this.target.kind === 'local' ? `local mode (${this.target.socketPath})` : this.target.siteURL;
  }

  send(method: string, path: string, body?: { data: Buffer; type: string }): Promise<Answer> {
    const headers: Record<string, string | number> = { 'X-Requested-With': 'XMLHttpRequest' };
    if (this.authorization) headers.Authorization = this.authorization;
    if (body) {
      headers['Content-Type'] = body.type;
      headers['Content-Length'] = body.data.length;
    }
    let options: RequestOptions;
    let send = httpRequest;
    if (this.target.kind === 'local') {
      options = { socketPath: this.target.socketPath, path: `/api/v4${path}`, method, headers };
    } else {
      const base = new URL(this.target.siteURL);
      let end = base.pathname.length;
      while (end > 0 && base.pathname[end - 1] === '/') end--;
      const prefix = base.pathname.slice(0, end);
      options = { protocol: base.protocol, hostname: base.hostname, port: base.port, path: `${prefix}/api/v4${path}`, method, headers };
      if (base.protocol === 'https:') send = httpsRequest;
    }
    return new Promise((resolveAnswer, reject) => {
      const req = send(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', (err) => reject(new DeployError(`Cannot reach ${this.describe()}: ${err.message}`)));
      if (body) req.write(body.data);
      req.end();
    });
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<{ answer: Answer; value: T | undefined }> {
    const answer = await this.send(method, path, body === undefined ? undefined : { data: Buffer.from(JSON.stringify(body)), type: 'application/json' });
    let value: T | undefined;
    try {
      value = JSON.parse(answer.body) as T;
    } catch {
      value = undefined;
    }
    return { answer, value };
  }

  async login(): Promise<void> {
    if (this.target.kind !== 'password') return;
    const { answer } = await this.json('POST', '/users/login', { login_id: this.target.username, password: this.target.password });
    const token = answer.headers.token;
    if (answer.status !== 200 || typeof token !== 'string') {
      throw new DeployError(`Login as ${this.target.username} on ${this.target.siteURL} was refused (HTTP ${answer.status}: ${serverMessage(answer)}): check MM_ADMIN_USERNAME and MM_ADMIN_PASSWORD.`);
    }
    this.authorization = `Bearer ${token}`;
  }
}

function serverMessage(answer: Answer): string {
  try {
    const parsed = JSON.parse(answer.body) as { message?: string; id?: string };
    return parsed.message ?? parsed.id ?? answer.body.slice(0, 200);
  } catch {
    return answer.body.slice(0, 200) || 'no message';
  }
}

/** "11.1.0" from X-Version-Id ("11.1.0.12345.abc…"); undefined when the server does not say. */
export function serverVersion(headers: IncomingHttpHeaders): string | undefined {
  const id = headers['x-version-id'];
  const match = typeof id === 'string' ? /^(\d+)\.(\d+)\.(\d+)/.exec(id) : null;
  return match ? `${match[1]}.${match[2]}.${match[3]}` : undefined;
}

/** Negative when a < b, as semver for plain x.y.z. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Mattermost's PluginState values (model/plugin_status.go). */
const PLUGIN_STATES: Record<number, string> = { 0: 'not running', 1: 'starting', 2: 'running', 3: 'failed to start', 4: 'failed to stay running', 5: 'stopping' };

function multipart(fields: Record<string, string>, file: { name: string; filename: string; data: Buffer }): { data: Buffer; type: string } {
  const boundary = `----infra-ops-deploy-${Date.now().toString(16)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: application/gzip\r\n\r\n`));
  parts.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { data: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

export interface DeployOptions {
  target: Target;
  bundlePath: string;
  manifest: Manifest;
  /** How long to wait for the plugin to be running. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** Uploads (replacing an installed copy), enables, and waits for the plugin to run. */
export async function deploy({ target, bundlePath, manifest, timeoutMs = 60_000, log = () => {} }: DeployOptions): Promise<{ serverVersion: string | undefined }> {
  if (!existsSync(bundlePath)) throw new DeployError(`No bundle at ${bundlePath}: run \`npm run dist\` first.`);
  const api = new Api(target);

  // The version first: a ping needs no login, and "too old" is worth saying before anything else.
  const ping = await api.send('GET', '/system/ping');
  const version = serverVersion(ping.headers);
  if (ping.status !== 200) throw new DeployError(`${api.describe()} does not answer as a Mattermost server (GET /api/v4/system/ping: HTTP ${ping.status}).`);
  if (version && manifest.min_server_version && compareVersions(version, manifest.min_server_version) < 0) {
    throw new DeployError(`${api.describe()} runs Mattermost ${version}, older than this plugin's min_server_version ${manifest.min_server_version} (plugin.json): upgrade the server.`);
  }

  await api.login();
  if (target.kind !== 'local') {
    const me = await api.json<{ username?: string; roles?: string }>('GET', '/users/me');
    if (me.answer.status === 401) throw new DeployError(`${api.describe()} refused MM_ADMIN_TOKEN (HTTP 401: ${serverMessage(me.answer)}): create a personal access token for a system admin.`);
    if (me.answer.status !== 200) throw new DeployError(`${api.describe()}: GET /api/v4/users/me failed (HTTP ${me.answer.status}: ${serverMessage(me.answer)}).`);
    if (!(me.value?.roles ?? '').split(' ').includes('system_admin')) {
      throw new DeployError(`@${me.value?.username ?? '?'} is not a system admin on ${api.describe()}: only a system admin may upload plugins.`);
    }
  }

  const data = readFileSync(bundlePath);
  log(`uploading ${basename(bundlePath)} (${(data.length / 1024 / 1024).toFixed(1)} MiB) to ${api.describe()}${version ? ` (Mattermost ${version})` : ''}`);
  const upload = await api.send('POST', '/plugins', multipart({ force: 'true' }, { name: 'plugin', filename: basename(bundlePath), data }));
  if (upload.status === 501) throw new DeployError(await whyUploadsRefused(api));
  if (upload.status === 403) throw new DeployError(`${api.describe()} refused the upload (HTTP 403: ${serverMessage(upload)}): the account needs the system admin role.`);
  if (upload.status === 413) throw new DeployError(`${api.describe()} refused the upload as too large (HTTP 413): raise FileSettings.MaxFileSize.`);
  if (upload.status !== 201) throw new DeployError(`${api.describe()} refused the upload (HTTP ${upload.status}: ${serverMessage(upload)}).`);

  const enable = await api.send('POST', `/plugins/${encodeURIComponent(manifest.id)}/enable`);
  if (enable.status !== 200) throw new DeployError(`${api.describe()} did not enable ${manifest.id} (HTTP ${enable.status}: ${serverMessage(enable)}).`);

  const deadline = Date.now() + timeoutMs;
  let state = 'unknown';
  while (Date.now() < deadline) {
    const seen = await pluginState(api, target, manifest.id);
    state = seen.text;
    if (seen.running) {
      log(`${manifest.id} ${manifest.version ?? ''} is running on ${api.describe()}`);
      return { serverVersion: version };
    }
    if (seen.failed) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new DeployError(`${manifest.id} was uploaded and enabled but is ${state} on ${api.describe()}: see the server log.`);
}

/**
 * Is the plugin running? /plugins/statuses (with failure states) where there is a session; local
 * mode has no such route, and its /plugins lists a plugin as active once it runs.
 */
async function pluginState(api: Api, target: Target, id: string): Promise<{ running: boolean; failed: boolean; text: string }> {
  if (target.kind === 'local') {
    const { answer, value } = await api.json<{ active?: Array<{ id: string }> }>('GET', '/plugins');
    if (answer.status !== 200 || !value) throw new DeployError(`${api.describe()}: GET /api/v4/plugins failed (HTTP ${answer.status}: ${serverMessage(answer)}).`);
    const running = (value.active ?? []).some((p) => p.id === id);
    return { running, failed: false, text: running ? 'running' : 'not running' };
  }
  const { answer, value } = await api.json<Array<{ plugin_id: string; state: number }>>('GET', '/plugins/statuses');
  if (answer.status !== 200 || !Array.isArray(value)) throw new DeployError(`${api.describe()}: GET /api/v4/plugins/statuses failed (HTTP ${answer.status}: ${serverMessage(answer)}).`);
  const mine = value.filter((s) => s.plugin_id === id);
  return {
    running: mine.length > 0 && mine.every((s) => s.state === 2),
    failed: mine.some((s) => s.state === 3 || s.state === 4),
    text: mine.map((s) => PLUGIN_STATES[s.state] ?? `state ${s.state}`).join(', ') || 'not installed',
  };
}

/** The upload route answers 501 for three settings; the admin config says which one is off. */
async function whyUploadsRefused(api: Api): Promise<string> {
  const { answer, value } = await api.json<{ PluginSettings?: { Enable?: boolean; EnableUploads?: boolean; RequirePluginSignature?: boolean } }>('GET', '/config');
  const settings = answer.status === 200 ? value?.PluginSettings : undefined;
  const where = api.describe();
  if (settings?.Enable === false) return `${where} has plugins switched off (PluginSettings.Enable): turn them on to deploy.`;
  if (settings?.RequirePluginSignature) {
    return `${where} requires signed plugins (PluginSettings.RequirePluginSignature), and the upload API takes no signature: turn the requirement off on a development server.`;
  }
  if (settings?.EnableUploads === false) return `${where} has plugin uploads switched off (PluginSettings.EnableUploads): turn them on (System Console › Plugins › Plugin Management, or MM_PLUGINSETTINGS_ENABLEUPLOADS=true).`;
  return `${where} refused plugin uploads (HTTP 501): plugins, uploads, or unsigned plugins are not allowed there.`;
}

/** The bundle `npm run dist` writes for this checkout. */
export function defaultBundle(repo: string, manifest: Manifest): string {
  return join(repo, 'dist', `${manifest.id}-${manifest.version ?? '0.0.0'}.tar.gz`);
}

export function readManifest(repo: string): Manifest {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
  const manifest = JSON.parse(readFileSync(join(repo, 'plugin.json'), 'utf8')) as Manifest;
  return { ...manifest, version: pkg.version };
}

export const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');

async function main(): Promise<void> {
  const manifest = readManifest(repoRoot);
  const bundlePath = process.argv[2] ?? defaultBundle(repoRoot, manifest);
  const started = Date.now();
  await deploy({ target: targetFromEnv(), bundlePath, manifest, log: (line) => console.log(line) });
  console.log(`deployed in ${((Date.now() - started) / 1000).toFixed(1)} s (bundle built ${new Date(statSync(bundlePath).mtimeMs).toISOString()})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof DeployError ? `deploy: ${err.message}` : err);
    process.exit(1);
  });
}
