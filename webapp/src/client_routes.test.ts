// Every client function: the method, URL and body it sends, each checked against the contract's
// route (and the expected literal URL, so a change of convention shows here), with answers built
// from typed fixtures that the route's own answer schema accepts.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as c from './client';
import { API_BASE, alertRoutes, guildRoutes, incidentRoutes, pickRoutes, rfcRoutes, runRoutes, webhookRoutes, type Route } from './contract';
import { fixtureAgenda, fixtureAlertSource, fixtureGuild, fixtureIdea, fixtureIncident, fixtureRfc, fixtureRun, fixtureWebhook } from './testing/fixtures';

const g = globalThis as { fetch: typeof fetch };
const realFetch = g.fetch;
afterEach(() => {
  g.fetch = realFetch;
});

const incident = fixtureIncident();
const guild = fixtureGuild();
const run = fixtureRun();
/** The runs list answers each run without its checklists (runSummaryView). */
const { checklists: _checklists, ...runSummary } = run;
const source = fixtureAlertSource();
const webhook = fixtureWebhook();
const followup = { n: 2, text: 'x', ownerId: null, due: null, createdAt: 1, createdBy: 'u', doneAt: null, doneBy: null };
const durations = { count: 0, meanMinutes: null, medianMinutes: null, p90Minutes: null };
const perSeverity = { total: 0, active: 0, mtta: durations, mttr: durations };
const metrics = {
  teamId: 'team1',
  since: 0,
  until: 1,
  total: 0,
  active: 0,
  resolved: 0,
  dismissed: 0,
  bySeverity: { '1': perSeverity, '2': perSeverity, '3': perSeverity, '4': perSeverity },
  mtta: durations,
  mttr: durations,
  openFollowups: 0,
  awaitingReview: 0,
};

type Case = [name: string, call: () => Promise<unknown>, route: Route, url: string, body: unknown, answer: unknown];
const T = 'team1';
const C = 'channel1';
const inc = `/teams/${T}/incidents/42`;
const cases: Case[] = [
  ['listIncidents', () => c.listIncidents(T, { state: 'active', per_page: 100, cursor: '5' }), incidentRoutes.list, `/teams/${T}/incidents?state=active&per_page=100&cursor=5`, undefined, { items: [incident], nextCursor: null }],
  ['getIncident', () => c.getIncident(incident), incidentRoutes.get, inc, undefined, { incident }],
  ['getChannelIncident', () => c.getChannelIncident('ch'), incidentRoutes.ofChannel, '/channels/ch/incident', undefined, { incident }],
  ['declareIncident', () => c.declareIncident(T, { title: 'x', severity: 2 }), incidentRoutes.declare, `/teams/${T}/incidents`, { title: 'x', severity: 2 }, { incident, warnings: ['w'] }],
  ['getIncidentMetrics', () => c.getIncidentMetrics(T, 30), incidentRoutes.metrics, `/teams/${T}/incidents/metrics?days=30`, undefined, { metrics }],
  ['getTimeline', () => c.getTimeline(incident, 'c1'), incidentRoutes.timeline, `${inc}/timeline?cursor=c1&per_page=100`, undefined, { items: [{ seq: 0, at: 1, actorId: 'u', kind: 'declared', text: 'x' }], nextCursor: null }],
  ['postStatusUpdate', () => c.postStatusUpdate(incident, 'ok'), incidentRoutes.status, `${inc}/status`, { text: 'ok' }, { incident }],
  ['setMilestone', () => c.setMilestone(incident, 'mitigated'), incidentRoutes.milestone, `${inc}/milestones`, { milestone: 'mitigated' }, { incident }],
  ['setMilestone at', () => c.setMilestone(incident, 'detected', 7), incidentRoutes.milestone, `${inc}/milestones`, { milestone: 'detected', at: 7 }, { incident }],
  ['followIncident', () => c.followIncident(incident), incidentRoutes.follow, `${inc}/follow`, {}, { incident }],
  ['unfollowIncident', () => c.unfollowIncident(incident), incidentRoutes.unfollow, `${inc}/follow`, undefined, { incident }],
  ['resolveIncident', () => c.resolveIncident(incident, 'fixed'), incidentRoutes.resolve, `${inc}/resolve`, { summary: 'fixed' }, { incident }],
  ['reopenIncident', () => c.reopenIncident(incident), incidentRoutes.reopen, `${inc}/reopen`, {}, { incident }],
  ['acceptIncident', () => c.acceptIncident(incident), incidentRoutes.accept, `${inc}/accept`, {}, { incident }],
  ['dismissIncident', () => c.dismissIncident(incident, 'noise'), incidentRoutes.dismiss, `${inc}/dismiss`, { reason: 'noise' }, { incident }],
  ['addFollowup', () => c.addFollowup(incident, { text: 'x', due: '2026-12-01' }), incidentRoutes.addFollowup, `${inc}/followups`, { text: 'x', due: '2026-12-01' }, { incident, followup }],
  ['completeFollowup', () => c.completeFollowup(incident, 2), incidentRoutes.completeFollowup, `${inc}/followups/2/done`, {}, { incident, followup }],
  ['listIdeas', () => c.listIdeas(T, { filter: 'challenge' }), pickRoutes.list, `/teams/${T}/ideas?filter=challenge`, undefined, { items: [fixtureIdea()], nextCursor: '3', threshold: 5.5 }],
  ['addIdea', () => c.addIdea(T, { channel_id: 'ch', title: 'x' }), pickRoutes.add, `/teams/${T}/ideas`, { channel_id: 'ch', title: 'x' }, { idea: fixtureIdea() }],
  ['getIdea', () => c.getIdea(T, 3), pickRoutes.get, `/teams/${T}/ideas/3`, undefined, { idea: fixtureIdea() }],
  ['scoreIdea', () => c.scoreIdea(T, 3, 9, 2), pickRoutes.score, `/teams/${T}/ideas/3/score`, { payoff: 9, cost: 2 }, { idea: fixtureIdea(), autoRevealed: false }],
  ['revealIdea', () => c.revealIdea(T, 3), pickRoutes.reveal, `/teams/${T}/ideas/3/reveal`, {}, { idea: fixtureIdea() }],
  ['listRfcs', () => c.listRfcs(T, { status: 'in_review', mine: true }), rfcRoutes.list, `/teams/${T}/rfcs?status=in_review&mine=true`, undefined, { items: [fixtureRfc()], nextCursor: null }],
  ['getRfc', () => c.getRfc(T, 7), rfcRoutes.get, `/teams/${T}/rfcs/7`, undefined, { rfc: fixtureRfc() }],
  ['createRfc', () => c.createRfc(T, { title: 'x', channel_id: C, idea: 3 }), rfcRoutes.create, `/teams/${T}/rfcs`, { title: 'x', channel_id: C, idea: 3 }, { rfc: fixtureRfc() }],
  ['listGuilds', () => c.listGuilds(T), guildRoutes.list, `/teams/${T}/guilds`, undefined, { items: [guild], nextCursor: null }],
  ['getGuild', () => c.getGuild(T, 'infra'), guildRoutes.get, `/teams/${T}/guilds/infra`, undefined, { guild }],
  ['getAgenda', () => c.getAgenda(T, 'infra'), guildRoutes.agenda, `/teams/${T}/guilds/infra/agenda`, undefined, { agenda: fixtureAgenda() }],
  ['queueGuildItem', () => c.queueGuildItem(T, 'infra', 'topic'), guildRoutes.queue, `/teams/${T}/guilds/infra/queue`, { text: 'topic' }, { guild, item: { id: 1, text: 'topic', by: 'u', at: 1, carried: 0 } }],
  ['deleteGuild', () => c.deleteGuild(T, 'infra'), guildRoutes.delete, `/teams/${T}/guilds/infra`, undefined, { guild }],
  ['listRuns', () => c.listRuns(T), runRoutes.list, `/teams/${T}/runs`, undefined, { items: [runSummary], nextCursor: null }],
  ['getRun', () => c.getRun(T, 4), runRoutes.get, `/teams/${T}/runs/4`, undefined, { run }],
  ['startRun', () => c.startRun(T, { kind: 'release', name: '2.4', channel_id: C }), runRoutes.start, `/teams/${T}/runs`, { kind: 'release', name: '2.4', channel_id: C }, { run }],
  ['actOnRunItem', () => c.actOnRunItem(T, 4, '1.2', 'skip'), runRoutes.item, `/teams/${T}/runs/4/items/1.2`, { action: 'skip' }, { run }],
  ['getRunReport', () => c.getRunReport(T, 4), runRoutes.report, `/teams/${T}/runs/4/report`, undefined, { filename: 'run-004', markdown: '# x', html: '<h1>x</h1>' }],
  ['listAlertSources', () => c.listAlertSources(T), alertRoutes.list, `/teams/${T}/alert-sources`, undefined, { items: [source], nextCursor: null }],
  ['createAlertSource', () => c.createAlertSource(T, { name: 'prom', type: 'grafana' }), alertRoutes.create, `/teams/${T}/alert-sources`, { name: 'prom', type: 'grafana' }, { source, secret: 's' }],
  ['rotateAlertSource', () => c.rotateAlertSource(T, 'prom'), alertRoutes.rotate, `/teams/${T}/alert-sources/prom/rotate`, {}, { source, secret: 's' }],
  ['removeAlertSource', () => c.removeAlertSource(T, 'prom'), alertRoutes.remove, `/teams/${T}/alert-sources/prom`, undefined, { source }],
  ['listWebhooks', () => c.listWebhooks(T), webhookRoutes.list, `/teams/${T}/webhooks`, undefined, { items: [webhook], nextCursor: null }],
  ['addWebhook', () => c.addWebhook(T, { url: 'https://x' }), webhookRoutes.add, `/teams/${T}/webhooks`, { url: 'https://x' }, { webhook, secret: 's' }],
  ['rotateWebhook', () => c.rotateWebhook(T, 'wh1'), webhookRoutes.rotate, `/teams/${T}/webhooks/wh1/rotate`, undefined, { webhook, secret: 's' }],
  ['removeWebhook', () => c.removeWebhook(T, 'wh1'), webhookRoutes.remove, `/teams/${T}/webhooks/wh1`, undefined, { webhook }],
];

/** The route's path template matches the URL's path, segment by segment (`:name` matches any one). */
const matches = (template: string, path: string): boolean => {
  const a = template.split('/');
  const b = path.split('/');
  return a.length === b.length && a.every((seg, i) => seg.startsWith(':') || seg === b[i]);
};

describe('client routes', () => {
  for (const [name, call, route, url, body, answer] of cases) {
    it(`${name}: ${route.method} ${url}`, async () => {
      let seen: { url: string; init: RequestInit } | undefined;
      g.fetch = (async (u: string, init: RequestInit) => {
        seen = { url: u, init };
        return new Response(JSON.stringify(answer), { status: route.status });
      }) as typeof fetch;
      await call();
      assert.equal(seen?.init.method, route.method);
      assert.equal(seen?.url, `${API_BASE}${url}`);
      assert.ok(matches(route.path, url.split('?')[0]!), `${url} is ${route.path}`);
      assert.deepEqual(seen?.init.body === undefined ? undefined : JSON.parse(seen.init.body as string), body);
    });
  }

  it('rejects an answer with a field the contract does not have', async () => {
    g.fetch = (async () => new Response(JSON.stringify({ incident: { ...incident, v: 1 } }), { status: 200 }));
    await assert.rejects(c.getIncident(incident), /incident: unexpected field v/);
  });

  it('rejects an answer missing a field instead of defaulting it', async () => {
    const { private: _dropped, ...withoutPrivate } = incident;
    g.fetch = (async () => new Response(JSON.stringify({ incident: withoutPrivate }), { status: 200 }));
    await assert.rejects(c.getIncident(incident), /incident\.private: expected boolean/);
  });
});
