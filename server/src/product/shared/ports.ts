/**
 * What the guilds feature reads from the other features to build agendas from live data.
 * Each source is implemented by its feature; guilds depends only on these shapes.
 */

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
  pendingReview(teamId: string): Promise<IncidentReviewItem[]>;
  /** Called when a guild meeting closes with these incidents reviewed. */
  markReviewed(teamId: string, incidentIds: readonly string[], reviewedAt: number): Promise<void>;
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

export interface IdeaAgendaItem {
  readonly ideaId: string;
  readonly reference: string;
  readonly title: string;
  readonly quadrant: 'possible' | 'implement' | 'challenge' | 'kill' | null;
  readonly disputed: boolean;
}
