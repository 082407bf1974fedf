/** Every user-facing text of the team calendar. */
import type { FeedKind } from '../contract/calendar';
import { utcStamp } from '../shared/time/duration';

export interface LinkLine {
  readonly kind: FeedKind;
  /** Shown once, when the link is made. */
  readonly url: string | null;
  readonly createdAt: number;
}

const WHAT: Record<FeedKind, string> = {
  team: "**Team calendar** (guild meetings of open channels, RFC comment-period ends and follow-up due dates everyone in the team may see)",
  me: '**Your calendar** (everything above plus what only you may see: private channels you are in)',
};

export const CALENDAR_TEXT = {
  noTeam: 'No such team.',
  help: 'Your calendar links (subscribe from any calendar app); `rotate [team|me]` makes a new link and stops the old one',
  rotateHelp: 'Make a new calendar link (team, me, or both when neither is named); the old one stops working at once',
  rotateUsage: '/infra calendar rotate [team|me]',
  sayWhichFeed: 'Say which link: `team` or `me`.',
  calendarName: (team: string, kind: FeedKind): string => (kind === 'team' ? `Infra Ops — ${team}` : `Infra Ops — ${team} (mine)`),
  links: (lines: readonly LinkLine[]): string =>
    [
      '#### 📅 Calendar links',
      ...lines.map((l) =>
        l.url
          ? `${WHAT[l.kind]}:\n\`${l.url}\`\n_Keep it secret: anyone with it can read this calendar. It is shown only now._`
          : `${WHAT[l.kind]}: your link was made ${utcStamp(l.createdAt)} and is not shown again. Lost it? \`/infra calendar rotate ${l.kind}\` makes a new one (the old one stops).`,
      ),
      '_Subscribe in your calendar app ("add calendar from URL"). Access is checked at every fetch: leave the team or a private channel and its items go._',
    ].join('\n\n'),
  rotated: (line: LinkLine): string => `New link for ${WHAT[line.kind]}:\n\`${line.url}\`\n_The old link has stopped working. This one is shown only now._`,
  guildSummary: (name: string): string => `${name} (guild meeting)`,
  guildDescription: (purpose: string, slug: string): string => `${purpose ? `${purpose}\n\n` : ''}Agenda: /guild agenda ${slug}`,
  rfcSummary: (reference: string, title: string): string => `${reference} comment period ends: ${title}`,
  followupSummary: (reference: string, text: string): string => `${reference} follow-up due: ${text}`,
} as const;
