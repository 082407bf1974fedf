// What the incident card shows, from either the snapshot in the post's props (written when the
// card was posted or last edited) or the live record (REST or websocket). The newer one wins.
import { CARD_PROPS, cardData, decodeJson, type CardData, type Incident, type Severity } from '../contract';

export interface RoleView {
  userId: string;
  /** Known from the snapshot; otherwise the component looks the user up in the host store. */
  username: string | null;
}

export interface CardView {
  id: string;
  teamId: string;
  number: number;
  reference: string;
  title: string;
  summary: string;
  type: string;
  severity: Severity;
  severityLabel: string;
  phase: CardData['phase'];
  private: boolean;
  commander: RoleView | null;
  scribe: RoleView | null;
  comms: RoleView | null;
  lastUpdate: CardData['lastUpdate'];
  declaredAt: number;
  resolvedAt: number | null;
  openFollowups: number;
  channelName: string;
  /** True when built from the live record rather than the post's snapshot. */
  live: boolean;
}

export type CardProps = { ok: true; card: CardData } | { ok: false; error: string; incidentId: string | null };

/** Reads the card snapshot from post props; a damaged prop is reported, never thrown. */
export function readCardProps(props: Record<string, unknown> | undefined | null): CardProps {
  const id = props?.[CARD_PROPS.incidentId];
  const incidentId = typeof id === 'string' ? id : null;
  try {
    return { ok: true, card: decodeJson(cardData, props?.[CARD_PROPS.card], CARD_PROPS.card) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err), incidentId };
  }
}

export function viewFromCard(card: CardData): CardView {
  const role = (r: CardData['roles']['commander']): RoleView | null => (r ? { userId: r.userId, username: r.username } : null);
  return {
    id: card.id,
    teamId: card.teamId,
    number: card.number,
    reference: card.reference,
    title: card.title,
    summary: card.summary,
    type: card.type,
    severity: card.severity,
    severityLabel: card.severityLabel,
    phase: card.phase,
    private: card.private,
    commander: role(card.roles.commander),
    scribe: role(card.roles.scribe),
    comms: role(card.roles.comms),
    lastUpdate: card.lastUpdate,
    declaredAt: card.declaredAt,
    resolvedAt: card.resolvedAt,
    openFollowups: card.openFollowups,
    channelName: '',
    live: false,
  };
}

/** The live record as a card; usernames are reused from the snapshot where the holder is the same. */
export function viewFromIncident(incident: Incident, snapshot: CardData | null): CardView {
  const role = (userId: string | null, known: CardData['roles']['commander'] | undefined): RoleView | null =>
    userId ? { userId, username: known && known.userId === userId ? known.username : null } : null;
  return {
    id: incident.id,
    teamId: incident.teamId,
    number: incident.number,
    reference: incident.reference,
    title: incident.title,
    summary: incident.summary,
    type: incident.type,
    severity: incident.severity,
    severityLabel: incident.severityLabel,
    phase: incident.phase,
    private: incident.private,
    commander: role(incident.roles.commander, snapshot?.roles.commander),
    scribe: role(incident.roles.scribe, snapshot?.roles.scribe),
    comms: role(incident.roles.comms, snapshot?.roles.comms),
    lastUpdate: incident.lastUpdate,
    declaredAt: incident.declaredAt,
    resolvedAt: incident.milestones.resolved,
    openFollowups: incident.openFollowups,
    channelName: incident.channelName,
    live: true,
  };
}

/**
 * The card to show: the live record when there is one (it is at least as new as any snapshot,
 * since the server updates the record before it edits the post), else the snapshot.
 */
export function cardView(snapshot: CardData | null, live: Incident | undefined): CardView | null {
  if (live) return viewFromIncident(live, snapshot);
  return snapshot ? viewFromCard(snapshot) : null;
}
