// Views as the server sends them, typed by the contract: a field renamed there fails the webapp's
// type check here, and every fixture decodes with the contract's strict schemas (fixtures.test.ts).
import type { Agenda, AlertSourceView, Guild, Idea, Incident, Rfc, RoundResult, RunView, WebhookView } from '../contract';

export function fixtureIdea(over: Partial<Idea> = {}): Idea {
  return {
    teamId: 'team1',
    number: 1,
    reference: 'IDEA-1',
    channelId: 'ch1',
    title: 'Cache the builds',
    ownerId: 'u1',
    createdAt: 1_000,
    updatedAt: 2_000,
    status: 'open',
    round: 1,
    askedCount: 4,
    scoredCount: 1,
    revealed: null,
    history: [],
    rfcNumber: null,
    archived: null,
    viewer: null,
    ...over,
  };
}

export function fixtureRevealed(payoff: number, cost: number, over: Partial<RoundResult> = {}): RoundResult {
  const axis = (m: number) => ({ median: m, q1: Math.max(1, m - 1), q3: Math.min(10, m + 1), iqr: 2 });
  const high = (v: number) => v >= 5.5;
  const quadrant = high(payoff) ? (high(cost) ? 'challenge' : 'implement') : high(cost) ? 'kill' : 'possible';
  return {
    round: 1,
    payoff: axis(payoff),
    cost: axis(cost),
    count: 3,
    quadrant,
    disputed: false,
    threshold: 5.5,
    revealedAt: 3_000,
    revealedBy: 'u1',
    ...over,
  };
}

export function fixtureIncident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc1',
    teamId: 'team1',
    number: 42,
    reference: 'INC-042',
    phase: 'active',
    title: 'Database latency',
    summary: 'p99 above 2s',
    type: 'performance',
    severity: 2,
    severityLabel: 'Major',
    private: true,
    channelId: 'chInc',
    channelName: 'inc-042-database-latency',
    declaredBy: 'u1',
    declaredAt: 10_000,
    updatedAt: 10_000,
    roles: { commander: 'u1', scribe: null, comms: null },
    milestones: { detected: null, acknowledged: null, mitigated: null, resolved: null },
    lastUpdate: null,
    resolution: null,
    followers: [],
    followups: [],
    openFollowups: 0,
    review: { needed: false, reviewedAt: null },
    mttaMinutes: null,
    mttrMinutes: null,
    nextUpdateDueAt: null,
    ...over,
  };
}

export function fixtureRfc(over: Partial<Rfc> = {}): Rfc {
  return {
    teamId: 'team1',
    number: 7,
    reference: 'RFC-007',
    title: 'Adopt OpenTelemetry',
    docUrl: null,
    ownerId: 'u1',
    status: 'draft',
    createdAt: 1_000,
    updatedAt: 1_000,
    channelId: null,
    reviewers: [],
    commentPeriod: null,
    concerns: [],
    openConcerns: 0,
    outcome: null,
    supersededBy: null,
    supersedes: [],
    lastReviewedAt: null,
    ideaNumber: null,
    ...over,
  };
}

export function fixtureGuild(over: Partial<Guild> = {}): Guild {
  return {
    slug: 'infrastructure-guild',
    name: 'Infrastructure Guild',
    purpose: 'Cross-org collaboration',
    teamId: 'team1',
    channelId: 'chGuild',
    members: [{ kind: 'label', text: 'SRE' }],
    facilitators: [],
    day: 4,
    time: '10:00',
    timeZone: 'Europe/Berlin',
    everyWeeks: 1,
    sources: ['rfcs', 'pick'],
    seeded: true,
    createdBy: null,
    createdAt: 1_000,
    updatedAt: 1_000,
    queue: [],
    notes: [],
    lastMeeting: null,
    nextMeetingAt: 5_000,
    skippedDates: [],
    holidays: [],
    rota: null,
    ...over,
  };
}

export function fixtureAgenda(over: Partial<Agenda> = {}): Agenda {
  return {
    slug: 'infrastructure-guild',
    name: 'Infrastructure Guild',
    teamId: 'team1',
    channelId: 'chGuild',
    sources: ['rfcs', 'pick'],
    scheduledFor: 5_000,
    timeZone: 'Europe/Berlin',
    since: null,
    carried: [],
    queued: [],
    incidents: [],
    rfcs: [],
    ideas: [],
    notes: [],
    hidden: { incidents: 0, rfcs: 0, ideas: 0 },
    ...over,
  };
}

/** RUN-004, a release with one checklist: an item and an approval gate waiting for one of two approvals. */
export function fixtureRun(over: Partial<RunView> = {}): RunView {
  return {
    teamId: 'team1',
    number: 4,
    reference: 'RUN-004',
    kind: 'release',
    name: 'Release 2.4',
    channelId: 'ch-run-4',
    ownerId: 'u1',
    template: { slug: 'release', name: 'Release', version: 1 },
    status: 'active',
    startedAt: 1_000,
    finishedAt: null,
    finishOverride: null,
    checklists: [
      {
        title: 'Ship',
        items: [
          { ref: '1.1', title: 'Tag the release', description: '', assignees: [], due: null, command: null, state: 'open', by: null, at: null, gate: null },
          {
            ref: '1.2',
            title: 'QA sign-off',
            description: '',
            assignees: [],
            due: null,
            command: null,
            state: 'open',
            by: null,
            at: null,
            gate: {
              quorum: { kind: 'atLeast', n: 2 },
              state: 'waiting',
              approvals: 1,
              needed: 2,
              seats: [],
              concerns: [],
              deadline: null,
              override: null,
            },
          },
        ],
      },
    ],
    progress: { done: 0, skipped: 0, total: 2, overdue: 0, openGates: 1 },
    nextUpdateDueAt: null,
    updateCadenceMinutes: null,
    snoozedUntil: null,
    ...over,
  };
}

export function fixtureAlertSource(over: Partial<AlertSourceView> = {}): AlertSourceView {
  return {
    id: 'src1',
    teamId: 'team1',
    name: 'prom',
    type: 'alertmanager',
    url: 'https://mm.example.com/plugins/infra-ops/hooks/alertmanager/src1',
    severityLabel: 'severity',
    severityMap: { critical: 1, warning: 3 },
    defaultSeverity: 3,
    typeLabel: null,
    responderIds: [],
    signatureHeader: null,
    timestampHeader: null,
    dedupeWindowHours: 24,
    autoResolve: true,
    private: false,
    createdBy: 'u1',
    createdAt: 1_000,
    secretRotatedAt: 1_000,
    ...over,
  };
}

export function fixtureWebhook(over: Partial<WebhookView> = {}): WebhookView {
  return { id: 'wh1', url: 'https://hooks.example.com/infra', events: ['incident.declared'], includePrivate: false, templates: [], createdBy: 'u1', createdAt: 1_000, ...over };
}
