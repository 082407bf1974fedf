/**
 * The small ports through which one feature reads another (guild agendas read incidents, RFCs and
 * ideas; RFCs read and link ideas). Each port is implemented by its feature and handed over in
 * product/index.ts; no feature builds another's stores.
 *
 * Every read names its reader, and the implementing feature filters with the access policy:
 * - `{ userId }`: a person asking (command, HTTP): only items they may see now.
 * - `{ channelId }`: a bot post into a channel (a guild agenda): only items every reader of that
 *   channel may see — items of open channels of the same team — and the rest only as a count.
 */

export type Reader = { readonly userId: string } | { readonly channelId: string };

/** Items a reader may see, and how many more exist that it may not (counted, never described). */
export interface Listed<T> {
  readonly items: readonly T[];
  readonly hidden: number;
}

export interface IncidentReviewItem {
  readonly incidentId: string;
  /** e.g. "INC-042" */
  readonly reference: string;
  readonly title: string;
  readonly severity: number;
  readonly resolvedAt: number;
  /** Minutes from detection (or declaration) to resolution; null if unknown. */
  readonly mttrMinutes: number | null;
  readonly openFollowups: number;
  readonly channelId: string;
}

export interface IncidentReviewSource {
  /** Resolved incidents of the team marked for review and not yet reviewed, oldest first. */
  pendingReview(teamId: string, reader: Reader): Promise<Listed<IncidentReviewItem>>;
  /**
   * A guild meeting closed by `actorUserId` reviewed these incidents: marks those the actor may
   * mark reviewed (see the incidents policy) and returns their ids; the others stay pending.
   */
  markReviewed(actorUserId: string, teamId: string, incidentIds: readonly string[], reviewedAt: number): Promise<string[]>;
}

export interface RfcReviewItem {
  readonly rfcId: string;
  /** e.g. "RFC-007" */
  readonly reference: string;
  readonly title: string;
  readonly commentPeriodEndsAt: number | null;
  readonly missingSignoffs: readonly string[];
  readonly openConcerns: number;
  /** The RFC's channel (null: none): a team-wide calendar feed lists only RFCs of open channels or none. */
  readonly channelId: string | null;
}

export interface RfcReviewSource {
  /** RFCs of the team in review, for the reader. */
  inReview(teamId: string, reader: Reader): Promise<Listed<RfcReviewItem>>;
}

export interface IdeaAgendaItem {
  readonly ideaId: string;
  readonly reference: string;
  readonly title: string;
  readonly quadrant: 'possible' | 'implement' | 'challenge' | 'kill' | null;
  readonly disputed: boolean;
}

export interface IdeaAgendaSource {
  /** Live Challenge and disputed ideas of the team, for the reader. */
  challengeAgenda(teamId: string, reader: Reader): Promise<Listed<IdeaAgendaItem>>;
}

/** What RFCs need of PICK: an idea's title and linking it, both as the acting user. */
export interface IdeaLinkPort {
  title(actorUserId: string, teamId: string, ideaNumber: number): Promise<string>;
  /** `previous`: the RFC the idea was linked to before, when that was another one (the reply says it was replaced). */
  link(actorUserId: string, teamId: string, ideaNumber: number, rfcNumber: number): Promise<{ previous: number | null }>;
}

/** What PICK needs of RFCs: the title of a linked RFC, if the reader may see it. */
export interface RfcTitlePort {
  title(actorUserId: string, teamId: string, rfcNumber: number): Promise<string | null>;
}

/** An incident as alert intake sees it. */
export interface AlertIncident {
  readonly incidentId: string;
  /** e.g. "INC-042" */
  readonly reference: string;
  readonly channelId: string;
  /** pending, triage, active, resolved, dismissed */
  readonly phase: string;
  readonly commanderId: string;
}

/** What an alert group asks for when it opens an incident. */
export interface TriageRequest {
  /** Reserved by the alert group before declaring, so a re-run finds the incident instead of declaring twice. */
  readonly incidentId: string;
  readonly teamId: string;
  readonly title: string;
  readonly summary: string;
  readonly severity: 1 | 2 | 3 | 4;
  readonly type: string;
  readonly private: boolean;
  readonly commanderId: string;
  readonly responderIds: readonly string[];
}

/**
 * What alert intake needs of incidents. Everything here acts as the bot on behalf of an alert
 * source, which a team admin set up for that one team: that is what authorises it.
 */
export interface AlertIncidentPort {
  /** Declares the incident in triage (idempotent by `incidentId`). */
  openTriage(request: TriageRequest): Promise<AlertIncident>;
  find(incidentId: string): Promise<AlertIncident | null>;
  /** One timeline entry per line, written in batches (never a post per line). */
  addTimeline(incidentId: string, kind: string, lines: readonly string[]): Promise<void>;
  /** A bot post in the incident's channel. */
  post(incidentId: string, message: string): Promise<void>;
  /** Resolves an open incident; false when it was no longer open. */
  resolve(incidentId: string, summary: string): Promise<boolean>;
}

/**
 * Who a calendar feed is for, asked at each fetch: one person (what they may see now), or the
 * team (`teamWide`: only what every full member may see — items of open channels of the team, or
 * of none — and still only if `userId`, the link's owner, may see it now).
 */
export interface FeedReader {
  readonly userId: string;
  readonly teamWide: boolean;
}

/** A guild's meetings as a calendar sees them: a weekly series in its zone, with called-off slots. */
export interface GuildMeetingSeries {
  readonly slug: string;
  readonly name: string;
  readonly purpose: string;
  readonly timeZone: string;
  readonly everyWeeks: number;
  /** The first meeting of the series (its regular slot, even if called off). */
  readonly firstAt: number;
  /** Regular slots called off (skips and team holidays), as instants. */
  readonly calledOff: readonly number[];
  /** The next meeting the plugin will hold (reminders and agenda go by it). */
  readonly nextAt: number;
}

export interface GuildCalendarSource {
  /** The team's active guilds the reader may see now, as meeting series. */
  series(teamId: string, reader: FeedReader): Promise<GuildMeetingSeries[]>;
}

/** An open incident follow-up with a due date, for calendar feeds. */
export interface FollowupDueItem {
  readonly incidentId: string;
  /** e.g. "INC-042" */
  readonly reference: string;
  /** The follow-up's number within its incident (`/incident followup done <n>`). */
  readonly n: number;
  readonly text: string;
  /** "YYYY-MM-DD" */
  readonly due: string;
}

export interface FollowupCalendarSource {
  /** The team's open follow-ups that have a due date, as the feed's reader may see them now. */
  dueFollowups(teamId: string, reader: FeedReader): Promise<FollowupDueItem[]>;
}

/** What outgoing webhooks hear of incidents (issue 11): one call per change that leaves the server. */
export type IncidentActivityKind = 'declared' | 'status' | 'severity' | 'resolved' | 'reviewed';

/**
 * An incident as it is right after a change. `private` is the channel's type now (never the
 * record's flag); the receiving feature decides what of it may leave the server.
 */
export interface IncidentActivity {
  readonly kind: IncidentActivityKind;
  readonly teamId: string;
  readonly incidentId: string;
  readonly reference: string;
  readonly number: number;
  readonly title: string;
  readonly severity: 1 | 2 | 3 | 4;
  readonly previousSeverity: 1 | 2 | 3 | 4 | null;
  readonly severityLabel: string;
  readonly phase: 'active' | 'resolved';
  readonly private: boolean;
  readonly status: string | null;
  readonly summary: string | null;
  readonly components: readonly string[];
  readonly declaredAt: number;
  readonly resolvedAt: number | null;
  readonly channelId: string;
  readonly channelName: string;
  /** The incident's type ("Outage"): with the severity it picks the runbook template. */
  readonly type?: string;
  /** When the change happened; with incidentId, kind and `rev` it names the change uniquely. */
  readonly at: number;
  /** The record's revision after the change: the same change heard twice has the same rev. */
  readonly rev: number;
}

export interface IncidentActivitySink {
  /** Best effort for the incident: a failure is logged by the caller and never fails the change. */
  incidentChanged(activity: IncidentActivity): Promise<void>;
}

/** An incident as the status page shows it; only incidents the viewer may see are ever handed over. */
export interface StatusIncident {
  readonly incidentId: string;
  readonly reference: string;
  readonly title: string;
  readonly severity: 1 | 2 | 3 | 4;
  readonly severityLabel: string;
  readonly phase: 'active' | 'resolved';
  readonly components: readonly string[];
  readonly status: string | null;
  readonly declaredAt: number;
  readonly resolvedAt: number | null;
}

/** A customer-facing incident on the public status page: its public text, never its title or updates. */
export interface PublicIncident {
  readonly reference: string;
  readonly severity: 1 | 2 | 3 | 4;
  readonly phase: 'active' | 'resolved';
  readonly components: readonly string[];
  readonly publicStatus: string;
  readonly declaredAt: number;
  readonly resolvedAt: number | null;
}

/** What the status page reads of incidents, for one viewer (a person). */
export interface IncidentStatusSource {
  /**
   * The team's incidents their commanders marked customer-facing (active, and resolved since
   * `since`), for the public page behind its secret link: no reader, so only what was made public.
   */
  customerFacing(teamId: string, since: number): Promise<{ active: PublicIncident[]; recent: PublicIncident[] }>;
  /** Active incidents, and incidents resolved since `since`, of the team that the viewer may see now. */
  forStatusPage(teamId: string, viewerUserId: string, since: number): Promise<{ active: StatusIncident[]; recent: StatusIncident[] }>;
}

/** An incident as its runbook sees it (runs, issue 10). */
export interface RunbookIncident {
  readonly teamId: string;
  readonly channelId: string;
  /** e.g. "INC-042" */
  readonly reference: string;
  readonly title: string;
  readonly type: string;
  readonly severity: 1 | 2 | 3 | 4;
  readonly commanderId: string;
}

/**
 * An incident is a run: declared, its channel gets the checklist of the team's incident template
 * for its type and severity; resolved, that run is finished (its retrospective opens). Best effort
 * for the incident: the caller logs a failure and never fails the incident's change.
 */
export interface IncidentRunbookPort {
  declared(incident: RunbookIncident): Promise<void>;
  resolved(incident: RunbookIncident, resolverId: string): Promise<void>;
  /** A role changed: the runbook's owner follows the incident's commander (a handoff hands over the run too). */
  commanderChanged?(incident: RunbookIncident): Promise<void>;
  /**
   * The incident's status-update cadence when its runbook sets it (template, `/run cadence`,
   * `/run snooze`); null when there is no runbook (the severity setting applies). The incident's
   * last update is handed over so the run's timeline and card follow it. The incident's reminder
   * stays the one reminder: the run schedules none of its own.
   */
  cadence?(incident: IncidentCadenceFacts): Promise<IncidentCadence | null>;
}

export interface IncidentCadenceFacts {
  readonly channelId: string;
  readonly lastUpdate: { readonly at: number; readonly by: string; readonly text: string } | null;
  /** The severity setting's minutes between updates (0: none). */
  readonly severityMinutes: number;
}

export interface IncidentCadence {
  /** Minutes between updates; null: never. */
  readonly cadenceMinutes: number | null;
  readonly snoozedUntil: number | null;
}

/** Runs ask the incident in a channel to re-time its reminder after `/run cadence` or `/run snooze` (late-bound in index.ts). */
export interface IncidentReminderPort {
  cadenceChanged(channelId: string): Promise<void>;
}

/** A run that is not an incident started or finished (incidents report through IncidentActivity). */
export interface RunActivity {
  readonly kind: 'started' | 'finished';
  readonly teamId: string;
  /** e.g. "RUN-004" */
  readonly reference: string;
  readonly number: number;
  /** release, qa, prr… */
  readonly runKind: string;
  readonly name: string;
  readonly template: { readonly slug: string; readonly name: string; readonly version: number };
  /** The run's channel is private now. */
  readonly private: boolean;
  readonly channelName: string;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly at: number;
}

/** Where runs report what leaves the server (outgoing webhooks). Best effort: a failure is logged, never fails the run. */
export interface RunActivitySink {
  runChanged(activity: RunActivity): Promise<void>;
}

/** What outgoing webhooks ask of runs: template names resolved, and the template an incident's runbook is (or will be). */
export interface RunTemplatePort {
  /** The slug of the team's template named (its name, a unique start of it, or its slug); null if none. */
  slugOf(teamId: string, name: string): Promise<string | null>;
  /** The template of the run in the incident's channel, or, before it is attached, the one its type and severity pick. */
  incidentTemplate(incident: { teamId: string; channelId: string; type: string | null; severity: number }): Promise<{ slug: string; name: string } | null>;
}
