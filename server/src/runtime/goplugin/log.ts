/**
 * hclog-style JSON log lines, which go-plugin's host parses from the plugin's real stderr:
 * `{"@level":"info","@message":"...","@timestamp":"2006-01-02T15:04:05.000000Z07:00",...fields}`.
 * The timestamp must match that Go layout exactly (6 fractional digits) or the host treats the
 * line as plain text. Imports nothing (it is used before anything heavy is loaded).
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export interface HclogOptions {
  /** Lowest level written. Default: trace (the host filters by its own level). */
  readonly level?: LogLevel;
  /** `@module`, like a named hclog logger. */
  readonly module?: string;
  /**
   * Where lines go. Default: process.stderr (synchronous for pipes and files on Linux, so lines
   * are not lost at exit; unlike a raw writeSync it also copes with a momentarily full pipe).
   */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

export function hclogLogger(options: HclogOptions = {}): Logger {
  const min = ORDER[options.level ?? 'trace'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const log = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (ORDER[level] < min) return;
    const entry: Record<string, unknown> = { '@level': level, '@message': message, '@timestamp': goTimestamp(now()) };
    if (options.module !== undefined) entry['@module'] = options.module;
    if (fields) for (const [k, v] of Object.entries(fields)) if (!(k in entry)) entry[k] = v;
    let line: string;
    try {
      line = JSON.stringify(entry, plain);
    } catch {
      line = JSON.stringify({ '@level': level, '@message': message, '@timestamp': entry['@timestamp'], fields: '[unserialisable]' });
    }
    try {
      write(line + '\n');
    } catch {
      // stderr gone (host closed it): nothing sensible left to do with a log line
    }
  };
  return { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Go layout `2006-01-02T15:04:05.000000Z07:00`, in UTC ("Z"); microseconds are the ms padded. */
export function goTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** JSON replacer: errors as their message, bigints as decimal strings. */
function plain(_key: string, value: unknown): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === 'bigint') return value.toString();
  return value;
}
