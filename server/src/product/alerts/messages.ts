import type { AlertSourceType } from '../contract/alerts';
import { TOKEN_HEADER } from '../contract/alerts';
import type { AlertGroup, AlertSource, GroupAlert } from './records';

/** Every word the alerts feature says, in one place. */
export const ALERT_TEXT = {
  noTeam: 'No such team.',
  noSource: 'No such alert source.',
  nameTaken: (name: string) => `This team already has an alert source named "${name}".`,
  tooMany: (max: number) => `A team may have at most ${max} alert sources; remove one first.`,
  badName: (name: string) => `"${name.slice(0, 60)}" is not a source name: use lower-case letters, digits and dashes (at most 60), e.g. prod-alertmanager.`,
  badType: 'Give the type: `--type alertmanager` or `--type grafana`.',
  signatureOnlyGrafana: 'Only Grafana sources sign their notifications; Alertmanager sends the token.',
  noSources: 'This team has no alert sources yet. Add one with `/infra alerts add <name> --type alertmanager|grafana`.',
  help: {
    alerts: 'Alert sources (team admins): Alertmanager and Grafana open incidents in triage',
    add: 'Add an alert source; shows its URL and secret once',
    set: "Change a source's settings (same flags as add)",
    list: "List the team's alert sources",
    rotate: "Replace a source's secret; shows the new one once (the old one stops working)",
    remove: 'Remove an alert source (its URL stops working)',
  },
  usage: {
    add: '<name> --type alertmanager|grafana [--severity-label <label>] [--map critical=1,warning=3] [--default-severity 3] [--type-label <label>] [--responders @user…] [--signature-header <header>] [--timestamp-header <header>] [--window 48h] [--auto-resolve] [--public]',
    set: '<name> [--severity-label <label>] [--map …] [--default-severity 1-4] [--type-label <label>|none] [--responders @user…|none] [--signature-header <header>|none] [--timestamp-header <header>|none] [--window 48h] [--auto-resolve on|off] [--public|--private]',
    list: '',
    rotate: '<name>',
    remove: '<name>',
  },
  badWindow: (text: string) => `"${text.slice(0, 30)}" is not a window: give hours such as 48h, 2d or 12.`,
  badSeverity: (text: string) => `"${text.slice(0, 30)}" is not a severity: give 1-4 or SEV1-SEV4.`,
  badOnOff: (text: string) => `"${text.slice(0, 30)}": say on or off.`,
  removed: (name: string) => `Removed the alert source **${name}**: its URL no longer accepts notifications.`,
  updated: (name: string) => `Updated the alert source **${name}**.`,
} as const;

const TYPE_NAMES: Record<AlertSourceType, string> = { alertmanager: 'Alertmanager', grafana: 'Grafana' };

/** Shown once, ephemeral, after add or rotate: everything needed to point the sender here. */
export function secretText(source: AlertSource, url: string, secret: string, rotated: boolean): string {
  const lines = [
    rotated ? `🔑 New secret for **${source.name}** (${TYPE_NAMES[source.type]}); the old one no longer works.` : `✅ Added the ${TYPE_NAMES[source.type]} source **${source.name}**.`,
    '',
    `**URL**: \`${url}\``,
    `**Secret**: \`${secret}\``,
    '',
    '_This secret is shown only now. Store it in your alerting configuration; `/infra alerts rotate` makes a new one._',
    '',
  ];
  if (source.type === 'alertmanager') {
    lines.push(
      'Alertmanager (`alertmanager.yml`):',
      '```yaml',
      'receivers:',
      '  - name: infra-ops',
      '    webhook_configs:',
      `      - url: ${url}`,
      '        http_config:',
      '          http_headers:',
      `            ${TOKEN_HEADER}:`,
      `              secrets: ["${secret}"]`,
      '```',
      `(Mattermost removes \`Authorization\` headers from plugin requests, so a bearer token would not arrive; without \`http_headers\`, use \`url_file\` with \`${url}?token=<secret>\`.)`,
    );
  } else {
    lines.push(
      'Grafana contact point → Webhook:',
      `- URL \`${url}\`, method POST or PUT;`,
      `- either **HMAC signature** with the secret (header \`${source.settings.signatureHeader ?? 'X-Grafana-Alert-Signature'}\`; set \`--signature-header\` to match Grafana's), or a custom header \`${TOKEN_HEADER}: <secret>\`.`,
    );
  }
  return lines.join('\n');
}

export function sourceLine(source: AlertSource, url: string, mentions: string): string {
  const s = source.settings;
  const map = Object.entries(s.severityMap)
    .map(([k, v]) => `${k}→SEV${v}`)
    .join(', ');
  return [
    `**${source.name}** (${TYPE_NAMES[source.type]}) \`${url}\``,
    `  severity from \`${s.severityLabel}\` (${map || 'no mapping'}; default SEV${s.defaultSeverity})` +
      `${s.typeLabel ? ` · type from \`${s.typeLabel}\`` : ''} · window ${s.dedupeWindowHours}h · ${s.autoResolve ? 'resolves automatically' : 'asks the commander to resolve'}` +
      ` · ${s.private ? 'private' : 'public'} channels${mentions ? ` · responders ${mentions}` : ''}` +
      `${s.signatureHeader ? ` · signature header \`${s.signatureHeader}\`${s.timestampHeader ? ` + \`${s.timestampHeader}\`` : ''}` : ''}`,
  ].join('\n');
}

export const listText = (lines: readonly string[]): string => (lines.length ? ['#### Alert sources', ...lines.map((l) => `- ${l}`)].join('\n') : ALERT_TEXT.noSources);

// ---- what the intake writes on incidents ----

export const TRIAGE_BUTTONS_TEXT = 'In triage: accept it (it becomes active) or dismiss it as noise.';

const alertName = (a: Pick<GroupAlert, 'name' | 'summary'>): string => `**${a.name}**${a.summary ? ` — ${a.summary}` : ''}`;

export const intakeText = {
  summary: (source: AlertSource, group: Pick<AlertGroup, 'groupKey'>): string =>
    `Opened from alerts of the ${TYPE_NAMES[source.type]} source **${source.name}** (group \`${group.groupKey.slice(0, 200)}\`). Accept it with \`/incident accept\` or dismiss it as noise with \`/incident dismiss [reason]\`.`,
  firing: (a: GroupAlert, fingerprint: string): string => `Alert firing: ${alertName(a)} (${fingerprint})`,
  firingAgain: (a: GroupAlert, fingerprint: string): string => `Alert firing again: ${alertName(a)} (${fingerprint})`,
  resolved: (a: GroupAlert, fingerprint: string): string => `Alert resolved: ${alertName(a)} (${fingerprint})`,
  askCommander: (commander: string, resolved: number, reference: string): string =>
    `✅ @${commander}, all ${resolved} alert${resolved === 1 ? '' : 's'} of ${reference} resolved. Resolve the incident with \`/incident resolve [summary]\` if it is over.`,
  autoResolved: (resolved: number): string => `All ${resolved} alert${resolved === 1 ? '' : 's'} of the group resolved; resolved automatically (alert source setting).`,
};

/** The alert list post in the incident channel: counts and the latest alerts, edited in place. */
export function alertListText(group: AlertGroup, max = 25): string {
  const alerts = Object.entries(group.alerts).sort(([, a], [, b]) => (a.status === b.status ? b.firstSeenAt - a.firstSeenAt : a.status === 'firing' ? -1 : 1));
  const firing = alerts.filter(([, a]) => a.status === 'firing').length;
  const lines = [
    `#### 🚨 Alerts: ${firing} firing, ${alerts.length - firing} resolved${group.overflow ? `, ${group.overflow} more not kept` : ''}`,
    ...alerts.slice(0, max).map(([fp, a]) => `- ${a.status === 'firing' ? '🔥' : '✅'} ${alertName(a)} \`${fp}\``),
  ];
  if (alerts.length > max) lines.push(`- …and ${alerts.length - max} more (every alert is on the timeline: \`/incident timeline\`)`);
  return lines.join('\n').slice(0, 16_000);
}
