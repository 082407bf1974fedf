import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The signature every delivery carries (contract/webhooks.ts WEBHOOK_HEADERS): HMAC-SHA256 keyed
 * by the webhook's secret over `<unix seconds>.<raw body>`, hex, prefixed `sha256=`. Signing the
 * timestamp with the body lets a receiver refuse an old delivery replayed with a fresh header.
 */
export function signature(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/** What a receiver does (written here so tests and the README's example are one piece of code). */
export function verifySignature(secret: string, header: string, timestampSeconds: number, body: string, nowSeconds: number, toleranceSeconds: number): boolean {
  if (!Number.isFinite(timestampSeconds) || Math.abs(nowSeconds - timestampSeconds) > toleranceSeconds) return false;
  const expected = Buffer.from(signature(secret, timestampSeconds, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** 32 random bytes, base64url: the secret shown once. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** `wh` + 16 lower-case letters and digits. */
export function newWebhookId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `wh${[...randomBytes(16)].map((b) => alphabet[b % 36]).join('')}`;
}
