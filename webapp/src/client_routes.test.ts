// Every client function against the route table in the server's http.ts comment blocks: method,
// path, query and body. The answers are minimal valid bodies so decoding succeeds.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as c from './client';
import { fixtureIdea, fixtureIncident, fixtureRfc } from './testing/fixtures';

const g = globalThis as { fetch: typeof fetch };
const realFetch = g.fetch;
afterEach(() => {
  g.fetch = realFetch;
});

const incident = fixtureIncident();
const followup = { n: 2, text: 'x', ownerId: null, due: null, createdAt: 1, createdBy: 'u', doneAt: null, doneBy: null };
const guild = { slug: 'infra', name: 'Infra', purpose: '', teamId: 't', channelId: null, day: 4, time: '10:00', timeZone: 'UTC', everyWeeks: 1, sources: [], seeded: true, queue: [], updatedAt: 1 };
const agenda = { slug: 'infra', name: 'Infra', scheduledFor: 1, timeZone: 'UTC', since: null, carried: [], queued: [], incidents: [], rfcs: [], ideas: [], notes: [] };
const durations = { count: 0, meanMinutes: null, medianMinutes: null, p90Minutes: null };

type Case = [name: string, call: () => Promise<unknown>, method: string, url: string, body: unknown, answer: unknown];
const I = 'inc1';
const cases: Case[] = [
  ['listIncidents', () => c.listIncidents('t', { state: 'active', perPage: 100, before: 5 }), 'GET', '/incidents?team_id=t&state=active&before=5&per_page=100', undefined, { items: [incident], next_before: null }],
  ['getIncident', () => c.getIncident(I), 'GET', `/incidents/${I}`, undefined, incident],
  ['getChannelIncident', () => c.getChannelIncident('ch'), 'GET', '/incidents/channel/ch', undefined, incident],
  ['declareIncident', () => c.declareIncident({ team_id: 't', title: 'x', severity: 2 }), 'POST', '/incidents', { team_id: 't', title: 'x', severity: 2 }, { incident, warnings: ['w'] }],
  ['getIncidentMetrics', () => c.getIncidentMetrics('t', 30), 'GET', '/incidents/metrics?team_id=t&days=30', undefined, { teamId: 't', since: 0, until: 1, total: 0, active: 0, resolved: 0, bySeverity: {}, mtta: durations, mttr: durations, openFollowups: 0, awaitingReview: 0 }],
  ['getTimeline', () => c.getTimeline(I), 'GET', `/incidents/${I}/timeline?page=0&per_page=50`, undefined, { items: [{ seq: 0, at: 1, actorId: 'u', kind: 'declared', text: 'x' }], total: 1 }],
  ['getFollowups', () => c.getFollowups(I), 'GET', `/incidents/${I}/followups`, undefined, { items: [followup] }],
  ['postStatusUpdate', () => c.postStatusUpdate(I, 'ok'), 'POST', `/incidents/${I}/status`, { text: 'ok' }, incident],
  ['setSeverity', () => c.setSeverity(I, 1), 'POST', `/incidents/${I}/severity`, { severity: 1 }, incident],
  ['assignRole', () => c.assignRole(I, 'scribe', 'u2'), 'POST', `/incidents/${I}/roles`, { role: 'scribe', user_id: 'u2' }, incident],
  ['addTimelineNote', () => c.addTimelineNote(I, 'n'), 'POST', `/incidents/${I}/timeline`, { text: 'n' }, incident],
  ['setMilestone', () => c.setMilestone(I, 'mitigated'), 'POST', `/incidents/${I}/milestones`, { milestone: 'mitigated' }, incident],
  ['setMilestone at', () => c.setMilestone(I, 'detected', 7), 'POST', `/incidents/${I}/milestones`, { milestone: 'detected', at: 7 }, incident],
  ['followIncident', () => c.followIncident(I), 'POST', `/incidents/${I}/follow`, {}, incident],
  ['unfollowIncident', () => c.unfollowIncident(I), 'DELETE', `/incidents/${I}/follow`, undefined, incident],
  ['resolveIncident', () => c.resolveIncident(I, 'fixed'), 'POST', `/incidents/${I}/resolve`, { summary: 'fixed' }, incident],
  ['reopenIncident', () => c.reopenIncident(I), 'POST', `/incidents/${I}/reopen`, {}, incident],
  ['markReviewed', () => c.markReviewed(I), 'POST', `/incidents/${I}/reviewed`, {}, incident],
  ['addFollowup', () => c.addFollowup(I, { text: 'x', due: '2026-12-01' }), 'POST', `/incidents/${I}/followups`, { text: 'x', due: '2026-12-01' }, followup],
  ['completeFollowup', () => c.completeFollowup(I, 2), 'POST', `/incidents/${I}/followups/2/done`, {}, followup],
  ['listIdeas', () => c.listIdeas('t', { filter: 'challenge' }), 'GET', '/pick/ideas?team_id=t&filter=challenge', undefined, { ideas: [fixtureIdea()], next: 3, threshold: 5.5 }],
  ['addIdea', () => c.addIdea({ channel_id: 'ch', title: 'x' }), 'POST', '/pick/ideas', { channel_id: 'ch', title: 'x' }, { idea: fixtureIdea() }],
  ['getIdea', () => c.getIdea('t', 3), 'GET', '/pick/teams/t/ideas/3', undefined, { idea: fixtureIdea() }],
  ['scoreIdea', () => c.scoreIdea('t', 3, 9, 2), 'POST', '/pick/teams/t/ideas/3/score', { payoff: 9, cost: 2 }, { idea: fixtureIdea(), autoRevealed: false }],
  ['revealIdea', () => c.revealIdea('t', 3), 'POST', '/pick/teams/t/ideas/3/reveal', {}, { idea: fixtureIdea() }],
  ['rescoreIdea', () => c.rescoreIdea('t', 3), 'POST', '/pick/teams/t/ideas/3/rescore', {}, { idea: fixtureIdea() }],
  ['archiveIdea', () => c.archiveIdea('t', 3, 'dup'), 'POST', '/pick/teams/t/ideas/3/archive', { reason: 'dup' }, { idea: fixtureIdea() }],
  ['linkIdeaToRfc', () => c.linkIdeaToRfc('t', 3, 7), 'POST', '/pick/teams/t/ideas/3/link', { rfc: 7 }, { idea: fixtureIdea() }],
  ['listRfcs', () => c.listRfcs('t', { status: 'in_review', mine: true }), 'GET', '/rfc/teams/t/rfcs?status=in_review&mine=true', undefined, { rfcs: [fixtureRfc()], next: null }],
  ['getRfc', () => c.getRfc('t', 7), 'GET', '/rfc/teams/t/rfcs/7', undefined, { rfc: fixtureRfc() }],
  ['createRfc', () => c.createRfc('t', { title: 'x', idea: 3 }), 'POST', '/rfc/teams/t/rfcs', { title: 'x', idea: 3 }, { rfc: fixtureRfc() }],
  ['startRfcReview', () => c.startRfcReview('t', 7, ['u2'], 10), 'POST', '/rfc/teams/t/rfcs/7/review', { reviewers: ['u2'], days: 10 }, { rfc: fixtureRfc() }],
  ['approveRfc', () => c.approveRfc('t', 7), 'POST', '/rfc/teams/t/rfcs/7/approve', {}, { rfc: fixtureRfc() }],
  ['raiseConcern', () => c.raiseConcern('t', 7, 'cost'), 'POST', '/rfc/teams/t/rfcs/7/concerns', { text: 'cost' }, { rfc: fixtureRfc(), concernId: 1 }],
  ['resolveConcern', () => c.resolveConcern('t', 7, 1, 'ok'), 'POST', '/rfc/teams/t/rfcs/7/concerns/1/resolve', { resolution: 'ok' }, { rfc: fixtureRfc() }],
  ['decideRfc', () => c.decideRfc('t', 7, 'accept'), 'POST', '/rfc/teams/t/rfcs/7/decision', { action: 'accept' }, { rfc: fixtureRfc() }],
  ['supersedeRfc', () => c.supersedeRfc('t', 7, 9), 'POST', '/rfc/teams/t/rfcs/7/supersede', { by: 9 }, { rfc: fixtureRfc() }],
  ['markRfcReviewed', () => c.markRfcReviewed('t', 7), 'POST', '/rfc/teams/t/rfcs/7/reviewed', {}, { rfc: fixtureRfc() }],
  ['listGuilds', () => c.listGuilds('t'), 'GET', '/guilds?team_id=t', undefined, { guilds: [{ ...guild, nextMeetingAt: 5 }] }],
  ['getGuild', () => c.getGuild('t', 'infra'), 'GET', '/guilds/infra?team_id=t', undefined, { guild, nextMeetingAt: 5 }],
  ['getAgenda', () => c.getAgenda('t', 'infra'), 'GET', '/guilds/infra/agenda?team_id=t', undefined, { agenda }],
  ['queueGuildItem', () => c.queueGuildItem('t', 'infra', 'topic'), 'POST', '/guilds/infra/queue', { team_id: 't', text: 'topic' }, { guild, item: { id: 1, text: 'topic', by: 'u', at: 1, carried: 0 } }],
  ['addGuildNote', () => c.addGuildNote('t', 'infra', 'decision', 'go'), 'POST', '/guilds/infra/notes', { team_id: 't', kind: 'decision', text: 'go' }, { guild }],
];

describe('client routes', () => {
  for (const [name, call, method, url, body, answer] of cases) {
    it(`${name}: ${method} ${url}`, async () => {
      let seen: { url: string; init: RequestInit } | undefined;
      g.fetch = (async (u: string, init: RequestInit) => {
        seen = { url: u, init };
        return new Response(JSON.stringify(answer), { status: 200 });
      }) as typeof fetch;
      await call();
      assert.equal(seen?.init.method, method);
      assert.equal(seen?.url, `/plugins/infra-ops/api/v1${url}`);
      assert.deepEqual(seen?.init.body === undefined ? undefined : JSON.parse(String(seen.init.body)), body);
    });
  }
});
