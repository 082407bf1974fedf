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
  /** Declared flags given: value flags carry every word up to the next flag, booleans `true`. */
  readonly flags: ReadonlyMap<string, string | true>;
  /** The original text after the subcommand path, untouched. */
  readonly rest: string;
  /** Free text as typed (apostrophes, quotes and spacing kept), up to the first declared flag. */
  readonly text: string;
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
  /**
   * The one flag grammar: `--name value words…` takes every word up to the next flag (so values
   * may span several words), `--name=value` one token, boolean flags nothing. A subcommand that
   * declares flags refuses any other `--word` by name; one that declares none treats `--words` as
   * ordinary text.
   */
  readonly valueFlags?: readonly string[];
  readonly booleanFlags?: readonly string[];
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
const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/**
 * Splits on whitespace. A quote groups words only where a token starts with it and a matching
 * quote ends a later word ("two words", 'two words', “smart”); `\` escapes inside a group. Any
 * other quote is an ordinary character, so apostrophes in free text (We're, Don't, Bob's) are kept
 * as typed and an unmatched quote is never an error.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (isSpace(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    const close = QUOTES[text[i]!];
    const end = close === undefined ? -1 : closingQuote(text, i + 1, close);
    if (end >= 0) {
      let value = '';
      for (let j = i + 1; j < end; j++) {
        if (text[j] === '\\' && j + 1 < end) j++;
        value += text[j];
      }
      tokens.push({ text: value, start });
      i = end + 1;
      continue;
    }
    while (i < text.length && !isSpace(text[i])) i++;
    tokens.push({ text: text.slice(start, i), start });
  }
  return tokens;
}

/** The index of the quote that closes a group opened before `from`: one followed by space or the end. */
function closingQuote(text: string, from: number, close: string): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] === '\\') {
      j++;
      continue;
    }
    if (text[j] === close && (j + 1 === text.length || isSpace(text[j + 1]))) return j;
  }
  return -1;
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

  /** `onSuccess` runs after a command that was not refused (what a refused command must not leave behind, it never does). */
  async execute(args: CommandArgs, onSuccess?: () => Promise<void>): Promise<CommandResponse> {
    try {
      const result = await this.dispatch(args);
      await onSuccess?.();
      return toResponse(result);
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

    const { positional, flags, firstFlag } = splitFlags(restTokens, current, `${path} ${current.usage}`);
    const rest = restTokens.length > 0 ? text.slice(restTokens[0]!.start) : '';
    const freeTextValue = freeText(text, restTokens, firstFlag);
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
      text: freeTextValue,
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

function splitFlags(tokens: readonly Token[], spec: SubcommandSpec, usage: string) {
  const valueFlags = spec.valueFlags ?? [];
  const booleanFlags = spec.booleanFlags ?? [];
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  if (valueFlags.length + booleanFlags.length === 0) return { positional: tokens.map((t) => t.text), flags, firstFlag: -1 };
  let firstFlag = -1;
  let current: { name: string; words: string[] } | null = null;
  const finish = (): void => {
    if (!current) return;
    if (current.words.length === 0) throw UserError.badRequest(`--${current.name} needs a value.`, usage);
    flags.set(current.name, current.words.join(' '));
    current = null;
  };
  for (const token of tokens) {
    const match = FLAG.exec(token.text);
    if (!match) {
      if (current) current.words.push(token.text);
      else positional.push(token.text);
      continue;
    }
    finish();
    if (firstFlag < 0) firstFlag = token.start;
    const name = match[1]!.toLowerCase();
    if (valueFlags.includes(name)) {
      current = { name, words: match[2] !== undefined ? [match[2]] : [] };
      if (match[2] !== undefined) finish();
    } else if (booleanFlags.includes(name) && match[2] === undefined) flags.set(name, true);
    else {
      const known = [...valueFlags, ...booleanFlags].map((f) => `--${f}`).join(', ');
      throw UserError.badRequest(`Unknown option --${name}; this command knows ${known}.`, usage);
    }
  }
  finish();
  return { positional, flags, firstFlag };
}

const FLAG = /^--([a-z][a-z0-9-]{0,30})(?:=(.*))?$/is;

/** The free text as typed, without the flags after it; a single quoted group loses its quotes. */
function freeText(source: string, tokens: readonly Token[], firstFlag: number): string {
  if (tokens.length === 0) return '';
  const from = tokens[0]!.start;
  const to = firstFlag >= 0 ? firstFlag : source.length;
  const text = source.slice(from, to).trim();
  const beforeFlag = tokens.filter((t) => t.start < to);
  if (beforeFlag.length === 1 && text.length >= 2 && QUOTES[text[0]!] === text.at(-1)) return beforeFlag[0]!.text;
  return text;
}

function toResponse(result: CommandResult): CommandResponse {
  return {
    ResponseType: result.responseType ?? 'ephemeral',
    Text: result.text,
    Props: result.props,
    GotoLocation: result.gotoLocation,
  };
}

/** The one help renderer: one line per runnable subcommand, `- \`/trigger sub usage\` — help`. */
export function commandHelpLines(spec: CommandSpec): string[] {
  return spec.subcommands.flatMap((s) => helpLines(`/${spec.trigger}`, s));
}

function renderHelp(spec: CommandSpec): string {
  return [`**/${spec.trigger}** — ${spec.description}`, '', ...commandHelpLines(spec)].join('\n');
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
