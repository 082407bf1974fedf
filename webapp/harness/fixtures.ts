// Fixture data for the browser harness: the host's redux entities (browser side) and the views
// the fake plugin backend serves (node side), typed by the API contract. Ids have Mattermost's
// 26-character shape.
import type { Agenda, CardData, GateView, Guild, Idea, Incident, Quadrant, Rfc, RunView } from '../src/contract';

export const mmId = (seed: string): string => (seed.toLowerCase().replace(/[^a-z0-9]/g, '') + 'x'.repeat(26)).slice(0, 26);

export const TEAM = mmId('team');
export const ME = mmId('alice');
export const BOB = mmId('bob');
export const TOWN = mmId('townsquare');
/** A second channel of the team, to move to (lists are fetched again on a channel change). */
export const OFFTOPIC = mmId('offtopic');
export const INC_CHANNEL = mmId('inc042');
// The real clock: "days left" and staleness checks in the webapp compare against Date.now().
export const NOW = Date.now();
export const CSRF = 'harness-csrf-token';

export interface HostPost {
  id: string;
  channel_id: string;
  user_id: string;
  username: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  create_at: number;
}

export interface HostUser {
  id: string;
  username: string;
  nickname: string;
  first_name: string;
  last_name: string;
  timezone?: { useAutomaticTimezone: string; automaticTimezone: string; manualTimezone: string };
}

export interface HostEntities {
  general: { config: { SiteURL: string; DisableAppBar: string; TeammateNameDisplay: string; LockTeammateNameDisplay: string }; license: Record<string, string> };
  users: { currentUserId: string; profiles: Record<string, HostUser> };
  preferences: { myPreferences: Record<string, { category: string; name: string; user_id: string; value: string }> };
  teams: { currentTeamId: string; teams: Record<string, { id: string; name: string }>; myMembers: Record<string, { team_id: string; user_id: string; roles: string }> };
  channels: { currentChannelId: string; channels: Record<string, { id: string; name: string }> };
  posts: { posts: Record<string, HostPost>; order: string[] };
}

/** Every user the fake server knows (POST /api/v4/users/ids answers from here). */
export const USERS: Record<string, HostUser> = {
  [ME]: { id: ME, username: 'alice', nickname: '', first_name: 'Alice', last_name: 'Liddell' },
  [BOB]: { id: BOB, username: 'bob', nickname: 'Bobby', first_name: 'Bob', last_name: 'Builder' },
};

/** What a harness page is started with (its query string). */
export interface HostOptions {
  siteURL: string;
  /** DisableAppBar as the client config carries it: 'true' or 'false'. */
  disableAppBar: string;
  /** display_settings--name_format: 'username' | 'nickname_full_name' | 'full_name'. */
  nameFormat?: string;
  /** display_settings--use_military_time. */
  clock24?: boolean;
  /** advanced_settings--formatting 'false': the host draws posts as plain text. */
  formattingOff?: boolean;
  /** The user's Mattermost timezone (manual). */
  timeZone?: string;
  /** No current channel, as in the host's Threads view. */
  noChannel?: boolean;
  /** The user is an admin of the team (team member roles `team_user team_admin`). */
  teamAdmin?: boolean;
}

// ---- incidents ----

export function incident(n: number, over: Partial<Incident> = {}): Incident {
  return {
    id: mmId(`incident${n}`),
    teamId: TEAM,
    number: n,
    reference: `INC-${String(n).padStart(3, '0')}`,
    phase: 'active',
    title: 'Database latency',
    summary: 'Primary DB p99 above 2s; checkout slow.',
    type: 'performance',
    severity: 2,
    severityLabel: 'Major',
    private: true,
    channelId: INC_CHANNEL,
    channelName: `inc-${String(n).padStart(3, '0')}-database-latency`,
    declaredBy: ME,
    declaredAt: NOW - 95 * 60_000,
    updatedAt: NOW - 10 * 60_000,
    roles: { commander: ME, scribe: BOB, comms: null },
    milestones: { detected: NOW - 100 * 60_000, acknowledged: NOW - 90 * 60_000, mitigated: null, resolved: null },
    lastUpdate: { text: 'Failover to the replica complete; watching error rates.', at: NOW - 10 * 60_000, by: ME },
    resolution: null,
    followers: [],
    followups: [{ n: 1, text: 'Alert on connection pool saturation', ownerId: BOB, due: null, createdAt: NOW, createdBy: ME, doneAt: null, doneBy: null }],
    openFollowups: 1,
    review: { needed: false, reviewedAt: null },
    mttaMinutes: 10,
    mttrMinutes: null,
    nextUpdateDueAt: NOW + 20 * 60_000,
    ...over,
  };
}

/** What the server put in the card post's `infra_incident` prop when it was posted. */
export function cardSnapshot(n: number, over: Partial<CardData> = {}): CardData {
  const i = incident(n);
  return {
    id: i.id,
    teamId: TEAM,
    number: n,
    channelId: INC_CHANNEL,
    reference: i.reference,
    title: i.title,
    summary: i.summary,
    type: i.type,
    severity: i.severity,
    severityLabel: i.severityLabel,
    phase: 'active',
    private: true,
    roles: { commander: { userId: ME, username: 'alice' }, scribe: null, comms: null },
    lastUpdate: null,
    declaredAt: i.declaredAt,
    resolvedAt: null,
    openFollowups: 0,
    ...over,
  };
}

// ---- PICK ----

const axis = (median: number, spread = 1) => ({ median, q1: Math.max(1, median - spread), q3: Math.min(10, median + spread), iqr: Math.min(10, median + spread) - Math.max(1, median - spread) });

export function idea(n: number, title: string, scores: { payoff: number; cost: number; quadrant: Quadrant; disputed?: boolean } | null, over: Partial<Idea> = {}): Idea {
  return {
    teamId: TEAM,
    number: n,
    reference: `IDEA-${n}`,
    channelId: TOWN,
    title,
    ownerId: ME,
    createdAt: NOW - n * 3_600_000,
    updatedAt: NOW - n * 3_600_000,
    status: scores ? 'revealed' : 'open',
    round: 1,
    askedCount: 4,
    scoredCount: scores ? 4 : 2,
    revealed: scores
      ? {
          round: 1,
          payoff: axis(scores.payoff, scores.disputed ? 3 : 1),
          cost: axis(scores.cost),
          count: 4,
          quadrant: scores.quadrant,
          disputed: scores.disputed ?? false,
          threshold: 5.5,
          revealedAt: NOW - 60_000,
          revealedBy: ME,
        }
      : null,
    history: [],
    rfcNumber: null,
    archived: null,
    viewer: { myScore: null, awaitingMyScore: !scores },
    ...over,
  };
}

/** The board and the quadrant each idea must be drawn in (checked against the chart's pixels). */
export const IDEAS = [
  idea(1, 'Cache CI builds', { payoff: 8, cost: 2, quadrant: 'implement' }),
  idea(2, 'Multi-region failover', { payoff: 9, cost: 8, quadrant: 'challenge', disputed: true }),
  idea(3, 'Rename dashboards', { payoff: 3, cost: 2, quadrant: 'possible' }),
  idea(4, 'Rewrite billing in Rust', { payoff: 3, cost: 9, quadrant: 'kill' }),
  idea(6, 'Public status page', { payoff: 5.5, cost: 5.5, quadrant: 'challenge' }),
  idea(5, 'Adopt OpenTelemetry', null),
];

// ---- RFCs and guilds ----

export function rfc(n: number, title: string, over: Partial<Rfc> = {}): Rfc {
  return {
    teamId: TEAM,
    number: n,
    reference: `RFC-${String(n).padStart(3, '0')}`,
    title,
    docUrl: `https://docs.example.com/rfc-${n}`,
    ownerId: BOB,
    status: 'draft',
    createdAt: NOW - 86_400_000 * n,
    updatedAt: NOW - 86_400_000,
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

export const RFCS = [
  rfc(7, 'Adopt OpenTelemetry for tracing', {
    status: 'in_review',
    reviewers: [
      { userId: ME, signedOffAt: NOW - 3_600_000, answer: 'approve', delegate: null },
      { userId: BOB, signedOffAt: null, answer: null, delegate: null },
    ],
    commentPeriod: { startedAt: NOW - 2 * 86_400_000, endsAt: NOW + 5 * 86_400_000 },
    concerns: [{ id: 1, text: 'Cost of the collector fleet?', raisedBy: BOB, raisedAt: NOW, resolvedBy: null, resolvedAt: null, resolution: null }],
    openConcerns: 1,
  }),
  rfc(8, 'Retire the legacy VPN'),
];

const guild = (slug: string, name: string, over: Partial<Guild>): Guild => ({
  slug,
  name,
  purpose: '',
  teamId: TEAM,
  channelId: null,
  members: [],
  facilitators: [],
  day: 1,
  time: '10:00',
  timeZone: 'Europe/Berlin',
  everyWeeks: 1,
  sources: [],
  createdBy: null,
  seeded: true,
  createdAt: NOW,
  updatedAt: NOW,
  queue: [],
  notes: [],
  lastMeeting: null,
  nextMeetingAt: null,
  skippedDates: [],
  holidays: [],
  rota: null,
  ...over,
});

export const GUILDS: Guild[] = [
  guild('reliability-engineering-guild', 'Reliability Engineering Guild', {
    purpose: 'Incident Review & Knowledge share',
    channelId: mmId('relguild'),
    sources: ['incidents'],
    nextMeetingAt: Date.UTC(2026, 10, 30, 9, 0),
  }),
  guild('infrastructure-guild', 'Infrastructure Guild', { purpose: 'Cross-org collaboration', day: 4, sources: ['rfcs', 'pick'], nextMeetingAt: Date.UTC(2026, 10, 26, 9, 0) }),
  // Made by the harness user (who may therefore delete it), run by bob.
  guild('platform-sync', 'Platform Sync', {
    channelId: TOWN,
    day: 3,
    time: '15:00',
    facilitators: [BOB],
    createdBy: ME,
    seeded: false,
    nextMeetingAt: Date.UTC(2026, 11, 2, 14, 0),
  }),
];

export const AGENDA: Agenda = {
  slug: 'reliability-engineering-guild',
  name: 'Reliability Engineering Guild',
  teamId: TEAM,
  channelId: mmId('relguild'),
  sources: ['incidents'],
  scheduledFor: Date.UTC(2026, 10, 30, 9, 0),
  timeZone: 'Europe/Berlin',
  since: null,
  carried: [],
  queued: [{ id: 1, text: 'On-call handbook refresh', by: BOB, at: NOW, carried: 0 }],
  incidents: [{ incidentId: mmId('incident39'), reference: 'INC-039', title: 'DNS outage', severity: 1, resolvedAt: NOW - 86_400_000, mttrMinutes: 72, openFollowups: 2 }],
  rfcs: [],
  ideas: [],
  notes: [],
  hidden: { incidents: 0, rfcs: 0, ideas: 0 },
};

// ---- runs ----

/** A release gate: BOB and ME approve, two approvals needed; `approvals` of them given. */
export function releaseGate(approvals: number): GateView {
  const seat = (userId: string, answered: boolean) => ({ userId, groupId: null, delegate: null, answer: answered ? ('approve' as const) : null, answeredBy: answered ? userId : null, answeredAt: answered ? NOW : null });
  return {
    quorum: { kind: 'all', n: null },
    state: approvals >= 2 ? 'passed' : 'waiting',
    approvals,
    needed: 2,
    seats: [seat(BOB, approvals >= 1), seat(ME, approvals >= 2)],
    concerns: [],
    deadline: null,
    override: null,
  };
}

export function run(n: number, name: string, over: Partial<RunView> = {}): RunView {
  const item = (ref: string, title: string) => ({ ref, title, description: '', assignees: [], due: null, command: null, state: 'open' as const, by: null, at: null, gate: null });
  return {
    teamId: TEAM,
    number: n,
    reference: `RUN-${String(n).padStart(3, '0')}`,
    kind: 'release',
    name,
    channelId: mmId(`run${n}`),
    ownerId: BOB,
    template: { slug: 'release', name: 'Release', version: 2 },
    status: 'active',
    startedAt: NOW - 3_600_000,
    finishedAt: null,
    finishOverride: null,
    checklists: [
      { title: 'Prepare', items: [item('1.1', 'Freeze the branch'), item('1.2', 'Changelog written')] },
      { title: 'Approve', items: [{ ...item('2.1', 'Release approval'), gate: releaseGate(0) }] },
    ],
    progress: { done: 0, skipped: 0, total: 3, overdue: 0, openGates: 1 },
    nextUpdateDueAt: null,
    updateCadenceMinutes: null,
    snoozedUntil: null,
    ...over,
  };
}

/** The progress a run's checklists add up to (as the server counts it). */
export function progressOf(r: RunView): RunView['progress'] {
  const items = r.checklists.flatMap((l) => l.items);
  return {
    done: items.filter((i) => i.state === 'done').length,
    skipped: items.filter((i) => i.state === 'skipped').length,
    total: items.length,
    overdue: 0,
    openGates: items.filter((i) => i.gate !== null && i.gate.state !== 'passed').length,
  };
}

export const RUNS: RunView[] = [
  run(3, 'Release 2.3', { status: 'finished', finishedAt: NOW - 86_400_000, checklists: [], progress: { done: 0, skipped: 0, total: 0, overdue: 0, openGates: 0 } }),
  run(4, 'Release 2.4'),
];

// ---- host state ----

export function hostState({ siteURL, disableAppBar, nameFormat, clock24, formattingOff, timeZone, noChannel, teamAdmin }: HostOptions): HostEntities {
  const posts: HostPost[] = [
    {
      id: mmId('postbob'),
      channel_id: TOWN,
      user_id: BOB,
      username: 'bob',
      message: 'Checkout API returning 500s since 10:02, error rate 12%',
      type: '',
      props: {},
      create_at: NOW - 120_000,
    },
    {
      // A system message: the host offers no message actions on it.
      id: mmId('postjoin'),
      channel_id: TOWN,
      user_id: BOB,
      username: 'bob',
      message: 'bob joined the channel.',
      type: 'system_join_channel',
      props: {},
      create_at: NOW - 90_000,
    },
    {
      id: mmId('postcard42'),
      channel_id: INC_CHANNEL,
      user_id: mmId('bot'),
      username: 'infra-ops',
      message: '### INC-042: Database latency (plain-text fallback)',
      type: 'custom_infra_incident',
      props: { infra_incident: JSON.stringify(cardSnapshot(42)), incident_id: mmId('incident42') },
      create_at: NOW - 60_000,
    },
    {
      id: mmId('postcard40'),
      channel_id: mmId('inc040'),
      user_id: mmId('bot'),
      username: 'infra-ops',
      message: '### INC-040: Queue backlog (plain-text fallback)',
      type: 'custom_infra_incident',
      props: {
        infra_incident: JSON.stringify(cardSnapshot(40, { title: 'Queue backlog', severity: 3, severityLabel: 'Minor', phase: 'resolved', resolvedAt: NOW - 3_600_000 })),
        incident_id: mmId('incident40'),
      },
      create_at: NOW - 30_000,
    },
  ];
  const pref = (category: string, name: string, value: string) => ({ category, name, user_id: ME, value });
  const preferences = [
    ...(nameFormat ? [pref('display_settings', 'name_format', nameFormat)] : []),
    ...(clock24 ? [pref('display_settings', 'use_military_time', 'true')] : []),
    ...(formattingOff ? [pref('advanced_settings', 'formatting', 'false')] : []),
  ];
  return {
    general: { config: { SiteURL: siteURL, DisableAppBar: disableAppBar, TeammateNameDisplay: 'username', LockTeammateNameDisplay: 'false' }, license: {} },
    // As in the host: the current user is loaded; everyone else only once something fetched them.
    users: {
      currentUserId: ME,
      profiles: { [ME]: { ...USERS[ME]!, timezone: { useAutomaticTimezone: 'false', automaticTimezone: '', manualTimezone: timeZone ?? 'UTC' } } },
    },
    preferences: { myPreferences: Object.fromEntries(preferences.map((p) => [`${p.category}--${p.name}`, p])) },
    teams: {
      currentTeamId: TEAM,
      teams: { [TEAM]: { id: TEAM, name: 'platform' } },
      myMembers: { [TEAM]: { team_id: TEAM, user_id: ME, roles: teamAdmin ? 'team_user team_admin' : 'team_user' } },
    },
    channels: { currentChannelId: noChannel ? '' : TOWN, channels: { [TOWN]: { id: TOWN, name: 'town-square' }, [OFFTOPIC]: { id: OFFTOPIC, name: 'off-topic' } } },
    posts: { posts: Object.fromEntries(posts.map((p) => [p.id, p])), order: posts.map((p) => p.id) },
  };
}
