import type { Post } from '../../plugin/model/types';
import { utcStamp } from '../shared/people';
import type { People } from '../shared/people';
import {
  type Incident,
  type IncidentView,
  mttaMinutes,
  mttrMinutes,
  nextUpdateDue,
  openFollowups,
  reference,
  type RoleName,
} from './schema';
import { type IncidentSettings, severityName } from './settings';

/** The custom post type the webapp renders as the live incident card. */
export const CARD_POST_TYPE = 'custom_infra_incident';
/** Post prop holding the card's data as JSON text (see CardData). */
export const CARD_PROP = 'infra_incident';

export interface CardData {
  id: string;
  teamId: string;
  channelId: string;
  reference: string;
  title: string;
  summary: string;
  type: string;
  severity: number;
  severityLabel: string;
  phase: Incident['phase'];
  private: boolean;
  roles: Record<RoleName, { userId: string; username: string } | null>;
  lastUpdate: { text: string; at: number; by: string } | null;
  declaredAt: number;
  resolvedAt: number | null;
  openFollowups: number;
}

export function toView(i: Incident, settings: IncidentSettings): IncidentView {
  return {
    id: i.id,
    teamId: i.teamId,
    number: i.number,
    reference: reference(i.number),
    phase: i.phase,
    title: i.title,
    summary: i.summary,
    type: i.type,
    severity: i.severity,
    severityLabel: settings.severityLabels[i.severity as 1 | 2 | 3 | 4],
    private: i.private,
    channelId: i.channelId,
    channelName: i.channelName,
    declaredBy: i.declaredBy,
    declaredAt: i.declaredAt,
    updatedAt: i.updatedAt,
    roles: i.roles,
    milestones: i.milestones,
    lastUpdate: i.lastUpdate,
    resolution: i.resolution,
    followers: i.followers,
    followups: i.followups,
    openFollowups: openFollowups(i),
    review: i.review,
    mttaMinutes: mttaMinutes(i),
    mttrMinutes: mttrMinutes(i),
    nextUpdateDueAt: nextUpdateDue(i, settings.updateIntervalMinutes[i.severity as 1 | 2 | 3 | 4]),
  };
}

export async function cardData(i: Incident, settings: IncidentSettings, people: People): Promise<CardData> {
  const holder = async (userId: string | null) => (userId ? { userId, username: await people.username(userId) } : null);
  return {
    id: i.id,
    teamId: i.teamId,
    channelId: i.channelId,
    reference: reference(i.number),
    title: i.title,
    summary: i.summary,
    type: i.type,
    severity: i.severity,
    severityLabel: settings.severityLabels[i.severity as 1 | 2 | 3 | 4],
    phase: i.phase,
    private: i.private,
    roles: {
      commander: await holder(i.roles.commander),
      scribe: await holder(i.roles.scribe),
      comms: await holder(i.roles.comms),
    },
    lastUpdate: i.lastUpdate,
    declaredAt: i.declaredAt,
    resolvedAt: i.milestones.resolved,
    openFollowups: openFollowups(i),
  };
}

/** The plain-text card: what clients without the webapp (mobile, CLI) show. */
export function cardMessage(card: CardData, settings: IncidentSettings): string {
  const who = (r: CardData['roles'][RoleName]) => (r ? `@${r.username}` : '—');
  const state = card.phase === 'resolved' ? '✅ Resolved' : '🔴 Active';
  const lines = [
    `### ${card.reference}: ${card.title}`,
    `**${severityName(settings, card.severity)}** · ${state}${card.type ? ` · ${card.type}` : ''}${card.private ? ' · private' : ''}`,
    `**Commander** ${who(card.roles.commander)} · **Scribe** ${who(card.roles.scribe)} · **Comms** ${who(card.roles.comms)}`,
  ];
  if (card.summary) lines.push('', card.summary);
  if (card.lastUpdate) lines.push('', `**Latest update** (${utcStamp(card.lastUpdate.at)}): ${card.lastUpdate.text}`);
  lines.push('', `_Declared ${utcStamp(card.declaredAt)}. Commands: \`/incident help\`._`);
  return lines.join('\n');
}

export async function cardPost(i: Incident, settings: IncidentSettings, people: People, botUserId: string): Promise<Post> {
  const card = await cardData(i, settings, people);
  return {
    ChannelId: i.channelId,
    UserId: botUserId,
    Type: CARD_POST_TYPE,
    Message: cardMessage(card, settings),
    IsPinned: true,
    Props: { [CARD_PROP]: JSON.stringify(card), incident_id: i.id },
  };
}

export function permalink(siteUrl: string, teamName: string, channelName: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/${teamName}/channels/${channelName}`;
}

/** The feed channel's announcement; private incidents show only that one exists. */
export function announcement(i: Incident, settings: IncidentSettings, declarer: string, link: string): string {
  if (i.private) {
    return `🚨 **${reference(i.number)}** (${severityName(settings, i.severity)}, private) declared by @${declarer}. Members: [open the channel](${link}).`;
  }
  return `🚨 **${reference(i.number)}: ${i.title}** — ${severityName(settings, i.severity)}${i.type ? ` · ${i.type}` : ''}, declared by @${declarer}. Join: ~${i.channelName} (${link})`;
}

export function renderStatus(template: string, values: Record<string, string>): string {
  return template.replace(/\{(reference|title|severity|text|commander|next)\}/g, (_m, k: string) => values[k] ?? '');
}
