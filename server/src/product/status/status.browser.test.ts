// The status page in Debian's Chromium (issue 11 §3): the page the product serves, loaded as a
// logged-in team member (the Mattermost-User-Id header the server adds after checking the session
// cookie; the cookie path itself is proved on the real server in status.e2e.test.ts). Checks that
// the strict CSP lets its stylesheet apply and blocks nothing else, that a phone width needs no
// sideways scrolling, and saves desktop and phone screenshots as test artifacts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { fixture, type Fixture } from '../incidents/test_fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.INFRA_OPS_SCREENSHOTS ?? join(tmpdir(), 'infra-ops-screenshots');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

if (!existsSync(CHROMIUM) && process.env.CI === 'true') throw new Error(`${CHROMIUM} missing: .ci/run must install chromium`);
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} missing (apt-get install -y chromium)`;

describe('status page in Chromium', { skip }, () => {
  let f: Fixture;
  let url = '';
  let context: BrowserContext;
  let profile = '';
  let server: Server;

  before(async () => {
    f = await fixture({ IncidentPrivateByDefault: false });
    f.world.addTeamMember(f.team.Id, f.carol.Id, 'team_user team_admin');
    for (const [name, description] of [
      ['Vault', 'Secrets for every service'],
      ['CI runners', 'Build and deploy'],
      ['DNS', 'Internal resolvers'],
      ['Object storage', ''],
    ] as const) {
      await f.cmd(f.carol, `/infra components add ${name}${description ? ` --description ${description}` : ''}`);
    }
    await f.cmd(f.carol, '/infra maintenance add dns 2027-01-04T08:00Z 2027-01-04T12:00Z Resolver upgrade to the new <cluster>');
    await f.cmd(f.carol, '/infra maintenance add object-storage 2027-01-06T22:00Z 2027-01-07T01:00Z Bucket migration');
    const vault = f.channelOf(await f.cmd(f.alice, '/incident declare sev1 Vault sealed after failover'));
    await f.cmd(f.alice, '/incident component vault', vault);
    await f.cmd(f.alice, '/incident status Unsealing with the recovery keys; writes fail meanwhile', vault);
    const ci = f.channelOf(await f.cmd(f.alice, '/incident declare sev3 Slow builds on arm64 runners'));
    await f.cmd(f.alice, '/incident component ci-runners', ci);
    const old = f.channelOf(await f.cmd(f.alice, '/incident declare sev2 Registry returned 502s'));
    await f.cmd(f.alice, '/incident resolve Rolled back the proxy', old);
    // The harness's HTTP server stands in for Mattermost: it adds the header a session cookie earns.
    const probe = await f.h.http('GET', '/status/ops', f.alice);
    assert.equal(probe.status, 200);
    server = createServer(f.h.product.httpHandler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status/ops`;
    mkdirSync(SCREENSHOTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'infra-ops-status-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      extraHTTPHeaders: { 'Mattermost-User-Id': f.alice.Id },
    });
  });

  after(async () => {
    await context?.close();
    server?.close();
    f?.h.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  for (const { name, width, height } of [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'phone', width: 375, height: 812 },
  ]) {
    it(`renders styled under its CSP at ${name} width (${width}px) and saves a screenshot`, async () => {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        // The browser asks for /favicon.ico on its own; the page links none.
        if (m.location().url.endsWith('/favicon.ico')) return;
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.setViewportSize({ width, height });
      const response = await page.goto(url);
      assert.equal(response?.status(), 200);
      assert.match(response?.headers()['content-security-policy'] ?? '', /^default-src 'none'; style-src 'sha256-/);
      await page.getByRole('heading', { name: 'ops status' }).waitFor();
      // The server's tsconfig has no DOM types: the page-side code is passed as text.
      const style = async (selector: string, property: 'backgroundColor' | 'fontFamily'): Promise<string> =>
        String(await page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`));
      const dot = (slug: string) => style(`[data-component="${slug}"] .dot`, 'backgroundColor');
      const look = {
        font: await style('body', 'fontFamily'),
        header: await style('header', 'backgroundColor'),
        vault: await dot('vault'),
        ci: await dot('ci-runners'),
        dns: await dot('dns'),
        storage: await dot('object-storage'),
        overflow: Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')),
        text: await page.locator('body').innerText(),
      };
      assert.match(look.font, /Open Sans/, 'the stylesheet applied (the CSP allowed it)');
      assert.equal(look.header, 'rgb(30, 50, 92)', "Mattermost's sidebar navy");
      assert.equal(look.vault, 'rgb(210, 75, 78)', 'SEV1: major outage, red');
      assert.equal(look.ci, 'rgb(255, 188, 31)', 'SEV3: degraded, amber');
      assert.equal(look.dns, 'rgb(28, 88, 217)', 'maintenance in progress, blue');
      assert.equal(look.storage, 'rgb(6, 214, 160)', 'operational, green');
      assert.equal(look.overflow, 0, 'no sideways scrolling');
      assert.match(look.text, /Resolver upgrade to the new <cluster>/, 'escaped text reads as typed');
      assert.match(look.text, /INC-003/, 'the recent history');
      assert.deepEqual(problems, [], 'no console errors (no CSP violations)');
      await page.screenshot({ path: join(SCREENSHOTS, `status-page-${name}.png`), fullPage: true });
      await page.close();
    });
  }
});
