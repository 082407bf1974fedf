// Server-shaped records for tests (the JSON the routes send, before decoding).
export function fixtureIdea(over: Record<string, unknown> = {}): Record<string, unknown> {
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
    ...over,
  };
}

export function fixtureRevealed(payoff: number, cost: number, over: Record<string, unknown> = {}): Record<string, unknown> {
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

export function fixtureIncident(over: Record<string, unknown> = {}): Record<string, unknown> {
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

export function fixtureRfc(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    v: 1,
    teamId: 'team1',
    number: 7,
    title: 'Adopt OpenTelemetry',
    docUrl: null,
    ownerId: 'u1',
    status: 'draft',
    createdAt: 1_000,
    updatedAt: 1_000,
    ordinal: 0,
    channelId: null,
    rootPostId: null,
    reviewers: [],
    commentPeriod: null,
    concerns: [],
    outcome: null,
    supersededBy: null,
    supersedes: [],
    lastReviewedAt: null,
    ideaNumber: null,
    history: [],
    ...over,
  };
}
