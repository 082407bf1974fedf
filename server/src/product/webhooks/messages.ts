import { WEBHOOK_EVENT_TYPES, WEBHOOK_HEADERS, WEBHOOK_LIMITS, type WebhookEventType } from '../contract/webhooks';
import { utcStamp } from '../shared/time/duration';
import type { LogEntry, Webhook } from './records';

/** Every word the outgoing webhooks say. */

/** Short names accepted by `--events` besides the full type names. */
export const EVENT_WORDS: Record<string, WebhookEventType> = {
  declared: 'incident.declared',
  declare: 'incident.declared',
  status: 'incident.status_updated',
  severity: 'incident.severity_changed',
  resolved: 'incident.resolved',
  resolve: 'incident.resolved',
  review: 'incident.review_published',
  reviewed: 'incident.review_published',
  retrospective: 'incident.review_published',
  started: 'run.started',
  finished: 'run.finished',
};

export const WEBHOOK_USAGE = {
  add: '<url> [--events declared,status,severity,resolved,review,started,finished] [--template <name>[, <name>…]] [--include-private]',
  list: '',
  remove: '<webhook id>',
  rotate: '<webhook id>',
  log: '',
} as const;

const templateList = (slugs: readonly string[]): string => (slugs.length ? ` of template ${slugs.join(', ')} only` : '');
const eventList = (events: readonly string[]): string => (events.length === WEBHOOK_EVENT_TYPES.length ? 'all events' : events.join(', '));

export const WEBHOOK_TEXT = {
  noTeam: 'No such team.',
  help: "The team's outgoing webhooks (team admins): signed incident and run events POSTed to your URL",
  addHelp: 'Add a webhook; its secret is shown once',
  listHelp: "List the team's webhooks",
  removeHelp: 'Remove a webhook',
  rotateHelp: 'Give a webhook a new secret (shown once); retries after this are signed with it',
  logHelp: 'The last delivery attempts',
  noSuchWebhook: (id: string): string => `No webhook \`${id.slice(0, 40)}\` in this team; see \`/infra webhooks list\`.`,
  badUrl: (why: 'invalid' | 'scheme' | 'credentials'): string =>
    why === 'scheme'
      ? 'A webhook URL must start with http:// or https://.'
      : why === 'credentials'
        ? 'Put no user name or password in the URL; the receiver checks the signature instead.'
        : 'That is not a URL (e.g. https://hooks.example.com/infra-ops).',
  badEvent: (word: string): string =>
    `Unknown event "${word.slice(0, 40)}"; use declared, status, severity, resolved, review, started, finished (or ${WEBHOOK_EVENT_TYPES.join(', ')}).`,
  noSuchTemplate: (name: string): string => `This team has no run template “${name.slice(0, 80)}” (see \`/run templates\`).`,
  tooManyTemplates: `A webhook names at most ${WEBHOOK_LIMITS.templates} templates.`,
  tooMany: `A team has at most ${WEBHOOK_LIMITS.webhooksPerTeam} webhooks.`,
  duplicate: 'This team already sends to that URL.',
  added: (w: Webhook, secret: string): string =>
    [
      `Webhook \`${w.id}\` added: ${eventList(w.events)}${templateList(w.templates)} → ${w.url}${w.includePrivate ? ' (private incidents in full)' : ' (private incidents by reference only)'}.`,
      `Secret (shown once, store it now): \`${secret}\``,
      `Each POST carries \`${WEBHOOK_HEADERS.signature}: sha256=HMAC-SHA256(secret, "<${WEBHOOK_HEADERS.timestamp}>.<body>")\` and \`${WEBHOOK_HEADERS.eventId}\` to dedupe on.`,
    ].join('\n'),
  rotated: (w: Webhook, secret: string): string => `Webhook \`${w.id}\` has a new secret (shown once, store it now): \`${secret}\``,
  removed: (w: Webhook): string => `Webhook \`${w.id}\` (${w.url}) removed; its queued deliveries are dropped.`,
  none: 'This team has no outgoing webhooks. Add one with `/infra webhooks add <url>`.',
  list: (ws: readonly Webhook[]): string =>
    ['**Outgoing webhooks**', ...ws.map((w) => `- \`${w.id}\` ${w.url} — ${eventList(w.events)}${templateList(w.templates)}${w.includePrivate ? ', private incidents in full' : ''}`)].join('\n'),
  noLog: 'No deliveries yet.',
  log: (entries: readonly LogEntry[], queued: number): string =>
    [
      `**Webhook deliveries** (latest first; ${queued} queued)`,
      ...entries.map(
        (e) =>
          `- ${utcStamp(e.at)} \`${e.webhookId}\` ${e.type} ${e.eventId} — ${e.outcome}${e.httpStatus !== null ? ` (HTTP ${e.httpStatus})` : ''}${e.error && e.httpStatus === null ? ` (${e.error})` : ''}, attempt ${e.attempt}`,
      ),
    ].join('\n'),
  queueFull: 'webhook queue full; event dropped',
  webhookGone: 'webhook removed',
} as const;
