/**
 * Issue 12's real-server benchmark at scale: one rig (PostgreSQL + Mattermost + the plugin from
 * dist/), one team seeded through the plugin's API to 1%, 10% and 100% of 10,000 ideas, 2,000
 * incidents, 500 RFCs, 50 guilds and 200 runs ("1x / 10x / 100x"). At each size every page is timed
 * side by side (interleaved, one call each in turn, so drift on a shared machine hits both alike)
 * with Mattermost's own `GET /api/v4/channels/:id/posts?per_page=20`, and at full size the writes
 * with `POST /api/v4/posts`. KV round trips per request come from the plugin's own count
 * (`X-Infra-Ops-KV-Calls`, shared/call_count.ts; commands have no headers, so `/infra owe` is also
 * measured over its HTTP twin). The plugin process's RSS is read idle, after each size, and after
 * each of three rounds at full size. After each write's samples the bench waits until the plugin is
 * quiet: the work writes leave for after their answer is counted in their CPU, and timed apart.
 *
 * `INFRA_OPS_BENCH_SCALE` (default 1) scales the team for a quick run, e.g. 0.1; names carry the
 * sizes actually seeded. Uses INFRA_OPS_E2E_BUNDLE or the newest dist/infra-ops-*.tar.gz.
 */
import type { Rig } from '../../e2e/rig';
import { INCIDENTS_SIDEBAR_PAGE } from '../../server/src/product/contract/incidents';
import { onRealServer } from '../real_server';
import { percentile, type BenchResult } from '../result';
import { Http, type Timed } from './http';
import { cpuMs, idleShare, pluginPid, untilQuiet } from './cpu';
import { pluginMemory } from './rss';
import { FULL, type Scale, scaled, Seeder } from './seed';

const WARMUP = 3;
const LEVEL_SAMPLES = 20;
const ROUND_SAMPLES = 20;
const ROUNDS = 3;

/**
 * What the sidebar's incidents tab asks when it opens (webapp/src/components/incidents_tab.tsx):
 * its first page of active incidents, most severe first.
 */
const SIDEBAR_FIRST_LOAD = `incidents?state=active&sort=severity&per_page=${INCIDENTS_SIDEBAR_PAGE}`;

interface Probe {
  name: string;
  call: (i: number) => Promise<Timed>;
  expect: number;
  /** Measured at 1x and 10x too (the others at full size only). */
  everySize?: boolean;
}

interface Sampled {
  ours: number[];
  base: number[];
  kv: number[];
  server: number[];
  /** The plugin process's CPU time over the timed calls (ms; ours and the baseline's) … */
  cpuMs: number;
  /** … and how many of our calls that covers. */
  calls: number;
  /**
   * Writes only: what the plugin still did after the last answer until it was quiet again (the
   * work writes leave for after their answer, shared/after_answer.ts): its CPU time and how long.
   */
  after?: { cpuMs: number; ms: number };
}

const log = (line: string): void => void process.stderr.write(`scale: ${line}\n`);

export default async function bench(): Promise<BenchResult[]> {
  const factor = Number(process.env.INFRA_OPS_BENCH_SCALE ?? '1');
  if (!(factor > 0 && factor <= 1)) throw new Error(`INFRA_OPS_BENCH_SCALE must be in (0, 1], not ${process.env.INFRA_OPS_BENCH_SCALE}`);
  return onRealServer((rig) => scaleBench(rig, scaled(FULL, factor)));
}

async function scaleBench(rig: Rig, full: Scale): Promise<BenchResult[]> {
  const [alice, bob] = rig.users;
  if (!alice || !bob) throw new Error('the rig needs two users');
  const http = new Http(rig);
  const results: BenchResult[] = [];
  const team = `/teams/${rig.team.id}`;
  /** `parts`: also what of it is private (anonymous) and what is the executable's pages (file-backed). */
  const rss = async (label: string, parts = false): Promise<void> => {
    const memory = await pluginMemory(rig);
    log(`RSS ${label}: ${memory.rss.toFixed(1)} MiB (anonymous ${memory.anonymous.toFixed(1)}, file-backed ${memory.fileBacked.toFixed(1)})`);
    results.push({ name: `scale: plugin process RSS, ${label}`, value: memory.rss, unit: 'MiB' });
    if (!parts) return;
    results.push({ name: `scale: plugin process RSS, ${label}: anonymous part`, value: memory.anonymous, unit: 'MiB' });
    results.push({ name: `scale: plugin process RSS, ${label}: file-backed part`, value: memory.fileBacked, unit: 'MiB' });
  };

  await rss('idle (activated, nothing served)', true);
  const pid = await pluginPid(rig);
  // Seeding leaves after-answer work queued (cards, posts, DMs): wait it out, and say how long.
  const quiet = async (label: string): Promise<void> => {
    const q = await untilQuiet(pid);
    log(`quiet ${label} after ${(q.waitedMs / 1000).toFixed(1)} s (${(q.share * 100).toFixed(1)}% of a core)`);
    results.push({ name: `scale: plugin busy after ${label} (until under 5% of a core)`, value: q.waitedMs / 1000, unit: 's' });
  };
  const idle = async (label: string): Promise<void> => {
    const share = await idleShare(pid);
    log(`idle CPU ${label}: ${(share * 100).toFixed(1)}% of a core`);
    results.push({ name: `scale: plugin CPU while nothing is asked, ${label}`, value: share * 100, unit: '% of a core' });
  };
  const seeder = new Seeder(rig, alice, bob);
  await seeder.prepare();
  const channel = seeder.ideaChannels[0]!;

  const postsPage: Probe = { name: 'posts page', call: () => http.mattermost(alice, 'GET', `/channels/${channel}/posts?per_page=20`), expect: 200 };
  const createPost: Probe = { name: 'create post', call: (i) => http.mattermost(alice, 'POST', '/posts', { channel_id: channel, message: `bench post ${i}` }), expect: 201 };
  // Every page measured, in one list: the main ones at every size, the rest at full size.
  const pages: Probe[] = [
    { name: 'PICK channel page (GET …/ideas?channel_id)', call: () => http.plugin(alice, 'GET', `${team}/ideas?channel_id=${channel}`), expect: 200, everySize: true },
    { name: 'PICK team page (GET …/ideas)', call: () => http.plugin(alice, 'GET', `${team}/ideas`), expect: 200, everySize: true },
    { name: '/pick board (command)', call: () => http.command(alice, channel, '/pick board'), expect: 200, everySize: true },
    { name: '/infra owe (command)', call: () => http.command(alice, channel, '/infra owe'), expect: 200, everySize: true },
    { name: '/infra owe over HTTP (GET …/owe)', call: () => http.plugin(alice, 'GET', `${team}/owe`), expect: 200, everySize: true },
    { name: 'incident list (GET …/incidents)', call: () => http.plugin(alice, 'GET', `${team}/incidents`), expect: 200, everySize: true },
    { name: 'incident metrics (GET …/incidents/metrics)', call: () => http.plugin(alice, 'GET', `${team}/incidents/metrics`), expect: 200 },
    { name: 'RFC list (GET …/rfcs)', call: () => http.plugin(alice, 'GET', `${team}/rfcs`), expect: 200 },
    { name: 'guild list (GET …/guilds)', call: () => http.plugin(alice, 'GET', `${team}/guilds`), expect: 200 },
    { name: 'guild agenda (GET …/guilds/:slug/agenda)', call: () => http.plugin(alice, 'GET', `${team}/guilds/${seeder.guildSlugs[0]}/agenda`), expect: 200 },
    { name: 'runs list (GET …/runs)', call: () => http.plugin(alice, 'GET', `${team}/runs`), expect: 200 },
    { name: "a run's checklist (GET …/runs/:n)", call: () => http.plugin(alice, 'GET', `${team}/runs/${seeder.runNumbers[0]}`), expect: 200 },
    { name: `sidebar's first load (GET …/${SIDEBAR_FIRST_LOAD})`, call: () => http.plugin(alice, 'GET', `${team}/${SIDEBAR_FIRST_LOAD}`), expect: 200 },
    // Not ours: Mattermost's own answer to "which channels of the team is the reader in", the list a
    // page past CHANNELS_BEFORE_MEMBERSHIP_LIST channels asks for (shared/access/policy.ts). It
    // grows with the reader's channels, so it is the floor under owe, metrics and the sidebar.
    // The floor under every command: a slash command that answers at once, no KV read, no access
    // question (Mattermost's command path: lookup, permission, the RPC, the ephemeral answer).
    { name: 'a command that answers at once (/pick help)', call: () => http.command(alice, channel, '/pick help'), expect: 200 },
    {
      name: "Mattermost's own list of the reader's channels (GET /api/v4/users/:id/teams/:id/channels)",
      call: () => http.mattermost(alice, 'GET', `/users/${alice.id}/teams/${rig.team.id}/channels`),
      expect: 200,
      everySize: true,
    },
  ];
  const writes = (): Probe[] => {
    // An idea alice has not scored and bob has not either (i % 4 === 2): it stays unrevealed.
    const idea = seeder.ideaNumbers[2]!;
    return [
      { name: 'score an idea (POST …/ideas/:n/score)', call: (i) => http.plugin(alice, 'POST', `${team}/ideas/${idea}/score`, { payoff: 1 + (i % 10), cost: 10 - (i % 10) }), expect: 200 },
      { name: 'post a status update (POST …/incidents/:n/status)', call: (i) => http.plugin(alice, 'POST', `${team}/incidents/${seeder.incidentNumbers[0]}/status`, { text: `Still working on it (${i})` }), expect: 200 },
      { name: 'check an item (POST …/runs/:n/items/1.1)', call: (i) => http.plugin(alice, 'POST', `${team}/runs/${seeder.runNumbers[0]}/items/1.1`, { action: i % 2 === 0 ? 'check' : 'uncheck' }), expect: 200 },
    ];
  };

  const levels: Array<[string, number]> = [['1x', 0.01], ['10x', 0.1], ['100x', 1]];
  for (const [level, share] of levels) {
    const target = scaled(full, share);
    // The sizes seeded, in every figure's name (INFRA_OPS_BENCH_SCALE may have scaled them down).
    const label = `${level} (${target.ideas.toLocaleString('en-US')} ideas)`;
    const took = await seeder.to(target, log);
    const seconds = Object.values(took).reduce((a, b) => a + b, 0) / 1000;
    results.push({ name: `scale ${level}: seeding up to ${describe(target)} through the API (this step)`, value: seconds, unit: 's' });
    await quiet(`seeding ${label}`);
    if (level !== '100x') {
      for (const page of pages.filter((p) => p.everySize)) results.push(...report(`scale ${label}: ${page.name}`, await sideBySide(http, pid, page, postsPage, LEVEL_SAMPLES), 'GET /api/v4/channels/:id/posts?per_page=20'));
      await rss(`after ${label} seeded and served`);
      continue;
    }
    // Full size: three rounds of every page and write; RSS after each.
    const pooled = new Map<string, Sampled>();
    const add = (name: string, s: Sampled): void => {
      const into = pooled.get(name) ?? { ours: [], base: [], kv: [], server: [], cpuMs: 0, calls: 0 };
      into.ours.push(...s.ours);
      into.base.push(...s.base);
      into.kv.push(...s.kv);
      into.server.push(...s.server);
      into.cpuMs += s.cpuMs;
      into.calls += s.calls;
      if (s.after) into.after = { cpuMs: (into.after?.cpuMs ?? 0) + s.after.cpuMs, ms: (into.after?.ms ?? 0) + s.after.ms };
      pooled.set(name, into);
    };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const page of pages) add(page.name, await sideBySide(http, pid, page, postsPage, ROUND_SAMPLES));
      for (const write of writes()) {
        const sampled = await sideBySide(http, pid, write, createPost, ROUND_SAMPLES);
        // Pages and the next write are not timed against this write's queued work, and its CPU counts.
        const drained = await untilQuiet(pid);
        add(write.name, { ...sampled, after: { cpuMs: drained.busyCpuMs, ms: drained.waitedMs } });
      }
      await rss(`after round ${round} of ${ROUNDS} at ${label}`, round === ROUNDS);
      await idle(`after round ${round} of ${ROUNDS} at ${label}`);
    }
    for (const page of pages) results.push(...report(`scale ${label}: ${page.name}`, pooled.get(page.name)!, 'GET /api/v4/channels/:id/posts?per_page=20'));
    for (const write of writes()) results.push(...report(`scale ${label}: ${write.name}`, pooled.get(write.name)!, 'POST /api/v4/posts'));
  }
  return results;
}

/**
 * `n` timed calls of `probe`, each followed by one of `baseline`, after a few untimed ones. The
 * untimed ones ask for the plugin's round trips; the timed ones do not, so the plugin serves them
 * as it serves users (counting costs it CPU on every promise, shared/call_count.ts).
 */
async function sideBySide(http: Http, pid: number, probe: Probe, baseline: Probe, n: number): Promise<Sampled> {
  const sampled: Sampled = { ours: [], base: [], kv: [], server: [], cpuMs: 0, calls: n };
  let cpuBefore = 0;
  for (let i = 0; i < WARMUP + n; i++) {
    http.countCalls = i < WARMUP;
    if (i === WARMUP) cpuBefore = cpuMs(pid);
    const ours = await probe.call(i);
    if (ours.status !== probe.expect) throw new Error(`${probe.name} answered ${ours.status}: ${ours.body.slice(0, 300)}`);
    const base = await baseline.call(i);
    if (base.status !== baseline.expect) throw new Error(`${baseline.name} answered ${base.status}: ${base.body.slice(0, 300)}`);
    if (i < WARMUP) {
      if (ours.kvCalls !== null) sampled.kv.push(ours.kvCalls);
      if (ours.serverCalls !== null) sampled.server.push(ours.serverCalls);
      continue;
    }
    sampled.ours.push(ours.ms);
    sampled.base.push(base.ms);
  }
  http.countCalls = true;
  sampled.cpuMs = cpuMs(pid) - cpuBefore;
  return sampled;
}

function report(name: string, s: Sampled, baseline: string): BenchResult[] {
  const rows: BenchResult[] = [
    { name: `${name} p50 (vs ${baseline})`, value: percentile(s.ours, 50), unit: 'ms', baseline: percentile(s.base, 50) },
    { name: `${name} p95 (vs ${baseline})`, value: percentile(s.ours, 95), unit: 'ms', baseline: percentile(s.base, 95) },
  ];
  // The most any one request needed (they should all need the same).
  if (s.kv.length > 0) rows.push({ name: `${name} KV round trips per request`, value: Math.max(...s.kv), unit: 'calls' });
  // Channels, memberships, permissions, posts: each an RPC too, and what a page's access checks cost.
  if (s.server.length > 0) rows.push({ name: `${name} other server round trips per request`, value: Math.max(...s.server), unit: 'calls' });
  // What the plugin's CPU spent per call, its baseline's share (a post runs the plugin's hooks) included.
  rows.push({ name: `${name} plugin CPU per request (baseline's share included)`, value: s.cpuMs / s.calls, unit: 'ms' });
  if (s.after) {
    rows.push({ name: `${name} plugin CPU per request, its after-answer work included`, value: (s.cpuMs + s.after.cpuMs) / s.calls, unit: 'ms' });
    rows.push({ name: `${name} after-answer work left running after a round (until under 5% of a core)`, value: s.after.ms / 1000 / ROUNDS, unit: 's' });
  }
  return rows;
}

function describe(s: Scale): string {
  return `${s.ideas} ideas, ${s.incidents} incidents, ${s.rfcs} RFCs, ${s.guilds} guilds, ${s.runs} runs`;
}
