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
