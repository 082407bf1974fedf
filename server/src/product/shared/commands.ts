import type { AutocompleteData, CommandArgs, CommandResponse, Props } from '../../plugin/model/types';
import { UserError } from './errors';

/** One parsed slash-command call, as a subcommand handler sees it. */
export interface CommandInvocation {
  readonly userId: string;
  readonly channelId: string;
  readonly teamId: string;
  readonly rootId: string;
  readonly triggerId: string;
  readonly siteUrl: string;
  /** Tokens after the subcommand path, with `--flag value` pairs removed. Quotes are honoured. */
  readonly positional: readonly string[];
  readonly flags: ReadonlyMap<string, string | true>;
  /** The original text after the subcommand path, untouched (free text such as titles). */
  readonly rest: string;
  /** e.g. "/incident role" — for messages. */
  readonly path: string;
}

export interface CommandResult {
  readonly text: string;
  readonly responseType?: 'ephemeral' | 'in_channel';
  readonly props?: Props;
  readonly gotoLocation?: string;
}

export interface SubcommandSpec {
  readonly name: string;
  /** e.g. "<text>" or "commander|scribe|comms @user" */
  readonly usage: string;
  readonly help: string;
  /** Flags that take a value; any other `--x` is a boolean flag. */
  readonly valueFlags?: readonly string[];
  /** The router refuses arguments to it (a stray word is a mistake the user should hear about). */
  readonly noArguments?: boolean;
  /** Suggestions for the first argument in autocomplete. */
  readonly choices?: ReadonlyArray<{ item: string; help?: string }>;
  readonly subcommands?: readonly SubcommandSpec[];
  readonly run?: (invocation: CommandInvocation) => Promise<CommandResult>;
}

export interface CommandSpec {
  readonly trigger: string;
  readonly description: string;
  readonly subcommands: readonly SubcommandSpec[];
}

export interface Token {
  readonly text: string;
  /** Offset of the token's first character in the source text. */
  readonly start: number;
}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

/** Splits on whitespace; "double", 'single' and “smart” quotes group words; \ escapes inside quotes. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let value = '';
    while (i < text.length && !/\s/.test(text[i]!)) {
      const close = QUOTES[text[i]!];
      if (close === undefined) {
        value += text[i++];
        continue;
      }
      i++;
      while (i < text.length && text[i] !== close) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (i >= text.length) throw UserError.badRequest('A quote is not closed.');
      i++;
    }
    tokens.push({ text: value, start });
  }
  return tokens;
}

/**
 * A positive whole number from a command token, where `pattern`'s first group is the digits
 * (e.g. RFC_NUMBER_PATTERN); anything else is a clear error naming what was expected.
 */
export function parsePositiveInt(token: string, pattern: RegExp, what: string, usage: string): number {
  const m = pattern.exec(token);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw UserError.badRequest(`"${token}" is not ${what}.`, usage);
  return n;
}

export const ephemeral = (text: string, props?: Props): CommandResult => ({ text, responseType: 'ephemeral', props });

/** Routes `/trigger sub [sub…] args` to handlers, renders help and errors the same way for every command. */
export class CommandRouter {
  private readonly specs = new Map<string, CommandSpec>();

  constructor(private readonly onInternalError: (err: unknown, command: string) => void) {}

  register(spec: CommandSpec): void {
    this.specs.set(spec.trigger, spec);
  }

  get commands(): readonly CommandSpec[] {
    return [...this.specs.values()];
  }

  async execute(args: CommandArgs): Promise<CommandResponse> {
    try {
      return toResponse(await this.dispatch(args));
    } catch (err) {
      if (err instanceof UserError) {
        const usage = err.usage ? `\nUsage: \`${err.usage}\`` : '';
        return toResponse(ephemeral(`**Error:** ${err.message}${usage}`));
      }
      this.onInternalError(err, args.Command);
      return toResponse(ephemeral('Something went wrong on our side; it has been logged. Please try again.'));
    }
  }

  private async dispatch(args: CommandArgs): Promise<CommandResult> {
    const text = args.Command.trim();
    const tokens = tokenize(text);
    const trigger = tokens[0]?.text.replace(/^\//, '') ?? '';
    const spec = this.specs.get(trigger);
    if (!spec) throw UserError.badRequest(`Unknown command /${trigger}.`);

    let level: readonly SubcommandSpec[] = spec.subcommands;
    let current: SubcommandSpec | undefined;
    let path = `/${spec.trigger}`;
    let index = 1;
    while (index < tokens.length) {
      const word = tokens[index]!.text.toLowerCase();
      const next = level.find((s) => s.name === word);
      if (!next) break;
      current = next;
      path += ` ${next.name}`;
      level = next.subcommands ?? [];
      index++;
    }

    const restTokens = tokens.slice(index);
    const wantsHelp = restTokens.length > 0 && ['help', '--help', '-h'].includes(restTokens[0]!.text.toLowerCase());
    if (!current) {
      if (restTokens.length === 0 || wantsHelp) return ephemeral(renderHelp(spec));
      throw UserError.badRequest(`Unknown subcommand "${restTokens[0]!.text}". Try \`/${spec.trigger} help\`.`);
    }
    if (wantsHelp || !current.run) return ephemeral(renderSubcommandHelp(path, current));
    if (current.noArguments && restTokens.length > 0) {
      const children = current.subcommands?.length ? ` Did you mean ${current.subcommands.map((s) => `\`${path} ${s.name}\``).join(' or ')}?` : '';
      throw UserError.badRequest(`\`${path}\` takes no arguments; "${restTokens[0]!.text}" is not expected.${children}`, `${path} ${current.usage}`.trim());
    }

    const { positional, flags } = splitFlags(restTokens, current.valueFlags ?? [], `${path} ${current.usage}`);
    const rest = restTokens.length > 0 ? text.slice(restTokens[0]!.start) : '';
    return current.run({
      userId: args.UserId,
      channelId: args.ChannelId,
      teamId: args.TeamId,
      rootId: args.RootId ?? '',
      triggerId: args.TriggerId ?? '',
      siteUrl: args.SiteURL ?? '',
      positional,
      flags,
      rest,
      path,
    });
  }

  /** The autocomplete tree Mattermost shows while typing. */
  autocomplete(spec: CommandSpec): AutocompleteData {
    return {
      Trigger: spec.trigger,
      HelpText: spec.description,
      SubCommands: [...spec.subcommands.map(subcommandAutocomplete), helpAutocomplete()],
    };
  }
}

function splitFlags(tokens: readonly Token[], valueFlags: readonly string[], usage: string) {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < tokens.length; i++) {
    const text = tokens[i]!.text;
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/i.exec(text);
    if (!match) {
      positional.push(text);
      continue;
    }
    const name = match[1]!.toLowerCase();
    if (match[2] !== undefined) flags.set(name, match[2]);
    else if (valueFlags.includes(name)) {
      const value = tokens[++i]?.text;
      if (value === undefined) throw UserError.badRequest(`--${name} needs a value.`, usage);
      flags.set(name, value);
    } else flags.set(name, true);
  }
  return { positional, flags };
}

function toResponse(result: CommandResult): CommandResponse {
  return {
    ResponseType: result.responseType ?? 'ephemeral',
    Text: result.text,
    Props: result.props,
    GotoLocation: result.gotoLocation,
  };
}

function renderHelp(spec: CommandSpec): string {
  const lines = spec.subcommands.flatMap((s) => helpLines(`/${spec.trigger}`, s));
  return [`**/${spec.trigger}** — ${spec.description}`, '', ...lines].join('\n');
}

function renderSubcommandHelp(path: string, spec: SubcommandSpec): string {
  const self = spec.run ? `\`${`${path} ${spec.usage}`.trim()}\` — ${spec.help}` : `**${path}** — ${spec.help}`;
  const children = (spec.subcommands ?? []).flatMap((s) => helpLines(path, s));
  return [self, ...children].join('\n');
}

function helpLines(prefix: string, spec: SubcommandSpec): string[] {
  const path = `${prefix} ${spec.name}`;
  const self = spec.run ? [`- \`${`${path} ${spec.usage}`.trim()}\` — ${spec.help}`] : [];
  return [...self, ...(spec.subcommands ?? []).flatMap((s) => helpLines(path, s))];
}

function subcommandAutocomplete(spec: SubcommandSpec): AutocompleteData {
  const data: AutocompleteData = { Trigger: spec.name, Hint: spec.usage, HelpText: spec.help };
  if (spec.subcommands?.length) data.SubCommands = spec.subcommands.map(subcommandAutocomplete);
  if (spec.choices?.length) {
    data.Arguments = [
      {
        HelpText: spec.help,
        Type: 'StaticList',
        Data: { PossibleArguments: spec.choices.map((c) => ({ Item: c.item, HelpText: c.help ?? '' })) },
      },
    ];
  }
  return data;
}

const helpAutocomplete = (): AutocompleteData => ({ Trigger: 'help', HelpText: 'Show the commands and how to use them' });
