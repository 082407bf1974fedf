// What the plugin's server sends the webapp, as decoders (the runtime check) and the types they
// produce. One place to change when a server route's body changes.
import { array, boolean, map, nullable, number, object, oneOf, record, string, withDefault, type Decoded } from '../decode';

export const QUADRANTS = ['possible', 'implement', 'challenge', 'kill'] as const;
export type Quadrant = (typeof QUADRANTS)[number];

// ---- incidents (server/src/product/incidents/schema.ts IncidentView, card.ts CardData) ----

export const PHASES = ['pending', 'active', 'resolved'] as const;
export const MILESTONES = ['detected', 'acknowledged', 'mitigated', 'resolved'] as const;
export type Milestone = (typeof MILESTONES)[number];

const decodeMilestones = object({
  detected: nullable(number),
  acknowledged: nullable(number),
  mitigated: nullable(number),
  resolved: nullable(number),
});
const decodeLastUpdate = nullable(object({ text: string, at: number, by: string }));

export const decodeFollowup = object({
  n: number,
  text: string,
  ownerId: nullable(string),
  due: nullable(string),
  doneAt: nullable(number),
});
export type Followup = Decoded<typeof decodeFollowup>;

export const decodeIncident = object({
  id: string,
  teamId: string,
  number: number,
  reference: string,
  phase: oneOf(...PHASES),
  title: string,
  summary: withDefault(string, ''),
  type: withDefault(string, ''),
  severity: number,
  severityLabel: withDefault(string, ''),
  private: withDefault(boolean, true),
  channelId: string,
  channelName: withDefault(string, ''),
  declaredBy: string,
  declaredAt: number,
  updatedAt: number,
  roles: object({ commander: string, scribe: nullable(string), comms: nullable(string) }),
  milestones: decodeMilestones,
  lastUpdate: decodeLastUpdate,
  resolution: nullable(object({ at: number, by: string, summary: withDefault(string, '') })),
  followers: withDefault(array(string), []),
  followups: withDefault(array(decodeFollowup), []),
  openFollowups: withDefault(number, 0),
  mttaMinutes: nullable(number),
  mttrMinutes: nullable(number),
  nextUpdateDueAt: nullable(number),
});
export type Incident = Decoded<typeof decodeIncident>;

export const decodeIncidentPage = map(object({ items: array(decodeIncident), next_before: nullable(number) }), (p) => ({
  items: p.items,
  nextBefore: p.next_before,
}));
export type IncidentPage = Decoded<typeof decodeIncidentPage>;

const roleHolder = nullable(object({ userId: string, username: string }));

/** What the server stores in the card post's `infra_incident` prop (JSON text): a snapshot. */
export const CARD_PROP = 'infra_incident';
export const decodeCardData = object({
  id: string,
  teamId: string,
  channelId: string,
  reference: string,
  title: string,
  summary: withDefault(string, ''),
  type: withDefault(string, ''),
  severity: number,
  severityLabel: withDefault(string, ''),
  phase: oneOf(...PHASES),
  private: withDefault(boolean, true),
  roles: object({ commander: roleHolder, scribe: roleHolder, comms: roleHolder }),
  lastUpdate: decodeLastUpdate,
  declaredAt: number,
  resolvedAt: nullable(number),
  openFollowups: withDefault(number, 0),
});
export type CardData = Decoded<typeof decodeCardData>;

export const decodeTimelineEntry = object({
  seq: number,
  at: number,
  actorId: string,
  kind: string,
  text: string,
});
export type TimelineEntry = Decoded<typeof decodeTimelineEntry>;

export interface DeclareIncidentInput {
  team_id: string;
  title: string;
  severity?: number;
  type?: string;
  summary?: string;
  /** Omitted: the "private by default" setting decides. */
  private?: boolean;
  commander_id?: string;
  invite_ids?: string[];
}

const decodeDurationStats = object({ count: number, meanMinutes: nullable(number), medianMinutes: nullable(number), p90Minutes: nullable(number) });
export const decodeIncidentMetrics = object({
  teamId: string,
  since: number,
  until: number,
  total: number,
  active: number,
  resolved: number,
  bySeverity: record(object({ total: number, active: number, mtta: decodeDurationStats, mttr: decodeDurationStats })),
  mtta: decodeDurationStats,
  mttr: decodeDurationStats,
  openFollowups: number,
  awaitingReview: number,
});
export type IncidentMetrics = Decoded<typeof decodeIncidentMetrics>;

// ---- PICK (server/src/product/pick/service.ts IdeaView, schema.ts RoundResult) ----

export const decodeAxis = object({ median: number, q1: number, q3: number, iqr: withDefault(number, 0) });
export type Spread = Decoded<typeof decodeAxis>;

export const decodeRoundResult = object({
  round: number,
  payoff: decodeAxis,
  cost: decodeAxis,
  count: number,
  quadrant: oneOf(...QUADRANTS),
  disputed: withDefault(boolean, false),
  threshold: number,
  revealedAt: number,
});
export type RoundResult = Decoded<typeof decodeRoundResult>;

/** Ideas are numbered per team; `id` (teamId:number) is the webapp's key for them. */
export const decodeIdea = map(
  object({
    teamId: string,
    number: number,
    reference: string,
    channelId: string,
    title: string,
    ownerId: string,
    createdAt: number,
    updatedAt: number,
    status: oneOf('open', 'revealed', 'archived'),
    round: withDefault(number, 1),
    askedCount: withDefault(number, 0),
    scoredCount: withDefault(number, 0),
    revealed: nullable(decodeRoundResult),
    rfcNumber: nullable(number),
    myScore: nullable(object({ payoff: number, cost: number })),
    awaitingMyScore: withDefault(boolean, false),
  }),
  (idea) => ({ ...idea, id: ideaKey(idea.teamId, idea.number) }),
);
export type Idea = Decoded<typeof decodeIdea>;
export const ideaKey = (teamId: string, number: number): string => `${teamId}:${number}`;

export const decodeIdeaPage = object({
  ideas: array(decodeIdea),
  next: nullable(number),
  threshold: number,
});
export type IdeaPage = Decoded<typeof decodeIdeaPage>;

export interface AddIdeaInput {
  channel_id: string;
  title: string;
}

// ---- RFCs (server/src/product/rfc/schema.ts) ----

export const RFC_STATUSES = ['draft', 'in_review', 'accepted', 'rejected', 'postponed', 'withdrawn', 'superseded'] as const;
export type RfcStatus = (typeof RFC_STATUSES)[number];

export const decodeConcern = object({
  id: number,
  text: string,
  raisedBy: string,
  resolvedAt: nullable(number),
});

export const decodeRfc = map(
  object({
    teamId: string,
    number: number,
    title: string,
    status: oneOf(...RFC_STATUSES),
    ownerId: string,
    docUrl: nullable(string),
    reviewers: withDefault(array(object({ userId: string, signedOffAt: nullable(number) })), []),
    commentPeriod: nullable(object({ startedAt: number, endsAt: number })),
    concerns: withDefault(array(decodeConcern), []),
    supersededBy: nullable(number),
    updatedAt: number,
  }),
  (rfc) => ({ ...rfc, id: `${rfc.teamId}:${rfc.number}`, openConcerns: rfc.concerns.filter((c) => c.resolvedAt === null).length }),
);
export type Rfc = Decoded<typeof decodeRfc>;

export const decodeRfcPage = object({ rfcs: array(decodeRfc), next: nullable(number) });
export type RfcPage = Decoded<typeof decodeRfcPage>;

// ---- guilds (server/src/product/guilds/{schema,service,http}.ts) ----

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export const decodeQueueItem = object({ id: number, text: string, by: string, at: number, carried: withDefault(number, 0) });
export type QueueItem = Decoded<typeof decodeQueueItem>;
const decodeGuildNote = object({ kind: oneOf('note', 'decision', 'action'), text: string, by: string, at: number });

const guildFields = {
  slug: string,
  name: string,
  purpose: withDefault(string, ''),
  teamId: nullable(string),
  /** A guild without a channel is inactive (the seeded defaults until an admin gives them one). */
  channelId: nullable(string),
  day: number,
  time: string,
  timeZone: string,
  everyWeeks: withDefault(number, 1),
  sources: withDefault(array(string), []),
  seeded: withDefault(boolean, false),
  queue: withDefault(array(decodeQueueItem), []),
  updatedAt: number,
};

/** A guild keyed by slug, with its next meeting time (computed by the server, DST-aware). */
export const decodeGuild = map(object({ ...guildFields, nextMeetingAt: nullable(number) }), (g) => ({ ...g, id: g.slug }));
export type Guild = Decoded<typeof decodeGuild>;

/** GET /guilds/:slug answers {guild, nextMeetingAt}. */
export const decodeGuildAnswer = map(object({ guild: object(guildFields), nextMeetingAt: nullable(number) }), (a) => ({
  ...a.guild,
  nextMeetingAt: a.nextMeetingAt,
  id: a.guild.slug,
}));

export const decodeAgenda = object({
  slug: string,
  name: string,
  scheduledFor: number,
  timeZone: string,
  since: nullable(number),
  carried: withDefault(array(decodeQueueItem), []),
  queued: withDefault(array(decodeQueueItem), []),
  incidents: withDefault(
    array(object({ incidentId: string, reference: string, title: string, severity: number, mttrMinutes: nullable(number), openFollowups: withDefault(number, 0) })),
    [],
  ),
  rfcs: withDefault(
    array(object({ rfcId: string, reference: string, title: string, commentPeriodEndsAt: nullable(number), missingSignoffs: withDefault(array(string), []), openConcerns: withDefault(number, 0) })),
    [],
  ),
  ideas: withDefault(array(object({ ideaId: string, reference: string, title: string, quadrant: nullable(oneOf(...QUADRANTS)), disputed: withDefault(boolean, false) })), []),
  notes: withDefault(array(decodeGuildNote), []),
});
export type Agenda = Decoded<typeof decodeAgenda>;
