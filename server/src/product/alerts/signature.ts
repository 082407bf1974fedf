/**
 * Who may post to a source's endpoint: whoever holds its token, or — for Grafana — whoever can
 * sign the body with it (HMAC-SHA256). Every comparison is constant-time.
 *
 * Mattermost removes the `Authorization` header (and `access_token`) from every plugin request
 * before the plugin sees it (servePluginRequest in server/channels/app/plugin_requests.go), so
 * a bearer token never arrives. The token therefore comes in TOKEN_HEADER, or as `?token=` for
 * senders that cannot set headers (Alertmanager's `url_file` keeps such a URL out of its config).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Grafana's timestamped signatures older (or newer) than this are refused: a replayed body gets nowhere. */
export const SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

export const newToken = (): string => randomBytes(32).toString('base64url');
export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The token matches the stored hash (both sides hashed first, so lengths never differ). */
export function tokenMatches(given: string, storedHash: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = Buffer.from(storedHash, 'hex');
  return b.length === a.length && timingSafeEqual(a, b);
}

/**
 * Grafana's signature (grafana/alerting http/hmac.go): hex HMAC-SHA256 with the secret over the
 * raw body, or over `<unix seconds>:<body>` when Grafana also sends a timestamp header.
 */
export function signatureMatches(key: string, body: Buffer, signature: string, timestamp: string | null, nowMs: number): boolean {
  if (!/^[0-9a-f]{64}$/i.test(signature)) return false;
  const mac = createHmac('sha256', key);
  if (timestamp !== null) {
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_MAX_AGE_SECONDS) return false;
    mac.update(`${timestamp}:`);
  }
  const expected = mac.update(body).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/** Test and benchmark helper for senders: what Grafana puts in its signature header. */
export function grafanaSignature(key: string, body: Buffer | string, timestamp?: string): string {
  const mac = createHmac('sha256', key);
  if (timestamp !== undefined) mac.update(`${timestamp}:`);
  return mac.update(body).digest('hex');
}
