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
