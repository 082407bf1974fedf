import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureIncident } from '../testing/fixtures';
import { cardView, readCardProps } from './card_view';

const cardData = {
  id: 'inc1',
  teamId: 'team1',
  number: 42,
  channelId: 'chInc',
  reference: 'INC-042',
  title: 'Database latency',
  summary: 'p99 above 2s',
  type: 'performance',
  severity: 2,
  severityLabel: 'Major',
  phase: 'active',
  private: true,
  roles: { commander: { userId: 'u1', username: 'alice' }, scribe: null, comms: null },
  lastUpdate: null,
  declaredAt: 10_000,
  resolvedAt: null,
  openFollowups: 0,
};

describe('incident card view', () => {
  it('reads the snapshot from the infra_incident prop', () => {
    const props = readCardProps({ infra_incident: JSON.stringify(cardData), incident_id: 'inc1' });
    assert.ok(props.ok);
    const view = cardView(props.ok ? props.card : null, undefined)!;
    assert.equal(view.reference, 'INC-042');
    assert.deepEqual(view.commander, { userId: 'u1', username: 'alice' });
    assert.equal(view.live, false);
  });

  it('reports a damaged prop with the incident id so the card can still refetch', () => {
    const props = readCardProps({ infra_incident: '{"id": 5}', incident_id: 'inc1' });
    assert.equal(props.ok, false);
    assert.equal(!props.ok && props.incidentId, 'inc1');
    assert.equal(readCardProps(undefined).ok, false);
    const extra = readCardProps({ infra_incident: JSON.stringify({ ...cardData, v: 1 }) });
    assert.ok(!extra.ok && /unexpected field v/.test(extra.error), 'a field the contract does not have is a damaged card');
  });

  it('prefers the live record, reusing snapshot usernames only for the same holder', () => {
    const live = fixtureIncident({ phase: 'resolved', roles: { commander: 'u2', scribe: null, comms: null }, milestones: { detected: null, acknowledged: null, mitigated: null, resolved: 20_000 } });
    const snapshot = readCardProps({ infra_incident: JSON.stringify(cardData) });
    const view = cardView(snapshot.ok ? snapshot.card : null, live)!;
    assert.equal(view.phase, 'resolved');
    assert.equal(view.resolvedAt, 20_000);
    assert.deepEqual(view.commander, { userId: 'u2', username: null });
    assert.equal(view.live, true);
  });
});
