import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PluginAction } from './actions';
import { EVENT_NAMES } from './contract';
import { fixtureGuild, fixtureIdea, fixtureIncident, fixtureRfc, fixtureRun } from './testing/fixtures';
import type { WebSocketMessage } from './types/registry';
import { handleGuildChanged, handleIncidentChanged, handlePickBoardOpened, handlePickIdeaChanged, handleRfcChanged, handleRunChanged, payloadOf, websocketHandlers } from './websocket_events';

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
  it("decodes the JSON text in data.data with the event's contract schema", () => {
    assert.deepEqual(payloadOf('pick_board_opened', msg('pick_board_opened', { teamId: 't', channelId: null })), { teamId: 't', channelId: null });
  });
  it('throws for anything else, naming the problem', () => {
    assert.throws(() => payloadOf('pick_board_opened', { event: 'e', data: { data: '{not json' } }), /not valid JSON/);
    assert.throws(() => payloadOf('pick_board_opened', { event: 'e', data: { other: 1 } }), /expected JSON text/);
    assert.throws(() => payloadOf('pick_board_opened', msg('pick_board_opened', { teamId: 't' })), /channelId: expected nullable|channelId/);
    assert.throws(() => payloadOf('pick_board_opened', msg('pick_board_opened', { teamId: 't', channelId: null, extra: 1 })), /unexpected field extra/);
  });
});

describe('incident_declared / incident_updated', () => {
  it('stores the incident carried by the event', () => {
    const r = recorder();
    handleIncidentChanged('incident_updated', r.dispatch, never, r.warn)(msg('incident_updated', { change: 'status', incident: fixtureIncident({ title: 'live' }) }));
    assert.equal(r.actions.length, 1);
    const action = r.actions[0]!;
    assert.equal(action.type === 'infra-ops/incident-received' && action.incident.title, 'live');
  });

  it('refetches when the record does not decode, by team and number', async () => {
    const r = recorder();
    const fetched: unknown[] = [];
    const fetch = async (ref: { teamId: string; number: number }) => {
      fetched.push(ref);
      return fixtureIncident({ number: ref.number });
    };
    handleIncidentChanged('incident_updated', r.dispatch, fetch, r.warn)(msg('incident_updated', { change: 'status', incident: { teamId: 'team1', number: 9, severity: 'high' } }));
    await settle();
    assert.deepEqual(fetched, [{ teamId: 'team1', number: 9 }]);
    assert.equal(r.actions.length, 1);
    assert.match(r.warnings[0]!, /did not decode/);
  });

  it('rejects an unknown change kind (a renamed constant is not silently accepted)', async () => {
    const r = recorder();
    handleIncidentChanged('incident_updated', r.dispatch, async () => fixtureIncident(), r.warn)(msg('incident_updated', { change: 'renamed', incident: fixtureIncident() }));
    await settle();
    assert.match(r.warnings[0]!, /did not decode/);
  });

  it('warns and does nothing for a payload that names nothing or is not JSON', () => {
    const r = recorder();
    const handle = handleIncidentChanged('incident_updated', r.dispatch, never, r.warn);
    handle(msg('incident_updated', { change: 'status' }));
    handle({ event: 'custom_infra-ops_incident_updated', data: { data: 'oops' } });
    assert.equal(r.actions.length, 0);
    assert.equal(r.warnings.filter((w) => /names no incident/.test(w)).length, 2);
  });

  it('warns when the refetch fails, never throwing', async () => {
    const r = recorder();
    handleIncidentChanged('incident_updated', r.dispatch, never, r.warn)(msg('incident_updated', { incident: { teamId: 'team1', number: 1 } }));
    await settle();
    assert.equal(r.actions.length, 0);
    assert.match(r.warnings.at(-1)!, /could not fetch/);
  });
});

describe('pick_idea_changed', () => {
  it('stores the idea', () => {
    const r = recorder();
    handlePickIdeaChanged(r.dispatch, never, r.warn)(msg('pick_idea_changed', { idea: fixtureIdea({ number: 12 }) }));
    const action = r.actions[0]!;
    assert.equal(action.type === 'infra-ops/idea-received' && action.idea.number, 12);
  });

  it('refetches a damaged idea by team and number', async () => {
    const r = recorder();
    const refs: unknown[] = [];
    handlePickIdeaChanged(
      r.dispatch,
      async (ref) => {
        refs.push(ref);
        return fixtureIdea({ number: ref.number });
      },
      r.warn,
    )(msg('pick_idea_changed', { idea: { teamId: 'team1', number: 3, status: 'weird' } }));
    await settle();
    assert.deepEqual(refs, [{ teamId: 'team1', number: 3 }]);
    assert.equal(r.actions.length, 1);
  });
});

describe('rfc_changed', () => {
  const notice = { teamId: 'team1', number: 7, reference: 'RFC-007', status: 'in_review', updatedAt: 5_000 };

  it('fetches the RFC the notice names, as this user sees it, and stores it', async () => {
    const r = recorder();
    const refs: unknown[] = [];
    const fetch = async (ref: { teamId: string; number: number }) => {
      refs.push(ref);
      return fixtureRfc({ number: ref.number, openConcerns: 1 });
    };
    handleRfcChanged(r.dispatch, fetch, r.warn)(msg('rfc_changed', { rfc: notice }));
    await settle();
    assert.deepEqual(refs, [{ teamId: 'team1', number: 7 }]);
    assert.equal(r.actions.length, 1);
    const action = r.actions[0]!;
    assert.equal(action.type === 'infra-ops/rfc-received' && action.rfc.openConcerns, 1);
  });

  it('ignores a payload that is not a notice (a whole view is refused), and a failed fetch, never throwing', async () => {
    const r = recorder();
    handleRfcChanged(r.dispatch, never, r.warn)(msg('rfc_changed', { rfc: fixtureRfc() }));
    handleRfcChanged(r.dispatch, never, r.warn)(msg('rfc_changed', { rfc: notice }));
    await settle();
    assert.equal(r.actions.length, 0);
    assert.match(r.warnings[0]!, /did not decode/);
    assert.match(r.warnings[1]!, /could not fetch/);
  });
});

describe('run_changed', () => {
  const notice = { teamId: 'team1', number: 4, reference: 'RUN-004', status: 'active', updatedAt: 5_000 };

  it('fetches the run the notice names (the notice has no checklist) and stores it', async () => {
    const r = recorder();
    const refs: unknown[] = [];
    const fetch = async (ref: { teamId: string; number: number }) => {
      refs.push(ref);
      return fixtureRun({ number: ref.number, progress: { done: 1, skipped: 0, total: 2, overdue: 0, openGates: 1 } });
    };
    handleRunChanged(r.dispatch, fetch, r.warn)(msg('run_changed', { run: notice }));
    await settle();
    assert.deepEqual(refs, [{ teamId: 'team1', number: 4 }]);
    assert.equal(r.actions.length, 1);
    const action = r.actions[0]!;
    assert.equal(action.type === 'infra-ops/run-received' && action.run.progress.done, 1);
  });

  it('ignores a payload that is not a notice (a whole view is refused), and a failed fetch, never throwing', async () => {
    const r = recorder();
    handleRunChanged(r.dispatch, never, r.warn)(msg('run_changed', { run: fixtureRun() }));
    handleRunChanged(r.dispatch, never, r.warn)(msg('run_changed', { run: notice }));
    await settle();
    assert.equal(r.actions.length, 0);
    assert.match(r.warnings[0]!, /did not decode/);
    assert.match(r.warnings[1]!, /could not fetch/);
  });
});

describe('guild_changed', () => {
  it('stores the guild with its next meeting time, refetching one that does not decode', async () => {
    const r = recorder();
    const refs: unknown[] = [];
    const fetch = async (ref: { teamId: string; slug: string }) => {
      refs.push(ref);
      return fixtureGuild({ slug: ref.slug });
    };
    const handle = handleGuildChanged(r.dispatch, fetch, r.warn);
    handle(msg('guild_changed', { guild: fixtureGuild({ nextMeetingAt: 99 }) }));
    handle(msg('guild_changed', { guild: { teamId: 'team1', slug: 'infra' } }));
    handle(msg('guild_changed', { guild: {} }));
    await settle();
    assert.deepEqual(refs, [{ teamId: 'team1', slug: 'infra' }]);
    assert.equal(r.actions.length, 2);
    const first = r.actions[0]!;
    assert.equal(first.type === 'infra-ops/guild-received' && first.guild.nextMeetingAt, 99);
    assert.equal(r.warnings.filter((w) => /names no guild/.test(w)).length, 1);
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
  it("covers every event of the contract except the follower's status DM", () => {
    const r = recorder();
    const names = Object.keys(
      websocketHandlers({
        dispatch: r.dispatch,
        fetchIncident: never,
        fetchIdea: never,
        fetchRfc: never,
        fetchGuild: never,
        fetchRun: never,
        openPickBoard: () => undefined,
        warn: r.warn,
      }),
    ).sort();
    // The follower's status DM is shown by the host.
    assert.deepEqual(names, EVENT_NAMES.filter((e) => e !== 'incident_status_posted').sort());
  });
});
