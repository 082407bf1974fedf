// The browser harness's web server: the harness page and bundles, plus a fake Infra Ops backend
// answering the contract's routes (under the /mm subpath, as on a subpath deployment) with fixture
// views, refusing bodies and queries the contract refuses. Like Mattermost in front of the plugin, it refuses a POST without the CSRF header that
// matches the MMCSRF cookie. Every API request is recorded for the tests to inspect.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';
import {
  MIN_SCORES_TO_REVEAL,
  guildRoutes,
  incidentRoutes,
  pickRoutes,
  rfcRoutes,
  runRoutes,
  alertRoutes,
  hookPath,
  webhookRoutes,
  WEBHOOK_EVENT_TYPES,
  type Agenda,
  type AlertSourceView,
  type Guild,
  type Idea,
  type Incident,
  type Rfc,
  type Route,
  type Schema,
  type TimelineEntry,
  type RunView,
  type WebhookView,
} from '../src/contract';
import { AGENDA, CSRF, GUILDS, IDEAS, ME, RFCS, RUNS, TEAM, USERS, incident, mmId, progressOf, rfc, run } from './fixtures';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface HarnessServer {
  url: string;
  requests: RecordedRequest[];
  /** The fake backend's state, for a test to change what the server has (as another user would). */
  backend: Backend;
  close(): Promise<void>;
}

const API = '/mm/plugins/infra-ops/api/v1';

// Mattermost's content security policy for its pages (server channels/web/handlers.go, with the
// default empty FrameAncestors and no developer flags): scripts only from the site itself, so no
// inline script and no eval. Styles and data: images are not restricted.
export const HOST_CSP = "frame-ancestors 'self'; script-src 'self'";

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Infra Ops harness</title>
<style>
  body { margin: 0; font-family: 'Open Sans', 'DejaVu Sans', sans-serif; background: var(--center-channel-bg); color: var(--center-channel-color); }
  .layout { display: grid; grid-template-columns: 1fr 420px; height: 100vh; }
  .layout.with-app-bar { grid-template-columns: 1fr 420px 56px; }
  .center { overflow: auto; border-right: 1px solid rgba(var(--center-channel-color-rgb), 0.12); }
  .channel-header, .mobile-header { padding: 12px 16px; border-bottom: 1px solid rgba(var(--center-channel-color-rgb), 0.12); font-weight: 600; display: flex; gap: 12px; }
  .mobile-header { display: none; }
  .post { padding: 8px 16px; }
  .post-head { display: flex; justify-content: space-between; }
  .post-menu { list-style: none; padding: 4px; margin: 0; border: 1px solid #ccc; background: var(--center-channel-bg); }
  .rhs { overflow: auto; display: flex; flex-direction: column; }
  .rhs-title { padding: 12px 16px; font-weight: 700; border-bottom: 1px solid rgba(var(--center-channel-color-rgb), 0.12); display: flex; justify-content: space-between; }
  .rhs-body { flex: 1; min-height: 0; }
  .app-bar { background: rgba(var(--center-channel-color-rgb), 0.04); padding-top: 8px; display: flex; flex-direction: column; align-items: center; }
  .app-bar-icon { background: none; border: 0; cursor: pointer; padding: 8px; }
  /* As the host (app_bar.scss, channel header): no App Bar and the mobile header at 768 px and below. */
  @media (max-width: 768px) {
    .layout, .layout.with-app-bar { grid-template-columns: 1fr; }
    .app-bar, .channel-header { display: none; }
    .mobile-header { display: flex; }
    .rhs:not(:empty) { position: fixed; inset: 0; background: var(--center-channel-bg); }
  }
</style></head>
<body><div id="root"></div>
<script src="/mm/static/host.js"></script>
<script src="/mm/static/plugins/infra-ops/main.js"></script>
</body></html>`;

type Json = Record<string, unknown>;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { unparseable: text };
  }
}

const ROUTES: Route[] = [incidentRoutes, pickRoutes, rfcRoutes, guildRoutes, runRoutes, alertRoutes, webhookRoutes].flatMap((table): Route[] => Object.values<Route>(table));

/** The contract route a request is for, with its path parameters (as text). */
function match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  const parts = path.split('/');
  for (const route of ROUTES) {
    const template = route.path.split('/');
    if (route.method !== method || template.length !== parts.length) continue;
    const params: Record<string, string> = {};
    if (template.every((seg, i) => (seg.startsWith(':') ? ((params[seg.slice(1)] = decodeURIComponent(parts[i]!)), true) : seg === parts[i]))) return { route, params };
  }
  return undefined;
}

/** Like the server: a body or query the contract refuses is a 400 naming the problem. */
function invalid(schema: Schema | null, value: unknown): string | null {
  if (schema === null) return null;
  const result = z.safeParse(schema, value);
  return result.success ? null : `Invalid request: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; ')}`;
}

/** The fake backend's state: fixtures, plus what the tests' actions created. */
export class Backend {
  incidents = new Map<string, Incident>([
    [mmId('incident42'), incident(42)],
    [mmId('incident41'), incident(41, { title: 'Payments failing', severity: 1, severityLabel: 'Critical', roles: { commander: mmId('bob'), scribe: null, comms: null }, channelName: 'inc-041-payments-failing' })],
  ]);
  ideas: Idea[] = IDEAS.map((i) => ({ ...i }));
  timelines = new Map<string, TimelineEntry[]>([[mmId('incident42'), [{ seq: 0, at: Date.now() - 95 * 60_000, actorId: ME, kind: 'declared', text: 'Declared INC-042' }]]]);
  rfcs: Rfc[] = RFCS.map((r) => ({ ...r }));
  guilds: Guild[] = GUILDS.map((g) => ({ ...g }));
  agenda: Agenda = { ...AGENDA, queued: [...AGENDA.queued] };
  nextIncident = 43;
  nextIdea = 7;
  runs: RunView[] = RUNS.map((r) => structuredClone(r));
  alertSources: AlertSourceView[] = [];
  webhooks: WebhookView[] = [];
  /** Secrets as the server keeps them (never in a view); a counter makes each one different. */
  secrets = new Map<string, string>();
  private secretCount = 0;
  /** Team admins only, as the server's policy; a test turns it on with the page's `?role=team_admin`. */
  teamAdmin = false;

  private newSecret(id: string): string {
    const secret = `secret-${id}-${++this.secretCount}`;
    this.secrets.set(id, secret);
    return secret;
  }

  /** The run routes, as the server answers them (an approval item is done by its gate, never by hand). */
  private runRoute(route: Route, params: Record<string, string>, b: Json): [number, unknown] {
    if (route === runRoutes.list) return [200, { items: this.runs, nextCursor: null }];
    if (route === runRoutes.start) {
      const created = run(this.runs.length + 3, String(b.name), { startedAt: Date.now() });
      this.runs.push(created);
      return [201, { run: created }];
    }
    const found = this.runs.find((r) => r.number === Number(params.number));
    if (!found) return [404, { error: 'No such run.' }];
    if (route === runRoutes.get) return [200, { run: found }];
    if (route === runRoutes.report) {
      const markdown = `# ${found.reference}: ${found.name}\n\n${found.progress.done} of ${found.progress.total} done\n`;
      return [200, { filename: `${found.reference.toLowerCase()}-report`, markdown, html: `<!doctype html><h1>${found.reference}: ${found.name}</h1>` }];
    }
    if (route === runRoutes.item) {
      const item = found.checklists.flatMap((l) => l.items).find((i) => i.ref === params.ref);
      if (!item) return [404, { error: `${found.reference} has no item ${params.ref}.` }];
      if (item.gate) return [409, { error: `Item ${item.ref} is an approval: it is done when its gate passes (/run approve ${item.ref}).` }];
      const state = { check: 'done', uncheck: 'open', skip: 'skipped' }[String(b.action)] as 'done' | 'open' | 'skipped';
      Object.assign(item, { state, by: state === 'open' ? null : ME, at: state === 'open' ? null : Date.now() });
      found.progress = progressOf(found);
      return [200, { run: found }];
    }
    return [404, { error: 'Not found.' }];
  }

  /** Alert sources and webhooks: team admins only; the secret only in create and rotate answers. */
  private adminRoute(route: Route, params: Record<string, string>, b: Json): [number, unknown] {
    if (!this.teamAdmin) return [403, { error: 'Only team admins can manage alert sources and webhooks.' }];
    if (route === alertRoutes.list) return [200, { items: this.alertSources, nextCursor: null }];
    if (route === alertRoutes.create) {
      if (this.alertSources.some((s) => s.name === b.name)) return [409, { error: `An alert source named ${String(b.name)} already exists.` }];
      const id = mmId(`src${this.alertSources.length + 1}`);
      const type = b.type === 'grafana' ? 'grafana' : 'alertmanager';
      const source: AlertSourceView = {
        id,
        teamId: TEAM,
        name: String(b.name),
        type,
        url: `http://localhost:8065${hookPath(type, id)}`,
        severityLabel: 'severity',
        severityMap: { critical: 1, warning: 3 },
        defaultSeverity: 3,
        typeLabel: null,
        responderIds: [],
        signatureHeader: null,
        timestampHeader: null,
        dedupeWindowHours: 24,
        autoResolve: true,
        private: false,
        createdBy: ME,
        createdAt: Date.now(),
        secretRotatedAt: Date.now(),
      };
      this.alertSources.push(source);
      return [201, { source, secret: this.newSecret(id) }];
    }
    const source = this.alertSources.find((s) => s.name === params.slug);
    if (route === alertRoutes.rotate && source) return [200, { source, secret: this.newSecret(source.id) }];
    if (route === alertRoutes.remove && source) {
      this.alertSources = this.alertSources.filter((s) => s !== source);
      return [200, { source }];
    }
    if (route === webhookRoutes.list) return [200, { items: this.webhooks, nextCursor: null }];
    if (route === webhookRoutes.add) {
      // As the server: no events named means every event type.
      const events = Array.isArray(b.events) && b.events.length > 0 ? (b.events as WebhookView['events']) : [...WEBHOOK_EVENT_TYPES];
      const webhook: WebhookView = { id: mmId(`wh${this.webhooks.length + 1}`), url: String(b.url), events, includePrivate: b.include_private === true, templates: [], createdBy: ME, createdAt: Date.now() };
      this.webhooks.push(webhook);
      return [201, { webhook, secret: this.newSecret(webhook.id) }];
    }
    const webhook = this.webhooks.find((w) => w.id === params.webhookId);
    if (route === webhookRoutes.rotate && webhook) return [200, { webhook, secret: this.newSecret(webhook.id) }];
    if (route === webhookRoutes.remove && webhook) {
      this.webhooks = this.webhooks.filter((w) => w !== webhook);
      return [200, { webhook }];
    }
    return [404, { error: 'Not found.' }];
  }

  route(method: string, path: string, query: Record<string, string>, body: unknown): [number, unknown] {
    const found = match(method, path);
    if (!found) return [404, { error: 'Not found.' }];
    const { route, params } = found;
    const problem = invalid(route.query, query) ?? invalid(route.body, body ?? {});
    if (problem) return [400, { error: problem }];
    if (params.teamId !== undefined && params.teamId !== TEAM) return [404, { error: 'No such team.' }];
    const b = (body ?? {}) as Json;
    const number = Number(params.number);
    if (Object.values<Route>(runRoutes).includes(route)) return this.runRoute(route, params, b);
    if (Object.values<Route>(alertRoutes).includes(route) || Object.values<Route>(webhookRoutes).includes(route)) return this.adminRoute(route, params, b);

    if (route === incidentRoutes.list) {
      const items = [...this.incidents.values()].filter((i) => query.state === 'all' || !query.state || i.phase === query.state);
      return [200, { items, nextCursor: null }];
    }
    if (route === incidentRoutes.declare) {
      const n = this.nextIncident++;
      const title = String(b.title);
      const created = incident(n, {
        title,
        severity: (b.severity as Incident['severity'] | undefined) ?? 3,
        summary: typeof b.summary === 'string' ? b.summary : '',
        private: typeof b.private === 'boolean' ? b.private : true,
        channelName: `inc-${String(n).padStart(3, '0')}-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
        lastUpdate: null,
      });
      this.incidents.set(created.id, created);
      return [201, { incident: created, warnings: [] }];
    }
    if (route === incidentRoutes.metrics) {
      const stats = (median: number | null) => ({ count: median === null ? 0 : 3, meanMinutes: median, medianMinutes: median, p90Minutes: median });
      const none = { total: 0, active: 0, mtta: stats(null), mttr: stats(null) };
      const bySeverity = { '1': none, '2': none, '3': none, '4': none };
      return [200, { metrics: { teamId: TEAM, since: 0, until: Date.now(), total: 7, active: 2, resolved: 5, dismissed: 0, bySeverity, mtta: stats(12), mttr: stats(135), openFollowups: 4, awaitingReview: 1 } }];
    }
    if (route === incidentRoutes.ofChannel) {
      const inc = [...this.incidents.values()].find((i) => i.channelId === params.channelId);
      return inc ? [200, { incident: inc }] : [404, { error: 'This channel has no incident.' }];
    }
    if (route.path.startsWith('/teams/:teamId/incidents/:number')) {
      const inc = [...this.incidents.values()].find((i) => i.number === number);
      if (!inc) return [404, { error: 'No such incident.' }];
      const timeline = this.timelines.get(inc.id) ?? [];
      this.timelines.set(inc.id, timeline);
      const changed = (kind: string, text: string, patch: Partial<Incident>): [number, unknown] => {
        const at = Date.now();
        Object.assign(inc, patch, { updatedAt: at });
        timeline.push({ seq: timeline.length, at, actorId: ME, kind, text });
        return [200, { incident: inc }];
      };
      if (route === incidentRoutes.get) return [200, { incident: inc }];
      if (route === incidentRoutes.timeline) return [200, { items: timeline, nextCursor: null }];
      if (route === incidentRoutes.status) return changed('status', String(b.text), { lastUpdate: { text: String(b.text), at: Date.now(), by: ME } });
      if (route === incidentRoutes.milestone) return changed('milestone', String(b.milestone), { milestones: { ...inc.milestones, [String(b.milestone)]: Date.now() } });
      if (route === incidentRoutes.follow) return changed('follow', 'followed', { followers: [ME] });
    }

    if (route === pickRoutes.list) return [200, { items: this.ideas.filter((i) => !query.channel_id || i.channelId === query.channel_id), nextCursor: null, threshold: 5.5 }];
    if (route === pickRoutes.add) {
      const n = this.nextIdea++;
      const created: Idea = { ...IDEAS[5]!, number: n, reference: `IDEA-${n}`, title: String(b.title), channelId: String(b.channel_id), scoredCount: 0, updatedAt: Date.now() };
      this.ideas.push(created);
      return [201, { idea: created }];
    }
    if (route.path.startsWith('/teams/:teamId/ideas/:number')) {
      const idea = this.ideas.find((i) => i.number === number);
      if (!idea) return [404, { error: 'No such idea.' }];
      if (route === pickRoutes.get) return [200, { idea }];
      if (route === pickRoutes.reveal) {
        // As the server: one score is never revealed (it would expose that person's score).
        if (idea.scoredCount < MIN_SCORES_TO_REVEAL) return [409, { error: `${idea.reference} has ${idea.scoredCount} score; a reveal needs at least ${MIN_SCORES_TO_REVEAL}.` }];
        const mine = idea.viewer?.myScore ?? { payoff: 5, cost: 5 };
        const axis = (m: number) => ({ median: m, q1: m, q3: m, iqr: 0 });
        const high = (v: number) => v >= 5.5;
        const quadrant = high(mine.payoff) ? (high(mine.cost) ? 'challenge' : 'implement') : high(mine.cost) ? 'kill' : 'possible';
        const revealed = { round: 1, payoff: axis(mine.payoff), cost: axis(mine.cost), count: idea.scoredCount, quadrant, disputed: false, threshold: 5.5, revealedAt: Date.now(), revealedBy: ME } as const;
        Object.assign(idea, { status: 'revealed', revealed, updatedAt: Date.now() });
        return [200, { idea }];
      }
      if (route === pickRoutes.score) {
        const myScore = { payoff: Number(b.payoff), cost: Number(b.cost) };
        Object.assign(idea, { scoredCount: idea.scoredCount + 1, viewer: { myScore, awaitingMyScore: false }, updatedAt: Date.now() });
        return [200, { idea, autoRevealed: false }];
      }
    }

    if (route === rfcRoutes.list) return [200, { items: this.rfcs, nextCursor: null }];
    if (route === rfcRoutes.get) {
      const found = this.rfcs.find((r) => r.number === number);
      return found ? [200, { rfc: found }] : [404, { error: 'No such RFC.' }];
    }
    if (route === rfcRoutes.create) {
      const created = rfc(this.rfcs.length + 7, String(b.title), { ownerId: ME, ideaNumber: typeof b.idea === 'number' ? b.idea : null, updatedAt: Date.now() });
      this.rfcs.push(created);
      const linked = this.ideas.find((i) => i.number === b.idea);
      if (linked) Object.assign(linked, { rfcNumber: created.number, updatedAt: Date.now() });
      return [201, { rfc: created }];
    }

    const guild = this.guilds.find((g) => g.slug === params.slug);
    if (route === guildRoutes.list) return [200, { items: this.guilds, nextCursor: null }];
    if (route === guildRoutes.get && guild) return [200, { guild }];
    if (route === guildRoutes.delete && guild) {
      if (guild.createdBy !== ME) return [403, { error: `Only the guild's creator, team admins and system admins can delete ${guild.name}.` }];
      this.guilds = this.guilds.filter((g) => g !== guild);
      return [200, { guild }];
    }
    if (route === guildRoutes.queue && guild && guild.slug === AGENDA.slug) {
      const item = { id: this.agenda.queued.length + 1, text: String(b.text), by: ME, at: Date.now(), carried: 0 };
      this.agenda.queued.push(item);
      return [201, { guild, item }];
    }
    if (route === guildRoutes.agenda && guild && guild.slug === AGENDA.slug) return [200, { agenda: this.agenda }];
    return [404, { error: 'Not found.' }];
  }
}

export async function startHarnessServer(files: { hostJs: string; mainJs: () => string }): Promise<HarnessServer> {
  const requests: RecordedRequest[] = [];
  const backend = new Backend();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/mm/harness.html') {
      // Mattermost sets MMCSRF at login; the page's script reads it for the X-CSRF-Token header.
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': `MMCSRF=${CSRF}; Path=/`, 'Content-Security-Policy': HOST_CSP });
      res.end(PAGE);
      return;
    }
    if (url.pathname === '/mm/static/host.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(files.hostJs);
      return;
    }
    if (url.pathname === '/mm/static/plugins/infra-ops/main.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(files.mainJs());
      return;
    }
    if (url.pathname === '/mm/api/v4/users/ids') {
      // The host's profile batch endpoint: the users it knows among the ids asked for.
      const ids = await readBody(req);
      const header = req.headers['x-csrf-token'];
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: {}, headers: { 'x-csrf-token': Array.isArray(header) ? header.join(',') : header, 'x-requested-with': undefined, 'content-type': undefined }, body: ids });
      if (req.method !== 'POST' || header !== CSRF) return send(res, 401, { message: 'Invalid or expired session.' });
      if (!Array.isArray(ids)) return send(res, 400, { message: 'Invalid user ids.' });
      return send(res, 200, ids.flatMap((id) => (typeof id === 'string' && USERS[id] ? [USERS[id]] : [])));
    }
    if (!url.pathname.startsWith(API)) {
      send(res, 404, { error: 'Not found.' });
      return;
    }
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(',') : v;
    };
    const recorded: RecordedRequest = {
      method,
      path: url.pathname.slice(API.length),
      query: Object.fromEntries(url.searchParams),
      headers: { 'x-csrf-token': header('x-csrf-token'), 'x-requested-with': header('x-requested-with'), 'content-type': header('content-type') },
      body,
    };
    requests.push(recorded);
    if (method !== 'GET' && header('x-csrf-token') !== CSRF) {
      send(res, 401, { error: 'Not logged in.' });
      return;
    }
    const [status, answer] = backend.route(method, recorded.path, recorded.query, body);
    send(res, status, answer);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    backend,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
