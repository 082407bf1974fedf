import { WEBHOOK_HEADERS, type WebhookEventType } from '../contract/webhooks';
import { signature } from './signing';

/** Waits before retry n (1-based) of a failed delivery; after the last one the delivery has failed. */
export const RETRY_DELAYS_MS: readonly number[] = [10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

export function retryDelay(attempt: number): number | null {
  return attempt >= MAX_ATTEMPTS ? null : RETRY_DELAYS_MS[Math.max(0, attempt - 1)]!;
}

/** Only http(s), no credentials in the URL (they would show in every list). */
export function checkWebhookUrl(text: string): { ok: true; url: string } | { ok: false; why: 'invalid' | 'scheme' | 'credentials' } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, why: 'invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, why: 'scheme' };
  if (url.username || url.password) return { ok: false, why: 'credentials' };
  return { ok: true, url: url.toString() };
}

export interface Attempt {
  readonly url: string;
  readonly secret: string;
  readonly eventId: string;
  readonly type: WebhookEventType;
  readonly body: string;
  readonly nowSeconds: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

export type AttemptResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/**
 * One POST with Node's fetch: signed, bounded by a timeout, redirects not followed (a 3xx is a
 * failure: the receiver's URL should be the final one). Any 2xx is delivered.
 */
export async function attemptDelivery(a: Attempt, send: typeof fetch = fetch): Promise<AttemptResult> {
  const url = checkWebhookUrl(a.url);
  if (!url.ok) return { ok: false, status: null, error: `refused URL (${url.why})` };
  try {
    const res = await send(url.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.any([a.signal, AbortSignal.timeout(a.timeoutMs)]),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Infra-Ops-Webhooks/1',
        [WEBHOOK_HEADERS.eventId]: a.eventId,
        [WEBHOOK_HEADERS.eventType]: a.type,
        [WEBHOOK_HEADERS.timestamp]: String(a.nowSeconds),
        [WEBHOOK_HEADERS.signature]: signature(a.secret, a.nowSeconds, a.body),
      },
      body: a.body,
    });
    await res.body?.cancel().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? { ok: true, status: res.status } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { ok: false, status: null, error: `${err instanceof Error ? err.message : String(err)}${cause}`.slice(0, 300) };
  }
}
