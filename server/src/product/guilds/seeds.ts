/** The handbook's two guilds, offered to every team the first time it uses guilds; editable, inactive until given a channel. */
import type { Guild, GuildMember } from './records';
import { firstMeetingDate } from './schedule';

const labels = (...texts: string[]): GuildMember[] => texts.map((text) => ({ kind: 'label', text }));

const HANDBOOK: ReadonlyArray<Pick<Guild, 'slug' | 'name' | 'purpose' | 'members' | 'day' | 'sources'>> = [
  {
    slug: 'reliability-engineering-guild',
    name: 'Reliability Engineering Guild',
    purpose: 'Incident Review & Knowledge share',
    members: labels('Leadership', 'SRE', 'Delivery'),
    day: 1,
    sources: ['incidents'],
  },
  {
    slug: 'infrastructure-guild',
    name: 'Infrastructure Guild',
    purpose: 'Cross-org collaboration',
    members: labels('Leadership', 'Infrastructure', 'Product', 'Security'),
    day: 4,
    sources: ['rfcs', 'pick'],
  },
];

/** A guild of the team with every field at its empty value, for create and seeding to fill in. */
export function blankGuild(teamId: string, createdBy: string | null, now: number): Guild {
  return {
    v: 2,
    slug: 'x',
    teamId,
    name: 'x',
    aliases: [],
    purpose: '',
    channelId: null,
    members: [],
    facilitators: [],
    day: 1,
    time: '10:00',
    timeZone: 'UTC',
    everyWeeks: 1,
    anchorDate: null,
    sources: [],
    createdBy,
    seeded: false,
    createdAt: now,
    updatedAt: now,
    queue: [],
    notes: [],
    nextItemId: 1,
    lastMeeting: null,
    meetings: [],
  };
}

export function handbookGuilds(teamId: string, now: number): Guild[] {
  return HANDBOOK.map((seed) => ({
    ...blankGuild(teamId, null, now),
    ...seed,
    members: [...seed.members],
    sources: [...seed.sources],
    seeded: true,
    anchorDate: firstMeetingDate({ day: seed.day, time: '10:00', timeZone: 'UTC' }, now),
  }));
}
