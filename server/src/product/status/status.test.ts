// The internal status page (issue 11 §3): component states from incidents and maintenance, times
// in the reader's zone, escaped HTML under a strict CSP, and who sees what.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { fixture, type Fixture } from '../incidents/test_fixture';
import type { StatusIncident } from '../shared/ports';
import { componentStatuses, overallState } from './derive';
import { escapeHtml, renderStatusPage, STATUS_PAGE_CSP, STATUS_STYLE } from './page';
import type { Component, Maintenance } from './records';
import { textAfterWords } from './commands';
import { formatInZone, parseMaintenanceTime } from './times';

const T0 = Date.UTC(2027, 0, 4, 9);
const component = (slug: string, name = slug): Component => ({ slug, name, description: '', createdBy: 'u', createdAt: T0 });
const incident = (ref: string, severity: 1 | 2 | 3 | 4, components: string[], phase: 'active' | 'resolved' = 'active'): StatusIncident => ({
  incidentId: ref,
  reference: ref,
  title: `Title ${ref}`,
  severity,
  severityLabel: `L${severity}`,
  phase,
  components,
  status: null,
  declaredAt: T0,
  resolvedAt: phase === 'resolved' ? T0 + 1 : null,
});
const window = (component: string, from: number, to: number): Maintenance => ({ n: 1, component, from, to, text: 'Upgrade', createdBy: 'u', createdAt: T0 });

test('a component takes the worst severity of its active incidents, else maintenance in progress, else operational', () => {
  const cs = [component('vault'), component('ci'), component('dns'), component('mail')];
  const statuses = componentStatuses(cs, [incident('INC-1', 3, ['vault']), incident('INC-2', 1, ['vault', 'ci']), incident('INC-3', 2, ['dns'], 'resolved')], [window('dns', T0 - 1, T0 + 60_000), window('mail', T0 + 60_000, T0 + 120_000)], T0);
  assert.deepEqual(
    statuses.map((s) => [s.component.slug, s.state]),
    [['vault', 'major_outage'], ['ci', 'major_outage'], ['dns', 'maintenance'], ['mail', 'operational']],
  );
  assert.deepEqual(statuses[0]!.incidents.map((i) => i.reference), ['INC-2', 'INC-1'], 'worst first');
  assert.equal(overallState(statuses), 'major_outage');
  assert.equal(overallState(componentStatuses([component('ci')], [incident('INC-4', 4, ['ci'])], [], T0)), 'degraded');
});

test('maintenance times: local wall time in the reader zone across DST, or absolute ISO; anything else is refused', () => {
  assert.equal(parseMaintenanceTime('2027-03-28T02:30', 'Europe/Berlin'), Date.UTC(2027, 2, 28, 1, 30), 'in the spring-forward gap: moved forward');
  assert.equal(parseMaintenanceTime('2027-07-01T22:00', 'Europe/Berlin'), Date.UTC(2027, 6, 1, 20, 0));
  assert.equal(parseMaintenanceTime('2027-01-04T22:00', 'Europe/Berlin'), Date.UTC(2027, 0, 4, 21, 0));
  assert.equal(parseMaintenanceTime('2027-01-04T22:00Z', 'Europe/Berlin'), Date.UTC(2027, 0, 4, 22, 0));
  assert.equal(parseMaintenanceTime('2027-01-04T22:00+05:30', 'UTC'), Date.UTC(2027, 0, 4, 16, 30));
  for (const bad of ['tomorrow', '2027-02-30T10:00', '2027-01-04T25:00', '22:00', '']) assert.equal(parseMaintenanceTime(bad, 'UTC'), null, bad);
  assert.equal(formatInZone(Date.UTC(2027, 6, 1, 20, 0), 'Europe/Berlin'), '2027-07-01 22:00 Europe/Berlin');
  assert.equal(textAfterWords('vault 2027-01-04T22:00 2027-01-05T01:00  Seal keys rotation, don\'t panic', 3), "Seal keys rotation, don't panic");
});

test('the page escapes every text and allows exactly its own stylesheet', () => {
  const html = renderStatusPage({
    team: { name: 'ops', displayName: 'Ops <b>team</b>' },
    components: componentStatuses([component('x', '<script>alert(1)</script>')], [{ ...incident('INC-9', 2, ['x']), title: '"><img src=x onerror=alert(1)>' }], [], T0),
    maintenance: [],
    recent: [],
    untagged: [],
    zone: 'UTC',
    now: T0,
  });
  assert.ok(!html.includes('<script>') && !html.includes('<img') && !html.includes('<b>'));
  assert.ok(html.includes(escapeHtml('<script>alert(1)</script>')));
  assert.match(html, /Partial outage/);
  assert.ok(!/ style="/.test(html), 'no inline style attributes (the CSP would block them)');
  const hash = createHash('sha256').update(STATUS_STYLE).digest('base64');
  assert.ok(STATUS_PAGE_CSP.includes(`'sha256-${hash}'`) && STATUS_PAGE_CSP.startsWith("default-src 'none'"));
  assert.ok(html.includes(`<style>${STATUS_STYLE}</style>`));
});

async function withAdmin(settings: Record<string, unknown> = {}): Promise<Fixture> {
  const f = await fixture(settings);
  f.world.addTeamMember(f.team.Id, f.carol.Id, 'team_user team_admin');
  return f;
}

test('components and maintenance are for team admins; the page shows each viewer only incidents they may see', async () => {
  const f = await withAdmin();
  const { alice, bob, carol, dave, outsider } = f;
  assert.match(await f.cmd(alice, '/infra components add Vault'), /Only team admins and system admins can define components/);
  assert.match(await f.cmd(carol, '/infra components add Vault --description Secrets for every service'), /Component `vault` \(Vault\) added.*\/plugins\/infra-ops\/status\/ops/);
  assert.match(await f.cmd(carol, '/infra components add vault'), /already a component `vault`/);
  await f.cmd(carol, '/infra components add CI runners');
  assert.match(await f.cmd(dave, '/infra components list'), /`ci-runners` CI runners/);
  assert.match(await f.cmd(carol, '/infra maintenance add dns 2027-01-04T22:00 2027-01-05T01:00 Resolver upgrade'), /No component `dns`/);
  assert.match(await f.cmd(carol, '/infra maintenance add ci-runners 2027-01-04T22:00 2027-01-04T21:00 Upgrade'), /end must be after the start/);
  assert.match(await f.cmd(carol, '/infra maintenance add ci-runners tonight 2027-01-05T01:00 Upgrade'), /"tonight" is not a time/);
  assert.match(await f.cmd(carol, '/infra maintenance add ci-runners 2027-01-04T22:00Z 2027-01-05T01:00Z Runner image <upgrade>'), /Maintenance #1 on `ci-runners` from 2027-01-04 22:00 UTC/);
  assert.match(await f.cmd(dave, '/infra maintenance list'), /#1 `ci-runners`/);

  // A private incident on vault (alice and bob in its channel), a public one on ci-runners.
  const secret = f.channelOf(await f.cmd(alice, '/incident declare sev1 Vault sealed --private'));
  f.world.addChannelMember(secret.Id, bob.Id);
  assert.match(await f.cmd(alice, '/incident component vault', secret), /INC-001 affects `vault`/);
  const open = f.channelOf(await f.cmd(alice, '/incident declare sev3 Slow builds --public'));
  assert.match(await f.cmd(dave, '/incident component INC-2 ci-runners', f.town), /Only members of the channel and system admins/);
  await f.cmd(alice, '/incident component ci-runners', open);

  const page = async (user: typeof alice | null, team = 'ops') => f.h.http('GET', `/status/${team}`, user);
  const forBob = await page(bob);
  assert.equal(forBob.status, 200);
  const html = String(forBob.body);
  assert.match(html, /data-component="vault"><div class="row"><span class="name">Vault<\/span><span class="state"><span class="dot" data-state="major_outage"/);
  assert.match(html, /Vault sealed/);
  assert.match(html, /Runner image &lt;upgrade&gt;/);

  const forDave = String((await page(dave)).body);
  assert.ok(!forDave.includes('Vault sealed') && !forDave.includes('INC-001'), 'a private incident stays with its channel');
  assert.match(forDave, /data-component="vault"><div class="row"><span class="name">Vault<\/span><span class="state"><span class="dot" data-state="operational"/);
  assert.match(forDave, /data-state="degraded"/, 'the public incident degrades ci-runners');

  const stranger = await page(outsider);
  assert.equal(stranger.status, 404);
  assert.equal((await page(alice, 'no-such-team')).status, 404);
  assert.deepEqual([stranger.body, (await page(alice, 'no-such-team')).body].map((b) => String(b).includes('No such status page.')), [true, true], 'the same page for both');
  assert.equal((await page(null)).status, 401);

  await f.cmd(alice, '/incident resolve Unsealed', secret);
  const after = String((await page(bob)).body);
  assert.match(after, /Recent incidents<\/h2><ul><li data-incident="INC-001">/);
  assert.match(await f.cmd(carol, '/infra components remove vault'), /removed/);
});

test('the public page behind a secret, revocable link: only customer-facing incidents, with their public text only', async () => {
  const f = await withAdmin();
  const { alice, carol, dave } = f;
  await f.cmd(carol, '/infra components add Payments API');
  assert.match(await f.cmd(alice, '/infra statuslink create'), /Only team admins and system admins can create the public status link/);
  const created = await f.cmd(carol, '/infra statuslink create');
  const path = /http:\/\/localhost:8065(\/plugins\/infra-ops\/status\/public\/[\w-]{32})/.exec(created)?.[1];
  assert.ok(path, created);
  const local = path.replace('/plugins/infra-ops', '');

  const shown = f.channelOf(await f.cmd(alice, '/incident declare sev2 Card processor timeouts in eu-west-1 --private'));
  await f.cmd(alice, '/incident component payments-api', shown);
  await f.cmd(alice, '/incident status Failing over to the secondary processor (internal detail)', shown);
  assert.match(await f.cmd(dave, '/incident public INC-1 Some payments fail', f.town), /No such incident/, 'not in its channel');
  assert.match(await f.cmd(alice, '/incident public Some card payments fail; we are on it.', shown), /INC-001 is on the public status page as: Some card payments fail; we are on it\./);
  f.channelOf(await f.cmd(alice, '/incident declare sev1 Internal only: vault sealed --public'));

  const anonymous = await f.h.http('GET', local, null);
  assert.equal(anonymous.status, 200);
  const html = String(anonymous.body);
  assert.match(html, /Some card payments fail; we are on it\./);
  assert.match(html, /data-component="payments-api"><div class="row"><span class="name">Payments API<\/span><span class="state"><span class="dot" data-state="partial_outage"/);
  for (const secret of ['Card processor', 'eu-west-1', 'secondary processor', 'vault sealed', 'INC-002', 'alice']) assert.ok(!html.includes(secret), `no "${secret}"`);

  assert.equal((await f.h.http('GET', `${local.slice(0, -4)}abcd`, null)).status, 404, 'a wrong secret');
  await f.cmd(alice, '/incident public off', shown);
  assert.ok(!String((await f.h.http('GET', local, null)).body).includes('Some card payments fail'));
  const again = /http:\/\/localhost:8065\/plugins\/infra-ops(\/status\/public\/[\w-]{32})/.exec(await f.cmd(carol, '/infra statuslink create'))?.[1];
  assert.ok(again && again !== local);
  assert.equal((await f.h.http('GET', local, null)).status, 404, 'a new link retires the old one');
  assert.match(await f.cmd(carol, '/infra statuslink revoke'), /revoked/);
  assert.equal((await f.h.http('GET', again, null)).status, 404);
  assert.match(await f.cmd(carol, '/infra statuslink revoke'), /no public status link/);
});

test('the public page shows the newest customer-facing incidents even with more than a hundred active', async () => {
  const f = await withAdmin({ IncidentRunbooks: false });
  const { alice, carol } = f;
  const created = await f.cmd(carol, '/infra statuslink create');
  const local = /http:\/\/localhost:8065\/plugins\/infra-ops(\/status\/public\/[\w-]{32})/.exec(created)?.[1];
  assert.ok(local, created);
  for (let n = 0; n < 101; n++) await f.cmd(alice, `/incident declare sev4 Old noise ${n} --public`);
  const newest = f.channelOf(await f.cmd(alice, '/incident declare sev2 Checkout errors --public'));
  assert.match(await f.cmd(alice, '/incident public Some checkouts fail.', newest), /is on the public status page/);
  assert.match(String((await f.h.http('GET', local, null)).body), /Some checkouts fail\./);
  f.h.close();
});
