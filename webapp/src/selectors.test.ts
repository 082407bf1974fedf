import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GlobalState } from '@mattermost/types/store';
import * as a from './actions';
import { initialState, reducer, type PluginState } from './reducer';
import { canDeleteGuild, getActiveIncidents, getChartIdeas, getGuilds, getIdeasBeingScored, getRfcs, getSiteURL, pluginState } from './selectors';
import { fixtureGuild, fixtureIdea, fixtureIncident, fixtureRevealed, fixtureRfc } from './testing/fixtures';

function host(plugin: PluginState): GlobalState {
  return {
    entities: { general: { config: { SiteURL: 'https://x.example/mm' } }, teams: { currentTeamId: 'team1' } },
    'plugins-infra-ops': plugin,
  } as unknown as GlobalState;
}

describe('selectors', () => {
  it('falls back to the initial state before the reducer is mounted', () => {
    assert.equal(pluginState({} as GlobalState), initialState);
  });

  it('reads the SiteURL from the config', () => {
    assert.equal(getSiteURL(host(initialState)), 'https://x.example/mm');
  });

  it('lists active incidents of the team, most severe first then newest by INC number (as the server pages them), memoised', () => {
    const incidents = [
      fixtureIncident({ id: 'a', severity: 3, number: 1, declaredAt: 9 }),
      fixtureIncident({ id: 'b', severity: 1, number: 2 }),
      fixtureIncident({ id: 'c', severity: 3, number: 5, declaredAt: 1 }),
      fixtureIncident({ id: 'd', severity: 1, phase: 'resolved' }),
      fixtureIncident({ id: 'e', severity: 1, teamId: 'team2' }),
    ];
    const state = host(reducer(initialState, a.incidentsReceived('team1', incidents)));
    const first = getActiveIncidents(state, 'team1');
    assert.deepEqual(first.map((i) => i.id), ['b', 'c', 'a']);
    assert.equal(getActiveIncidents(state, 'team1'), first, 'same inputs give the same array (no re-render)');
  });

  it('puts only revealed ideas in scope on the chart and open ones in the scoring list', () => {
    const page = {
      items: [
        fixtureIdea({ number: 1, status: 'revealed', revealed: fixtureRevealed(8, 2) }),
        fixtureIdea({ number: 2 }),
        fixtureIdea({ number: 3, status: 'archived', revealed: fixtureRevealed(2, 9) }),
      ],
      nextCursor: null,
      threshold: 5.5,
    };
    let s = reducer(initialState, a.boardReceived({ teamId: 'team1', channelId: 'ch1' }, page));
    // An event about an idea in another channel must not appear on this channel's chart.
    s = reducer(s, a.ideaReceived(fixtureIdea({ number: 4, channelId: 'ch2', status: 'revealed', revealed: fixtureRevealed(9, 9) })));
    const state = host(s);
    assert.deepEqual(getChartIdeas(state).map((i) => i.number), [1]);
    assert.deepEqual(getIdeasBeingScored(state).map((i) => i.number), [2]);
    const teamWide = host(reducer(s, a.boardReceived({ teamId: 'team1', channelId: null }, { ...page, items: [] })));
    assert.deepEqual(getChartIdeas(teamWide).map((i) => i.number), []);
  });

  it("orders the team's RFCs in review first, then drafts, newest number first", () => {
    const rfcs = [
      fixtureRfc({ number: 1, status: 'accepted' }),
      fixtureRfc({ number: 2, status: 'draft' }),
      fixtureRfc({ number: 3, status: 'in_review' }),
      fixtureRfc({ number: 4, status: 'draft' }),
      fixtureRfc({ number: 3, status: 'in_review', teamId: 'team2' }),
    ];
    assert.deepEqual(getRfcs(host(reducer(initialState, a.rfcsReceived('team1', rfcs))), 'team1').map((r) => r.number), [3, 4, 2, 1]);
  });

  it("lists the team's guilds by next meeting, inactive ones last", () => {
    const guilds = [
      fixtureGuild({ slug: 'late', name: 'Late', nextMeetingAt: 9 }),
      fixtureGuild({ slug: 'idle', name: 'Idle', channelId: null, nextMeetingAt: 1 }),
      fixtureGuild({ slug: 'soon', name: 'Soon', nextMeetingAt: 2 }),
      fixtureGuild({ slug: 'other', name: 'Other', teamId: 'team2', nextMeetingAt: 1 }),
    ];
    assert.deepEqual(getGuilds(host(reducer(initialState, a.guildsReceived('team1', guilds))), 'team1').map((g) => g.slug), ['soon', 'late', 'idle']);
  });
  it("offers a guild's deletion to its creator, team admins and system admins only (as the server's rule)", () => {
    const stateOf = (userId: string, roles: { system?: string; team?: string } = {}) =>
      ({
        entities: {
          users: { currentUserId: userId, profiles: { [userId]: { id: userId, roles: roles.system ?? 'system_user' } } },
          teams: { currentTeamId: 'team1', myMembers: { team1: { roles: roles.team ?? 'team_user' } } },
        },
      }) as unknown as GlobalState;
    const mine = fixtureGuild({ teamId: 'team1', createdBy: 'u1' });
    const seeded = fixtureGuild({ teamId: 'team1', createdBy: null });
    assert.equal(canDeleteGuild(stateOf('u1'), mine), true);
    assert.equal(canDeleteGuild(stateOf('u2'), mine), false, 'a facilitator or member may not');
    assert.equal(canDeleteGuild(stateOf('u2'), seeded), false);
    assert.equal(canDeleteGuild(stateOf('u2', { team: 'team_user team_admin' }), seeded), true);
    assert.equal(canDeleteGuild(stateOf('u2', { system: 'system_user system_admin' }), seeded), true);
    assert.equal(canDeleteGuild(stateOf('u2', { team: 'team_user team_admin' }), fixtureGuild({ teamId: 'team2', createdBy: 'u1' })), false, 'admin of another team');
  });
});
