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
  type GateView,
  type RetroView,
  type RunStatsView,
  type TemplateDocument,
  type TemplateSummaryView,
  TEMPLATE_FORMAT,
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

  retros = new Map<number, RetroView>();
  runStats: RunStatsView[] = [
    { template: 'Product release', kind: 'release', started: 4, finished: 3, medianDuration: 2 * 24 * 60, medianFirstAction: 25, medianApproval: 6 * 60, onTime: { kept: 7, of: 9 } },
    { template: 'Incident (SEV1–2)', kind: 'incident', started: 2, finished: 2, medianDuration: 135, medianFirstAction: 12, medianApproval: null, onTime: { kept: 3, of: 3 } },
  ];
  templates: TemplateSummaryView[] = [
    { slug: 'product-release', name: 'Product release', kind: 'release', version: 1, builtIn: true, items: 9, gates: 3 },
    { slug: 'incident-sev1-2', name: 'Incident (SEV1–2)', kind: 'incident', version: 1, builtIn: true, items: 8, gates: 0 },
  ];

  /** As the sign-off engine counts: holds and open concerns block; the quorum over seats that did not abstain. */
  private static evaluate(gate: GateView): GateView {
    const counted = gate.seats.filter((s) => s.answer !== 'abstain');
    const approvals = counted.filter((s) => s.answer === 'approve').length;
    const needed = gate.quorum.kind === 'all' ? counted.length : gate.quorum.kind === 'majority' ? Math.floor(counted.length / 2) + 1 : (gate.quorum.n ?? 1);
    const blocked = gate.seats.some((s) => s.answer === 'hold') || gate.concerns.some((c) => c.resolvedAt === null);
    const met = !blocked && approvals >= needed && approvals > 0;
    return { ...gate, approvals, needed, state: met || gate.override ? 'passed' : blocked ? 'blocked' : 'waiting' };
  }

  private retroOf(r: RunView): RetroView {
    const retro = this.retros.get(r.number) ?? {
      teamId: TEAM,
      number: r.number,
      reference: r.reference,
      status: r.status,
      ownerId: r.ownerId,
      sections: [
        { title: 'What went well', text: '' },
        { title: 'What to improve', text: '' },
      ],
      publishedAt: null,
      publishedBy: null,
      reminded: false,
    };
    const now = { ...retro, status: r.status, reminded: r.status === 'finished' && retro.publishedAt === null };
    this.retros.set(r.number, now);
    return now;
  }

  /** The sidebar's run actions, as the server answers them. */
  private runActionRoute(route: Route, found: RunView, params: Record<string, string>, b: Json): [number, unknown] | null {
    const byName = (name: string) => Object.values(USERS).find((u) => u.username === name.replace(/^@/, '').toLowerCase());
    if (route === runRoutes.finish) {
      const open = found.checklists.flatMap((l) => l.items).filter((i) => i.gate && i.gate.state !== 'passed');
      if (open.length && typeof b.override !== 'string') return [409, { error: `Gates still open: ${open.map((i) => i.ref).join(', ')}. Get their approvals, or (team admins) \`/run finish --override <reason>\`.` }];
      if (open.length && !this.teamAdmin) return [403, { error: 'Only team admins and system admins can override open gates.' }];
      Object.assign(found, { status: 'finished', finishedAt: Date.now(), finishOverride: open.length ? String(b.override) : null });
      return [200, { run: found }];
    }
    if (route === runRoutes.retro) return [200, { retro: this.retroOf(found) }];
    if (route === runRoutes.writeRetro) {
      const retro = this.retroOf(found);
      if (retro.publishedAt !== null) return [409, { error: 'The retrospective is published; it is the record now and no longer changes.' }];
      const i = Number(b.section) - 1;
      if (!retro.sections[i]) return [404, { error: `There is no retrospective section “${String(b.section)}”.` }];
      retro.sections = retro.sections.map((x, j) => (j === i ? { ...x, text: String(b.text).trim() } : x));
      return [200, { retro }];
    }
    if (route === runRoutes.publishRetro) {
      const retro = this.retroOf(found);
      if (found.status !== 'finished') return [409, { error: 'Finish the run first (`/run finish`); then publish its retrospective.' }];
      Object.assign(retro, { publishedAt: Date.now(), publishedBy: ME, reminded: false });
      return [200, { retro }];
    }
    if (route === runRoutes.addItem) {
      const list = found.checklists[Number(b.checklist) - 1];
      if (!list) return [404, { error: `There is no checklist “${String(b.checklist)}” (say its number or the start of its title).` }];
      const ref = `${Number(b.checklist)}.${list.items.length + 1}`;
      list.items.push({ ref, title: String(b.title), description: '', assignees: [], due: null, command: null, state: 'open', by: null, at: null, gate: null });
      found.progress = progressOf(found);
      return [201, { run: found, ref }];
    }
    const at = found.checklists.flatMap((l, li) => l.items.map((it, ii) => ({ it, li, ii }))).find((x) => x.it.ref === params.ref);
    if (!at) return null;
    const { it } = at;
    const done = () => {
      if (it.gate) {
        it.gate = Backend.evaluate(it.gate);
        Object.assign(it, it.gate.state === 'passed' ? { state: 'done', by: it.by ?? ME, at: it.at ?? Date.now() } : { state: 'open', by: null, at: null });
      }
      found.progress = progressOf(found);
      return [200, { run: found }] as [number, unknown];
    };
    if (route === runRoutes.removeItem) {
      found.checklists[at.li]!.items.splice(at.ii, 1);
      return done();
    }
    if (route === runRoutes.assignItem) {
      const names = b.usernames as string[];
      const unknown = names.filter((n) => !byName(n));
      if (unknown.length) return [400, { error: `Unknown user${unknown.length > 1 ? 's' : ''}: ${unknown.map((n) => `@${n.replace(/^@/, '')}`).join(', ')}.` }];
      it.assignees = names.map((n) => byName(n)!.id);
      return done();
    }
    if (route === runRoutes.dueItem) {
      it.due = b.due === null ? null : Number(b.due);
      return done();
    }
    const gateRoutes: Route[] = [runRoutes.answerGate, runRoutes.raiseConcern, runRoutes.resolveConcern, runRoutes.delegateGate, runRoutes.overrideGate, runRoutes.nameApprovers];
    if (!gateRoutes.includes(route)) return null;
    const gate = it.gate;
    if (!gate) return [409, { error: `Item ${it.ref} is not an approval gate.` }];
    if (route === runRoutes.answerGate) {
      const seat = gate.seats.find((x) => x.userId === ME || x.delegate === ME);
      if (!seat) return [403, { error: "Only the gate's approvers can answer on this gate." }];
      Object.assign(seat, { answer: b.answer, answeredBy: b.answer === null ? null : ME, answeredAt: b.answer === null ? null : Date.now() });
      return done();
    }
    if (route === runRoutes.raiseConcern) {
      const id = gate.concerns.length + 1;
      gate.concerns.push({ id, text: String(b.text), raisedBy: ME, raisedAt: Date.now(), resolvedBy: null, resolvedAt: null });
      const [, answer] = done();
      return [201, { ...(answer as object), concernId: id }];
    }
    if (route === runRoutes.resolveConcern) {
      const concern = gate.concerns.find((c) => c.id === Number(params.concernId));
      if (!concern) return [404, { error: `${it.ref} has no concern #${params.concernId}.` }];
      Object.assign(concern, { resolvedBy: ME, resolvedAt: Date.now() });
      return done();
    }
    if (route === runRoutes.delegateGate) {
      const named = typeof b.to === 'string' ? b.to : null;
      const to = named === null ? null : byName(named);
      if (named !== null && !to) return [400, { error: `Unknown user: @${named.replace(/^@/, '')}.` }];
      const seat = gate.seats.find((x) => x.userId === ME);
      if (!seat) return [403, { error: "Only the gate's approvers can answer on this gate." }];
      seat.delegate = to?.id ?? null;
      return done();
    }
    if (route === runRoutes.nameApprovers) {
      const names = Array.isArray(b.usernames) ? b.usernames.map(String) : [];
      const unknown = names.filter((n) => !byName(n));
      if (unknown.length) return [400, { error: `Unknown user${unknown.length > 1 ? 's' : ''}: ${unknown.map((n) => `@${n.replace(/^@/, '')}`).join(', ')}.` }];
      for (const id of names.map((n) => byName(n)!.id)) {
        if (!gate.seats.some((x) => x.userId === id)) gate.seats.push({ userId: id, groupId: null, delegate: null, answer: null, answeredBy: null, answeredAt: null });
      }
      return done();
    }
    if (route === runRoutes.overrideGate) {
      if (!this.teamAdmin) return [403, { error: 'Only team admins and system admins can override open gates.' }];
      gate.override = { by: ME, at: Date.now(), reason: String(b.reason) };
      return done();
    }
    return null;
  }

  /** Templates (team admins for export and import), as the server answers them. */
  private templateRoute(route: Route, params: Record<string, string>, b: Json): [number, unknown] {
    if (route === runRoutes.templates) return [200, { items: this.templates }];
    if (!this.teamAdmin) return [403, { error: "Only team admins and system admins can change the team's templates." }];
    if (route === runRoutes.exportTemplate) {
      const t = this.templates.find((x) => x.slug === params.slug);
      if (!t) return [404, { error: `There is no template “${params.slug}”.` }];
      const doc: TemplateDocument = {
        format: TEMPLATE_FORMAT,
        version: 1,
        template: {
          name: t.name,
          kind: t.kind,
          description: '',
          checklists: [{ title: 'Prepare', items: [{ title: 'Cut the branch', description: '', assignees: [{ role: 'owner' }], dueMinutes: 60, command: null, approval: null }] }],
          statusUpdateMinutes: null,
          summary: '',
          retrospective: ['What went well'],
          channel: { nameTemplate: '{kind}-{name}', private: false, invite: [] },
          appliesTo: { types: [], severities: [] },
        },
      };
      return [200, doc];
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(b.document));
    } catch {
      return [400, { error: 'The template was not imported: document: not JSON.' }];
    }
    const title = typeof parsed === 'object' && parsed !== null ? ((parsed as { title?: unknown; template?: { name?: unknown } }).title ?? (parsed as { template?: { name?: unknown } }).template?.name) : undefined;
    if (typeof title !== 'string') return [400, { error: 'The template was not imported: title: expected text.' }];
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const existing = this.templates.find((t) => t.slug === slug);
    const template: TemplateSummaryView = { slug, name: title, kind: 'release', version: (existing?.version ?? 0) + 1, builtIn: false, items: 2, gates: 0 };
    this.templates = [...this.templates.filter((t) => t !== existing), template];
    const fromPlaybooks = b.source === 'playbooks';
    return [201, { template, carriedOver: fromPlaybooks ? ['checklists', 'items', 'assignees'] : [], notCarried: fromPlaybooks ? ['conditional tasks (Enterprise): left out', '@ghost: no such user in this team — left out of 1.2'] : [] }];
  }

  /** The run routes, as the server answers them (an approval item is done by its gate, never by hand). */
  private runRoute(route: Route, params: Record<string, string>, b: Json): [number, unknown] {
    if (route === runRoutes.list) return [200, { items: this.runs.map(({ checklists: _, ...summary }) => summary), nextCursor: null }];
    if (route === runRoutes.stats) return [200, { items: this.runStats }];
    if (route === runRoutes.templates || route === runRoutes.exportTemplate || route === runRoutes.importTemplate) return this.templateRoute(route, params, b);
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
    const acted = this.runActionRoute(route, found, params, b);
    if (acted) return acted;
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
      const all = [...this.incidents.values()].filter((i) => query.state === 'all' || !query.state || i.phase === query.state);
      if (query.sort === 'severity') all.sort((a, b) => a.severity - b.severity || b.number - a.number);
      // Pages as the server pages (its cursors are opaque to the webapp; an offset stands in here).
      const from = Number(query.cursor ?? 0);
      const perPage = Number(query.per_page ?? 20);
      const items = all.slice(from, from + perPage);
      return [200, { items, nextCursor: from + perPage < all.length ? String(from + perPage) : null }];
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
      // The referer tells which page asked: a page left behind may still have a batch in flight.
      const headers = { 'x-csrf-token': Array.isArray(header) ? header.join(',') : header, 'x-requested-with': undefined, 'content-type': undefined, referer: req.headers.referer };
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: {}, headers, body: ids });
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
