import type { CommandSpec } from '../shared/commands';
import { commandHelpLines } from '../shared/commands';
import { FEATURE_TITLES, type OwedSection } from '../contract/infra';
import { fitLines } from '../shared/text/limits';
import { utcStamp } from '../shared/time/duration';

/** Every word `/infra` says, in one place. */
export const INFRA_TEXT = {
  description: (version: string) => `Infra Ops ${version}: incidents, RFCs, PICK prioritisation and guilds`,
  version: (version: string) => `Infra Ops ${version}`,
  helpHelp: 'Every Infra Ops command and how to use it',
  oweHelp: 'What you owe now: incident roles and updates, follow-ups, RFC reviews, scores, agenda items',
  versionHelp: 'Show the plugin version',
  aboutHelp: 'What Infra Ops does and where to start',
  doctorHelp: 'System admins: list stored records Infra Ops could not read',
  owedNothing: 'You owe nothing right now. 🎉',
  unreadable: (feature: string) => `(could not be read: ${feature} logged an error)`,
  noCorruptRecords: 'Every stored record Infra Ops has read is healthy.',
} as const;

export function allHelp(version: string, commands: readonly CommandSpec[]): string {
  const lines = [`#### Infra Ops ${version} — commands`, 'Add `help` after any command for details, e.g. `/rfc review help`.'];
  for (const c of commands) lines.push('', `**/${c.trigger}** — ${c.description}`, ...commandHelpLines(c));
  return fitLines(lines).join('\n');
}

export function about(version: string, commands: readonly CommandSpec[]): string {
  return [
    `**Infra Ops ${version}** runs the group's operating rhythm in Mattermost.`,
    ...commands.filter((c) => c.trigger !== 'infra').map((c) => `- \`/${c.trigger}\` — ${c.description} (\`/${c.trigger} help\`)`),
  ].join('\n');
}

export function owedText(sections: readonly OwedSection[]): string {
  if (sections.length === 0) return INFRA_TEXT.owedNothing;
  const lines = ['#### What you owe now'];
  for (const s of sections) lines.push(`**${FEATURE_TITLES[s.feature]}**`, ...s.items.map((i) => `- ${i}`));
  return fitLines(lines).join('\n');
}

export interface CorruptRecordLine {
  readonly key: string;
  readonly detail: string;
  readonly seenAt: number;
}

export function doctorText(records: readonly CorruptRecordLine[]): string {
  if (records.length === 0) return INFRA_TEXT.noCorruptRecords;
  const lines = [
    `#### ${records.length} stored record${records.length === 1 ? '' : 's'} could not be read`,
    'Each is skipped by lists and jobs and left as it is; fix or delete it in the KV store.',
    ...records.map((r) => `- \`${r.key}\` (first seen ${utcStamp(r.seenAt)}): ${r.detail.slice(0, 300)}`),
  ];
  return fitLines(lines).join('\n');
}

/** The daily digest (digest.ts): its DM and `/infra digest`'s replies. */
export const DIGEST = {
  help: 'Your daily digest DM of what you owe: `off`, `on`, `time 08:30` (your time zone), `weekends on|off`',
  usage: '[off | on | time <HH:MM> | weekends on|off]',
  heading: (weekday: string) => `#### Good morning — what you owe this ${weekday}`,
  team: (name: string) => `##### ${name}`,
  footer: '_Your daily Infra Ops digest · `/infra owe` any time · `/infra digest off` to stop it_',
  status: (p: { optedOut: boolean; clock: string; zone: string; weekends: boolean; enabled: boolean; next: number | null }) =>
    !p.enabled
      ? 'The daily digest is turned off on this server (System Console → Infra Ops → Daily digest).'
      : p.optedOut
        ? 'You have opted out of the daily digest. `/infra digest on` turns it back on.'
        : `Your daily digest comes at ${p.clock} (${p.zone}) on ${p.weekends ? 'every day' : 'weekdays'} when you owe something${p.next === null ? '' : `; next at ${utcStamp(p.next)}`}. \`/infra digest off\` stops it.`,
  badTime: 'Say the time as HH:MM (24-hour, your time zone), e.g. `/infra digest time 08:30`.',
  badSwitch: 'Say `on` or `off`, e.g. `/infra digest weekends on`.',
  badCommand: 'Say `off`, `on`, `time 08:30` or `weekends on|off`.',
  noSuchTeam: 'No such team.',
} as const;
