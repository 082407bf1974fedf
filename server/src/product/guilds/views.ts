/** Guild records → the contract's views (storage records never leave the server). */
import type { AgendaView, GuildView, MeetingView, MemberView, NoteView, QueueItemView } from '../contract/guilds';
import type { AgendaText } from './messages';
import { type GuildCopy, type GuildMember, type GuildNote, type Meeting, noteId, type QueueItem } from './records';
import { rotaTurn } from './rota';

/** The agenda of one meeting as one reader may see it (built by the service). */
export interface Agenda extends AgendaText {
  readonly teamId: string;
  readonly channelId: string | null;
}

export const queueItemView = (q: QueueItem): QueueItemView => ({ id: q.id, text: q.text, by: q.by, at: q.at, carried: q.carried });

export const noteView = (n: GuildNote, index: number): NoteView => ({ id: noteId(n, index), kind: n.kind, text: n.text, by: n.by, at: n.at });

const memberView = (m: GuildMember): MemberView => (m.kind === 'user' ? { kind: 'user', userId: m.userId } : { kind: 'label', text: m.text });

export function guildView(g: GuildCopy, nextMeetingAt: number | null): GuildView {
  return {
    slug: g.slug,
    name: g.name,
    purpose: g.purpose,
    teamId: g.teamId,
    channelId: g.channelId,
    members: g.members.map(memberView),
    facilitators: [...g.facilitators],
    day: g.day,
    time: g.time,
    timeZone: g.timeZone,
    everyWeeks: g.everyWeeks,
    sources: [...g.sources],
    seeded: g.seeded,
    createdBy: g.createdBy,
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
    queue: g.queue.map(queueItemView),
    notes: g.notes.map(noteView),
    lastMeeting: g.lastMeeting ? { closedAt: g.lastMeeting.closedAt, scheduledFor: g.lastMeeting.scheduledFor } : null,
    nextMeetingAt,
    skippedDates: [...(g.skips ?? [])],
    holidays: [...(g.holidays ?? [])],
    rota: rotaTurn(g),
  };
}

export const meetingView = (m: Meeting): MeetingView => ({
  closedAt: m.closedAt,
  closedBy: m.closedBy,
  scheduledFor: m.scheduledFor,
  notes: m.notes.map(noteView),
  done: [...m.done],
  carried: [...m.carried],
  reviewedIncidents: [...m.reviewedIncidents],
});

export function agendaView(a: Agenda): AgendaView {
  return {
    slug: a.slug,
    name: a.name,
    teamId: a.teamId,
    channelId: a.channelId,
    sources: [...a.sources],
    scheduledFor: a.scheduledFor,
    timeZone: a.timeZone,
    since: a.since,
    carried: a.carried.map(queueItemView),
    queued: a.queued.map(queueItemView),
    incidents: a.incidents.map((i) => ({
      incidentId: i.incidentId,
      reference: i.reference,
      title: i.title,
      severity: i.severity,
      resolvedAt: i.resolvedAt,
      mttrMinutes: i.mttrMinutes,
      openFollowups: i.openFollowups,
    })),
    rfcs: a.rfcs.map((r) => ({
      rfcId: r.rfcId,
      reference: r.reference,
      title: r.title,
      commentPeriodEndsAt: r.commentPeriodEndsAt,
      missingSignoffs: [...r.missingSignoffs],
      openConcerns: r.openConcerns,
    })),
    ideas: a.ideas.map((i) => ({ ideaId: i.ideaId, reference: i.reference, title: i.title, quadrant: i.quadrant, disputed: i.disputed })),
    notes: a.notes.map(noteView),
    hidden: { ...a.hidden },
  };
}
