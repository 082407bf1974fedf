// The built webapp/dist/main.js in Debian's Chromium, inside the harness host (webapp/harness):
// registration, the sidebar, the PICK chart's geometry in real pixels, the incident card from
// post props and live state, websocket updates, the declare form's POST with the CSRF token, post
// menu actions, slash-command hooks, keyboard use, light and dark screenshots, and uninitialize.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { BOB, CSRF, OFFTOPIC, TEAM, TOWN, incident, mmId } from '../harness/fixtures';
import { startHarnessServer, type HarnessServer } from '../harness/server';
import { MIN_SCORES_TO_REVEAL } from './contract';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const webapp = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(webapp, '..');
const mainJs = join(webapp, 'dist', 'main.js');
const SCREENSHOTS = process.env.INFRA_OPS_SCREENSHOTS ?? join(tmpdir(), 'infra-ops-screenshots');

/** Newest modification time under a folder (the bundle is rebuilt when sources are newer). */
function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    latest = Math.max(latest, st.isDirectory() ? newest(path) : st.mtimeMs);
  }
  return latest;
}

function ensureBundle(): void {
  if (existsSync(mainJs) && statSync(mainJs).mtimeMs >= newest(join(webapp, 'src'))) return;
  const run = spawnSync(process.execPath, [join(repo, 'node_modules', 'webpack-cli', 'bin', 'cli.js'), '--config', join(webapp, 'webpack.config.js')], {
    cwd: repo,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `webpack failed:\n${run.stdout}\n${run.stderr}`);
}

async function hostBundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(webapp, 'harness', 'host.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    jsx: 'transform',
    // React's development build: its warnings (keys, hooks, act) reach the console check below.
    define: { 'process.env.NODE_ENV': '"development"' },
    tsconfig: join(webapp, 'tsconfig.json'),
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Locally a missing browser skips the suite; in CI (CI=true, .ci/run installs chromium) it is a failure.
if (!existsSync(CHROMIUM) && process.env.CI === 'true') throw new Error(`${CHROMIUM} missing: .ci/run must install chromium`);
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} missing (apt-get install -y chromium)`;

describe('webapp in Chromium', { skip }, () => {
  let server: HarnessServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const consoleProblems: string[] = [];

  const rhs = () => page.getByTestId('infra-ops-rhs');
  const open = async (query = '') => {
    await page.goto(`${server.url}/mm/harness.html${query}`);
    await page.waitForFunction(() => window.harness?.ready === true);
  };
  const tab = (name: string) => rhs().getByRole('tab', { name });
  const requestsTo = (method: string, path: string) => server.requests.filter((r) => r.method === method && r.path === path);
  /** Waits (up to 5 s) for a condition on what the page has asked the server. */
  const until = async (what: string, done: () => boolean) => {
    for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(done(), what);
  };

  before(async () => {
    ensureBundle();
    const hostJs = await hostBundle();
    server = await startHarnessServer({ hostJs, mainJs: () => readFileSync(mainJs, 'utf8') });
    profile = mkdtempSync(join(tmpdir(), 'infra-ops-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 860 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
    // Expected failures: the card of an incident this user may no longer see (404) and the favicon.
    const expected404 = [`/channels/${mmId('inc040')}/incident`, '/favicon.ico'];
    page.on('console', (m) => {
      if (m.type() !== 'error' && m.type() !== 'warning') return;
      if (m.text().includes('status of 404') && expected404.some((p) => m.location().url.endsWith(p))) return;
      consoleProblems.push(`${m.type()}: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
    await open();
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('loads main.js and registers every part with the host', async () => {
    const counts = await page.evaluate(() => window.harness.registeredCounts());
    assert.deepEqual(counts, { rhs: 1, appBar: 1, headerButtons: 0, slashHooks: 1, postMenu: 2, postTypes: 1, socket: 6, reconnect: 1 });
    const events = await page.evaluate(() => window.harness.socketEvents());
    assert.deepEqual(events, [
      'custom_infra-ops_guild_changed',
      'custom_infra-ops_incident_declared',
      'custom_infra-ops_incident_updated',
      'custom_infra-ops_pick_board_opened',
      'custom_infra-ops_pick_idea_changed',
      'custom_infra-ops_rfc_changed',
    ]);
  });

  it('opens the sidebar from the App Bar with active incidents, most severe first', async () => {
    await page.getByRole('button', { name: 'Infra Ops', exact: true }).click();
    await rhs().waitFor();
    assert.equal(await tab('Incidents').getAttribute('aria-selected'), 'true');
    const items = rhs().getByRole('list', { name: 'Active incidents' }).locator('li');
    await items.nth(1).waitFor();
    const texts = await items.allInnerTexts();
    assert.match(texts[0]!, /INC-041 Payments failing/);
    assert.match(texts[0]!, /commander @bob/);
    assert.match(texts[1]!, /INC-042 Database latency/);
    await rhs().getByTestId('incident-metrics').waitFor();
    assert.equal(
      await rhs().getByTestId('incident-metrics').innerText(),
      'Last 90 days: 7 incidents · median MTTA 12m · median MTTR 2h 15m · 4 open follow-ups · 1 awaiting review',
    );
    const [list] = requestsTo('GET', `/teams/${TEAM}/incidents`);
    assert.equal(list?.query.state, 'active');
    assert.equal(list?.headers['x-requested-with'], 'XMLHttpRequest');
  });

  it('draws each PICK idea inside the quadrant its scores put it in', async () => {
    await tab('PICK').click();
    const points = rhs().locator('circle[data-idea-id]');
    await points.nth(4).waitFor();
    assert.equal(await points.count(), 5);
    // Independent of the code under test: payoff/cost medians from the fixtures, threshold 5.5.
    const expected: Record<string, string> = { 1: 'implement', 2: 'challenge', 3: 'possible', 4: 'kill', 6: 'challenge' };
    for (let i = 0; i < 5; i++) {
      const point = points.nth(i);
      const number = (await point.getAttribute('data-idea-id'))!.split(':')[1]!;
      const quadrant = expected[number]!;
      assert.equal(await point.getAttribute('data-quadrant'), quadrant, `IDEA-${number}`);
      const p = (await point.boundingBox())!;
      const q = (await rhs().locator(`g[data-quadrant="${quadrant}"] rect`).boundingBox())!;
      const cx = p.x + p.width / 2;
      const cy = p.y + p.height / 2;
      assert.ok(cx >= q.x && cx <= q.x + q.width && cy >= q.y && cy <= q.y + q.height, `IDEA-${number} centre (${cx},${cy}) inside ${quadrant} ${JSON.stringify(q)}`);
    }
    await rhs().locator(`circle[data-idea-id="${TEAM}:2"]`).hover();
    const details = await rhs().getByTestId('pick-details').innerText();
    assert.match(details, /IDEA-2 Multi-region failover: Challenge/);
    assert.match(details, /disputed/);
    assert.match(await rhs().getByRole('list', { name: 'Ideas being scored' }).innerText(), /IDEA-5 Adopt OpenTelemetry/);
    // A Challenge idea offers an RFC; the server links them.
    await rhs().locator(`circle[data-idea-id="${TEAM}:2"]`).click();
    await rhs().getByRole('button', { name: 'Open an RFC' }).click();
    await rhs().getByText('RFC-009 opened for IDEA-2.').waitFor();
    assert.deepEqual(requestsTo('POST', `/teams/${TEAM}/rfcs`)[0]?.body, { title: 'Multi-region failover', channel_id: TOWN, idea: 2 });
    await rhs().getByText(/Challenge · wide spread: discuss · RFC-009/).waitFor();
    assert.equal(await rhs().getByRole('button', { name: 'Open an RFC' }).count(), 0);
    const [board] = requestsTo('GET', `/teams/${TEAM}/ideas`);
    assert.equal(board?.query.channel_id, TOWN);
  });

  it('is usable from the keyboard: tabs by arrow keys, chart points by Tab', async () => {
    await tab('PICK').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await tab('RFCs').getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'RFCs');
    const rfcs = rhs().getByRole('list', { name: 'RFCs' });
    await rfcs.locator('li').first().waitFor();
    const rfcText = await rfcs.innerText();
    assert.match(rfcText, /RFC-007 Adopt OpenTelemetry for tracing/);
    assert.match(rfcText, /1\/2 sign-offs · 5 days left · 1 open concern/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await rhs().screenshot({ path: join(SCREENSHOTS, 'light-rfcs.png') });
    await page.keyboard.press('ArrowRight');
    assert.equal(await tab('Guilds').getAttribute('aria-selected'), 'true');
    const guild = rhs().locator('li[data-guild="reliability-engineering-guild"]');
    await guild.getByRole('button', { name: 'Agenda' }).click();
    await guild.getByRole('list', { name: 'Agenda of Reliability Engineering Guild' }).waitFor();
    assert.match(await guild.innerText(), /INC-039 DNS outage[\s\S]*SEV1 · MTTR 1h 12m · 2 open follow-ups/);
    await guild.getByLabel('Add to the agenda of Reliability Engineering Guild').fill('Pager fatigue');
    await page.keyboard.press('Enter');
    await guild.getByText('Q2 Pager fatigue').waitFor();
    assert.deepEqual(requestsTo('POST', `/teams/${TEAM}/guilds/reliability-engineering-guild/queue`)[0]?.body, { text: 'Pager fatigue' });
    await rhs().screenshot({ path: join(SCREENSHOTS, 'light-guilds.png') });
    assert.match(await rhs().locator('li[data-guild="infrastructure-guild"]').innerText(), /inactive until an admin gives it a channel/);
    const sync = rhs().locator('li[data-guild="platform-sync"]');
    assert.match(await sync.innerText(), /run by @bob/, 'its facilitators are named');
    assert.equal(await sync.getByRole('button', { name: 'Delete', exact: true }).count(), 1, 'its creator may delete it');
    assert.equal(await guild.getByRole('button', { name: 'Delete', exact: true }).count(), 0, 'a handbook guild made by no one here is not offered for deletion');
    await tab('Guilds').focus();
    await page.keyboard.press('Home');
    assert.equal(await tab('Incidents').getAttribute('aria-selected'), 'true');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await tab('PICK').getAttribute('aria-selected'), 'true');
    await rhs().locator('circle[data-idea-id]').first().waitFor();
    // Tab from the tab list reaches the chart's points (after the panel's own few controls).
    let focused = '';
    for (let i = 0; i < 6 && !/^IDEA-\d+ /.test(focused); i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement?.tagName === 'circle' ? (document.activeElement.getAttribute('aria-label') ?? '') : ''));
    }
    assert.match(focused, /^IDEA-\d+ /, 'a chart point takes focus and names itself');
    assert.match(await rhs().getByTestId('pick-details').innerText(), new RegExp(focused.slice(0, 10)), 'focus shows the details');
    await page.keyboard.press('Enter');
  });

  it('deletes a guild it made after asking, then fetches the list again (a delete sends no event)', async () => {
    await tab('Guilds').click();
    const sync = rhs().locator('li[data-guild="platform-sync"]');
    await sync.waitFor();
    await sync.getByRole('button', { name: 'Delete', exact: true }).click();
    await sync.getByRole('button', { name: 'Keep it' }).click();
    assert.equal(requestsTo('DELETE', `/teams/${TEAM}/guilds/platform-sync`).length, 0, 'nothing is deleted without the second click');
    const lists = requestsTo('GET', `/teams/${TEAM}/guilds`).length;
    await sync.getByRole('button', { name: 'Delete', exact: true }).click();
    await sync.getByRole('button', { name: 'Delete Platform Sync' }).click();
    await sync.waitFor({ state: 'detached' });
    await rhs().getByText('Deleted Platform Sync.').waitFor();
    const [deleted] = requestsTo('DELETE', `/teams/${TEAM}/guilds/platform-sync`);
    assert.equal(deleted?.headers['x-csrf-token'], CSRF);
    assert.equal(requestsTo('GET', `/teams/${TEAM}/guilds`).length, lists + 1, 'the list was fetched again');
    assert.equal(await rhs().locator('li[data-guild]').count(), 2);
    await rhs().getByRole('button', { name: 'Dismiss' }).click();
  });

  it('fetches an RFC an rfc_changed notice names, and lists again when the channel changes', async () => {
    await tab('RFCs').click();
    const item = rhs().locator(`li[data-rfc-id="${TEAM}:7"]`);
    await item.waitFor();
    // Someone accepts RFC-007: the server has the new state, the channel gets a small notice.
    const rfc7 = server.backend.rfcs.find((r) => r.number === 7)!;
    Object.assign(rfc7, { status: 'accepted', updatedAt: Date.now() });
    await page.evaluate(
      (payload) => window.harness.fireWebSocket('custom_infra-ops_rfc_changed', payload),
      { rfc: { teamId: TEAM, number: 7, reference: 'RFC-007', status: 'accepted', updatedAt: rfc7.updatedAt } },
    );
    await item.getByText('Accepted', { exact: true }).waitFor();
    assert.equal(requestsTo('GET', `/teams/${TEAM}/rfcs/7`).length, 1, 'the RFC was fetched as this user sees it');

    // Events reach only a record's channel: moving to another channel fetches the lists again.
    const rfcLists = requestsTo('GET', `/teams/${TEAM}/rfcs`).length;
    await page.evaluate((id) => window.harness.switchChannel(id), OFFTOPIC);
    await until('the RFC list is fetched again', () => requestsTo('GET', `/teams/${TEAM}/rfcs`).length === rfcLists + 1);
    await tab('PICK').click();
    await until('the board of the new channel is fetched', () => requestsTo('GET', `/teams/${TEAM}/ideas`).some((r) => r.query.channel_id === OFFTOPIC));
    const boards = requestsTo('GET', `/teams/${TEAM}/ideas`).length;
    await page.evaluate((id) => window.harness.switchChannel(id), TOWN);
    await until('the board is fetched again', () => requestsTo('GET', `/teams/${TEAM}/ideas`).length === boards + 1);
    assert.equal(requestsTo('GET', `/teams/${TEAM}/ideas`).at(-1)?.query.channel_id, TOWN);
    await rhs().locator('circle[data-idea-id]').nth(4).waitFor();
  });

  it('renders the incident card from post props, then the live state from the server', async () => {
    const live = page.locator(`.post[data-post-id="${mmId('postcard42')}"] [role="article"][data-live="true"]`);
    await live.waitFor();
    const liveText = await live.innerText();
    assert.match(liveText, /INC-042: Database latency/);
    assert.match(liveText, /Latest update\s*Failover to the replica complete/);
    assert.match(liveText, /Scribe\s*@bob/, 'role holders named from the host store');
    // INC-040 is not visible to this user any more (404): the card stays as posted, from props.
    const posted = page.locator(`.post[data-post-id="${mmId('postcard40')}"] [role="article"]`);
    await posted.getByText(/live state unavailable/).waitFor();
    const postedText = await posted.innerText();
    assert.match(postedText, /INC-040: Queue backlog/);
    assert.match(postedText, /Resolved/);
    assert.match(postedText, /SEV3 · Minor/);
    assert.equal(await posted.getAttribute('data-live'), 'false');
  });

  it('applies websocket events to the card, the incident list and the chart', async () => {
    await tab('Incidents').click();
    await page.evaluate(
      (payload) => window.harness.fireWebSocket('custom_infra-ops_incident_updated', payload),
      { change: 'severity', incident: incident(42, { severity: 1, severityLabel: 'Critical', updatedAt: Date.now(), lastUpdate: { text: 'Root cause: connection pool exhausted', at: Date.now(), by: BOB } }) },
    );
    const card = page.locator(`.post[data-post-id="${mmId('postcard42')}"] [role="article"]`);
    await card.getByText('Root cause: connection pool exhausted').waitFor();
    assert.match(await card.innerText(), /SEV1 · Critical/);
    const first = rhs().getByRole('list', { name: 'Active incidents' }).locator('li').first();
    await first.getByText(/INC-042/).waitFor();
    await page.evaluate(
      (payload) => window.harness.fireWebSocket('custom_infra-ops_pick_idea_changed', payload),
      {
        idea: {
          teamId: TEAM, number: 5, reference: 'IDEA-5', channelId: TOWN, title: 'Adopt OpenTelemetry', ownerId: BOB, createdAt: 1, updatedAt: Date.now(),
          status: 'revealed', round: 1, askedCount: 4, scoredCount: 4, rfcNumber: null, archived: null, history: [], viewer: null,
          revealed: { round: 1, payoff: { median: 7, q1: 6, q3: 8, iqr: 2 }, cost: { median: 4, q1: 3, q3: 5, iqr: 2 }, count: 4, quadrant: 'implement', disputed: false, threshold: 5.5, revealedAt: Date.now(), revealedBy: null },
        },
      },
    );
    await tab('PICK').click();
    await rhs().locator(`circle[data-idea-id="${TEAM}:5"][data-quadrant="implement"]`).waitFor();
    assert.equal(await rhs().locator('circle[data-idea-id]').count(), 6);
  });

  it('reloads what is on screen after the websocket reconnects', async () => {
    await tab('Incidents').click();
    const before = requestsTo('GET', `/teams/${TEAM}/incidents`).length;
    await page.evaluate(() => window.harness.reconnect());
    for (let i = 0; i < 50 && requestsTo('GET', `/teams/${TEAM}/incidents`).length === before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(requestsTo('GET', `/teams/${TEAM}/incidents`).length, before + 1, 'the incident list was fetched again');
  });

  it('opens an incident from the card and posts a status update and a milestone', async () => {
    const card = page.locator(`.post[data-post-id="${mmId('postcard42')}"] [role="article"]`);
    await card.getByRole('button', { name: 'Open in Infra Ops sidebar' }).click();
    const detail = rhs().getByRole('region', { name: /INC-042/ });
    await detail.getByRole('list', { name: 'Timeline' }).getByText('Declared INC-042').waitFor();
    await detail.getByLabel('Status update').fill('Pool size raised; latency recovering');
    await detail.getByRole('button', { name: 'Post update' }).click();
    await detail.getByTestId('latest-update').getByText('Pool size raised; latency recovering').waitFor();
    await detail.getByRole('list', { name: 'Timeline' }).getByText('Pool size raised; latency recovering').waitFor();
    await card.getByText('Pool size raised; latency recovering').waitFor();
    const [status] = requestsTo('POST', `/teams/${TEAM}/incidents/42/status`);
    assert.deepEqual(status?.body, { text: 'Pool size raised; latency recovering' });
    assert.equal(status?.headers['x-csrf-token'], CSRF);
    await detail.getByRole('button', { name: 'Mark mitigated now' }).click();
    await detail.getByRole('button', { name: 'Mark mitigated now' }).waitFor({ state: 'detached' });
    assert.deepEqual(requestsTo('POST', `/teams/${TEAM}/incidents/42/milestones`)[0]?.body, { milestone: 'mitigated' });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'light-incident.png') });
    await detail.getByRole('button', { name: '← All incidents' }).click();
  });

  it('declares an incident from the sidebar form, posting with the CSRF token', async () => {
    const result = await page.evaluate(() => window.harness.slash('/incident declare'));
    assert.deepEqual(result, {}, 'the command is replaced by the form');
    const form = rhs().getByRole('form', { name: 'Declare an incident' });
    await form.waitFor();
    await form.getByLabel('Title').fill('Checkout API 500s');
    await form.getByLabel('Severity').selectOption('1');
    await form.getByLabel('Summary').fill('Error rate 12% since 10:02');
    await form.getByRole('button', { name: 'Declare' }).click();
    await rhs().getByTestId('declared').waitFor();
    assert.match(await rhs().getByTestId('declared').innerText(), /INC-043 declared\. Go to ~inc-043-checkout-api-500s/);
    const [post] = requestsTo('POST', `/teams/${TEAM}/incidents`);
    assert.ok(post, 'the form posted');
    assert.equal(post.headers['x-csrf-token'], CSRF);
    assert.equal(post.headers['x-requested-with'], 'XMLHttpRequest');
    assert.equal(post.headers['content-type'], 'application/json');
    assert.deepEqual(post.body, { title: 'Checkout API 500s', severity: 1, summary: 'Error rate 12% since 10:02', private: true });
    assert.match(await rhs().getByRole('list', { name: 'Active incidents' }).innerText(), /INC-043 Checkout API 500s/);
  });

  it('offers post menu actions: declare from a message, add it as a PICK idea', async () => {
    const post = page.locator(`.post[data-post-id="${mmId('postbob')}"]`);
    await post.getByRole('button', { name: /Message actions/ }).click();
    await post.getByRole('menuitem', { name: 'Declare incident from message' }).click();
    const form = rhs().getByRole('form', { name: 'Declare an incident' });
    assert.equal(await form.getByLabel('Title').inputValue(), 'Checkout API returning 500s since 10:02, error rate 12%');
    assert.match(await form.getByLabel('Summary').inputValue(), /^> Checkout API returning 500s[\s\S]*\/mm\/_redirect\/pl\//);
    await form.getByRole('button', { name: 'Cancel' }).click();

    await post.getByRole('button', { name: /Message actions/ }).click();
    await post.getByRole('menuitem', { name: 'Add as PICK idea' }).click();
    await rhs().getByText('IDEA-7 added: score it below.').waitFor();
    const [add] = requestsTo('POST', `/teams/${TEAM}/ideas`);
    assert.deepEqual(add?.body, { channel_id: TOWN, title: 'Checkout API returning 500s since 10:02, error rate 12%' });
    assert.equal(add?.headers['x-csrf-token'], CSRF);
    assert.match(await rhs().getByRole('list', { name: 'Ideas being scored' }).innerText(), /IDEA-7 Checkout API/);
    // No menu on the bot's card posts.
    const card = page.locator(`.post[data-post-id="${mmId('postcard42')}"]`);
    await card.getByRole('button', { name: /Message actions/ }).click();
    assert.equal(await card.getByRole('menuitem').count(), 0);
  });

  it('scores an idea from the list and reveals it as its owner once it has two scores', async () => {
    const item = rhs().locator(`li[data-idea-id="${TEAM}:7"]`);
    await item.getByLabel('Payoff for IDEA-7').selectOption('8');
    await item.getByLabel('Cost for IDEA-7').selectOption('3');
    await item.getByRole('button', { name: 'Score' }).click();
    await item.getByText(/your score: payoff 8, cost 3/).waitFor();
    const [score] = requestsTo('POST', `/teams/${TEAM}/ideas/7/score`);
    assert.deepEqual(score?.body, { payoff: 8, cost: 3 });
    // One score is never revealed (it would expose that person's score): the button waits for two.
    const reveal = item.getByRole('button', { name: 'Reveal now' });
    assert.equal(await reveal.isDisabled(), true);
    assert.match(await item.innerText(), new RegExp(`A reveal needs at least ${MIN_SCORES_TO_REVEAL} scores`));
    // Bob scores too; the channel's event carries no one's own score, so alice's stays shown.
    const seven = server.backend.ideas.find((i) => i.number === 7)!;
    Object.assign(seven, { scoredCount: 2, updatedAt: Date.now() });
    await page.evaluate((payload) => window.harness.fireWebSocket('custom_infra-ops_pick_idea_changed', payload), { idea: { ...seven, viewer: null } });
    await item.getByText(/round 1 · 2\/4 scored/).waitFor();
    assert.match(await item.innerText(), /your score: payoff 8, cost 3/);
    assert.equal(await reveal.isDisabled(), false);
    await reveal.click();
    await rhs().locator(`circle[data-idea-id="${TEAM}:7"][data-quadrant="implement"]`).waitFor();
  });

  it('opens the chart for /pick board and still sends the command to the server', async () => {
    await tab('Incidents').click();
    const result = await page.evaluate(() => window.harness.slash('/pick board'));
    assert.deepEqual(result, { message: '/pick board', args: { channel_id: TOWN, team_id: TEAM } });
    assert.equal(await tab('PICK').getAttribute('aria-selected'), 'true');
    assert.deepEqual(await page.evaluate(() => window.harness.slash('/incident status all good')), {
      message: '/incident status all good',
      args: { channel_id: TOWN, team_id: TEAM },
    });
  });

  it('looks right in light and dark themes (screenshots)', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await rhs().locator('circle[data-idea-id]').first().hover();
    await page.screenshot({ path: join(SCREENSHOTS, 'light-pick.png') });
    await open('?theme=dark');
    await page.getByRole('button', { name: 'Infra Ops', exact: true }).click();
    await rhs().locator('li').first().waitFor();
    await page.evaluate(() => window.harness.slash('/pick board'));
    await rhs().locator('circle[data-idea-id]').nth(4).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'dark-pick.png') });
    const bg = await rhs().evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(bg, 'rgb(31, 31, 31)', 'the sidebar takes the theme background');
  });

  it('undoes every registration on uninitialize', async () => {
    await page.evaluate(() => window.harness.uninitialize());
    const counts = await page.evaluate(() => window.harness.registeredCounts());
    assert.deepEqual(counts, { rhs: 0, appBar: 0, headerButtons: 0, slashHooks: 0, postMenu: 0, postTypes: 0, socket: 0, reconnect: 0 });
    assert.equal(await page.locator('#infra-ops-styles').count(), 0);
    assert.equal(await page.getByTestId('infra-ops-rhs').count(), 0);
  });

  it('falls back to a channel header button where there is no App Bar, or it is switched off', async () => {
    for (const query of ['?appbar=off', '?appbar=disabled']) {
      await open(query);
      const counts = await page.evaluate(() => window.harness.registeredCounts());
      assert.equal(counts.appBar, 0, query);
      assert.equal(counts.headerButtons, 1, query);
      await page.locator('.header-button').click();
      await rhs().waitFor();
    }
  });

  it('logged no errors or warnings in the page', () => {
    assert.deepEqual(consoleProblems, []);
  });
});
