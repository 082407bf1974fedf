import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureAgenda } from '../testing/fixtures';
import { agendaLines } from './agenda_view';

describe('agendaLines', () => {
  it('orders carried, queued, incidents, RFCs, ideas and summarises each', () => {
    const agenda = fixtureAgenda({
      scheduledFor: 0,
      carried: [{ id: 2, text: 'Budget', by: 'u', at: 0, carried: 1 }],
      queued: [{ id: 3, text: 'K8s upgrade', by: 'u', at: 0, carried: 0 }],
      incidents: [{ incidentId: 'i1', reference: 'INC-001', title: 'Outage', severity: 1, resolvedAt: 0, mttrMinutes: 90, openFollowups: 2 }],
      rfcs: [{ rfcId: 't:7', reference: 'RFC-007', title: 'OTel', commentPeriodEndsAt: 3 * 86_400_000, missingSignoffs: ['u2'], openConcerns: 1 }],
      ideas: [{ ideaId: 't:4', reference: 'IDEA-4', title: 'Rust', quadrant: 'challenge', disputed: true }],
    });
    const lines = agendaLines(agenda, 0);
    assert.deepEqual(lines.map((l) => l.source), ['carried', 'queued', 'incidents', 'rfcs', 'pick']);
    assert.equal(lines[2]!.detail, 'SEV1 · MTTR 1h 30m · 2 open follow-ups');
    assert.equal(lines[3]!.detail, '3 days left · 1 sign-off missing · 1 open concern');
    assert.equal(lines[4]!.detail, 'disputed: scores disagree');
  });

  it('counts private items the caller may not see, without naming them', () => {
    assert.deepEqual(agendaLines(fixtureAgenda(), 0), []);
    const lines = agendaLines(fixtureAgenda({ hidden: { incidents: 2, rfcs: 0, ideas: 1 } }), 0);
    assert.deepEqual(lines.map((l) => [l.source, l.title]), [['private', '3 more items from channels you cannot see']]);
  });
});
