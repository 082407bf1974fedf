import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PluginAction } from './actions';
import { fixtureIdea, fixtureIncident, fixtureRfc } from './testing/fixtures';
import { decodeGuildAnswer, decodeIdea, decodeIncident, decodeRfc } from './types/model';

const guild = { slug: 'reliability', name: 'Reliability Engineering Guild', purpose: '', teamId: null, channelId: null, day: 1, time: '10:00', timeZone: 'Europe/Berlin', everyWeeks: 1, sources: ['incidents'], seeded: true, queue: [], updatedAt: 1 };
import type { WebSocketMessage } from './types/registry';
import { handleGuildChanged, handleIncidentChanged, handlePickBoardOpened, handlePickIdeaChanged, handleRfcChanged, payloadOf, websocketHandlers } from './websocket_events';

const msg = (event: string, payload: unknown): WebSocketMessage => ({ event: `custom_infra-ops_${event}`, data: { data: JSON.stringify(payload) } });
const settle = () => new Promise((r) => setImmediate(r));

function recorder() {
  const actions: PluginAction[] = [];
  const warnings: string[] = [];
  return {
    actions,
    warnings,
    dispatch: <T extends PluginAction>(action: T): T => {
      actions.push(action);
      return action;
    },
    warn: (m: string) => void warnings.push(m),
  };
}

const never = () => Promise.reject(new Error('should not fetch'));

describe('payloadOf', () => {
  it('parses the JSON text the server sends in data.data', () => {
    assert.deepEqual(payloadOf(msg('x', { a: 1 })), { a: 1 });
  });
  it('returns undefined for anything else', () => {
    assert.equal(payloadOf({ event: 'e', data: { data: '{not json' } }), undefined);
    assert.equal(payloadOf({ event: 'e', data: { data: '[1,2]' } }), undefined);
    assert.equal(payloadOf({ event: 'e', data: { other: 1 } }), undefined);
    assert.equal(payloadOf({ event: 'e', data: null }), undefined);
  });
});

describe('incident_declared / incident_updated', () => {
  it('stores the incident carried by the event', () => {
    const r = recorder();
    handleIncidentChanged(r.dispatch, never, r.warn)(msg('incident_updated', { change: 'status', incident: fixtureIncident({ title: 'live' }) }));
    assert.equal(r.actions.length, 1);
    const action = r.actions[0]!;
    assert.equal(action.type, 'infra-ops/incident-received');
    assert.equal(action.type === 'infra-ops/incident-received' && action.incident.title, 'live');
  });

  it('refetches when the record does not decode, by its id', async () => {
    const r = recorder();
    const fetched: string[] = [];
    const fetch = async (id: string) => {
      fetched.push(id);
      return decodeIncident(fixtureIncident({ id }));
    };
    handleIncidentChanged(r.dispatch, fetch, r.warn)(msg('incident_updated', { incident: { id: 'inc9', severity: 'high' } }));
    await settle();
    assert.deepEqual(fetched, ['inc9']);
    assert.equal(r.actions.length, 1);
    assert.match(r.warnings[0]!, /did not decode/);
  });

  it('refetches when only the id is sent', async () => {
    const r = recorder();
    handleIncidentChanged(r.dispatch, async (id) => decodeIncident(fixtureIncident({ id })), r.warn)(msg('incident_updated', { incidentId: 'inc7' }));
    await settle();
    assert.equal(r.actions.length, 1);
  });

  it('warns and does nothing for a payload that names nothing or is not JSON', () => {
    const r = recorder();
    const handle = handleIncidentChanged(r.dispatch, never, r.warn);
    handle(msg('incident_updated', { change: 'status' }));
    handle({ event: 'custom_infra-ops_incident_updated', data: { data: 'oops' } });
    assert.equal(r.actions.length, 0);
    assert.equal(r.warnings.length, 2);
  });

  it('warns when the refetch fails, never throwing', async () => {
    const r = recorder();
    handleIncidentChanged(r.dispatch, never, r.warn)(msg('incident_updated', { incidentId: 'gone' }));
    await settle();
    assert.equal(r.actions.length, 0);
    assert.match(r.warnings[0]!, /could not fetch/);
  });
});

describe('pick_idea_changed', () => {
  it('stores the idea under its team:number key', () => {
    const r = recorder();
    handlePickIdeaChanged(r.dispatch, never, r.warn)(msg('pick_idea_changed', { idea: fixtureIdea({ number: 12 }) }));
    const action = r.actions[0]!;
    assert.equal(action.type === 'infra-ops/idea-received' && action.idea.id, 'team1:12');
  });

  it('refetches a damaged idea by team and number', async () => {
    const r = recorder();
    const refs: unknown[] = [];
    handlePickIdeaChanged(
      r.dispatch,
      async (ref) => {
        refs.push(ref);
        return decodeIdea(fixtureIdea({ number: ref.number }));
      },
      r.warn,
    )(msg('pick_idea_changed', { idea: { teamId: 'team1', number: 3, status: 'weird' } }));
    await settle();
    assert.deepEqual(refs, [{ teamId: 'team1', number: 3 }]);
    assert.equal(r.actions.length, 1);
  });
});

describe('rfc_changed', () => {
  it('stores the RFC with its open concern count', () => {
    const r = recorder();
    const rfc = fixtureRfc({ concerns: [{ id: 1, text: 'cost?', raisedBy: 'u2', raisedAt: 1, resolvedBy: null, resolvedAt: null, resolution: null }] });
    handleRfcChanged(r.dispatch, async () => decodeRfc(fixtureRfc()), r.warn)(msg('rfc_changed', { rfc }));
    const action = r.actions[0]!;
    assert.equal(action.type === 'infra-ops/rfc-received' && action.rfc.openConcerns, 1);
  });
});

describe('guild_changed', () => {
  it('refetches the guild (for its next meeting time) in its team, or the current one', async () => {
    const r = recorder();
    const refs: unknown[] = [];
    const fetch = async (ref: { teamId: string; slug: string }) => {
      refs.push(ref);
      return decodeGuildAnswer({ guild: { ...guild, slug: ref.slug }, nextMeetingAt: 99 });
    };
    const handle = handleGuildChanged(r.dispatch, fetch, () => 'current-team', r.warn);
    handle(msg('guild_changed', { guild: { ...guild, teamId: 'team1' } }));
    handle(msg('guild_changed', { guild: { ...guild, teamId: null, slug: 'infra' } }));
    handle(msg('guild_changed', { guild: {} }));
    await settle();
    assert.deepEqual(refs, [
      { teamId: 'team1', slug: 'reliability' },
      { teamId: 'current-team', slug: 'infra' },
    ]);
    assert.equal(r.actions.length, 2);
    assert.equal(r.warnings.length, 1);
  });
});

describe('pick_board_opened', () => {
  it('opens the board for the team and channel named', () => {
    const opened: unknown[] = [];
    const r = recorder();
    handlePickBoardOpened((t, c) => opened.push([t, c]), r.warn)(msg('pick_board_opened', { teamId: 'team1', channelId: 'ch1' }));
    handlePickBoardOpened((t, c) => opened.push([t, c]), r.warn)(msg('pick_board_opened', { channelId: 'ch1' }));
    assert.deepEqual(opened, [['team1', 'ch1']]);
    assert.equal(r.warnings.length, 1);
  });
});

describe('websocketHandlers', () => {
  it('covers every event the server publishes to the webapp', () => {
    const r = recorder();
    const names = Object.keys(
      websocketHandlers({
        dispatch: r.dispatch,
        fetchIncident: never,
        fetchIdea: never,
        fetchRfc: never,
        fetchGuild: never,
        currentTeamId: () => 't',
        openPickBoard: () => undefined,
        warn: r.warn,
      }),
    ).sort();
    assert.deepEqual(names, ['guild_changed', 'incident_declared', 'incident_updated', 'pick_board_opened', 'pick_idea_changed', 'rfc_changed']);
  });
});
