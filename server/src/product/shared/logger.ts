/**
 * The product's structured logger (Mattermost's plugin log underneath). Its own module so the
 * services ProductContext holds (events, scheduler) can take a logger without importing the
 * context that imports them.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
