import { type CardData, type FollowupView, type IncidentView, type TimelineEntryView } from '../contract/incidents';
import { mttaMinutes, mttrMinutes, nextUpdateDue, openFollowups } from './lifecycle';
import { reference } from './messages';
import type { Followup, Incident, TimelineEntry } from './records';
import type { IncidentSettings } from './settings';

/**
 * Records → the contract's views. Storage records never leave the server: every answer, event and
 * card is made here. `isPrivate` is the incident channel's type *now* (Access.isPrivate), never
 * the flag stored at declaration.
 */

export const followupView = (f: Followup): FollowupView => ({
  n: f.n,
  text: f.text,
  ownerId: f.ownerId,
  due: f.due,
  createdAt: f.createdAt,
  createdBy: f.createdBy,
  doneAt: f.doneAt,
  doneBy: f.doneBy,
});

export const timelineEntryView = (e: TimelineEntry): TimelineEntryView => ({ seq: e.seq, at: e.at, actorId: e.actorId, kind: e.kind, text: e.text });

export function incidentView(i: Incident, settings: IncidentSettings, isPrivate: boolean): IncidentView {
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
    severityLabel: settings.severityLabels[i.severity],
    private: isPrivate,
    channelId: i.channelId,
    channelName: i.channelName,
    declaredBy: i.declaredBy,
    declaredAt: i.declaredAt,
    updatedAt: i.updatedAt,
    roles: { commander: i.roles.commander, scribe: i.roles.scribe, comms: i.roles.comms },
    milestones: { ...i.milestones },
    lastUpdate: i.lastUpdate ? { text: i.lastUpdate.text, at: i.lastUpdate.at, by: i.lastUpdate.by } : null,
    resolution: i.resolution ? { at: i.resolution.at, by: i.resolution.by, summary: i.resolution.summary } : null,
    followers: [...i.followers],
    followups: i.followups.map(followupView),
    openFollowups: openFollowups(i),
    review: { needed: i.review.needed, reviewedAt: i.review.reviewedAt },
    mttaMinutes: mttaMinutes(i),
    mttrMinutes: mttrMinutes(i),
    nextUpdateDueAt: nextUpdateDue(i, settings.updateIntervalMinutes[i.severity]),
  };
}

/** The card post's snapshot; `username` resolves role holders (best effort: the id when gone). */
export async function cardData(i: Incident, settings: IncidentSettings, isPrivate: boolean, username: (userId: string) => Promise<string>): Promise<CardData> {
  const holder = async (userId: string | null) => (userId ? { userId, username: await username(userId) } : null);
  const [commander, scribe, comms] = await Promise.all([holder(i.roles.commander), holder(i.roles.scribe), holder(i.roles.comms)]);
  return {
    id: i.id,
    teamId: i.teamId,
    number: i.number,
    channelId: i.channelId,
    reference: reference(i.number),
    title: i.title,
    summary: i.summary,
    type: i.type,
    severity: i.severity,
    severityLabel: settings.severityLabels[i.severity],
    phase: i.phase,
    private: isPrivate,
    roles: { commander, scribe, comms },
    lastUpdate: i.lastUpdate ? { text: i.lastUpdate.text, at: i.lastUpdate.at, by: i.lastUpdate.by } : null,
    declaredAt: i.declaredAt,
    resolvedAt: i.milestones.resolved,
    openFollowups: openFollowups(i),
  };
}
