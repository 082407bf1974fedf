import type { CommandSpec, SubcommandSpec } from '../shared/commands';
import { ephemeral } from '../shared/commands';
import type { OwedSection } from '../contract/infra';
import { INFRA_TEXT, about, allHelp, doctorText, owedText, type CorruptRecordLine } from './messages';

export interface InfraCommandPorts {
  readonly version: string;
  readonly commands: () => readonly CommandSpec[];
  readonly owed: (userId: string, teamId: string) => Promise<OwedSection[]>;
  readonly corruptRecords: (userId: string, teamId: string) => Promise<readonly CorruptRecordLine[]>;
  /** `/infra <name> …` subcommands other features own (alerts, webhooks, components, maintenance, calendar). */
  readonly more?: readonly SubcommandSpec[];
}

/** `/infra help|owe|version|about|doctor`. */
export function infraCommand(ports: InfraCommandPorts): CommandSpec {
  const { version } = ports;
  return {
    trigger: 'infra',
    description: INFRA_TEXT.description(version),
    subcommands: [
      { name: 'help', usage: '', help: INFRA_TEXT.helpHelp, noArguments: true, run: async () => ephemeral(allHelp(version, ports.commands())) },
      { name: 'owe', usage: '', help: INFRA_TEXT.oweHelp, noArguments: true, run: async (inv) => ephemeral(owedText(await ports.owed(inv.userId, inv.teamId))) },
      { name: 'version', usage: '', help: INFRA_TEXT.versionHelp, noArguments: true, run: async () => ephemeral(INFRA_TEXT.version(version)) },
      { name: 'about', usage: '', help: INFRA_TEXT.aboutHelp, noArguments: true, run: async () => ephemeral(about(version, ports.commands())) },
      {
        name: 'doctor',
        usage: '',
        help: INFRA_TEXT.doctorHelp,
        noArguments: true,
        run: async (inv) => ephemeral(doctorText(await ports.corruptRecords(inv.userId, inv.teamId))),
      },
      ...(ports.more ?? []),
    ],
  };
}
