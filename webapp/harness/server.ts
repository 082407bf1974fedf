// The browser harness's web server: the harness page and bundles, plus a fake Infra Ops backend
// answering the plugin's routes (under the /mm subpath, as on a subpath deployment) with fixture
// data. Like Mattermost in front of the plugin, it refuses a POST without the CSRF header that
// matches the MMCSRF cookie. Every API request is recorded for the tests to inspect.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AGENDA, CSRF, GUILDS, IDEAS, ME, RFCS, TEAM, incident, mmId, rfc } from './fixtures';

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
  close(): Promise<void>;
}

const API = '/mm/plugins/infra-ops/api/v1';

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Infra Ops harness</title>
<style>
  :root { --center-channel-bg: #ffffff; --center-channel-color: #3f4350; --center-channel-color-rgb: 63, 67, 80; --button-bg: #1c58d9; --button-color: #ffffff; --link-color: #386fe5; --error-text: #d24b4e; --online-indicator: #3db887; --away-indicator: #ffbc1f; --dnd-indicator: #d24b4e; }
  :root.dark { --center-channel-bg: #1f1f1f; --center-channel-color: #dddddd; --center-channel-color-rgb: 221, 221, 221; --button-bg: #4a7fe6; --link-color: #6b9bf2; }
  body { margin: 0; font-family: 'Open Sans', 'DejaVu Sans', sans-serif; background: var(--center-channel-bg); color: var(--center-channel-color); }
  .layout { display: grid; grid-template-columns: 1fr 420px 56px; height: 100vh; }
  .center { overflow: auto; border-right: 1px solid rgba(var(--center-channel-color-rgb), 0.12); }
  .channel-header { padding: 12px 16px; border-bottom: 1px solid rgba(var(--center-channel-color-rgb), 0.12); font-weight: 600; display: flex; gap: 12px; }
  .post { padding: 8px 16px; }
  .post-head { display: flex; justify-content: space-between; }
  .post-menu { list-style: none; padding: 4px; margin: 0; border: 1px solid #ccc; background: var(--center-channel-bg); }
  .rhs { overflow: auto; display: flex; flex-direction: column; }
  .rhs-title { padding: 12px 16px; font-weight: 700; border-bottom: 1px solid rgba(var(--center-channel-color-rgb), 0.12); }
  .rhs-body { flex: 1; min-height: 0; }
  .app-bar { background: rgba(var(--center-channel-color-rgb), 0.04); padding-top: 8px; display: flex; flex-direction: column; align-items: center; }
  .app-bar-icon { background: none; border: 0; cursor: pointer; padding: 8px; }
</style></head>
<body><div id="root"></div>
<script>if (new URLSearchParams(location.search).get('theme') === 'dark') document.documentElement.classList.add('dark');</script>
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

/** The fake backend's state: fixtures, plus what the tests' actions created. */
class Backend {
  incidents = new Map<string, Json>([
    [mmId('incident42'), incident(42)],
    [mmId('incident41'), incident(41, { title: 'Payments failing', severity: 1, severityLabel: 'Critical', roles: { commander: mmId('bob'), scribe: null, comms: null }, channelName: 'inc-041-payments-failing' })],
  ]);
  ideas: Json[] = IDEAS.map((i) => ({ ...i }));
  timelines = new Map<string, Json[]>([[mmId('incident42'), [{ seq: 0, at: Date.now() - 95 * 60_000, actorId: ME, kind: 'declared', text: 'Declared INC-042' }]]]);
  rfcs: Json[] = RFCS.map((r) => ({ ...r }));
  agenda = { ...AGENDA, queued: [...AGENDA.queued] };
  nextIncident = 43;
  nextIdea = 7;

  route(method: string, path: string, query: Record<string, string>, body: unknown): [number, unknown] {
    const parts = path.split('/').filter(Boolean);
    const b = (body ?? {}) as Json;
    if (method === 'GET' && path === '/incidents') {
      const items = [...this.incidents.values()].filter((i) => i.teamId === query.team_id && (query.state === 'all' || !query.state || i.phase === query.state));
      return [200, { items, next_before: null }];
    }
    if (method === 'POST' && path === '/incidents') {
      if (typeof b.team_id !== 'string' || typeof b.title !== 'string' || !b.title.trim()) return [400, { error: 'Invalid request: title: must not be empty' }];
      const n = this.nextIncident++;
      const created = incident(n, {
        title: b.title,
        severity: b.severity ?? 3,
        summary: b.summary ?? '',
        private: b.private ?? true,
        channelName: `inc-${String(n).padStart(3, '0')}-${String(b.title).toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
        lastUpdate: null,
      });
      this.incidents.set(created.id as string, created);
      return [201, { incident: created, warnings: [] }];
    }
    if (method === 'GET' && path === '/incidents/metrics') {
      const stats = (median: number | null) => ({ count: median === null ? 0 : 3, meanMinutes: median, medianMinutes: median, p90Minutes: median });
      return [200, { teamId: query.team_id, since: 0, until: Date.now(), total: 7, active: 2, resolved: 5, bySeverity: {}, mtta: stats(12), mttr: stats(135), openFollowups: 4, awaitingReview: 1 }];
    }
    if (parts[0] === 'incidents' && parts.length >= 2) {
      const found = this.incidents.get(parts[1]!);
      if (!found) return [404, { error: 'No such incident.' }];
      const timeline = this.timelines.get(found.id as string) ?? [];
      this.timelines.set(found.id as string, timeline);
      const changed = (kind: string, text: string, patch: Json): [number, unknown] => {
        const at = Date.now();
        Object.assign(found, patch, { updatedAt: at });
        timeline.push({ seq: timeline.length, at, actorId: ME, kind, text });
        return [200, found];
      };
      if (method === 'GET' && parts.length === 2) return [200, found];
      if (method === 'GET' && parts[2] === 'timeline') return [200, { items: timeline, total: timeline.length }];
      if (method === 'POST' && parts[2] === 'status') {
        if (typeof b.text !== 'string' || !b.text.trim()) return [400, { error: 'Invalid request: text: must not be empty' }];
        return changed('status', b.text, { lastUpdate: { text: b.text, at: Date.now(), by: ME } });
      }
      if (method === 'POST' && parts[2] === 'milestones') {
        const milestones = { ...(found.milestones as Json), [String(b.milestone)]: Date.now() };
        return changed('milestone', `${String(b.milestone)}`, { milestones });
      }
      if (method === 'POST' && parts[2] === 'follow') return changed('follow', 'followed', { followers: [ME] });
    }
    if (method === 'GET' && path === '/pick/ideas') {
      const ideas = this.ideas.filter((i) => i.teamId === query.team_id && (!query.channel_id || i.channelId === query.channel_id));
      return [200, { ideas, next: null, threshold: 5.5 }];
    }
    if (method === 'POST' && path === '/pick/ideas') {
      if (typeof b.channel_id !== 'string' || typeof b.title !== 'string') return [400, { error: 'Invalid request: channel_id: required' }];
      const n = this.nextIdea++;
      const created = { ...IDEAS[5]!, number: n, reference: `IDEA-${n}`, title: b.title, channelId: b.channel_id, scoredCount: 0, updatedAt: Date.now() };
      this.ideas.push(created);
      return [201, { idea: created }];
    }
    if (parts[0] === 'pick' && parts[1] === 'teams' && parts[3] === 'ideas') {
      const found = this.ideas.find((i) => i.teamId === parts[2] && i.number === Number(parts[4]));
      if (!found) return [404, { error: 'No such idea.' }];
      if (method === 'GET' && parts.length === 5) return [200, { idea: found }];
      if (method === 'POST' && parts[5] === 'reveal') {
        const mine = (found.myScore ?? { payoff: 5, cost: 5 }) as { payoff: number; cost: number };
        const axis = (m: number) => ({ median: m, q1: m, q3: m, iqr: 0 });
        const high = (v: number) => v >= 5.5;
        const quadrant = high(mine.payoff) ? (high(mine.cost) ? 'challenge' : 'implement') : high(mine.cost) ? 'kill' : 'possible';
        const revealed = { round: 1, payoff: axis(mine.payoff), cost: axis(mine.cost), count: 1, quadrant, disputed: false, threshold: 5.5, revealedAt: Date.now(), revealedBy: ME };
        Object.assign(found, { status: 'revealed', revealed, updatedAt: Date.now() });
        return [200, { idea: found }];
      }
      if (method === 'POST' && parts[5] === 'score') {
        Object.assign(found, { scoredCount: (found.scoredCount as number) + 1, myScore: { payoff: b.payoff, cost: b.cost }, updatedAt: Date.now() });
        return [200, { idea: found, autoRevealed: false }];
      }
    }
    if (method === 'GET' && path === `/rfc/teams/${TEAM}/rfcs`) return [200, { rfcs: this.rfcs, next: null }];
    if (method === 'POST' && path === `/rfc/teams/${TEAM}/rfcs`) {
      const created = rfc(this.rfcs.length + 7, String(b.title), { ownerId: ME, ideaNumber: b.idea ?? null, updatedAt: Date.now() });
      this.rfcs.push(created);
      const linked = this.ideas.find((i) => i.number === b.idea);
      if (linked) Object.assign(linked, { rfcNumber: created.number, updatedAt: Date.now() });
      return [201, { rfc: created }];
    }
    if (method === 'POST' && path === `/guilds/${AGENDA.slug}/queue`) {
      const item = { id: this.agenda.queued.length + 1, text: String(b.text), by: ME, at: Date.now(), carried: 0 };
      this.agenda.queued.push(item);
      return [200, { guild: GUILDS[0], item }];
    }
    if (method === 'GET' && path === '/guilds') return [200, { guilds: GUILDS }];
    if (method === 'GET' && path === `/guilds/${AGENDA.slug}/agenda`) return [200, { agenda: this.agenda }];
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
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': `MMCSRF=${CSRF}; Path=/` });
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
